"""The audit trail: every mutation leaves a row in the same transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from rollout.clock import now
from rollout.models import AuditEntry


def jsonable(value: Any) -> Any:
    """Values as they are stored in the audit log and printed with --json."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    changes: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=at or now(),
        actor=actor,
        action=action,
        entity=entity,
        entity_key=entity_key,
        changes=jsonable(changes or {}),
    )
    session.add(entry)
    return entry
