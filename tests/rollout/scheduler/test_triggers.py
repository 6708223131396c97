"""Fire times across DST changes in Europe/Oslo, cron parsing, intervals, and the APScheduler trigger that uses them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rollout.scheduler.triggers import Trigger, TriggerError, parse_trigger

OSLO = ZoneInfo("Europe/Oslo")
UTC = timezone.utc


def local_fires(expr: str, start: str, end: str) -> list[str]:
    t = Trigger("cron " + expr)
    a = datetime.fromisoformat(start).replace(tzinfo=OSLO)
    b = datetime.fromisoformat(end).replace(tzinfo=OSLO)
    return [f.astimezone(OSLO).isoformat(timespec="minutes") for f in t.fires_between(a, b)]


def test_midnight_job_fires_on_the_monday_after_the_spring_change() -> None:
    # APScheduler 3's own cron trigger skips this one
    assert local_fires("0 0 * * *", "2026-03-28T12:00", "2026-03-31T12:00") == [
        "2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00", "2026-03-31T00:00+02:00"]


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"])
def test_seven_oclock_fires_exactly_once_on_change_days(day: str) -> None:
    fires = local_fires("0 7 * * *", f"{day}T00:00", f"{day}T23:59")
    assert len(fires) == 1 and fires[0].startswith(f"{day}T07:00")


def test_half_past_two_on_change_days_as_documented() -> None:
    # spring: 02:30 does not exist; it runs 03:30 summer time (moved forward by the gap), once
    assert local_fires("30 2 * * *", "2026-03-29T00:00", "2026-03-29T23:59") == ["2026-03-29T03:30+02:00"]
    # autumn: 02:30 happens twice; it runs once, at the first (summer-time) 02:30
    assert local_fires("30 2 * * *", "2026-10-25T00:00", "2026-10-25T23:59") == ["2026-10-25T02:30+02:00"]


def test_every_is_elapsed_time_across_the_change() -> None:
    t = parse_trigger(cron=None, every="1h", now=datetime(2026, 3, 29, tzinfo=UTC))
    fires = t.fires_between(datetime(2026, 3, 28, 23, 30, tzinfo=UTC), datetime(2026, 3, 29, 3, 0, tzinfo=UTC))
    assert [f - fires[0] for f in fires] == [timedelta(hours=h) for h in range(4)]
    five = parse_trigger(cron=None, every="5m", now=datetime(2026, 1, 1, tzinfo=UTC))
    assert five.next_after(datetime(2026, 1, 1, 6, 2, 7, tzinfo=UTC)) == datetime(2026, 1, 1, 6, 5, tzinfo=UTC)


def test_weekday_and_day_of_month_follow_cron() -> None:
    # both restricted: either matches (classic cron); Sunday is 0 or 7; names work
    assert local_fires("0 9 1 * mon", "2026-06-01T00:00", "2026-06-10T00:00") == ["2026-06-01T09:00+02:00", "2026-06-08T09:00+02:00"]
    assert local_fires("0 9 * * 7", "2026-06-01T00:00", "2026-06-10T00:00") == local_fires("0 9 * * sun", "2026-06-01T00:00", "2026-06-10T00:00")
    assert local_fires("*/20 8-9 * * *", "2026-06-01T00:00", "2026-06-01T12:00")[-1] == "2026-06-01T09:40+02:00"


@pytest.mark.parametrize(("cron", "every", "fragment"), [
    ("0 7 * *", None, "needs 5 fields"),
    ("0 25 * * *", None, "hour 25 is out of range"),
    ("0 7 31 2 *", None, "never fires"),
    ("*/0 * * * *", None, "step"),
    ("0 9-7 * * *", None, "runs backwards"),
    ("x 7 * * *", None, "is not a number"),
    (None, "5 minutes", "is not a duration"),
    (None, "30s", "is not a duration"),
    (None, "60d", "between 1m and 28d"),
    ("0 7 * * *", "5m", "exactly one"),
    (None, None, "exactly one"),
])
def test_bad_triggers_are_refused(cron: str | None, every: str | None, fragment: str) -> None:
    with pytest.raises(TriggerError, match=fragment):
        parse_trigger(cron=cron, every=every, now=datetime(2026, 1, 1, tzinfo=UTC))


@settings(max_examples=60, deadline=None)
@given(minute=st.integers(0, 59), hour=st.integers(0, 23),
       start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31)))
def test_daily_cron_fires_once_every_local_day(minute: int, hour: int, start: datetime) -> None:
    """A daily job fires exactly once on each local day, whatever DST does, and always later than asked."""
    t = Trigger(f"cron {minute} {hour} * * *")
    after = start.replace(tzinfo=UTC)
    fires = t.fires_between(after, after + timedelta(days=10))
    assert all(b > a for a, b in zip([after, *fires], fires, strict=False))
    days = [f.astimezone(OSLO).date() for f in fires]
    assert len(days) == len(set(days)) and len(days) in (9, 10, 11)


def test_apscheduler_runs_our_fire_times() -> None:
    from rollout.scheduler.engine import TableTrigger

    trigger = TableTrigger(Trigger("cron 0 0 * * *"))
    first = trigger.get_next_fire_time(None, datetime(2026, 3, 29, 12, tzinfo=OSLO))
    assert first == datetime(2026, 3, 30, 0, 0, tzinfo=OSLO)
    assert trigger.get_next_fire_time(first, first) == datetime(2026, 3, 31, 0, 0, tzinfo=OSLO)
