"""Numbers, dates and durations as each language writes them: `9 000`, `83 %`, `7. mai 2022 kl. 06:00`; `9,000`, `83%`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rollout import formats

MAY_7 = datetime(2022, 5, 7, 4, 0, tzinfo=UTC)  # 06:00 in Oslo


def test_the_terminal_forms_are_unchanged():
    assert formats.thousands(9000) == "9 000"
    assert formats.percent(0.83) == "83 %"
    assert formats.when(MAY_7, "Europe/Oslo") == "2022-05-07 06:00"


@pytest.mark.parametrize(("lang", "number", "share", "decimal"), [
    ("nb", "9 000", "83 %", "1 234,5"), ("nn", "9 000", "83 %", "1 234,5"), ("en", "9,000", "83%", "1,234.5"),
])
def test_numbers_per_language(lang, number, share, decimal):
    assert formats.number(9000, lang) == number
    assert formats.percent(0.83, lang) == share
    assert formats.number(1234.5, lang, 1) == decimal
    assert formats.percent(0.8134, lang, 1) == share.replace("83", "81,3" if lang != "en" else "81.3")


def test_negative_zero_and_rounding_are_stable():
    assert formats.number(-0.0001, "nb", 1) == "0,0"
    assert formats.number(-1234, "en") == "-1,234"
    assert formats.percent(0.999, "nb") == "100 %"


@pytest.mark.parametrize(("lang", "text"), [
    ("nb", "7. mai 2022 kl. 06:00"), ("nn", "7. mai 2022 kl. 06:00"), ("en", "7 May 2022 06:00"),
])
def test_dates_and_times_per_language(lang, text):
    assert formats.long_when(MAY_7, "Europe/Oslo", lang) == text
    assert formats.long_date(MAY_7, lang, "Europe/Oslo") == text.split(" kl.")[0].rsplit(" 06:00")[0]


def test_weekdays_and_weeks_follow_the_language():
    saturday, tuesday, sunday = date(2022, 5, 7), date(2022, 5, 10), date(2022, 5, 8)
    assert [formats.weekday(d, "nb") for d in (saturday, tuesday, sunday)] == ["lørdag", "tirsdag", "søndag"]
    assert [formats.weekday(d, "nn") for d in (saturday, tuesday, sunday)] == ["laurdag", "tysdag", "sundag"]
    assert formats.weekday(date(2022, 5, 9), "nn") == "måndag"
    assert formats.weekday(saturday, "en") == "Saturday"
    assert (formats.week(saturday, "nb"), formats.week(saturday, "nn"), formats.week(saturday, "en")) == ("uke 18", "veke 18", "week 18")


def test_local_midnight_and_the_twice_happening_hour():
    # 23:30 UTC on 7 May is already 8 May in Oslo
    assert formats.long_date(datetime(2022, 5, 7, 23, 30, tzinfo=UTC), "nb", "Europe/Oslo") == "8. mai 2022"
    # 00:30 UTC and 01:30 UTC on 25 Oct 2026 are both 02:30 in Oslo: the offset tells them apart
    first = formats.long_when(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "Europe/Oslo", "nb")
    second = formats.long_when(datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "Europe/Oslo", "nb")
    assert first == "25. oktober 2026 kl. 02:30 +02:00" and second == "25. oktober 2026 kl. 02:30 +01:00"


@pytest.mark.parametrize(("minutes", "nb", "en"), [
    (45, "45 min", "45 min"), (60, "1 t", "1 h"), (195, "3 t 15 min", "3 h 15 min"), (1800, "1 d 6 t", "1 d 6 h"),
    (2880, "2 d", "2 d"), (-90, "-1 t 30 min", "-1 h 30 min"), (0, "0 min", "0 min"),
])
def test_durations(minutes, nb, en):
    assert formats.duration(minutes, "nb") == nb and formats.duration(minutes, "nn") == nb
    assert formats.duration(minutes, "en") == en


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language 'se'"):
        formats.number(1, "se")


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_digits_survive_every_language(value):
    digits = str(abs(value))
    for lang in ("nb", "nn", "en"):
        text = formats.number(value, lang)
        assert text.replace(" ", "").replace(",", "").lstrip("-") == digits
        assert text.startswith("-") == (value < 0)
