"""SLA due times worked out by hand: DST nights, holidays and weekends, the end of hypercare, pauses, priority changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from rollout.errors import GoliveError
from support.business_hours import BusinessCalendar
from support.sla_clock import (
    AT_RISK,
    SlaTime,
    consumed,
    due_at,
    elapsed,
    hypercare_window,
    ticket_due,
)
from support.sla_targets import DEFAULT_TARGETS

OSLO = ZoneInfo("Europe/Oslo")
UTC = ZoneInfo("UTC")
P = DEFAULT_TARGETS


def oslo(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=OSLO)


def local(instant: datetime) -> str:
    assert instant.tzinfo is not None and instant.utcoffset() == timedelta(0)  # due times come back in UTC
    return instant.astimezone(OSLO).strftime("%a %Y-%m-%d %H:%M")


# Trondheim 2022: cutover from Thursday 5 May 18:00, hypercare to Wednesday 1 June inclusive.
TRONDHEIM = hypercare_window(oslo(2022, 5, 5, 18), date(2022, 6, 1), "Europe/Oslo")
# A window over both DST changes of 2026.
ALL_2026 = hypercare_window(oslo(2026, 1, 1), date(2026, 12, 31), "Europe/Oslo")


def test_hypercare_window_is_inclusive_to_midnight() -> None:
    assert TRONDHEIM == (oslo(2022, 5, 5, 18).astimezone(UTC), oslo(2022, 6, 2).astimezone(UTC))


# --- 24/7 across DST nights -------------------------------------------------------------------


def test_spring_night_p1_resolution_is_four_real_hours() -> None:
    # 2026-03-29: clocks jump 02:00 -> 03:00, so 4 h from 00:30 ends at 05:30 on the wall.
    due = ticket_due(oslo(2026, 3, 29, 0, 30), "P1", windows=[ALL_2026])
    assert local(due.resolution_due) == "Sun 2026-03-29 05:30"
    assert local(due.response_due) == "Sun 2026-03-29 00:45"


def test_autumn_night_p1_resolution_is_four_real_hours() -> None:
    # 2026-10-25: clocks go back 03:00 -> 02:00, so 4 h from 00:30 ends at 03:30 (CET) on the wall.
    due = due_at(oslo(2026, 10, 25, 0, 30), P["P1"].resolution, windows=[ALL_2026])
    assert due == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    assert local(due) == "Sun 2026-10-25 03:30"


def test_p3_three_days_in_hypercare_are_72_elapsed_hours_across_the_spring_night() -> None:
    due = due_at(oslo(2026, 3, 28, 12), P["P3"].resolution, windows=[ALL_2026])
    assert due - oslo(2026, 3, 28, 12) == timedelta(hours=72)
    assert local(due) == "Tue 2026-03-31 13:00"  # one wall-clock hour later: the night had 23 h


# --- business hours across weekends and holidays ------------------------------------------------


def test_ascension_day_and_the_weekend() -> None:
    # Wed 25 May 2022 15:00, P3 response 4 business hours: 1 h Wednesday, Thursday 26 is
    # Kristi himmelfartsdag, 3 h on Friday.
    assert local(due_at(oslo(2022, 5, 25, 15), P["P3"].response)) == "Fri 2022-05-27 11:00"
    # P2 response 1 h from Friday 27 May 15:30: 30 min on Friday, 30 min on Monday.
    assert local(due_at(oslo(2022, 5, 27, 15, 30), P["P2"].response)) == "Mon 2022-05-30 08:30"


def test_constitution_day() -> None:
    # Mon 16 May 2022 14:00, P2 resolution 8 h: 2 h Monday, Tuesday 17 May closed, 6 h Wednesday.
    assert local(due_at(oslo(2022, 5, 16, 14), P["P2"].resolution)) == "Wed 2022-05-18 14:00"


def test_easter_2026() -> None:
    # Wed 1 April 12:00, P3 resolution 3 days = 24 business hours: 4 h Wednesday; Maundy
    # Thursday to Easter Monday closed; 8 h Tuesday 7, 8 h Wednesday 8, 4 h Thursday 9.
    assert local(due_at(oslo(2026, 4, 1, 12), P["P3"].resolution)) == "Thu 2026-04-09 12:00"


def test_christmas_2026() -> None:
    # Thu 24 Dec 15:00, P4 response 1 day = 8 business hours: 1 h on Christmas Eve (a
    # business day), 25 Dec and the weekend closed, 7 h Monday.
    assert local(due_at(oslo(2026, 12, 24, 15), P["P4"].response)) == "Mon 2026-12-28 15:00"
    closed_eve = BusinessCalendar(closed=frozenset({date(2026, 12, 24)}))
    assert local(due_at(oslo(2026, 12, 24, 15), P["P4"].response, calendar=closed_eve)) == "Mon 2026-12-28 16:00"


def test_a_deadline_that_uses_the_whole_day_is_due_at_closing_not_next_morning() -> None:
    assert local(due_at(oslo(2022, 9, 5, 8), P["P2"].resolution)) == "Mon 2022-09-05 16:00"


def test_before_opening_and_on_a_saturday() -> None:
    assert local(due_at(oslo(2022, 9, 5, 6, 59), P["P1"].response)) == "Mon 2022-09-05 08:15"
    assert local(due_at(oslo(2022, 9, 10, 11), P["P1"].resolution)) == "Mon 2022-09-12 12:00"


def test_p4_resolution_is_ten_business_days() -> None:
    # Mon 5 Sep 2022 10:00 + 80 business hours: two working weeks, due Mon 19 Sep 10:00.
    assert local(due_at(oslo(2022, 9, 5, 10), P["P4"].resolution)) == "Mon 2022-09-19 10:00"


# --- the edges of hypercare ----------------------------------------------------------------------


def test_a_deadline_that_crosses_the_end_of_hypercare_goes_on_in_business_hours() -> None:
    # Wed 1 June 22:00, P2 resolution 8 h: 2 h of 24/7 to midnight, then 6 business hours Thursday.
    assert local(due_at(oslo(2022, 6, 1, 22), P["P2"].resolution, windows=[TRONDHEIM])) == "Thu 2022-06-02 14:00"


def test_days_carry_their_share_across_the_end_of_hypercare() -> None:
    # Tue 31 May 00:00, P3 resolution 3 days: two elapsed days of hypercare use 2/3, the
    # last third is one business day (8 h) on Thursday 2 June.
    assert local(due_at(oslo(2022, 5, 31), P["P3"].resolution, windows=[TRONDHEIM])) == "Thu 2022-06-02 16:00"


def test_a_deadline_that_runs_into_hypercare_switches_to_24_7() -> None:
    # Thu 5 May 14:00, P3 response 4 h: 2 business hours to 16:00, nothing until the cutover
    # starts at 18:00, then 2 h round the clock.
    assert local(due_at(oslo(2022, 5, 5, 14), P["P3"].response, windows=[TRONDHEIM])) == "Thu 2022-05-05 20:00"
    # P4 resolution 10 days from 08:00: one business day (1/10) on Thursday, then 9 elapsed days.
    assert local(due_at(oslo(2022, 5, 5, 8), P["P4"].resolution, windows=[TRONDHEIM])) == "Sat 2022-05-14 18:00"


def test_weekends_and_nights_count_in_hypercare() -> None:
    # Saturday 7 May 2022 23:50 (go-live weekend), P1 response 15 min.
    assert local(due_at(oslo(2022, 5, 7, 23, 50), P["P1"].response, windows=[TRONDHEIM])) == "Sun 2022-05-08 00:05"


def test_overlapping_windows_are_one_window() -> None:
    first = (oslo(2022, 5, 5, 18), oslo(2022, 5, 20))
    second = (oslo(2022, 5, 15), oslo(2022, 6, 2))
    start = oslo(2022, 5, 19, 20)
    assert due_at(start, P["P3"].resolution, windows=[second, first]) == start + timedelta(days=3)


# --- pauses --------------------------------------------------------------------------------------


def test_a_pause_moves_the_due_time_by_the_business_time_waited() -> None:
    # Mon 5 Sep 09:00, P2 resolution 8 h, due Tue 09:00. Waiting on the reporter from Mon 12:00
    # to Tue 10:00 is 6 business hours (4 + 2): due Tue 15:00.
    start = oslo(2022, 9, 5, 9)
    assert local(due_at(start, P["P2"].resolution)) == "Tue 2022-09-06 09:00"
    waited = [(oslo(2022, 9, 5, 12), oslo(2022, 9, 6, 10))]
    assert local(due_at(start, P["P2"].resolution, pauses=waited)) == "Tue 2022-09-06 15:00"
    assert elapsed(start, oslo(2022, 9, 6, 15), pauses=waited) == SlaTime(business=timedelta(hours=8))


def test_waiting_over_a_weekend_moves_nothing_on_the_business_clock() -> None:
    start = oslo(2022, 9, 9, 10)  # Friday
    weekend = [(oslo(2022, 9, 9, 16), oslo(2022, 9, 12, 8))]
    assert due_at(start, P["P2"].resolution, pauses=weekend) == due_at(start, P["P2"].resolution)


def test_a_pause_in_hypercare_moves_the_due_time_by_the_elapsed_time_waited() -> None:
    start = oslo(2022, 5, 8, 3)
    waited = [(oslo(2022, 5, 8, 4), oslo(2022, 5, 8, 5, 30))]
    assert due_at(start, P["P1"].resolution, windows=[TRONDHEIM], pauses=waited) == start + timedelta(hours=5, minutes=30)


def test_pauses_move_only_the_resolution_clock() -> None:
    start = oslo(2022, 9, 5, 9)
    waited = [(oslo(2022, 9, 5, 9, 5), oslo(2022, 9, 5, 11))]
    plain, paused = ticket_due(start, "P2"), ticket_due(start, "P2", pauses=waited)
    assert paused.response_due == plain.response_due
    assert paused.resolution_due - plain.resolution_due == timedelta(hours=1, minutes=55)


# --- priority changes are retroactive -----------------------------------------------------------


def test_p3_raised_to_p1_after_30_minutes_has_already_breached_its_response() -> None:
    created, raised = oslo(2022, 5, 9, 10), oslo(2022, 5, 9, 10, 30)
    as_p3 = ticket_due(created, "P3", windows=[TRONDHEIM])
    as_p1 = ticket_due(created, "P1", windows=[TRONDHEIM])
    assert as_p3.response_due > raised
    assert local(as_p1.response_due) == "Mon 2022-05-09 10:15" and as_p1.response_due < raised
    assert local(as_p1.resolution_due) == "Mon 2022-05-09 14:00"
    assert consumed(created, raised, P["P1"].response, windows=[TRONDHEIM]) == 2


def test_a_raise_after_the_weekend_counts_only_business_time() -> None:
    # P3 created Fri 9 Sep 15:50, raised to P1 Mon 08:20: 10 + 20 business minutes used.
    created, raised = oslo(2022, 9, 9, 15, 50), oslo(2022, 9, 12, 8, 20)
    assert elapsed(created, raised).minutes == 30
    assert ticket_due(created, "P1").response_due == oslo(2022, 9, 12, 8, 5)


# --- at risk and what has been used ------------------------------------------------------------


def test_at_risk_is_three_quarters_of_the_target() -> None:
    due = ticket_due(oslo(2022, 9, 5, 9), "P2")
    assert local(due.resolution_at_risk) == "Mon 2022-09-05 15:00"  # 6 of 8 business hours
    hyper = ticket_due(oslo(2022, 5, 9, 10), "P1", windows=[TRONDHEIM])
    assert hyper.response_at_risk == oslo(2022, 5, 9, 10, 11) + timedelta(seconds=15)
    assert AT_RISK == Fraction(3, 4)


def test_consumed_mixes_the_clocks_by_share() -> None:
    # Two elapsed days of hypercare, then half a business day: 2/3 + 1/6 of P3's 3 days.
    used = consumed(oslo(2022, 5, 31), oslo(2022, 6, 2, 12), P["P3"].resolution, windows=[TRONDHEIM])
    assert used == Fraction(5, 6)
    assert elapsed(oslo(2022, 5, 31), oslo(2022, 6, 2, 12), windows=[TRONDHEIM]) == SlaTime(
        round_the_clock=timedelta(days=2), business=timedelta(hours=4)
    )


def test_elapsed_is_zero_backwards() -> None:
    assert elapsed(oslo(2022, 9, 6), oslo(2022, 9, 5)) == SlaTime()


# --- refusals ------------------------------------------------------------------------------------


def test_naive_instants_are_refused() -> None:
    with pytest.raises(GoliveError, match="no time zone"):
        due_at(datetime(2022, 9, 5, 9), P["P1"].response)
    with pytest.raises(GoliveError, match="window end .* no time zone"):
        due_at(oslo(2022, 9, 5, 9), P["P1"].response, windows=[(oslo(2022, 9, 1), datetime(2022, 9, 9))])
    with pytest.raises(GoliveError, match="no time zone"):
        elapsed(oslo(2022, 9, 5, 9), datetime(2022, 9, 9))


def test_a_pause_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(GoliveError, match="pause ends before it starts"):
        due_at(oslo(2022, 9, 5, 9), P["P2"].resolution, pauses=[(oslo(2022, 9, 5, 12), oslo(2022, 9, 5, 11))])


def test_a_saturday_only_calendar() -> None:
    saturdays = BusinessCalendar(days=frozenset({5}), country=None)
    assert local(due_at(oslo(2022, 9, 5, 9), P["P1"].response, calendar=saturdays)) == "Sat 2022-09-10 08:15"


def test_a_clock_that_never_runs_fails_instead_of_looping() -> None:
    first = date(2022, 9, 5)
    shut = BusinessCalendar(country=None, closed=frozenset(first + timedelta(days=n) for n in range(366 * 60)))
    with pytest.raises(GoliveError, match="no SLA time within 50 years"):
        due_at(oslo(2022, 9, 5, 9), P["P1"].response, calendar=shut)


def test_a_long_pause_resumes_where_it_ends() -> None:
    decades = [(oslo(2022, 9, 5), oslo(2099, 1, 1))]
    assert local(due_at(oslo(2022, 9, 5, 9), P["P1"].response, pauses=decades)) == "Fri 2099-01-02 08:15"


def test_instants_in_any_zone_give_the_same_due_time() -> None:
    start = datetime(2022, 5, 25, 13, tzinfo=UTC)  # 15:00 in Oslo
    assert local(due_at(start, P["P3"].response)) == "Fri 2022-05-27 11:00"
