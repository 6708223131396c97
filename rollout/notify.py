"""The notification outbox: messages written in the same transaction as their cause, delivered later by the scheduler.

Other packages (support's P1 tickets and SLA escalations) queue here; the
spine owns the table so the scheduler can deliver without importing them.
A body must never carry free text that could hold health data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, text
from sqlmodel import Field, Session, SQLModel

from rollout.models import utc_column

_UNSENT = text("sent_at IS NULL")


class Notification(SQLModel, table=True):
    """One message to one or more e-mail addresses; `sent_at` is set once delivered, `error` when it failed."""

    __tablename__ = "notification"
    # The scheduler's outbox query: unsent, oldest first.
    __table_args__ = (Index("ix_notification_unsent", "created_at", sqlite_where=_UNSENT, postgresql_where=_UNSENT),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = utc_column()
    kind: str = Field(max_length=40)  # new-p1, sla-escalation, …
    recipients: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    subject: str = Field(max_length=200)
    body: str = Field(default="", sa_column=Column(Text(), nullable=False))
    sent_at: datetime | None = utc_column(nullable=True)
    error: str | None = Field(default=None, sa_column=Column(Text(), nullable=True))


def queue_notification(session: Session, *, kind: str, recipients: list[str], subject: str, body: str,
                       at: datetime | None = None) -> Notification | None:
    """Queue a message for the outbox; no recipients means nothing to send, so nothing is written (None)."""
    from rollout.clock import now

    addresses = sorted(dict.fromkeys(r.strip() for r in recipients if r and r.strip()))
    if not addresses:
        return None
    note = Notification(created_at=at or now(), kind=kind, recipients=addresses, subject=subject[:200], body=body)
    session.add(note)
    session.flush()
    return note
