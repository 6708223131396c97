"""Test data for the queue: one organisation and unit, routed support settings, and tickets inserted in bulk."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from rollout.database import Database
from rollout.models import Organisation, Unit
from support.config import RoutingRule, SupportConfig
from support.due import DueCalculator
from support.models import SupportSettings, Ticket

START = datetime(2022, 5, 9, 6, 0, tzinfo=timezone.utc)  # Monday 08:00 in Oslo
ROUTING = [RoutingRule(group="hemit", category="access"), RoutingRule(group="superbrukere", category="workflow")]


def seed(db: Database) -> tuple[int, int]:
    """(organisation id, unit id) of trondheim/legevakt, with access routed to hemit and workflow to superbrukere."""
    with db.session(write=True) as session:
        org = Organisation(key="trondheim", name="Trondheim kommune", kind="municipality")
        session.add(org)
        session.flush()
        unit = Unit(organisation_id=org.id, key="legevakt", name="Legevakt", service="legevakt", hours="24/7")
        session.add(unit)
        session.add(SupportSettings(document=SupportConfig(routing=list(ROUTING)).as_document()))
        session.flush()
        return org.id, unit.id  # type: ignore[return-value]


def bulk_tickets(session: Session, *, count: int, organisation_id: int, unit_id: int, created: datetime = START,
                 group: str = "supportsenter", priority: str = "P3") -> None:
    """`count` new tickets in one executemany: the due times are computed once, every ticket shares them."""
    ticket = Ticket(title="x", organisation_id=organisation_id, category="other", impact="medium", urgency="medium",
                    priority=priority, resolver_group=group, created_at=created, updated_at=created)
    DueCalculator(session, SupportConfig()).apply(ticket, pauses=())
    base: dict[str, Any] = {
        "description": "", "organisation_id": organisation_id, "unit_id": unit_id, "category": "other", "impact": "medium",
        "urgency": "medium", "priority": priority, "priority_override": False, "patient_safety": False,
        "resolver_group": group, "status": "new", "response_due": ticket.response_due, "resolution_due": ticket.resolution_due,
        "next_due": ticket.next_due, "response_risk_at": ticket.response_risk_at, "resolution_risk_at": ticket.resolution_risk_at,
        "next_risk_at": ticket.next_risk_at, "response_breached": False, "resolution_breached": False, "escalated": False,
        "version": 1,
    }
    rows = [{**base, "title": f"ticket {i}", "created_at": created + timedelta(seconds=i),
             "updated_at": created + timedelta(seconds=i)} for i in range(count)]
    session.execute(insert(Ticket), rows)
