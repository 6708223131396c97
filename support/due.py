"""A ticket's SLA instants from its creation: the organisation's 24/7 hypercare windows, the business calendar, reporter waits.

Computed at every write that can move them (create, priority change, resume),
then stored, so the queue and the sweep compare stored instants in SQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.models import Plan
from support.config import SupportConfig
from support.models import Ticket, TicketWait
from support.sla_clock import TicketDue, hypercare_window, ticket_due


def hypercare_windows(session: Session, organisation_id: int) -> tuple[tuple[datetime, datetime], ...]:
    """Every plan of the organisation: cutover start to hypercare_until inclusive (24:00 local), 24/7."""
    rows = session.execute(
        select(Plan.cutover_start, Plan.hypercare_until, Plan.timezone).where(Plan.organisation_id == organisation_id)
    ).all()
    return tuple(sorted(hypercare_window(start, until, tz) for start, until, tz in rows))


class DueCalculator:
    """Due instants for many tickets of a session: windows per organisation and the config's clock read once."""

    def __init__(self, session: Session, config: SupportConfig) -> None:
        self.session = session
        self.targets = config.targets()
        self.calendar = config.calendar()
        self._windows: dict[int, tuple[tuple[datetime, datetime], ...]] = {}
        self._cache: dict[tuple[Any, ...], TicketDue] = {}

    def windows(self, organisation_id: int) -> tuple[tuple[datetime, datetime], ...]:
        hit = self._windows.get(organisation_id)
        if hit is None:
            hit = self._windows[organisation_id] = hypercare_windows(self.session, organisation_id)
        return hit

    def due(self, *, organisation_id: int, created: datetime, priority: str,
            pauses: tuple[tuple[datetime, datetime], ...] = ()) -> TicketDue:
        # Imports bring many tickets created the same minute: the clock is pure, so equal inputs share one answer.
        key = (created, priority, organisation_id, pauses)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = ticket_due(created, priority, targets=self.targets, calendar=self.calendar,
                                                windows=self.windows(organisation_id), pauses=pauses)
        return hit

    def apply(self, ticket: Ticket, *, pauses: tuple[tuple[datetime, datetime], ...] | None = None) -> None:
        """Set the ticket's due and at-risk instants (and the one it faces next) from its current priority."""
        if pauses is None:
            pauses = reporter_waits(self.session, ticket.id) if ticket.id is not None else ()
        d = self.due(organisation_id=ticket.organisation_id, created=ticket.created_at, priority=ticket.priority, pauses=pauses)
        ticket.response_due, ticket.resolution_due = d.response_due, d.resolution_due
        ticket.response_risk_at, ticket.resolution_risk_at = d.response_at_risk, d.resolution_at_risk
        set_next(ticket)


def set_next(ticket: Ticket) -> None:
    """The deadline a ticket faces now: response while untouched, else resolution."""
    if ticket.responded_at is None:
        ticket.next_due, ticket.next_risk_at = ticket.response_due, ticket.response_risk_at
    else:
        ticket.next_due, ticket.next_risk_at = ticket.resolution_due, ticket.resolution_risk_at


def reporter_waits(session: Session, ticket_id: int) -> tuple[tuple[datetime, datetime], ...]:
    """Finished waits on the reporter: the only ones that pause the resolution clock."""
    rows = session.execute(
        select(TicketWait.started_at, TicketWait.ended_at)
        .where(TicketWait.ticket_id == ticket_id, TicketWait.on == "reporter", TicketWait.ended_at.is_not(None))  # type: ignore[union-attr]
        .order_by(TicketWait.started_at)
    ).all()
    return tuple((s, e) for s, e in rows)
