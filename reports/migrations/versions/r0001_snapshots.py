"""Report snapshots, and the indexes the report's ticket aggregates read (on support's ticket table).

Revision ID: r0001
Revises: (the reports branch starts here; depends on support's s0001)
Create Date: 2026-12-01

The ticket indexes serve the report's per-organisation aggregates, which
read tickets by creation and resolution time as of a past instant; they are
created here, on the reports branch, because only the reports read that way.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import rollout.coltypes

revision = "r0001"
down_revision = None
branch_labels = ("reports",)
depends_on = "s0001"  # the ticket table the report's indexes are on


REPORT_COLUMNS = ["organisation_id", "created_at", "status", "priority", "category", "unit_id", "resolved_at", "closed_at",
                  "responded_at", "response_due", "resolution_due", "known_issue_id"]


def upgrade() -> None:
    op.create_table(
        "report_snapshot",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("as_of", rollout.coltypes.UTCDateTime(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("created_at", rollout.coltypes.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("kind", "subject", "as_of", name="uq_report_snapshot_subject_as_of"),
    )
    # One organisation's tickets by creation time, with every column the report's counts read: the report's
    # scans read this index alone, in order, instead of the table row by row.
    op.create_index("ix_ticket_report", "ticket", REPORT_COLUMNS)
    # Tickets resolved per day: a range of this index per day.
    op.create_index("ix_ticket_org_resolved", "ticket", ["organisation_id", "resolved_at", "status"])


def downgrade() -> None:
    op.drop_index("ix_ticket_org_resolved", table_name="ticket")
    op.drop_index("ix_ticket_report", table_name="ticket")
    op.drop_table("report_snapshot")
