"""Slips of overdue tasks, starts before a predecessor finished, and reloads that only shift positions."""

from __future__ import annotations

from tests.conftest import assert_error
from tests.rollout.runbooks.helpers import PLAYBOOK, counts, setup_plan


def test_slip_of_an_overdue_running_task_pushes_its_projected_end(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    # a (T-12h = 28 March 17:00 CET, 3 h) started on time; as of 21:00 it is an hour overdue,
    # so it is projected to end now (21:00) and everything after it follows:
    # c 21:00–01:00 CET, d 00:00Z–03:00Z (01:00 CET → 05:00 CEST), e 05:00–05:30, f 05:30–07:00 CEST.
    assert golive("runbook", "start", "dst-2026", "a", "--at", "2026-03-28T17:00").exit_code == 0
    result = golive("runbook", "slip", "dst-2026", "a", "30m", "--at", "2026-03-28T21:00", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["projected_go_live_before"] == "2026-03-29T07:00+02:00"
    assert data["projected_go_live"] == "2026-03-29T07:30+02:00"
    assert data["go_live_delta_minutes"] == 30
    moved = {m["key"]: m for m in data["moved"]}
    assert moved["a"]["old_end"] == "2026-03-28T21:00+01:00" and moved["a"]["new_end"] == "2026-03-28T21:30+01:00"
    assert {k: m["delta_minutes"] for k, m in moved.items()} == {"a": 30, "c": 30, "d": 30, "e": 30, "f": 30, "go-live": 30}
    # a running task still within its duration moves by the slip too (a ends 20:00 + 30 min)
    early = golive("runbook", "slip", "dst-2026", "a", "30m", "--at", "2026-03-28T18:00", "--json").json()
    assert {m["key"]: m["delta_minutes"] for m in early["moved"]}["a"] == 30
    # a is critical (slack 0): c 19:30Z–23:30Z, d 23:30Z–02:30Z, so the go-live moves 30 min too.
    assert early["projected_go_live_before"] == "2026-03-29T06:00+02:00" and early["projected_go_live"] == "2026-03-29T06:30+02:00"


def test_start_before_the_predecessor_finished_is_refused_even_when_entered_afterwards(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    assert golive("runbook", "start", "dst-2026", "a", "--at", "2026-03-28T17:00").exit_code == 0
    assert golive("runbook", "done", "dst-2026", "a", "--at", "2026-03-28T20:30").exit_code == 0
    before = counts(golive)
    assert_error(
        golive("runbook", "start", "dst-2026", "c", "--at", "2026-03-28T20:00"),
        "cannot start at 2026-03-28 20:00 before a is done",
        "a (done at 2026-03-28 20:30)",
        "--force",
    )
    assert_error(golive("runbook", "done", "dst-2026", "c", "--at", "2026-03-28T20:15"), "cannot be done at 2026-03-28 20:15 before a is done", "--force")
    assert counts(golive) == before
    ok = golive("runbook", "start", "dst-2026", "c", "--at", "2026-03-28T20:30", "--json")
    assert ok.exit_code == 0, ok.stderr
    assert ok.json()["forced"] is False and ok.json()["unmet_predecessors"] == []


def test_reload_reports_only_real_changes_when_tasks_shift_position(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    golive("runbook", "start", "dst-2026", "b", "--at", "2026-03-28T06:00")
    # b2 (the first task) goes: every other task moves up a position, but only go-live (its 'after') changed.
    without_b2 = PLAYBOOK.replace(
        "  - key: b2\n    title: Early check, elapsed offset\n    stream: Teknisk\n    owner: hemit\n    at: T-24h\n    duration: 30m\n", ""
    ).replace("after: [f, h, b2]", "after: [f, h]")
    rollout_file(without_b2, name="dst-test.yaml")
    data = golive("runbook", "load", "dst-2026", "--json").json()
    assert data["removed"] == ["b2"] and data["added"] == [] and data["updated"] == ["go-live"] and data["kept"] == 9
    tasks = {t["key"]: t for t in golive("runbook", "show", "dst-2026", "--at", "2026-03-28T07:00", "--json").json()["tasks"]}
    assert list(tasks)[0] == "b" and tasks["b"]["status"] == "running"
    # Only the order changes: written and audited, nothing reported as updated, not "Nothing changed".
    lines = without_b2.split("\n")
    h_at = lines.index("  - key: h")
    a_at = lines.index("  - key: a")
    swapped = "\n".join(lines[:h_at] + lines[a_at : a_at + 6] + lines[h_at:a_at] + lines[a_at + 6 :])
    rollout_file(swapped, name="dst-test.yaml")
    before = counts(golive)
    result = golive("runbook", "load", "dst-2026", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["changed"] is True and data["updated"] == [] and data["added"] == data["removed"] == []
    assert counts(golive)["audit_log"] == before["audit_log"] + 1
    order = [t["key"] for t in golive("runbook", "show", "dst-2026", "--at", "2026-03-28T07:00", "--json").json()["tasks"]]
    assert order[:3] == ["b", "a", "h"]
    again = golive("runbook", "load", "dst-2026")
    assert again.exit_code == 0 and "Nothing changed" in again.stderr
