"""A plain model of the SLA clock for the property tests: walk the days one by one and use up the target.

Deliberately independent of support.sla_timeline: no running totals, no
binary search, just the rules of support.sla_clock's docstring.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from fractions import Fraction

from support.business_hours import BusinessCalendar
from support.sla_targets import Target

UTC = timezone.utc
US = timedelta(microseconds=1)
Interval = tuple[datetime, datetime]


def _merge(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for lo, hi in sorted((a.astimezone(UTC), b.astimezone(UTC)) for a, b in intervals if b > a):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


def _minus(lo: datetime, hi: datetime, holes: list[Interval]) -> list[Interval]:
    pieces = [(lo, hi)]
    for a, b in holes:
        pieces = [p for x, y in pieces for p in ((x, min(y, a)), (max(x, b), y)) if p[1] > p[0]]
    return pieces


def stretches(start: datetime, calendar: BusinessCalendar, windows: list[Interval], pauses: list[Interval]) -> Iterator[tuple[datetime, datetime, bool]]:
    tz = calendar.tz
    windows, pauses = _merge(windows), _merge(pauses)
    day = start.astimezone(tz).date()
    while True:
        lo = max(start, datetime.combine(day, datetime.min.time(), tz).astimezone(UTC))
        hi = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz).astimezone(UTC)
        pieces = [(max(a, lo), min(b, hi), True) for a, b in windows if b > lo and a < hi]
        hours = calendar.hours_on(day)
        if hours is not None:
            business_lo, business_hi = max(hours[0], lo), min(hours[1], hi)
            if business_hi > business_lo:
                pieces += [(a, b, False) for a, b in _minus(business_lo, business_hi, windows)]
        for a, b, around in sorted(pieces):
            for x, y in _minus(a, b, pauses):
                yield x, y, around
        day += timedelta(days=1)


def reference_due(
    start: datetime, target: Target, *, calendar: BusinessCalendar, windows: list[Interval], pauses: list[Interval], share: Fraction = Fraction(1)
) -> datetime:
    left = share
    for lo, hi, around in stretches(start.astimezone(UTC), calendar, windows, pauses):
        whole = (target.round_the_clock if around else target.business) // US
        used = Fraction((hi - lo) // US, whole)
        if used >= left:
            return lo + timedelta(microseconds=math.ceil(left * whole))
        left -= used
    raise AssertionError("unreachable")
