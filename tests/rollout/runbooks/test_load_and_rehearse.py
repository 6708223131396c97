"""Loading and reloading playbooks, rehearsals and their comparison, the gate criterion."""

from __future__ import annotations

from tests.conftest import assert_error
from tests.rollout.runbooks.helpers import PLAYBOOK, counts, setup_plan


def test_load_is_idempotent_and_defaults_to_the_plans_playbook(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    before = counts(golive)
    assert before["runbook_task"] == 10 and before["runbook_task_state"] == 10 and before["runbook_run"] == 1
    again = golive("runbook", "load", "dst-2026")
    assert again.exit_code == 0 and "Nothing changed" in again.stderr
    assert counts(golive) == before


def test_reload_keeps_statuses_and_reports_added_and_removed(db_url, golive, rollout_file):
    book = setup_plan(golive, rollout_file)
    golive("runbook", "start", "dst-2026", "a", "--at", "2026-03-28T17:05")
    golive("runbook", "done", "dst-2026", "a", "--at", "2026-03-28T20:10")
    golive("runbook", "skip", "dst-2026", "b2", "--at", "2026-03-28T05:00")
    changed = (
        PLAYBOOK.replace("  - key: b2\n    title: Early check, elapsed offset\n    stream: Teknisk\n    owner: hemit\n    at: T-24h\n    duration: 30m\n", "")
        .replace("after: [f, h, b2]", "after: [f, h, smoke]")
        .replace("duration: 4h", "duration: 5h")
        + "  - key: smoke\n    title: Smoke test\n    stream: Teknisk\n    at: T-3h\n    duration: 30m\n"
    )
    path = rollout_file(changed, name="dst-test.yaml")
    assert str(path) == book
    before = counts(golive)
    result = golive("runbook", "load", "dst-2026", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["added"] == ["smoke"] and data["removed"] == ["b2"]
    assert set(data["updated"]) >= {"c", "go-live"} and data["kept"] == 9
    after = counts(golive)
    assert after["runbook_task"] == 10 and after["runbook_task_state"] == 10
    assert after["audit_log"] == before["audit_log"] + 1  # one audit row per load
    tasks = {t["key"]: t for t in golive("runbook", "show", "dst-2026", "--at", "2026-03-28T21:00", "--json").json()["tasks"]}
    assert tasks["a"]["status"] == "done" and tasks["a"]["actual_end"] == "2026-03-28T20:10+01:00"
    assert tasks["smoke"]["status"] == "pending" and tasks["c"]["duration_minutes"] == 300
    assert "b2" not in tasks


def test_load_for_unknown_plan_and_plan_without_playbook(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    assert_error(golive("runbook", "load", "dst-2025"), "no plan 'dst-2025'", "did you mean 'dst-2026'")


def test_rehearsal_has_its_own_statuses_and_compares_durations(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    created = golive("runbook", "rehearse", "dst-2026", "--name", "DR1", "--go-live", "2026-03-15T06:00", "--json")
    assert created.exit_code == 0, created.stderr
    assert created.json()["tasks"] == 10 and created.json()["go_live"] == "2026-03-15T06:00+01:00"
    again = golive("runbook", "rehearse", "dst-2026", "--name", "DR1")
    assert again.exit_code == 0 and "Nothing changed" in again.stderr
    # The rehearsal's own clock: a at T-12h of 15 March (no DST change that weekend).
    for action, task, at in [
        ("start", "a", "2026-03-14T18:00"), ("done", "a", "2026-03-14T21:30"),  # 210 min against 180
        ("start", "c", "2026-03-14T21:30"), ("done", "c", "2026-03-15T01:00"),  # 210 against 240
        ("start", "b", "2026-03-14T06:00"), ("done", "b", "2026-03-14T08:30"),  # 150 against 120
    ]:
        result = golive("runbook", action, "dst-2026", task, "--at", at, "--run", "DR1")
        assert result.exit_code == 0, result.stderr
    # The live run is untouched, and live c took 250 minutes.
    for action, task, at in [("start", "a", "2026-03-28T17:00"), ("done", "a", "2026-03-28T20:00"),
                             ("start", "c", "2026-03-28T20:00"), ("done", "c", "2026-03-29T00:10")]:
        assert golive("runbook", action, "dst-2026", task, "--at", at).exit_code == 0
    dr1 = {t["key"]: t for t in golive("runbook", "show", "dst-2026", "--run", "DR1", "--at", "2026-03-15T02:00", "--json").json()["tasks"]}
    assert dr1["a"]["planned_start"] == "2026-03-14T18:00+01:00" and dr1["d"]["status"] == "pending"
    data = golive("runbook", "compare", "dst-2026", "DR1", "live", "--json").json()
    tasks = {t["key"]: t for t in data["tasks"]}
    assert tasks["a"]["actual_minutes"] == {"DR1": 210, "live": 180} and tasks["a"]["delta_minutes"] == {"DR1": 30, "live": 0}
    assert tasks["c"]["actual_minutes"] == {"DR1": 210, "live": 250}
    assert tasks["d"]["actual_minutes"] == {"DR1": None, "live": None}
    streams = {s["stream"]: s for s in data["streams"]}
    konv = streams["Konvertering"]
    assert konv["tasks"] == 3 and konv["planned_minutes"] == 180 + 240 + 180
    assert konv["actual_minutes"] == {"DR1": 420, "live": 430}
    assert konv["delta_minutes"] == {"DR1": 0, "live": 10}
    assert streams["Teknisk"]["actual_minutes"] == {"DR1": 150, "live": 0}
    assert streams["Teknisk"]["delta_minutes"] == {"DR1": 30, "live": 0}
    table = golive("runbook", "compare", "dst-2026", "DR1")
    assert table.exit_code == 0 and "DR1 Δ" in table.stdout
    assert_error(golive("runbook", "compare", "dst-2026", "DR2"), "no run 'DR2'", "runs: DR1, live")  # another run's name is no typo of DR2: listed, not suggested
    assert_error(golive("runbook", "rehearse", "dst-2026", "--name", "live"), "'live' is the real cutover")


def test_reload_adds_tasks_to_rehearsals_too(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    golive("runbook", "rehearse", "dst-2026", "--name", "DR1")
    rollout_file(PLAYBOOK + "  - key: extra\n    title: Extra\n    stream: Teknisk\n    at: T-3h\n    duration: 30m\n", name="dst-test.yaml")
    assert golive("runbook", "load", "dst-2026").exit_code == 0
    assert counts(golive)["runbook_task_state"] == 22


def _measure(db_url: str, at: str):  # noqa: ANN202
    from sqlmodel import select

    from rollout.clock import parse_instant
    from rollout.criteria import GateContext, measure_function
    from rollout.database import Database
    from rollout.models import Gate, Plan
    from rollout.runbooks.gates import gate_task_keys
    from rollout.settings import load_settings

    db = Database(load_settings(db_url))
    try:
        with db.session() as session:
            plan = session.exec(select(Plan).where(Plan.key == "dst-2026")).one()
            gate = session.exec(select(Gate).where(Gate.key == "final")).one()
            measure = measure_function("runbook_due_done")
            result = measure(session, GateContext(plan=plan, gate=gate, at=parse_instant(at, plan.timezone), unit_ids=[]), True)
            return result, gate_task_keys(session, plan.id)
    finally:
        db.dispose()


def test_runbook_due_done_criterion(db_url, golive, rollout_file):
    """The gate (T-2h: 29 March 04:00 CEST) covers every task planned to end by then, whatever --at is."""
    setup_plan(golive, rollout_file)
    m, gates = _measure(db_url, "2026-03-28T07:00")
    assert gates == ["e"]
    # b2, b, h, a, c and d end by 04:00 on the 29th; e (the gate task itself) ends 04:30.
    assert m.details == {"due": 6, "done": 0}
    assert m.passed is False and m.value == 6 and m.offenders[0].startswith("b2 (Early check")
    assert "due by 2026-03-29 04:00" in m.summary
    for action, task, at in [("start", "b2", "2026-03-28T05:00"), ("done", "b2", "2026-03-28T05:40"),
                             ("start", "b", "2026-03-28T06:00"), ("done", "b", "2026-03-28T08:10")]:
        assert golive("runbook", action, "dst-2026", task, "--at", at).exit_code == 0
    # As of 07:00, b2 is done and b is still running (it was done at 08:10): status as of --at.
    m, _ = _measure(db_url, "2026-03-28T07:00")
    assert m.details == {"due": 6, "done": 1} and [o.split(" ")[0] for o in m.offenders] == ["b", "h", "a", "c", "d"]
    assert "not done yet (done 2026-03-28 08:10)" in m.offenders[0]
    m, _ = _measure(db_url, "2026-03-28T08:30")
    assert m.passed is False and m.details == {"due": 6, "done": 2}
    # At the gate's own time (T-2h, 04:00 CEST): everything planned to end by then except b2, b is open.
    m, _ = _measure(db_url, "2026-03-29T04:00")
    assert [o.split(" ")[0] for o in m.offenders] == ["h", "a", "c", "d"] and m.details == {"due": 6, "done": 2}
