"""The queue: most urgent first, by group, empty, claims refused for someone else's ticket, stale claims released,
and many processes claiming at once never give a ticket to two agents (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from rollout.database import Database
from rollout.errors import GoliveError
from rollout.settings import load_settings
from support import events
from support.due import set_next
from support.models import Ticket, TicketEvent
from support.queue import claim, claim_next, queue_pick, release_stale_claims
from support.tickets import create_ticket
from tests.conftest import assert_error
from tests.support.queue_data import START, bulk_tickets, seed

AGENTS = 10
TICKETS = 1_200


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("GOLIVE_NOW", START.isoformat())  # creation events at the creation instant, before any claim
    database = Database(load_settings(db_url))
    seed(database)
    yield database
    database.dispose()


def new_ticket(db: Database, *, minutes: int = 0, impact: str = "medium", urgency: str = "medium",
               category: str = "other") -> int:
    with db.session(write=True) as s:
        return create_ticket(s, title="t", unit="trondheim/legevakt", category=category, impact=impact, urgency=urgency,
                             actor="reporter", created_at=START + timedelta(minutes=minutes)).ticket.id  # type: ignore[return-value]


def take(db: Database, agent: str = "kari", group: str | None = None) -> Ticket | None:
    with db.session(write=True) as s:
        return claim_next(s, agent=agent, group=group, at=START + timedelta(hours=1))


def test_most_urgent_first_then_priority_then_age_then_id(db: Database) -> None:
    p3 = new_ticket(db)  # response due 12:00
    p1 = new_ticket(db, minutes=30, impact="high", urgency="high")  # created later, response due 08:45: first
    p2 = new_ticket(db, impact="high", urgency="medium")  # response due 09:00
    triaged_p1 = new_ticket(db, impact="high", urgency="high")
    twin_a, twin_b = new_ticket(db, minutes=5), new_ticket(db, minutes=5)  # the same in everything but id
    later_p3 = new_ticket(db, minutes=1)
    with db.session(write=True) as s:
        t = s.get(Ticket, triaged_p1)
        assert t is not None
        t.status, t.responded_at = "triaged", START
        set_next(t)  # it faces its resolution (12:00, like p3's response): priority breaks the tie
        s.add(t)
        busy = s.get(Ticket, later_p3)
        assert busy is not None
        busy.assignee = "ola"  # held by someone: never offered
    order = []
    while (ticket := take(db)) is not None:
        order.append(ticket.id)
    assert order == [p1, p2, triaged_p1, p3, twin_a, twin_b]


def test_claim_moves_to_in_progress_records_the_response_and_writes_history(db: Database) -> None:
    ticket_id = new_ticket(db)
    ticket = take(db, agent="kari")
    assert ticket is not None and ticket.id == ticket_id
    at = START + timedelta(hours=1)
    assert (ticket.status, ticket.assignee, ticket.claimed_at, ticket.responded_at) == ("in_progress", "kari", at, at)
    assert ticket.next_due == ticket.resolution_due and ticket.next_risk_at == ticket.resolution_risk_at
    assert ticket.version == 2
    with db.session() as s:
        history = s.execute(select(TicketEvent.actor, TicketEvent.field, TicketEvent.old, TicketEvent.new)
                            .where(TicketEvent.ticket_id == ticket_id, TicketEvent.actor == "kari")).all()
    assert sorted(history) == [("kari", "assignee", None, "kari"), ("kari", "status", "new", "in_progress")]


def test_group_filter_takes_only_that_groups_tickets(db: Database) -> None:
    other = new_ticket(db, impact="high", urgency="high")  # supportsenter, and more urgent
    hemit = new_ticket(db, category="access", minutes=10)
    got = take(db, group="hemit")
    assert got is not None and (got.id, got.resolver_group) == (hemit, "hemit")
    assert take(db, group="hemit") is None
    assert take(db, group="supportsenter").id == other  # type: ignore[union-attr]


def test_empty_queue(db: Database, golive, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    assert take(db) is None
    result = golive("ticket", "next", "--as", "kari")
    assert (result.exit_code, result.stdout.strip()) == (0, "queue empty")
    result = golive("ticket", "next", "--json")
    assert (result.exit_code, result.json()) == (0, None)


def test_cli_next_claims_and_shows_the_ticket(db: Database, golive) -> None:  # noqa: ANN001
    ticket_id = new_ticket(db, category="access")
    result = golive("ticket", "next", "--group", "hemit", "--as", "kari", "--json")
    assert result.exit_code == 0, result.stderr
    body = result.json()
    assert (body["id"], body["status"], body["assignee"], body["group"]) == (ticket_id, "in_progress", "kari", "hemit")
    assert {"field": "assignee", "old": None, "new": "kari"}.items() <= body["history"][-1].items()


def test_cli_next_refuses_an_unknown_group_with_a_suggestion(db: Database, golive) -> None:  # noqa: ANN001
    new_ticket(db)
    assert_error(golive("ticket", "next", "--group", "hemt"), "unknown group 'hemt'", "did you mean 'hemit'")
    with db.session() as s:
        assert s.execute(select(func.count()).where(Ticket.assignee.is_not(None))).scalar_one() == 0  # type: ignore[union-attr]


def test_claiming_someone_elses_ticket_is_refused_naming_them(db: Database, golive) -> None:  # noqa: ANN001
    ticket_id = new_ticket(db)
    assert golive("ticket", "claim", ticket_id, "--as", "kari").exit_code == 0
    assert_error(golive("ticket", "claim", ticket_id, "--as", "ola"), f"ticket {ticket_id} is already claimed by kari")
    again = golive("ticket", "claim", ticket_id, "--as", "kari", "--json")  # one's own: nothing changes
    assert (again.exit_code, again.json()["assignee"], again.json()["version"]) == (0, "kari", 2)
    assert_error(golive("ticket", "claim", 999, "--as", "ola"), "no ticket 999")


def test_claim_refuses_closed_tickets_and_stale_versions(db: Database) -> None:
    closed, fresh = new_ticket(db), new_ticket(db)
    with db.session(write=True) as s:
        s.execute(update(Ticket).where(Ticket.id == closed).values(status="closed"))
        events.record(s, ticket_id=fresh, actor="ola", at=START, changes={"comment": (None, "looked at it")})
        s.execute(update(Ticket).where(Ticket.id == fresh).values(version=3))
    with db.session(write=True) as s, pytest.raises(GoliveError, match="is closed: only new, triaged, in_progress or waiting"):
        claim(s, ticket_id=closed, agent="kari")
    with db.session(write=True) as s, pytest.raises(GoliveError, match="changed by ola since version 1"):
        claim(s, ticket_id=fresh, agent="kari", expected_version=1)
    with db.session(write=True) as s:
        assert claim(s, ticket_id=fresh, agent="kari", expected_version=3).status == "in_progress"


def test_stale_untouched_claims_go_back_to_the_queue(db: Database) -> None:
    stale, touched, recent = new_ticket(db), new_ticket(db), new_ticket(db)
    with db.session(write=True) as s:
        for ticket_id, agent, minutes in ((stale, "kari", 0), (touched, "ola", 0), (recent, "per", 50)):
            claim(s, ticket_id=ticket_id, agent=agent, at=START + timedelta(minutes=minutes))
        events.record(s, ticket_id=touched, actor="ola", at=START + timedelta(minutes=5), changes={"comment": (None, "on it")})
    sweep_at = START + timedelta(minutes=60)
    with db.session(write=True) as s:
        assert release_stale_claims(s, now=sweep_at, timeout_minutes=30) == 1
    with db.session(write=True) as s:
        assert release_stale_claims(s, now=sweep_at, timeout_minutes=30) == 0  # idempotent
        rows = {t.id: (t.status, t.assignee) for t in s.execute(select(Ticket)).scalars()}
        released = s.execute(select(TicketEvent.field, TicketEvent.old, TicketEvent.new)
                             .where(TicketEvent.ticket_id == stale, TicketEvent.at == sweep_at)).all()
    assert rows == {stale: ("triaged", None), touched: ("in_progress", "ola"), recent: ("in_progress", "per")}
    assert sorted(released) == [("assignee", "kari", None), ("status", "in_progress", "triaged")]
    again = take(db, agent="siri")
    assert again is not None and again.id == stale and again.responded_at == START  # the first response stays


def test_the_queue_reads_the_partial_indexes_on_sqlite(tmp_path) -> None:  # noqa: ANN001
    database = Database(load_settings(str(tmp_path / "plan.sqlite")))
    database.upgrade()
    try:
        with database.session() as s:
            for group, index in ((False, "ix_ticket_queue"), (True, "ix_ticket_group_queue")):
                sql = queue_pick(dialect="sqlite", group=group)
                params = {"group": "hemit"} if group else {}
                plan = " ".join(str(r[-1]) for r in s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql.replace(':group', '?')}",
                                                                                   tuple(params.values())))
                assert f"USING INDEX {index}" in plan or f"USING COVERING INDEX {index}" in plan, plan
                assert "TEMP B-TREE" not in plan, plan  # no sort: the index is in queue order
    finally:
        database.dispose()


def claimer(url: str, agent: str, start: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue) -> None:
    """One agent process: its own Database, claiming until the queue is empty."""
    database = Database(load_settings(url))
    claimed = []
    start.wait()
    while True:
        with database.session(write=True) as s:
            ticket = claim_next(s, agent=agent)
        if ticket is None:
            break
        claimed.append(ticket.id)
    database.dispose()
    out.put((agent, claimed))


def test_many_processes_never_claim_a_ticket_twice(db: Database, db_url: str) -> None:
    org_id, unit_id = 1, 1
    with db.session(write=True) as s:
        bulk_tickets(s, count=TICKETS, organisation_id=org_id, unit_id=unit_id)
    db.dispose()
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(AGENTS), ctx.Queue()
    workers = [ctx.Process(target=claimer, args=(db_url, f"agent{i}", start, out)) for i in range(AGENTS)]
    for w in workers:
        w.start()
    results = dict(out.get(timeout=50) for _ in workers)
    for w in workers:
        w.join(timeout=10)
        assert w.exitcode == 0
    claims = Counter(tid for ids in results.values() for tid in ids)
    with db.session() as s:
        all_ids = set(s.execute(select(Ticket.id)).scalars())
        holders = {tid: who for tid, who in s.execute(select(Ticket.id, Ticket.assignee))}
        claim_events = Counter(s.execute(select(TicketEvent.ticket_id).where(TicketEvent.field == "assignee")).scalars())
    assert len(all_ids) == TICKETS
    assert set(claims) == all_ids and max(claims.values()) == 1  # every ticket exactly once
    assert all(holders[tid] == agent for agent, ids in results.items() for tid in ids)
    assert set(claim_events.values()) == {1}
    assert sum(1 for ids in results.values() if ids) > 1  # they really ran side by side
