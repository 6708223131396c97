"""SLA targets: the defaults from issue 9, the duration syntax and the rollout file's overrides."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rollout.errors import GoliveError
from support.sla_targets import (
    DEFAULT_TARGETS,
    SlaConfigError,
    Target,
    parse_target,
    target_for,
    targets_with_overrides,
)


def test_defaults_are_the_issue_table() -> None:
    table = {p: (str(t.response), str(t.resolution)) for p, t in DEFAULT_TARGETS.items()}
    assert table == {"P1": ("15m", "4h"), "P2": ("1h", "8h"), "P3": ("4h", "3d"), "P4": ("1d", "10d")}


def test_a_day_is_eight_business_hours_and_24_elapsed_hours() -> None:
    p3, p4 = DEFAULT_TARGETS["P3"].resolution, DEFAULT_TARGETS["P4"].resolution
    assert (p3.business, p3.round_the_clock) == (timedelta(hours=24), timedelta(hours=72))
    assert (p4.business, p4.round_the_clock) == (timedelta(hours=80), timedelta(hours=240))
    p1 = DEFAULT_TARGETS["P1"].resolution
    assert p1.business == p1.round_the_clock == timedelta(hours=4)
    assert p3.in_days and not p1.in_days


@pytest.mark.parametrize(
    ("text", "days", "minutes"),
    [("15m", 0, 15), ("4h", 0, 240), ("3d", 3, 0), ("1d12h", 1, 720), ("1h30m", 0, 90), (" 90 min ", 0, 90), ("2D", 2, 0)],
)
def test_durations(text: str, days: int, minutes: int) -> None:
    assert parse_target(text) == Target(days=days, minutes=minutes)


@pytest.mark.parametrize("text", ["3 days", "15", 15, "0m", "", "h", "4h3d", "-1h", None, True, "1.5h"])
def test_bad_durations_are_refused_with_the_key(text: object) -> None:
    with pytest.raises(SlaConfigError, match=r"^sla\.P1\.response: ") as err:
        parse_target(text, key="sla.P1.response")
    assert isinstance(err.value, GoliveError) and isinstance(err.value, ValueError)
    assert err.value.key == "sla.P1.response"


def test_overrides_replace_single_targets() -> None:
    merged = targets_with_overrides({"P1": {"response": "10m", "resolution": "2h"}, "P3": {"resolution": "2d"}})
    assert merged["P1"].response == Target(minutes=10) and merged["P1"].resolution == Target(minutes=120)
    assert merged["P3"].response == DEFAULT_TARGETS["P3"].response
    assert merged["P3"].resolution == Target(days=2)
    assert merged["P2"] == DEFAULT_TARGETS["P2"] and merged["P4"] == DEFAULT_TARGETS["P4"]
    assert targets_with_overrides(None) == DEFAULT_TARGETS


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"P5": {"response": "1h"}}, r"^sla: unknown priority 'P5'; use one of P1, P2, P3, P4"),
        ({"p1": {"response": "1h"}}, r"did you mean 'P1'\?"),
        ({"P2": {"resolutoin": "1h"}}, r"^sla\.P2: unknown key 'resolutoin'; use response or resolution \(did you mean 'resolution'\?\)"),
        ({"P2": "1h"}, r"^sla\.P2: must map response and/or resolution"),
        ({"P2": {"response": "1 hour"}}, r"^sla\.P2\.response: '1 hour' is not a duration"),
        ({"P1": {"response": "5h"}}, r"^sla\.P1: response 5h is longer than resolution 4h"),
        # 1d is 8 business hours but 24 elapsed ones: longer than 12h on the 24/7 clock
        ({"P2": {"response": "1d", "resolution": "12h"}}, r"^sla\.P2: response 1d is longer than resolution 12h"),
        (["P1"], r"^sla: must be a mapping"),
    ],
)
def test_bad_overrides(raw: object, message: str) -> None:
    with pytest.raises(SlaConfigError, match=message):
        targets_with_overrides(raw)  # type: ignore[arg-type]


def test_target_for_names_unknown_priorities() -> None:
    assert target_for(DEFAULT_TARGETS, "P2", "resolution") == Target(minutes=480)
    with pytest.raises(SlaConfigError, match="unknown priority 'P9'"):
        target_for(DEFAULT_TARGETS, "P9", "response")
    with pytest.raises(SlaConfigError, match="unknown SLA clock"):
        target_for(DEFAULT_TARGETS, "P2", "answer")  # type: ignore[arg-type]


def test_a_target_is_never_zero_or_negative() -> None:
    with pytest.raises(SlaConfigError):
        Target()
    with pytest.raises(SlaConfigError):
        Target(minutes=-5)
