"""What readiness is measured against: a plan's thresholds by default, its shifts, readiness window, requirements and units."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import normalise_local, zone
from rollout.models import Plan, Unit, Wave, WaveUnit

DEFAULT_SHIFTS = {"dag": "07:00-15:00", "kveld": "15:00-23:00", "natt": "23:00-07:00"}
DEFAULT_WINDOW_DAYS = 7
DEFAULT_STAFFING_MIN = 1.2
DEFAULT_TRAINING_MIN = 0.9  # for roles a training_min map names neither by role nor as `default`
DEFAULT_STAFF_PER_SUPERUSER = 10
DEFAULT_REST_HOURS = 11.0


def plan_shifts(plan: Plan | None) -> dict[str, tuple[time, time]]:
    """Shift name → (local start, local end); an end at or before the start is on the next day."""
    spec = (plan.shifts if plan is not None else None) or DEFAULT_SHIFTS
    out = {}
    for name, text in spec.items():
        start, end = text.split("-")
        out[name] = (time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
    return out


def shift_interval(day: date, start: time, end: time, tz_name: str) -> tuple[datetime, datetime]:
    """The UTC instants of a shift that starts on a local date: 23:00-07:00 lasts 7 h or 9 h on DST nights."""
    tz = zone(tz_name)
    begin = normalise_local(datetime.combine(day, start), tz)
    end_day = day + timedelta(days=1) if end <= start else day
    finish = normalise_local(datetime.combine(end_day, end), tz)
    return begin, finish


def readiness_window(plan: Plan, *, go_live: datetime | None = None, days: int | None = None) -> tuple[datetime, datetime]:
    """Cutover start → N days (wall clock) after go-live: the gate's N, else the plan's, else 7."""
    tz = zone(plan.timezone)
    anchor = (go_live or plan.go_live).astimezone(tz).replace(tzinfo=None)
    days = days or plan.readiness_window_days or DEFAULT_WINDOW_DAYS
    return plan.cutover_start, normalise_local(anchor + timedelta(days=days), tz)


def requirements(plan: Plan) -> dict[str, list[str]]:
    return dict(plan.training_requirements or {})


def plan_units(session: Session, plan: Plan, *, wave_id: int | None = None) -> list[tuple[int, str, str, str]]:
    """(unit id, unit key, unit name, hours) of the plan's organisation, or of one wave."""
    stmt = select(Unit.id, Unit.key, Unit.name, Unit.hours).where(Unit.organisation_id == plan.organisation_id)
    if wave_id is not None:
        stmt = stmt.join(WaveUnit, WaveUnit.unit_id == Unit.id).where(WaveUnit.wave_id == wave_id)
    return [tuple(r) for r in session.execute(stmt.order_by(Unit.key))]  # type: ignore[misc]


def wave_go_live(session: Session, wave_id: int | None) -> datetime | None:
    if wave_id is None:
        return None
    wave = session.get(Wave, wave_id)
    return wave.go_live if wave else None
