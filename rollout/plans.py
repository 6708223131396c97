"""Plans as people look at them: phases, waves, gates, where we are and how long is left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from rollout.clock import end_of_day, zone
from rollout.errors import NotFound
from rollout.models import Gate, Organisation, Phase, Plan, Unit, Wave, WaveUnit
from rollout.yamlfile import suggest


@dataclass
class WaveView:
    wave: Wave
    units: list[str]


@dataclass
class GateView:
    gate: Gate
    wave: str | None


@dataclass
class PlanView:
    plan: Plan
    organisation: str
    phases: list[Phase]
    waves: list[WaveView]
    gates: list[GateView]
    as_of: datetime
    stage: str  # preparation | cutover | hypercare | line operations
    current_phase: Phase | None
    next_gate: GateView | None

    @property
    def until_go_live(self):  # noqa: ANN201 - a timedelta; negative once live
        return self.plan.go_live - self.as_of

    @property
    def hypercare_end(self) -> datetime:
        return end_of_day(self.plan.hypercare_until, zone(self.plan.timezone))


def list_plans(session: Session) -> list[tuple[Plan, str]]:
    stmt = select(Plan, Organisation.key).join(Organisation, Plan.organisation_id == Organisation.id)
    return list(session.exec(stmt.order_by(Plan.go_live, Plan.key)))


def get_plan(session: Session, key: str) -> Plan:
    plan = session.exec(select(Plan).where(Plan.key == key)).first()
    if plan is None:
        keys = list(session.exec(select(Plan.key)))
        raise NotFound(f"no plan {key!r}{suggest(key, keys)}")
    return plan


def stage_at(plan: Plan, at: datetime) -> str:
    """Where the rollout stands at an instant, from the plan's own dates."""
    if at < plan.cutover_start:
        return "preparation"
    if at < plan.go_live:
        return "cutover"
    if at < end_of_day(plan.hypercare_until, zone(plan.timezone)):
        return "hypercare"
    return "line operations"


def phase_on(phases: list[Phase], day: date) -> Phase | None:
    """The declared phase covering a local date (the latest-starting one if they overlap)."""
    covering = [p for p in phases if p.start <= day <= p.end]
    return max(covering, key=lambda p: (p.start, p.position)) if covering else None


def plan_view(session: Session, plan: Plan, *, at: datetime) -> PlanView:
    org = session.get(Organisation, plan.organisation_id)
    phases = list(session.exec(select(Phase).where(Phase.plan_id == plan.id).order_by(Phase.position)))
    waves = list(session.exec(select(Wave).where(Wave.plan_id == plan.id).order_by(Wave.position)))
    members: dict[int, list[str]] = {w.id: [] for w in waves}  # type: ignore[misc]
    if waves:
        rows = session.exec(
            select(WaveUnit.wave_id, Unit.key)
            .join(Unit, Unit.id == WaveUnit.unit_id)
            .where(WaveUnit.wave_id.in_(list(members)))  # type: ignore[attr-defined]
            .order_by(Unit.key)
        )
        for wave_id, unit_key in rows:
            members[wave_id].append(unit_key)
    wave_names = {w.id: w.name for w in waves}
    gates = [
        GateView(g, wave_names.get(g.wave_id) if g.wave_id else None)
        for g in session.exec(select(Gate).where(Gate.plan_id == plan.id).order_by(Gate.position))
    ]
    upcoming = [g for g in gates if g.gate.due_at is not None and g.gate.due_at > at]
    next_gate = min(upcoming, key=lambda g: g.gate.due_at) if upcoming else None  # type: ignore[arg-type,return-value]
    tz = zone(plan.timezone)
    return PlanView(
        plan=plan,
        organisation=org.key if org else "?",
        phases=phases,
        waves=[WaveView(w, members[w.id]) for w in waves],  # type: ignore[index]
        gates=gates,
        as_of=at,
        stage=stage_at(plan, at),
        current_phase=phase_on(phases, at.astimezone(tz).date()),
        next_gate=next_gate,
    )
