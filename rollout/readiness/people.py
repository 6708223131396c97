"""People from HR: `golive people import`, upserted by employee_id in one bulk transaction."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session

from rollout import audit
from rollout.coltypes import UTCDateTime
from rollout.readiness.imports import Table, bool_cell, parse_map, read_table, text_cell
from rollout.readiness.models import Person
from rollout.readiness.scope import ImportResult, UnitResolver, known_roles
from rollout.yamlfile import suggest

PEOPLE_COLUMNS = ("employee_id", "name", "unit", "role")
PEOPLE_OPTIONAL = ("email", "organisation", "superuser")
PEOPLE_ALIASES = {
    "ansattnr": "employee_id", "ansattnummer": "employee_id", "ansatt id": "employee_id", "employee": "employee_id",
    "employee number": "employee_id", "id number": "employee_id", "idnumber": "employee_id",
    "navn": "name", "fullt navn": "name", "full name": "name",
    "e post": "email", "epost": "email", "e postadresse": "email", "email address": "email", "mail": "email",
    "organisasjon": "organisation", "org": "organisation", "organization": "organisation",
    "enhet": "unit", "avdeling": "unit",
    "rolle": "role", "stilling": "role", "yrke": "role",
    "superbruker": "superuser", "super user": "superuser",
}


def _chunks(rows: list[dict[str, Any]], size: int = 5000):  # noqa: ANN202
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


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
    for i in range(0, len(ids), 5000):
        session.execute(delete(table).where(table.c.id.in_(ids[i : i + 5000])))


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


def read_people(path: Path, *, mapping: str | None = None) -> Table:
    return read_table(path, required=PEOPLE_COLUMNS, optional=PEOPLE_OPTIONAL, aliases=PEOPLE_ALIASES, mapping=parse_map(mapping))


def import_people(
    session: Session,
    *,
    path: Path,
    actor: str,
    organisation: str | None = None,
    mapping: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
) -> ImportResult:
    """Create or update people by employee_id; every row is checked before anything is written.

    With `replace`, people of the file's organisations whom the file does not name are deleted
    (with their completions and duties).
    """
    table = read_people(path, mapping=mapping)
    units = UnitResolver(session, organisation=organisation)
    roles = known_roles(session)
    seen: dict[str, int] = {}
    parsed: list[dict[str, Any]] = []
    for i, row in enumerate(table.rows):
        try:
            employee_id = text_cell(row.get("employee_id"))
            if not employee_id:
                raise ValueError("employee_id is empty")
            if employee_id in seen:
                raise ValueError(f"duplicate employee_id {employee_id!r} (first on row {table.lines[seen[employee_id]]})")
            seen[employee_id] = i
            name = text_cell(row.get("name"))
            if not name:
                raise ValueError(f"name is empty for employee {employee_id!r}")
            org = text_cell(row.get("organisation")) or None
            unit_id = units.resolve(text_cell(row.get("unit")), units.organisation_key(org) if org else None)
            role = text_cell(row.get("role")).lower()
            if role not in roles:
                raise ValueError(f"unknown role {text_cell(row.get('role'))!r}{suggest(role, sorted(roles))}")
            email = text_cell(row.get("email")) or None
            superuser = bool_cell(row.get("superuser"), "superuser") if "superuser" in row else False
        except ValueError as exc:
            raise table.fail(str(exc), i) from None
        parsed.append(
            {"employee_id": employee_id, "name": name, "email": email, "unit_id": unit_id, "role": role, "superuser": superuser}
        )

    person = Person.__table__  # type: ignore[attr-defined]
    existing = {
        r.employee_id: r
        for r in session.execute(
            select(person.c.id, person.c.employee_id, person.c.name, person.c.email, person.c.unit_id, person.c.role, person.c.superuser)
        )
    }
    gone: list[int] = []
    if replace:
        named = {v["employee_id"] for v in parsed}
        orgs = {units.org_of[v["unit_id"]] for v in parsed}
        gone = [r.id for key, r in existing.items() if key not in named and units.org_of.get(r.unit_id) in orgs]
    fields = ("name", "email", "unit_id", "role", "superuser")
    new_rows, changed = [], []
    for values in parsed:
        old = existing.get(values["employee_id"])
        if old is None:
            new_rows.append(values)
        elif any(getattr(old, f) != values[f] for f in fields):
            changed.append({"_id": old.id, **{f: values[f] for f in fields}})
    result = ImportResult(
        file=str(path), kind="people", rows=len(parsed), created=len(new_rows), updated=len(changed),
        unchanged=len(parsed) - len(new_rows) - len(changed), deleted=len(gone), dry_run=dry_run,
    )
    if dry_run or not result.changed:
        return result
    bulk_delete(session, person, gone)
    bulk_insert(session, person, new_rows)
    bulk_update(session, person, changed, fields)
    audit.record(session, actor=actor, action="import", entity="person", entity_key=path.name, changes=result.as_json())
    return result
