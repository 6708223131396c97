"""Numbers and times as people read them: `9 000`, `83 %`, `2022-05-07 06:00`."""

from __future__ import annotations

from datetime import datetime


def thousands(value: int) -> str:
    """`9 000`: a space between thousands (bokmål), also fine for English readers."""
    return f"{value:,}".replace(",", " ")


def percent(share: float) -> str:
    """`83 %` from 0.83: whole percent with a space before the sign."""
    return f"{round(share * 100):g} %"


def when(instant: datetime | None, tz: str) -> str:
    """`2022-05-07 06:00`: the one way people read a time, on the plan's wall clock.

    The offset is added only where the wall clock is ambiguous, in the hour
    that happens twice when the clocks go back (`2026-10-25 02:30 +01:00`).
    JSON writes times with `rollout.clock.iso` instead (`2022-05-07T06:00+02:00`).
    """
    if instant is None:
        return "—"
    from rollout.clock import to_local

    value = to_local(instant, tz)
    text = f"{value:%Y-%m-%d %H:%M}"
    if value.replace(fold=1 - value.fold).utcoffset() != value.utcoffset():
        offset = value.strftime("%z")
        text += f" {offset[:3]}:{offset[3:]}"
    return text
