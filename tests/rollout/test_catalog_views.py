"""The library views behind `org`, `unit`, `plan` and `runbook show`, called directly as reports will call them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.rollout.runbooks.helpers import setup_plan


@pytest.fixture
def session(db_url):  # noqa: ANN001, ANN201
    from rollout.database import Database
    from rollout.settings import load_settings

    db = Database(load_settings(db_url))
    try:
        with db.session() as s:
            yield s
    finally:
        db.dispose()


def test_views_give_the_json_the_cli_prints(db_url, golive, rollout_file, session):  # noqa: ANN001
    from rollout.catalog import organisation_rows, organisation_view, plan_detail, plan_rows, unit_views

    setup_plan(golive, rollout_file)
    assert [r.as_json() for r in organisation_rows(session)] == golive("org", "list", "--json").json()
    assert organisation_view(session, key="testkommune").as_json() == golive("org", "show", "testkommune", "--json").json()
    units = unit_views(session, organisation="testkommune")
    assert [u.key for u in units] == ["testkommune/helsehus"] and [u.as_json() for u in units] == golive("unit", "list", "--org", "testkommune", "--json").json()
    assert [r.as_json() for r in plan_rows(session)] == golive("plan", "list", "--json").json()
    at = datetime(2026, 3, 28, 12, tzinfo=timezone.utc)
    detail = plan_detail(session, plan="dst-2026", at=at).as_json()
    assert detail == golive("plan", "show", "dst-2026", "--at", "2026-03-28T13:00", "--json").json()
    assert detail["as_of"] == "2026-03-28T13:00+01:00" and detail["gates"][0]["due"] == "2026-03-29T04:00+02:00"


def test_runbook_view_narrows_by_stream_and_lateness(db_url, golive, rollout_file, session):  # noqa: ANN001
    from rollout.errors import NotFound
    from rollout.plans import get_plan
    from rollout.runbooks.view import runbook_view

    setup_plan(golive, rollout_file)
    plan = get_plan(session, "dst-2026")
    view = runbook_view(session, plan=plan, at=datetime(2026, 3, 28, 6, tzinfo=timezone.utc))
    teknisk = view.only(stream="Teknisk")
    assert {t.stream for t in teknisk.tasks} == {"Teknisk"} and [s.name for s in teknisk.streams] == ["Teknisk"]
    assert all(t.late for t in view.only(late=True).tasks) and view.only(late=True).tasks
    assert teknisk.as_json()["critical_path"] == view.critical_path  # the totals stay the runbook's
    with pytest.raises(NotFound, match="did you mean 'Teknisk'"):
        view.only(stream="Teknsik")
    assert view.as_json() == golive("runbook", "show", "dst-2026", "--at", "2026-03-28T07:00", "--json").json()
    assert view.critical_path_json() == golive("runbook", "critical-path", "dst-2026", "--at", "2026-03-28T07:00", "--json").json()


def test_playbook_fallback_lives_in_the_library(db_url, golive, rollout_file, session):  # noqa: ANN001
    from rollout.plans import get_plan
    from rollout.runbooks.load import NoPlaybook, playbook_for

    setup_plan(golive, rollout_file)
    plan = get_plan(session, "dst-2026")
    assert playbook_for(plan).name == "dst-test"  # the plan's own
    plan.playbook = None
    with pytest.raises(NoPlaybook, match="names no playbook") as exc:
        playbook_for(plan)
    assert "--" not in str(exc.value)  # the library does not speak of CLI flags


def test_one_time_style_for_people_and_one_for_json():
    from rollout.clock import iso
    from rollout.formats import when

    spring = datetime(2026, 3, 29, 4, 0, 37, 123456, tzinfo=timezone.utc)
    assert when(spring, "Europe/Oslo") == "2026-03-29 06:00" and iso(spring, "Europe/Oslo") == "2026-03-29T06:00+02:00"
    # 02:30 happens twice on 25 October 2026: only then is the offset written for people
    assert when(datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc), "Europe/Oslo") == "2026-10-25 02:30 +02:00"
    assert when(datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc), "Europe/Oslo") == "2026-10-25 02:30 +01:00"
    assert when(None, "Europe/Oslo") == "—"


def test_decided_at_is_written_to_the_minute(db_url, golive, rollout_file, monkeypatch):  # noqa: ANN001
    setup_plan(golive, rollout_file)
    monkeypatch.setenv("GOLIVE_NOW", "2026-03-29T03:41:27.123456+02:00")
    result = golive("gate", "decide", "dst-2026", "final", "--no-go", "--by", "Kari", "--note", "Vent", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["decided_at"] == "2026-03-29T03:41+02:00"


def test_a_decision_recorded_afterwards_keeps_the_time_it_was_taken(db_url, golive, rollout_file, monkeypatch):  # noqa: ANN001
    setup_plan(golive, rollout_file)
    monkeypatch.setenv("GOLIVE_NOW", "2026-04-02T09:00+02:00")
    result = golive("gate", "decide", "dst-2026", "final", "--no-go", "--by", "Kari", "--note", "Vent", "--at", "2026-03-29T03:00",
                    "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["decided_at"] == "2026-03-29T03:00+02:00"
    history = golive("gate", "history", "dst-2026", "--json").json()
    assert [d["decided_at"] for d in history["decisions"]] == ["2026-03-29T03:00+02:00"]
    # the audit log says when it was written
    assert golive("audit", "--table", "gate_decision", "--json").json()[0]["at"] == "2026-04-02T09:00+02:00"
