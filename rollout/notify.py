"""The notification outbox: one row per message and recipient, written in the same transaction as its cause.

Other packages (support's P1 tickets and SLA escalations) and scheduled jobs
queue here; the spine owns the table so the scheduler delivers without
importing them (rollout.outbox). Every row has an idempotency key
(cause, recipient, subject): a retried or restarted job writes the same key
again and the second row is never made, so nothing is sent twice.
A body must never carry free text that could hold health data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, text
from sqlmodel import Field, Session, SQLModel, select

from rollout.models import utc_column

_UNSENT = text("sent_at IS NULL")
MAX_KEY = 500


class Notification(SQLModel, table=True):
    """One message to one address; `sent_at` once delivered, `attempts`/`last_error`/`next_attempt_at` while it fails."""

    __tablename__ = "notification"
    # The delivery query: unsent and due, oldest first.
    __table_args__ = (Index("ix_notification_unsent", "next_attempt_at", sqlite_where=_UNSENT, postgresql_where=_UNSENT),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = utc_column()
    kind: str = Field(max_length=40)  # new-p1, sla-escalation, report, runbook-reminder, roster-check
    recipient: str = Field(max_length=200)
    subject: str = Field(max_length=200)
    body: str = Field(default="", sa_column=Column(Text(), nullable=False))
    idempotency_key: str = Field(max_length=MAX_KEY, unique=True)
    attempts: int = 0
    next_attempt_at: datetime = utc_column()
    sent_at: datetime | None = utc_column(nullable=True)
    last_error: str | None = Field(default=None, sa_column=Column(Text(), nullable=True))


def message_key(cause: str, recipient: str, subject: str) -> str:
    """(cause, recipient, subject) as one key; long subjects are hashed so the key fits its column."""
    key = f"{cause}|to:{recipient.lower()}|{subject}"
    if len(key) <= MAX_KEY:
        return key
    import hashlib

    return key[: MAX_KEY - 41] + "#" + hashlib.sha1(key.encode()).hexdigest()


def queue_notification(session: Session, *, kind: str, recipients: list[str], subject: str, body: str,
                       at: datetime | None = None, key: str | None = None) -> list[Notification]:
    """Queue one row per address; returns the rows written (none for no recipients, or keys already queued).

    `key` names the cause (a job run: "job:NAME|run:ID"); without it the cause is the kind and the instant,
    so the same event queued twice at the same moment is still one message.
    """
    from rollout.clock import now

    when = at or now()
    cause = key or f"{kind}|at:{when.isoformat()}"
    addresses = sorted(dict.fromkeys(r.strip() for r in recipients if r and r.strip()))
    subject = subject[:200]
    keys = {message_key(cause, address, subject): address for address in addresses}
    if not keys:
        return []
    known = set(session.exec(select(Notification.idempotency_key).where(Notification.idempotency_key.in_(list(keys)))))  # type: ignore[attr-defined]
    rows = [Notification(created_at=when, kind=kind, recipient=address, subject=subject, body=body, idempotency_key=k,
                         next_attempt_at=when)
            for k, address in keys.items() if k not in known]
    session.add_all(rows)
    session.flush()
    return rows
