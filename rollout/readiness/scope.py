"""What readiness is measured against: a plan's shifts, requirements, window and units, and unit lookups for imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import normalise_local, zone
from rollout.models import Organisation, Plan, Unit, Wave, WaveUnit
from rollout.yamlfile import suggest

DEFAULT_SHIFTS = {"dag": "07:00-15:00", "kveld": "15:00-23:00", "natt": "23:00-07:00"}
DEFAULT_WINDOW_DAYS = 7
DEFAULT_STAFFING_MIN = 1.2
DEFAULT_TRAINING_MIN = 0.9  # for roles a training_min map names neither by role nor as `default`
DEFAULT_STAFF_PER_SUPERUSER = 10
DEFAULT_REST_HOURS = 11.0
# Roles a people file may use even when no plan names them in its training requirements.
COMMON_ROLES = (
    "lege", "turnuslege", "sykepleier", "spesialsykepleier", "helsesykepleier", "jordmor", "helsefagarbeider",
    "vernepleier", "fysioterapeut", "ergoterapeut", "psykolog", "farmasøyt", "bioingeniør", "radiograf",
    "miljøterapeut", "sosionom", "assistent", "merkantil", "sekretær", "leder", "avdelingsleder", "annet",
)


@dataclass
class ImportResult:
    """What an import did (or would do with --dry-run)."""

    file: str
    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    deleted: int = 0  # with --replace: rows in the file's scope that the file no longer names
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "deleted": self.deleted,
            "dry_run": self.dry_run,
            "changed": self.changed,
        }


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


class UnitResolver:
    """Resolve `orgkey/unitkey`, a bare key (unique or with --org / an organisation column) or a unit name."""

    def __init__(self, session: Session, *, organisation: str | None = None) -> None:
        rows = session.execute(
            select(Unit.id, Unit.key, Unit.name, Unit.organisation_id, Organisation.key).join(
                Organisation, Organisation.id == Unit.organisation_id
            )
        ).all()
        self.by_full = {f"{org}/{key}": uid for uid, key, _n, _o, org in rows}
        self.by_key: dict[str, list[tuple[str, int]]] = {}
        self.by_name: dict[str, list[tuple[str, int]]] = {}
        self.org_of: dict[int, int] = {}
        for uid, key, name, org_id, org in rows:
            self.by_key.setdefault(key, []).append((org, uid))
            self.by_name.setdefault(name.strip().lower(), []).append((org, uid))
            self.org_of[uid] = org_id
        self.organisations = {org for *_x, org in rows}
        self.organisation_names = {
            name.strip().lower(): key for key, name in session.execute(select(Organisation.key, Organisation.name))
        }
        self.organisation = organisation
        self._cache: dict[tuple[str, str | None], int] = {}

    def organisation_key(self, text: str) -> str:
        """An organisation column holds a key (`trondheim`) or a name (`Trondheim kommune`)."""
        probe = text.strip().lower()
        if probe in self.organisations:
            return probe
        if probe in self.organisation_names:
            return self.organisation_names[probe]
        raise ValueError(f"unknown organisation {text!r}{suggest(probe, sorted(self.organisations))}")

    def resolve(self, text: str, organisation: str | None = None) -> int:
        """The unit id, or ValueError with a suggestion."""
        org = organisation or self.organisation
        cache_key = (text, org)
        hit = self._cache.get(cache_key)
        if hit is not None:
            return hit
        raw = text.strip()
        if not raw:
            raise ValueError("unit is empty")
        if "/" in raw:
            uid = self.by_full.get(raw.lower())
        else:
            uid = None
            for table, probe in ((self.by_key, raw.lower()), (self.by_name, raw.lower())):
                found = table.get(probe, [])
                if org is not None:
                    found = [f for f in found if f[0] == org]
                if len(found) == 1:
                    uid = found[0][1]
                    break
                if len(found) > 1:
                    orgs = ", ".join(sorted(o for o, _ in found))
                    raise ValueError(f"unit {raw!r} exists in several organisations ({orgs}); write orgkey/{raw} or use --org")
        if uid is None:
            known = list(self.by_full) if org is None else [k for k in self.by_full if k.startswith(f"{org}/")]
            probe = raw if "/" in raw or org is None else f"{org}/{raw}"
            raise ValueError(f"unknown unit {raw!r}{suggest(probe, known)}")
        self._cache[cache_key] = uid
        return uid


class PlanPicker:
    """The plan whose shifts and zone apply to a unit on a date: the organisation's plan nearest in time."""

    def __init__(self, session: Session, *, plan: Plan | None = None) -> None:
        self.fixed = plan
        self.by_org: dict[int, list[Plan]] = {}
        if plan is None:
            for p in session.execute(select(Plan)).scalars():
                self.by_org.setdefault(p.organisation_id, []).append(p)

    def for_unit(self, org_id: int, day: date) -> Plan | None:
        if self.fixed is not None:
            return self.fixed
        plans = self.by_org.get(org_id)
        if not plans:
            return None
        if len(plans) == 1:
            return plans[0]
        return min(plans, key=lambda p: abs((p.go_live.date() - day).days))


def known_roles(session: Session) -> set[str]:
    roles = set(COMMON_ROLES)
    for reqs in session.execute(select(Plan.training_requirements)).scalars():
        roles.update(r for r in (reqs or {}) if r != "default")
    return roles
