"""The reports package's one table: each report stored as a snapshot, the baseline of the next one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from rollout.models import utc_column
from support.models import Ticket


class ReportSnapshot(SQLModel, table=True):
    """A report's JSON as of one instant. Re-running at the same as-of time replaces it (unique per subject and as-of)."""

    __tablename__ = "report_snapshot"
    __table_args__ = (UniqueConstraint("kind", "subject", "as_of", name="uq_report_snapshot_subject_as_of"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # cutover | region
    subject: str = Field(max_length=64)  # the plan key; "region" for the region report
    as_of: datetime = utc_column()
    report: str = Field(sa_column=Column(Text(), nullable=False))  # the report's JSON text, as reports.jsonformat writes it
    created_at: datetime = utc_column()


# The report's indexes on support's ticket table (created by the reports branch's r0001; see there).
REPORT_COLUMNS = ("organisation_id", "created_at", "status", "priority", "category", "unit_id", "resolved_at", "closed_at",
                  "responded_at", "response_due", "resolution_due", "known_issue_id")
_t = Ticket.__table__.c  # type: ignore[attr-defined]
Index("ix_ticket_report", *(_t[name] for name in REPORT_COLUMNS))
Index("ix_ticket_org_resolved", _t.organisation_id, _t.resolved_at, _t.status)
