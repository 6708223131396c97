"""One versioned, audited write to a ticket: the optimistic version check, the events, and the refusal of a stale write.

Every lifecycle move reads the ticket (FOR UPDATE on PostgreSQL), works out the
values it changes, and writes them with `UPDATE … WHERE id = :id AND version = :v`;
no row updated means someone else changed the ticket first, and the move is
refused naming who. The loaded ticket is brought up to date without being
marked dirty, so the ORM never writes it a second time behind the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from rollout.errors import GoliveError, InputError
from support import events
from support.models import Ticket, TicketEvent
from support.tickets import get_ticket

OSLO = "Europe/Oslo"
# Events name fields the way people say them; the column names stay in the schema.
EVENT_FIELD = {"resolver_group": "group", "deviation_id": "deviation", "merged_into_id": "merged_into"}
# Kept in step with the audited fields (or the event's own time), so they get no events of their own.
DERIVED = frozenset({"next_due", "next_risk_at", "response_risk_at", "resolution_risk_at", "updated_at", "version",
                     "responded_at", "resolved_at", "closed_at"})


class StaleWrite(GoliveError):
    """Someone else changed the ticket after it was read: nothing is written."""


@dataclass
class Outcome:
    """A ticket after a lifecycle move, and how many identity numbers the move's text lost to the PII guard."""

    ticket: Ticket
    masked: int = 0


def read_for_write(session: Session, ticket_id: int, *, expected_version: int | None) -> tuple[Ticket, int]:
    """The ticket (row-locked on PostgreSQL) and the version the write must find: the caller's, else the one read."""
    ticket = get_ticket(session, ticket_id, for_update=True)
    if expected_version is None:
        return ticket, ticket.version
    if expected_version > ticket.version or expected_version < 1:
        raise InputError(f"ticket {ticket_id} is at version {ticket.version}, not {expected_version}")
    if expected_version != ticket.version:
        raise stale(session, ticket_id)
    return ticket, expected_version


def stale(session: Session, ticket_id: int) -> StaleWrite:
    from rollout.formats import when

    last = session.execute(
        select(TicketEvent.actor, TicketEvent.at).where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.id.desc()).limit(1)  # type: ignore[union-attr] - the last written, whatever time it gives
    ).first()
    who, at = (last[0], when(last[1], OSLO)) if last else ("someone", "an unknown time")
    return StaleWrite(f"ticket {ticket_id} was changed by {who} at {at}; reload and try again")


def write(
    session: Session,
    ticket: Ticket,
    *,
    expected: int,
    actor: str,
    at: datetime,
    values: dict[str, Any],
    notes: dict[str, str] | None = None,
) -> Ticket:
    """Write the changed `values` if the ticket is still at version `expected`, with one event per changed field.

    `notes` are texts that belong to the history only (a comment, a wait reason): events with no old value.
    On PostgreSQL the row was read FOR UPDATE, so the check only fails for a caller-given version;
    on SQLite a writing session holds the write lock from its start (BEGIN IMMEDIATE).
    """
    changed = {k: v for k, v in values.items() if getattr(ticket, k) != v}
    if not changed and not notes:
        return ticket  # nothing to say: no new version, so nobody else's next write is refused for it
    result = session.execute(
        update(Ticket.__table__)  # type: ignore[arg-type]
        .where(Ticket.__table__.c.id == ticket.id, Ticket.__table__.c.version == expected)  # type: ignore[attr-defined]
        .values(**changed, updated_at=at, version=expected + 1)
    )
    if result.rowcount == 0:
        raise stale(session, ticket.id)  # type: ignore[arg-type]
    changes: dict[str, tuple[Any, Any]] = {
        EVENT_FIELD.get(k, k): (getattr(ticket, k), v) for k, v in changed.items() if k not in DERIVED
    }
    for field, text in (notes or {}).items():
        changes[field] = (None, text)
    events.record(session, ticket_id=ticket.id, actor=actor, at=at, changes=changes)  # type: ignore[arg-type]
    for k, v in {**changed, "updated_at": at, "version": expected + 1}.items():
        set_committed_value(ticket, k, v)
    return ticket


def bump(session: Session, ticket: Ticket, *, at: datetime) -> None:
    """A change that only adds history (comments merged in): new version and time, no check against a read."""
    session.execute(
        update(Ticket.__table__).where(Ticket.__table__.c.id == ticket.id)  # type: ignore[arg-type,attr-defined]
        .values(updated_at=at, version=Ticket.__table__.c.version + 1)  # type: ignore[attr-defined]
    )
    set_committed_value(ticket, "updated_at", at)
    set_committed_value(ticket, "version", ticket.version + 1)
