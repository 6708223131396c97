"""The scheduler: job definitions, run history, notify rules; the outbox gets one row per recipient with an idempotency key.

Existing notification rows are kept: a message to several addresses becomes
one row per address (sent ones stay sent), keyed by its old id.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import json

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rollout.coltypes

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

UNSENT = sa.text("sent_at IS NULL")
OPEN = sa.text("ended_at IS NULL")
SCHEDULED = sa.text("manual = false")


def _rows(bind: sa.engine.Connection, *names: str) -> list[dict]:
    """Typed reads (instants as aware datetimes on both backends), for writing back through bulk_insert."""
    types = {'created_at': rollout.coltypes.UTCDateTime(), 'sent_at': rollout.coltypes.UTCDateTime(), 'recipients': sa.JSON()}
    table = sa.table('notification', sa.column('id', sa.Integer()), *(sa.column(n, types.get(n, sa.Text())) for n in names))
    return [dict(r._mapping) for r in bind.execute(sa.select(*(table.c[n] for n in names)).order_by(table.c.id))]


def _recipients(value: object) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in (value or [])]


def _outbox_table(name: str) -> sa.Table:
    return op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', rollout.coltypes.UTCDateTime(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', rollout.coltypes.UTCDateTime(), nullable=False),
    sa.Column('sent_at', rollout.coltypes.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key'),
    )


def upgrade() -> None:
    op.create_table('scheduled_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('grace_minutes', sa.Integer(), nullable=False),
    sa.Column('created_at', rollout.coltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', rollout.coltypes.UTCDateTime(), nullable=False),
    sa.Column('last_fire_at', rollout.coltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name'),
    )
    op.create_table('job_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('scheduled_for', rollout.coltypes.UTCDateTime(), nullable=False),
    sa.Column('manual', sa.Boolean(), nullable=False),
    sa.Column('started_at', rollout.coltypes.UTCDateTime(), nullable=False),
    sa.Column('ended_at', rollout.coltypes.UTCDateTime(), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('notified', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('failures', sa.JSON(), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ux_job_run_scheduled', 'job_run', ['job', 'scheduled_for'], unique=True,
                    sqlite_where=SCHEDULED, postgresql_where=SCHEDULED)
    op.create_index('ix_job_run_open', 'job_run', ['started_at'], sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_job_run_job', 'job_run', ['job', 'started_at'])
    op.create_table('notify_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('plan', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('to', sa.JSON(), nullable=False),
    sa.Column('to_owner', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event', 'plan', name='uq_notify_rule_event_plan'),
    )

    bind = op.get_bind()
    old = _rows(bind, 'id', 'created_at', 'kind', 'recipients', 'subject', 'body', 'sent_at', 'error')
    op.drop_index('ix_notification_unsent', table_name='notification')
    op.drop_table('notification')
    table = _outbox_table('notification')
    op.create_index('ix_notification_unsent', 'notification', ['next_attempt_at'], sqlite_where=UNSENT, postgresql_where=UNSENT)
    rows = []
    for row in old:
        for address in sorted(dict.fromkeys(_recipients(row['recipients']))):
            rows.append({
                'created_at': row['created_at'], 'kind': row['kind'], 'recipient': address, 'subject': row['subject'],
                'body': row['body'], 'idempotency_key': f"legacy:{row['id']}|to:{address.lower()}",
                'attempts': 1 if row['error'] else 0, 'next_attempt_at': row['created_at'], 'sent_at': row['sent_at'],
                'last_error': row['error'],
            })
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    bind = op.get_bind()
    rows = _rows(bind, 'created_at', 'kind', 'recipient', 'subject', 'body', 'sent_at', 'last_error')
    op.drop_index('ix_notification_unsent', table_name='notification')
    op.drop_table('notification')
    table = op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', rollout.coltypes.UTCDateTime(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_at', rollout.coltypes.UTCDateTime(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_notification_unsent', 'notification', ['created_at'], sqlite_where=UNSENT, postgresql_where=UNSENT)
    if rows:
        op.bulk_insert(table, [{'created_at': r['created_at'], 'kind': r['kind'], 'recipients': [r['recipient']],
                                'subject': r['subject'], 'body': r['body'], 'sent_at': r['sent_at'], 'error': r['last_error']}
                               for r in rows])
    op.drop_table('notify_rule')
    op.drop_index('ix_job_run_job', table_name='job_run')
    op.drop_index('ix_job_run_open', table_name='job_run')
    op.drop_index('ux_job_run_scheduled', table_name='job_run')
    op.drop_table('job_run')
    op.drop_table('scheduled_job')
