"""`golive ticket import`: tickets from another system's CSV or JSON, all or nothing, idempotent on external_id.

Every row is checked before anything is written, and every text goes through
the PII guard first. The write is bulk: one DueCalculator for the SLA instants,
one executemany for the tickets and one for their creation events.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from rollout import audit
from rollout.clock import now
from rollout.errors import GoliveError, InputError, NotFound
from rollout.models import Organisation, Unit
from rollout.readiness.lookup import UnitResolver
from rollout.tabular.bulk import bulk_insert_values, driver_instant, rows_where_in
from rollout.tabular.cells import instant_cell, instant_text, text_cell
from rollout.tabular.read import HeaderMap, Table, normal_header, read_table
from rollout.tabular.result import PROGRESS_STEP, ImportResult, Progress
from support.config import support_config
from support.due import DueCalculator
from support.models import Ticket, TicketEvent
from support.pii import contains_identity_number, mask_identity_numbers
from support.sla_clock import AT_RISK, TicketDue
from support.sla_targets import target_for
from support.tickets import Place, creation_changes, ticket_values

TICKET_COLUMNS = ("external_id", "title", "unit", "category", "impact", "urgency")
TICKET_OPTIONAL = ("description", "reporter", "created")
TICKET_ALIASES = {
    "ekstern id": "external_id", "saksnummer": "external_id", "saksnr": "external_id",
    "sak": "external_id", "number": "external_id", "ticket": "external_id", "key": "external_id",
    "tittel": "title", "emne": "title", "summary": "title", "subject": "title", "short description": "title",
    "beskrivelse": "description", "detaljer": "description",
    "enhet": "unit", "avdeling": "unit",
    "kategori": "category",
    "konsekvens": "impact", "påvirkning": "impact",
    "hastegrad": "urgency", "haster": "urgency",
    "melder": "reporter", "innmelder": "reporter", "meldt av": "reporter", "opened by": "reporter",
    "opprettet": "created", "meldt": "created", "created at": "created", "opened": "created", "opened at": "created",
    "dato": "created",
}
# What a stored ticket is compared on when the file names it again (created only when the file gives it).
COMPARED = ("title", "description", "reporter", "unit_id", "category", "impact", "urgency")
_WS = re.compile(r"\s*")


@dataclass
class TicketImportResult(ImportResult):
    masked: int = 0  # identity numbers removed from the file's texts

    def as_json(self) -> dict[str, Any]:
        return {**super().as_json(), "masked_identity_numbers": self.masked, "notes": self.notes}


def read_tickets(path: Path, *, mapping: HeaderMap | None = None) -> Table:
    """The file as canonical rows: JSON (a list of objects) by its name or first character, else CSV/XLSX."""
    if path.exists() and (path.suffix.lower() == ".json" or path.read_bytes()[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"["):
        return _read_json(path, mapping or {})
    return read_table(path, required=TICKET_COLUMNS, optional=TICKET_OPTIONAL, aliases=TICKET_ALIASES, mapping=mapping)


def _read_json(path: Path, mapping: HeaderMap) -> Table:
    """A JSON list of objects, each named in errors by the line where it starts."""
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("cannot decode the file: JSON must be UTF-8", path=name) from None
    lookup = {normal_header(k): v for k, v in TICKET_ALIASES.items()}
    columns = TICKET_COLUMNS + TICKET_OPTIONAL
    lookup.update({normal_header(c): c for c in columns})
    lookup.update(mapping)
    decoder = json.JSONDecoder()
    pos = _WS.match(text).end()  # type: ignore[union-attr]
    if text[pos : pos + 1] != "[":
        raise InputError("a JSON ticket file is a list of objects: [{…}, …]", path=name, line=1)
    pos, line, last = pos + 1, 1, 0
    cells: list[list[Any]] = []
    lines: list[int] = []
    while True:
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] == "]" and not cells:
            break
        line += text.count("\n", last, pos)
        last = pos
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", path=name, line=exc.lineno) from None
        if not isinstance(item, dict):
            raise InputError(f"each ticket is a JSON object, not {type(item).__name__}", path=name, line=line)
        row: dict[str, Any] = {}
        for key, value in item.items():
            column = lookup.get(normal_header(key))
            if column is None:
                raise InputError(f"unknown field {key!r}; the fields are {', '.join(columns)}", path=name, line=line)
            if value is not None and not isinstance(value, (str, int, float, bool)):
                raise InputError(f"field {key!r} must be text, a number or null, not {type(value).__name__}", path=name, line=line)
            row[column] = value
        missing = [c for c in TICKET_COLUMNS if c not in row]
        if missing:
            raise InputError(f"missing field {', '.join(repr(m) for m in missing)}", path=name, line=line)
        cells.append([row.get(c) for c in columns])
        lines.append(line)
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        sep = text[pos : pos + 1]
        pos += 1
        if sep == "]":
            break
        if sep != ",":
            raise InputError("not valid JSON: expected ',' or ']' after an object", path=name,
                             line=line + text.count("\n", last, pos))
    if text[pos:].strip():
        raise InputError("not valid JSON: text after the list", path=name, line=line + text.count("\n", last, pos))
    if not cells:
        raise InputError("the file holds no tickets", path=name, line=1)
    return Table(path=name, columns=sorted(columns), lines=lines, cells=cells, index={c: i for i, c in enumerate(columns)})


def _places(session: Session) -> dict[int, Place]:
    rows = session.execute(
        select(Unit.id, Unit.organisation_id, Organisation.key, Unit.key, Unit.service)
        .join(Organisation, Organisation.id == Unit.organisation_id)
    )
    return {r[0]: Place(*r) for r in rows}


def _fail(table: Table, exc: Exception, i: int) -> InputError:
    # a message quotes the cell it refuses: mask it, so an identity number in a wrong column stays out of logs
    message = exc.detail if isinstance(exc, InputError) else str(exc)
    return table.fail(mask_identity_numbers(message)[0], i)


def import_tickets(
    session: Session,
    *,
    path: Path,
    actor: str,
    mapping: HeaderMap | None = None,
    organisation: str | None = None,
    dry_run: bool = False,
    tz: str = "Europe/Oslo",
    progress: Progress | None = None,
) -> TicketImportResult:
    """Create the file's tickets that are not yet here (by external_id); every row is checked before anything is written."""
    table = read_tickets(path, mapping=mapping)
    cfg = support_config(session)
    try:
        units = UnitResolver(session, organisation=organisation)
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    places = _places(session)
    at = now()
    seen: dict[str, int] = {}
    parsed: list[dict[str, Any]] = []
    given_created: list[bool] = []
    masked = 0
    total = len(table.cells)
    for i, row in enumerate(table.rows):
        if progress is not None and i % PROGRESS_STEP == 0:
            progress(i, total)
        try:
            external_id = text_cell(row.get("external_id")).strip()
            if not external_id:
                raise ValueError("external_id is empty")
            if contains_identity_number(external_id):
                raise ValueError("external_id holds a national identity number; use the other system's case number")
            if external_id in seen:
                raise ValueError(f"duplicate external_id {external_id!r} (first on row {table.lines[seen[external_id]]})")
            seen[external_id] = i
            created_text = row.get("created")
            if created_text.__class__ is str and created_text:
                created = instant_text(created_text, tz, "created")  # the common case, cached by text
            else:
                created = instant_cell(created_text, "created", tz) if text_cell(created_text).strip() else at
            if created > at:
                raise ValueError(f"created {text_cell(created_text)!r} is in the future")
            values, count = ticket_values(
                cfg, place=places[units.resolve(text_cell(row.get("unit")))], title=text_cell(row.get("title")),
                category=text_cell(row.get("category")), impact=text_cell(row.get("impact")),
                urgency=text_cell(row.get("urgency")), created=created, description=text_cell(row.get("description")),
                reporter=text_cell(row.get("reporter")) or None, external_id=external_id,
            )
        except (ValueError, GoliveError) as exc:
            raise _fail(table, exc, i) from None
        masked += count
        parsed.append(values)
        given_created.append(created is not at)
    if progress is not None:
        progress(total, total)

    new_rows, differing = _split(session, parsed, given_created)
    result = TicketImportResult(file=str(path), kind="tickets", rows=len(parsed), created=len(new_rows),
                                unchanged=len(parsed) - len(new_rows) - differing, skipped=differing, dry_run=dry_run,
                                masked=masked)
    if differing:
        result.notes.append(f"{differing} ticket(s) already imported differ from the file; they were left as they are "
                            "(change a ticket with its own commands)")
    if dry_run or not new_rows:
        return result
    _write(session, new_rows, cfg_due=DueCalculator(session, cfg), actor=actor, at=at)
    audit.record(session, actor=actor, action="import", entity="ticket", entity_key=path.name, changes=result.as_json())
    return result


def _split(session: Session, parsed: list[dict[str, Any]], given_created: list[bool]) -> tuple[list[dict[str, Any]], int]:
    """The rows not yet imported, and how many imported ones the file now describes differently."""
    ticket = Ticket.__table__  # type: ignore[attr-defined]
    stored = {r.external_id: r for r in rows_where_in(
        session, select(ticket.c.external_id, ticket.c.created_at, *(ticket.c[c] for c in COMPARED)),
        ticket.c.external_id, {v["external_id"] for v in parsed},
    )}
    if not stored:
        return parsed, 0
    new_rows: list[dict[str, Any]] = []
    differing = 0
    for values, with_created in zip(parsed, given_created):
        old = stored.get(values["external_id"])
        if old is None:
            new_rows.append(values)
        elif any(getattr(old, c) != values[c] for c in COMPARED) or (with_created and old.created_at != values["created_at"]):
            differing += 1
    return new_rows, differing


# Columns of a new ticket that no file gives, as Ticket's defaults say (the instants still unset are left out: NULL).
_FRESH = {"assignee": None, "known_issue_id": None, "merged_into_id": None, "response_breached": False,
          "resolution_breached": False, "escalated": False, "waiting_on": None, "version": 1}
_FROM_FILE = ("external_id", "title", "description", "reporter", "organisation_id", "unit_id", "category", "impact", "urgency",
              "priority", "priority_override", "patient_safety", "deviation_id", "resolver_group", "status")
_INSTANTS = ("created_at", "updated_at", "response_due", "resolution_due", "response_risk_at", "resolution_risk_at",
             "next_due", "next_risk_at")
# in the table's order, as the compiled INSERT binds them
_COLUMNS = [c.name for c in Ticket.__table__.columns if c.name in {*_FROM_FILE, *_FRESH, *_INSTANTS}]  # type: ignore[attr-defined]
@contextmanager
def _roomy_cache(session: Session) -> Iterator[None]:
    """On SQLite, a 64 MB page cache while the ticket indexes grow (the default 2 MB thrashes), then the old size again."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    old = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size=-65536")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(old)}")


class WindowDue:
    """Due instants for new tickets, with the clock's own rule for a ticket whose deadline falls inside a 24/7 window.

    Inside a hypercare window every elapsed second counts (support.sla_clock),
    so a new ticket whose whole target fits in one window is due at created +
    the target, and at risk at created + 3/4 of it (rounded up to the µs, as the
    clock rounds). That is most of an import during go-live; every other
    ticket goes to the DueCalculator. Tests check both paths give the same instants.
    """

    def __init__(self, calc: DueCalculator) -> None:
        self.calc = calc
        self._spans: dict[str, tuple[timedelta, timedelta, timedelta, timedelta]] = {}

    def _span(self, priority: str) -> tuple[timedelta, timedelta, timedelta, timedelta]:
        hit = self._spans.get(priority)
        if hit is None:
            response = target_for(self.calc.targets, priority, "response").round_the_clock
            resolution = target_for(self.calc.targets, priority, "resolution").round_the_clock
            hit = self._spans[priority] = (response, resolution, _share(response), _share(resolution))
        return hit

    def due(self, *, organisation_id: int, created: datetime, priority: str) -> TicketDue:
        response, resolution, response_risk, resolution_risk = self._span(priority)
        longest = max(response, resolution)
        for lo, hi in self.calc.windows(organisation_id):
            if lo <= created and created + longest <= hi:
                return TicketDue(response_due=created + response, resolution_due=created + resolution,
                                 response_at_risk=created + response_risk, resolution_at_risk=created + resolution_risk)
        return self.calc.due(organisation_id=organisation_id, created=created, priority=priority)


def _share(span: timedelta) -> timedelta:
    """AT_RISK of a span, rounded up to the microsecond."""
    us = span // timedelta(microseconds=1)
    return timedelta(microseconds=-(-us * AT_RISK.numerator // AT_RISK.denominator))


def _write(session: Session, rows: list[dict[str, Any]], *, cfg_due: DueCalculator, actor: str, at: datetime) -> None:
    """Insert the tickets in one executemany, then their creation events in another."""
    dues = WindowDue(cfg_due)
    to_driver = driver_instant(session.connection().dialect.name)  # instants as UTCDateTime hands them to the driver
    seen: dict[datetime, Any] = {}  # an import repeats its instants (a minute's tickets, their targets): convert each once

    def instant(value: datetime) -> Any:
        hit = seen.get(value)
        if hit is None:
            hit = seen[value] = to_driver(value)
        return hit

    in_order = itemgetter(*_COLUMNS)
    values: list[tuple[Any, ...]] = []
    for row in rows:
        d = dues.due(organisation_id=row["organisation_id"], created=row["created_at"], priority=row["priority"])
        created, response, risk = instant(row["created_at"]), instant(d.response_due), instant(d.response_at_risk)
        # untouched, so the response is the deadline it faces next
        full = {**row, **_FRESH, "created_at": created, "updated_at": created, "response_due": response,
                "resolution_due": instant(d.resolution_due), "response_risk_at": risk,
                "resolution_risk_at": instant(d.resolution_at_risk), "next_due": response, "next_risk_at": risk}
        values.append(in_order(full))
    ticket = Ticket.__table__  # type: ignore[attr-defined]
    floor = session.execute(select(func.coalesce(func.max(ticket.c.id), 0))).scalar_one()
    with _roomy_cache(session):
        bulk_insert_values(session, ticket, _COLUMNS, values)
    group_of = {v["external_id"]: (v["priority"], v["resolver_group"]) for v in rows}
    # Ids come back by external id; only ids above the floor can be this import's.
    ids = session.execute(select(ticket.c.id, ticket.c.external_id).where(ticket.c.id > floor, ticket.c.external_id.is_not(None)))
    when = instant(at)
    event_rows: list[tuple[Any, ...]] = []
    for ticket_id, external_id in ids:
        hit = group_of.get(external_id)
        if hit is None:
            continue
        for field_name, (old, new) in creation_changes(*hit).items():
            event_rows.append((ticket_id, when, actor, field_name, old, new))
    bulk_insert_values(session, TicketEvent.__table__, ["ticket_id", "at", "actor", "field", "old", "new"], event_rows)  # type: ignore[attr-defined]
