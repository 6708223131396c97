"""The one clock, and the rules for turning people's local times into UTC instants.

Every command reads "now" through `now()`, so `GOLIVE_NOW` moves the whole
program (demos, tests, what-if runs) consistently.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rollout.errors import GoliveError

UTC = timezone.utc
OSLO = "Europe/Oslo"


class TimeError(GoliveError):
    """A time that cannot be understood, does not exist, or is ambiguous."""


def now() -> datetime:
    """The current instant, aware and in UTC; `GOLIVE_NOW` overrides it."""
    override = os.environ.get("GOLIVE_NOW")
    if override:
        try:
            value = datetime.fromisoformat(override.strip().replace("Z", "+00:00"))
        except ValueError:
            raise TimeError(f"GOLIVE_NOW={override!r} is not an ISO 8601 time") from None
        if value.tzinfo is None:
            raise TimeError(f"GOLIVE_NOW={override!r} needs an offset, e.g. 2022-05-07T06:00+02:00")
        return value.astimezone(UTC)
    return datetime.now(UTC)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeError(f"unknown time zone {name!r}") from None


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


_DATETIME_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?)?$"
)


def parse_instant(text: str, tz: ZoneInfo | str = OSLO, *, what: str = "time") -> datetime:
    """Parse `2022-05-07T06:00` (local in tz) or with an explicit offset, to UTC.

    A bare date means local midnight.
    """
    if isinstance(tz, str):
        tz = zone(tz)
    raw = str(text).strip()
    m = _DATETIME_RE.match(raw)
    if not m:
        raise TimeError(f"{what} {raw!r} is not a time like 2022-05-07T06:00 or 2022-05-07T06:00+02:00")
    iso = m.group("date") + "T" + (m.group("time") or "00:00")
    if len(iso.split("T")[1].split(":")[0]) == 1:
        iso = iso.replace("T", "T0", 1)
    offset = m.group("offset")
    try:
        naive = datetime.fromisoformat(iso)
    except ValueError:
        raise TimeError(f"{what} {raw!r} is not a valid date and time") from None
    if offset:
        if offset == "Z":
            return naive.replace(tzinfo=UTC)
        if ":" not in offset:
            offset = offset[:3] + ":" + offset[3:]
        try:
            return datetime.fromisoformat(iso + offset).astimezone(UTC)
        except ValueError:
            raise TimeError(f"{what} {raw!r} has an invalid offset") from None
    return resolve_local(naive, tz, what=what)


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
