"""Small renderers shared by commands: local times for people, ISO strings for JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def local(instant: datetime | None, tz: str) -> str:
    """`2022-05-07 06:00 +02:00`: the plan's wall clock with its offset, for tables."""
    if instant is None:
        return "—"
    from rollout.clock import to_local

    value = to_local(instant, tz)
    offset = value.strftime("%z")
    return f"{value:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def iso(instant: datetime | None, tz: str) -> str | None:
    from rollout.clock import iso as _iso

    return _iso(instant, tz)


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Any:
    from rich.table import Table

    t = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    for name in columns:
        t.add_column(name, overflow="fold")
    for row in rows:
        t.add_row(*["" if v is None else str(v) for v in row])
    return t
