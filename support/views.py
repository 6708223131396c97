"""Tickets as people and scripts see them: one typed view with `as_json()` for `--json`, reports and the scheduler."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import iso
from rollout.models import Organisation, Unit
from support.models import Ticket, TicketEvent, TicketWait

OSLO = "Europe/Oslo"


@dataclass
class TicketView:
    ticket: Ticket
    organisation: str
    unit: str | None
    history: list[TicketEvent] | None = None
    held: dict[str, int] = field(default_factory=dict)  # party -> minutes it held the ticket waiting
    known_issue: str | None = None
    masked: int = 0  # identity numbers removed on the way in (creation only)

    def as_json(self) -> dict[str, Any]:
        t = self.ticket
        body: dict[str, Any] = {
            "id": t.id, "external_id": t.external_id, "title": t.title, "description": t.description, "reporter": t.reporter,
            "organisation": self.organisation, "unit": f"{self.organisation}/{self.unit}" if self.unit else None,
            "category": t.category, "impact": t.impact, "urgency": t.urgency, "priority": t.priority,
            "priority_override": t.priority_override, "patient_safety": t.patient_safety, "deviation": t.deviation_id,
            "status": t.status, "group": t.resolver_group, "assignee": t.assignee, "known_issue": t.known_issue_id,
            "merged_into": t.merged_into_id, "created_at": iso(t.created_at, OSLO), "updated_at": iso(t.updated_at, OSLO),
            "responded_at": iso(t.responded_at, OSLO), "resolved_at": iso(t.resolved_at, OSLO),
            "response_due": iso(t.response_due, OSLO), "resolution_due": iso(t.resolution_due, OSLO),
            "response_breached": t.response_breached, "resolution_breached": t.resolution_breached, "escalated": t.escalated,
            "waiting_on": t.waiting_on, "version": t.version,
        }
        if self.masked:
            body["masked_identity_numbers"] = self.masked
        if self.history is not None:
            body["history"] = [{"at": iso(e.at, OSLO), "actor": e.actor, "field": e.field, "old": e.old, "new": e.new}
                               for e in self.history]
            body["held_minutes"] = self.held
        return body


def _names(session: Session, ticket: Ticket) -> tuple[str, str | None]:
    org = session.execute(select(Organisation.key).where(Organisation.id == ticket.organisation_id)).scalar_one()
    unit = session.execute(select(Unit.key).where(Unit.id == ticket.unit_id)).scalar_one_or_none() if ticket.unit_id else None
    return org, unit


def ticket_view(session: Session, ticket: Ticket, *, history: bool = False, masked: int = 0, at: datetime | None = None) -> TicketView:
    org, unit = _names(session, ticket)
    view = TicketView(ticket=ticket, organisation=org, unit=unit, masked=masked)
    if history:
        view.history = list(session.execute(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.at, TicketEvent.id)
        ).scalars())
        view.held = held_minutes(session, ticket.id, at=at)  # type: ignore[arg-type]
    return view


def held_minutes(session: Session, ticket_id: int, *, at: datetime | None = None) -> dict[str, int]:
    """How long each party held the ticket while it waited (an open wait counts up to `at`, else now)."""
    from rollout.clock import now

    until = at or now()
    held: dict[str, int] = {}
    for on, start, end in session.execute(
        select(TicketWait.on, TicketWait.started_at, TicketWait.ended_at).where(TicketWait.ticket_id == ticket_id)
    ):
        minutes = int(((end or until) - start).total_seconds() // 60)
        held[on] = held.get(on, 0) + max(0, minutes)
    return held
