"""Runbook tables: tasks instantiated from a playbook, runs (the live cutover and its
rehearsals) and each run's status and actuals per task.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from rollout.models import utc_column

RUNBOOK_STATUSES = ("pending", "running", "done", "skipped", "blocked")


class RunbookTask(SQLModel, table=True):
    """One timed cutover step of a plan, placed at absolute times from the plan's go-live."""

    __tablename__ = "runbook_task"
    __table_args__ = (UniqueConstraint("plan_id", "key", name="uq_runbook_task_plan_key"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE", index=True)
    position: int = Field(default=0)
    key: str = Field(max_length=64)
    title: str = Field(max_length=300)
    stream: str = Field(default="", max_length=100)
    owner: str | None = Field(default=None, max_length=64)
    at: str | None = Field(default=None, max_length=64)  # the offset as written, e.g. "T-36h"
    after: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    duration_minutes: int = Field(default=0)
    milestone: str | None = Field(default=None, max_length=64)  # "go-live" marks the go-live
    gate: bool = Field(default=False)
    not_before: datetime | None = utc_column(nullable=True)  # `at` applied to the plan's go-live
    planned_start: datetime = utc_column()
    planned_end: datetime = utc_column()


class RunbookRun(SQLModel, table=True):
    """The live cutover ("live") or a rehearsal (DR1, …) of a plan's runbook."""

    __tablename__ = "runbook_run"
    __table_args__ = (UniqueConstraint("plan_id", "name", name="uq_runbook_run_plan_name"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=64)
    kind: str = Field(max_length=10)  # live | rehearsal
    playbook: str | None = Field(default=None, max_length=200)
    go_live: datetime = utc_column()  # the anchor the run's planned times are computed from
    created_at: datetime = utc_column()
    created_by: str = Field(max_length=200)


class RunbookTaskState(SQLModel, table=True):
    """Status and actual times of one task in one run."""

    __tablename__ = "runbook_task_state"
    __table_args__ = (UniqueConstraint("run_id", "task_id", name="uq_runbook_state_run_task"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="runbook_run.id", ondelete="CASCADE")
    task_id: int = Field(foreign_key="runbook_task.id", ondelete="CASCADE", index=True)
    status: str = Field(default="pending", max_length=10)
    actual_start: datetime | None = utc_column(nullable=True)
    actual_end: datetime | None = utc_column(nullable=True)  # done or skipped at
    blocked_at: datetime | None = utc_column(nullable=True)
    note: str = Field(default="")
    forced: bool = Field(default=False)
    changed_at: datetime | None = utc_column(nullable=True)
    changed_by: str | None = Field(default=None, max_length=200)
