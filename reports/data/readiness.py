"""Readiness: the training heatmap, staffing gaps, superuser coverage for the next 72 hours, and the worst gaps by name.

Every figure comes from the readiness library, as the gates measure it:
`training_status` (unit × role), `staffing_gaps`, and `ratio_rows` (each staffed
shift with its trained superusers on duty, as `roster_gaps` counts them): shifts
short of superusers over what is left of the readiness window, and the coverage
of the next 72 hours.
Thresholds are the plan gates' own (`gate_threshold`), else the defaults.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from rollout.models import Plan
from reports.model import CoverageRow, Readiness, StaffingGapRow, TrainingRow, WorstGap

COVERAGE_HOURS = 72
WORST = 10  # named gaps listed


def training_threshold(session: Session, plan: Plan) -> Any:
    """The plan's `training_min` (a share, or a map per role) from its first gate that sets it; else 0.9."""
    from rollout.gates import plan_gates
    from rollout.readiness.shifts import DEFAULT_TRAINING_MIN

    for g in plan_gates(session, plan):
        if "training_min" in (g.criteria or {}):
            return g.criteria["training_min"]
    return DEFAULT_TRAINING_MIN


def _missing(trained: int, total: int, minimum: float) -> int:
    """People still to train for the row to reach its minimum (in hundredths, so 0.9 × 10 is 9)."""
    return max(0, -(-round(minimum * 100) * total // 100) - trained)


def remaining_window(window: tuple[datetime, datetime], at: datetime) -> tuple[datetime, datetime]:
    """What is left of the readiness window as of `at`; once it has passed, the next 72 hours."""
    start, end = max(window[0], at), window[1]
    return (start, end) if end > start else (at, at + timedelta(hours=COVERAGE_HOURS))


def readiness_section(session: Session, plan: Plan, at: datetime) -> Readiness:
    from rollout.readiness.criteria import training_need
    from rollout.readiness.roster import ratio_rows
    from rollout.readiness.scope import ReadinessScope, gate_threshold, scope_window
    from rollout.readiness.shifts import DEFAULT_STAFF_PER_SUPERUSER, DEFAULT_STAFFING_MIN, plan_units
    from rollout.readiness.staffing import staffing_gaps
    from rollout.readiness.training import training_status

    units = plan_units(session, plan)
    unit_ids = [u[0] for u in units]
    scope = ReadinessScope(plan=plan, gate=None, units=units)
    window = scope_window(session, scope, at=at)

    threshold = training_threshold(session, plan)
    default_min = float(training_need(threshold, "default")) if isinstance(threshold, dict) else float(threshold)
    rows = []
    for r in training_status(session, plan=plan, at=at, unit_ids=unit_ids):
        need = float(training_need(threshold, r.role))
        rows.append(TrainingRow(unit=r.unit, unit_name=r.unit_name, role=r.role, trained=r.trained, total=r.total,
                                share=round(r.share, 4), minimum=need, passed=r.trained >= need * r.total - 1e-9))
    trained = sum(r.trained for r in rows)
    total = sum(r.total for r in rows)

    ahead = remaining_window(window, at)
    staffing_min = gate_threshold(session, plan=plan, gate=None, criterion="staffing_min", default=DEFAULT_STAFFING_MIN)
    gaps, _checked = staffing_gaps(session, plan=plan, unit_ids=unit_ids, window=ahead, minimum=staffing_min, units=units)
    staffing = tuple(
        StaffingGapRow(unit=g.slot.unit, unit_name=g.slot.unit_name, date=g.slot.day, shift=g.slot.shift, start=g.slot.start,
                       planned=g.planned, baseline=g.baseline, required=g.required,
                       missing=None if g.planned is None or g.required is None else max(0, g.required - g.planned))
        for g in gaps
    )

    ratio = gate_threshold(session, plan=plan, gate=None, criterion="staff_per_superuser_max", default=DEFAULT_STAFF_PER_SUPERUSER)
    # the shifts ahead short of superusers, by roster_gaps' own rule over the same ratio_rows (its rest and
    # double-booking checks are the gates' business, not this count's)
    ahead_rows = ratio_rows(session, plan=plan, at=at, unit_ids=unit_ids, window=ahead) if unit_ids else []
    short = sum(1 for r in ahead_rows if r.staff > 0 and (r.superusers == 0 or r.staff > ratio * r.superusers + 1e-9))
    coverage_end = at + timedelta(hours=COVERAGE_HOURS)
    coverage = []
    if unit_ids:
        for r in ratio_rows(session, plan=plan, at=at, unit_ids=unit_ids, window=(at, coverage_end)):
            if r.staff <= 0:
                continue
            gap = max(0, math.ceil(r.staff / ratio - 1e-9) - r.superusers)
            coverage.append(CoverageRow(unit=r.unit, unit_name=r.unit_name, date=r.day, shift=r.shift, start=r.start,
                                        staff=r.staff, superusers=r.superusers, gap=gap))
    coverage.sort(key=lambda c: (c.start, c.unit, c.shift))

    worst: list[WorstGap] = [
        WorstGap("training", r.unit, r.unit_name, r.role, None, None, _missing(r.trained, r.total, r.minimum))
        for r in rows if not r.passed
    ]
    worst += [WorstGap("superusers", c.unit, c.unit_name, None, c.date, c.shift, c.gap) for c in coverage if c.gap > 0]
    worst += [WorstGap("staffing", s.unit, s.unit_name, None, s.date, s.shift, s.missing) for s in staffing
              if s.start < coverage_end]
    worst.sort(key=lambda w: (w.missing is not None, -(w.missing or 0), w.kind, w.unit, w.role or "", w.date or at.date(), w.shift or ""))

    return Readiness(
        window_start=window[0], window_end=window[1], training_min=default_min,
        training_share=round(trained / total, 4) if total else None, trained=trained, total=total, training=tuple(rows),
        staffing_min=float(staffing_min), staffing_gaps=staffing, superuser_ratio=float(ratio),
        superuser_gaps=short,
        coverage_start=at, coverage_end=coverage_end, superuser_coverage=tuple(coverage), worst_gaps=tuple(worst[:WORST]),
    )
