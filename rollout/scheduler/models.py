"""The scheduler's tables: job definitions (the source of truth), their runs, and who is notified of what.

No pickled callables anywhere: a job is a kind (found by name in the
declarations), a trigger text and JSON parameters, so nothing is ever
dropped because it cannot be loaded, and any process can read or manage
the definitions without starting a scheduler.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from rollout.models import utc_column

_OPEN = text("ended_at IS NULL")
_SCHEDULED = text("manual = false")


class ScheduledJob(SQLModel, table=True):
    """One job definition; `last_fire_at` is the latest scheduled instant handled (run, or missed past its grace)."""

    __tablename__ = "scheduled_job"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=40)
    trigger: str = Field(max_length=120)  # "cron 0 7 * * *" | "every 5m"
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    paused: bool = False
    grace_minutes: int = 15
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
    last_fire_at: datetime | None = utc_column(nullable=True)


class JobRun(SQLModel, table=True):
    """One run of a job: scheduled or by hand (`manual`), its outcome, items and per-item failures.

    A run with no `ended_at` whose process is gone was interrupted (kill -9, power cut): the scheduler
    runs it again under the same id, so its outbox keys are the same and nothing is sent twice.
    """

    __tablename__ = "job_run"
    __table_args__ = (
        # one scheduled run per job and instant, however many triggers fire it
        Index("ux_job_run_scheduled", "job", "scheduled_for", unique=True, sqlite_where=_SCHEDULED,
              postgresql_where=_SCHEDULED),
        Index("ix_job_run_open", "started_at", sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_job_run_job", "job", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)
    kind: str = Field(max_length=40)
    scheduled_for: datetime = utc_column()
    manual: bool = False
    started_at: datetime = utc_column()
    ended_at: datetime | None = utc_column(nullable=True)
    outcome: str | None = Field(default=None, max_length=10)  # ok | partial | failed | missed
    items: int = 0
    notified: int = 0
    summary: str = Field(default="", sa_column=Column(Text(), nullable=False))
    error: str | None = Field(default=None, sa_column=Column(Text(), nullable=True))
    failures: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    pid: int | None = None
    attempt: int = 1


class NotifyRule(SQLModel, table=True):
    """A rollout file's `notify:` entry: who hears of an event (for one plan, or every plan when `plan` is empty)."""

    __tablename__ = "notify_rule"
    __table_args__ = (UniqueConstraint("event", "plan", name="uq_notify_rule_event_plan"),)

    id: int | None = Field(default=None, primary_key=True)
    event: str = Field(max_length=40)
    plan: str = Field(default="", max_length=64)
    to: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    to_owner: bool = False
