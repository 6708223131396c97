"""Managing jobs and running them as of chosen instants: definitions checked at add, audit, misfires, DST, history."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLE, assert_error

PLAN = "trondheim-2022"


@pytest.fixture
def applied(db_url: str, golive, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    assert golive("apply", EXAMPLE).exit_code == 0
    monkeypatch.setenv("GOLIVE_NOW", "2026-03-29T12:00+02:00")
    return golive


def runs(golive, *args: str) -> list[dict]:  # noqa: ANN001
    result = golive("scheduler", "history", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()["runs"]


def test_add_list_pause_resume_remove_are_checked_and_audited(applied) -> None:  # noqa: ANN001
    golive = applied
    added = golive("scheduler", "add", "sweep", "--job", "sla-sweep", "--every", "5m", "--json")
    assert added.exit_code == 0, added.stderr
    assert added.json()["next_run"] == "2026-03-29T12:05+02:00"
    assert golive("scheduler", "add", "midnight", "--job", "roster-check", "--cron", "0 0 * * *",
                  "--param", f"plan={PLAN}", "--param", "hours=48", "--grace", "1h").exit_code == 0
    jobs = {j["name"]: j for j in golive("scheduler", "list", "--json").json()["jobs"]}
    # as of the program clock, in Oslo time: the Monday after the spring change is not skipped
    assert jobs["midnight"]["next_run"] == "2026-03-30T00:00+02:00"
    assert (jobs["midnight"]["params"], jobs["midnight"]["grace_minutes"]) == ({"plan": PLAN, "hours": "48"}, 60)
    assert golive("scheduler", "pause", "midnight").exit_code == 0
    assert golive("scheduler", "list", "--json").json()["jobs"][0]["next_run"] is None
    again = golive("scheduler", "pause", "midnight")
    assert "Nothing changed" in again.stderr
    assert golive("scheduler", "resume", "midnight").exit_code == 0
    assert golive("scheduler", "remove", "sweep").exit_code == 0
    assert [j["name"] for j in golive("scheduler", "list", "--json").json()["jobs"]] == ["midnight"]
    actions = [(e["action"], e["key"]) for e in golive("audit", "--table", "scheduled_job", "--json").json()]
    assert sorted(actions) == sorted([("create", "sweep"), ("create", "midnight"), ("update", "midnight"),
                                      ("update", "midnight"), ("delete", "sweep")])
    listed = golive("scheduler", "list")
    assert "midnight" in listed.stdout and "2026-03-30 00:00" in listed.stdout


@pytest.mark.parametrize(("args", "fragment"), [
    (["--job", "sla-swep", "--every", "5m"], "did you mean 'sla-sweep'"),
    (["--job", "sla-sweep", "--cron", "0 7 * *"], "needs 5 fields"),
    (["--job", "sla-sweep", "--cron", "61 7 * * *"], "minute 61 is out of range"),
    (["--job", "sla-sweep", "--every", "5m", "--param", "plan=x"], "takes no parameters"),
    (["--job", "roster-check", "--every", "5m"], "needs --param plan"),
    (["--job", "roster-check", "--every", "5m", "--param", "plna=x"], "did you mean 'plan'"),
    (["--job", "roster-check", "--every", "5m", "--param", "plan=trondheim"], "did you mean 'trondheim-2022'"),
    (["--job", "roster-check", "--every", "5m", "--param", f"plan={PLAN}", "--param", "hours=soon"], "not a whole number"),
    (["--job", "runbook-reminders", "--every", "5m", "--param", f"plan={PLAN}", "--param", "lead=soon"], "not like 2h"),
    (["--job", "sla-sweep", "--every", "5m", "--grace", "later"], "--grace"),
])
def test_bad_definitions_are_refused_at_add(applied, args: list[str], fragment: str) -> None:  # noqa: ANN001
    golive = applied
    assert_error(golive("scheduler", "add", "job", *args), fragment)
    assert golive("scheduler", "list", "--json").json()["jobs"] == []


def test_a_second_job_of_the_same_name_is_refused(applied) -> None:  # noqa: ANN001
    golive = applied
    assert golive("scheduler", "add", "sweep", "--job", "sla-sweep", "--every", "5m").exit_code == 0
    assert_error(golive("scheduler", "add", "sweep", "--job", "sla-sweep", "--every", "10m"), "exists already")
    assert_error(golive("scheduler", "pause", "swep"), "did you mean 'sweep'")


def test_after_downtime_a_job_catches_up_once_within_its_grace(applied, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    golive = applied
    assert golive("scheduler", "add", "sweep", "--job", "sla-sweep", "--every", "5m", "--grace", "15m").exit_code == 0
    assert golive("scheduler", "add", "morning", "--job", "sla-sweep", "--cron", "0 7 * * *", "--grace", "15m").exit_code == 0
    # down for two hours and a half: 29 sweeps missed; the latest runs once, the rest never
    monkeypatch.setenv("GOLIVE_NOW", "2026-03-29T14:32+02:00")
    assert golive("scheduler", "run", "--once").exit_code == 0
    assert [(r["job"], r["scheduled_for"], r["outcome"]) for r in runs(golive)] == [
        ("sweep", "2026-03-29T14:30+02:00", "ok")]
    assert "Nothing due" in golive("scheduler", "run", "--once").stderr
    # down over the 07:00 run and past its grace: recorded as missed, the next one is tomorrow's
    monkeypatch.setenv("GOLIVE_NOW", "2026-03-30T07:20+02:00")
    assert golive("scheduler", "run", "--once").exit_code == 0
    morning = runs(golive, "morning")
    assert [(r["scheduled_for"], r["outcome"]) for r in morning] == [("2026-03-30T07:00+02:00", "missed")]
    assert [r["job"] for r in runs(golive, "--failed")] == ["morning"]
    nxt = {j["name"]: j["next_run"] for j in golive("scheduler", "list", "--json").json()["jobs"]}
    assert nxt["morning"] == "2026-03-31T07:00+02:00"
    # within the grace it runs, late
    monkeypatch.setenv("GOLIVE_NOW", "2026-03-31T07:10+02:00")
    assert golive("scheduler", "run", "--once").exit_code == 0
    assert runs(golive, "morning")[0]["outcome"] == "ok"


def test_midnight_job_runs_on_the_monday_after_the_spring_change(applied, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    golive = applied
    assert golive("scheduler", "add", "midnight", "--job", "sla-sweep", "--cron", "0 0 * * *").exit_code == 0
    for instant in ("2026-03-29T23:59+02:00", "2026-03-30T00:01+02:00", "2026-03-30T00:05+02:00"):
        monkeypatch.setenv("GOLIVE_NOW", instant)
        assert golive("scheduler", "run", "--once").exit_code == 0
    assert [r["scheduled_for"] for r in runs(golive)] == ["2026-03-30T00:00+02:00"]


def test_one_failing_item_never_stops_the_rest(applied, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from rollout import registry
    from tests.rollout.scheduler.jobs_for_tests import FLAKY

    golive = applied
    real = registry.job_kinds
    monkeypatch.setattr(registry, "job_kinds", lambda: {**real(), "flaky": FLAKY})
    assert golive("scheduler", "add", "flaky", "--job", "flaky", "--every", "1h", "--param", "to=a@b.example").exit_code == 0
    result = golive("scheduler", "run-now", "flaky", "--json")
    assert result.exit_code == 0, result.stderr
    run = result.json()
    assert (run["outcome"], run["items"], run["notified"]) == ("partial", 5, 4)
    assert run["failures"] == [{"item": "item 3", "error": "item 3 is broken"}]
    subjects = sorted(n["subject"] for n in golive("notify", "list", "--json").json()["notifications"])
    assert subjects == ["item 1", "item 2", "item 4", "item 5"]  # item 3's own write was rolled back with it
    # run-now twice at the same instant is two runs, so two sets of messages (the key names the run)
    assert golive("scheduler", "run-now", "flaky").exit_code == 0
    assert len(golive("notify", "list", "--json").json()["notifications"]) == 8
    history = golive("scheduler", "history", "flaky")
    assert "item 3 is broken" in history.stderr and "partial" in history.stdout


def test_a_job_that_raises_is_recorded_failed(applied, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    golive = applied
    assert golive("scheduler", "add", "rc", "--job", "roster-check", "--every", "1h", "--param", f"plan={PLAN}").exit_code == 0
    assert golive("plan", "list").exit_code == 0
    # the plan is gone by the time the job runs: the run fails, with its reason, and the scheduler goes on
    from rollout.database import Database
    from rollout.scheduler.models import ScheduledJob
    from rollout.settings import load_settings
    from sqlmodel import select

    db = Database(load_settings(None))
    with db.session(write=True) as s:
        job = s.exec(select(ScheduledJob)).one()
        job.params = {"plan": "no-such-plan"}
        s.add(job)
    db.dispose()
    result = golive("scheduler", "run-now", "rc", "--json")
    assert result.exit_code == 1
    assert result.json()["outcome"] == "failed" and "no-such-plan" in result.json()["error"]


def test_half_past_two_runs_once_on_the_autumn_night_and_at_03_30_in_spring(applied, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    golive = applied
    monkeypatch.setenv("GOLIVE_NOW", "2026-03-28T12:00+01:00")
    assert golive("scheduler", "add", "night", "--job", "sla-sweep", "--cron", "30 2 * * *").exit_code == 0
    # spring: 02:30 never happens; at 03:10 summer time nothing is due yet, at 03:31 it runs
    for instant in ("2026-03-29T03:10+02:00", "2026-03-29T03:31+02:00"):
        monkeypatch.setenv("GOLIVE_NOW", instant)
        assert golive("scheduler", "run", "--once").exit_code == 0
    assert [r["scheduled_for"] for r in runs(golive)] == ["2026-03-29T03:30+02:00"]
    # autumn: the first 02:30 runs; the second (winter time) does not run it again
    for instant in ("2026-10-25T02:31+02:00", "2026-10-25T02:31+01:00", "2026-10-25T04:00+01:00"):
        monkeypatch.setenv("GOLIVE_NOW", instant)
        assert golive("scheduler", "run", "--once").exit_code == 0
    assert [r["scheduled_for"] for r in runs(golive)][0] == "2026-10-25T02:30+02:00"
    assert [r["outcome"] for r in runs(golive)][0] == "ok" and len(runs(golive)) == 2


def test_kinds_lists_every_declared_kind_with_its_parameters(golive) -> None:  # noqa: ANN001
    kinds = {k["name"]: k for k in golive("scheduler", "kinds", "--json").json()["kinds"]}
    assert {"sla-sweep", "runbook-reminders", "roster-check"} <= set(kinds)
    assert [(p["name"], p["required"]) for p in kinds["roster-check"]["params"]] == [("plan", True), ("hours", False)]


def test_a_clean_stop_releases_runs_claimed_but_not_started(applied, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from rollout.database import Database
    from rollout.scheduler.runner import run_due
    from rollout.settings import load_settings

    golive = applied
    for name in ("a-sweep", "b-sweep", "c-sweep"):
        assert golive("scheduler", "add", name, "--job", "sla-sweep", "--every", "5m").exit_code == 0
    monkeypatch.setenv("GOLIVE_NOW", "2026-03-29T12:06+02:00")
    db = Database(load_settings(None))
    done: list[str] = []
    try:  # SIGTERM arrives while a-sweep runs: b and c were claimed with it and never started
        run_due(db, stop=lambda: bool(done), after_each=lambda run: done.append(run.job))
    finally:
        db.dispose()
    assert done == ["a-sweep"]
    assert [(r["job"], r["outcome"]) for r in runs(golive)] == [("a-sweep", "ok")]  # nothing left "running"
    assert golive("scheduler", "run", "--once").exit_code == 0  # the next start runs them as first attempts
    assert sorted((r["job"], r["outcome"], r["attempt"], r["scheduled_for"]) for r in runs(golive)) == [
        ("a-sweep", "ok", 1, "2026-03-29T12:05+02:00"), ("b-sweep", "ok", 1, "2026-03-29T12:05+02:00"),
        ("c-sweep", "ok", 1, "2026-03-29T12:05+02:00")]


def test_history_of_an_unknown_job_is_refused_but_a_removed_jobs_runs_still_show(applied) -> None:  # noqa: ANN001
    golive = applied
    assert golive("scheduler", "add", "sweep", "--job", "sla-sweep", "--every", "5m").exit_code == 0
    assert "No runs of sweep" in golive("scheduler", "history", "sweep").stderr  # known, no runs yet
    assert_error(golive("scheduler", "history", "swep"), "no scheduled job 'swep'")
    assert "did you mean 'sweep'" in golive("scheduler", "history", "swep").stderr
    assert golive("scheduler", "run-now", "sweep").exit_code == 0
    assert golive("scheduler", "remove", "sweep").exit_code == 0
    assert [r["job"] for r in runs(golive, "sweep")] == ["sweep"]
    shown = golive("scheduler", "history")
    assert "messages" in shown.stdout and " sent " not in shown.stdout
