"""`golive ticket export`: tickets as CSV for Excel (formula cells neutralised) or JSON, optionally only those changed since a time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import iso
from rollout.errors import InputError
from rollout.models import Organisation, Unit
from rollout.tabular.export import csv_text, safe_cell
from support.models import Ticket

OSLO = "Europe/Oslo"
EXPORT_COLUMNS = (
    "id", "external_id", "title", "description", "unit", "category", "impact", "urgency", "priority", "patient_safety",
    "status", "group", "assignee", "reporter", "known_issue", "created", "updated", "responded", "resolved", "closed",
    "response_due", "resolution_due", "response_breached", "resolution_breached",
)
FORMATS = ("csv", "json")
# Excel also runs a cell that starts with a tab or a carriage return as a formula after its blank: neutralise those too.
_BLANK_START = ("\t", "\r")


def excel_cell(value: Any) -> Any:
    """A cell that Excel or LibreOffice will show as text, never evaluate."""
    if isinstance(value, str) and value[:1] in _BLANK_START:
        return "'" + value
    return safe_cell(value)


def export_rows(session: Session, *, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """Every ticket (or those created or changed at or after `since`), by id, as export rows."""
    t = Ticket
    stmt = (
        select(t.id, t.external_id, t.title, t.description, Organisation.key, Unit.key, t.category, t.impact, t.urgency,
               t.priority, t.patient_safety, t.status, t.resolver_group, t.assignee, t.reporter, t.known_issue_id,
               t.created_at, t.updated_at, t.responded_at, t.resolved_at, t.closed_at, t.response_due, t.resolution_due,
               t.response_breached, t.resolution_breached)
        .join(Organisation, Organisation.id == t.organisation_id)
        .outerjoin(Unit, Unit.id == t.unit_id)
        .order_by(t.id)
    )
    if since is not None:
        stmt = stmt.where(t.updated_at >= since)  # updated_at moves on every write, creation included
    for r in session.execute(stmt.execution_options(yield_per=5000)):
        (tid, ext, title, desc, org, unit, cat, imp, urg, pri, safety, status, group, assignee, reporter, ki,
         created, updated, responded, resolved, closed, response_due, resolution_due, r_breached, s_breached) = r
        yield {
            "id": tid, "external_id": ext, "title": title, "description": desc, "unit": f"{org}/{unit}" if unit else org,
            "category": cat, "impact": imp, "urgency": urg, "priority": pri, "patient_safety": safety, "status": status,
            "group": group, "assignee": assignee, "reporter": reporter, "known_issue": ki,
            "created": iso(created, OSLO), "updated": iso(updated, OSLO), "responded": iso(responded, OSLO),
            "resolved": iso(resolved, OSLO), "closed": iso(closed, OSLO), "response_due": iso(response_due, OSLO),
            "resolution_due": iso(resolution_due, OSLO), "response_breached": r_breached, "resolution_breached": s_breached,
        }


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "ja" if value else "nei"
    return excel_cell(value)


def export_tickets(session: Session, *, format: str, since: datetime | None = None) -> tuple[bytes, int]:  # noqa: A002
    """The export file's bytes (CSV: UTF-8 with BOM, `;`, as Norwegian Excel opens it) and how many tickets it holds."""
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    rows = list(export_rows(session, since=since))
    if format == "json":
        return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), len(rows)
    text = csv_text(EXPORT_COLUMNS, ([_csv_value(row[c]) for c in EXPORT_COLUMNS] for row in rows))
    return b"\xef\xbb\xbf" + text.encode("utf-8"), len(rows)
