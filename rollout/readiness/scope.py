"""What a readiness view speaks for: a plan, or one gate's wave, narrowed to a unit or role; and the threshold it applies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from rollout.models import Gate, Plan
from rollout.readiness.lookup import plan_role, plan_unit
from rollout.readiness.shifts import plan_units


@dataclass
class ReadinessScope:
    """The plan, the gate whose wave and window apply (if any), the units in scope and the optional filters."""

    plan: Plan
    gate: Gate | None
    units: list[tuple[int, str, str, str]]  # (id, key, name, hours)
    unit_id: int | None = None  # only this unit
    role: str | None = None  # only this role

    @property
    def unit_ids(self) -> list[int]:
        return [u[0] for u in self.units]


def readiness_scope(
    session: Session, *, plan: str, gate: str | None = None, unit: str | None = None, role: str | None = None
) -> ReadinessScope:
    """A gate speaks for its wave's units, a plan for all units of its organisation; unit and role must be known to the plan."""
    from rollout.gates import get_gate
    from rollout.plans import get_plan

    the_plan = get_plan(session, plan)
    the_gate = get_gate(session, the_plan, gate) if gate else None
    units = plan_units(session, the_plan, wave_id=the_gate.wave_id if the_gate is not None else None)
    return ReadinessScope(
        plan=the_plan,
        gate=the_gate,
        units=units,
        unit_id=plan_unit(session, the_plan, unit) if unit is not None else None,
        role=plan_role(session, the_plan, role) if role is not None else None,
    )


def scope_window(session: Session, scope: ReadinessScope, *, at: datetime) -> tuple[datetime, datetime]:
    """The readiness window of the scope's gate (its wave's go-live, its own days), else of the plan."""
    from rollout.gates import gate_context
    from rollout.readiness.criteria import gate_window

    return gate_window(session, gate_context(session, plan=scope.plan, gate=scope.gate, at=at))


def gate_threshold(session: Session, *, plan: Plan, gate: Gate | None, criterion: str, default: float) -> float:
    """The gate's own threshold for a criterion, else the first plan gate's single-valued one, else the default."""
    from rollout.gates import plan_gates

    if gate is not None and criterion in (gate.criteria or {}):
        return float(gate.criteria[criterion])
    for g in plan_gates(session, plan):
        if criterion in (g.criteria or {}) and not isinstance(g.criteria[criterion], dict):
            return float(g.criteria[criterion])
    return default
