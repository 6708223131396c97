"""The queue: take the most urgent unassigned ticket atomically (`ticket next`), claim a given one, release stale claims.

No ticket ever goes to two agents. The claim is one conditional UPDATE whose
target is picked by a subquery in the queue's index order. SQLite runs it under
the write lock the writing session takes up front (BEGIN IMMEDIATE), then moves
the ticket on and writes its events in the same transaction. PostgreSQL locks
the pick with FOR UPDATE SKIP LOCKED, so concurrent agents take different
tickets instead of waiting on each other, and does the whole claim, events
included, in that one statement.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, TextClause, and_, bindparam, exists, func, insert, or_, select, text, update
from sqlmodel import Session

from rollout.clock import now
from rollout.coltypes import UTCDateTime
from rollout.errors import GoliveError
from support import events
from support.due import set_next
from support.models import CLAIMABLE, OPEN_STATUSES, Ticket, TicketEvent
from support.tickets import get_ticket

# Written exactly as the partial indexes ix_ticket_queue / ix_ticket_group_queue say it (as literals, not bound
# parameters), so both planners can prove the index covers the query.
QUEUE_WHERE = "assignee IS NULL AND status IN ('new', 'triaged')"
QUEUE_ORDER = "next_due, priority, created_at, id"
RELEASE_ACTOR = "sla sweep"


def queue_pick(*, dialect: str, group: bool) -> str:
    """SQL for the most urgent claimable ticket's id: the deadline it faces, then priority, then age (the index's order).

    SQLite is told the index (a planner without statistics prefers the assignee index and sorts); PostgreSQL
    skips rows other agents are claiming right now instead of waiting for them.
    """
    index = "ix_ticket_group_queue" if group else "ix_ticket_queue"
    hint = f" INDEXED BY {index}" if dialect == "sqlite" else ""
    where = QUEUE_WHERE + (" AND resolver_group = :group" if group else "")
    lock = " FOR UPDATE SKIP LOCKED" if dialect == "postgresql" else ""
    return f"SELECT id FROM ticket{hint} WHERE {where} ORDER BY {QUEUE_ORDER} LIMIT 1{lock}"


@cache
def claim_statement(*, dialect: str, group: bool) -> TextClause:
    """One statement takes the ticket: it names the pick and repeats its condition, so it cannot take a claimed one."""
    return text(
        f"UPDATE ticket SET assignee = :agent, claimed_at = :at WHERE id = ({queue_pick(dialect=dialect, group=group)}) "
        f"AND {QUEUE_WHERE} RETURNING id, status"
    ).bindparams(bindparam("at", type_=UTCDateTime()))


# PostgreSQL does the whole claim in one round trip: pick and lock, move the ticket on, write both events.
# `next_due` is set_next's answer for a ticket that has responded: its resolution (tests hold the two paths equal).
_PG_CLAIM = """
WITH pick AS ({pick}),
claimed AS (
  UPDATE ticket SET assignee = :agent, claimed_at = :at, status = 'in_progress', updated_at = :at,
    responded_at = COALESCE(ticket.responded_at, :at), next_due = ticket.resolution_due,
    next_risk_at = ticket.resolution_risk_at, version = ticket.version + 1
  FROM pick WHERE ticket.id = pick.id AND ticket.{cond}
  RETURNING ticket.*, pick.status AS old_status),
history AS (
  INSERT INTO ticket_event (ticket_id, at, actor, field, old, new)
  SELECT id, :at, :agent, 'status', old_status, 'in_progress' FROM claimed
  UNION ALL SELECT id, :at, :agent, 'assignee', NULL, :agent FROM claimed)
SELECT {columns} FROM claimed
"""


@cache
def postgres_claim_statement(*, group: bool) -> Select:  # type: ignore[type-arg]
    """Built once per process: compiling it is most of a claim's own time."""
    pick = queue_pick(dialect="postgresql", group=group).replace("SELECT id ", "SELECT id, status ", 1)
    columns = ", ".join(c.name for c in Ticket.__table__.columns)  # type: ignore[attr-defined]
    sql = _PG_CLAIM.format(pick=pick, cond=QUEUE_WHERE.replace(" AND ", " AND ticket."), columns=columns)
    stmt = text(sql).bindparams(bindparam("at", type_=UTCDateTime())).columns(*Ticket.__table__.columns)  # type: ignore[attr-defined]
    return select(Ticket).from_statement(stmt)


def claim_next(session: Session, *, agent: str, group: str | None = None, at: datetime | None = None) -> Ticket | None:
    """Claim the most urgent unassigned new or triaged ticket (of `group`) for `agent`; None when the queue is empty."""
    when = at or now()
    params: dict[str, object] = {"agent": agent, "at": when}
    if group is not None:
        from support.config import support_config
        from support.tickets import choose

        params["group"] = choose(group, support_config(session).groups, "group")
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = postgres_claim_statement(group=group is not None)
        return session.execute(stmt, params, execution_options={"populate_existing": True}).scalars().first()
    row = session.execute(claim_statement(dialect=dialect, group=group is not None), params).first()
    if row is None:
        return None
    return _finish_claim(session, ticket_id=row[0], old_status=row[1], agent=agent, at=when)


# SQLite, once the pick is ours: the rest of the claim, the ticket read back from RETURNING (set_next as on PostgreSQL).
_SQLITE_FINISH = """
UPDATE ticket SET status = 'in_progress', updated_at = :at, responded_at = COALESCE(responded_at, :at),
  next_due = resolution_due, next_risk_at = resolution_risk_at, version = version + 1
WHERE id = :id RETURNING {columns}
"""


@cache
def sqlite_finish_statement() -> Select:  # type: ignore[type-arg]
    columns = ", ".join(c.name for c in Ticket.__table__.columns)  # type: ignore[attr-defined]
    stmt = text(_SQLITE_FINISH.format(columns=columns)).bindparams(bindparam("at", type_=UTCDateTime()))
    return select(Ticket).from_statement(stmt.columns(*Ticket.__table__.columns))  # type: ignore[attr-defined]


def _finish_claim(session: Session, *, ticket_id: int, old_status: str, agent: str, at: datetime) -> Ticket:
    """The claimed row is ours (assignee set under the write lock): move it on and write its history."""
    ticket = session.execute(sqlite_finish_statement(), {"id": ticket_id, "at": at},
                             execution_options={"populate_existing": True}).scalars().one()
    events.record(session, ticket_id=ticket_id, actor=agent, at=at,
                  changes={"status": (old_status, ticket.status), "assignee": (None, agent)})
    return ticket


def _take(ticket: Ticket, *, agent: str, at: datetime) -> None:
    """A claimed new or triaged ticket is in progress; leaving `new` is the response, so it now faces resolution."""
    ticket.assignee = agent
    ticket.claimed_at = at
    if ticket.status in CLAIMABLE:
        ticket.status = "in_progress"
    if ticket.responded_at is None:
        ticket.responded_at = at
    set_next(ticket)
    ticket.updated_at = at
    ticket.version += 1


def last_changed_by(session: Session, ticket_id: int) -> str | None:
    return session.execute(
        select(TicketEvent.actor).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id.desc()).limit(1)  # type: ignore[union-attr]
    ).scalar_one_or_none()


def claim(session: Session, *, ticket_id: int, agent: str, expected_version: int | None = None,
          at: datetime | None = None) -> Ticket:
    """Claim one ticket for `agent`: refused when someone else holds it, or when it is no longer open.

    Claiming a ticket the agent already holds changes nothing (no event, same version).
    """
    ticket = get_ticket(session, ticket_id, for_update=True)
    if expected_version is not None and ticket.version != expected_version:
        who = last_changed_by(session, ticket_id) or "someone"
        raise GoliveError(f"ticket {ticket_id} was changed by {who} since version {expected_version} "
                          f"(it is at version {ticket.version}); look at it again and retry")
    if ticket.status not in OPEN_STATUSES:
        raise GoliveError(f"ticket {ticket_id} is {ticket.status}: only {', '.join(OPEN_STATUSES[:-1])} "
                          f"or {OPEN_STATUSES[-1]} tickets can be claimed")
    if ticket.assignee is not None and ticket.assignee != agent:
        raise GoliveError(f"ticket {ticket_id} is already claimed by {ticket.assignee}")
    if ticket.assignee == agent and ticket.status not in CLAIMABLE:
        return ticket
    when = at or now()
    old_status, old_assignee = ticket.status, ticket.assignee
    # Conditional, like claim_next: a concurrent claim that got there first leaves this UPDATE without a row.
    won = session.execute(
        update(Ticket).where(Ticket.id == ticket_id, Ticket.version == ticket.version,
                             or_(Ticket.assignee.is_(None), Ticket.assignee == agent))  # type: ignore[union-attr]
        .values(assignee=agent, claimed_at=when).returning(Ticket.id)
    ).first()
    if won is None:
        session.refresh(ticket)
        raise GoliveError(f"ticket {ticket_id} was just claimed by {ticket.assignee or last_changed_by(session, ticket_id)}")
    session.refresh(ticket)
    _take(ticket, agent=agent, at=when)
    session.add(ticket)
    session.flush()
    events.record(session, ticket_id=ticket_id, actor=agent, at=when,
                  changes={"status": (old_status, ticket.status), "assignee": (old_assignee, agent)})
    return ticket


def release_stale_claims(session: Session, *, now: datetime, timeout_minutes: int, actor: str = RELEASE_ACTOR) -> int:
    """In-progress tickets claimed `timeout_minutes` ago or longer and untouched since go back to the queue (triaged).

    Untouched: no event after the claim's own. Returns how many were released; each gets its events.
    """
    cutoff = now - timedelta(minutes=timeout_minutes)
    # The claim writes the ticket's assignee event last: anything written after it is someone working on the ticket.
    claim_event = (select(func.max(TicketEvent.id)).where(TicketEvent.ticket_id == Ticket.id, TicketEvent.field == "assignee")
                   .correlate(Ticket).scalar_subquery())
    touched = exists().where(TicketEvent.ticket_id == Ticket.id, TicketEvent.id > claim_event)
    stale = and_(Ticket.status == "in_progress", Ticket.claimed_at.is_not(None), Ticket.claimed_at <= cutoff, ~touched)  # type: ignore[union-attr,operator]
    pick = select(Ticket.id, Ticket.assignee).where(stale)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(of=Ticket)  # hold them while we release: an agent's write waits, then sees triaged
    holders = {ticket_id: assignee for ticket_id, assignee in session.execute(pick)}
    if not holders:
        return 0
    released = session.execute(
        update(Ticket).where(stale)
        .values(status="triaged", assignee=None, claimed_at=None, updated_at=now, version=Ticket.version + 1)
        .returning(Ticket.id)
    ).scalars().all()
    # Core executemany, not the ORM's bulk path: a sweep may hand back tens of thousands of tickets at once.
    rows = [{"ticket_id": t, "at": now, "actor": actor, "field": "status", "old": "in_progress", "new": "triaged"}
            for t in released]
    rows += [{"ticket_id": t, "at": now, "actor": actor, "field": "assignee", "old": holders.get(t), "new": None}
             for t in released]
    if rows:
        session.execute(insert(TicketEvent.__table__), rows)  # type: ignore[attr-defined]
    return len(released)
