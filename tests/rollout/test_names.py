"""Suggestions only for close matches."""

from __future__ import annotations

from rollout.names import did_you_mean


def test_close_names_are_suggested() -> None:
    assert did_you_mean("legevak", ["legevakt", "helsehus"]) == " (did you mean 'legevakt'?)"
    assert did_you_mean("leger", ["lege", "sykepleier"]) == " (did you mean 'lege'?)"


def test_far_names_get_no_suggestion() -> None:
    assert did_you_mean("akuttmottak", ["legevakt", "helsehus"]) == ""
    assert did_you_mean("nosuchorg", ["trondheim", "malvik"]) == ""


def test_one_letter_missing_or_extra_is_a_typo_but_another_digit_is_another_name() -> None:
    from rollout.names import close_match

    assert close_match("ee", ["e", "f"]) == "e"
    assert close_match("lege", ["leger"]) == "leger"
    assert close_match("DR2", ["DR1", "live"]) is None
    assert close_match("akuttmottak", ["malvik/legevakt", "legevakt"]) is None
