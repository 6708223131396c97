"""Numbers and shares as people type them on the command line and in files."""

from __future__ import annotations

import pytest

from rollout.tabular.cells import number_text, share_text


@pytest.mark.parametrize(("text", "value"), [("1.2", 1.2), ("1,2", 1.2), ("120%", 1.2), ("120 %", 1.2), ("95,5 %", 0.955), ("5", 5.0)])
def test_shares_as_fractions_or_percentages(text: str, value: float) -> None:
    assert share_text(text, "--min") == pytest.approx(value)


@pytest.mark.parametrize("text", ["120", "0", "-1", "0%", "abc", "1.2.3", "", "%"])
def test_shares_that_would_mislead_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a share"):
        share_text(text, "--min")


def test_numbers_with_a_decimal_comma() -> None:
    assert number_text(" 2,5 ", "n") == 2.5
    with pytest.raises(ValueError, match="not a number"):
        number_text("1,2,3", "n")
