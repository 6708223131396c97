"""Staffing: planned against normal headcount per unit and shift, and the shifts below `staffing_min` × baseline.

A shift belongs to the local date it starts on; its instants are fixed at
import from the plan's shift definitions, in real elapsed time (a 23:00-07:00
night lasts 7 h on the spring DST night and 9 h on the autumn one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import zone
from rollout.models import Plan, Unit
from rollout.readiness.lookup import PlanPicker, UnitResolver
from rollout.readiness.models import StaffingShift
from rollout.readiness.shifts import plan_shifts, shift_interval
from rollout.tabular.bulk import rows_where_in, split_rows, write_import
from rollout.tabular.cells import date_cell, int_cell, text_cell
from rollout.tabular.read import HeaderMap, read_table
from rollout.tabular.result import PROGRESS_STEP, ImportResult, Progress

STAFFING_ALIASES = {
    "enhet": "unit", "avdeling": "unit", "dato": "date", "dag": "date", "vakt": "shift", "skift": "shift",
    "planlagt": "planned", "planned headcount": "planned", "bemanning": "planned",
    "normal": "baseline", "normalbemanning": "baseline", "grunnbemanning": "baseline", "baseline headcount": "baseline",
}
_t_staffing = StaffingShift.__table__  # type: ignore[attr-defined]
_t_unit = Unit.__table__  # type: ignore[attr-defined]


def import_staffing(
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
    """Create or update staffing rows by (unit, date, shift).

    With `replace`, rows of the file's units within the file's first to last date that the file does not name are deleted.
    """
    table = read_table(
        path, required=("unit", "date", "shift", "planned", "baseline"), aliases=STAFFING_ALIASES, mapping=mapping
    )
    units = UnitResolver(session, organisation=organisation)
    picker = PlanPicker(session, plan=plan)
    seen: dict[tuple[int, date, str], int] = {}
    parsed: list[dict[str, Any]] = []
    total = len(table.cells)
    for i, row in enumerate(table.rows):
        if progress is not None and i % PROGRESS_STEP == 0:
            progress(i, total)
        try:
            unit_id = units.resolve(text_cell(row.get("unit")))
            day = date_cell(row.get("date"), "date")
            shift = text_cell(row.get("shift")).lower()
            chosen = picker.for_unit(units.org_of[unit_id], day)
            shifts = plan_shifts(chosen)
            if shift not in shifts:
                where = f"plan {chosen.key!r}" if chosen is not None else "the default shifts"
                raise ValueError(f"shift {text_cell(row.get('shift'))!r} is not defined ({where}: {', '.join(shifts)})")
            key = (unit_id, day, shift)
            if key in seen:
                raise ValueError(f"duplicate row for {text_cell(row.get('unit'))} {day} {shift} (first on row {table.lines[seen[key]]})")
            seen[key] = i
            start, end = shift_interval(day, *shifts[shift], chosen.timezone if chosen else "Europe/Oslo")
            planned = int_cell(row.get("planned"), "planned")
            baseline = int_cell(row.get("baseline"), "baseline")
        except ValueError as exc:
            raise table.fail(str(exc), i) from None
        parsed.append({"unit_id": unit_id, "day": day, "shift": shift, "start_at": start, "end_at": end, "planned": planned, "baseline": baseline})

    if progress is not None:
        progress(total, total)
    # Only the stored rows of the file's units between its first and last date.
    unit_ids = {v["unit_id"] for v in parsed}
    first, last = min(v["day"] for v in parsed), max(v["day"] for v in parsed)
    columns = select(_t_staffing.c.id, _t_staffing.c.unit_id, _t_staffing.c.day, _t_staffing.c.shift, _t_staffing.c.start_at,
                     _t_staffing.c.end_at, _t_staffing.c.planned, _t_staffing.c.baseline).where(_t_staffing.c.day.between(first, last))
    existing = {(r.unit_id, r.day, r.shift): r for r in rows_where_in(session, columns, _t_staffing.c.unit_id, unit_ids)}
    fields = ("start_at", "end_at", "planned", "baseline")
    gone: list[int] = []
    if replace:
        named = {(v["unit_id"], v["day"], v["shift"]) for v in parsed}
        gone = [r.id for key, r in existing.items() if key not in named]
    new_rows, changed = split_rows(existing, parsed, key=itemgetter("unit_id", "day", "shift"), fields=fields)
    return write_import(session, _t_staffing, kind="staffing", path=path, parsed=parsed, new_rows=new_rows, changed=changed,
                        gone=gone, fields=fields, actor=actor, dry_run=dry_run)


@dataclass
class ShiftSlot:
    unit: str
    unit_name: str
    day: date
    shift: str
    start: datetime
    end: datetime


@dataclass
class StaffingGap:
    slot: ShiftSlot
    planned: int | None  # None: no row for a shift of a 24/7 unit
    baseline: int | None
    minimum: float

    @property
    def required(self) -> int | None:
        """Whole people: minimum × baseline rounded up (in hundredths, so 1.2 × 10 is 12, not 13)."""
        if self.baseline is None:
            return None
        return -(-round(self.minimum * 100) * self.baseline // 100)

    def describe(self) -> str:
        s = self.slot
        if self.planned is None:
            return f"{s.unit} {s.shift} {s.day}: no staffing planned (24/7 unit)"
        share = f"{round(100 * self.planned / self.baseline):g} %" if self.baseline else "—"
        return f"{s.unit} {s.shift} {s.day}: {self.planned} planned, baseline {self.baseline} ({share}), need {round(self.minimum * 100):g} %"

    def as_json(self, tz: str) -> dict[str, Any]:
        from rollout.clock import iso

        s = self.slot
        return {
            "unit": s.unit, "date": s.day.isoformat(), "shift": s.shift, "start": iso(s.start, tz), "end": iso(s.end, tz),
            "duration_minutes": int((s.end - s.start).total_seconds() // 60),
            "planned": self.planned, "baseline": self.baseline,
            "required": self.required,
            "missing": self.planned is None,
        }


def expected_slots(plan: Plan, units: list[tuple[int, str, str, str]], window: tuple[datetime, datetime]) -> list[tuple[int, ShiftSlot]]:
    """Every shift of every 24/7 unit that overlaps the window (weekday units are judged by their rows only)."""
    tz = zone(plan.timezone)
    start, end = window
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date()
    shifts = plan_shifts(plan)
    slots = []
    for unit_id, key, name, hours in units:
        if hours != "24/7":
            continue
        day = first
        while day <= last:
            for shift, (s, e) in shifts.items():
                begin, finish = shift_interval(day, s, e, plan.timezone)
                if begin < end and finish > start:
                    slots.append((unit_id, ShiftSlot(key, name, day, shift, begin, finish)))
            day += timedelta(days=1)
    return slots


def staffing_gaps(
    session: Session, *, plan: Plan, unit_ids: list[int], window: tuple[datetime, datetime], minimum: float,
    units: list[tuple[int, str, str, str]],
) -> tuple[list[StaffingGap], int]:
    """Shifts in the window planned below minimum × baseline, plus 24/7 shifts with no row; and the shifts checked."""
    start, end = window
    rows = session.execute(
        select(_t_staffing.c.unit_id, _t_unit.c.key, _t_unit.c.name, _t_staffing.c.day, _t_staffing.c.shift,
               _t_staffing.c.start_at, _t_staffing.c.end_at, _t_staffing.c.planned, _t_staffing.c.baseline)
        .join(_t_unit, _t_unit.c.id == _t_staffing.c.unit_id)
        .where(_t_staffing.c.unit_id.in_(unit_ids), _t_staffing.c.start_at < end, _t_staffing.c.end_at > start)
    ).all()
    gaps = []
    present = set()
    for unit_id, key, name, day, shift, s, e, planned, baseline in rows:
        present.add((unit_id, day, shift))
        # compare in hundredths so 1.2 × 10 is exactly 12, not 12.000000000000002
        if planned * 100 < round(minimum * 100) * baseline:
            gaps.append(StaffingGap(ShiftSlot(key, name, day, shift, s, e), planned, baseline, minimum))
    checked = len(rows)
    for unit_id, slot in expected_slots(plan, [u for u in units if u[0] in set(unit_ids)], window):
        if (unit_id, slot.day, slot.shift) not in present:
            gaps.append(StaffingGap(slot, None, None, minimum))
            checked += 1
    gaps.sort(key=lambda g: (g.slot.start, g.slot.unit, g.slot.shift))
    return gaps, checked
