"""Organisations and their units: lookups that speak natural keys."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from rollout.errors import NotFound
from rollout.models import Contact, Organisation, Plan, Unit
from rollout.yamlfile import suggest


@dataclass
class OrganisationSummary:
    organisation: Organisation
    units: int
    staff: int


def list_organisations(session: Session) -> list[OrganisationSummary]:
    stmt = (
        select(Organisation, func.count(Unit.id), func.coalesce(func.sum(Unit.staff), 0))
        .join(Unit, Unit.organisation_id == Organisation.id, isouter=True)
        .group_by(Organisation.id)
        .order_by(Organisation.key)
    )
    return [OrganisationSummary(org, units, int(staff)) for org, units, staff in session.exec(stmt)]


def get_organisation(session: Session, key: str) -> Organisation:
    org = session.exec(select(Organisation).where(Organisation.key == key)).first()
    if org is None:
        keys = list(session.exec(select(Organisation.key)))
        raise NotFound(f"no organisation {key!r}{suggest(key, keys)}")
    return org


def list_units(session: Session, *, organisation: str | None = None) -> list[tuple[Unit, str]]:
    """Units with their organisation key, ordered by organisation and unit key."""
    stmt = select(Unit, Organisation.key).join(Organisation, Unit.organisation_id == Organisation.id)
    if organisation is not None:
        org = get_organisation(session, organisation)
        stmt = stmt.where(Unit.organisation_id == org.id)
    return list(session.exec(stmt.order_by(Organisation.key, Unit.key)))


def plans_of(session: Session, org: Organisation) -> list[Plan]:
    return list(session.exec(select(Plan).where(Plan.organisation_id == org.id).order_by(Plan.go_live)))


def contacts_for(session: Session, key: str) -> list[str]:
    """E-mail addresses the rollout file lists for an organisation key or role."""
    return list(session.exec(select(Contact.email).where(Contact.key == key).order_by(Contact.email)))
