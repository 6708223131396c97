"""Tables of the support centre: tickets, their append-only event log, waits, known issues, and the support settings.

Times are UTC (`UTCDateTime`). `next_due` is the deadline a ticket faces now
(response while untouched, else resolution), kept on every write so the queue
(`ticket next`) and the SLA sweep are index range scans, never table scans.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, text
from sqlmodel import Field, SQLModel

from rollout.models import utc_column

OPEN_STATUSES = ("new", "triaged", "in_progress", "waiting")
CLAIMABLE = ("new", "triaged")
# Partial indexes: the queue only ever looks at unassigned, claimable tickets.
_QUEUE_WHERE = text("assignee IS NULL AND status IN ('new', 'triaged')")
_OPEN_WHERE = text("status IN ('new', 'triaged', 'in_progress', 'waiting')")


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"
    __table_args__ = (
        Index("ix_ticket_queue", "next_due", "priority", "created_at", "id", sqlite_where=_QUEUE_WHERE, postgresql_where=_QUEUE_WHERE),
        Index("ix_ticket_group_queue", "resolver_group", "next_due", "priority", "created_at", "id",
              sqlite_where=_QUEUE_WHERE, postgresql_where=_QUEUE_WHERE),
        Index("ix_ticket_open_due", "next_due", sqlite_where=_OPEN_WHERE, postgresql_where=_OPEN_WHERE),
        Index("ix_ticket_open_risk", "next_risk_at", sqlite_where=_OPEN_WHERE, postgresql_where=_OPEN_WHERE),
        Index("ix_ticket_open_org", "organisation_id", "priority", sqlite_where=_OPEN_WHERE, postgresql_where=_OPEN_WHERE),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, max_length=100, unique=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text(), nullable=False, server_default=""))
    reporter: str | None = Field(default=None, max_length=200)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    category: str = Field(max_length=40)
    impact: str = Field(max_length=10)
    urgency: str = Field(max_length=10)
    priority: str = Field(max_length=2)  # P1-P4
    priority_override: bool = Field(default=False)  # set by --priority, not by the matrix
    patient_safety: bool = Field(default=False)
    deviation_id: str | None = Field(default=None, max_length=64)  # avvik id in the quality system
    resolver_group: str = Field(max_length=64, index=True)
    assignee: str | None = Field(default=None, max_length=200, index=True)
    status: str = Field(default="new", max_length=20, index=True)
    known_issue_id: int | None = Field(default=None, foreign_key="known_issue.id", index=True)
    merged_into_id: int | None = Field(default=None, foreign_key="ticket.id")
    created_at: datetime = utc_column(index=True)
    updated_at: datetime = utc_column()
    claimed_at: datetime | None = utc_column(nullable=True)  # for releasing stale claims
    responded_at: datetime | None = utc_column(nullable=True)  # the first move out of `new`
    resolved_at: datetime | None = utc_column(nullable=True)
    closed_at: datetime | None = utc_column(nullable=True)
    response_due: datetime = utc_column()
    resolution_due: datetime = utc_column()
    next_due: datetime = utc_column()
    # when 75 % of a target is used (at risk), kept like the due times so `sla check` is a range scan
    response_risk_at: datetime = utc_column()
    resolution_risk_at: datetime = utc_column()
    next_risk_at: datetime = utc_column()
    response_breached: bool = Field(default=False)
    resolution_breached: bool = Field(default=False)
    escalated: bool = Field(default=False)
    waiting_on: str | None = Field(default=None, max_length=20)  # reporter | partner | change, while waiting
    version: int = Field(default=1)  # optimistic lock: a stale write is refused


class TicketEvent(SQLModel, table=True):
    """Append-only: the database refuses UPDATE and DELETE (triggers, migration s0001).

    Every change to a ticket writes one row per field in the same transaction: who, when, old → new.
    """

    __tablename__ = "ticket_event"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    at: datetime = utc_column()
    actor: str = Field(max_length=200)
    field: str = Field(max_length=40)  # status, priority, assignee, comment, …
    old: str | None = Field(default=None, sa_column=Column(Text(), nullable=True))
    new: str | None = Field(default=None, sa_column=Column(Text(), nullable=True))


class TicketWait(SQLModel, table=True):
    """Who held a waiting ticket, and for how long; only the reporter pauses the resolution clock."""

    __tablename__ = "ticket_wait"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    on: str = Field(max_length=20)  # reporter | partner | change
    reason: str = Field(max_length=500)
    started_at: datetime = utc_column()
    ended_at: datetime | None = utc_column(nullable=True)


class KnownIssue(SQLModel, table=True):
    """A problem with a workaround that many tickets link to (a known error)."""

    __tablename__ = "known_issue"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    workaround: str = Field(default="", sa_column=Column(Text(), nullable=False, server_default=""))
    category: str | None = Field(default=None, max_length=40)
    status: str = Field(default="open", max_length=20)  # open | resolved
    created_at: datetime = utc_column()
    resolved_at: datetime | None = utc_column(nullable=True)
    resolution_note: str | None = Field(default=None, sa_column=Column(Text(), nullable=True))


class SupportSettings(SQLModel, table=True):
    """The rollout file's `support:` section as applied: one row, the normalised document."""

    __tablename__ = "support_settings"

    id: int | None = Field(default=None, primary_key=True)
    document: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
