"""The one clock, and the rules for turning people's local times into UTC instants.

Every command reads "now" through `now()`, so `GOLIVE_NOW` moves the whole
program (demos, tests, what-if runs) consistently.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rollout.errors import GoliveError

UTC = timezone.utc
OSLO = "Europe/Oslo"


class TimeError(GoliveError):
    """A time that cannot be understood, does not exist, or is ambiguous."""


def now() -> datetime:
    """The current instant, aware and in UTC; `GOLIVE_NOW` overrides it."""
    return env_now() or datetime.now(UTC)


def env_now() -> datetime | None:
    """`GOLIVE_NOW` as an instant, None when unset. The CLI checks it at start-up, so a bad value fails every command."""
    override = os.environ.get("GOLIVE_NOW")
    if not override:
        return None
    try:
        value = datetime.fromisoformat(override.strip().replace("Z", "+00:00"))
    except ValueError:
        raise TimeError(f"GOLIVE_NOW={override!r} is not an ISO 8601 time like 2022-05-07T06:00+02:00") from None
    if value.tzinfo is None:
        raise TimeError(f"GOLIVE_NOW={override!r} needs an offset, e.g. 2022-05-07T06:00+02:00")
    return value.astimezone(UTC)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeError(f"unknown time zone {name!r}{_zone_hint(name)}") from None


def _zone_hint(name: str) -> str:
    """` (did you mean 'Europe/Oslo'?)` for a typo of a real zone name; nothing for a guess."""
    import difflib
    import zoneinfo

    close = difflib.get_close_matches(str(name), sorted(zoneinfo.available_timezones()), n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}?)" if close else ""


def resolve_local(naive: datetime, tz: ZoneInfo, *, what: str = "time") -> datetime:
    """Turn a wall-clock time into an aware instant, refusing gaps and overlaps.

    A person who writes 02:30 on the spring-change night means a time that
    never happens; on the autumn night it happens twice. Guessing would move
    a cutover step by an hour, so both are refused with the reason.
    """
    early = naive.replace(tzinfo=tz, fold=0)
    late = naive.replace(tzinfo=tz, fold=1)
    roundtrip = early.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if roundtrip != naive:
        raise TimeError(
            f"{what} {naive:%Y-%m-%d %H:%M} does not exist in {tz.key} "
            f"(the clocks skip it when daylight saving time starts)"
        )
    if early.utcoffset() != late.utcoffset():
        raise TimeError(
            f"{what} {naive:%Y-%m-%d %H:%M} happens twice in {tz.key} "
            f"(clocks go back); add an offset: {iso(early)} or {iso(late)}"
        )
    return early.astimezone(UTC)


def normalise_local(naive: datetime, tz: ZoneInfo) -> datetime:
    """Resolve a *computed* wall-clock time: skip forward over a gap, take the first of an overlap.

    Used where the program, not a person, derived the local time (T-1d from a
    go-live), so there is nobody to ask; the rule is documented in the README.
    """
    # fold=0 is the pre-transition offset: in a gap that lands past the jump
    # (02:30 -> 03:30), in an overlap it is the first occurrence.
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


# The forms a person types or an export writes, tried in this order (one parser for
# --at, the rollout file and imports): ISO 8601, Norwegian day-first, and Moodle's wording.
_TIME = r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[AaPp][Mm])?"
_OFFSET = r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?"
_ISO_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?" + _OFFSET + r")?$"
)
_NORWEGIAN_RE = re.compile(
    r"^(?P<d>\d{1,2})[./](?P<mo>\d{1,2})[./](?P<y>\d{4}|\d{2})(?:,?\s+(?:kl\.?\s*)?" + _TIME + _OFFSET + r")?$",
    re.IGNORECASE,
)
# "Monday, 25 April 2022, 2:15 PM", "25 April 2022, 14:15", "mandag, 25. april 2022 kl. 14:15"
_WORDY_RE = re.compile(
    r"^(?:[A-Za-zæøåÆØÅ]+,?\s+)?(?P<d>\d{1,2})\.?\s+(?P<month>[A-Za-zæøåÆØÅ]+)\.?\s+(?P<y>\d{4})"
    r"(?:,?\s+(?:kl\.?\s*)?" + _TIME + r")?$",
    re.IGNORECASE,
)
_MONTHS: dict[str, int] = {}
for _names in (
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"),
    ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"),
):
    for _number, _name in enumerate(_names, start=1):
        _MONTHS[_name] = _number
        _MONTHS.setdefault(_name[:3], _number)

EXAMPLES = "2022-05-07T06:00, 07.05.2022 06:00 or 2022-05-07T06:00+02:00"


class WallTime(NamedTuple):
    """What a person wrote: a wall-clock time, its offset if one was given, and whether it had a time."""

    naive: datetime
    offset: str | None
    has_time: bool


def parse_wall(text: str, *, what: str = "time") -> WallTime:
    """Read a written date or date-time without deciding its zone yet.

    Accepts ISO 8601 (`2022-05-06T14:00`, `2022-05-06 14:00`, with or without an
    offset), Norwegian day-first (`06.05.2022 14:00`, `6.5.2022 kl. 14.00`,
    `06/05/22`), and wording as Moodle exports it (`Friday, 6 May 2022, 2:00 PM`,
    `6. mai 2022 kl. 14:00`). A date alone has the time 00:00.
    """
    raw = str(text).strip()
    m = _ISO_RE.match(raw) or _NORWEGIAN_RE.match(raw) or _WORDY_RE.match(raw)
    if not m:
        raise TimeError(f"{what} {raw!r} is not a time like {EXAMPLES}")
    parts = m.groupdict()
    year = int(parts["y"]) + (2000 if len(parts["y"]) == 2 else 0)
    if parts.get("month") is not None:
        month = _MONTHS.get(parts["month"].lower())
        if month is None:
            raise TimeError(f"{what} {raw!r}: unknown month {parts['month']!r}")
    else:
        month = int(parts["mo"])
    hour = int(parts["h"] or 0)
    ampm = (parts.get("ampm") or "").lower()
    if ampm:  # 12:30 AM is 00:30, 12:30 PM is 12:30
        hour = (0 if hour == 12 else hour) + (12 if ampm == "pm" else 0)
    try:
        naive = datetime(year, month, int(parts["d"]), hour, int(parts["mi"] or 0), int(parts["s"] or 0))
    except ValueError:
        raise TimeError(f"{what} {raw!r} is not a valid date and time") from None
    return WallTime(naive, parts.get("offset"), parts["h"] is not None)


def parse_local(text: str, tz: ZoneInfo | str = OSLO, *, what: str = "time", date_only: bool = True) -> datetime:
    """Parse a time a person typed, in tz unless it carries an offset, to a UTC instant.

    The one parser behind `--at`, the rollout file and the imports' text cells.
    A bare date means local midnight (refused when `date_only` is False); a
    local time in a DST gap or overlap is refused by `resolve_local`.
    """
    if isinstance(tz, str):
        tz = zone(tz)
    wall = parse_wall(text, what=what)
    if not wall.has_time and not date_only:
        raise TimeError(f"{what} {str(text).strip()!r} needs a time of day, e.g. {EXAMPLES}")
    if wall.offset:
        return _with_offset(wall.naive, wall.offset, text, what=what)
    return resolve_local(wall.naive, tz, what=what)


def _with_offset(naive: datetime, offset: str, text: str, *, what: str) -> datetime:
    if offset.upper() == "Z":
        return naive.replace(tzinfo=UTC)
    if ":" not in offset:
        offset = offset[:3] + ":" + offset[3:]
    try:
        return datetime.fromisoformat(naive.isoformat() + offset).astimezone(UTC)
    except ValueError:
        raise TimeError(f"{what} {str(text).strip()!r} has an invalid offset") from None


def parse_instant(text: str, tz: ZoneInfo | str = OSLO, *, what: str = "time") -> datetime:
    """`parse_local` with a bare date allowed (local midnight): the rollout file's times."""
    return parse_local(text, tz, what=what)


def parse_date(text: str, *, what: str = "date") -> date:
    raw = str(text).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return date.fromisoformat(raw)
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", raw)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        pass
    raise TimeError(f"{what} {raw!r} is not a date like 2022-05-07")


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The instant a local calendar day starts (midnight never falls in a Norwegian DST gap)."""
    return normalise_local(datetime(day.year, day.month, day.day), tz)


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The instant a local day ends: 24:00, i.e. the next day's midnight (inclusive-until rules)."""
    return local_midnight(day + timedelta(days=1), tz)


def to_local(instant: datetime, tz: ZoneInfo | str) -> datetime:
    if isinstance(tz, str):
        tz = zone(tz)
    return instant.astimezone(tz)


def iso(instant: datetime | None, tz: ZoneInfo | str | None = None) -> str | None:
    """`2022-05-07T06:00+02:00`: ISO 8601 to the minute with an offset, in tz when given (JSON output)."""
    if instant is None:
        return None
    if tz is not None:
        instant = to_local(instant, tz)
    return instant.isoformat(timespec="minutes")


def minutes(delta: timedelta) -> int:
    """Whole minutes of a duration, rounded toward zero (JSON durations are minutes)."""
    return int(delta.total_seconds() // 60) if delta >= timedelta(0) else -int((-delta).total_seconds() // 60)


def describe_duration(delta: timedelta) -> str:
    """`6 d 22 h 5 min`: a countdown people read at a glance."""
    total = abs(int(delta.total_seconds() // 60))
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts)
