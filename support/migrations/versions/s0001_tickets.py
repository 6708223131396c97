"""Support's first tables: tickets, their append-only events, waits, known issues, the support settings.

Revision ID: s0001
Revises: (the support branch starts here; depends on the spine's 0006)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import rollout.coltypes
from rollout.immutable import append_only, drop_append_only

revision = "s0001"
down_revision = None
branch_labels = ("support",)
depends_on = "0006"  # organisations and units, and the append-only helper's conventions

QUEUE = sa.text("assignee IS NULL AND status IN ('new', 'triaged')")
OPEN = sa.text("status IN ('new', 'triaged', 'in_progress', 'waiting')")


def utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, rollout.coltypes.UTCDateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "known_issue",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("workaround", sa.Text(), nullable=False, server_default=""),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        utc("created_at"),
        utc("resolved_at", nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
    )
    op.create_table(
        "ticket",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("external_id", sa.String(length=100), nullable=True, unique=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("reporter", sa.String(length=200), nullable=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("impact", sa.String(length=10), nullable=False),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("priority", sa.String(length=2), nullable=False),
        sa.Column("priority_override", sa.Boolean(), nullable=False),
        sa.Column("patient_safety", sa.Boolean(), nullable=False),
        sa.Column("deviation_id", sa.String(length=64), nullable=True),
        sa.Column("resolver_group", sa.String(length=64), nullable=False),
        sa.Column("assignee", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("known_issue_id", sa.Integer(), sa.ForeignKey("known_issue.id"), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), sa.ForeignKey("ticket.id"), nullable=True),
        utc("created_at"),
        utc("updated_at"),
        utc("claimed_at", nullable=True),
        utc("responded_at", nullable=True),
        utc("resolved_at", nullable=True),
        utc("closed_at", nullable=True),
        utc("response_due"),
        utc("resolution_due"),
        utc("next_due"),
        utc("response_risk_at"),
        utc("resolution_risk_at"),
        utc("next_risk_at"),
        sa.Column("response_breached", sa.Boolean(), nullable=False),
        sa.Column("resolution_breached", sa.Boolean(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("waiting_on", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    for column in ("organisation_id", "unit_id", "resolver_group", "assignee", "status", "known_issue_id", "created_at"):
        op.create_index(f"ix_ticket_{column}", "ticket", [column])
    op.create_index("ix_ticket_queue", "ticket", ["next_due", "priority", "created_at", "id"], sqlite_where=QUEUE, postgresql_where=QUEUE)
    op.create_index("ix_ticket_group_queue", "ticket", ["resolver_group", "next_due", "priority", "created_at", "id"],
                    sqlite_where=QUEUE, postgresql_where=QUEUE)
    op.create_index("ix_ticket_open_due", "ticket", ["next_due"], sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_ticket_open_risk", "ticket", ["next_risk_at"], sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_ticket_open_org", "ticket", ["organisation_id", "priority"], sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_table(
        "ticket_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("ticket.id"), nullable=False),
        utc("at"),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
    )
    op.create_index("ix_ticket_event_ticket_id", "ticket_event", ["ticket_id"])
    append_only(op, "ticket_event")
    op.create_table(
        "ticket_wait",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("ticket.id"), nullable=False),
        sa.Column("on", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        utc("started_at"),
        utc("ended_at", nullable=True),
    )
    op.create_index("ix_ticket_wait_ticket_id", "ticket_wait", ["ticket_id"])
    op.create_table(
        "support_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    drop_append_only(op, "ticket_event")
    for table in ("support_settings", "ticket_wait", "ticket_event", "ticket", "known_issue"):
        op.drop_table(table)
