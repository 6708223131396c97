"""Training: completions from the learning system, and who is trained as of a time (SQL aggregates).

A person is trained when every course their role requires was completed at
or before the time asked about. A retake counts from its earliest completion.
Requirements come from the plan (`training.requirements`); a `default` entry
applies to roles the plan does not name, and roles with no requirement are
trained by definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlmodel import Session

from rollout import audit
from rollout.errors import InputError
from rollout.memo import shared_read
from rollout.models import Plan, Unit
from rollout.readiness.models import Person, TrainingCompletion
from rollout.readiness.shifts import requirements
from rollout.tabular.bulk import bulk_delete, bulk_insert_values, bulk_update, driver_instant, rows_where_in
from rollout.tabular.cells import instant_cell, instant_text, text_cell
from rollout.tabular.read import HeaderMap, read_table
from rollout.tabular.result import PROGRESS_STEP, ImportResult, Progress

TRAINING_ALIASES = {
    "ansattnr": "employee_id", "ansattnummer": "employee_id", "id number": "employee_id", "idnumber": "employee_id",
    "id nummer": "employee_id", "employee number": "employee_id",
    "email address": "email", "e post": "email", "epost": "email", "e postadresse": "email",
    "kurs": "course", "emne": "course", "course short name": "course", "course shortname": "course",
    "kurs kortnavn": "course", "kortnavn": "course", "course code": "course", "kurskode": "course",
    "fullført": "completed", "fullfort": "completed", "course complete": "completed", "time completed": "completed",
    "course completion time": "completed", "completion date": "completed", "date completed": "completed",
    "completed on": "completed", "tidspunkt fullført": "completed", "dato fullført": "completed", "kurs fullført": "completed",
    "completion time": "completed", "completed at": "completed",
}
# Moodle writes these (and an empty cell) for people who have not completed the course.
NOT_COMPLETED = frozenset({"", "-", "not completed", "incomplete", "ikke fullført", "ikke fullfort", "nei", "no", "in progress", "pågår"})
_t_person = Person.__table__  # type: ignore[attr-defined]
_t_training = TrainingCompletion.__table__  # type: ignore[attr-defined]
_t_unit = Unit.__table__  # type: ignore[attr-defined]


def import_training(
    session: Session,
    *,
    path: Path,
    actor: str,
    tz: str = "Europe/Oslo",
    course: str | None = None,
    mapping: HeaderMap | None = None,
    dry_run: bool = False,
    replace: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Completions by employee_id (or e-mail, as in a Moodle export); `course` for single-course exports.

    With `replace`, completions of the file's courses that the file does not name are deleted.
    """
    table = read_table(
        path,
        required=("completed",),
        optional=("employee_id", "email", "course", "name"),
        aliases=TRAINING_ALIASES,
        mapping=mapping,
    )
    present = set(table.columns)
    header_line = table.header_line
    if "employee_id" not in present and "email" not in present:
        raise InputError("missing required column 'employee_id' (or 'email'); map another header to it as Header=employee_id", path=table.path, line=header_line)
    if "course" not in present and not course:
        raise InputError("missing required column 'course', and no course given for a one-course export", path=table.path, line=header_line)
    by_employee, by_email = _people_named(session, table)
    earliest: dict[tuple[int, str], datetime] = {}
    skipped = 0
    rows = table.rows if not table.plain else None
    i_emp, i_course, i_done = table.index.get("employee_id"), table.index.get("course"), table.index["completed"]
    width = max(i_emp or 0, i_done, i_course or 0) + 1
    parsed: dict[str, datetime] = {}
    total = len(table.cells)
    for i, cells in enumerate(table.cells):
        if progress is not None and i % PROGRESS_STEP == 0:
            progress(i, total)
        if rows is None and i_emp is not None and len(cells) >= width:
            # the common case of a text file: a cached parse and two dict lookups, no per-row dict
            raw = cells[i_done].strip()
            code = cells[i_course].strip() if i_course is not None else course
            pid = by_employee.get(cells[i_emp].strip())
            if pid is not None and code and raw[:1].isdigit():
                when = parsed.get(raw)
                if when is None:
                    try:
                        when = parsed[raw] = instant_text(raw, tz, "completed")
                    except ValueError as exc:
                        raise table.fail(str(exc), i) from None
                key = (pid, code)
                old = earliest.get(key)
                if old is None or when < old:
                    earliest[key] = when
                continue
        row = rows[i] if rows is not None else table.rows[i]
        try:
            employee_id = text_cell(row.get("employee_id"))
            if employee_id:
                pid = by_employee.get(employee_id)
                if pid is None:
                    raise ValueError(f"unknown employee {employee_id!r}: import people first")
            else:
                email = text_cell(row.get("email")).lower()
                if not email:
                    raise ValueError("neither employee_id nor email is given")
                pid = by_email.get(email)
                if pid is None:
                    raise ValueError(f"unknown employee with email {email!r}: import people first")
            code = text_cell(row.get("course")) or (course or "")
            if not code:
                raise ValueError("course is empty")
            raw = row.get("completed")
            if isinstance(raw, str) and raw.strip().lower() in NOT_COMPLETED or raw is None:
                skipped += 1
                continue
            when = instant_cell(raw, "completed", tz)
        except ValueError as exc:
            raise table.fail(str(exc), i) from None
        key = (pid, code)
        if key not in earliest or when < earliest[key]:
            earliest[key] = when

    if progress is not None:
        progress(total, total)
    # Stored completions of the file's people, or when syncing of the file's courses.
    existing: dict[tuple[int, str], tuple[int, datetime]] = {}
    if earliest:
        columns = select(_t_training.c.id, _t_training.c.person_id, _t_training.c.course, _t_training.c.completed_at)
        if replace:
            stored = rows_where_in(session, columns, _t_training.c.course, {code for _pid, code in earliest})
        else:
            stored = rows_where_in(session, columns, _t_training.c.person_id, {pid for pid, _code in earliest})
        for tid, pid, code, completed_at in stored:
            existing[(pid, code)] = (tid, completed_at)
    to_driver = driver_instant(session.get_bind().dialect.name)
    new_rows = [(pid, code, to_driver(when)) for (pid, code), when in earliest.items() if (pid, code) not in existing]
    changed = [  # a retake never moves a completion later
        {"_id": existing[key][0], "completed_at": when} for key, when in earliest.items() if key in existing and when < existing[key][1]
    ] if existing else []
    gone: list[int] = []
    if replace:
        courses = {code for _pid, code in earliest}
        gone = [tid for key, (tid, _when) in existing.items() if key[1] in courses and key not in earliest]
    result = ImportResult(
        file=str(path), kind="training", rows=len(table.cells), created=len(new_rows), updated=len(changed),
        unchanged=len(earliest) - len(new_rows) - len(changed), skipped=skipped, deleted=len(gone), dry_run=dry_run,
    )
    if dry_run or not result.changed:
        return result
    bulk_delete(session, _t_training, gone)
    bulk_insert_values(session, _t_training, ["person_id", "course", "completed_at"], new_rows)
    bulk_update(session, _t_training, changed, ("completed_at",))
    audit.record(session, actor=actor, action="import", entity="training_completion", entity_key=path.name, changes=result.as_json())
    return result


def _people_named(session: Session, table: Any) -> tuple[dict[str, int], dict[str, int]]:
    """employee_id → person id and e-mail → person id, for the people the file names only."""
    ids: set[str] = set()
    emails: set[str] = set()
    if table.plain:  # text cells: read them directly, as the fast path of the import does
        i_emp, i_mail = table.index.get("employee_id"), table.index.get("email")
        for cells in table.cells:
            if i_emp is not None and i_emp < len(cells):
                ids.add(cells[i_emp].strip())
            if i_mail is not None and i_mail < len(cells):
                emails.add(cells[i_mail].strip().lower())
    else:
        for row in table.rows:
            ids.add(text_cell(row.get("employee_id")))
            emails.add(text_cell(row.get("email")).lower())
    ids.discard("")
    emails.discard("")
    base = select(_t_person.c.id, _t_person.c.employee_id, _t_person.c.email)
    by_employee = {e: pid for pid, e, _m in rows_where_in(session, base, _t_person.c.employee_id, ids)}
    by_email: dict[str, int] = {}
    if emails:
        # e-mails are matched without case; the index on email serves the common all-lower case
        for pid, _e, mail in rows_where_in(session, base, _t_person.c.email, emails):
            by_email[mail.lower()] = pid
        missing = emails - set(by_email)
        if missing:
            for pid, _e, mail in rows_where_in(session, base, func.lower(_t_person.c.email), missing):
                by_email.setdefault(mail.lower(), pid)
    return by_employee, by_email


# -- status ----------------------------------------------------------------


@dataclass
class TrainingRow:
    unit: str
    unit_name: str
    role: str
    trained: int
    total: int

    @property
    def share(self) -> float:
        return self.trained / self.total if self.total else 1.0

    def as_json(self) -> dict[str, Any]:
        return {"unit": self.unit, "unit_name": self.unit_name, "role": self.role, "trained": self.trained,
                "total": self.total, "share": round(self.share, 4)}


def _requirement_rows(reqs: dict[str, list[str]]):  # noqa: ANN202
    """(role, course) pairs as a tiny derived table the queries join against."""
    parts = [select(literal(role).label("role"), literal(course).label("course")) for role, courses in reqs.items() for course in courses]
    if not parts:
        return None
    return union_all(*parts).subquery("req") if len(parts) > 1 else parts[0].subquery("req")


def _effective_role(reqs: dict[str, list[str]]):  # noqa: ANN202
    """SQL: the requirement key that applies to a person's role (their role, else `default`)."""
    named = [r for r in reqs if r != "default"]
    fallback = "default" if "default" in reqs else "(none)"
    if not named:
        return literal(fallback)
    return case((_t_person.c.role.in_(named), _t_person.c.role), else_=literal(fallback))


def _required_count(reqs: dict[str, list[str]]):  # noqa: ANN202
    named = [r for r in reqs if r != "default"]
    default = len(reqs.get("default", []))
    if not named:
        return literal(default)
    return case(*[(_t_person.c.role == r, literal(len(reqs[r]))) for r in named], else_=literal(default))


def _done_per_person(reqs: dict[str, list[str]], at: datetime, unit_ids: list[int]):  # noqa: ANN202
    """Subquery: person id → number of required courses completed at or before `at`."""
    req = _requirement_rows(reqs)
    if req is None:
        return None
    return (
        select(_t_person.c.id.label("pid"), func.count(func.distinct(_t_training.c.course)).label("done"))
        .join(req, req.c.role == _effective_role(reqs))
        .join(_t_training, and_(_t_training.c.person_id == _t_person.c.id, _t_training.c.course == req.c.course))
        .where(_t_training.c.completed_at <= at, _t_person.c.unit_id.in_(unit_ids))
        .group_by(_t_person.c.id)
        .subquery("done")
    )


@shared_read
def training_status(
    session: Session, *, plan: Plan, at: datetime, unit_ids: list[int], unit: int | None = None, role: str | None = None
) -> list[TrainingRow]:
    """Trained and total people per (unit, role) in the given units, worst share first."""
    reqs = requirements(plan)
    if unit is not None:
        unit_ids = [u for u in unit_ids if u == unit]
    if not unit_ids:
        return []
    done = _done_per_person(reqs, at, unit_ids)
    needed = _required_count(reqs)
    if done is not None:
        trained = func.sum(case((func.coalesce(done.c.done, 0) >= needed, 1), else_=0))
    else:
        trained = func.count()
    stmt = (
        select(_t_unit.c.key, _t_unit.c.name, _t_person.c.role, trained.label("trained"), func.count().label("total"))
        .select_from(_t_person)
        .join(_t_unit, _t_unit.c.id == _t_person.c.unit_id)
        .where(_t_person.c.unit_id.in_(unit_ids))
        .group_by(_t_unit.c.key, _t_unit.c.name, _t_person.c.role)
    )
    if done is not None:
        stmt = stmt.outerjoin(done, done.c.pid == _t_person.c.id)
    if role is not None:
        stmt = stmt.where(_t_person.c.role == role.lower())
    rows = [TrainingRow(k, n, r, int(t or 0), int(c)) for k, n, r, t, c in session.execute(stmt)]
    rows.sort(key=lambda r: (r.unit, r.role))
    return rows


@dataclass
class MissingCourse:
    employee_id: str
    name: str
    email: str | None
    unit: str
    role: str
    course: str


def training_missing(
    session: Session, *, plan: Plan, at: datetime, unit_ids: list[int], unit: int | None = None, role: str | None = None
) -> list[MissingCourse]:
    """Every (person, required course) not completed by `at`: the no-training-no-access list."""
    reqs = requirements(plan)
    req = _requirement_rows(reqs)
    if unit is not None:
        unit_ids = [u for u in unit_ids if u == unit]
    if req is None or not unit_ids:
        return []
    stmt = (
        select(_t_person.c.employee_id, _t_person.c.name, _t_person.c.email, _t_unit.c.key, _t_person.c.role, req.c.course)
        .select_from(_t_person)
        .join(_t_unit, _t_unit.c.id == _t_person.c.unit_id)
        .join(req, req.c.role == _effective_role(reqs))
        .outerjoin(
            _t_training,
            and_(_t_training.c.person_id == _t_person.c.id, _t_training.c.course == req.c.course, _t_training.c.completed_at <= at),
        )
        .where(_t_person.c.unit_id.in_(unit_ids), _t_training.c.id.is_(None))
        .order_by(_t_unit.c.key, _t_person.c.role, _t_person.c.name, _t_person.c.employee_id, req.c.course)
    )
    if role is not None:
        stmt = stmt.where(_t_person.c.role == role.lower())
    return [MissingCourse(*r) for r in session.execute(stmt)]


def superuser_trained_clause(plan: Plan, at: datetime, person_column: Any):  # noqa: ANN201
    """SQL: the person has completed the plan's superuser course by `at` (true when the plan names none)."""
    if not plan.superuser_course:
        return literal(True)
    return (
        select(_t_training.c.id)
        .where(_t_training.c.person_id == person_column, _t_training.c.course == plan.superuser_course, _t_training.c.completed_at <= at)
        .exists()
    )

