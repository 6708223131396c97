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
    readiness_window_days: int | None = Field(default=None)  # overrides the plan's readiness window


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


class Contact(SQLModel, table=True):
    """An e-mail address to notify for an organisation key or a role, from the rollout file's `contacts`."""

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("key", "email", name="uq_contact_key_email"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, index=True)  # an organisation key ("hemit") or a role ("kommune")
    email: str = Field(max_length=200)


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
