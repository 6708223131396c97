"""Support's gate criterion `open_p1_max`: at most N P1 tickets of the plan's organisation open at the gate's `--at`.

"Open at T" is read from the ticket's history, so a gate evaluated for a past
instant sees the queue as it was: created at or before T, P1 at T (a priority
change counts from its event), and its last status change at or before T not
resolved, closed or merged (a reopened ticket is open again from its reopen).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from rollout.criteria import GateContext, Measurement
from rollout.memo import shared_read
from rollout.seams import Criterion, whole_number

TERMINAL = ("resolved", "closed", "merged")
SHOWN = 10  # offenders listed by name; the rest are counted


def _age(delta: timedelta) -> str:
    total = max(0, int(delta.total_seconds() // 60))
    if total < 60:
        return f"{total} min"
    if total < 48 * 60:
        return f"{total // 60} h"
    return f"{total // (24 * 60)} days"


@shared_read
def open_p1_at(session: Session, *, organisation_id: int, at: datetime) -> list[Any]:
    """(id, category, title, created_at) of the organisation's P1 tickets open at `at`, oldest first."""
    from sqlalchemy import and_, or_, select, union

    from support.models import Ticket, TicketEvent

    def last(field: str) -> Any:
        return (select(TicketEvent.new)
                .where(TicketEvent.ticket_id == Ticket.id, TicketEvent.field == field, TicketEvent.at <= at)
                .order_by(TicketEvent.at.desc(), TicketEvent.id.desc()).limit(1).scalar_subquery())  # type: ignore[attr-defined]

    # The candidates by id, uncorrelated: the P1 tickets by `at`, and the few ever raised to P1 (a correlated
    # EXISTS per ticket, or reading every ticket in creation order, cost seconds on a million tickets).
    p1_now = select(Ticket.id).where(Ticket.organisation_id == organisation_id, Ticket.created_at <= at, Ticket.priority == "P1")
    ever_p1 = select(TicketEvent.ticket_id).where(TicketEvent.field == "priority", TicketEvent.new == "P1")
    status_then, priority_then = last("status"), last("priority")
    stmt = (
        select(Ticket.id, Ticket.category, Ticket.title, Ticket.created_at)
        .where(Ticket.id.in_(union(p1_now, ever_p1)))  # type: ignore[union-attr]
        .where(Ticket.organisation_id == organisation_id, Ticket.created_at <= at)
        # No status event yet (an imported ticket before its import) means still open as reported.
        .where(or_(status_then.is_(None), status_then.not_in(TERMINAL)))
        .where(or_(and_(priority_then.is_(None), Ticket.priority == "P1"), priority_then == "P1"))
        .order_by(Ticket.created_at, Ticket.id)
    )
    return list(session.execute(stmt).all())


def measure_open_p1(session: Session, ctx: GateContext, threshold: Any) -> Measurement:
    """Count the plan organisation's P1 tickets open at `ctx.at`; the oldest are named first."""
    rows = open_p1_at(session, organisation_id=ctx.plan.organisation_id, at=ctx.at)
    m = Measurement(criterion="open_p1_max", threshold=threshold, value=len(rows))
    m.passed = len(rows) <= threshold
    m.offenders = [f"#{r.id} P1 {r.category}: {r.title} (open {_age(ctx.at - r.created_at)})" for r in rows[:SHOWN]]
    if len(rows) > SHOWN:
        m.offenders.append(f"… and {len(rows) - SHOWN} more")
    if not rows:
        m.summary = "no open P1 tickets"
    else:
        m.summary = f"{len(rows)} open P1 ticket(s), at most {threshold} allowed"
    m.details = {"open_p1": len(rows), "tickets": [r.id for r in rows]}
    return m


OPEN_P1_MAX = Criterion(
    name="open_p1_max",
    help="most open P1 tickets allowed (a whole number)",
    validate=lambda v: whole_number(v, "open_p1_max"),
    describe=lambda v: f"open P1 ≤ {v}",
    measure="support.criteria:measure_open_p1",
)
