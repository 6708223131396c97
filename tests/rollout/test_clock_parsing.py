"""One parser for times people type: ISO 8601 and the Norwegian forms, with the DST rules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rollout.clock import TimeError, parse_local, parse_wall, zone
from tests.conftest import EXAMPLE, assert_error

OSLO = zone("Europe/Oslo")
FRIDAY_14 = datetime(2022, 5, 6, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text",
    [
        "2022-05-06T14:00",
        "2022-05-06 14:00",
        "2022-05-06T14:00:00",
        "2022-05-06T14:00+02:00",
        "2022-05-06T12:00Z",
        "2022-05-06 14:00 +0200",
        "06.05.2022 14:00",
        "6.5.2022 14:00",
        "06.05.2022 kl. 14:00",
        "06.05.2022 kl 14.00",
        "06.05.2022, 14:00",
        "6/5/2022 14:00",
        "06.05.22 14:00",
        "06.05.2022 14:00 +02:00",
        "06.05.2022 2:00 PM",
        "Friday, 6 May 2022, 2:00 PM",
        "6 May 2022, 14:00",
        "fredag, 6. mai 2022 kl. 14:00",
        "  06.05.2022 14:00  ",
    ],
)
def test_every_form_a_person_or_an_export_writes_means_the_same_instant(text: str) -> None:
    assert parse_local(text, OSLO) == FRIDAY_14


@pytest.mark.parametrize("text", ["2022-05-06", "06.05.2022", "6.5.2022", "6 May 2022", "6. mai 2022"])
def test_a_bare_date_is_local_midnight_where_the_caller_allows_it(text: str) -> None:
    assert parse_local(text, OSLO) == datetime(2022, 5, 5, 22, 0, tzinfo=timezone.utc)
    with pytest.raises(TimeError, match="needs a time of day"):
        parse_local(text, OSLO, date_only=False)


@pytest.mark.parametrize("text", ["i går", "2022-13-01 10:00", "31.02.2022 10:00", "06.05.2022 25:00", "6 Maybe 2022", "14:00", ""])
def test_nonsense_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(TimeError):
        parse_local(text, OSLO, what="--at")


def test_unknown_text_names_the_accepted_forms() -> None:
    with pytest.raises(TimeError, match=r"--at 'i går' is not a time like 2022-05-07T06:00, 07\.05\.2022 06:00"):
        parse_local("i går", OSLO, what="--at")


@pytest.mark.parametrize("text", ["29.03.2026 02:30", "2026-03-29 02:30", "29.03.2026 kl. 02:30"])
def test_norwegian_forms_keep_the_spring_gap_rule(text: str) -> None:
    with pytest.raises(TimeError, match="does not exist in Europe/Oslo"):
        parse_local(text, OSLO)


def test_norwegian_forms_keep_the_autumn_overlap_rule_and_take_an_offset() -> None:
    with pytest.raises(TimeError, match=r"happens twice.*2026-10-25T02:30\+02:00 or 2026-10-25T02:30\+01:00"):
        parse_local("25.10.2026 02:30", OSLO)
    first = parse_local("25.10.2026 02:30 +02:00", OSLO)
    second = parse_local("25.10.2026 kl. 02:30+01:00", OSLO)
    assert second - first == timedelta(hours=1)


def test_parse_wall_keeps_what_was_written() -> None:
    wall = parse_wall("06.05.2022 kl. 14:00 +02:00")
    assert (wall.naive, wall.offset, wall.has_time) == (datetime(2022, 5, 6, 14, 0), "+02:00", True)
    assert parse_wall("2022-05-06").has_time is False


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(timezone.utc)))
@example(datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc))  # 02:30+02:00, the first of the autumn pair
@example(datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc))  # 02:30+01:00, the second
@example(datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc))  # 03:00+02:00, just after the spring gap
def test_formatting_an_instant_both_ways_and_parsing_it_back_gives_the_instant(instant: datetime) -> None:
    instant = instant.replace(second=0, microsecond=0)
    local = instant.astimezone(OSLO)
    offset = local.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    # With the offset written out every instant comes back, also in the autumn overlap.
    assert parse_local(local.strftime("%Y-%m-%dT%H:%M") + offset, OSLO) == instant
    assert parse_local(local.strftime("%d.%m.%Y %H:%M ") + offset, OSLO) == instant
    other_fold = local.replace(fold=1 - local.fold)
    ambiguous = other_fold.utcoffset() != local.utcoffset() and other_fold.astimezone(timezone.utc).astimezone(OSLO).replace(tzinfo=None) == local.replace(tzinfo=None)
    for text in (local.strftime("%Y-%m-%dT%H:%M"), local.strftime("%d.%m.%Y %H:%M"), f"{local.day}.{local.month}.{local.year} kl. {local:%H:%M}"):
        if ambiguous:  # the wall clock alone cannot say which of the two it was
            with pytest.raises(TimeError, match="happens twice"):
                parse_local(text, OSLO)
        else:
            assert parse_local(text, OSLO) == instant


def test_at_accepts_the_norwegian_forms_on_the_command_line(golive, db_url: str) -> None:  # noqa: ANN001
    assert golive("apply", str(EXAMPLE)).exit_code == 0
    iso = golive("plan", "show", "trondheim-2022", "--at", "2022-04-30T06:00", "--json")
    assert iso.exit_code == 0, iso.stderr
    for text in ("30.04.2022 06:00", "30.4.2022 kl. 06:00", "2022-04-30 06:00"):
        result = golive("plan", "show", "trondheim-2022", "--at", text, "--json")
        assert result.exit_code == 0, result.stderr
        assert result.json() == iso.json()
    assert_error(golive("plan", "show", "trondheim-2022", "--at", "30.04.2022 kl 6"), "--at '30.04.2022 kl 6' is not a time like", code=2)
