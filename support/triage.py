"""Triage: classify a ticket, route it again, and reprioritise it; a priority change is retroactive.

The first triage moves a ticket out of `new` (its response). A later one keeps the
status and may reclassify an open ticket. A new priority recomputes the due times
from the ticket's creation with the new targets, so a P3 raised to P1 after 30
minutes has already breached its 15-minute response.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import now
from rollout.errors import InputError
from rollout.models import Organisation, Unit
from support.config import LEVELS, support_config
from support.transitions import TransitionRefused, allowed_from, check_transition, due_values, first_move
from support.models import OPEN_STATUSES
from support.ticket_write import Outcome, read_for_write, write
from support.tickets import choose, masked, ticket_priority


def triage(
    session: Session,
    ticket_id: int,
    *,
    actor: str,
    category: str | None = None,
    impact: str | None = None,
    urgency: str | None = None,
    group: str | None = None,
    priority: str | None = None,
    patient_safety: bool | None = None,
    deviation: str | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Outcome:
    """Each option left out keeps the ticket's value; the group is routed again unless named, the priority
    comes from impact × urgency unless given, and a patient-safety ticket is at least P2."""
    at = at or now()
    cfg = support_config(session)
    ticket, version = read_for_write(session, ticket_id, expected_version=expected_version)
    if ticket.status not in OPEN_STATUSES:
        raise TransitionRefused(f"ticket {ticket_id} is {ticket.status}: only open tickets are triaged; "
                                f"{allowed_from(ticket.status)}")
    category = choose(category, cfg.categories, "category") if category is not None else ticket.category
    impact = choose(impact, LEVELS, "impact") if impact is not None else ticket.impact
    urgency = choose(urgency, LEVELS, "urgency") if urgency is not None else ticket.urgency
    safety = ticket.patient_safety if patient_safety is None else patient_safety
    dev = masked(deviation)
    deviation_id = (dev.text.strip() or None) if deviation is not None else (ticket.deviation_id if safety else None)
    if deviation_id and not safety:
        raise InputError("a deviation (avvik) id belongs to a patient-safety ticket: add --patient-safety")
    if deviation_id and len(deviation_id) > 64:
        raise InputError("a deviation (avvik) id is at most 64 characters")
    routed = choose(group, cfg.groups, "group") if group is not None else route(session, ticket, cfg, category)
    new_priority = ticket_priority(cfg, impact=impact, urgency=urgency, patient_safety=safety, override=priority)
    values: dict[str, object] = {
        "category": category, "impact": impact, "urgency": urgency, "resolver_group": routed,
        "priority": new_priority, "priority_override": priority is not None,
        "patient_safety": safety, "deviation_id": deviation_id,
    }
    if ticket.status == "new":
        check_transition("new", "triaged", ticket_id=ticket_id)
        values["status"] = "triaged"
        values.update(first_move(ticket, at))
    raised_to_p1 = new_priority == "P1" and ticket.priority != "P1"
    if new_priority != ticket.priority:
        values.update(retroactive(session, ticket, priority=new_priority, at=at, responded_at=values.get("responded_at")))
    written = write(session, ticket, expected=version, actor=actor, at=at, values=values)
    if raised_to_p1:  # a ticket that becomes P1 at triage tells its group's contacts, as a new P1 does
        from support.notices import notify_new_p1

        notify_new_p1(session, written)
    return Outcome(written, dev.count)


def route(session: Session, ticket, cfg, category: str) -> str:  # noqa: ANN001 - Ticket, SupportConfig
    org, unit, service = session.execute(
        select(Organisation.key, Unit.key, Unit.service).select_from(Organisation)
        .outerjoin(Unit, Unit.id == ticket.unit_id).where(Organisation.id == ticket.organisation_id)
    ).one()
    return cfg.route(category=category, organisation=org, unit=unit, service=service)


def retroactive(session: Session, ticket, *, priority: str, at: datetime,  # noqa: ANN001 - Ticket
                responded_at: object = None) -> dict[str, object]:
    """Due times from creation with the new targets; the breach flags follow them (time used counts against them)."""
    responded = responded_at or ticket.responded_at
    values = due_values(session, ticket, priority=priority)
    if responded is not None:
        values["next_due"], values["next_risk_at"] = values["resolution_due"], values["resolution_risk_at"]
    values["response_breached"] = (responded or at) > values["response_due"]
    # an open wait on the reporter is a pause not yet counted (it is, on resume): no verdict on resolution until then
    if ticket.waiting_on != "reporter":
        values["resolution_breached"] = at > values["resolution_due"]
    return values
