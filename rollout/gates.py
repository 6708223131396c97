"""Gates: evaluate each criterion from the data (GO only when every criterion passed) and record decisions.

Criteria are measured by functions the packages declare (`rollout.registry`);
a criterion nobody measures yet reports
"not measured yet" and never counts as passed, so such a gate is NO-GO.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout import audit
from rollout.clock import iso, now
from rollout.criteria import GateContext, Measurement, describe_criterion, measure_function
from rollout.errors import GoliveError, NotFound
from rollout.models import Gate, GateDecision, Plan, Wave
from rollout.readiness.shifts import plan_units
from rollout.yamlfile import suggest

GO, NO_GO = "GO", "NO-GO"
NO_CRITERIA = "the gate has no criteria, so nothing measured can pass"


@dataclass
class GateVerdict:
    plan: Plan
    gate: Gate
    wave: str | None
    at: datetime
    measurements: list[Measurement] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return GO if self.measurements and all(m.passed is True for m in self.measurements) else NO_GO

    @property
    def reasons(self) -> list[str]:
        """One line per criterion that did not pass, then its worst offenders."""
        if not self.measurements:
            return [NO_CRITERIA]
        lines = []
        for m in self.measurements:
            if m.passed is not True:
                lines.append(f"{m.criterion}: {m.summary}")
        return lines

    def as_json(self) -> dict[str, Any]:
        tz = self.plan.timezone
        return {
            "plan": self.plan.key,
            "gate": self.gate.key,
            "wave": self.wave,
            "at": iso(self.at, tz),
            "due_at": iso(self.gate.due_at, tz),
            "verdict": self.verdict,
            "reasons": self.reasons,
            "criteria": [
                {
                    "criterion": m.criterion,
                    "threshold": m.threshold,
                    "description": describe_criterion(m.criterion, m.threshold),
                    "value": m.value,
                    "passed": m.passed,
                    "measured": m.passed is not None,
                    "summary": m.summary,
                    "offenders": m.offenders,
                    "details": m.details,
                }
                for m in self.measurements
            ],
        }


def get_gate(session: Session, plan: Plan, key: str) -> Gate:
    gate = session.execute(select(Gate).where(Gate.plan_id == plan.id, Gate.key == key)).scalars().first()
    if gate is None:
        keys = list(session.execute(select(Gate.key).where(Gate.plan_id == plan.id)).scalars())
        raise NotFound(f"plan {plan.key!r} has no gate {key!r}{suggest(key, keys)}")
    return gate


def plan_gates(session: Session, plan: Plan) -> list[Gate]:
    return list(session.execute(select(Gate).where(Gate.plan_id == plan.id).order_by(Gate.position)).scalars())


def gate_context(session: Session, *, plan: Plan, gate: Gate | None, at: datetime) -> GateContext:
    """The units a gate speaks for: its wave's units, else all units of the plan's organisation."""
    wave_id = gate.wave_id if gate is not None else None
    units = plan_units(session, plan, wave_id=wave_id)
    return GateContext(plan=plan, gate=gate, at=at, unit_ids=[u[0] for u in units])


def evaluate_gate(session: Session, *, plan: Plan, gate: Gate, at: datetime) -> GateVerdict:
    """Measure every criterion of the gate as of `at` (never the gate's own due time)."""
    ctx = gate_context(session, plan=plan, gate=gate, at=at)
    wave = session.get(Wave, gate.wave_id).name if gate.wave_id else None  # type: ignore[union-attr]
    result = GateVerdict(plan=plan, gate=gate, wave=wave, at=at)
    for name, threshold in (gate.criteria or {}).items():
        measure = measure_function(name)
        if measure is None:
            result.measurements.append(Measurement(criterion=name, threshold=threshold))
            continue
        result.measurements.append(measure(session, ctx, threshold))
    return result


@dataclass
class PlanVerdict:
    """Every gate of a plan (or the one asked for) as of one instant; NO-GO when any gate is."""

    plan: Plan
    at: datetime
    gates: list[GateVerdict]
    single: bool = False  # one gate was asked for: its JSON is the gate's own

    @property
    def verdict(self) -> str:
        # A plan with no gates has nothing that says NO-GO (`gate check` on it exits 0 and says so).
        return NO_GO if any(v.verdict == NO_GO for v in self.gates) else GO

    def as_json(self) -> dict[str, Any]:
        if self.single:
            return self.gates[0].as_json()
        return {"plan": self.plan.key, "at": iso(self.at, self.plan.timezone), "verdict": self.verdict,
                "gates": [v.as_json() for v in self.gates]}


def evaluate_plan(session: Session, *, plan: Plan, at: datetime, gate_key: str | None = None) -> PlanVerdict:
    """The plan's gates (or the one named) measured as of `at`."""
    from rollout.memo import shared_reads

    gates = [get_gate(session, plan, gate_key)] if gate_key else plan_gates(session, plan)
    with shared_reads(session):  # every gate as of the same instant: an identical read (open P1s, training) runs once
        verdicts = [evaluate_gate(session, plan=plan, gate=g, at=at) for g in gates]
    return PlanVerdict(plan=plan, at=at, gates=verdicts, single=gate_key is not None)


# -- decisions ----------------------------------------------------------------


def decidable_keys(session: Session, plan: Plan) -> list[str]:
    """Keys `gate decide` accepts: the plan's gate keys, then its runbook gate tasks' keys."""
    from rollout.runbooks.gates import gate_task_keys

    plan_keys = [g.key for g in plan_gates(session, plan)]
    return plan_keys + [k for k in gate_task_keys(session, plan.id) if k not in plan_keys]  # type: ignore[arg-type]


def decide(
    session: Session,
    *,
    plan: Plan,
    key: str,
    go: bool,
    decided_by: str,
    note: str,
    actor: str,
    at: datetime | None = None,
    override: bool = False,
) -> tuple[GateDecision, GateVerdict | None]:
    """Record a go/no-go with the evidence it rests on; a GO against a NO-GO verdict needs `override`."""
    if not decided_by.strip():
        raise GoliveError("--by must name who decided")
    at = at or now()
    gate = session.execute(select(Gate).where(Gate.plan_id == plan.id, Gate.key == key)).scalars().first()
    verdict: GateVerdict | None = None
    if gate is not None:
        verdict = evaluate_gate(session, plan=plan, gate=gate, at=at)
    else:
        keys = decidable_keys(session, plan)
        if key not in keys:
            raise NotFound(f"plan {plan.key!r} has no gate {key!r}{suggest(key, keys)}")
    against = verdict is not None and verdict.verdict == NO_GO
    if go and against and not override:
        reasons = "; ".join(verdict.reasons[:3]) if verdict else ""
        raise GoliveError(f"gate {key!r} evaluates NO-GO ({reasons}); recording GO needs --override")
    decision = GateDecision(
        plan_id=plan.id,  # type: ignore[arg-type]
        gate_key=key,
        decision="go" if go else "no-go",
        verdict=verdict.verdict if verdict else None,
        override=bool(go and against),
        decided_by=decided_by.strip(),
        note=note,
        decided_at=at,  # when it was decided: --at for a decision recorded afterwards; the audit row has when it was written
        actor=actor,
        evidence=audit.jsonable(verdict.as_json()) if verdict else {"plan": plan.key, "gate": key, "at": iso(at, plan.timezone)},
    )
    session.add(decision)
    session.flush()
    audit.record(
        session, actor=actor, action="decide", entity="gate_decision", entity_key=f"{plan.key}/{key}",
        changes={"id": decision.id, "decision": decision.decision, "verdict": decision.verdict, "override": decision.override,
                 "decided_by": decision.decided_by},
    )
    return decision, verdict


def gate_history(session: Session, *, plan: Plan, key: str | None = None) -> list[GateDecision]:
    stmt = select(GateDecision).where(GateDecision.plan_id == plan.id)
    if key:
        stmt = stmt.where(GateDecision.gate_key == key)
    return list(session.execute(stmt.order_by(GateDecision.decided_at, GateDecision.id)).scalars())
