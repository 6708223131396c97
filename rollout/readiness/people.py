"""People from HR: `golive people import` (upserted by employee id in one bulk transaction), and the people lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import iso
from rollout.errors import NotFound
from rollout.models import Organisation, Unit
from rollout.readiness.lookup import COMMON_ROLES, UnitResolver, organisation_key, plan_roles
from rollout.readiness.models import Person, RosterShift, TrainingCompletion
from rollout.tabular.bulk import rows_where_in, split_rows, write_import
from rollout.tabular.cells import bool_cell, text_cell
from rollout.names import did_you_mean
from rollout.tabular.read import HeaderMap, Table, read_table
from rollout.tabular.result import PROGRESS_STEP, ImportResult, Progress

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


def read_people(path: Path, *, mapping: HeaderMap | None = None) -> Table:
    return read_table(path, required=PEOPLE_COLUMNS, optional=PEOPLE_OPTIONAL, aliases=PEOPLE_ALIASES, mapping=mapping)


def import_people(
    session: Session,
    *,
    path: Path,
    actor: str,
    organisation: str | None = None,
    mapping: HeaderMap | None = None,
    dry_run: bool = False,
    replace: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Create or update people by employee_id; every row is checked before anything is written.

    With `replace`, people of the file's organisations whom the file does not name are deleted
    (with their completions and duties).
    """
    table = read_people(path, mapping=mapping)
    units = UnitResolver(session, organisation=organisation)
    seen: dict[str, int] = {}
    odd_roles: dict[str, int] = {}  # a role no common list names: checked against the file's plans below
    parsed: list[dict[str, Any]] = []
    total = len(table.cells)
    for i, row in enumerate(table.rows):
        if progress is not None and i % PROGRESS_STEP == 0:
            progress(i, total)
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
            if role not in COMMON_ROLES:
                odd_roles.setdefault(role, i)
            email = text_cell(row.get("email")) or None
            superuser = bool_cell(row.get("superuser"), "superuser") if "superuser" in row else False
        except ValueError as exc:
            raise table.fail(str(exc), i) from None
        parsed.append(
            {"employee_id": employee_id, "name": name, "email": email, "unit_id": unit_id, "role": role, "superuser": superuser}
        )
    orgs = set(units.org_of.values())
    if odd_roles:
        roles = plan_roles(session, orgs)
        for role, i in sorted(odd_roles.items(), key=lambda item: item[1]):
            if role not in roles:
                raise table.fail(f"unknown role {text_cell(table.rows[i].get('role'))!r}{did_you_mean(role, roles)}", i)
    if progress is not None:
        progress(total, total)

    # Only the people the file names, and (when syncing) the people of its organisations.
    person = Person.__table__  # type: ignore[attr-defined]
    columns = select(person.c.id, person.c.employee_id, person.c.name, person.c.email, person.c.unit_id, person.c.role, person.c.superuser)
    existing = {r.employee_id: r for r in rows_where_in(session, columns, person.c.employee_id, seen)}
    gone: list[int] = []
    if replace:
        in_orgs = select(Unit.id).where(Unit.organisation_id.in_(sorted(orgs)))
        named = set(seen)
        gone = [r.id for r in session.execute(columns.where(person.c.unit_id.in_(in_orgs))) if r.employee_id not in named]
    fields = ("name", "email", "unit_id", "role", "superuser")
    new_rows, changed = split_rows(existing, parsed, key=itemgetter("employee_id"), fields=fields)
    return write_import(session, person, kind="people", path=path, parsed=parsed, new_rows=new_rows, changed=changed,
                        gone=gone, fields=fields, actor=actor, dry_run=dry_run)


# -- views ---------------------------------------------------------------------


def shown_id(employee_id: str) -> str:
    """The employee id as printed: one that is a national identity number (fødselsnummer, d-nummer) is masked."""
    if len(employee_id) == 11 and employee_id.isdigit():
        from stdnum.no import fodselsnummer

        if fodselsnummer.is_valid(employee_id):
            return "*" * 11
    return employee_id


@dataclass
class PersonRow:
    """One person as lists show them; the employee id is their identity."""

    employee_id: str
    name: str
    email: str | None
    organisation: str
    unit: str
    role: str
    superuser: bool

    def as_json(self) -> dict[str, Any]:
        return {"employee_id": shown_id(self.employee_id), "name": self.name, "email": self.email,
                "unit": f"{self.organisation}/{self.unit}", "role": self.role, "superuser": self.superuser}


@dataclass
class PersonDetail:
    """One person with their course completions and superuser duties."""

    person: PersonRow
    unit_name: str
    completions: list[tuple[str, datetime]] = field(default_factory=list)  # (course, earliest completion)
    duties: list[tuple[str, str | None, datetime, datetime]] = field(default_factory=list)  # (unit, shift, start, end)

    def as_json(self, tz: str = "Europe/Oslo") -> dict[str, Any]:
        return {
            **self.person.as_json(),
            "unit_name": self.unit_name,
            "completions": [{"course": c, "completed_at": iso(at, tz)} for c, at in self.completions],
            "duties": [{"unit": u, "shift": s, "start": iso(a, tz), "end": iso(b, tz)} for u, s, a, b in self.duties],
        }


def _people_select() -> Any:
    return (
        select(Person.employee_id, Person.name, Person.email, Organisation.key, Unit.key, Person.role, Person.superuser)
        .join(Unit, Unit.id == Person.unit_id)
        .join(Organisation, Organisation.id == Unit.organisation_id)
    )


def list_people(
    session: Session, *, organisation: str | None = None, unit: str | None = None, role: str | None = None
) -> list[PersonRow]:
    """People by unit and employee id, narrowed in SQL to an organisation, a unit and a role (each must be known)."""
    stmt = _people_select()
    org_key = None
    if organisation is not None:
        try:
            org_key = organisation_key(session, organisation)
        except ValueError as exc:
            raise NotFound(str(exc)) from None
        stmt = stmt.where(Organisation.key == org_key)
    if unit is not None:
        try:
            stmt = stmt.where(Person.unit_id == UnitResolver(session, organisation=org_key).resolve(unit))
        except ValueError as exc:
            raise NotFound(str(exc)) from None
    if role is not None:
        probe = role.strip().lower()
        held = set(session.execute(select(Person.role).distinct()).scalars())
        if probe not in held and probe not in COMMON_ROLES:
            raise NotFound(f"unknown role {role.strip()!r}{did_you_mean(probe, held | set(COMMON_ROLES))}")
        stmt = stmt.where(Person.role == probe)
    stmt = stmt.order_by(Organisation.key, Unit.key, Person.employee_id)  # not by name: collations differ by backend
    return [PersonRow(*row) for row in session.execute(stmt)]


def show_person(session: Session, *, employee_id: str) -> PersonDetail:
    """One person by employee id, with completions (earliest first) and duties (in time order)."""
    key = employee_id.strip()
    row = session.execute(_people_select().add_columns(Unit.name, Person.id).where(Person.employee_id == key)).first()
    if row is None:
        raise NotFound(f"no person with employee id {shown_id(key)!r}")
    *fields_, unit_name, pid = row
    detail = PersonDetail(person=PersonRow(*fields_), unit_name=unit_name)
    tc = TrainingCompletion
    detail.completions = [
        (c, at) for c, at in session.execute(select(tc.course, tc.completed_at).where(tc.person_id == pid).order_by(tc.completed_at, tc.course))
    ]
    rs = RosterShift
    duties = (
        select(Organisation.key, Unit.key, rs.shift, rs.start_at, rs.end_at)
        .join(Unit, Unit.id == rs.unit_id)
        .join(Organisation, Organisation.id == Unit.organisation_id)
        .where(rs.person_id == pid)
        .order_by(rs.start_at)
    )
    detail.duties = [(f"{o}/{u}", s, a, b) for o, u, s, a, b in session.execute(duties)]
    return detail
