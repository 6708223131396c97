"""Gate decisions and the audit log are append-only, enforced by database triggers.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

from rollout.immutable import append_only, drop_append_only

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TABLES = ('gate_decision', 'audit_log')


def upgrade() -> None:
    for table in TABLES:
        append_only(op, table)


def downgrade() -> None:
    for table in TABLES:
        drop_append_only(op, table)
