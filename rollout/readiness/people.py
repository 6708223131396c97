"""People from HR: `golive people import`, upserted by employee_id in one bulk transaction."""

from __future__ import annotations

from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.readiness.bulk import split_rows, write_import
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
    new_rows, changed = split_rows(existing, parsed, key=itemgetter("employee_id"), fields=fields)
    return write_import(session, person, kind="people", path=path, parsed=parsed, new_rows=new_rows, changed=changed,
                        gone=gone, fields=fields, actor=actor, dry_run=dry_run)
