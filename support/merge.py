"""Merging a duplicate into the ticket that carries the work: its comments follow, its clocks stop, no chains or cycles.

The merged ticket ends in `merged` (final) pointing at its target. Only a ticket
nothing was merged into may be merged, and only into one that is neither merged
nor closed, so every merged ticket is one step from a live one: no chains, and
therefore no cycles.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import now
from rollout.errors import InputError
from support import events
from support.transitions import TransitionRefused, check_transition, end_waits
from support.models import Ticket, TicketEvent
from support.ticket_write import Outcome, bump, read_for_write, write
from support.tickets import get_ticket


def merge(session: Session, ticket_id: int, *, into: int, actor: str, expected_version: int | None = None,
          at: datetime | None = None) -> Outcome:
    """Merge ticket `ticket_id` into ticket `into`; returns the merged (source) ticket."""
    at = at or now()
    if into == ticket_id:
        raise InputError(f"ticket {ticket_id} cannot be merged into itself")
    # Lock both rows in id order, so two merges of the same pair cannot deadlock on PostgreSQL.
    if into < ticket_id:
        target = get_ticket(session, into, for_update=True)
        source, version = read_for_write(session, ticket_id, expected_version=expected_version)
    else:
        source, version = read_for_write(session, ticket_id, expected_version=expected_version)
        target = get_ticket(session, into, for_update=True)
    check_transition(source.status, "merged", ticket_id=ticket_id)
    if target.status == "merged":
        raise TransitionRefused(f"ticket {into} was itself merged into ticket {target.merged_into_id}: "
                                f"merge into ticket {target.merged_into_id} instead (no chains)")
    if target.status == "closed":
        raise TransitionRefused(f"ticket {into} is closed: a ticket cannot be merged into a closed one")
    children = session.execute(
        select(Ticket.id).where(Ticket.merged_into_id == ticket_id).order_by(Ticket.id).limit(4)
    ).scalars().all()
    if children:
        shown = ", ".join(str(c) for c in children[:3]) + (", …" if len(children) > 3 else "")
        raise TransitionRefused(f"tickets {shown} were merged into ticket {ticket_id}: merge ticket {into} into "
                                f"ticket {ticket_id} instead (no chains)")
    end_waits(session, ticket_id, at=at)
    copy_comments(session, source=ticket_id, target=target, actor=actor, at=at)
    merged = write(session, source, expected=version, actor=actor, at=at,
                   values={"status": "merged", "merged_into_id": into, "waiting_on": None})
    return Outcome(merged)


def copy_comments(session: Session, *, source: int, target: Ticket, actor: str, at: datetime) -> None:
    """The source's comments as new comment events on the target, each saying where and from whom it came."""
    rows = session.execute(
        select(TicketEvent.actor, TicketEvent.new).where(TicketEvent.ticket_id == source, TicketEvent.field == "comment")
        .order_by(TicketEvent.at, TicketEvent.id)
    ).all()
    events.record_many(session, [
        {"ticket_id": target.id, "at": at, "actor": actor, "field": "comment", "old": None,
         "new": f"[from ticket {source}, {who}] {text}"}
        for who, text in rows
    ] + [{"ticket_id": target.id, "at": at, "actor": actor, "field": "merged_from", "old": None, "new": source}])
    bump(session, target, at=at)
