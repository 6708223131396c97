"""The rollout file's plans: dates, phases, waves, training requirements and shifts (gates in `gates.py`)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from rollout.clock import zone
from rollout.errors import GoliveError
from rollout.linecheck import KEY_RE, MAX_KEY, MAX_SHORT_NAME, LineReader
from rollout.rolloutfile.gates import gate_section
from rollout.rolloutfile.specs import PhaseSpec, PlanSpec, WaveSpec
from rollout.yamlfile import LineDict, suggest

LANGUAGES = ("nb", "nn", "en")
DEFAULT_HYPERCARE_DAYS = 28


def plan_section(r: LineReader, raw: Any) -> PlanSpec:
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
    gates = [gate_section(r, key, g, tz_name) for g in r.sequence(node.get("gates"), "gates", node.line)]
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


def _training(r: LineReader, plan_key: str, node: LineDict) -> tuple[dict[str, list[str]] | None, str | None]:
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


def _shifts(r: LineReader, plan_key: str, node: LineDict) -> dict[str, str] | None:
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


def _unique(r: LineReader, items: list[tuple[str, int]], what: str) -> None:
    seen: dict[str, int] = {}
    for name, line in items:
        if name in seen:
            raise r.fail(f"{what} {name!r} is declared twice (first on line {seen[name]})", line)
        seen[name] = line


def _phase(r: LineReader, plan_key: str, raw: Any) -> PhaseSpec:
    node = r.mapping(raw, "a phase", getattr(raw, "line", 1))
    r.keys(node, "phase", required=("name", "start", "end"), optional=())
    name = r.text(node, "name", "phase", max_length=MAX_SHORT_NAME) or ""
    start = r.day(node, "start", f"phase {name!r}")
    end = r.day(node, "end", f"phase {name!r}")
    if end < start:
        raise r.fail(f"plan {plan_key!r}: phase {name!r} ends ({end}) before it starts ({start})", r.line_of(node, "end"))
    return PhaseSpec(name, start, end, node.line)


def _wave(r: LineReader, plan_key: str, raw: Any, tz_name: str, plan_go_live: datetime) -> WaveSpec:
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
