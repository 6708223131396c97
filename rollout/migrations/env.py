"""Alembic environment: always run programmatically with a connection from golive."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import rollout.schema  # noqa: F401  (every package's tables on SQLModel.metadata)

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only golive's own code drives migrations
    raise RuntimeError("run migrations through `golive db upgrade`")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
