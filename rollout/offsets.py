"""T-minus offsets (`T-7d`, `T-24h`, `T+90m`) and durations (`2h`, `30m`, `1d`).

Day offsets move the calendar and keep the wall clock in the plan's zone
(T-1d of a 06:00 go-live is 06:00 the day before, even across a DST change);
hour and minute offsets are real elapsed time. Gates and runbook tasks share
these rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rollout.clock import UTC, normalise_local
from rollout.errors import GoliveError


class OffsetError(GoliveError):
    """An offset or duration that cannot be parsed."""


_TERM = re.compile(r"(\d+)([dhm])")
_OFFSET = re.compile(r"^T\s*(?:([+-])\s*((?:\d+[dhm])+)|([+-]?)0)$")


@dataclass(frozen=True)
class Offset:
    """A signed offset from go-live: calendar days first, then elapsed minutes."""

    days: int = 0
    minutes: int = 0

    def apply(self, anchor: datetime, tz: ZoneInfo) -> datetime:
        moved = anchor
        if self.days:
            wall = anchor.astimezone(tz).replace(tzinfo=None) + timedelta(days=self.days)
            moved = normalise_local(wall, tz)
        return (moved + timedelta(minutes=self.minutes)).astimezone(UTC)

    def __str__(self) -> str:
        if not self.days and not self.minutes:
            return "T+0"
        sign = "-" if (self.days < 0 or self.minutes < 0) else "+"
        parts = []
        if self.days:
            parts.append(f"{abs(self.days)}d")
        h, m = divmod(abs(self.minutes), 60)
        if h:
            parts.append(f"{h}h")
        if m:
            parts.append(f"{m}m")
        return "T" + sign + "".join(parts)


def is_offset(text: str) -> bool:
    return str(text).strip().upper().startswith("T")


def parse_offset(text: str) -> Offset:
    """`T-7d`, `T-1d12h`, `T+2h`, `T-90m`, `T+0`."""
    raw = str(text).strip()
    m = _OFFSET.match(raw)
    if not m:
        raise OffsetError(
            f"offset {raw!r} is not like T-7d, T-24h, T-90m or T+0 (d = calendar days, h/m = elapsed time)"
        )
    if m.group(3) is not None:
        return Offset()
    sign = -1 if m.group(1) == "-" else 1
    days = mins = 0
    seen: set[str] = set()
    for amount, unit in _TERM.findall(m.group(2)):
        if unit in seen:
            raise OffsetError(f"offset {raw!r} names {unit!r} twice")
        seen.add(unit)
        n = int(amount)
        if unit == "d":
            days += n
        elif unit == "h":
            mins += n * 60
        else:
            mins += n
    return Offset(days=sign * days, minutes=sign * mins)


_DURATION = re.compile(r"^((?:\d+(?:\.\d+)?[dhm]\s*)+)$")


def parse_duration(text: str | int | float) -> timedelta:
    """`2h`, `30m`, `1h30m`, `1d` (24 elapsed hours); a bare number is minutes."""
    if isinstance(text, bool):
        raise OffsetError(f"duration {text!r} is not like 2h, 30m or 1h30m")
    if isinstance(text, (int, float)):
        if text < 0:
            raise OffsetError(f"duration {text!r} is negative")
        return timedelta(minutes=text)
    raw = str(text).strip().replace(" ", "")
    if raw.startswith("-"):
        raise OffsetError(f"duration {raw!r} is negative")
    if not _DURATION.match(raw):
        raise OffsetError(f"duration {raw!r} is not like 2h, 30m or 1h30m")
    total = timedelta()
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)([dhm])", raw):
        value = float(amount)
        total += {"d": timedelta(days=value), "h": timedelta(hours=value), "m": timedelta(minutes=value)}[unit]
    return total
