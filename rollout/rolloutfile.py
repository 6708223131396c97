"""The rollout file: organisations, units and plans declared in YAML, validated to typed specs.

Everything here is checked before anything is written, and each complaint
names the file and line. Cross-references to rows already in the database
(a plan for an organisation applied from another file) are checked by
`rollout.apply`, which also has the lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from rollout.clock import parse_date, parse_instant, zone
from rollout.criteria import KNOWN_CRITERIA
from rollout.errors import GoliveError, InputError
from rollout.models import ORG_KINDS, UNIT_HOURS
from rollout.offsets import Offset, is_offset, parse_offset
from rollout.yamlfile import LineDict, load_yaml, suggest

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGES = ("nb", "nn", "en")
DEFAULT_HYPERCARE_DAYS = 28
MAX_INT = 2**31 - 1  # PostgreSQL INTEGER
# Text limits of the columns (rollout.models): refused here with file and line,
# never by PostgreSQL half-way through an apply (SQLite would not complain at all).
MAX_KEY = 64
MAX_NAME = 200
MAX_SHORT_NAME = 100  # service areas, phase and wave names



@dataclass
class UnitSpec:
    key: str
    name: str
    service: str
    hours: str
    staff: int
    line: int


@dataclass
class OrganisationSpec:
    key: str
    name: str
    kind: str
    org_number: str | None
    units: list[UnitSpec]
    line: int


@dataclass
class PhaseSpec:
    name: str
    start: date
    end: date
    line: int


@dataclass
class WaveSpec:
    name: str
    go_live: datetime
    units: list[str]
    line: int
    unit_lines: list[int] = field(default_factory=list)


@dataclass
class GateSpec:
    key: str
    at: str | None  # as written: "T-7d" or a local time
    offset: Offset | None
    absolute: datetime | None
    wave: str | None
    criteria: dict[str, Any]
    line: int
    wave_line: int = 0
    readiness_window_days: int | None = None  # overrides the plan's window for this gate

    def due_at(self, anchor: datetime, tz_name: str) -> datetime | None:
        """The gate's due instant: an offset from the anchor go-live, or its absolute time."""
        if self.offset is not None:
            return self.offset.apply(anchor, zone(tz_name))
        return self.absolute


@dataclass
class PlanSpec:
    key: str
    organisation: str
    name: str
    timezone: str
    cutover_start: datetime
    go_live: datetime
    hypercare_until: date
    playbook: str | None
    language: str
    readiness_window_days: int | None
    phases: list[PhaseSpec]
    waves: list[WaveSpec]
    gates: list[GateSpec]
    line: int
    organisation_line: int
    # Readiness settings: {role: [course, …]} ("default" applies to roles not named), a course, {shift: "HH:MM-HH:MM"}
    training_requirements: dict[str, list[str]] | None = None
    superuser_course: str | None = None
    shifts: dict[str, str] | None = None


@dataclass
class RolloutFile:
    path: str
    organisations: list[OrganisationSpec]
    plans: list[PlanSpec]
    # Who to notify for an organisation key or a role ("kommune", "hemit"): key -> e-mail addresses.
    contacts: dict[str, list[str]] = field(default_factory=dict)
    contacts_line: int = 0


class _Reader:
    """Validation helpers that know the file, so every error carries file and line."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def fail(self, message: str, line: int | None) -> InputError:
        return InputError(message, path=self.path, line=line)

    def mapping(self, value: Any, what: str, line: int) -> LineDict:
        if not isinstance(value, LineDict):
            raise self.fail(f"{what} must be a mapping of keys to values", getattr(value, "line", line))
        return value

    def sequence(self, value: Any, what: str, line: int) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{what} must be a list", getattr(value, "line", line))
        return value

    def keys(self, node: LineDict, what: str, *, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        allowed = required + optional
        for key in node:
            if key not in allowed:
                raise self.fail(f"unknown key {key!r} in {what}{suggest(key, allowed)}", node.key_lines[key])
        for key in required:
            if key not in node or node[key] is None or node[key] == "":
                raise self.fail(f"{what} is missing required key {key!r}", node.line)

    def line_of(self, node: LineDict, key: str) -> int:
        return node.key_lines.get(key, node.line)

    def text(
        self, node: LineDict, key: str, what: str, default: str | None = None, *, max_length: int = MAX_NAME
    ) -> str | None:
        value = node.get(key, default)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            raise self.fail(f"{what} {key!r} must be text", self.line_of(node, key))
        text = str(value).strip()
        if len(text) > max_length:
            raise self.fail(
                f"{what} {key!r} is {len(text)} characters long; at most {max_length} are allowed", self.line_of(node, key)
            )
        return text

    def slug(self, node: LineDict, key: str, what: str) -> str:
        value = self.text(node, key, what, max_length=MAX_KEY) or ""
        if not KEY_RE.match(value):
            raise self.fail(
                f"{what} key {value!r} must be lower-case letters, digits and '-' (like 'trondheim')",
                self.line_of(node, key),
            )
        return value

    def integer(
        self, node: LineDict, key: str, what: str, *, default: int | None, minimum: int = 0, maximum: int = MAX_INT
    ) -> int | None:
        value = node.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).replace(" ", ""))
            except ValueError:
                raise self.fail(f"{what} {key!r} must be a whole number, not {value!r}", self.line_of(node, key)) from None
        if value < minimum:
            raise self.fail(f"{what} {key!r} must be at least {minimum}, not {value}", self.line_of(node, key))
        if value > maximum:
            raise self.fail(f"{what} {key!r} must be at most {maximum}, not {value}", self.line_of(node, key))
        return value

    def instant(self, node: LineDict, key: str, what: str, tz_name: str) -> datetime:
        try:
            return parse_instant(str(node[key]), tz_name, what=f"{what} {key}")
        except GoliveError as exc:
            raise self.fail(str(exc), self.line_of(node, key)) from None

    def day(self, node: LineDict, key: str, what: str) -> date:
        try:
            return parse_date(str(node[key]), what=f"{what} {key}")
        except GoliveError as exc:
            raise self.fail(str(exc), self.line_of(node, key)) from None


def read_rollout_file(path: Path) -> RolloutFile:
    """Parse and validate a rollout file; raises InputError naming file and line."""
    document = load_yaml(path)
    r = _Reader(path)
    top = r.mapping(document, "the rollout file", 1)
    r.keys(top, "the rollout file", required=(), optional=("organisations", "plans", "contacts"))
    if not top.get("organisations") and not top.get("plans") and not top.get("contacts"):
        raise r.fail("the file declares no organisations, plans or contacts", top.line)
    contacts = _contacts(r, top.get("contacts"), r.line_of(top, "contacts"))
    organisations = [_organisation(r, node) for node in r.sequence(top.get("organisations"), "organisations", top.line)]
    seen: dict[str, int] = {}
    for org in organisations:
        if org.key in seen:
            raise r.fail(f"organisation {org.key!r} is declared twice (first on line {seen[org.key]})", org.line)
        seen[org.key] = org.line
    plans = [_plan(r, node) for node in r.sequence(top.get("plans"), "plans", top.line)]
    seen = {}
    for plan in plans:
        if plan.key in seen:
            raise r.fail(f"plan {plan.key!r} is declared twice (first on line {seen[plan.key]})", plan.line)
        seen[plan.key] = plan.line
    return RolloutFile(
        path=str(path), organisations=organisations, plans=plans, contacts=contacts, contacts_line=r.line_of(top, "contacts")
    )


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _contacts(r: _Reader, raw: Any, line: int) -> dict[str, list[str]]:
    """`contacts: {hemit: [vakt@hemit.no], kommune: [...]}`: organisation keys or roles to e-mail addresses."""
    if raw is None:
        return {}
    node = r.mapping(raw, "contacts", line)
    contacts: dict[str, list[str]] = {}
    for key, value in node.items():
        key_line = node.key_lines[key]
        if not KEY_RE.match(key) or len(key) > 64:
            raise r.fail(f"contacts key {key!r} must be an organisation key or role like 'hemit' or 'kommune'", key_line)
        addresses = [value] if isinstance(value, str) else value
        if not isinstance(addresses, list) or not addresses:
            raise r.fail(f"contacts for {key!r} must be a list of e-mail addresses", key_line)
        seen: list[str] = []
        for address in addresses:
            text = str(address).strip() if isinstance(address, str) else ""
            if not EMAIL_RE.match(text) or len(text) > 200:
                raise r.fail(f"contacts for {key!r}: {address!r} is not an e-mail address", getattr(value, "line", key_line))
            if text.lower() not in (a.lower() for a in seen):
                seen.append(text)
        contacts[key] = seen
    return contacts


def _organisation(r: _Reader, raw: Any) -> OrganisationSpec:
    node = r.mapping(raw, "an organisation", getattr(raw, "line", 1))
    r.keys(node, "organisation", required=("key", "name", "kind"), optional=("org_number", "units"))
    key = r.slug(node, "key", "organisation")
    kind = r.text(node, "kind", "organisation") or ""
    if kind not in ORG_KINDS:
        raise r.fail(
            f"organisation {key!r}: kind {kind!r} is not one of {', '.join(ORG_KINDS)}{suggest(kind, ORG_KINDS)}",
            r.line_of(node, "kind"),
        )
    org_number = r.text(node, "org_number", "organisation")
    if org_number is not None:
        org_number = _org_number(r, org_number, r.line_of(node, "org_number"))
    units = [_unit(r, key, u) for u in r.sequence(node.get("units"), "units", node.line)]
    seen: dict[str, int] = {}
    for unit in units:
        if unit.key in seen:
            raise r.fail(
                f"unit {unit.key!r} is declared twice in organisation {key!r} (first on line {seen[unit.key]})",
                unit.line,
            )
        seen[unit.key] = unit.line
    return OrganisationSpec(key, r.text(node, "name", "organisation") or key, kind, org_number, units, node.line)


def _org_number(r: _Reader, value: str, line: int) -> str:
    from stdnum.exceptions import ValidationError
    from stdnum.no import orgnr

    compact = orgnr.compact(value)
    try:
        return orgnr.validate(compact)
    except ValidationError:
        if not (compact.isdigit() and len(compact) == 9):
            raise r.fail(f"org_number {value!r} must be 9 digits", line) from None
        raise r.fail(f"org_number {value!r} fails its mod-11 check digit", line) from None


def _unit(r: _Reader, org_key: str, raw: Any) -> UnitSpec:
    node = r.mapping(raw, "a unit", getattr(raw, "line", 1))
    r.keys(node, "unit", required=("key", "name"), optional=("service", "hours", "staff"))
    key = r.slug(node, "key", "unit")
    hours = r.text(node, "hours", "unit", "weekdays") or "weekdays"
    if hours not in UNIT_HOURS:
        raise r.fail(f"unit {org_key}/{key}: hours {hours!r} must be \"24/7\" or \"weekdays\"", r.line_of(node, "hours"))
    staff = r.integer(node, "staff", "unit", default=0) or 0
    return UnitSpec(
        key=key,
        name=r.text(node, "name", "unit") or key,
        service=r.text(node, "service", "unit", max_length=MAX_SHORT_NAME) or key,
        hours=hours,
        staff=staff,
        line=node.line,
    )


def _plan(r: _Reader, raw: Any) -> PlanSpec:
    node = r.mapping(raw, "a plan", getattr(raw, "line", 1))
    r.keys(
        node,
        "plan",
        required=("key", "organisation", "name", "cutover_start", "go_live"),
        optional=(
            "timezone",
            "hypercare_until",
            "playbook",
            "language",
            "readiness_window_days",
            "phases",
            "waves",
            "gates",
            "training",
            "shifts",
        ),
    )
    key = r.slug(node, "key", "plan")
    tz_name = r.text(node, "timezone", "plan", "Europe/Oslo", max_length=MAX_KEY) or "Europe/Oslo"
    try:
        tz = zone(tz_name)
    except GoliveError as exc:
        raise r.fail(str(exc), r.line_of(node, "timezone")) from None
    cutover_start = r.instant(node, "cutover_start", f"plan {key!r}", tz_name)
    go_live = r.instant(node, "go_live", f"plan {key!r}", tz_name)
    if go_live <= cutover_start:
        raise r.fail(
            f"plan {key!r}: go_live {go_live.astimezone(tz):%Y-%m-%d %H:%M} is not after "
            f"cutover_start {cutover_start.astimezone(tz):%Y-%m-%d %H:%M}",
            r.line_of(node, "go_live"),
        )
    go_live_day = go_live.astimezone(tz).date()
    if node.get("hypercare_until") is not None:
        hypercare_until = r.day(node, "hypercare_until", f"plan {key!r}")
        if hypercare_until < go_live_day:
            raise r.fail(f"plan {key!r}: hypercare_until {hypercare_until} is before go-live", r.line_of(node, "hypercare_until"))
    else:
        hypercare_until = go_live_day + timedelta(days=DEFAULT_HYPERCARE_DAYS)
    language = r.text(node, "language", "plan", "nb") or "nb"
    if language not in LANGUAGES:
        raise r.fail(f"plan {key!r}: language {language!r} must be nb, nn or en", r.line_of(node, "language"))
    window = r.integer(node, "readiness_window_days", f"plan {key!r}", default=None, minimum=1, maximum=3660)

    phases = [_phase(r, key, p) for p in r.sequence(node.get("phases"), "phases", node.line)]
    _unique(r, [(p.name, p.line) for p in phases], f"phase in plan {key!r}")
    waves = [_wave(r, key, w, tz_name, go_live) for w in r.sequence(node.get("waves"), "waves", node.line)]
    _unique(r, [(w.name, w.line) for w in waves], f"wave in plan {key!r}")
    gates = [_gate(r, key, g, tz_name) for g in r.sequence(node.get("gates"), "gates", node.line)]
    _unique(r, [(g.key, g.line) for g in gates], f"gate in plan {key!r}")
    wave_names = [w.name for w in waves]
    for gate in gates:
        if gate.wave is not None and gate.wave not in wave_names:
            raise r.fail(
                f"gate {gate.key!r} names wave {gate.wave!r}, which plan {key!r} does not have{suggest(gate.wave, wave_names)}",
                gate.wave_line,
            )
    requirements, superuser_course = _training(r, key, node)
    shifts = _shifts(r, key, node)
    return PlanSpec(
        key=key,
        organisation=r.slug(node, "organisation", "plan organisation"),
        name=r.text(node, "name", "plan") or key,
        timezone=tz_name,
        cutover_start=cutover_start,
        go_live=go_live,
        hypercare_until=hypercare_until,
        playbook=r.text(node, "playbook", "plan"),
        language=language,
        readiness_window_days=window,
        phases=phases,
        waves=waves,
        gates=gates,
        line=node.line,
        organisation_line=r.line_of(node, "organisation"),
        training_requirements=requirements,
        superuser_course=superuser_course,
        shifts=shifts,
    )


SHIFT_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
COURSE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$")


def _training(r: _Reader, plan_key: str, node: LineDict) -> tuple[dict[str, list[str]] | None, str | None]:
    """`training: {requirements: {lege: [HP-GRUNN, HP-LEGE]}, superuser_course: HP-SUPER}`."""
    if node.get("training") is None:
        return None, None
    line = r.line_of(node, "training")
    training = r.mapping(node["training"], f"plan {plan_key!r} training", line)
    r.keys(training, f"plan {plan_key!r} training", required=(), optional=("requirements", "superuser_course"))
    requirements: dict[str, list[str]] | None = None
    if training.get("requirements") is not None:
        req_line = r.line_of(training, "requirements")
        req = r.mapping(training["requirements"], f"plan {plan_key!r} training requirements", req_line)
        requirements = {}
        for role, courses in req.items():
            role_line = req.key_lines.get(role, req_line)
            role_name = str(role).strip().lower()
            if isinstance(courses, str):
                courses = [courses]
            if not isinstance(courses, list) or not all(isinstance(c, (str, int)) for c in courses):
                raise r.fail(f"plan {plan_key!r}: training requirements for {role_name!r} must be a list of course codes", role_line)
            codes = [str(c).strip() for c in courses]
            for code in codes:
                if not COURSE_RE.match(code):
                    raise r.fail(f"plan {plan_key!r}: course code {code!r} must be letters, digits and - _ . : /", role_line)
            if len(set(codes)) != len(codes):
                raise r.fail(f"plan {plan_key!r}: training requirements for {role_name!r} name a course twice", role_line)
            requirements[role_name] = codes
    superuser_course = r.text(training, "superuser_course", f"plan {plan_key!r} training", max_length=MAX_KEY)
    if superuser_course is not None and not COURSE_RE.match(superuser_course):
        raise r.fail(f"plan {plan_key!r}: superuser_course {superuser_course!r} is not a course code", r.line_of(training, "superuser_course"))
    return requirements, superuser_course


def _shifts(r: _Reader, plan_key: str, node: LineDict) -> dict[str, str] | None:
    """`shifts: {dag: "07:00-15:00", kveld: "15:00-23:00", natt: "23:00-07:00"}` (an end ≤ start is the next day)."""
    if node.get("shifts") is None:
        return None
    line = r.line_of(node, "shifts")
    shifts = r.mapping(node["shifts"], f"plan {plan_key!r} shifts", line)
    out: dict[str, str] = {}
    for name, value in shifts.items():
        item_line = shifts.key_lines.get(name, line)
        shift_name = str(name).strip().lower()
        if not KEY_RE.match(shift_name):
            raise r.fail(f"plan {plan_key!r}: shift name {name!r} must be lower-case letters, digits and '-'", item_line)
        m = SHIFT_RE.match(str(value).strip())
        if not m or int(m.group(1)) > 23 or int(m.group(3)) > 23 or int(m.group(2)) > 59 or int(m.group(4)) > 59:
            raise r.fail(f"plan {plan_key!r}: shift {shift_name!r} must be like \"07:00-15:00\", not {value!r}", item_line)
        start = f"{int(m.group(1)):02d}:{m.group(2)}"
        end = f"{int(m.group(3)):02d}:{m.group(4)}"
        if start == end:
            raise r.fail(f"plan {plan_key!r}: shift {shift_name!r} starts and ends at {start}", item_line)
        out[shift_name] = f"{start}-{end}"
    if not out:
        raise r.fail(f"plan {plan_key!r}: shifts must name at least one shift", line)
    return out


def _unique(r: _Reader, items: list[tuple[str, int]], what: str) -> None:
    seen: dict[str, int] = {}
    for name, line in items:
        if name in seen:
            raise r.fail(f"{what} {name!r} is declared twice (first on line {seen[name]})", line)
        seen[name] = line


def _phase(r: _Reader, plan_key: str, raw: Any) -> PhaseSpec:
    node = r.mapping(raw, "a phase", getattr(raw, "line", 1))
    r.keys(node, "phase", required=("name", "start", "end"), optional=())
    name = r.text(node, "name", "phase", max_length=MAX_SHORT_NAME) or ""
    start = r.day(node, "start", f"phase {name!r}")
    end = r.day(node, "end", f"phase {name!r}")
    if end < start:
        raise r.fail(f"plan {plan_key!r}: phase {name!r} ends ({end}) before it starts ({start})", r.line_of(node, "end"))
    return PhaseSpec(name, start, end, node.line)


def _wave(r: _Reader, plan_key: str, raw: Any, tz_name: str, plan_go_live: datetime) -> WaveSpec:
    node = r.mapping(raw, "a wave", getattr(raw, "line", 1))
    r.keys(node, "wave", required=("name",), optional=("go_live", "units"))
    name = r.text(node, "name", "wave", max_length=MAX_SHORT_NAME) or ""
    go_live = r.instant(node, "go_live", f"wave {name!r}", tz_name) if node.get("go_live") else plan_go_live
    units_raw = r.sequence(node.get("units"), f"wave {name!r} units", node.line)
    units: list[str] = []
    for unit in units_raw:
        if not isinstance(unit, (str, int)):
            raise r.fail(f"wave {name!r}: units must be unit keys", r.line_of(node, "units"))
        if str(unit) in units:
            raise r.fail(f"wave {name!r} names unit {unit!r} twice", r.line_of(node, "units"))
        units.append(str(unit))
    return WaveSpec(name, go_live, units, node.line)


def _gate(r: _Reader, plan_key: str, raw: Any, tz_name: str) -> GateSpec:
    node = r.mapping(raw, "a gate", getattr(raw, "line", 1))
    r.keys(node, "gate", required=("key",), optional=("at", "wave", "criteria", "readiness_window_days"))
    key = r.text(node, "key", "gate", max_length=MAX_KEY) or ""
    at = r.text(node, "at", f"gate {key!r}", max_length=MAX_KEY)
    offset = absolute = None
    if at is not None:
        try:
            if is_offset(at):
                offset = parse_offset(at)
            else:
                absolute = parse_instant(at, tz_name, what=f"gate {key!r} at")
        except GoliveError as exc:
            raise r.fail(str(exc), r.line_of(node, "at")) from None
    criteria_raw = node.get("criteria") or LineDict()
    criteria_node = r.mapping(criteria_raw, f"gate {key!r} criteria", r.line_of(node, "criteria"))
    criteria = {name: _criterion(r, key, criteria_node, name) for name in criteria_node}
    wave = r.text(node, "wave", f"gate {key!r}")
    window = r.integer(node, "readiness_window_days", f"gate {key!r}", default=None, minimum=1, maximum=3660)
    return GateSpec(key, at, offset, absolute, wave, criteria, node.line, r.line_of(node, "wave"), window)


def _criterion(r: _Reader, gate_key: str, node: LineDict, name: str) -> Any:
    line = r.line_of(node, name)
    value = node[name]
    if name not in KNOWN_CRITERIA:
        raise r.fail(
            f"gate {gate_key!r}: unknown criterion {name!r}{suggest(name, KNOWN_CRITERIA)}; "
            f"known: {', '.join(KNOWN_CRITERIA)}",
            line,
        )

    def number(v: Any, what: str, *, low: float, high: float | None = None) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise r.fail(f"gate {gate_key!r}: {what} must be a number, not {v!r}", line)
        if v < low or (high is not None and v > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise r.fail(f"gate {gate_key!r}: {what} must be {bound}, not {v}", line)
        return v

    if name == "training_min":
        # A share (0.9), or a map per role for roles that order medication: {default: 0.9, lege: 1.0}
        if isinstance(value, dict):
            return {str(role): number(v, f"training_min for {role!r}", low=0, high=1) for role, v in value.items()}
        return number(value, name, low=0, high=1)
    if name == "staff_per_superuser_max":
        return number(value, name, low=1)
    if name == "staffing_min":
        return number(value, name, low=0)
    if name == "open_p1_max":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise r.fail(f"gate {gate_key!r}: open_p1_max must be a whole number ≥ 0, not {value!r}", line)
        return value
    if not isinstance(value, bool):
        raise r.fail(f"gate {gate_key!r}: {name} must be true or false, not {value!r}", line)
    return value
