"""Delivering the outbox over SMTP, with retries and exponential back-off.

Settings (environment): GOLIVE_SMTP_HOST, GOLIVE_SMTP_PORT (default 25),
GOLIVE_SMTP_FROM, optional GOLIVE_SMTP_USER and GOLIVE_SMTP_PASSWORD, and
GOLIVE_SMTP_STARTTLS=1. Without a host nothing is sent and messages wait.

Each message is claimed before it is sent (its attempt counted and its
next attempt pushed back, committed), then marked sent: a crash between
the two is the only way a message can go twice, and its Message-ID (from
the idempotency key) is the same both times, so mail systems can drop
the copy. After MAX_ATTEMPTS a message stays failed until `notify retry`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rollout.clock import now as clock_now
from rollout.errors import GoliveError

if TYPE_CHECKING:
    from rollout.database import Database

MAX_ATTEMPTS = 6
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
BATCH = 200


class SmtpSettingsError(GoliveError):
    """SMTP settings that cannot be used."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False


def smtp_settings() -> SmtpSettings | None:
    """From the environment; None when GOLIVE_SMTP_HOST is unset (then messages wait in the outbox)."""
    host = os.environ.get("GOLIVE_SMTP_HOST", "").strip()
    if not host:
        return None
    port_text = os.environ.get("GOLIVE_SMTP_PORT", "25").strip() or "25"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SmtpSettingsError(f"GOLIVE_SMTP_PORT={port_text!r} is not a port number")
    sender = os.environ.get("GOLIVE_SMTP_FROM", "").strip()
    if "@" not in sender:
        raise SmtpSettingsError("GOLIVE_SMTP_FROM must be the sender's e-mail address (like golive@kommune.no)")
    starttls = os.environ.get("GOLIVE_SMTP_STARTTLS", "").strip().lower() in ("1", "true", "yes", "on")
    return SmtpSettings(host, int(port_text), sender, os.environ.get("GOLIVE_SMTP_USER") or None,
                        os.environ.get("GOLIVE_SMTP_PASSWORD") or None, starttls)


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4, 8 … minutes, at most an hour."""
    return min(FIRST_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    waiting: int = 0  # due but not attempted (no SMTP settings)
    errors: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.sent + self.failed

    def describe(self) -> str:
        if self.waiting and not self.attempted:
            return f"outbox: {self.waiting} waiting (GOLIVE_SMTP_HOST is not set)"
        text = f"outbox: {self.sent} sent, {self.failed} failed"
        return text + (f" ({self.errors[0]})" if self.errors else "")

    def as_json(self) -> dict[str, object]:
        return {"sent": self.sent, "failed": self.failed, "waiting": self.waiting, "errors": self.errors}


def _message(row: object, settings: SmtpSettings) -> object:
    from email.message import EmailMessage
    from email.utils import format_datetime

    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = row.recipient  # type: ignore[attr-defined]
    msg["Subject"] = row.subject  # type: ignore[attr-defined]
    msg["Date"] = format_datetime(row.created_at)  # type: ignore[attr-defined]
    digest = hashlib.sha1(row.idempotency_key.encode()).hexdigest()  # type: ignore[attr-defined]
    msg["Message-ID"] = f"<{digest}@golive>"
    msg.set_content(row.body or "")  # type: ignore[attr-defined]
    return msg


def _claim(db: Database, *, at: datetime, ids: list[int] | None) -> list[object]:
    """Count an attempt on each due message and push its next attempt back, committed before anything is sent."""
    from sqlmodel import select

    from rollout.notify import Notification

    with db.session(write=True) as session:
        stmt = select(Notification).where(Notification.sent_at.is_(None))  # type: ignore[union-attr]
        if ids is None:
            stmt = stmt.where(Notification.next_attempt_at <= at, Notification.attempts < MAX_ATTEMPTS)
        else:
            stmt = stmt.where(Notification.id.in_(ids))  # type: ignore[union-attr]
        rows = list(session.exec(stmt.order_by(Notification.next_attempt_at, Notification.id).limit(BATCH)))
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = at + backoff(row.attempts)
            session.add(row)
        return rows


def _count_waiting(db: Database, *, at: datetime, ids: list[int] | None) -> int:
    """What would be sent now if there were a server: unsent messages that are due (or the given ids)."""
    from sqlalchemy import func
    from sqlmodel import select

    from rollout.notify import Notification

    stmt = select(func.count()).select_from(Notification).where(Notification.sent_at.is_(None))  # type: ignore[union-attr]
    if ids is None:
        stmt = stmt.where(Notification.next_attempt_at <= at, Notification.attempts < MAX_ATTEMPTS)
    else:
        stmt = stmt.where(Notification.id.in_(ids))  # type: ignore[union-attr]
    with db.session() as session:
        return int(session.exec(stmt).one())


def _mark(db: Database, row_id: int, *, at: datetime, error: str | None) -> None:
    from rollout.notify import Notification

    with db.session(write=True) as session:
        row = session.get(Notification, row_id)
        if row is None:
            return
        if error is None:
            row.sent_at, row.last_error = at, None
        else:
            row.last_error = error[:1000]
        session.add(row)


def deliver_due(db: Database, *, settings: SmtpSettings | None = None, ids: list[int] | None = None,
                at: datetime | None = None) -> DeliveryResult:
    """Send what is due (or the given ids); every failure is kept on its row for `notify list --failed`."""
    import smtplib

    settings = settings or smtp_settings()
    at = at or clock_now()
    result = DeliveryResult()
    if settings is None:
        result.waiting = _count_waiting(db, at=at, ids=ids)
        return result
    rows = _claim(db, at=at, ids=ids)
    if not rows:
        return result
    client = None
    try:
        client = smtplib.SMTP(settings.host, settings.port, timeout=30)
        if settings.starttls:
            client.starttls()
        if settings.user:
            client.login(settings.user, settings.password or "")
    except (OSError, smtplib.SMTPException) as exc:
        reason = f"cannot reach SMTP server {settings.host}:{settings.port}: {exc}"
        for row in rows:
            _mark(db, row.id, at=at, error=reason)  # type: ignore[attr-defined]
        result.failed, result.errors = len(rows), [reason]
        if client is not None:
            client.close()
        return result
    try:
        for row in rows:
            try:
                client.send_message(_message(row, settings))  # type: ignore[arg-type]
            except (OSError, smtplib.SMTPException) as exc:
                reason = f"{type(exc).__name__}: {exc}"
                _mark(db, row.id, at=at, error=reason)  # type: ignore[attr-defined]
                result.failed += 1
                result.errors.append(reason)
            else:
                _mark(db, row.id, at=at, error=None)  # type: ignore[attr-defined]
                result.sent += 1
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    return result
