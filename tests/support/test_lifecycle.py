"""The ticket lifecycle on both backends: each move and refusal, stale writes, SLA pauses and holds, priority changes, merging."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from support import lifecycle
from support.lifecycle import ALLOWED, StaleWrite, TransitionRefused, check_transition
from support.models import Ticket, TicketEvent, TicketWait
from tests.conftest import EXAMPLE, assert_error
from tests.support.lifecycle_desk import SUPPORT, at, new_ticket


@pytest.fixture
def desk(db_url, golive, rollout_file, monkeypatch) -> Iterator:  # noqa: ANN001
    """The example rollout with a support section; GOLIVE_NOW at T0 + 1 h."""
    from rollout.database import Database
    from rollout.settings import load_settings

    monkeypatch.setenv("GOLIVE_NOW", at(60).isoformat())
    assert golive("apply", EXAMPLE).exit_code == 0
    assert golive("apply", rollout_file(SUPPORT, "support.yaml")).exit_code == 0
    db = Database(load_settings(db_url))
    yield db
    db.dispose()


def make(desk, **kw) -> int:  # noqa: ANN001
    with desk.session(write=True) as s:
        return new_ticket(s, **kw)


def do(desk, move, ticket_id: int, **kw):  # noqa: ANN001, ANN201
    kw.setdefault("actor", "kari")
    with desk.session(write=True) as s:
        return getattr(lifecycle, move)(s, ticket_id, **kw).ticket


def load(desk, ticket_id: int) -> Ticket:  # noqa: ANN001
    with desk.session() as s:
        return s.get(Ticket, ticket_id)


def history(desk, ticket_id: int) -> list[tuple[str, str, str | None, str | None]]:  # noqa: ANN001
    with desk.session() as s:
        return [(e.actor, e.field, e.old, e.new) for e in s.execute(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)).scalars()]


def test_the_table_allows_claiming_and_names_the_allowed_moves() -> None:
    check_transition("new", "in_progress")  # the queue's claim
    check_transition("triaged", "in_progress")
    assert all(ALLOWED[s] == () for s in ("closed", "merged"))
    assert all("merged" in ALLOWED[s] for s in ("new", "triaged", "in_progress", "waiting"))
    with pytest.raises(TransitionRefused, match="from new to resolved; from new it may go to triaged, in_progress, merged"):
        check_transition("new", "resolved")
    with pytest.raises(TransitionRefused, match="merged is final"):
        check_transition("merged", "in_progress")


def test_a_ticket_through_its_whole_life(desk) -> None:  # noqa: ANN001
    tid = make(desk)
    t = do(desk, "triage", tid, at=at(5))
    assert (t.status, t.responded_at, t.version, t.next_due) == ("triaged", at(5), 2, t.resolution_due)
    do(desk, "assign", tid, assignee="ola", at=at(6))
    with desk.session(write=True) as s:  # the queue's claim is the next move; here by hand
        s.execute(Ticket.__table__.update().where(Ticket.__table__.c.id == tid).values(status="in_progress"))
    do(desk, "wait", tid, reason="Venter på skjermbilde", at=at(10))
    assert load(desk, tid).waiting_on == "reporter"
    do(desk, "resume", tid, at=at(20))
    t = do(desk, "resolve", tid, note="Driver installert", at=at(30))
    assert (t.status, t.resolved_at, t.resolution_breached) == ("resolved", at(30), False)
    t = do(desk, "close", tid, at=at(40))
    assert (t.status, t.closed_at, t.waiting_on, t.assignee) == ("closed", at(40), None, "ola")
    fields = [(f, old, new) for _, f, old, new in history(desk, tid)]
    assert ("status", "new", "triaged") in fields and ("assignee", None, "ola") in fields
    assert ("status", "waiting", "in_progress") in fields and ("status", "resolved", "closed") in fields
    assert ("resolution_note", None, "Driver installert") in fields and ("wait_reason", None, "Venter på skjermbilde") in fields
    assert load(desk, tid).version == 7  # one per move (the hand-made claim does not count)


@pytest.mark.parametrize(("path", "move", "kw", "says"), [
    ([], "resolve", {"note": "x"}, "from new to resolved; from new it may go to triaged, in_progress, merged"),
    ([], "wait", {"reason": "x"}, "from new to waiting"),
    ([], "close", {}, "from new to closed"),
    (["triage"], "resume", {}, "is triaged, not waiting: nothing to resume; from triaged it may go to in_progress, merged"),
    (["triage"], "reopen", {"reason": "x"}, "is triaged, not resolved: nothing to reopen"),
    (["triage", "merge"], "close", {}, "merged is final"),
    (["triage", "merge"], "triage", {}, "ticket {tid} is merged: only open tickets are triaged"),
    (["triage", "merge"], "assign", {"assignee": "ola"}, "only open tickets are assigned"),
    (["triage", "merge"], "comment", {"text": "x"}, "was merged into ticket {other}: comment there"),
    (["triage", "merge"], "escalate", {"reason": "x"}, "only open tickets are escalated"),
])
def test_moves_the_table_does_not_allow_are_refused_and_write_nothing(desk, path, move, kw, says) -> None:  # noqa: ANN001
    tid, other = make(desk), make(desk)
    for step in path:
        do(desk, step, tid, **({"into": other} if step == "merge" else {}))
    before = load(desk, tid).version, len(history(desk, tid))
    with pytest.raises(TransitionRefused, match=says.format(tid=tid, other=other)):
        do(desk, move, tid, **kw)
    assert (load(desk, tid).version, len(history(desk, tid))) == before


def test_reopen_within_seven_days_of_the_resolution_and_not_after(desk) -> None:  # noqa: ANN001
    tid = make(desk)
    do(desk, "triage", tid, at=at(1))
    with desk.session(write=True) as s:
        s.execute(Ticket.__table__.update().where(Ticket.__table__.c.id == tid).values(status="in_progress"))
    do(desk, "resolve", tid, note="ok", at=at(2))
    t = do(desk, "reopen", tid, reason="Kom tilbake", at=at(2) + timedelta(days=7))
    assert (t.status, t.resolved_at) == ("in_progress", None)
    do(desk, "resolve", tid, note="ok igjen", at=at(3) + timedelta(days=7))
    with pytest.raises(TransitionRefused, match="more than 7 days ago: it can no longer be reopened"):
        do(desk, "reopen", tid, reason="igjen", at=at(4) + timedelta(days=14))


def test_triage_routes_again_prioritises_and_keeps_patient_safety_at_p2(desk) -> None:  # noqa: ANN001
    tid = make(desk, impact="low", urgency="low")
    t = do(desk, "triage", tid, category="access", at=at(1))
    assert (t.resolver_group, t.category, t.priority) == ("hemit", "access", "P4")
    t = do(desk, "triage", tid, group="superbrukere", patient_safety=True, deviation="AVVIK-17", at=at(2))
    assert (t.resolver_group, t.priority, t.patient_safety, t.deviation_id, t.status) == (
        "superbrukere", "P2", True, "AVVIK-17", "triaged")
    with pytest.raises(Exception, match="at least P2, not P3"):
        do(desk, "triage", tid, priority="P3")
    with pytest.raises(Exception, match="unknown group 'hemitt'.*hemit"):
        do(desk, "triage", tid, group="hemitt")
    t = do(desk, "triage", tid, priority="P1", at=at(3))
    assert (t.priority, t.priority_override) == ("P1", True)
    t = do(desk, "triage", tid, impact="high", urgency="medium", patient_safety=False, at=at(4))
    assert (t.priority, t.priority_override, t.deviation_id, t.resolver_group) == ("P2", False, None, "hemit")
    assert ("priority_override", "true", "false") in [(f, o, n) for _, f, o, n in history(desk, tid)]


def test_a_priority_raised_after_thirty_minutes_has_already_breached_its_response(desk) -> None:  # noqa: ANN001
    tid = make(desk)  # P3: response 4 h, resolution 3 days
    assert load(desk, tid).response_due == at(240)
    t = do(desk, "triage", tid, priority="P1", at=at(30))
    assert (t.response_due, t.resolution_due, t.response_breached, t.resolution_breached) == (at(15), at(240), True, False)
    assert (t.responded_at, t.next_due, t.next_risk_at) == (at(30), at(240), at(180))
    fields = {f: (o, n) for _, f, o, n in history(desk, tid)}
    assert fields["priority"] == ("P3", "P1") and fields["response_breached"] == ("false", "true")
    # and lowered again, the same time counts against the gentler targets
    t = do(desk, "triage", tid, priority="P3", at=at(31))
    assert (t.response_due, t.response_breached) == (at(240), False)


def test_a_reporter_pause_moves_the_resolution_due_and_a_partner_wait_does_not(desk, golive) -> None:  # noqa: ANN001
    tid = make(desk, impact="high", urgency="medium")  # P2: resolution 8 h
    do(desk, "triage", tid, at=at(5))
    with desk.session(write=True) as s:
        s.execute(Ticket.__table__.update().where(Ticket.__table__.c.id == tid).values(status="in_progress"))
    assert load(desk, tid).resolution_due == at(480)
    do(desk, "wait", tid, reason="Venter på brukeren", on="reporter", at=at(60))
    t = do(desk, "resume", tid, at=at(180))
    assert (t.resolution_due, t.next_due, t.waiting_on) == (at(600), at(600), None)
    do(desk, "wait", tid, reason="Venter på Hemit", on="partner", at=at(200))
    assert load(desk, tid).waiting_on == "partner"
    t = do(desk, "resume", tid, at=at(245))
    assert t.resolution_due == at(600)  # the partner's time is not a pause
    do(desk, "wait", tid, reason="Venter på endring CHG-9", on="change", at=at(250))
    shown = golive("ticket", "show", tid, "--json", "--at", at(270).isoformat())
    assert shown.exit_code == 0, shown.stderr
    assert shown.json()["held_minutes"] == {"reporter": 120, "partner": 45, "change": 20}
    with desk.session() as s:
        waits = s.execute(select(TicketWait.on, TicketWait.ended_at).where(TicketWait.ticket_id == tid)
                          .order_by(TicketWait.id)).all()
    assert [tuple(w) for w in waits] == [("reporter", at(180)), ("partner", at(245)), ("change", None)]


def test_a_stale_write_is_refused_naming_who_changed_the_ticket(desk) -> None:  # noqa: ANN001
    tid = make(desk)
    with desk.session() as first:
        seen = first.get(Ticket, tid).version  # agent 1 reads the ticket
    do(desk, "assign", tid, assignee="per", actor="per", at=at(7))  # agent 2 writes first
    with pytest.raises(StaleWrite, match=rf"ticket {tid} was changed by per at 2022-05-09 10:07; reload and try again"):
        do(desk, "triage", tid, priority="P1", expected_version=seen, actor="kari")
    t = load(desk, tid)
    assert (t.priority, t.assignee, t.version) == ("P3", "per", seen + 1)
    t = do(desk, "triage", tid, priority="P1", expected_version=seen + 1)
    assert (t.priority, t.assignee) == ("P1", "per")


def test_two_agents_at_once_lose_no_update(desk) -> None:  # noqa: ANN001
    tid = make(desk)
    errors: list[BaseException] = []

    def agent(name: str, move: str, kw: dict) -> None:
        try:
            do(desk, move, tid, actor=name, **kw)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=agent, args=("per", "assign", {"assignee": "per"})),
               threading.Thread(target=agent, args=("kari", "triage", {"priority": "P2"}))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    t = load(desk, tid)
    assert (t.assignee, t.priority, t.version) == ("per", "P2", 3)


def test_merge_moves_comments_stops_the_clocks_and_refuses_chains_cycles_and_closed_targets(desk) -> None:  # noqa: ANN001
    a, b, c, d = (make(desk) for _ in range(4))
    do(desk, "comment", a, text="Skjer på alle PC-er i 3. etasje", actor="ola", at=at(1))
    do(desk, "triage", a, at=at(2))
    with desk.session(write=True) as s:
        s.execute(Ticket.__table__.update().where(Ticket.__table__.c.id == a).values(status="in_progress"))
    do(desk, "wait", a, reason="Venter på leverandør", on="partner", at=at(3))
    with pytest.raises(Exception, match="cannot be merged into itself"):
        do(desk, "merge", a, into=a)
    target_version = load(desk, b).version
    t = do(desk, "merge", a, into=b, at=at(10))
    assert (t.status, t.merged_into_id, t.waiting_on) == ("merged", b, None)
    with desk.session() as s:
        assert s.execute(select(TicketWait.ended_at).where(TicketWait.ticket_id == a)).scalar_one() == at(10)
    moved = [(who, f, new) for who, f, _, new in history(desk, b) if f in ("comment", "merged_from")]
    assert moved == [("kari", "comment", f"[from ticket {a}, ola] Skjer på alle PC-er i 3. etasje"),
                     ("kari", "merged_from", str(a))]
    assert load(desk, b).version == target_version + 1
    with pytest.raises(TransitionRefused, match=f"ticket {a} was itself merged into ticket {b}.*no chains"):
        do(desk, "merge", c, into=a)
    with pytest.raises(TransitionRefused, match="cannot go from merged to merged"):
        do(desk, "merge", a, into=c)  # and so no cycle either
    with pytest.raises(TransitionRefused, match=f"tickets {a} were merged into ticket {b}: merge ticket {c} into ticket {b}"):
        do(desk, "merge", b, into=c)
    do(desk, "triage", d)
    with desk.session(write=True) as s:
        s.execute(Ticket.__table__.update().where(Ticket.__table__.c.id == d).values(status="resolved"))
    do(desk, "close", d)
    with pytest.raises(TransitionRefused, match=f"ticket {d} is closed"):
        do(desk, "merge", c, into=d)
    with pytest.raises(Exception, match="no ticket 99"):
        do(desk, "merge", c, into=99)


def test_escalate_goes_to_the_escalation_group_or_a_named_one(desk) -> None:  # noqa: ANN001
    tid = make(desk, category="access")
    assert load(desk, tid).resolver_group == "hemit"
    t = do(desk, "escalate", tid, reason="Hele legevakten", at=at(1))
    assert (t.resolver_group, t.escalated, t.status) == ("supportsenter", True, "new")
    t = do(desk, "escalate", tid, reason="Trenger EPJ-konfigurasjon", group="helseplattformen", at=at(2))
    assert t.resolver_group == "helseplattformen"
    assert ("escalation_reason", None, "Hele legevakten") in [(f, o, n) for _, f, o, n in history(desk, tid)]


def test_the_commands_print_the_ticket_mask_identity_numbers_and_refuse_in_one_line(desk, golive) -> None:  # noqa: ANN001
    tid = make(desk)
    r = golive("ticket", "triage", tid, "--category", "access", "--impact", "high", "--urgency", "high", "--as", "kari")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == f"Ticket {tid} triaged: triaged, P1, group hemit, assignee —, resolution due 2022-05-09 14:00 (version 2)"
    r = golive("ticket", "comment", tid, "--text", "-", "--json", input="Pasient 010100 12356 får ikke logget inn")
    assert r.exit_code == 0, r.stderr
    assert "Removed 1 national identity number" in r.stderr
    assert (r.json()["id"], r.json()["version"], r.json()["group"]) == (tid, 3, "hemit")
    assert history(desk, tid)[-1][1:] == ("comment", None, "Pasient [fnr fjernet] får ikke logget inn")
    assert_error(golive("ticket", "resolve", tid, "--note", "x"), "from triaged to resolved", "in_progress, merged")
    assert_error(golive("ticket", "assign", tid, "--to", "ola", "--version", "2"),
                 f"ticket {tid} was changed by tester at 2022-05-09 11:00; reload and try again")
    assert_error(golive("ticket", "wait", tid, "--reason", "x", "--on", "vendor"), "unknown party to wait on 'vendor'")
    assert_error(golive("ticket", "close", 99), "no ticket 99")
    assert_error(golive("ticket", "comment", tid), "--text", code=2)
    assert load(desk, tid).version == 3


def test_raising_a_ticket_to_p1_at_triage_notifies_its_group(db_url, golive, tmp_path) -> None:  # noqa: ANN001
    """P1 tickets write notifications for the group's contacts whether they start as P1 or become one."""
    from rollout.database import Database
    from rollout.notify import Notification
    from rollout.settings import load_settings
    from sqlmodel import select
    from tests.conftest import EXAMPLE

    assert golive("apply", EXAMPLE).exit_code == 0
    made = golive("ticket", "new", "--title", "Timebok vises ikke", "--unit", "trondheim/legevakt", "--category", "access",
                  "--impact", "low", "--urgency", "low", "--description", "x", "--json").json()
    assert made["priority"] == "P4"
    raised = golive("ticket", "triage", str(made["id"]), "--impact", "high", "--urgency", "high", "--json")
    assert raised.exit_code == 0, raised.stderr
    db = Database(load_settings(db_url))
    with db.session() as s:
        kinds = [(n.kind, n.subject) for n in s.execute(select(Notification)).scalars()]
    db.dispose()
    assert len(kinds) == 1 and kinds[0][0] == "new-p1" and f"#{made['id']}" in kinds[0][1]
