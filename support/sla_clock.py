"""SLA clocks: when a target falls due, and how much of it has been used, across hypercare, business hours and pauses.

Pure and database-free: instants in, instants out. The queue stores the due
times at write time, so the sweep is a set-based comparison with now in SQL.

Decisions:
- Time counts in *stretches*. Inside a 24/7 window (an organisation's
  cutover start to `hypercare_until` at 24:00 local) every elapsed second
  counts, computed in UTC, so a DST night is a 23 h or 25 h night. Outside
  the windows only business hours count. A deadline that crosses the end of
  hypercare goes on in business hours; one that runs into a window goes on 24/7.
- Hours and minutes of a target count the same on both clocks. Its days do
  not (24 h against 8 business hours), so what a stretch uses up is a share
  of the target: a 24/7 stretch uses length / target-as-elapsed-time, a
  business stretch length / target-as-business-time. A target is due when
  the shares reach 1. For an hours-only target this is plain addition; for
  P3's 3 days, one day of hypercare leaves two business days.
- Pauses (waiting on the reporter) are removed from the timeline: the due
  time moves by the SLA time waited, not by the wall-clock time (a weekend
  spent waiting moves nothing on the business clock). Waiting on a partner or
  a change is not a pause; the caller does not pass it.
- A priority change is retroactive: recompute from the ticket's creation
  with the new priority's targets (`ticket_due`); time already used counts
  against them.
- The at-risk instant (75 % of a target used) is a due time with share 3/4,
  so the sweep can find tickets at risk by comparing a stored instant too.
- Due times are exact to the microsecond, rounded up, so a ticket is never
  due before its target is used up. Naive datetimes are refused.
- Cost: one step per local day of the span (plus pauses and windows in it),
  never per minute.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from rollout.clock import UTC, TimeError, end_of_day, local_midnight, zone
from support.business_hours import DEFAULT_CALENDAR, BusinessCalendar
from support.sla_targets import DEFAULT_TARGETS, Target, Targets, target_for

Interval = tuple[datetime, datetime]

AT_RISK = Fraction(3, 4)  # issue 9: at risk once 75 % or more of a target has elapsed
_US = timedelta(microseconds=1)
_MAX_DAYS = 366 * 50  # a calendar that never opens must fail, not loop


@dataclass(frozen=True)
class SlaTime:
    """SLA time used: on the 24/7 clock and on the business clock, kept apart because days differ."""

    round_the_clock: timedelta = timedelta(0)
    business: timedelta = timedelta(0)

    @property
    def total(self) -> timedelta:
        """Both clocks added up: the time used against an hours-and-minutes target."""
        return self.round_the_clock + self.business

    @property
    def minutes(self) -> float:
        return self.total / timedelta(minutes=1)


@dataclass(frozen=True)
class TicketDue:
    """A ticket's SLA instants (UTC): when each clock falls due and when it becomes at risk."""

    response_due: datetime
    resolution_due: datetime
    response_at_risk: datetime
    resolution_at_risk: datetime


def _utc(instant: datetime, what: str) -> datetime:
    if not isinstance(instant, datetime):
        raise TimeError(f"{what} must be a datetime, not {instant!r}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise TimeError(f"{what} {instant.isoformat()} has no time zone; SLA clocks need aware instants")
    return instant.astimezone(UTC)


def _normalise(intervals: Sequence[Interval], what: str) -> list[Interval]:
    """Aware, in UTC, sorted, overlaps merged; empty intervals dropped, backwards ones refused."""
    cleaned: list[Interval] = []
    for a, b in intervals:
        lo, hi = _utc(a, f"{what} start"), _utc(b, f"{what} end")
        if hi < lo:
            raise TimeError(f"{what} ends before it starts: {lo.isoformat()} .. {hi.isoformat()}")
        if hi > lo:
            cleaned.append((lo, hi))
    cleaned.sort()
    merged: list[Interval] = []
    for lo, hi in cleaned:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _clip(intervals: list[Interval], lo: datetime, hi: datetime) -> list[Interval]:
    return [(max(a, lo), min(b, hi)) for a, b in intervals if b > lo and a < hi]


def _subtract(piece: Interval, holes: list[Interval]) -> list[Interval]:
    """`piece` minus sorted, disjoint `holes`."""
    out: list[Interval] = []
    lo, hi = piece
    for a, b in holes:
        if b <= lo or a >= hi:
            continue
        if a > lo:
            out.append((lo, a))
        lo = max(lo, b)
        if lo >= hi:
            return out
    out.append((lo, hi))
    return out


def _stretches(
    start: datetime, *, calendar: BusinessCalendar, windows: list[Interval], pauses: list[Interval]
) -> Iterator[tuple[datetime, datetime, bool]]:
    """The stretches of SLA time from `start` on, in order: (from, to, runs 24/7?)."""
    tz = calendar.tz
    day: date = start.astimezone(tz).date()
    for _ in range(_MAX_DAYS):
        lo, hi = max(start, local_midnight(day, tz)), end_of_day(day, tz)
        around = _clip(windows, lo, hi)
        pieces = [(a, b, True) for a, b in around]
        hours = calendar.hours_on(day)
        if hours is not None and hours[1] > lo and hours[0] < hi:
            business = (max(hours[0], lo), min(hours[1], hi))
            pieces += [(a, b, False) for a, b in _subtract(business, around)]
        holes = _clip(pauses, lo, hi)
        for a, b, is_around in sorted(pieces):
            for x, y in _subtract((a, b), holes):
                yield x, y, is_around
        day += timedelta(days=1)
    raise TimeError(f"no SLA time within {_MAX_DAYS // 366} years of {start.isoformat()}: check the business calendar")


def _share(value: Fraction | float | int) -> Fraction:
    share = Fraction(value)
    if share <= 0:
        raise ValueError(f"share must be above zero, not {value!r}")
    return share


def due_at(
    start: datetime,
    target: Target,
    *,
    calendar: BusinessCalendar = DEFAULT_CALENDAR,
    windows: Sequence[Interval] = (),
    pauses: Sequence[Interval] = (),
    share: Fraction | float | int = 1,
) -> datetime:
    """The UTC instant at which `share` of `target` (all of it by default) has run from `start`.

    `windows` are the organisation's 24/7 hypercare windows, `pauses` the
    intervals the clock stood still (waiting on the reporter).
    """
    left = _share(share)
    begin = _utc(start, "start")
    per_clock = {True: target.round_the_clock // _US, False: target.business // _US}
    for lo, hi, is_around in _stretches(
        begin, calendar=calendar, windows=_normalise(windows, "window"), pauses=_normalise(pauses, "pause")
    ):
        whole = per_clock[is_around]
        used = Fraction((hi - lo) // _US, whole)
        if used >= left:
            return lo + timedelta(microseconds=math.ceil(left * whole))
        left -= used
    raise AssertionError("unreachable: _stretches raises when it runs out")  # pragma: no cover


def elapsed(
    start: datetime,
    end: datetime,
    *,
    calendar: BusinessCalendar = DEFAULT_CALENDAR,
    windows: Sequence[Interval] = (),
    pauses: Sequence[Interval] = (),
) -> SlaTime:
    """The SLA time that ran from `start` to `end`, on each clock; zero when `end` is not after `start`."""
    begin, finish = _utc(start, "start"), _utc(end, "end")
    around = business = timedelta(0)
    if finish <= begin:
        return SlaTime()
    for lo, hi, is_around in _stretches(
        begin, calendar=calendar, windows=_normalise(windows, "window"), pauses=_normalise(pauses, "pause")
    ):
        if lo >= finish:
            break
        piece = min(hi, finish) - lo
        if is_around:
            around += piece
        else:
            business += piece
    return SlaTime(round_the_clock=around, business=business)


def share_used(target: Target, spent: SlaTime) -> Fraction:
    """How much of `target` the SLA time `spent` uses up: 1 is due, 3/4 is at risk."""
    return Fraction(spent.round_the_clock // _US, target.round_the_clock // _US) + Fraction(
        spent.business // _US, target.business // _US
    )


def consumed(
    start: datetime,
    end: datetime,
    target: Target,
    *,
    calendar: BusinessCalendar = DEFAULT_CALENDAR,
    windows: Sequence[Interval] = (),
    pauses: Sequence[Interval] = (),
) -> Fraction:
    """The share of `target` used between `start` and `end` (breached above 1)."""
    return share_used(target, elapsed(start, end, calendar=calendar, windows=windows, pauses=pauses))


def hypercare_window(cutover_start: datetime, hypercare_until: date, timezone: str) -> Interval:
    """An organisation's 24/7 window: cutover start to `hypercare_until` inclusive (24:00 local)."""
    begin = _utc(cutover_start, "cutover start")
    return begin, max(begin, end_of_day(hypercare_until, zone(timezone)))


def ticket_due(
    created: datetime,
    priority: str,
    *,
    targets: Targets = DEFAULT_TARGETS,
    calendar: BusinessCalendar = DEFAULT_CALENDAR,
    windows: Sequence[Interval] = (),
    pauses: Sequence[Interval] = (),
) -> TicketDue:
    """A ticket's response and resolution instants from its creation, for its *current* priority.

    Call it again from the same `created` after a priority change (the change
    is retroactive) and after each resume (`pauses` are the finished waits on
    the reporter; they move only the resolution clock, since the response
    has happened by the time a ticket can wait).
    """
    response = target_for(targets, priority, "response")
    resolution = target_for(targets, priority, "resolution")

    def at(target: Target, *, share: Fraction, paused: Sequence[Interval]) -> datetime:
        return due_at(created, target, calendar=calendar, windows=windows, pauses=paused, share=share)

    whole = Fraction(1)
    return TicketDue(
        response_due=at(response, share=whole, paused=()),
        resolution_due=at(resolution, share=whole, paused=pauses),
        response_at_risk=at(response, share=AT_RISK, paused=()),
        resolution_at_risk=at(resolution, share=AT_RISK, paused=pauses),
    )
