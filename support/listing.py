"""Listing tickets with filters, in SQL: patient safety first, then priority, then the deadline each faces."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from rollout.errors import InputError
from support.config import PRIORITIES, support_config
from support.models import OPEN_STATUSES, Ticket
from support.tickets import choose, resolve_unit
from support.views import TicketView

STATUSES = ("new", "triaged", "in_progress", "waiting", "resolved", "closed", "merged")


def list_tickets(
    session: Session,
    *,
    status: str | None = None,
    priority: str | None = None,
    group: str | None = None,
    unit: str | None = None,
    assignee: str | None = None,
    breached: bool = False,
    at: datetime | None = None,
    limit: int = 50,
) -> list[TicketView]:
    """Open tickets by default (`status="all"` for every one); `breached`: past a due time as of `at`."""
    from rollout.clock import now
    from rollout.models import Organisation, Unit

    if limit < 0:
        raise InputError("the limit must be 0 (all) or more")
    stmt = (
        select(Ticket, Organisation.key, Unit.key)
        .join(Organisation, Organisation.id == Ticket.organisation_id)
        .outerjoin(Unit, Unit.id == Ticket.unit_id)
    )
    if status is None:
        stmt = stmt.where(Ticket.status.in_(OPEN_STATUSES))  # type: ignore[attr-defined]
    elif status != "all":
        stmt = stmt.where(Ticket.status == choose(status, STATUSES, "status"))
    if priority is not None:
        stmt = stmt.where(Ticket.priority == choose(priority, PRIORITIES, "priority"))
    if group is not None:
        stmt = stmt.where(Ticket.resolver_group == choose(group, support_config(session).groups, "group"))
    if unit is not None:
        stmt = stmt.where(Ticket.unit_id == resolve_unit(session, unit)[0])
    if assignee is not None:
        stmt = stmt.where(Ticket.assignee == assignee)
    if breached:
        when = at or now()
        stmt = stmt.where(or_(
            Ticket.response_breached.is_(True), Ticket.resolution_breached.is_(True),  # type: ignore[attr-defined]
            and_(Ticket.status.in_(OPEN_STATUSES), Ticket.next_due <= when),  # type: ignore[attr-defined]
        ))
    stmt = stmt.order_by(Ticket.patient_safety.desc(), Ticket.priority, Ticket.next_due, Ticket.id)  # type: ignore[attr-defined]
    if limit:
        stmt = stmt.limit(limit)
    return [TicketView(ticket=t, organisation=o, unit=u) for t, o, u in session.execute(stmt)]
