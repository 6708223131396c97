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
- Cost: a couple of binary searches per due time (plus one step per pause)
  on a shared timeline of the calendar and windows (support.sla_timeline),
  never a walk over minutes or days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import lru_cache

from rollout.clock import UTC, TimeError, end_of_day, zone
from support.business_hours import DEFAULT_CALENDAR, BusinessCalendar
from support.sla_targets import DEFAULT_TARGETS, SlaConfigError, Target, Targets, target_for
from support.sla_timeline import Interval, Timeline, from_us, timeline, to_us

AT_RISK = Fraction(3, 4)  # issue 9: at risk once 75 % or more of a target has elapsed
_WHOLE = Fraction(1)
_US = timedelta(microseconds=1)


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


@lru_cache(maxsize=256)
def _per_clock(target: Target) -> tuple[int, int]:
    """A target in µs: as elapsed time (24/7) and as business time."""
    return target.round_the_clock // _US, target.business // _US


@lru_cache(maxsize=1024)  # a handful of targets × shares; Fraction arithmetic is slow to redo per ticket
def _budget(target: Target, share: Fraction | float | int) -> int | Fraction:
    """`share` of a target in the timeline's weighted units (exact; an int whenever it can be)."""
    value = Fraction(share)
    if value <= 0:
        raise SlaConfigError(f"a share of a target must be above zero, not {share!r}")
    per_around, per_business = _per_clock(target)
    whole, rest = divmod(value.numerator * per_around * per_business, value.denominator)
    return whole if rest == 0 else value * per_around * per_business


def _pauses_us(pauses: Sequence[Interval]) -> list[tuple[int, int]]:
    return [(to_us(lo), to_us(hi)) for lo, hi in _normalise(pauses, "pause")]


def _due_us(line: Timeline, start_us: int, target: Target, pauses: list[tuple[int, int]], budget: int | Fraction) -> int:
    per_around, per_business = _per_clock(target)
    now = start_us
    for pause_lo, pause_hi in pauses:
        if pause_hi <= now:
            continue
        if pause_lo > now:  # the clock runs up to the pause
            around, business = line.between(now, pause_lo)
            used = around * per_business + business * per_around
            if used >= budget:
                break
            budget -= used
        now = pause_hi
    return line.due(now, per_around, per_business, budget)


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
    line = timeline(calendar, tuple(_normalise(windows, "window")))
    begin = to_us(_utc(start, "start"))
    return from_us(_due_us(line, begin, target, _pauses_us(pauses), _budget(target, share)))


def elapsed(
    start: datetime,
    end: datetime,
    *,
    calendar: BusinessCalendar = DEFAULT_CALENDAR,
    windows: Sequence[Interval] = (),
    pauses: Sequence[Interval] = (),
) -> SlaTime:
    """The SLA time that ran from `start` to `end`, on each clock; zero when `end` is not after `start`."""
    begin, finish = to_us(_utc(start, "start")), to_us(_utc(end, "end"))
    if finish <= begin:
        return SlaTime()
    line = timeline(calendar, tuple(_normalise(windows, "window")))
    around, business = line.between(begin, finish)
    for lo, hi in _normalise(pauses, "pause"):
        pause_lo, pause_hi = max(to_us(lo), begin), min(to_us(hi), finish)
        if pause_hi > pause_lo:
            paused_around, paused_business = line.between(pause_lo, pause_hi)
            around, business = around - paused_around, business - paused_business
    return SlaTime(round_the_clock=timedelta(microseconds=around), business=timedelta(microseconds=business))


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
    line = timeline(calendar, tuple(_normalise(windows, "window")))
    begin = to_us(_utc(created, "created"))
    waits = _pauses_us(pauses)

    def at(target: Target, share: Fraction, paused: list[tuple[int, int]]) -> datetime:
        return from_us(_due_us(line, begin, target, paused, _budget(target, share)))

    return TicketDue(
        response_due=at(response, _WHOLE, []),
        resolution_due=at(resolution, _WHOLE, waits),
        response_at_risk=at(response, AT_RISK, []),
        resolution_at_risk=at(resolution, AT_RISK, waits),
    )
