"""Time rules: local times in the plan's zone, DST gaps and overlaps, T-minus offsets."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rollout.clock import TimeError, now, parse_instant, resolve_local, zone
from rollout.offsets import OffsetError, parse_duration, parse_offset

OSLO = zone("Europe/Oslo")


def test_issue_example_day_offset_keeps_wall_clock_hour_offset_is_elapsed() -> None:
    go_live = parse_instant("2026-03-29T06:00", OSLO)
    assert go_live == datetime(2026, 3, 29, 4, 0, tzinfo=timezone.utc)
    assert parse_offset("T-1d").apply(go_live, OSLO).astimezone(OSLO).isoformat() == "2026-03-28T06:00:00+01:00"
    assert parse_offset("T-24h").apply(go_live, OSLO).astimezone(OSLO).isoformat() == "2026-03-28T05:00:00+01:00"


def test_autumn_day_offset_and_elapsed_offset_differ_by_an_hour() -> None:
    go_live = parse_instant("2026-10-25T06:00", OSLO)  # +01:00 after the change
    assert parse_offset("T-1d").apply(go_live, OSLO).astimezone(OSLO).isoformat() == "2026-10-24T06:00:00+02:00"
    assert parse_offset("T-24h").apply(go_live, OSLO).astimezone(OSLO).isoformat() == "2026-10-24T07:00:00+02:00"


def test_day_offset_landing_in_the_spring_gap_moves_past_it() -> None:
    go_live = parse_instant("2026-03-30T02:30", OSLO)
    moved = parse_offset("T-1d").apply(go_live, OSLO)
    assert moved.astimezone(OSLO).isoformat() == "2026-03-29T03:30:00+02:00"


@pytest.mark.parametrize(
    ("text", "days", "mins"),
    [("T-7d", -7, 0), ("T+2d", 2, 0), ("T-24h", 0, -1440), ("T-90m", 0, -90), ("T+2h", 0, 120), ("T+0", 0, 0), ("T-1d12h", -1, -720)],
)
def test_parse_offset(text: str, days: int, mins: int) -> None:
    offset = parse_offset(text)
    assert (offset.days, offset.minutes) == (days, mins)


@pytest.mark.parametrize("text", ["T-7", "7d", "T-7w", "T--1d", "T-1d1d", "T 1d", ""])
def test_bad_offsets_are_refused(text: str) -> None:
    with pytest.raises(OffsetError):
        parse_offset(text)


def test_durations() -> None:
    assert parse_duration("2h") == timedelta(hours=2)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("1d") == timedelta(hours=24)
    assert parse_duration(45) == timedelta(minutes=45)
    for bad in ("-2h", "2x", "h", ""):
        with pytest.raises(OffsetError):
            parse_duration(bad)


def test_nonexistent_and_ambiguous_local_times_are_refused_with_the_reason() -> None:
    with pytest.raises(TimeError, match="does not exist"):
        parse_instant("2026-03-29T02:30", OSLO)
    with pytest.raises(TimeError, match="happens twice.*2026-10-25T02:30\\+02:00 or 2026-10-25T02:30\\+01:00"):
        parse_instant("2026-10-25T02:30", OSLO)
    # With an explicit offset the autumn time is fine, and the two readings are an hour apart.
    first = parse_instant("2026-10-25T02:30+02:00", OSLO)
    second = parse_instant("2026-10-25T02:30+01:00", OSLO)
    assert second - first == timedelta(hours=1)


def test_golive_now_overrides_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-06T14:00+02:00")
    assert now() == datetime(2022, 5, 6, 12, 0, tzinfo=timezone.utc)
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-06T14:00")
    with pytest.raises(TimeError, match="offset"):
        now()


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31)))
def test_resolved_local_times_round_trip_or_are_refused(naive: datetime) -> None:
    naive = naive.replace(microsecond=0)
    try:
        instant = resolve_local(naive, OSLO)
    except TimeError:
        # Only the two transition hours of a year can be refused.
        assert naive.month in (3, 10) and naive.hour in (2,)
        return
    assert instant.tzinfo is not None
    assert instant.astimezone(OSLO).replace(tzinfo=None) == naive


@given(
    st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2039, 12, 31), timezones=st.just(timezone.utc)),
    st.integers(min_value=-30, max_value=30),
)
def test_day_offsets_keep_the_wall_clock_outside_gaps(anchor: datetime, days: int) -> None:
    moved = parse_offset(f"T{'-' if days < 0 else '+'}{abs(days)}d").apply(anchor, OSLO) if days else anchor
    local_anchor = anchor.astimezone(OSLO)
    local_moved = moved.astimezone(OSLO)
    assert local_moved.date() == local_anchor.date() + timedelta(days=days)
    if local_moved.hour != 3 and local_anchor.hour != 2:  # 02:xx may be pushed past a spring gap
        assert (local_moved.hour, local_moved.minute) == (local_anchor.hour, local_anchor.minute)


@given(st.integers(min_value=-5000, max_value=5000), st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2039, 12, 31), timezones=st.just(timezone.utc)))
def test_minute_offsets_are_elapsed_time(mins: int, anchor: datetime) -> None:
    text = f"T{'-' if mins < 0 else '+'}{abs(mins)}m" if mins else "T+0"
    assert parse_offset(text).apply(anchor, OSLO) - anchor == timedelta(minutes=mins)
