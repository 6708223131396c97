"""Cutover runbooks: tasks from playbooks, runs (live and rehearsals) and their task states.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rollout.coltypes

revision = '0003'
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('runbook_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('playbook', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('go_live', rollout.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', rollout.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_id', 'name', name='uq_runbook_run_plan_name')
    )
    with op.batch_alter_table('runbook_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_runbook_run_plan_id'), ['plan_id'], unique=False)

    op.create_table('runbook_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('stream', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('milestone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('gate', sa.Boolean(), nullable=False),
    sa.Column('not_before', rollout.coltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('planned_start', rollout.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('planned_end', rollout.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_id', 'key', name='uq_runbook_task_plan_key')
    )
    with op.batch_alter_table('runbook_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_runbook_task_plan_id'), ['plan_id'], unique=False)

    op.create_table('runbook_task_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('actual_start', rollout.coltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('actual_end', rollout.coltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('blocked_at', rollout.coltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('forced', sa.Boolean(), nullable=False),
    sa.Column('changed_at', rollout.coltypes.UTCDateTime(timezone=True), nullable=True),
    sa.Column('changed_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['runbook_run.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['runbook_task.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('run_id', 'task_id', name='uq_runbook_state_run_task')
    )
    with op.batch_alter_table('runbook_task_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_runbook_task_state_task_id'), ['task_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('runbook_task_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runbook_task_state_task_id'))

    op.drop_table('runbook_task_state')
    with op.batch_alter_table('runbook_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runbook_task_plan_id'))

    op.drop_table('runbook_task')
    with op.batch_alter_table('runbook_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runbook_run_plan_id'))

    op.drop_table('runbook_run')
