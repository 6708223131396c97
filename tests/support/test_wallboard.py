"""The wallboard view: open per priority and group, breaching soon, past SLA, newest, patient safety first; now and as of a past moment."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from rollout.clock import parse_instant
from rollout.errors import InputError
from tests.conftest import EXAMPLE

TZ = "Europe/Oslo"
NOW = "2022-05-09T07:00"  # inside Trondheim's hypercare: the clock runs 24/7


def at(text: str) -> datetime:
    return parse_instant(text, TZ)


@pytest.fixture
def queue(db_url, golive, monkeypatch):  # noqa: ANN001, ANN201
    """Trondheim's queue on Monday 07:00, built ticket by ticket (P1 response is 15 min, P2 1 h)."""
    from rollout.database import Database
    from rollout.settings import load_settings
    from support import events
    from support.due import set_next
    from support.tickets import create_ticket

    monkeypatch.setenv("GOLIVE_NOW", "2022-05-09T07:00+02:00")
    assert golive("apply", EXAMPLE).exit_code == 0
    db = Database(load_settings(db_url))
    ids: dict[str, int] = {}
    with db.session(write=True) as s:
        def new(key: str, created: str, **kw: object) -> object:
            args = {"unit": "trondheim/legevakt", "category": "access", "impact": "high", "urgency": "high", **kw}
            t = create_ticket(s, title=key, actor="tester", created_at=at(created), **args).ticket  # type: ignore[arg-type]
            ids[key] = t.id  # type: ignore[assignment]
            return t

        new("overdue", "2022-05-09T06:40")  # P1, response due 06:55: past it
        new("at-risk", "2022-05-09T06:48")  # response due 07:03, at risk from 06:59:15
        new("fresh", "2022-05-09T06:58")  # response due 07:13, not at risk yet
        new("safety", "2022-05-09T05:00", category="medication", impact="low", urgency="low", patient_safety=True)  # P2, due 06:00
        done = new("done", "2022-05-09T06:30", category="printing", impact="medium", urgency="medium")
        done.status, done.responded_at, done.resolved_at = "resolved", at("2022-05-09T06:35"), at("2022-05-09T06:50")  # type: ignore[attr-defined]
        set_next(done)  # type: ignore[arg-type]
        events.record(s, ticket_id=done.id, actor="tester", at=at("2022-05-09T06:35"), changes={"status": ("new", "in_progress")})  # type: ignore[attr-defined]
        events.record(s, ticket_id=done.id, actor="tester", at=at("2022-05-09T06:50"), changes={"status": ("in_progress", "resolved")})  # type: ignore[attr-defined]
        paused = new("paused", "2022-05-08T20:00", category="printing", impact="medium", urgency="high")  # P2, resolution due 04:00
        paused.status, paused.waiting_on, paused.responded_at = "waiting", "reporter", at("2022-05-08T20:10")  # type: ignore[attr-defined]
        set_next(paused)  # type: ignore[arg-type]
        s.add_all([done, paused])  # type: ignore[list-item]
    yield db, ids
    db.dispose()


def test_the_board_now_counts_open_tickets_per_group_and_priority(queue) -> None:  # noqa: ANN001
    from support.wallboard import wallboard

    db, ids = queue
    with db.session() as s:
        board = wallboard(s, at=None)
    assert board.at == at(NOW)
    assert board.open_by_group["hemit"] == {"P1": 3}  # access goes to hemit
    assert board.open_by_group["supportsenter"] == {"P2": 2}
    assert board.open_by_priority == {"P1": 3, "P2": 2, "P3": 0, "P4": 0}
    assert board.open_total == 5  # the resolved one is gone
    assert board.groups[:2] == ["supportsenter", "superbrukere"]  # the settings' order, every group shown
    assert board.patient_safety_open == 1
    # past SLA: the patient-safety ticket first; the one waiting on the reporter is paused, not breaching
    assert [t.title for t in board.breached] == ["safety", "overdue"]
    assert board.breached_total == 2
    assert [t.title for t in board.breaching_soon] == ["at-risk"]
    assert [t.title for t in board.newest] == ["fresh", "at-risk", "overdue", "safety", "paused"]
    assert [t.title for t in board.patient_safety] == ["safety"]
    doc = board.as_json()
    assert doc["at"] == "2022-05-09T07:00+02:00" and doc["open"] == 5 and doc["breached_total"] == 2
    assert {"group": "hemit", "P1": 3, "P2": 0, "P3": 0, "P4": 0, "open": 3} in doc["open_by_group"]
    assert doc["breached"][1] == {
        "id": ids["overdue"], "priority": "P1", "status": "new", "group": "hemit", "assignee": None, "title": "overdue",
        "patient_safety": False, "unit": "trondheim/legevakt", "created_at": "2022-05-09T06:40+02:00",
        "due": "2022-05-09T06:55+02:00",
    }


def test_one_group_and_an_unknown_one(queue) -> None:  # noqa: ANN001
    from support.wallboard import wallboard

    db, _ids = queue
    with db.session() as s:
        board = wallboard(s, group="hemit")
        assert board.groups == ["hemit"] and board.open_total == 3
        assert [t.title for t in board.breached] == ["overdue"]
        with pytest.raises(InputError, match="unknown group 'hemmit'.*hemit"):
            wallboard(s, group="hemmit")


def test_a_past_moment_is_rebuilt_from_timestamps_and_history(queue) -> None:  # noqa: ANN001
    from support.wallboard import wallboard

    db, _ids = queue
    with db.session() as s:
        board = wallboard(s, at=at("2022-05-09T06:45"))
    # "done" was open then (in progress, resolved at 06:50); the tickets created after 06:45 did not exist
    assert sorted(t.title for t in board.newest) == ["done", "overdue", "paused", "safety"]
    done = next(t for t in board.newest if t.title == "done")
    assert done.status == "in_progress" and done.due == at("2022-05-09T06:30") + timedelta(days=3)  # P3: 3 days, 24/7
    assert board.open_by_priority == {"P1": 1, "P2": 2, "P3": 1, "P4": 0}
    # safety was past its response (06:00), paused its resolution (04:00; not known to be paused then); overdue not yet (06:55)
    assert [t.title for t in board.breached] == ["safety", "paused"]
    assert [t.title for t in board.breaching_soon] == []  # overdue's risk point is 06:51:15
    with db.session() as s:
        assert [t.title for t in wallboard(s, at=at("2022-05-09T06:52")).breaching_soon] == ["overdue"]
