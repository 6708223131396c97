"""SLA operations: which tickets are breached or at risk (`sla check`), and the sweep that marks, escalates and frees claims.

Everything here compares the stored instants (`next_due`, `next_risk_at`, the
due times) in SQL, through the open-ticket partial indexes, so a sweep over a
million tickets reads only the open ones that are due. The sweep runs each
step (response breaches per priority, resolution breaches per priority,
escalation of P1 and P2, stale claims, notifications) in its own savepoint:
a failing step is reported and the rest goes on, and within a step a failing
ticket is found by halving the batch, so only that ticket is left for the
next sweep. Events come from the same set with INSERT … SELECT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, false, insert, literal, or_, select, text, true, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from rollout.clock import iso, minutes
from rollout.coltypes import UTCDateTime
from support.config import PRIORITIES
from support.models import Ticket, TicketEvent

OSLO = "Europe/Oslo"
SWEEP_ACTOR = "sla-sweep"
ESCALATED_PRIORITIES = ("P1", "P2")
BATCH = 1000  # ids per statement: well under every backend's bound-parameter limit
EVENT_COLUMNS = ("ticket_id", "at", "actor", "field", "old", "new")
# Written out (not bound) so SQLite sees the partial indexes' own WHERE and uses them.
OPEN = text("ticket.status IN ('new', 'triaged', 'in_progress', 'waiting')")
# Only waiting on the reporter pauses the resolution clock (the due time moves on `resume`).
NOT_PAUSED = or_(Ticket.waiting_on.is_(None), Ticket.waiting_on != "reporter")  # type: ignore[union-attr]
FLAGGED = or_(Ticket.response_breached == true(), Ticket.resolution_breached == true())


# -- sla check ---------------------------------------------------------------------


@dataclass
class SlaLine:
    """One ticket on the SLA board: the clock it faces now and how far it is from that deadline."""

    id: int
    priority: str
    status: str
    group: str
    assignee: str | None
    title: str
    patient_safety: bool
    clock: str  # response | resolution: the deadline it faces now
    due: datetime
    risk_at: datetime
    response_breached: bool
    resolution_breached: bool
    escalated: bool
    at: datetime

    @property
    def minutes_left(self) -> int:
        """Minutes to the deadline it faces; negative once it has passed."""
        return minutes(self.due - self.at)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "priority": self.priority, "status": self.status, "group": self.group, "assignee": self.assignee,
            "title": self.title, "patient_safety": self.patient_safety, "clock": self.clock, "due": iso(self.due, OSLO),
            "at_risk_from": iso(self.risk_at, OSLO), "minutes_left": self.minutes_left,
            "response_breached": self.response_breached, "resolution_breached": self.resolution_breached,
            "escalated": self.escalated,
        }


@dataclass
class SlaReport:
    at: datetime
    breached: list[SlaLine] = field(default_factory=list)
    at_risk: list[SlaLine] = field(default_factory=list)  # 75 % or more of the target used, not yet due

    def as_json(self) -> dict[str, Any]:
        return {
            "at": iso(self.at, OSLO),
            "counts": {"breached": len(self.breached), "at_risk": len(self.at_risk)},
            "breached": [line.as_json() for line in self.breached],
            "at_risk": [line.as_json() for line in self.at_risk],
        }


_LINE_COLUMNS = (Ticket.id, Ticket.priority, Ticket.status, Ticket.resolver_group, Ticket.assignee, Ticket.title,
                 Ticket.patient_safety, Ticket.responded_at, Ticket.next_due, Ticket.next_risk_at,
                 Ticket.response_breached, Ticket.resolution_breached, Ticket.escalated)


def _line(row: Any, at: datetime) -> SlaLine:
    return SlaLine(id=row.id, priority=row.priority, status=row.status, group=row.resolver_group, assignee=row.assignee,
                   title=row.title, patient_safety=row.patient_safety,
                   clock="response" if row.responded_at is None else "resolution", due=row.next_due, risk_at=row.next_risk_at,
                   response_breached=row.response_breached, resolution_breached=row.resolution_breached,
                   escalated=row.escalated, at=at)


def sla_state(session: Session, *, at: datetime) -> SlaReport:
    """Open tickets past the deadline they face (or already marked breached), and those at risk, as of `at`.

    A ticket waiting on the reporter has its resolution clock paused, so it is
    neither breached nor at risk by time while it waits.
    """
    order = (Ticket.patient_safety.desc(), Ticket.priority, Ticket.next_due, Ticket.id)  # type: ignore[attr-defined]
    overdue = and_(Ticket.next_due <= at, NOT_PAUSED)
    breached = session.execute(select(*_LINE_COLUMNS).where(OPEN, or_(overdue, FLAGGED)).order_by(*order)).all()
    risky = session.execute(
        select(*_LINE_COLUMNS)
        .where(OPEN, Ticket.next_risk_at <= at, Ticket.next_due > at, NOT_PAUSED,
               Ticket.response_breached == false(), Ticket.resolution_breached == false())
        .order_by(Ticket.next_due, Ticket.priority, Ticket.id)
    ).all()
    return SlaReport(at=at, breached=[_line(r, at) for r in breached], at_risk=[_line(r, at) for r in risky])


# -- the sweep ----------------------------------------------------------------------


@dataclass
class StepFailure:
    step: str
    error: str
    ticket_id: int | None = None  # the one ticket that failed, when halving found it

    def as_json(self) -> dict[str, Any]:
        return {"step": self.step, "ticket": self.ticket_id, "error": self.error}


@dataclass
class SweepResult:
    at: datetime
    response_breached: int = 0
    resolution_breached: int = 0
    escalated: int = 0
    claims_released: int = 0
    notifications: int = 0
    escalations_without_contacts: int = 0  # escalated tickets whose group has no contacts: nobody to notify
    failures: list[StepFailure] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.response_breached + self.resolution_breached + self.escalated + self.claims_released

    def as_json(self) -> dict[str, Any]:
        return {
            "at": iso(self.at, OSLO), "response_breached": self.response_breached,
            "resolution_breached": self.resolution_breached, "escalated": self.escalated,
            "claims_released": self.claims_released, "notifications": self.notifications,
            "escalations_without_contacts": self.escalations_without_contacts, "changed": self.changed,
            "failures": [f.as_json() for f in self.failures],
        }


@dataclass(frozen=True)
class Change:
    """One event per changed ticket: the field, its old value as SQL (a column, or text), its new value as text."""

    field: str
    old: Any
    new: str | None


@dataclass
class Step:
    """One set-based change: which tickets (`where`), what to set, and the events each changed ticket gets."""

    name: str
    where: Sequence[Any]
    values: dict[str, Any]
    changes: tuple[Change, ...]
    columns: tuple[Any, ...] = ()  # what callers need of the changed tickets (the escalation notices)


def _error_text(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:300]


def run_step(session: Session, step: Step, result: SweepResult, *, now: datetime, actor: str) -> list[Any]:
    """Apply one step to every ticket it selects (read once, locked on PostgreSQL); returns the rows it changed."""
    stmt = select(Ticket.id, *step.columns).where(*step.where).order_by(Ticket.id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)  # an agent working a ticket right now: next sweep takes it
    try:
        with session.begin_nested():
            rows = session.execute(stmt).all()
    except SQLAlchemyError as exc:
        result.failures.append(StepFailure(step.name, _error_text(exc)))
        return []
    done: list[Any] = []
    for start in range(0, len(rows), BATCH):
        done += _apply_halving(session, step, rows[start:start + BATCH], result, now=now, actor=actor)
    return done


def _apply_halving(session: Session, step: Step, rows: list[Any], result: SweepResult, *, now: datetime, actor: str) -> list[Any]:
    """One savepoint for the batch; if it fails, each half on its own, down to the one ticket that fails."""
    try:
        with session.begin_nested():
            _apply(session, step, rows, now=now, actor=actor)
        return rows
    except SQLAlchemyError as exc:
        if len(rows) == 1:
            result.failures.append(StepFailure(step.name, _error_text(exc), ticket_id=rows[0].id))
            return []
    half = len(rows) // 2
    return (_apply_halving(session, step, rows[:half], result, now=now, actor=actor)
            + _apply_halving(session, step, rows[half:], result, now=now, actor=actor))


def _apply(session: Session, step: Step, rows: list[Any], *, now: datetime, actor: str) -> None:
    ids = [r.id for r in rows]
    # Events first, INSERT … SELECT from the same tickets, so `old` is read in SQL before the UPDATE changes it.
    for change in step.changes:
        old = change.old if not isinstance(change.old, str) else literal(change.old)
        source = select(Ticket.id, literal(now, UTCDateTime()), literal(actor), literal(change.field), old,
                        literal(change.new, Text())).where(Ticket.id.in_(ids))  # type: ignore[union-attr]
        if not isinstance(change.old, str):  # a column: only where it really changes
            source = source.where(or_(change.old.is_(None), change.old != change.new) if change.new is not None
                                  else change.old.is_not(None))
        session.execute(insert(TicketEvent).from_select(EVENT_COLUMNS, source))
    # The sweep's marks bump the version (a stale agent write must not undo an escalation) but not
    # updated_at: that stays when a person last touched the ticket, which stale-claim release reads.
    session.execute(
        update(Ticket).where(Ticket.id.in_(ids))  # type: ignore[union-attr]
        .values(**step.values, version=Ticket.version + 1)
        .execution_options(synchronize_session=False)
    )


def breach_steps(now: datetime) -> list[Step]:
    """Response breaches (untouched past response_due) and resolution breaches (open past resolution_due), per priority."""
    steps = []
    for p in PRIORITIES:
        # next_due <= now is implied (next_due is the earlier of the two while untouched) and lets SQL use ix_ticket_open_due.
        steps.append(Step(
            f"response {p}",
            (OPEN, Ticket.next_due <= now, Ticket.priority == p, Ticket.responded_at.is_(None),  # type: ignore[union-attr]
             Ticket.response_due <= now, Ticket.response_breached == false()),
            values={"response_breached": True},
            changes=(Change("response_breached", "false", "true"),),
        ))
    for p in PRIORITIES:
        steps.append(Step(
            f"resolution {p}",
            (OPEN, Ticket.next_due <= now, Ticket.priority == p, Ticket.resolution_due <= now, NOT_PAUSED,
             Ticket.resolution_breached == false()),
            values={"resolution_breached": True},
            changes=(Change("resolution_breached", "false", "true"),),
        ))
    return steps


def escalation_step(priority: str, group: str | None) -> Step:
    """Breached P1/P2 not yet escalated go to the escalation group; with none configured they are marked and stay put."""
    values: dict[str, Any] = {"escalated": True}
    if group is not None:
        values["resolver_group"] = group
    return Step(
        f"escalate {priority}",
        (OPEN, Ticket.priority == priority, Ticket.escalated == false(), FLAGGED),
        values=values,
        changes=(Change("escalated", "false", "true"),) + ((Change("group", Ticket.resolver_group, group),) if group else ()),
        columns=(Ticket.resolver_group, Ticket.priority, Ticket.category, Ticket.title, Ticket.responded_at,
                 Ticket.response_due, Ticket.resolution_due, Ticket.response_breached, Ticket.resolution_breached),
    )


def _release_stale_claims(session: Session, result: SweepResult, *, now: datetime, timeout_minutes: int, actor: str) -> int:
    """The queue's own release (support.queue), in a savepoint so a failure is reported and the sweep goes on."""
    from support.queue import release_stale_claims

    try:
        with session.begin_nested():
            return int(release_stale_claims(session, now=now, timeout_minutes=timeout_minutes, actor=actor))
    except SQLAlchemyError as exc:
        result.failures.append(StepFailure("release stale claims", _error_text(exc)))
        return 0


def sweep(session: Session, *, now: datetime, actor: str = SWEEP_ACTOR) -> SweepResult:
    """Mark breaches, escalate breached P1 and P2, release stale claims, queue the escalation notices; counts what changed.

    Idempotent: a second sweep at the same instant finds nothing left to change.
    """
    from support.config import support_config
    from support.notices import notify_escalations

    cfg = support_config(session)
    result = SweepResult(at=now)
    for step in breach_steps(now):
        changed = len(run_step(session, step, result, now=now, actor=actor))
        if step.name.startswith("response"):
            result.response_breached += changed
        else:
            result.resolution_breached += changed
    escalated: list[Any] = []
    for priority in ESCALATED_PRIORITIES:
        escalated += run_step(session, escalation_step(priority, cfg.escalation_group), result, now=now, actor=actor)
    result.escalated = len(escalated)
    if cfg.claim_timeout_minutes:
        result.claims_released = _release_stale_claims(session, result, now=now, timeout_minutes=cfg.claim_timeout_minutes,
                                                       actor=actor)
    if escalated:
        try:
            with session.begin_nested():
                written, unnotified = notify_escalations(session, escalated, group=cfg.escalation_group, at=now)
            result.notifications, result.escalations_without_contacts = written, unnotified
        except SQLAlchemyError as exc:
            result.failures.append(StepFailure("notify escalations", _error_text(exc)))
    session.expire_all()  # the UPDATEs went past the ORM: reload anything a caller holds
    return result
