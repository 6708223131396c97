"""Ticket history: one append-only event per changed field, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from support.models import TicketEvent


def text_of(value: Any) -> str | None:
    """Events store text: instants as ISO 8601 UTC, everything else as written."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def record(session: Session, *, ticket_id: int, actor: str, at: datetime, changes: dict[str, tuple[Any, Any]]) -> None:
    """`changes` is {field: (old, new)}; unchanged fields are skipped, so a no-op writes nothing."""
    rows = [
        {"ticket_id": ticket_id, "at": at, "actor": actor, "field": field, "old": text_of(old), "new": text_of(new)}
        for field, (old, new) in changes.items()
        if text_of(old) != text_of(new)
    ]
    if rows:
        session.execute(insert(TicketEvent), rows)


def record_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk form for set-based changes (the sweep, known-issue resolve): rows already shaped as events."""
    for row in rows:
        row["old"], row["new"] = text_of(row.get("old")), text_of(row.get("new"))
    if rows:
        session.execute(insert(TicketEvent), rows)
