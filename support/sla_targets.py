"""SLA targets per priority (response and resolution), their defaults and the rollout file's overrides.

Decisions:
- A target keeps its days apart from its hours and minutes (`Target(days=3)`,
  `Target(minutes=240)`, `1d12h` is both), because a day means different
  amounts of time on the two clocks: on the business clock a day is 8
  business hours (DESIGN.md, "Business days"); on the 24/7 hypercare clock it
  is 24 h of elapsed time. Hours and minutes are the same on both clocks.
- Durations are written `15m`, `4h`, `3d`, `1d12h` (whole numbers, units d/h/m
  in that order). A bare number is refused: an SLA without a unit is a guess.
- Overrides replace single targets (`{P3: {resolution: 3d}}` keeps P3's
  response); the merged table must still have every response no longer than
  its resolution, on both clocks.
- Errors are `SlaConfigError` (a GoliveError and a ValueError) naming the
  key path, e.g. `sla.P3.resolution`, so the rollout-file reader can add the line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import Any, Literal

from rollout.errors import GoliveError

PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3", "P4")
KINDS: tuple[str, ...] = ("response", "resolution")
Kind = Literal["response", "resolution"]

BUSINESS_DAY = timedelta(hours=8)  # DESIGN.md: a day on the business clock is 8 business hours
ELAPSED_DAY = timedelta(hours=24)  # on the 24/7 clock a day is a real day of elapsed time


class SlaConfigError(GoliveError, ValueError):
    """An SLA target or business calendar that cannot be used; `key` is the path of the bad entry."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        self.key = key
        self.detail = message
        super().__init__(f"{key}: {message}" if key else message)


@dataclass(frozen=True)
class Target:
    """How long a ticket may take: whole days (clock-dependent) plus minutes (the same on both clocks)."""

    days: int = 0
    minutes: int = 0

    def __post_init__(self) -> None:
        if self.days < 0 or self.minutes < 0 or (self.days == 0 and self.minutes == 0):
            raise SlaConfigError(f"an SLA target must be longer than zero, not {self.days}d {self.minutes}m")

    @property
    def in_days(self) -> bool:
        return self.days > 0

    @property
    def round_the_clock(self) -> timedelta:
        """The target as elapsed time on the 24/7 clock."""
        return self.days * ELAPSED_DAY + timedelta(minutes=self.minutes)

    @property
    def business(self) -> timedelta:
        """The target as business time on the business clock."""
        return self.days * BUSINESS_DAY + timedelta(minutes=self.minutes)

    def __str__(self) -> str:
        hours, mins = divmod(self.minutes, 60)
        parts = [f"{n}{unit}" for n, unit in ((self.days, "d"), (hours, "h"), (mins, "m")) if n]
        return "".join(parts)


@dataclass(frozen=True)
class PriorityTargets:
    """The two clocks a ticket of one priority runs: first response and resolution."""

    response: Target
    resolution: Target

    def of(self, kind: Kind) -> Target:
        if kind not in KINDS:
            raise SlaConfigError(f"unknown SLA clock {kind!r}; use response or resolution")
        return self.response if kind == "response" else self.resolution


Targets = Mapping[str, PriorityTargets]

DEFAULT_TARGETS: Targets = MappingProxyType(
    {
        "P1": PriorityTargets(response=Target(minutes=15), resolution=Target(minutes=4 * 60)),
        "P2": PriorityTargets(response=Target(minutes=60), resolution=Target(minutes=8 * 60)),
        "P3": PriorityTargets(response=Target(minutes=4 * 60), resolution=Target(days=3)),
        "P4": PriorityTargets(response=Target(days=1), resolution=Target(days=10)),
    }
)

_TARGET_RE = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?:in)?)?$")


def parse_target(text: Any, *, key: str | None = None) -> Target:
    """`15m`, `4h`, `3d`, `1d12h`, `1h30m` -> Target; anything else is a SlaConfigError naming `key`."""
    if isinstance(text, Target):
        return text
    hint = "write it like 15m, 4h, 3d or 1d12h (d = day: 8 business hours, or 24 h in hypercare)"
    if isinstance(text, bool) or not isinstance(text, str):
        raise SlaConfigError(f"{text!r} is not a duration; {hint}", key=key)
    raw = text.strip().lower().replace(" ", "")
    m = _TARGET_RE.match(raw)
    if not raw or not m:
        raise SlaConfigError(f"{text!r} is not a duration; {hint}", key=key)
    days, hours, mins = (int(g) if g else 0 for g in m.groups())
    if days == 0 and hours == 0 and mins == 0:
        raise SlaConfigError(f"{text!r} is zero; an SLA target must be longer than zero", key=key)
    return Target(days=days, minutes=hours * 60 + mins)


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def targets_with_overrides(overrides: Mapping[str, Any] | None, *, base: Targets = DEFAULT_TARGETS, key: str = "sla") -> Targets:
    """Merge `{P1: {response: 15m, resolution: 4h}, P3: {resolution: 3d}}` over `base`, all or nothing."""
    merged = {p: base[p] for p in PRIORITIES}
    if overrides is None:
        return MappingProxyType(merged)
    if not isinstance(overrides, Mapping):
        raise SlaConfigError(f"must be a mapping of priorities (P1-P4) to targets, not {overrides!r}", key=key)
    for raw_priority, entry in overrides.items():
        priority = str(raw_priority)
        if priority not in PRIORITIES:
            raise SlaConfigError(
                f"unknown priority {priority!r}; use one of {', '.join(PRIORITIES)}{_suggest(priority.upper(), PRIORITIES)}",
                key=key,
            )
        where = f"{key}.{priority}"
        if not isinstance(entry, Mapping) or not entry:
            raise SlaConfigError(f"must map response and/or resolution to a duration, not {entry!r}", key=where)
        values = {"response": merged[priority].response, "resolution": merged[priority].resolution}
        for raw_kind, text in entry.items():
            kind = str(raw_kind)
            if kind not in KINDS:
                raise SlaConfigError(f"unknown key {kind!r}; use response or resolution{_suggest(kind, KINDS)}", key=where)
            values[kind] = parse_target(text, key=f"{where}.{kind}")
        merged[priority] = PriorityTargets(**values)
    for priority, targets in merged.items():
        r, s = targets.response, targets.resolution
        if r.business > s.business or r.round_the_clock > s.round_the_clock:
            raise SlaConfigError(f"response {r} is longer than resolution {s}", key=f"{key}.{priority}")
    return MappingProxyType(merged)


def target_for(targets: Targets, priority: str, kind: Kind) -> Target:
    """The target of one clock of one priority; an unknown priority is a SlaConfigError."""
    try:
        entry = targets[priority]
    except KeyError:
        raise SlaConfigError(
            f"unknown priority {priority!r}; use one of {', '.join(PRIORITIES)}{_suggest(str(priority).upper(), PRIORITIES)}"
        ) from None
    return entry.of(kind)
