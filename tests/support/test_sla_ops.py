"""SLA operations on both backends: breach marking at hand-worked instants, escalation, failure isolation, events,
idempotence, notifications, stale claims, and the open_p1_max gate criterion.

Trondheim's tickets in May 2022 fall in its go-live window (cutover 5 May 08:00 to
hypercare 3 June 24:00), so the clock runs 24/7: a P1 created 10:00 must be
answered by 10:15 and resolved by 14:00; a P2 by 11:00 and 18:00; a P3 answered by 14:00.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text, update

from rollout.database import Database
from rollout.notify import Notification
from rollout.settings import load_settings
from support import events
from support.models import Ticket, TicketEvent
from support.sla import sla_state, sweep
from support.tickets import create_ticket
from tests.conftest import EXAMPLE

CEST = timezone(timedelta(hours=2))
T0 = datetime(2022, 5, 7, 10, 0, tzinfo=CEST)

SUPPORT = """\
support:
  groups: [supportsenter, superbrukere, helseplattformen, hemit, norsk-helsenett]
  routing:
    - {category: access, group: hemit}
    - {category: configuration, group: helseplattformen}
  default_group: supportsenter
"""


def at(hh: int, mm: int = 0, day: int = 7) -> datetime:
    return datetime(2022, 5, day, hh, mm, tzinfo=CEST)


@pytest.fixture
def setup(db_url: str, golive, rollout_file, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """Apply the example rollout and a support section; returns a Database and a ticket maker at T0."""
    made: list[Database] = []

    def start(extra: str = "  escalation_group: helseplattformen\n  claim_timeout: 30m\n") -> Database:
        assert golive("apply", EXAMPLE).exit_code == 0
        result = golive("apply", rollout_file(SUPPORT + extra, name="support.yaml"))
        assert result.exit_code == 0, result.stderr
        db = Database(load_settings(db_url))
        made.append(db)
        return db

    monkeypatch.setenv("GOLIVE_NOW", T0.isoformat())
    yield start
    for db in made:
        db.dispose()


def new(db: Database, title: str, *, category: str = "access", impact: str = "high", urgency: str = "high",
        unit: str = "trondheim/legevakt", description: str = "Pasientdata: SECRET-HEALTH") -> int:
    with db.session(write=True) as s:
        return create_ticket(s, title=title, unit=unit, category=category, impact=impact, urgency=urgency,
                             description=description, actor="agent").ticket.id  # type: ignore[return-value]


def run_sweep(db: Database, when: datetime, actor: str = "vakt"):  # noqa: ANN201
    with db.session(write=True) as s:
        return sweep(s, now=when, actor=actor)


def tickets(db: Database) -> dict[int, Ticket]:
    with db.session() as s:
        return {t.id: t for t in s.execute(select(Ticket)).scalars()}


def sweep_events(db: Database, actor: str = "vakt") -> list[tuple[int, str, str | None, str | None]]:
    with db.session() as s:
        rows = s.execute(select(TicketEvent.ticket_id, TicketEvent.field, TicketEvent.old, TicketEvent.new)
                         .where(TicketEvent.actor == actor).order_by(TicketEvent.id)).all()
    return [tuple(r) for r in rows]


def notifications(db: Database) -> list[Notification]:
    with db.session() as s:
        return list(s.execute(select(Notification).order_by(Notification.id)).scalars())


def test_breaches_are_marked_at_the_hand_worked_instants(setup) -> None:  # noqa: ANN001
    db = setup()
    p1 = new(db, "Får ikke logget inn")
    p2 = new(db, "Etikettskriver stopper", category="printing", urgency="medium")
    p3 = new(db, "Hvordan bestille", category="training", impact="medium", urgency="medium")
    t = tickets(db)
    assert [t[i].priority for i in (p1, p2, p3)] == ["P1", "P2", "P3"]
    assert (t[p1].response_due, t[p1].resolution_due) == (at(10, 15), at(14))

    assert run_sweep(db, at(10, 14)).changed == 0
    first = run_sweep(db, at(10, 15))  # due is inclusive: at 10:15 the 15 minutes are gone
    assert (first.response_breached, first.resolution_breached, first.escalated) == (1, 0, 1)
    second = run_sweep(db, at(11))
    assert (second.response_breached, second.escalated) == (1, 1)  # the P2
    later = run_sweep(db, at(14))
    assert (later.response_breached, later.resolution_breached, later.escalated) == (1, 1, 0)  # P3 answer, P1 resolution
    t = tickets(db)
    assert (t[p1].response_breached, t[p1].resolution_breached, t[p1].escalated) == (True, True, True)
    assert (t[p2].response_breached, t[p2].resolution_breached) == (True, False)
    assert (t[p3].response_breached, t[p3].escalated) == (True, False)  # P3 is never escalated

    with db.session() as s:
        state = sla_state(s, at=at(14))
    assert [line.id for line in state.breached] == [p1, p2, p3]
    assert [line.clock for line in state.breached] == ["response", "response", "response"]
    assert state.breached[0].minutes_left == -225  # 10:15 → 14:00


def test_at_risk_is_from_75_percent_and_a_reporter_wait_pauses_resolution(setup) -> None:  # noqa: ANN001
    db = setup()
    p1 = new(db, "Får ikke logget inn")
    with db.session() as s:
        assert sla_state(s, at=at(10, 11)).at_risk == []
        risky = sla_state(s, at=at(10, 12))  # 75 % of 15 min is 11 min 15 s
        assert [line.id for line in risky.at_risk] == [p1] and risky.breached == []
    # answered at 10:05, then waiting on the reporter: past 14:00 the stored resolution due is paused, not breached
    with db.session(write=True) as s:
        s.execute(update(Ticket).where(Ticket.id == p1).values(
            status="waiting", waiting_on="reporter", responded_at=at(10, 5), next_due=at(14), next_risk_at=at(13, 5)))
    assert run_sweep(db, at(15)).changed == 0
    with db.session() as s:
        assert sla_state(s, at=at(15)).breached == []
    with db.session(write=True) as s:
        s.execute(update(Ticket).where(Ticket.id == p1).values(status="in_progress", waiting_on=None))
    assert run_sweep(db, at(15)).resolution_breached == 1


def test_escalation_goes_to_the_escalation_group_with_events(setup) -> None:  # noqa: ANN001
    db = setup()
    p1 = new(db, "Får ikke logget inn")
    result = run_sweep(db, at(10, 20))
    assert (result.response_breached, result.escalated) == (1, 1)
    t = tickets(db)[p1]
    assert (t.resolver_group, t.escalated, t.version) == ("helseplattformen", True, 3)  # one version per step that changed it
    assert sweep_events(db) == [(p1, "response_breached", "false", "true"), (p1, "escalated", "false", "true"),
                                (p1, "group", "hemit", "helseplattformen")]


def test_without_an_escalation_group_the_ticket_is_marked_and_stays(setup) -> None:  # noqa: ANN001
    db = setup(extra="")
    p1 = new(db, "Får ikke logget inn")
    p2 = new(db, "Etikettskriver stopper", category="printing", urgency="medium")
    result = run_sweep(db, at(11))
    assert result.escalated == 2
    t = tickets(db)
    assert [(t[i].resolver_group, t[i].escalated) for i in (p1, p2)] == [("hemit", True), ("supportsenter", True)]
    assert not [e for e in sweep_events(db) if e[1] == "group"]
    # hemit has a contact and gets its digest; supportsenter has none: counted, not written
    assert (result.notifications, result.escalations_without_contacts) == (1, 1)
    digest = notifications(db)[-1]
    assert (digest.kind, digest.recipient) == ("sla-escalation", "vakt@hemit.example")


def test_a_second_sweep_at_the_same_instant_changes_nothing(setup) -> None:  # noqa: ANN001
    db = setup()
    new(db, "Får ikke logget inn")
    new(db, "Etikettskriver stopper", category="printing", urgency="medium")
    assert run_sweep(db, at(14)).changed == 5
    with db.session() as s:
        before = (s.execute(select(func.count()).select_from(TicketEvent)).scalar(),
                  s.execute(select(func.count()).select_from(Notification)).scalar())
    again = run_sweep(db, at(14))
    assert (again.changed, again.notifications, again.failures) == (0, 0, [])
    with db.session() as s:
        after = (s.execute(select(func.count()).select_from(TicketEvent)).scalar(),
                 s.execute(select(func.count()).select_from(Notification)).scalar())
    assert after == before


def _refuse_updates_of(db: Database, ticket_id: int) -> None:
    """A real database failure for one ticket: a trigger that refuses to update it."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"CREATE TRIGGER refuse_one BEFORE UPDATE ON ticket WHEN OLD.id = {ticket_id} "
                              "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"))
        else:
            conn.execute(text("CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ "
                              "BEGIN RAISE EXCEPTION 'refused for the test'; END $$"))
            conn.execute(text(f"CREATE TRIGGER refuse_one BEFORE UPDATE ON ticket FOR EACH ROW "
                              f"WHEN (OLD.id = {ticket_id}) EXECUTE FUNCTION refuse_one()"))


def test_a_failing_ticket_does_not_stop_the_sweep(setup) -> None:  # noqa: ANN001
    db = setup()
    ids = [new(db, f"Får ikke logget inn {i}") for i in range(5)]
    p2 = new(db, "Etikettskriver stopper", category="printing", urgency="medium")
    _refuse_updates_of(db, ids[2])
    result = run_sweep(db, at(11))
    # the bad P1 fails its response step and is then not breached, so not escalated; everything else went on
    assert [(f.step, f.ticket_id) for f in result.failures] == [("response P1", ids[2])]
    assert "refused for the test" in result.failures[0].error
    assert (result.response_breached, result.escalated) == (5, 5)
    t = tickets(db)
    assert [t[i].response_breached for i in ids] == [True, True, False, True, True]
    assert t[p2].escalated is True
    assert ids[2] not in {e[0] for e in sweep_events(db)}  # no event for a change that did not happen


def test_stale_claims_go_back_to_the_queue(setup) -> None:  # noqa: ANN001
    db = setup()
    p3 = new(db, "Hvordan bestille", category="training", impact="medium", urgency="medium")
    fresh = new(db, "Hvordan skrive ut", category="training", impact="medium", urgency="medium")
    with db.session(write=True) as s:
        s.execute(update(Ticket).where(Ticket.id == p3).values(
            status="in_progress", assignee="kari", claimed_at=at(10), responded_at=at(10), updated_at=at(10)))
        s.execute(update(Ticket).where(Ticket.id == fresh).values(
            status="in_progress", assignee="ola", claimed_at=at(10), responded_at=at(10), updated_at=at(10, 20)))
        # as a claim writes them (support.queue), and ola's later comment: a touch
        from support import events

        events.record(s, ticket_id=p3, actor="kari", at=at(10), changes={"assignee": (None, "kari")})
        events.record(s, ticket_id=fresh, actor="ola", at=at(10), changes={"assignee": (None, "ola")})
        events.record(s, ticket_id=fresh, actor="ola", at=at(10, 20), changes={"comment": (None, "ser på det")})
    assert run_sweep(db, at(10, 29)).claims_released == 0
    assert run_sweep(db, at(10, 30)).claims_released == 1  # 30 minutes untouched
    t = tickets(db)
    assert (t[p3].status, t[p3].assignee, t[fresh].assignee) == ("triaged", None, "ola")
    assert (p3, "assignee", "kari", None) in sweep_events(db)


def test_notifications_for_a_new_p1_and_for_escalations(setup) -> None:  # noqa: ANN001
    db = setup()
    p1 = new(db, "Får ikke logget inn")
    new(db, "Etikettskriver stopper", category="printing", urgency="medium")  # P2: no notice when created
    notes = notifications(db)
    assert [(n.kind, n.recipient) for n in notes] == [("new-p1", "vakt@hemit.example")]
    assert f"#{p1}" in notes[0].subject and "10:15" in notes[0].body
    result = run_sweep(db, at(11))
    assert (result.escalated, result.notifications) == (2, 1)  # one digest for the group both went to
    digest = notifications(db)[-1]
    assert (digest.kind, digest.recipient) == ("sla-escalation", "supportsenter@helseplattformen.example")
    assert "2 tickets escalated to helseplattformen" in digest.subject
    assert all("SECRET-HEALTH" not in n.body + n.subject for n in notifications(db))  # descriptions never go out


def test_sla_commands(setup, golive) -> None:  # noqa: ANN001
    db = setup()
    p1 = new(db, "Får ikke logget inn")
    check = golive("sla", "check", "--at", "2022-05-07T10:12+02:00", "--json")
    assert check.exit_code == 0
    assert check.json()["counts"] == {"breached": 0, "at_risk": 1}
    swept = golive("sla", "sweep", "--at", "2022-05-07T10:15+02:00", "--as", "vakt", "--json")
    assert swept.exit_code == 0, swept.stderr
    assert (swept.json()["response_breached"], swept.json()["escalated"]) == (1, 1)
    assert {e[0] for e in sweep_events(db)} == {p1}
    again = golive("sla", "sweep", "--at", "2022-05-07T10:15+02:00", "--as", "vakt")
    assert again.exit_code == 0 and "Nothing changed" in again.stderr
    check = golive("sla", "check", "--at", "2022-05-07T10:15+02:00")
    assert check.exit_code == 0 and "Får ikke logget inn" in check.stdout and "1 breached" in check.stderr


# -- open_p1_max -----------------------------------------------------------------------


def _status_change(db: Database, ticket_id: int, when: datetime, new_status: str, **values: object) -> None:
    with db.session(write=True) as s:
        old = s.execute(select(Ticket.status).where(Ticket.id == ticket_id)).scalar_one()
        s.execute(update(Ticket).where(Ticket.id == ticket_id).values(status=new_status, **values))
        events.record(s, ticket_id=ticket_id, actor="agent", at=when, changes={"status": (old, new_status)})


def open_p1(golive: Callable, when: str) -> tuple[int, list[str]]:  # noqa: ANN001
    result = golive("gate", "check", "trondheim-2022", "go-no-go", "--at", when, "--json")
    got = next(c for c in result.json()["criteria"] if c["criterion"] == "open_p1_max")
    return got["value"], got["offenders"]


def test_open_p1_max_counts_the_tickets_open_at_the_instant(setup, golive, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    db = setup()
    assert open_p1(golive, "2022-05-07T09:00+02:00") == (0, [])  # no tickets: measured, and 0
    first = new(db, "Får ikke logget inn")  # 10:00
    monkeypatch.setenv("GOLIVE_NOW", at(10, 30).isoformat())
    second = new(db, "Kurve henger")
    new(db, "Får ikke logget inn", unit="stolav/akutt")  # another organisation
    monkeypatch.setenv("GOLIVE_NOW", at(11).isoformat())
    raised = new(db, "Treg", category="performance", impact="medium", urgency="medium")  # P3 at first
    with db.session(write=True) as s:
        s.execute(update(Ticket).where(Ticket.id == raised).values(priority="P1"))
        events.record(s, ticket_id=raised, actor="agent", at=at(11, 30), changes={"priority": ("P3", "P1")})
    _status_change(db, first, at(12), "resolved", resolved_at=at(12))
    _status_change(db, second, at(13), "merged", merged_into_id=first)
    _status_change(db, first, at(14), "in_progress", resolved_at=None)  # reopened

    assert open_p1(golive, "2022-05-07T09:59+02:00")[0] == 0
    value, offenders = open_p1(golive, "2022-05-07T10:00+02:00")
    assert (value, offenders) == (1, [f"#{first} P1 access: Får ikke logget inn (open 0 min)"])
    assert open_p1(golive, "2022-05-07T11:29+02:00")[0] == 2  # the raised one is still P3
    value, offenders = open_p1(golive, "2022-05-07T11:30+02:00")
    assert value == 3 and offenders[0] == f"#{first} P1 access: Får ikke logget inn (open 1 h)"  # oldest first
    assert open_p1(golive, "2022-05-07T12:00+02:00")[0] == 2  # first resolved at 12:00
    assert open_p1(golive, "2022-05-07T13:00+02:00")[0] == 1  # second merged at 13:00
    assert open_p1(golive, "2022-05-07T14:00+02:00")[0] == 2  # first reopened
    result = golive("gate", "check", "trondheim-2022", "go-no-go", "--at", "2022-05-07T14:00+02:00")
    assert "FAIL open_p1_max: 2 open P1 ticket(s), at most 0 allowed" in result.stdout
