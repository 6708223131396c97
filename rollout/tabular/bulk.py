"""Bulk writes for imports: one compiled statement per table, sent as DB-API executemany.

Imports diff the parsed rows against what is stored in the file's scope (by
natural key) and write only the difference: new rows, changed rows and, when
syncing, rows gone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from datetime import datetime, timezone
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, update
from sqlmodel import Session

from rollout import audit
from rollout.coltypes import UTCDateTime
from rollout.tabular.result import ImportResult


CHUNK = 5000  # bound parameters per statement, well under SQLite's and PostgreSQL's limits


def _chunks(rows: list[Any], size: int = CHUNK):  # noqa: ANN202
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


KEYS_TABLE_FROM = 2000  # more keys than this: join a temporary table of them instead of long IN lists


def rows_where_in(session: Session, stmt: Any, column: Any, values: Collection[Any]) -> list[Any]:
    """`stmt WHERE column IN (values)`: the stored rows an import's file names, never the whole table.

    Many keys go into a temporary table (one executemany) that the query joins: compiling and
    sending IN lists of thousands of parameters costs more than the read itself.
    """
    if not values:
        return []
    ordered = sorted(values)
    if len(ordered) <= KEYS_TABLE_FROM:
        return list(session.execute(stmt.where(column.in_(ordered))))
    from sqlalchemy import Column, MetaData, Table, select

    keys = Table("golive_import_keys", MetaData(), Column("k", column.type), prefixes=["TEMPORARY"])
    conn = session.connection()
    keys.drop(conn, checkfirst=True)
    keys.create(conn)
    compiled = insert(keys).compile(dialect=conn.dialect)
    conn.exec_driver_sql(str(compiled), [(v,) for v in ordered] if compiled.positional else [{"k": v} for v in ordered])
    found = list(session.execute(stmt.where(column.in_(select(keys.c.k)))))
    # Dropped on success only: after an error (or Ctrl-C) the rollback takes it away, as DDL is transactional on
    # both backends, and touching a broken connection here would hide the real cause.
    keys.drop(conn)
    return found


def bulk_insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """One `INSERT` compiled once by SQLAlchemy core, sent as a single DB-API executemany.

    Values go to the driver as they are, except instants, which are converted
    here the way `UTCDateTime` stores them (naive UTC text on SQLite, aware
    on PostgreSQL): SQLAlchemy's per-row bind processing would otherwise cost
    more than the insert itself for 100 000 rows.
    """
    if not rows:
        return
    conn = session.connection()
    columns = list(rows[0])
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=columns)
    convert = {c: driver_instant(conn.dialect.name) for c in columns if isinstance(table.c[c].type, UTCDateTime)}
    if convert:
        rows = [dict(row) for row in rows] if not isinstance(rows, list) else rows
        for key, fn in convert.items():
            for row in rows:
                row[key] = fn(row[key])
    if compiled.positional:
        order = list(compiled.positiontup or [])
        getter = itemgetter(*order)
        params: list[Any] = list(map(getter, rows)) if len(order) > 1 else [(getter(row),) for row in rows]
    else:
        params = rows
    conn.exec_driver_sql(str(compiled), params)


def bulk_insert_values(session: Session, table: Any, columns: list[str], values: list[tuple[Any, ...]]) -> None:
    """Like `bulk_insert` for rows already in column order, with instants already converted by `driver_instant`."""
    if not values:
        return
    conn = session.connection()
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=columns)
    if compiled.positional and list(compiled.positiontup or []) == columns:
        params: list[Any] = values
    else:
        params = [dict(zip(columns, row)) for row in values]
    conn.exec_driver_sql(str(compiled), params)


def bulk_delete(session: Session, table: Any, ids: list[int]) -> None:
    """`DELETE … WHERE id IN (…)` in chunks (child rows go by ON DELETE CASCADE)."""
    for chunk in _chunks(ids):
        session.execute(delete(table).where(table.c.id.in_(chunk)))


def driver_instant(dialect_name: str) -> Any:
    """What `UTCDateTime` hands the driver for an aware instant on this backend."""
    if dialect_name != "sqlite":
        return _to_utc
    return _sqlite_text


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r} cannot be stored; give it a time zone")
    return value.astimezone(timezone.utc)


@lru_cache(maxsize=65536)
def _sqlite_text(value: datetime) -> str:
    # the format SQLAlchemy's SQLite DateTime writes, so comparisons in SQL stay textual and correct
    return _to_utc(value).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def bulk_update(session: Session, table: Any, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """`UPDATE … WHERE id = :_id` as one executemany; rows carry `_id` and the columns."""
    if not rows:
        return
    stmt = update(table).where(table.c.id == bindparam("_id")).values({c: bindparam(c) for c in columns})
    for chunk in _chunks(rows):
        session.connection().execute(stmt, chunk)


def split_rows(
    existing: dict[Hashable, Any], parsed: list[dict[str, Any]], *, key: Callable[[dict[str, Any]], Hashable], fields: tuple[str, ...]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Parsed rows that are new, and stored rows whose `fields` differ (as `{"_id": …, field: value}`)."""
    new_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for values in parsed:
        old = existing.get(key(values))
        if old is None:
            new_rows.append(values)
        elif any(getattr(old, f) != values[f] for f in fields):
            changed.append({"_id": old.id, **{f: values[f] for f in fields}})
    return new_rows, changed


def write_import(
    session: Session,
    table: Any,
    *,
    kind: str,
    path: Path,
    parsed: list[dict[str, Any]],
    new_rows: list[dict[str, Any]],
    changed: list[dict[str, Any]],
    gone: list[int],
    fields: tuple[str, ...],
    actor: str,
    dry_run: bool,
) -> ImportResult:
    """Count what an import changes and, unless a dry run, write it with one audit row."""
    result = ImportResult(
        file=str(path), kind=kind, rows=len(parsed), created=len(new_rows), updated=len(changed),
        unchanged=len(parsed) - len(new_rows) - len(changed), deleted=len(gone), dry_run=dry_run,
    )
    if dry_run or not result.changed:
        return result
    bulk_delete(session, table, gone)
    bulk_insert(session, table, new_rows)
    bulk_update(session, table, changed, fields)
    audit.record(session, actor=actor, action="import", entity=table.name, entity_key=path.name, changes=result.as_json())
    return result
