"""Tables of the rollout spine: organisations, units, plans and their parts, and the audit log.

Natural keys (`organisation.key`, `(organisation, unit.key)`, `plan.key`, …)
are what files and commands speak; integer ids are what JSON output and
foreign keys use.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from rollout.coltypes import UTCDateTime

ORG_KINDS = ("municipality", "hospital", "gp_office", "partner")
UNIT_HOURS = ("24/7", "weekdays")


def utc_column(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    org_number: str | None = Field(default=None, max_length=9)


class Unit(SQLModel, table=True):
    """An *enhet*: a service area with its own staff, hours and shifts."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("organisation_id", "key", name="uq_unit_org_key"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    name: str = Field(max_length=200)
    service: str = Field(max_length=100)
    hours: str = Field(max_length=10)  # "24/7" (dag, kveld, natt daily) or "weekdays" (dag Mon-Fri)
    staff: int = Field(default=0)


class Plan(SQLModel, table=True):
    """One organisation's rollout."""

    __tablename__ = "plan"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=200)
    timezone: str = Field(default="Europe/Oslo", max_length=64)
    cutover_start: datetime = utc_column()
    go_live: datetime = utc_column()
    hypercare_until: date  # inclusive to 24:00 local time
    playbook: str | None = Field(default=None, max_length=200)
    language: str = Field(default="nb", max_length=2)
    readiness_window_days: int | None = Field(default=None)
    # Readiness settings from the rollout file (issue 3): {role: [course, …]}, a course, {shift: "07:00-15:00"}
    training_requirements: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    superuser_course: str | None = Field(default=None, max_length=64)
    shifts: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Phase(SQLModel, table=True):
    __tablename__ = "phase"
    __table_args__ = (UniqueConstraint("plan_id", "name", name="uq_phase_plan_name"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE", index=True)
    position: int = Field(default=0)
    name: str = Field(max_length=100)
    start: date
    end: date  # inclusive


class Wave(SQLModel, table=True):
    """Units of one organisation that go live together."""

    __tablename__ = "wave"
    __table_args__ = (UniqueConstraint("plan_id", "name", name="uq_wave_plan_name"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE", index=True)
    position: int = Field(default=0)
    name: str = Field(max_length=100)
    go_live: datetime = utc_column()


class WaveUnit(SQLModel, table=True):
    __tablename__ = "wave_unit"

    wave_id: int = Field(foreign_key="wave.id", ondelete="CASCADE", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE", primary_key=True, index=True)


class Gate(SQLModel, table=True):
    """A go/no-go checkpoint; `due_at` is derived from `at` when the plan is applied."""

    __tablename__ = "gate"
    __table_args__ = (UniqueConstraint("plan_id", "key", name="uq_gate_plan_key"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE", index=True)
    position: int = Field(default=0)
    key: str = Field(max_length=64)
    at: str | None = Field(default=None, max_length=64)  # "T-7d" or a local time, as written
    wave_id: int | None = Field(default=None, foreign_key="wave.id", ondelete="SET NULL")
    due_at: datetime | None = utc_column(nullable=True)
    criteria: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class GateDecision(SQLModel, table=True):
    """A recorded go/no-go: by whom, why, and the evidence it was based on. Never updated.

    `gate_key` is a plan gate's key or a runbook gate task's key.
    """

    __tablename__ = "gate_decision"
    __table_args__ = (Index("ix_gate_decision_plan_key", "plan_id", "gate_key"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE")
    gate_key: str = Field(max_length=64)
    decision: str = Field(max_length=5)  # "go" | "no-go"
    verdict: str | None = Field(default=None, max_length=5)  # what the data said: "GO" | "NO-GO" | None
    override: bool = Field(default=False)  # a GO recorded against a NO-GO verdict
    decided_by: str = Field(max_length=200)
    note: str = Field(default="")
    decided_at: datetime = utc_column()
    actor: str = Field(max_length=200)  # who recorded it; may differ from decided_by
    evidence: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class AuditEntry(SQLModel, table=True):
    """Who changed what, when, from what to what: written in the same transaction as the change."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_key"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_column(index=True)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=20)  # create | update | delete | ...
    entity: str = Field(max_length=40)
    entity_key: str = Field(max_length=200)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))



# ---------------------------------------------------------------------------
# Readiness: people, training, staffing and superuser rosters (issue 3).
# Plan-level settings (training requirements, superuser course, shifts) live
# as JSON/text columns on `plan`; see `rollout.readiness.people.plan_shifts`.
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Cutover runbooks (issue 4): tasks instantiated from a playbook, runs (the
# live cutover and its rehearsals) and each run's status and actuals per task.
# ---------------------------------------------------------------------------

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
