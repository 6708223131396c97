"""The support wallboard as of one moment: open tickets per priority and group, breaching soon, breached, newest.

The present (`at` not before the clock) is read from the columns every write
keeps (status, next_due, next_risk_at), so it is index range scans on the
partial open-ticket indexes. A past moment (the demo's Monday morning) is
rebuilt from the tickets' timestamps and history: open then means created by
`at` and not yet resolved or closed; the deadline it faced is the response due
time until its first response, the resolution due time after it; its status,
group and assignee are the newest events by then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from rollout.clock import iso
from rollout.models import Organisation, Unit
from support.config import PRIORITIES, support_config
from support.models import OPEN_STATUSES, Ticket, TicketEvent
from support.tickets import choose

OSLO = "Europe/Oslo"
TOP = 10  # tickets per list: what fits on a wall


@dataclass(frozen=True)
class BoardTicket:
    id: int
    priority: str
    status: str
    group: str
    assignee: str | None
    title: str
    patient_safety: bool
    unit: str | None  # org/unit
    created_at: datetime
    due: datetime  # the deadline it faces at the board's moment

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "priority": self.priority, "status": self.status, "group": self.group, "assignee": self.assignee,
                "title": self.title, "patient_safety": self.patient_safety, "unit": self.unit,
                "created_at": iso(self.created_at, OSLO), "due": iso(self.due, OSLO)}


@dataclass
class Wallboard:
    at: datetime
    group: str | None
    groups: list[str]  # the rows of the per-group table, in the support settings' order
    open_by_group: dict[str, dict[str, int]] = field(default_factory=dict)  # group -> priority -> open tickets
    patient_safety_open: int = 0
    breached_total: int = 0
    patient_safety: list[BoardTicket] = field(default_factory=list)  # open patient-safety tickets: shown first
    breaching_soon: list[BoardTicket] = field(default_factory=list)
    breached: list[BoardTicket] = field(default_factory=list)
    newest: list[BoardTicket] = field(default_factory=list)

    @property
    def open_by_priority(self) -> dict[str, int]:
        return {p: sum(row.get(p, 0) for row in self.open_by_group.values()) for p in PRIORITIES}

    @property
    def open_total(self) -> int:
        return sum(self.open_by_priority.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "at": iso(self.at, OSLO), "group": self.group, "open": self.open_total, "open_by_priority": self.open_by_priority,
            "open_by_group": [{"group": g, **{p: self.open_by_group.get(g, {}).get(p, 0) for p in PRIORITIES},
                               "open": sum(self.open_by_group.get(g, {}).values())} for g in self.groups],
            "patient_safety_open": self.patient_safety_open, "breached_total": self.breached_total,
            "patient_safety": [t.as_json() for t in self.patient_safety],
            "breaching_soon": [t.as_json() for t in self.breaching_soon],
            "breached": [t.as_json() for t in self.breached],
            "newest": [t.as_json() for t in self.newest],
        }


@dataclass(frozen=True)
class Moment:
    """The board's SQL for one moment: which tickets were open, the deadline each faced, and its state then."""

    is_open: Any
    due: Any
    risk: Any
    status: Any
    group: Any
    assignee: Any
    running: Any = None  # tickets whose clock runs (None: pauses are not known for a past moment)


def _then(field_name: str, at: datetime) -> Any:
    """A ticket's value of one field as of `at`, from its history (the newest event by then)."""
    return (select(TicketEvent.new)
            .where(TicketEvent.ticket_id == Ticket.id, TicketEvent.field == field_name, TicketEvent.at <= at)
            .order_by(TicketEvent.at.desc(), TicketEvent.id.desc()).limit(1)  # type: ignore[attr-defined]
            .correlate(Ticket).scalar_subquery())


def _moment(at: datetime, *, live: bool) -> Moment:
    if live:
        # Waiting on the reporter pauses the resolution clock: its stored due time moves on resume, so it is not breaching.
        return Moment(is_open=Ticket.status.in_(OPEN_STATUSES), due=Ticket.next_due, risk=Ticket.next_risk_at,  # type: ignore[attr-defined]
                      status=Ticket.status, group=Ticket.resolver_group, assignee=Ticket.assignee,
                      running=or_(Ticket.waiting_on.is_(None), Ticket.waiting_on != "reporter"))  # type: ignore[union-attr]
    untouched = or_(Ticket.responded_at.is_(None), Ticket.responded_at > at)  # type: ignore[union-attr,operator]
    return Moment(
        is_open=and_(
            Ticket.created_at <= at, Ticket.status != "merged",
            or_(Ticket.resolved_at.is_(None), Ticket.resolved_at > at),  # type: ignore[union-attr,operator]
            or_(Ticket.closed_at.is_(None), Ticket.closed_at > at),  # type: ignore[union-attr,operator]
        ),
        due=case((untouched, Ticket.response_due), else_=Ticket.resolution_due),
        risk=case((untouched, Ticket.response_risk_at), else_=Ticket.resolution_risk_at),
        status=func.coalesce(_then("status", at), Ticket.status),
        group=func.coalesce(_then("group", at), Ticket.resolver_group),
        assignee=_then("assignee", at),
    )


def wallboard(session: Session, *, at: datetime | None = None, group: str | None = None) -> Wallboard:
    """One frame of the wallboard as of `at` (None: now), for every group or one (validated against the support settings)."""
    from rollout.clock import now

    cfg = support_config(session)
    if group is not None:
        group = choose(group, cfg.groups, "group")
    current = now()
    live = at is None or at >= current
    at = current if at is None else at
    m = _moment(at, live=live)
    scope = [m.is_open] + ([m.group == group] if group is not None else [])
    board = Wallboard(at=at, group=group, groups=[group] if group is not None else list(cfg.groups))

    counts = session.execute(
        select(m.group, Ticket.priority, func.count()).where(*scope).group_by(m.group, Ticket.priority)
    ).all()
    for g, p, n in counts:
        board.open_by_group.setdefault(g, {})[p] = n
        if g not in board.groups:  # a group the settings no longer name still holds tickets: show it
            board.groups.append(g)
    safety = Ticket.patient_safety.is_(True)  # type: ignore[attr-defined]
    board.patient_safety_open = session.execute(select(func.count()).select_from(Ticket).where(*scope, safety)).scalar_one()
    running = [m.running] if m.running is not None else []
    breached = [*scope, *running, m.due <= at]
    board.breached_total = session.execute(select(func.count()).select_from(Ticket).where(*breached)).scalar_one()

    def top(where: list[Any], *order: Any) -> list[BoardTicket]:
        stmt = (select(Ticket.id, Ticket.priority, m.status, m.group, m.assignee, Ticket.title,
                       Ticket.patient_safety, Organisation.key, Unit.key, Ticket.created_at, m.due)
                .join(Organisation, Organisation.id == Ticket.organisation_id)
                .outerjoin(Unit, Unit.id == Ticket.unit_id)
                .where(*where).order_by(*order, Ticket.id).limit(TOP))
        return [BoardTicket(id=i, priority=p, status=s, group=g, assignee=a, title=t, patient_safety=ps,
                            unit=f"{o}/{u}" if u else None, created_at=c, due=d)
                for i, p, s, g, a, t, ps, o, u, c, d in session.execute(stmt)]

    first = Ticket.patient_safety.desc()  # type: ignore[attr-defined]
    board.patient_safety = top([*scope, safety], m.due)
    board.breaching_soon = top([*scope, *running, m.risk <= at, m.due > at], first, m.due, Ticket.priority)
    board.breached = top(breached, first, Ticket.priority, m.due)
    board.newest = top(scope, Ticket.created_at.desc())  # type: ignore[attr-defined]
    return board
