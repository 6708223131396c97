"""Status changes as a project lead makes them during the weekend: checks, force with a note, gates, idempotence."""

from __future__ import annotations

from tests.conftest import assert_error
from tests.rollout.runbooks.helpers import counts, setup_plan


def run_through(golive, *steps: tuple[str, str, str]) -> None:  # noqa: ANN001
    for action, task, at in steps:
        result = golive("runbook", action, "dst-2026", task, "--at", at)
        assert result.exit_code == 0, (action, task, result.stderr)


def test_start_waits_for_predecessors_unless_forced_with_a_note(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    before = counts(golive)
    assert_error(golive("runbook", "start", "dst-2026", "c", "--at", "2026-03-28T20:00"), "cannot start before a is done or skipped", "--force")
    assert_error(golive("runbook", "start", "dst-2026", "c", "--force"), "--force needs --note")
    assert counts(golive) == before
    forced = golive("runbook", "start", "dst-2026", "c", "--force", "--note", "Konvertering kan starte på kopien", "--at", "2026-03-28T20:00", "--json")
    assert forced.exit_code == 0, forced.stderr
    data = forced.json()
    assert data["status"] == "running" and data["forced"] is True and data["unmet_predecessors"] == ["a"]
    assert data["actual_start"] == "2026-03-28T20:00+01:00"
    after = counts(golive)
    assert after["audit_log"] == before["audit_log"] + 1
    assert after["runbook_task_state"] == before["runbook_task_state"]


def test_forced_start_is_audited(db_url, golive, rollout_file):
    from sqlmodel import select

    from rollout.database import Database
    from rollout.models import AuditEntry
    from rollout.settings import load_settings

    setup_plan(golive, rollout_file)
    golive("runbook", "start", "dst-2026", "c", "--force", "--note", "Kopien er klar", "--as", "Kari", "--at", "2026-03-28T20:00")
    db = Database(load_settings(db_url))
    try:
        with db.session() as session:
            entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "runbook_task")).one()
    finally:
        db.dispose()
    assert entry.actor == "Kari" and entry.entity_key == "dst-2026/c" and entry.action == "start"
    assert entry.changes["forced"] is True and entry.changes["note"] == "Kopien er klar"
    assert entry.changes["status"] == ["pending", "running"] and entry.changes["unmet_predecessors"] == ["a"]


def test_idempotent_status_changes(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    run_through(golive, ("start", "b", "2026-03-28T06:00"))
    before = counts(golive)
    again = golive("runbook", "start", "dst-2026", "b", "--at", "2026-03-28T06:10")
    assert again.exit_code == 0 and "Nothing changed" in again.stderr
    run_through(golive, ("done", "b", "2026-03-28T08:00"))
    again = golive("runbook", "done", "dst-2026", "b")
    assert again.exit_code == 0 and "Nothing changed" in again.stderr
    assert counts(golive)["audit_log"] == before["audit_log"] + 1
    assert_error(golive("runbook", "start", "dst-2026", "b"), "already finished")
    assert_error(golive("runbook", "skip", "dst-2026", "b"), "already done")


def test_done_before_start_is_refused(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    run_through(golive, ("start", "b", "2026-03-28T06:00"))
    assert_error(golive("runbook", "done", "dst-2026", "b", "--at", "2026-03-28T05:00"), "before it started")


def test_unknown_task_gets_a_suggestion(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    before = counts(golive)
    assert_error(golive("runbook", "start", "dst-2026", "hyperr"), "no task 'hyperr'", "did you mean 'hyper'")
    assert_error(golive("runbook", "done", "dst-2026", "go-lvie"), "did you mean 'go-live'")
    assert counts(golive) == before


def test_gate_task_needs_a_go_decision(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    run_through(
        golive,
        ("start", "a", "2026-03-28T17:00"), ("done", "a", "2026-03-28T20:00"),
        ("start", "c", "2026-03-28T20:00"), ("done", "c", "2026-03-29T00:00"),
        ("start", "b", "2026-03-28T06:00"), ("done", "b", "2026-03-28T08:00"),
        ("start", "d", "2026-03-29T00:00"), ("done", "d", "2026-03-29T04:00"),
        ("start", "e", "2026-03-29T04:00"),
    )
    before = counts(golive)
    assert_error(golive("runbook", "done", "dst-2026", "e", "--at", "2026-03-29T04:30"), "is a gate", "golive gate decide dst-2026 e")
    assert_error(golive("runbook", "skip", "dst-2026", "e"), "is a gate", "--force")
    assert counts(golive) == before
    # `gate decide` accepts the runbook gate task's key, and suggests among plan gates and gate tasks.
    assert_error(golive("gate", "decide", "dst-2026", "ee", "--go", "--by", "Prosjektleder", "--note", "x"), "did you mean 'e'?")
    no_go = golive("gate", "decide", "dst-2026", "e", "--no-go", "--by", "Prosjektleder", "--note", "Konvertering ikke verifisert")
    assert no_go.exit_code == 0, no_go.stderr
    assert_error(golive("runbook", "done", "dst-2026", "e", "--at", "2026-03-29T04:30"), "is no-go")
    go = golive("gate", "decide", "dst-2026", "e", "--go", "--by", "Prosjektleder", "--note", "Verifisert", "--as", "Kari", "--json")
    assert go.exit_code == 0, go.stderr
    history = golive("gate", "history", "dst-2026", "e", "--json").json()
    assert [d["decision"] for d in history["decisions"]] == ["no-go", "go"]
    done = golive("runbook", "done", "dst-2026", "e", "--at", "2026-03-29T04:30", "--json")
    assert done.exit_code == 0, done.stderr
    assert done.json()["status"] == "done" and done.json()["actual_end"] == "2026-03-29T04:30+02:00"


def test_block_then_resume_keeps_the_actual_start(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    run_through(golive, ("start", "b", "2026-03-28T06:00"))
    blocked = golive("runbook", "block", "dst-2026", "b", "--note", "Mangler tilgang", "--at", "2026-03-28T06:30")
    assert blocked.exit_code == 0
    show = {t["key"]: t for t in golive("runbook", "show", "dst-2026", "--at", "2026-03-28T08:30", "--json").json()["tasks"]}
    assert show["b"]["status"] == "blocked" and show["b"]["note"] == "Mangler tilgang"
    assert show["b"]["late_minutes"] == 30  # projected end 08:30 (now) against the planned 08:00
    streams = {s["name"]: s for s in golive("runbook", "show", "dst-2026", "--at", "2026-03-28T07:30", "--json").json()["streams"]}
    assert streams["Teknisk"]["rag"] == "amber" and streams["Teknisk"]["blocked"] == 1
    resumed = golive("runbook", "start", "dst-2026", "b", "--at", "2026-03-28T07:45", "--json").json()
    assert resumed["status"] == "running" and resumed["actual_start"] == "2026-03-28T06:00+01:00"


def test_done_or_skipped_straight_from_blocked_stays_blocked_in_earlier_views(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    run_through(golive, ("start", "b", "2026-03-28T06:00"), ("block", "b", "2026-03-28T06:30"), ("done", "b", "2026-03-28T09:00"),
                ("start", "a", "2026-03-28T17:00"), ("block", "a", "2026-03-28T18:00"), ("skip", "a", "2026-03-28T19:00"))

    def status(key: str, at: str) -> str:
        return next(t["status"] for t in golive("runbook", "show", "dst-2026", "--at", at, "--json").json()["tasks"] if t["key"] == key)

    assert [status("b", at) for at in ("2026-03-28T06:10", "2026-03-28T08:00", "2026-03-28T09:00")] == ["running", "blocked", "done"]
    assert [status("a", at) for at in ("2026-03-28T18:30", "2026-03-28T19:00")] == ["blocked", "skipped"]


def test_skip_frees_successors(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    run_through(golive, ("skip", "b", "2026-03-28T05:30"), ("start", "h", "2026-03-28T05:40"))
    data = {t["key"]: t for t in golive("runbook", "critical-path", "dst-2026", "--at", "2026-03-28T05:45", "--json").json()["tasks"]}
    assert data["b"]["status"] == "skipped"
    assert data["h"]["earliest_finish"] == "2026-03-28T06:40+01:00"


def test_blocked_critical_task_turns_its_stream_red(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    run_through(golive, ("start", "a", "2026-03-28T17:00"), ("block", "a", "2026-03-28T18:00"))
    streams = {s["name"]: s["rag"] for s in golive("runbook", "show", "dst-2026", "--at", "2026-03-28T18:30", "--json").json()["streams"]}
    assert streams["Konvertering"] == "red"


def test_a_new_note_on_a_blocked_task_is_kept_and_audited(db_url, golive, rollout_file):
    from sqlmodel import select

    from rollout.database import Database
    from rollout.models import AuditEntry
    from rollout.settings import load_settings

    setup_plan(golive, rollout_file)
    run_through(golive, ("start", "b", "2026-03-28T06:00"))
    assert golive("runbook", "block", "dst-2026", "b", "--note", "Skriver mangler", "--at", "2026-03-28T06:30").exit_code == 0
    before = counts(golive)
    again = golive("runbook", "block", "dst-2026", "b", "--note", "Driver bestilt, ETA 09:00", "--at", "2026-03-28T07:00", "--as", "Kari", "--json")
    assert again.exit_code == 0, again.stderr
    data = again.json()
    assert data["changed"] is True and data["old_status"] == data["status"] == "blocked" and data["note"] == "Driver bestilt, ETA 09:00"
    assert counts(golive)["audit_log"] == before["audit_log"] + 1
    shown = golive("runbook", "show", "dst-2026", "--at", "2026-03-28T07:00", "--json").json()
    assert next(t for t in shown["tasks"] if t["key"] == "b")["note"] == "Driver bestilt, ETA 09:00"
    db = Database(load_settings(db_url))
    try:
        with db.session() as session:
            entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "runbook_task").order_by(AuditEntry.id.desc())).first()  # type: ignore[union-attr]
    finally:
        db.dispose()
    assert entry.actor == "Kari" and entry.changes["note"] == ["Skriver mangler", "Driver bestilt, ETA 09:00"]
    # the same note again, or no note, changes nothing
    for args in (("--note", "Driver bestilt, ETA 09:00"), ()):
        same = golive("runbook", "block", "dst-2026", "b", *args)
        assert same.exit_code == 0 and "Nothing changed: b is already blocked" in same.stderr
    people = golive("runbook", "block", "dst-2026", "b", "--note", "Driver installert på 3 av 5")
    assert people.exit_code == 0 and "note recorded" in people.stderr and "still blocked" in people.stderr


def test_refusals_read_as_sentences(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    assert_error(golive("runbook", "done", "dst-2026", "c", "--at", "2026-03-28T20:00"), "cannot be done before a is done or skipped", "--force --note")
    assert_error(golive("runbook", "skip", "dst-2026", "e"), "skipping it needs force with a note; use --force --note")


def test_a_mistyped_subcommand_is_never_steered_to_one_that_changes_data(golive):
    from rollout.cli.runbook import runbook_app
    from typer.main import get_command

    group = get_command(runbook_app)
    assert group.suggestions("stat") == ["status", "start"]  # a one-letter typo of start, so it is named too
    assert "start" in group.suggestions("strat") and "block" in group.suggestions("blok")
    for word in ("stats", "stauts", "statu", "state"):
        assert "start" not in group.suggestions(word) and "status" in group.suggestions(word), word
    assert group.suggestions("shwo") == ["show"]
    assert group.suggestions("crit") == []
    result = golive("runbook", "stauts", "x")
    assert result.exit_code == 2 and "start" not in result.stderr


def test_runbook_status_reads_like_show(db_url, golive, rollout_file):
    setup_plan(golive, rollout_file)
    before = counts(golive)
    status = golive("runbook", "status", "dst-2026", "--at", "2026-03-28T06:00", "--json")
    show = golive("runbook", "show", "dst-2026", "--at", "2026-03-28T06:00", "--json")
    assert status.exit_code == 0 and status.json() == show.json()
    assert counts(golive) == before
