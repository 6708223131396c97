"""The audit trail: every mutation leaves a row in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from rollout.clock import OSLO, now, to_local
from rollout.errors import GoliveError
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


@dataclass(frozen=True)
class AuditView:
    """One audit row as people and scripts read it: `changes` exactly as stored."""

    id: int
    at: datetime
    actor: str
    table: str
    key: str
    action: str
    changes: dict[str, Any]

    def as_json(self, tz: str = OSLO) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": to_local(self.at, tz).isoformat(timespec="minutes"),
            "actor": self.actor,
            "table": self.table,
            "key": self.key,
            "action": self.action,
            "changes": self.changes,
        }


def audit_tables(session: Session) -> list[str]:
    """Names `--table` may take: every table golive owns, and every entity the log has rows for."""
    from sqlalchemy import select

    from rollout.registry import register_tables

    logged = session.execute(select(AuditEntry.entity).distinct()).scalars()
    return sorted(set(register_tables().tables) | set(logged))


def audit_entries(
    session: Session,
    *,
    table: str | None = None,
    since: datetime | None = None,
    actor: str | None = None,
    limit: int | None = None,
) -> list[AuditView]:
    """Audit rows, newest first, filtered in SQL; an unknown table is refused with a suggestion."""
    from sqlalchemy import func, select

    from rollout.yamlfile import suggest

    stmt = select(AuditEntry)
    if table is not None:
        known = audit_tables(session)
        if table not in known:
            raise GoliveError(f"unknown table {table!r}{suggest(table, known)}")
        stmt = stmt.where(AuditEntry.entity == table)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if actor is not None:
        # People rarely remember how a name was capitalised when it was recorded.
        stmt = stmt.where(func.lower(AuditEntry.actor) == actor.strip().lower())
    stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())  # type: ignore[attr-defined]
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        AuditView(id=e.id, at=e.at, actor=e.actor, table=e.entity, key=e.entity_key, action=e.action, changes=e.changes or {})  # type: ignore[arg-type]
        for e in session.execute(stmt).scalars()
    ]
