"""Superuser rosters: who is on duty where, and the gaps a gate cares about, computed in SQL.

For every staffed shift in the readiness window: staff on shift (the planned
headcount, superusers included) per superuser on duty who has completed the
superuser course. Also: untrained superusers, one person in two places at
once, rest under the limit between two duties (real elapsed time, so DST
nights count their true length) and the spread of duties per superuser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, extract, func, literal_column, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from rollout.clock import iso, to_local, zone
from rollout.memo import shared_read
from rollout.models import Plan, Unit
from rollout.readiness.lookup import PlanPicker, UnitResolver
from rollout.readiness.models import Person, RosterShift, StaffingShift, TrainingCompletion
from rollout.readiness.shifts import DEFAULT_REST_HOURS, plan_shifts, shift_interval
from rollout.tabular.bulk import rows_where_in, split_rows, write_import
from rollout.tabular.cells import date_cell, instant_cell, text_cell
from rollout.tabular.read import HeaderMap, read_table
from rollout.tabular.result import PROGRESS_STEP, ImportResult, Progress

ROSTER_ALIASES = {
    "ansattnr": "employee_id", "ansattnummer": "employee_id", "enhet": "unit", "avdeling": "unit",
    "dato": "date", "vakt": "shift", "skift": "shift", "fra": "start", "start time": "start", "til": "end", "slutt": "end",
    "end time": "end",
}
_t_roster = RosterShift.__table__  # type: ignore[attr-defined]
_t_staffing = StaffingShift.__table__  # type: ignore[attr-defined]
_t_person = Person.__table__  # type: ignore[attr-defined]
_t_unit = Unit.__table__  # type: ignore[attr-defined]
_t_training = TrainingCompletion.__table__  # type: ignore[attr-defined]


def import_roster(
    session: Session,
    *,
    path: Path,
    actor: str,
    organisation: str | None = None,
    plan: Plan | None = None,
    mapping: HeaderMap | None = None,
    dry_run: bool = False,
    replace: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Superusers on duty: `employee_id, unit, date, shift` or `employee_id, unit, start, end`.

    With `replace`, duties on the file's units within the file's first to last date that the file does not name are deleted.
    """
    table = read_table(
        path,
        required=("employee_id", "unit", "date", "shift"),
        alternatives=(("employee_id", "unit", "start", "end"),),
        aliases=ROSTER_ALIASES,
        mapping=mapping,
    )
    units = UnitResolver(session, organisation=organisation)
    picker = PlanPicker(session, plan=plan)
    named = {text_cell(row.get("employee_id")) for row in table.rows}
    people = dict(rows_where_in(session, select(_t_person.c.employee_id, _t_person.c.id), _t_person.c.employee_id, named))
    own_hours = "start" in table.columns and "end" in table.columns and not ("date" in table.columns and "shift" in table.columns)
    seen: dict[tuple[int, int, datetime], int] = {}
    parsed: list[dict[str, Any]] = []
    total = len(table.cells)
    for i, row in enumerate(table.rows):
        if progress is not None and i % PROGRESS_STEP == 0:
            progress(i, total)
        try:
            employee_id = text_cell(row.get("employee_id"))
            person_id = people.get(employee_id)
            if person_id is None:
                raise ValueError(f"unknown employee {employee_id!r}: import people first")
            unit_id = units.resolve(text_cell(row.get("unit")))
            if own_hours:
                provisional = instant_cell(row.get("start"), "start", "Europe/Oslo")
                chosen = picker.for_unit(units.org_of[unit_id], provisional.date())
                tz = chosen.timezone if chosen else "Europe/Oslo"
                start = instant_cell(row.get("start"), "start", tz)
                end = instant_cell(row.get("end"), "end", tz)
                if end <= start:
                    raise ValueError(f"end {text_cell(row.get('end'))} is not after start {text_cell(row.get('start'))}")
                day, shift = to_local(start, tz).date(), None
            else:
                day = date_cell(row.get("date"), "date")
                shift = text_cell(row.get("shift")).lower()
                chosen = picker.for_unit(units.org_of[unit_id], day)
                shifts = plan_shifts(chosen)
                if shift not in shifts:
                    where = f"plan {chosen.key!r}" if chosen is not None else "the default shifts"
                    raise ValueError(f"shift {text_cell(row.get('shift'))!r} is not defined ({where}: {', '.join(shifts)})")
                start, end = shift_interval(day, *shifts[shift], chosen.timezone if chosen else "Europe/Oslo")
            key = (person_id, unit_id, start)
            if key in seen:
                raise ValueError(f"duplicate duty for {employee_id} on {text_cell(row.get('unit'))} (first on row {table.lines[seen[key]]})")
            seen[key] = i
        except ValueError as exc:
            raise table.fail(str(exc), i) from None
        parsed.append({"person_id": person_id, "unit_id": unit_id, "day": day, "shift": shift, "start_at": start, "end_at": end})

    if progress is not None:
        progress(total, total)
    # Only the stored duties of the file's units that start within its dates (or at one of its start times).
    unit_ids = {v["unit_id"] for v in parsed}
    first, last = min(v["day"] for v in parsed), max(v["day"] for v in parsed)
    earliest, latest = min(v["start_at"] for v in parsed), max(v["start_at"] for v in parsed)
    columns = select(_t_roster.c.id, _t_roster.c.person_id, _t_roster.c.unit_id, _t_roster.c.start_at, _t_roster.c.end_at,
                     _t_roster.c.day, _t_roster.c.shift).where(
        or_(_t_roster.c.day.between(first, last), _t_roster.c.start_at.between(earliest, latest)))
    existing = {(r.person_id, r.unit_id, r.start_at): r for r in rows_where_in(session, columns, _t_roster.c.unit_id, unit_ids)}
    fields = ("end_at", "day", "shift")
    gone: list[int] = []
    if replace:
        kept = {(v["person_id"], v["unit_id"], v["start_at"]) for v in parsed}
        gone = [r.id for key, r in existing.items() if key not in kept and first <= r.day <= last]
    new_rows, changed = split_rows(existing, parsed, key=itemgetter("person_id", "unit_id", "start_at"), fields=fields)
    return write_import(session, _t_roster, kind="roster", path=path, parsed=parsed, new_rows=new_rows, changed=changed,
                        gone=gone, fields=fields, actor=actor, dry_run=dry_run)


# -- gaps --------------------------------------------------------------------


def seconds_between(session: Session, later: Any, earlier: Any) -> Any:
    """SQL for `later - earlier` in seconds of real (UTC) time, on either backend."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return extract("epoch", later - earlier)


@dataclass
class RatioRow:
    unit: str
    unit_name: str
    day: date
    shift: str
    start: datetime
    end: datetime
    staff: int
    superusers: int  # on duty and trained as superusers
    rostered: int  # on duty, trained or not

    @property
    def ratio(self) -> float | None:
        return self.staff / self.superusers if self.superusers else None

    def describe(self) -> str:
        ratio = f", {self.ratio:.1f} per superuser" if self.superusers else ""
        untrained = f" ({self.rostered - self.superusers} untrained on duty)" if self.rostered > self.superusers else ""
        noun = "superuser" if self.superusers == 1 else "superusers"
        return f"{self.unit} {self.shift} {self.day}: {self.staff} on shift, {self.superusers} {noun}{ratio}{untrained}"

    def as_json(self, tz: Any) -> dict[str, Any]:
        return {
            "unit": self.unit, "date": self.day.isoformat(), "shift": self.shift, "start": iso(self.start, tz), "end": iso(self.end, tz),
            "staff": self.staff, "superusers": self.superusers, "rostered": self.rostered,
            "staff_per_superuser": None if self.ratio is None else round(self.ratio, 2),
        }


@dataclass
class RosterReport:
    window: tuple[datetime, datetime]
    maximum: float
    min_rest_minutes: int
    shifts_checked: int = 0
    ratio_gaps: list[RatioRow] = field(default_factory=list)
    untrained_superusers: list[dict[str, Any]] = field(default_factory=list)
    double_bookings: list[dict[str, Any]] = field(default_factory=list)
    rest_violations: list[dict[str, Any]] = field(default_factory=list)
    spread: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self, tz: Any) -> dict[str, Any]:
        tz = zone(tz) if isinstance(tz, str) else tz  # looked up once for every shift's instants
        counts = [s["shifts"] for s in self.spread]
        return {
            "window": {"start": iso(self.window[0], tz), "end": iso(self.window[1], tz)},
            "staff_per_superuser_max": self.maximum,
            "min_rest_minutes": self.min_rest_minutes,
            "shifts_checked": self.shifts_checked,
            "ratio_gaps": [g.as_json(tz) for g in self.ratio_gaps],
            "untrained_superusers": self.untrained_superusers,
            "double_bookings": self.double_bookings,
            "rest_violations": self.rest_violations,
            "spread": self.spread,
            "spread_summary": {
                "superusers": len(counts),
                "min": min(counts) if counts else 0,
                "max": max(counts) if counts else 0,
                "mean": round(sum(counts) / len(counts), 2) if counts else 0,
            },
        }


def _trained_join(plan: Plan, at: datetime, person_col: Any):  # noqa: ANN202
    """A LEFT JOIN target and condition for 'completed the superuser course by `at`'."""
    tc = aliased(_t_training)
    return tc, and_(tc.c.person_id == person_col, tc.c.course == plan.superuser_course, tc.c.completed_at <= at)


@shared_read
def ratio_rows(session: Session, *, plan: Plan, at: datetime, unit_ids: list[int], window: tuple[datetime, datetime]) -> list[RatioRow]:
    """Each staffed shift in the window with its trained superusers on duty (one grouped query)."""
    start, end = window
    r = _t_roster
    overlap = and_(r.c.unit_id == _t_staffing.c.unit_id, r.c.start_at < _t_staffing.c.end_at, r.c.end_at > _t_staffing.c.start_at)
    stmt = (
        select(
            _t_unit.c.key, _t_unit.c.name, _t_staffing.c.day, _t_staffing.c.shift, _t_staffing.c.start_at, _t_staffing.c.end_at,
            _t_staffing.c.planned,
        )
        .select_from(_t_staffing)
        .join(_t_unit, _t_unit.c.id == _t_staffing.c.unit_id)
        .outerjoin(r, overlap)
        .where(_t_staffing.c.unit_id.in_(unit_ids), _t_staffing.c.start_at < end, _t_staffing.c.end_at > start)
        .group_by(_t_staffing.c.id, _t_unit.c.key, _t_unit.c.name, _t_staffing.c.day, _t_staffing.c.shift,
                  _t_staffing.c.start_at, _t_staffing.c.end_at, _t_staffing.c.planned)
    )
    if plan.superuser_course:
        tc, cond = _trained_join(plan, at, r.c.person_id)
        stmt = stmt.outerjoin(tc, cond).add_columns(
            func.count(func.distinct(case((tc.c.id.is_not(None), r.c.person_id)))), func.count(func.distinct(r.c.person_id))
        )
    else:
        stmt = stmt.add_columns(func.count(func.distinct(r.c.person_id)), func.count(func.distinct(r.c.person_id)))
    return [RatioRow(k, n, d, s, a, b, int(p), int(su), int(ro)) for k, n, d, s, a, b, p, su, ro in session.execute(stmt)]


@shared_read
def roster_gaps(
    session: Session,
    *,
    plan: Plan,
    at: datetime,
    unit_ids: list[int],
    window: tuple[datetime, datetime],
    maximum: float,
    min_rest_hours: float = DEFAULT_REST_HOURS,
) -> RosterReport:
    tz = plan.timezone
    start, end = window
    report = RosterReport(window=window, maximum=maximum, min_rest_minutes=round(min_rest_hours * 60))
    if not unit_ids:
        return report
    rows = ratio_rows(session, plan=plan, at=at, unit_ids=unit_ids, window=window)
    report.shifts_checked = len(rows)
    gaps = [row for row in rows if row.staff > 0 and (row.superusers == 0 or row.staff > maximum * row.superusers + 1e-9)]
    # worst first: no superuser at all, then the highest ratio
    gaps.sort(key=lambda g: (g.superusers != 0, -(g.ratio or 0), g.start, g.unit))
    report.ratio_gaps = gaps

    r = _t_roster
    in_scope = and_(r.c.unit_id.in_(unit_ids), r.c.start_at < end, r.c.end_at > start)

    # Superusers on duty without the superuser course by `at`: they do not count.
    if plan.superuser_course:
        tc, cond = _trained_join(plan, at, r.c.person_id)
        stmt = (
            select(_t_person.c.employee_id, _t_person.c.name, func.min(_t_unit.c.key), func.count(func.distinct(r.c.id)))
            .select_from(r)
            .join(_t_person, _t_person.c.id == r.c.person_id)
            .join(_t_unit, _t_unit.c.id == r.c.unit_id)
            .outerjoin(tc, cond)
            .where(in_scope, tc.c.id.is_(None))
            .group_by(_t_person.c.employee_id, _t_person.c.name)
            .order_by(_t_person.c.employee_id)
        )
        report.untrained_superusers = [
            {"employee_id": e, "name": n, "unit": u, "shifts": int(c), "course": plan.superuser_course} for e, n, u, c in session.execute(stmt)
        ]

    # One person on duty in two places (or twice) at once.
    r2 = aliased(_t_roster)
    u2 = aliased(_t_unit)
    stmt = (
        select(_t_person.c.employee_id, _t_person.c.name, _t_unit.c.key, r.c.start_at, r.c.end_at, u2.c.key, r2.c.start_at, r2.c.end_at)
        .select_from(r)
        .join(r2, and_(r2.c.person_id == r.c.person_id, r2.c.id != r.c.id, r2.c.start_at < r.c.end_at, r2.c.end_at > r.c.start_at,
                       or_(r2.c.start_at > r.c.start_at, and_(r2.c.start_at == r.c.start_at, r2.c.id > r.c.id))))
        .join(_t_person, _t_person.c.id == r.c.person_id)
        .join(_t_unit, _t_unit.c.id == r.c.unit_id)
        .join(u2, u2.c.id == r2.c.unit_id)
        .where(or_(in_scope, and_(r2.c.unit_id.in_(unit_ids), r2.c.start_at < end, r2.c.end_at > start)))
        .order_by(r.c.start_at, _t_person.c.employee_id)
    )
    report.double_bookings = [
        {"employee_id": e, "name": n, "first": {"unit": ua, "start": iso(sa, tz), "end": iso(ea, tz)},
         "second": {"unit": ub, "start": iso(sb, tz), "end": iso(eb, tz)}}
        for e, n, ua, sa, ea, ub, sb, eb in session.execute(stmt)
    ]

    # Rest between consecutive duties of one person, in real elapsed time.
    persons = select(r.c.person_id).where(in_scope).distinct()
    ordered = (
        select(
            r.c.person_id, r.c.unit_id, r.c.start_at, r.c.end_at,
            # the latest end of any earlier duty (not just the previous one: a short duty may sit inside a long one)
            func.max(r.c.end_at).over(partition_by=r.c.person_id, order_by=(r.c.start_at, r.c.id), rows=(None, -1)).label("prev_end"),
        )
        .where(r.c.person_id.in_(persons), r.c.start_at < end, r.c.end_at > start)
        .subquery("ordered")
    )
    rest = seconds_between(session, ordered.c.start_at, ordered.c.prev_end)
    limit = min_rest_hours * 3600
    stmt = (
        select(_t_person.c.employee_id, _t_person.c.name, ordered.c.prev_end, _t_unit.c.key, ordered.c.start_at, rest.label("rest"))
        .select_from(ordered)
        .join(_t_person, _t_person.c.id == ordered.c.person_id)
        .join(_t_unit, _t_unit.c.id == ordered.c.unit_id)
        .where(ordered.c.prev_end.is_not(None), rest >= 0, rest < limit - 0.5)
        .order_by(literal_column("rest"), _t_person.c.employee_id)
    )
    report.rest_violations = [
        {"employee_id": e, "name": n, "rest_minutes": int(round(float(sec) / 60)), "previous_end": iso(pe, tz),
         "unit": nu, "next_start": iso(ns, tz), "severity": "warning"}
        for e, n, pe, nu, ns, sec in session.execute(stmt)
    ]
    # SQLite measures rest as a float (julianday), so equal rests may differ in the last bits: order on whole minutes
    report.rest_violations.sort(key=lambda v: (v["rest_minutes"], v["employee_id"], v["next_start"]))

    # Spread: duties and hours per superuser in scope, busiest first.
    duration = seconds_between(session, r.c.end_at, r.c.start_at)
    stmt = (
        select(_t_person.c.employee_id, _t_person.c.name, func.min(_t_unit.c.key), func.count(r.c.id), func.sum(duration))
        .select_from(r)
        .join(_t_person, _t_person.c.id == r.c.person_id)
        .join(_t_unit, _t_unit.c.id == r.c.unit_id)
        .where(in_scope)
        .group_by(_t_person.c.employee_id, _t_person.c.name)
        .order_by(func.count(r.c.id).desc(), _t_person.c.employee_id)
    )
    report.spread = [
        {"employee_id": e, "name": n, "unit": u, "shifts": int(c), "minutes": int(round(float(sec or 0) / 60))}
        for e, n, u, c, sec in session.execute(stmt)
    ]
    return report


def roster_entries(session: Session, *, person_id: int | None = None, unit_id: int | None = None) -> list[tuple[Any, ...]]:
    """(id, employee_id, name, unit key, unit name, shift, start, end) for iCalendar export."""
    stmt = (
        select(_t_roster.c.id, _t_person.c.employee_id, _t_person.c.name, _t_unit.c.key, _t_unit.c.name, _t_roster.c.shift,
               _t_roster.c.start_at, _t_roster.c.end_at)
        .join(_t_person, _t_person.c.id == _t_roster.c.person_id)
        .join(_t_unit, _t_unit.c.id == _t_roster.c.unit_id)
        .order_by(_t_roster.c.start_at, _t_person.c.employee_id)
    )
    if person_id is not None:
        stmt = stmt.where(_t_roster.c.person_id == person_id)
    if unit_id is not None:
        stmt = stmt.where(_t_roster.c.unit_id == unit_id)
    return [tuple(row) for row in session.execute(stmt)]


def duties_of(
    session: Session, *, employee_id: str | None = None, unit: str | None = None, organisation: str | None = None
) -> tuple[list[tuple[Any, ...]], str]:
    """The duties of one superuser (by employee id) or on one unit, with a calendar title; NotFound naming what is unknown."""
    from rollout.errors import NotFound
    from rollout.readiness.lookup import UnitResolver

    if employee_id is not None:
        pid = session.execute(select(_t_person.c.id).where(_t_person.c.employee_id == employee_id.strip())).scalar()
        if pid is None:
            raise NotFound(f"no person with employee id {employee_id.strip()!r}")
        return roster_entries(session, person_id=pid), f"Superbrukervakter {employee_id.strip()}"
    try:
        unit_id = UnitResolver(session, organisation=organisation).resolve(unit or "")
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    name = session.execute(select(_t_unit.c.name).where(_t_unit.c.id == unit_id)).scalar()
    return roster_entries(session, unit_id=unit_id), f"Superbrukere {name}"
