"""Properties of the SLA clock: it agrees with a plain day-by-day model, and due times behave as deadlines should."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from support.business_hours import DEFAULT_CALENDAR, BusinessCalendar
from support.sla_clock import AT_RISK, consumed, due_at, elapsed, share_used
from support.sla_targets import Target
from tests.support.sla_reference import reference_due

UTC = timezone.utc
US = timedelta(microseconds=1)

instants = st.datetimes(min_value=datetime(2022, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC))
targets = st.tuples(st.integers(0, 10), st.integers(0, 3000)).filter(any).map(lambda dm: Target(days=dm[0], minutes=dm[1]))
hour_targets = st.builds(Target, minutes=st.integers(1, 3000))
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40))


@st.composite
def windows_near(draw: st.DrawFn, start: datetime) -> list[tuple[datetime, datetime]]:
    """0-2 hypercare windows around `start`, so that deadlines cross their edges."""
    out = []
    for _ in range(draw(st.integers(0, 2))):
        lo = start + draw(st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=20)))
        out.append((lo, lo + draw(spans)))
    return out


@st.composite
def pauses_near(draw: st.DrawFn, start: datetime) -> list[tuple[datetime, datetime]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        lo = start + draw(st.timedeltas(min_value=timedelta(days=-2), max_value=timedelta(days=15)))
        out.append((lo, lo + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=5)))))
    return out


@st.composite
def cases(draw: st.DrawFn) -> tuple[datetime, Target, list, list]:
    start = draw(instants)
    return start, draw(targets), draw(windows_near(start)), draw(pauses_near(start))


calendars = st.sampled_from([DEFAULT_CALENDAR, BusinessCalendar(days=frozenset({1, 3, 5, 6}), country=None)])


@settings(max_examples=300, deadline=None)
@given(cases(), calendars, st.sampled_from([Fraction(1), AT_RISK, Fraction(1, 3)]))
def test_agrees_with_the_day_by_day_model(case, calendar, share) -> None:  # type: ignore[no-untyped-def]
    start, target, windows, pauses = case
    fast = due_at(start, target, calendar=calendar, windows=windows, pauses=pauses, share=share)
    assert fast == reference_due(start, target, calendar=calendar, windows=windows, pauses=pauses, share=share)


@settings(deadline=None)
@given(cases(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)))
def test_monotone_in_start(case, later) -> None:  # type: ignore[no-untyped-def]
    start, target, windows, pauses = case
    first = due_at(start, target, windows=windows, pauses=pauses)
    assert due_at(start + later, target, windows=windows, pauses=pauses) >= first


@settings(deadline=None)
@given(cases(), st.integers(0, 3), st.integers(0, 600))
def test_monotone_in_target(case, more_days, more_minutes) -> None:  # type: ignore[no-untyped-def]
    start, target, windows, pauses = case
    longer = Target(days=target.days + more_days, minutes=target.minutes + more_minutes)
    assert due_at(start, longer, windows=windows, pauses=pauses) >= due_at(start, target, windows=windows, pauses=pauses)


@settings(deadline=None)
@given(cases())
def test_the_due_time_is_the_first_instant_the_target_is_used_up(case) -> None:  # type: ignore[no-untyped-def]
    start, target, windows, pauses = case
    due = due_at(start, target, windows=windows, pauses=pauses)
    assert consumed(start, due, target, windows=windows, pauses=pauses) >= 1
    assert consumed(start, due - US, target, windows=windows, pauses=pauses) < 1


@settings(deadline=None)
@given(instants, hour_targets, st.data())
def test_elapsed_up_to_the_due_time_is_the_target(start, target, data) -> None:  # type: ignore[no-untyped-def]
    windows, pauses = data.draw(windows_near(start)), data.draw(pauses_near(start))
    due = due_at(start, target, windows=windows, pauses=pauses)
    spent = elapsed(start, due, windows=windows, pauses=pauses)
    assert spent.total == target.round_the_clock == target.business
    assert share_used(target, spent) == 1


@settings(deadline=None)
@given(cases())
def test_pauses_only_move_the_due_time_later(case) -> None:  # type: ignore[no-untyped-def]
    start, target, windows, pauses = case
    assert due_at(start, target, windows=windows, pauses=pauses) >= due_at(start, target, windows=windows)


@settings(deadline=None)
@given(instants, targets)
def test_in_a_24_7_window_the_due_time_is_the_target_in_elapsed_time(start, target) -> None:  # type: ignore[no-untyped-def]
    window = (start - timedelta(days=1), start + timedelta(days=30))
    assert due_at(start, target, windows=[window]) - start == target.round_the_clock


@settings(deadline=None)
@given(cases(), spans, spans)
def test_elapsed_adds_up(case, first, second) -> None:  # type: ignore[no-untyped-def]
    start, _, windows, pauses = case
    middle, end = start + first, start + first + second
    whole = elapsed(start, end, windows=windows, pauses=pauses)
    a, b = elapsed(start, middle, windows=windows, pauses=pauses), elapsed(middle, end, windows=windows, pauses=pauses)
    assert whole.round_the_clock == a.round_the_clock + b.round_the_clock
    assert whole.business == a.business + b.business


def test_lookups_far_apart_in_time_widen_the_shared_timeline() -> None:
    calendar = BusinessCalendar(opens=time(9), closes=time(15))  # a calendar no other test has built
    target = Target(days=10)
    for start in (datetime(2040, 6, 1, 12, tzinfo=UTC), datetime(2021, 12, 31, 14, tzinfo=UTC), datetime(2040, 12, 30, tzinfo=UTC)):
        assert due_at(start, target, calendar=calendar) == reference_due(start, target, calendar=calendar, windows=[], pauses=[])
    # The clock runs from 2030 up to a pause in 2040 that only the timeline's first build covered:
    # both ends must be measured from one origin.
    calendar = BusinessCalendar(opens=time(9, 30), closes=time(15))
    due_at(datetime(2040, 6, 1, tzinfo=UTC), target, calendar=calendar)
    start, pause = datetime(2030, 3, 4, 10, tzinfo=UTC), (datetime(2040, 6, 1, tzinfo=UTC), datetime(2040, 7, 1, tzinfo=UTC))
    long = Target(days=2600)
    assert due_at(start, long, calendar=calendar, pauses=[pause]) == reference_due(
        start, long, calendar=calendar, windows=[], pauses=[pause]
    )
