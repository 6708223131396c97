"""Snapshots: every report is stored; the next report of the same subject compares with the latest earlier one.

The baseline is the latest snapshot with an earlier as-of time (never a later
one, never the one being replaced), so re-running a report at the same as-of
time finds the same baseline, replaces its own snapshot and gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from reports.models import ReportSnapshot

REGION = "region"


def baseline(session: Session, *, kind: str, subject: str, at: datetime) -> tuple[dict[str, Any] | None, datetime | None]:
    """The JSON and as-of time of the latest snapshot of `subject` before `at`, or (None, None)."""
    row = session.execute(
        select(ReportSnapshot.report, ReportSnapshot.as_of)
        .where(ReportSnapshot.kind == kind, ReportSnapshot.subject == subject, ReportSnapshot.as_of < at)
        .order_by(ReportSnapshot.as_of.desc()).limit(1)  # type: ignore[attr-defined]
    ).first()
    if row is None:
        return None, None
    return json.loads(row[0]), row[1]


def store(session: Session, *, kind: str, subject: str, at: datetime, text: str, actor: str) -> bool:
    """Store (or replace) the snapshot of `subject` as of `at`; True when something changed. Audited."""
    from rollout import audit
    from rollout.clock import iso, now

    existing = session.execute(
        select(ReportSnapshot).where(ReportSnapshot.kind == kind, ReportSnapshot.subject == subject, ReportSnapshot.as_of == at)
    ).scalars().first()
    if existing is not None and existing.report == text:
        return False
    if existing is None:
        session.add(ReportSnapshot(kind=kind, subject=subject, as_of=at, report=text, created_at=now()))
        action = "create"
    else:
        existing.report = text
        existing.created_at = now()
        action = "replace"
    audit.record(session, actor=actor, action=action, entity="report_snapshot", entity_key=f"{kind}:{subject}@{iso(at)}",
                 changes={"as_of": iso(at), "bytes": len(text.encode())})
    session.flush()
    return True


def cutover_with_changes(session: Session, plan: Any, at: datetime) -> Any:
    """The cutover report of `plan` as of `at`, with what changed since its baseline snapshot."""
    from reports.changes import cutover_changes
    from reports.data.cutover import cutover_report

    report = cutover_report(session, plan, at)
    before, before_at = baseline(session, kind="cutover", subject=plan.key, at=at)
    return dataclasses.replace(report, changes=cutover_changes(before, before_at, report.as_json()))


def region_with_changes(session: Session, at: datetime) -> Any:
    from reports.changes import region_changes
    from reports.data.region import region_report

    report = region_report(session, at)
    before, before_at = baseline(session, kind="region", subject=REGION, at=at)
    return dataclasses.replace(report, changes=region_changes(before, before_at, report.as_json()))
