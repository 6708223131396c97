"""Creating tickets: validate against the support settings, mask identity numbers, route, prioritise, start the SLA clocks.

Every free-text field goes through the PII guard before the first write, so a
fødselsnummer never reaches the database file, its WAL, logs or exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import now
from rollout.errors import GoliveError, InputError, NotFound
from rollout.models import Organisation, Unit
from rollout.names import did_you_mean
from support import events
from support.config import LEVELS, PRIORITIES, SupportConfig, support_config
from support.due import DueCalculator
from support.models import Ticket
from support.notices import notify_new_p1
from support.pii import mask_identity_numbers

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000


@dataclass
class Masked:
    """Free text after the PII guard, and how many identity numbers it removed."""

    text: str
    count: int = 0


def masked(text: str | None) -> Masked:
    if not text:
        return Masked(text or "")
    clean, count = _masked_short(text) if len(text) <= 200 else mask_identity_numbers(text)
    return Masked(clean, count)


@lru_cache(maxsize=32_768)
def _masked_short(text: str) -> tuple[str, int]:
    # Titles, reporters and units repeat across thousands of imported tickets; the guard is pure, so share answers.
    return mask_identity_numbers(text)


def choose(value: str, choices: list[str] | tuple[str, ...], what: str) -> str:
    """A value from a known list, or an error naming it with a close suggestion and the choices."""
    text = (value or "").strip().lower() if what != "priority" else (value or "").strip().upper()
    if text not in choices:
        raise InputError(f"unknown {what} {value!r}{did_you_mean(text, choices)}; choose one of {', '.join(choices)}")
    return text


def ticket_priority(cfg: SupportConfig, *, impact: str, urgency: str, patient_safety: bool, override: str | None) -> str:
    """Impact × urgency (or the override); a patient-safety ticket is at least P2 whatever they say."""
    priority = choose(override, PRIORITIES, "priority") if override else cfg.priority(impact, urgency)
    if patient_safety and priority in ("P3", "P4"):
        if override:
            raise GoliveError(f"a patient-safety ticket is at least P2, not {priority}")
        priority = "P2"
    return priority


def resolve_unit(session: Session, text: str) -> tuple[int, int, str, str, str | None]:
    """(unit id, organisation id, organisation key, unit key, service) for `orgkey/unitkey` or a unique bare key."""
    from rollout.readiness.lookup import UnitResolver

    try:
        unit_id = UnitResolver(session).resolve(text)
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    row = session.execute(
        select(Unit.organisation_id, Organisation.key, Unit.key, Unit.service)
        .join(Organisation, Organisation.id == Unit.organisation_id).where(Unit.id == unit_id)
    ).one()
    return unit_id, row[0], row[1], row[2], row[3]


@dataclass(frozen=True)
class Place:
    """Where a ticket happens, as routing needs it."""

    unit_id: int
    organisation_id: int
    organisation: str
    unit: str
    service: str | None


def place_of(session: Session, unit: str) -> Place:
    return Place(*resolve_unit(session, unit))


@dataclass
class NewTicket:
    ticket: Ticket
    masked: int  # identity numbers removed from the text


def ticket_values(
    cfg: SupportConfig,
    *,
    place: Place,
    title: str,
    category: str,
    impact: str,
    urgency: str,
    created: datetime,
    description: str = "",
    reporter: str | None = None,
    priority: str | None = None,
    patient_safety: bool = False,
    deviation: str | None = None,
    external_id: str | None = None,
) -> tuple[dict[str, Any], int]:
    """A new ticket's columns (all but the due instants), validated, PII-masked, routed and prioritised; and the count masked.

    Shared by `create_ticket` and the bulk import, so both refuse and route alike.
    """
    title_m, description_m, reporter_m, deviation_m = masked(title), masked(description), masked(reporter), masked(deviation)
    if not title_m.text.strip():
        raise InputError("a ticket needs a title")
    if len(title_m.text) > MAX_TITLE:
        raise InputError(f"the title is {len(title_m.text)} characters long; at most {MAX_TITLE} are allowed")
    if len(description_m.text) > MAX_DESCRIPTION:
        raise InputError(f"the description is {len(description_m.text)} characters long; at most {MAX_DESCRIPTION} are allowed")
    category = choose(category, cfg.categories, "category")
    impact = choose(impact, LEVELS, "impact")
    urgency = choose(urgency, LEVELS, "urgency")
    if deviation and not patient_safety:
        raise InputError("a deviation (avvik) id belongs to a patient-safety ticket: add --patient-safety")
    values: dict[str, Any] = {
        "external_id": external_id, "title": title_m.text.strip(), "description": description_m.text,
        "reporter": reporter_m.text or None, "organisation_id": place.organisation_id, "unit_id": place.unit_id,
        "category": category, "impact": impact, "urgency": urgency,
        "priority": ticket_priority(cfg, impact=impact, urgency=urgency, patient_safety=patient_safety, override=priority),
        "priority_override": priority is not None, "patient_safety": patient_safety, "deviation_id": deviation_m.text or None,
        "resolver_group": cfg.route(category=category, organisation=place.organisation, unit=place.unit, service=place.service),
        "status": "new", "created_at": created, "updated_at": created,
    }
    return values, title_m.count + description_m.count + reporter_m.count + deviation_m.count


def creation_changes(priority: str, group: str) -> dict[str, tuple[Any, Any]]:
    """The history a new ticket starts with."""
    return {"status": (None, "new"), "priority": (None, priority), "group": (None, group)}


def create_ticket(
    session: Session,
    *,
    title: str,
    unit: str,
    category: str,
    impact: str,
    urgency: str,
    actor: str,
    description: str = "",
    reporter: str | None = None,
    priority: str | None = None,
    patient_safety: bool = False,
    deviation: str | None = None,
    created_at: datetime | None = None,
    external_id: str | None = None,
    config: SupportConfig | None = None,
    due: DueCalculator | None = None,
) -> NewTicket:
    """Create one ticket, routed and with its SLA due times; its history starts with who created it."""
    cfg = config or support_config(session)
    created = created_at or now()
    values, count = ticket_values(
        cfg, place=place_of(session, unit), title=title, category=category, impact=impact, urgency=urgency, created=created,
        description=description, reporter=reporter, priority=priority, patient_safety=patient_safety, deviation=deviation,
        external_id=external_id,
    )
    ticket = Ticket(**values)
    (due or DueCalculator(session, cfg)).apply(ticket, pauses=())
    session.add(ticket)
    session.flush()
    events.record(session, ticket_id=ticket.id, actor=actor, at=now() if created_at else created,  # type: ignore[arg-type]
                  changes=creation_changes(ticket.priority, ticket.resolver_group))
    notify_new_p1(session, ticket)
    return NewTicket(ticket=ticket, masked=count)


def get_ticket(session: Session, ticket_id: int, *, for_update: bool = False) -> Ticket:
    stmt = select(Ticket).where(Ticket.id == ticket_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    ticket = session.execute(stmt).scalars().first()
    if ticket is None:
        raise NotFound(f"no ticket {ticket_id}")
    return ticket
