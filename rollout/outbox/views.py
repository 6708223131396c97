"""What the outbox holds: messages waiting, sent and failed, and putting failed ones back in line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from rollout import audit
from rollout.clock import OSLO, iso
from rollout.errors import NotFound
from rollout.notify import Notification


def status_of(row: Notification) -> str:
    if row.sent_at is not None:
        return "sent"
    return "failed" if row.last_error else "waiting"


@dataclass
class NotificationView:
    id: int
    created_at: datetime
    kind: str
    recipient: str
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None

    @classmethod
    def of(cls, row: Notification) -> NotificationView:
        status = status_of(row)
        return cls(id=row.id or 0, created_at=row.created_at, kind=row.kind, recipient=row.recipient, subject=row.subject,
                   status=status, attempts=row.attempts, next_attempt_at=None if status == "sent" else row.next_attempt_at,
                   sent_at=row.sent_at, last_error=row.last_error)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "created_at": iso(self.created_at, OSLO), "kind": self.kind, "recipient": self.recipient,
            "subject": self.subject, "status": self.status, "attempts": self.attempts,
            "next_attempt_at": iso(self.next_attempt_at, OSLO), "sent_at": iso(self.sent_at, OSLO),
            "last_error": self.last_error,
        }


def list_notifications(session: Session, *, failed: bool = False, limit: int = 100) -> list[NotificationView]:
    """Newest first; `failed`: unsent messages whose last attempt failed."""
    stmt = select(Notification)
    if failed:
        stmt = stmt.where(Notification.sent_at.is_(None), Notification.last_error.is_not(None))  # type: ignore[union-attr]
    stmt = stmt.order_by(Notification.id.desc())  # type: ignore[union-attr]
    if limit:
        stmt = stmt.limit(limit)
    return [NotificationView.of(r) for r in session.exec(stmt)]


def queue_retry(session: Session, *, ids: list[int], actor: str, now: datetime) -> list[int]:
    """Put failed messages (all of them, or the ids given) back in line now, attempts counted afresh; audited."""
    unsent = Notification.sent_at.is_(None)  # type: ignore[union-attr]
    if ids:
        found = dict(session.exec(select(Notification.id, Notification.sent_at).where(Notification.id.in_(ids))).all())  # type: ignore[union-attr,arg-type]
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(f"no notification {missing[0]} in the outbox")
        sent = [i for i in ids if found[i] is not None]
        if sent:
            raise NotFound(f"notification {sent[0]} was sent already; nothing to retry")
        chosen = list(dict.fromkeys(ids))
    else:
        chosen = list(session.exec(select(Notification.id).where(unsent, Notification.last_error.is_not(None))))  # type: ignore[union-attr]
    if not chosen:
        return []
    session.execute(update(Notification).where(Notification.id.in_(chosen), unsent)  # type: ignore[union-attr]
                    .values(attempts=0, next_attempt_at=now))
    audit.record(session, actor=actor, action="update", entity="notification", entity_key=",".join(map(str, chosen))[:200],
                 changes={"retry": chosen}, at=now)
    return chosen
