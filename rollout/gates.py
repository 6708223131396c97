"""Gates: evaluate each criterion from the data (GO only when every criterion passed) and record decisions.

Criteria are measured by functions registered by name in
`rollout.criteria.MEASURES`; a criterion nobody measures yet reports
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
from rollout.formats import percent, thousands
from rollout.models import Gate, GateDecision, Plan, Wave
from rollout.readiness.scope import (
    DEFAULT_REST_HOURS,
    DEFAULT_TRAINING_MIN,
    plan_units,
    readiness_window,
    wave_go_live,
)
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


def gate_window(session: Session, ctx: GateContext) -> tuple[datetime, datetime]:
    gate = ctx.gate
    return readiness_window(
        ctx.plan,
        go_live=wave_go_live(session, gate.wave_id if gate is not None else None),
        days=gate.readiness_window_days if gate is not None else None,
    )


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


def evaluate_plan(session: Session, *, plan: Plan, at: datetime, gate_key: str | None = None) -> list[GateVerdict]:
    gates = [get_gate(session, plan, gate_key)] if gate_key else plan_gates(session, plan)
    return [evaluate_gate(session, plan=plan, gate=g, at=at) for g in gates]


# -- the registered measures ------------------------------------------------


def measure_training(session: Session, ctx: GateContext, threshold: Any) -> Measurement:
    """training_min: every (unit, role) trained share at or above its threshold (a share, or a map per role)."""
    from rollout.readiness.training import training_status

    rows = training_status(session, plan=ctx.plan, at=ctx.at, unit_ids=ctx.unit_ids)
    m = Measurement(criterion="training_min", threshold=threshold)
    if not rows:
        m.passed = False
        m.summary = "no people in the gate's units: import people first"
        return m

    def need(role: str) -> float:
        if isinstance(threshold, dict):
            # a map without `default` leaves the other roles at the usual 90 %, never unchecked
            return threshold.get(role, threshold.get("default", DEFAULT_TRAINING_MIN))
        return threshold

    failing = []
    for row in rows:
        wanted = need(row.role)
        if row.trained < wanted * row.total - 1e-9:
            failing.append((row, wanted))
    failing.sort(key=lambda f: (f[0].share - f[1], f[0].unit, f[0].role))
    lowest = min(rows, key=lambda r: r.share)
    trained = sum(r.trained for r in rows)
    total = sum(r.total for r in rows)
    m.value = round(lowest.share, 4)
    m.passed = not failing
    m.offenders = [
        f"{r.unit} / {r.role}: {r.trained} of {r.total} trained ({percent(r.share)}), need {percent(w)}" for r, w in failing
    ]
    if failing:
        m.summary = f"{len(failing)} of {len(rows)} unit/role groups below their threshold; {thousands(trained)} of {thousands(total)} people trained"
    else:
        m.summary = f"all {len(rows)} unit/role groups meet their threshold; {thousands(trained)} of {thousands(total)} people trained (lowest {percent(lowest.share)})"
    m.details = {"trained": trained, "total": total, "groups": len(rows), "failing": [dict(r.as_json(), need=w) for r, w in failing]}
    return m


def measure_staffing(session: Session, ctx: GateContext, threshold: Any) -> Measurement:
    """staffing_min: every shift in the readiness window planned at ≥ threshold × baseline; 24/7 shifts need a row."""
    from rollout.readiness.staffing import staffing_gaps

    window = gate_window(session, ctx)
    units = plan_units(session, ctx.plan, wave_id=ctx.gate.wave_id if ctx.gate is not None else None)
    gaps, checked = staffing_gaps(session, plan=ctx.plan, unit_ids=ctx.unit_ids, window=window, minimum=float(threshold), units=units)
    m = Measurement(criterion="staffing_min", threshold=threshold)
    if checked == 0:
        m.passed = False
        m.summary = "no staffing plan in the readiness window: import staffing first"
        return m
    shares = [g.planned / g.baseline for g in gaps if g.planned is not None and g.baseline]
    missing = sum(1 for g in gaps if g.planned is None)
    m.value = round(min(shares), 4) if shares else None
    m.passed = not gaps
    ordered = sorted(gaps, key=lambda g: (g.planned is not None, (g.planned or 0) / (g.baseline or 1), g.slot.start))
    m.offenders = [g.describe() for g in ordered]
    tz = ctx.plan.timezone
    if gaps:
        m.summary = f"{len(gaps)} of {checked} shifts below {percent(float(threshold))} of baseline ({missing} with no staffing planned)"
    else:
        m.summary = f"all {checked} shifts at or above {percent(float(threshold))} of baseline"
    m.details = {"window": [iso(window[0], tz), iso(window[1], tz)], "shifts": checked, "gaps": [g.as_json(tz) for g in gaps]}
    return m


def measure_superusers(session: Session, ctx: GateContext, threshold: Any) -> Measurement:
    """staff_per_superuser_max: on every staffed shift, staff on shift ≤ threshold × trained superusers on duty."""
    from rollout.readiness.roster import roster_gaps

    window = gate_window(session, ctx)
    report = roster_gaps(session, plan=ctx.plan, at=ctx.at, unit_ids=ctx.unit_ids, window=window, maximum=float(threshold),
                         min_rest_hours=DEFAULT_REST_HOURS)
    m = Measurement(criterion="staff_per_superuser_max", threshold=threshold)
    if report.shifts_checked == 0:
        m.passed = False
        m.summary = "no staffed shifts in the readiness window: import staffing and the superuser roster first"
        return m
    gaps = report.ratio_gaps
    none = sum(1 for g in gaps if g.superusers == 0)
    ratios = [g.ratio for g in gaps if g.ratio is not None]
    m.value = None if none else (round(max(ratios), 2) if ratios else None)
    m.passed = not gaps
    m.offenders = [g.describe() for g in gaps]
    if gaps:
        m.summary = f"{len(gaps)} of {report.shifts_checked} shifts over {float(threshold):g} staff per superuser ({none} with no superuser)"
    else:
        m.summary = f"all {report.shifts_checked} shifts have a superuser per {float(threshold):g} staff"
    m.details = report.as_json(ctx.plan.timezone)
    return m


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
        decided_at=now(),
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
