"""Readiness tables: people from HR, their course completions, staffing per shift, superuser duties.

Plan-level settings (training requirements, superuser course, shifts) live as
columns on `plan` (rollout.models); see `rollout.readiness.scope`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from rollout.models import utc_column


class Person(SQLModel, table=True):
    """An employee from HR: where they work, their role, whether they are a superuser."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_unit_role", "unit_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    employee_id: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=200, index=True)
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE")
    role: str = Field(max_length=64)
    superuser: bool = Field(default=False)


class TrainingCompletion(SQLModel, table=True):
    """A course a person completed; a retake keeps the earliest completion."""

    __tablename__ = "training_completion"
    __table_args__ = (UniqueConstraint("person_id", "course", name="uq_training_person_course"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    course: str = Field(max_length=64, index=True)
    completed_at: datetime = utc_column()


class StaffingShift(SQLModel, table=True):
    """Planned and normal (baseline) headcount of one unit on one shift; times fixed at import."""

    __tablename__ = "staffing_shift"
    __table_args__ = (
        UniqueConstraint("unit_id", "day", "shift", name="uq_staffing_unit_day_shift"),
        Index("ix_staffing_unit_start", "unit_id", "start_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE")
    day: date  # the local date the shift starts
    shift: str = Field(max_length=32)
    start_at: datetime = utc_column()
    end_at: datetime = utc_column()
    planned: int
    baseline: int


class RosterShift(SQLModel, table=True):
    """A superuser on duty on a unit from start to end (a named shift or hours of their own)."""

    __tablename__ = "roster_shift"
    __table_args__ = (
        UniqueConstraint("person_id", "unit_id", "start_at", name="uq_roster_person_unit_start"),
        Index("ix_roster_unit_start", "unit_id", "start_at"),
        Index("ix_roster_person_start", "person_id", "start_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE")
    day: date  # local date the duty starts
    shift: str | None = Field(default=None, max_length=32)  # None for hours of their own
    start_at: datetime = utc_column()
    end_at: datetime = utc_column()
