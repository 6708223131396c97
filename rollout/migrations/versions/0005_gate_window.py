"""A gate may set its own readiness window (readiness_window_days).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rollout.coltypes


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('gate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('readiness_window_days', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('gate', schema=None) as batch_op:
        batch_op.drop_column('readiness_window_days')

