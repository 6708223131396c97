"""The reports package's one table: each report stored as a snapshot, the baseline of the next one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from rollout.models import utc_column


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
