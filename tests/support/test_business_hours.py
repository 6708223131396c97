"""The business calendar: opening hours, weekends and Norwegian public holidays, and its rollout-file form."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from support.business_hours import DEFAULT_CALENDAR, BusinessCalendar, parse_business_hours, public_holidays
from support.sla_targets import SlaConfigError

OSLO = ZoneInfo("Europe/Oslo")


def test_norwegian_public_holidays_2026() -> None:
    assert sorted(public_holidays("NO", 2026)) == [
        date(2026, 1, 1),  # nyttårsdag
        date(2026, 4, 2),  # skjærtorsdag
        date(2026, 4, 3),  # langfredag
        date(2026, 4, 5),  # første påskedag
        date(2026, 4, 6),  # andre påskedag
        date(2026, 5, 1),  # arbeidernes dag
        date(2026, 5, 14),  # Kristi himmelfartsdag
        date(2026, 5, 17),  # grunnlovsdag
        date(2026, 5, 24),  # første pinsedag
        date(2026, 5, 25),  # andre pinsedag
        date(2026, 12, 25),  # første juledag
        date(2026, 12, 26),  # andre juledag
    ]


def test_ordinary_sundays_are_not_holidays() -> None:
    # Some versions of `holidays` list every Sunday for Norway; only the real ones count.
    assert date(2022, 5, 8) not in public_holidays("NO", 2022)
    assert sum(1 for d in public_holidays("NO", 2022) if d.weekday() == 6) == 4  # Easter, 1 May, Whit Sunday, Christmas


def test_default_hours_on_a_working_day_in_summer_and_winter() -> None:
    summer = DEFAULT_CALENDAR.hours_on(date(2022, 5, 25))
    assert summer == (datetime(2022, 5, 25, 8, tzinfo=OSLO), datetime(2022, 5, 25, 16, tzinfo=OSLO))
    assert summer[0].hour == 6  # UTC, CEST
    winter = DEFAULT_CALENDAR.hours_on(date(2022, 12, 1))
    assert winter is not None and winter[0].hour == 7


@pytest.mark.parametrize(
    "closed",
    [date(2022, 5, 26), date(2022, 5, 17), date(2026, 4, 2), date(2026, 4, 6), date(2026, 12, 25), date(2022, 5, 28), date(2022, 5, 29)],
)
def test_closed_on_holidays_and_weekends(closed: date) -> None:
    assert DEFAULT_CALENDAR.hours_on(closed) is None


def test_christmas_eve_is_a_business_day_unless_closed() -> None:
    assert DEFAULT_CALENDAR.is_business_day(date(2026, 12, 24))
    assert not BusinessCalendar(closed=frozenset({date(2026, 12, 24)})).is_business_day(date(2026, 12, 24))


def test_a_calendar_open_on_sundays_still_closes_on_easter_sunday() -> None:
    every_day = BusinessCalendar(days=frozenset(range(7)))
    assert every_day.is_business_day(date(2026, 3, 29))
    assert not every_day.is_business_day(date(2026, 4, 5))


def test_no_country_means_no_holidays() -> None:
    assert BusinessCalendar(country=None).is_business_day(date(2022, 5, 17))


def test_parse_business_hours() -> None:
    cal = parse_business_hours({"start": "07:30", "end": "15:30", "days": "man-fre", "closed": ["2022-12-24", "31.12.2022"]})
    assert (cal.opens, cal.closes, cal.days) == (time(7, 30), time(15, 30), frozenset(range(5)))
    assert cal.closed == frozenset({date(2022, 12, 24), date(2022, 12, 31)})
    assert parse_business_hours({"days": ["mon", "Wednesday", "lørdag"]}).days == frozenset({0, 2, 5})
    assert parse_business_hours(None) == DEFAULT_CALENDAR
    assert parse_business_hours({"timezone": "Europe/Oslo"}) == DEFAULT_CALENDAR


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"start": "8"}, r"^business_hours\.start: '8' is not a time like \"08:00\""),
        ({"end": 960}, r"^business_hours\.end: .*quote it"),  # YAML 1.1 reads 16:00 as 960
        ({"end": "25:00"}, r"^business_hours\.end: "),
        ({"start": "16:00", "end": "08:00"}, r"^business_hours: business hours must open before they close"),
        ({"days": "fri-mon"}, r"^business_hours\.days: day range 'fri-mon' runs backwards"),
        ({"days": ["mon", "funday"]}, r"^business_hours\.days: 'funday' is not a weekday"),
        ({"days": []}, r"^business_hours\.days: must name at least one weekday"),
        ({"timezone": "Europe/Olso"}, r"^business_hours: unknown time zone 'Europe/Olso'"),
        ({"closed": ["2022-13-01"]}, r"^business_hours\.closed: "),
        ({"opens": "08:00"}, r"^business_hours: unknown key 'opens'.*\(did you mean"),
        ("08-16", r"^business_hours: must be a mapping"),
    ],
)
def test_bad_business_hours(raw: object, message: str) -> None:
    with pytest.raises(SlaConfigError, match=message):
        parse_business_hours(raw)  # type: ignore[arg-type]
