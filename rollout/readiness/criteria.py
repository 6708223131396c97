"""Readiness criteria for go/no-go gates: training share, superusers per staff, staffing over baseline.

Each criterion is one `Criterion` object: validated and described here,
measured here, registered in `rollout/readiness/declare.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from rollout.criteria import GateContext, Measurement
from rollout.formats import percent, thousands
from rollout.readiness.shifts import DEFAULT_REST_HOURS, DEFAULT_TRAINING_MIN, plan_units, readiness_window, wave_go_live
from rollout.seams import Criterion, CriterionValueError, number


def gate_window(session: Session, ctx: GateContext) -> tuple[datetime, datetime]:
    """The readiness window a gate looks at: its own `readiness_window_days`, else the plan's."""
    gate = ctx.gate
    return readiness_window(
        ctx.plan,
        go_live=wave_go_live(session, gate.wave_id if gate is not None else None),
        days=gate.readiness_window_days if gate is not None else None,
    )


# -- training_min ---------------------------------------------------------------


def _validate_training(value: Any) -> Any:
    # A share (0.9), or a map per role for roles that order medication: {default: 0.9, lege: 1.0}
    if isinstance(value, dict):
        if not value:
            raise CriterionValueError("training_min must name at least one role, or be a share like 0.9")
        return {str(role): number(v, f"training_min for {role!r}", low=0, high=1) for role, v in value.items()}
    return number(value, "training_min", low=0, high=1)


def _describe_training(value: Any) -> str:
    if isinstance(value, dict):
        default = value.get("default", DEFAULT_TRAINING_MIN)  # roles the map does not name need the usual 90 %
        roles = ", ".join(f"{r} {percent(v)}" for r, v in value.items() if r != "default")
        head = f"training ≥ {percent(default)}"
        return f"{head} ({roles})" if roles else head
    return f"training ≥ {percent(value)}"


def training_need(threshold: Any, role: str) -> float:
    """The share a role needs; a map without `default` leaves other roles at the usual 90 %, never unchecked."""
    if isinstance(threshold, dict):
        return threshold.get(role, threshold.get("default", DEFAULT_TRAINING_MIN))
    return threshold


def measure_training(session: Session, ctx: GateContext, threshold: Any) -> Measurement:
    """Every (unit, role) trained share at or above its threshold; a role with no required course is not met."""
    from rollout.readiness.shifts import requirements
    from rollout.readiness.training import training_status

    rows = training_status(session, plan=ctx.plan, at=ctx.at, unit_ids=ctx.unit_ids)
    m = Measurement(criterion="training_min", threshold=threshold)
    if not rows:
        m.passed = False
        m.summary = "no people in the gate's units: import people first"
        return m
    reqs = requirements(ctx.plan)
    # "Trained" in nothing is not trained: without a required course the share is vacuous.
    if not any(reqs.values()):
        m.passed = False
        m.summary = "the plan requires no courses, so nobody can count as trained: set training.requirements in the rollout file"
        return m
    # A role the requirements forget (no entry, no default) is not trained; `role: []` says "none needed" on purpose.
    untaught = sorted({r.role for r in rows if r.role not in reqs and "default" not in reqs})
    failing = [(row, training_need(threshold, row.role)) for row in rows if row.role not in untaught]
    failing = [(row, wanted) for row, wanted in failing if row.trained < wanted * row.total - 1e-9]
    failing.sort(key=lambda f: (f[0].share - f[1], f[0].unit, f[0].role))
    measured = [r for r in rows if r.role not in untaught]
    trained = sum(r.trained for r in measured)
    total = sum(r.total for r in measured)
    m.value = round(min(r.share for r in measured), 4) if measured else None
    m.passed = not failing and not untaught
    m.offenders = [f"role {role}: not in training.requirements and no default (write `{role}: []` if it needs none)" for role in untaught]
    m.offenders += [
        f"{r.unit} / {r.role}: {r.trained} of {r.total} trained ({percent(r.share)}), need {percent(w)}" for r, w in failing
    ]
    groups = len(rows)
    if untaught:
        m.summary = f"{len(untaught)} role(s) have no required course ({', '.join(untaught)}); {len(failing)} of {groups} unit/role groups below their threshold"
    elif failing:
        m.summary = f"{len(failing)} of {groups} unit/role groups below their threshold; {thousands(trained)} of {thousands(total)} people trained"
    else:
        lowest = min(rows, key=lambda r: r.share)
        m.summary = f"all {groups} unit/role groups meet their threshold; {thousands(trained)} of {thousands(total)} people trained (lowest {percent(lowest.share)})"
    m.details = {"trained": trained, "total": total, "groups": groups, "roles_without_courses": untaught,
                 "failing": [dict(r.as_json(), need=w) for r, w in failing]}
    return m


TRAINING_MIN = Criterion(
    name="training_min",
    help="share of each unit's people per role who finished their required courses (0-1, or a map per role)",
    validate=_validate_training,
    describe=_describe_training,
    measure="rollout.readiness.criteria:measure_training",
)


# -- staffing_min -----------------------------------------------------------------


def measure_staffing(session: Session, ctx: GateContext, threshold: Any) -> Measurement:
    """Every shift in the readiness window planned at ≥ threshold × baseline; 24/7 shifts need a row."""
    from rollout.clock import iso
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


STAFFING_MIN = Criterion(
    name="staffing_min",
    help="planned headcount on every cutover shift as a multiple of baseline (1.2 = 120 %)",
    validate=lambda v: number(v, "staffing_min", low=0),
    describe=lambda v: f"staffing ≥ {percent(v)} of baseline",
    measure="rollout.readiness.criteria:measure_staffing",
)


# -- staff_per_superuser_max ----------------------------------------------------------


def measure_superusers(session: Session, ctx: GateContext, threshold: Any) -> Measurement:
    """On every staffed shift, staff on shift ≤ threshold × trained superusers on duty."""
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


STAFF_PER_SUPERUSER_MAX = Criterion(
    name="staff_per_superuser_max",
    help="most staff on shift per trained superuser on duty (10 = 1 superuser to 10 staff)",
    validate=lambda v: number(v, "staff_per_superuser_max", low=1),
    describe=lambda v: f"≤ {v:g} staff per superuser",
    measure="rollout.readiness.criteria:measure_superusers",
)
