"""Numbers as Norwegian readers expect them: `9 000`, `83 %`."""

from __future__ import annotations


def thousands(value: int) -> str:
    """`9 000`: a space between thousands (bokmål), also fine for English readers."""
    return f"{value:,}".replace(",", " ")


def percent(share: float) -> str:
    """`83 %` from 0.83: whole percent with a space before the sign."""
    return f"{round(share * 100):g} %"
