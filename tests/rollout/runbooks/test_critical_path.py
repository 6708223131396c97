"""Critical path, slack, projections and slips on the DST-weekend plan, numbers computed by hand (see helpers)."""

from __future__ import annotations

from tests.conftest import assert_error
from tests.rollout.runbooks.helpers import counts, setup_plan

BEFORE = "2026-03-27T12:00"


def by_key(rows: list[dict]) -> dict[str, dict]:
    return {r["key"]: r for r in rows}


def test_planned_times_follow_offset_rules_across_dst(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    tasks = by_key(golive("runbook", "show", "dst-2026", "--at", BEFORE, "--json").json()["tasks"])
    # d offsets keep the wall clock, h offsets are elapsed time.
    assert tasks["b"]["planned_start"] == "2026-03-28T06:00+01:00"
    assert tasks["b2"]["planned_start"] == "2026-03-28T05:00+01:00"
    assert tasks["a"]["planned_start"] == "2026-03-28T17:00+01:00"
    assert tasks["hyper"]["planned_start"] == "2026-03-30T06:00+02:00"
    # A 3 h task from midnight ends at 04:00 local: the clocks skipped an hour.
    assert tasks["d"]["planned_start"] == "2026-03-29T00:00+01:00"
    assert tasks["d"]["planned_end"] == "2026-03-29T04:00+02:00"
    assert tasks["e"]["planned_start"] == "2026-03-29T04:00+02:00"
    assert tasks["f"]["planned_end"] == "2026-03-29T06:00+02:00"
    assert tasks["go-live"]["planned_start"] == "2026-03-29T06:00+02:00"


def test_critical_path_and_slack_before_the_cutover(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    data = golive("runbook", "critical-path", "dst-2026", "--at", BEFORE, "--json").json()
    assert data["critical_path"] == ["a", "c", "d", "e", "f", "go-live"]
    assert data["planned_go_live"] == data["projected_go_live"] == "2026-03-29T06:00+02:00"
    assert data["go_live_delta_minutes"] == 0
    slack = {t["key"]: t["slack_minutes"] for t in data["tasks"]}
    assert slack == {"a": 0, "c": 0, "d": 0, "e": 0, "f": 0, "go-live": 0, "b": 960, "h": 1200, "b2": 1410, "hyper": 0}
    tasks = by_key(data["tasks"])
    assert tasks["hyper"]["critical"] is False and tasks["hyper"]["affects_go_live"] is False
    assert tasks["b"]["latest_start"] == "2026-03-28T22:00+01:00"
    assert tasks["d"]["latest_finish"] == "2026-03-29T04:00+02:00"


def test_projection_uses_actuals_and_the_clock(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    assert golive("runbook", "start", "dst-2026", "a", "--at", "2026-03-28T17:00").exit_code == 0
    assert golive("runbook", "done", "dst-2026", "a", "--at", "2026-03-28T20:30").exit_code == 0  # 30 min late
    # As of 21:00 c has not started: it is projected from now (20:00 UTC), not from a's end.
    data = golive("runbook", "critical-path", "dst-2026", "--at", "2026-03-28T21:00", "--json").json()
    assert data["projected_go_live"] == "2026-03-29T07:00+02:00"
    assert data["go_live_delta_minutes"] == 60
    assert data["critical_path"] == ["c", "d", "e", "f", "go-live"]
    tasks = by_key(data["tasks"])
    assert tasks["a"]["slack_minutes"] == 30 and tasks["a"]["status"] == "done"
    assert tasks["c"]["earliest_start"] == "2026-03-28T21:00+01:00"
    assert tasks["d"]["earliest_finish"] == "2026-03-29T05:00+02:00"
    show = golive("runbook", "show", "dst-2026", "--at", "2026-03-28T21:00", "--json").json()
    rows = by_key(show["tasks"])
    assert rows["c"]["late_minutes"] == 60 and rows["c"]["late"] is True
    assert rows["a"]["late"] is False and rows["a"]["late_minutes"] == 30  # finished late; history, not RAG
    rag = {s["name"]: s["rag"] for s in show["streams"]}
    assert rag == {"Teknisk": "amber", "Konvertering": "red", "Ledelse": "green"}  # b, b2, h never started
    # The same runbook as of before a ended: a is still running then.
    earlier = by_key(golive("runbook", "show", "dst-2026", "--at", "2026-03-28T19:00", "--json").json()["tasks"])
    assert earlier["a"]["status"] == "running" and earlier["a"]["actual_end"] is None


def test_slip_moves_downstream_tasks_and_puts_the_gate_at_risk(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    before = counts(golive)
    result = golive("runbook", "slip", "dst-2026", "c", "1h", "--at", BEFORE, "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["projected_go_live"] == "2026-03-29T07:00+02:00"
    assert data["go_live_delta_minutes"] == 60
    moved = {m["key"]: m["delta_minutes"] for m in data["moved"]}
    assert moved == {"c": 60, "d": 60, "e": 60, "f": 60, "go-live": 60}
    gates = data["gates_at_risk"]
    assert [(g["key"], g["kind"], g["late_minutes"], g["waiting_on"]) for g in gates] == [
        ("e", "runbook", 60, ["d"]),
        ("final", "plan", 60, ["d"]),
    ]
    assert gates[0]["due"] == "2026-03-29T04:00+02:00" and gates[0]["finish"] == "2026-03-29T05:00+02:00"
    assert counts(golive) == before  # a what-if writes nothing


def test_slip_within_slack_keeps_the_go_live(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    data = golive("runbook", "slip", "dst-2026", "b", "16h", "--at", BEFORE, "--json").json()
    assert data["projected_go_live"] == "2026-03-29T06:00+02:00"
    assert {m["key"]: m["delta_minutes"] for m in data["moved"]} == {"b": 960, "h": 960}
    assert data["gates_at_risk"] == []
    data = golive("runbook", "slip", "dst-2026", "b", "17h", "--at", BEFORE, "--json").json()
    assert data["go_live_delta_minutes"] == 60
    assert {m["key"]: m["delta_minutes"] for m in data["moved"]} == {"b": 1020, "h": 1020, "d": 60, "e": 60, "f": 60, "go-live": 60}


def test_slip_refuses_finished_tasks_and_unknown_keys(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    golive("runbook", "start", "dst-2026", "b2", "--at", "2026-03-28T05:00")
    golive("runbook", "done", "dst-2026", "b2", "--at", "2026-03-28T05:30")
    assert_error(golive("runbook", "slip", "dst-2026", "b2", "1h", "--at", "2026-03-28T06:00"), "already done")
    assert_error(golive("runbook", "slip", "dst-2026", "convert", "1h"), "no task 'convert'")
    assert_error(golive("runbook", "slip", "dst-2026", "c", "--", "-1h"), "negative")
    assert_error(golive("runbook", "slip", "dst-2026", "c", "0m"), "longer than zero, not 0 min")
    assert_error(golive("runbook", "slip", "dst-2026", "c", "soon"), "duration 'soon'")


def test_show_filters_by_stream_and_lateness(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    data = golive("runbook", "show", "dst-2026", "--stream", "Ledelse", "--at", BEFORE, "--json").json()
    assert [t["key"] for t in data["tasks"]] == ["e", "go-live", "hyper"]
    late = golive("runbook", "show", "dst-2026", "--late", "--at", "2026-03-28T06:30", "--json").json()
    assert [(t["key"], t["late_minutes"]) for t in late["tasks"]] == [("b2", 90), ("b", 30)]
    assert_error(golive("runbook", "show", "dst-2026", "--stream", "Konverting"), "did you mean 'Konvertering'")
    table = golive("runbook", "show", "dst-2026", "--at", BEFORE)
    assert table.exit_code == 0 and "Projected go-live 2026-03-29 06:00: on plan (planned 2026-03-29 06:00)" in table.stdout


def test_critical_path_table(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    result = golive("runbook", "critical-path", "dst-2026", "--at", BEFORE)
    assert result.exit_code == 0
    assert "Critical path: a → c → d → e → f → go-live" in result.stdout


def test_runbook_missing(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    assert_error(golive("runbook", "show", "no-such-plan"), "no plan 'no-such-plan'")
    assert_error(golive("runbook", "show", "dst-2026", "--run", "DR9"), "no run 'DR9'")


def test_autumn_change_night_has_an_extra_hour(db_url, golive, rollout_file):
    """Go-live Sunday 25 October 2026 06:00 (+01:00): the clocks go back at 03:00 that night."""
    from tests.rollout.runbooks.helpers import PLAYBOOK, ROLLOUT

    book = rollout_file(PLAYBOOK, name="dst-test.yaml")
    text = ROLLOUT.replace("PLAYBOOK", str(book)).replace("2026-03-27T08:00", "2026-10-23T08:00").replace("2026-03-29T06:00", "2026-10-25T06:00")
    assert golive("apply", rollout_file(text, name="autumn.yaml")).exit_code == 0
    assert golive("runbook", "load", "dst-2026").exit_code == 0
    data = golive("runbook", "show", "dst-2026", "--at", "2026-10-20T12:00", "--json").json()
    tasks = by_key(data["tasks"])
    assert tasks["b"]["planned_start"] == "2026-10-24T06:00+02:00"  # T-1d: the wall clock, 25 h before
    assert tasks["b2"]["planned_start"] == "2026-10-24T07:00+02:00"  # T-24h: elapsed
    assert tasks["a"]["planned_start"] == "2026-10-24T19:00+02:00"  # T-12h: elapsed
    assert tasks["d"]["planned_start"] == "2026-10-25T02:00+02:00"
    assert tasks["d"]["planned_end"] == "2026-10-25T04:00+01:00"  # 3 h of work, 2 h on the wall clock
    assert data["critical_path"] == ["a", "c", "d", "e", "f", "go-live"]
    assert data["projected_go_live"] == "2026-10-25T06:00+01:00"
