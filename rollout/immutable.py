"""Append-only tables: database triggers that refuse UPDATE and DELETE, on SQLite and PostgreSQL.

Gate decisions and audit rows are evidence, so the database itself keeps
them, whoever writes (ORM, Core, raw SQL, a cascade from a deleted plan).
Migrations call `append_only(op, table)`; packages that add their own
evidence tables (support's ticket events) use the same helper.

A later SQLite batch migration that rebuilds one of these tables drops its
triggers with the old table: call `append_only` again after it.
"""

from __future__ import annotations

from typing import Any

# Every refusal carries this marker, so one check maps it to ImmutableError.
MARKER = "golive-append-only"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{marker}: {table}' USING ERRCODE = 'restrict_violation';
END
$$
"""


def append_only(op: Any, table: str) -> None:
    """Create the triggers that make `table` append-only (call from a migration's upgrade)."""
    _check_name(table)
    if op.get_bind().dialect.name == "sqlite":
        for action in ("update", "delete"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MARKER}: {table}'); END"
            )
        return
    op.execute(_PG_FUNCTION.format(table=table, marker=MARKER))
    op.execute(
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
    )
    # TRUNCATE skips row triggers; refuse it too.
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
    )


def drop_append_only(op: Any, table: str) -> None:
    """Remove what `append_only` created (call from a migration's downgrade)."""
    _check_name(table)
    if op.get_bind().dialect.name == "sqlite":
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
        return
    op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
    op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")


def refused_table(exc: BaseException) -> str | None:
    """The append-only table a database error is about, or None when it is another error."""
    text = str(getattr(exc, "orig", None) or exc)
    if MARKER not in text:
        return None
    tail = text.split(MARKER + ":", 1)[1].strip()
    return tail.split()[0].strip("'\"") if tail else "?"


def _check_name(table: str) -> None:
    # Names go into DDL text; only plain identifiers are accepted.
    if not table.isidentifier():
        raise ValueError(f"not a plain table name: {table!r}")
