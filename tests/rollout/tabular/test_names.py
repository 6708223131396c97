"""Suggestions only for close matches."""

from __future__ import annotations

from rollout.tabular.names import did_you_mean


def test_close_names_are_suggested() -> None:
    assert did_you_mean("legevak", ["legevakt", "helsehus"]) == " (did you mean 'legevakt'?)"
    assert did_you_mean("leger", ["lege", "sykepleier"]) == " (did you mean 'lege'?)"


def test_far_names_get_no_suggestion() -> None:
    assert did_you_mean("akuttmottak", ["legevakt", "helsehus"]) == ""
    assert did_you_mean("nosuchorg", ["trondheim", "malvik"]) == ""
