"""Readiness: people, training completions, staffing shifts, superuser rosters; plan readiness settings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rollout.coltypes

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('superuser', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('employee_id')
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_email'), ['email'], unique=False)
        batch_op.create_index('ix_person_unit_role', ['unit_id', 'role'], unique=False)

    op.create_table('staffing_shift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('shift', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('start_at', rollout.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end_at', rollout.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('planned', sa.Integer(), nullable=False),
    sa.Column('baseline', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'day', 'shift', name='uq_staffing_unit_day_shift')
    )
    with op.batch_alter_table('staffing_shift', schema=None) as batch_op:
        batch_op.create_index('ix_staffing_unit_start', ['unit_id', 'start_at'], unique=False)

    op.create_table('roster_shift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('shift', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('start_at', rollout.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end_at', rollout.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'unit_id', 'start_at', name='uq_roster_person_unit_start')
    )
    with op.batch_alter_table('roster_shift', schema=None) as batch_op:
        batch_op.create_index('ix_roster_person_start', ['person_id', 'start_at'], unique=False)
        batch_op.create_index('ix_roster_unit_start', ['unit_id', 'start_at'], unique=False)

    op.create_table('training_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('course', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('completed_at', rollout.coltypes.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'course', name='uq_training_person_course')
    )
    with op.batch_alter_table('training_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_completion_course'), ['course'], unique=False)
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('training_requirements', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('superuser_course', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('shifts', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('shifts')
        batch_op.drop_column('superuser_course')
        batch_op.drop_column('training_requirements')

    with op.batch_alter_table('training_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_completion_course'))

    op.drop_table('training_completion')
    with op.batch_alter_table('roster_shift', schema=None) as batch_op:
        batch_op.drop_index('ix_roster_unit_start')
        batch_op.drop_index('ix_roster_person_start')

    op.drop_table('roster_shift')
    with op.batch_alter_table('staffing_shift', schema=None) as batch_op:
        batch_op.drop_index('ix_staffing_unit_start')

    op.drop_table('staffing_shift')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_unit_role')
        batch_op.drop_index(batch_op.f('ix_person_email'))

    op.drop_table('person')
