"""Names people type in files and on the command line: units, organisations, roles and the plan a row belongs to.

Lookups read only what a file or command names (a unit key, an organisation),
never every unit of every organisation, and a miss says what is unknown with
a suggestion only when one is close.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.errors import NotFound
from rollout.models import Organisation, Plan, Unit
from rollout.readiness.models import Person
from rollout.names import close_match, did_you_mean

# Roles a people file may use even when no plan names them in its training requirements.
COMMON_ROLES = (
    "lege", "turnuslege", "sykepleier", "spesialsykepleier", "helsesykepleier", "jordmor", "helsefagarbeider",
    "vernepleier", "fysioterapeut", "ergoterapeut", "psykolog", "farmasøyt", "bioingeniør", "radiograf",
    "miljøterapeut", "sosionom", "assistent", "merkantil", "sekretær", "leder", "avdelingsleder", "annet",
)


def organisation_key(session: Session, text: str) -> str:
    """An organisation given by key (`trondheim`) or name (`Trondheim kommune`); ValueError naming it if unknown."""
    probe = text.strip().lower()
    if session.execute(select(Organisation.id).where(Organisation.key == probe)).first() is not None:
        return probe
    rows = session.execute(select(Organisation.key, Organisation.name)).all()
    for key, name in rows:
        if name.strip().lower() == probe:
            return key
    raise ValueError(f"unknown organisation {text.strip()!r}{did_you_mean(probe, [k for k, _n in rows])}")


class UnitResolver:
    """Resolve `orgkey/unitkey`, a bare key (unique, or within the given organisation) or a unit name, one query per distinct text."""

    def __init__(self, session: Session, *, organisation: str | None = None) -> None:
        self.session = session
        # an unknown organisation is named as such, never reported as an unknown unit
        try:
            self.organisation = organisation_key(session, organisation) if organisation else None
        except ValueError as exc:
            raise NotFound(str(exc)) from None
        self.org_of: dict[int, int] = {}  # unit id -> organisation id, for the units resolved so far
        self._orgs: dict[str, str] = {}
        self._cache: dict[tuple[str, str | None], int] = {}

    def organisation_key(self, text: str) -> str:
        """An organisation column holds a key (`trondheim`) or a name (`Trondheim kommune`)."""
        hit = self._orgs.get(text)
        if hit is None:
            hit = self._orgs[text] = organisation_key(self.session, text)
        return hit

    def resolve(self, text: str, organisation: str | None = None) -> int:
        """The unit id, or ValueError with a close suggestion."""
        org = organisation or self.organisation
        cache_key = (text, org)
        hit = self._cache.get(cache_key)
        if hit is not None:
            return hit
        raw = text.strip()
        if not raw:
            raise ValueError("unit is empty")
        if "/" in raw:
            org, key = raw.lower().split("/", 1)
            found = self._units(org, key=key)
            if not found:
                self.organisation_key(org)  # an unknown organisation is the thing to name
        else:
            found = self._units(org, key=raw.lower()) or self._by_name(org, raw)
        if len(found) > 1:
            orgs = ", ".join(sorted(o for _u, _k, _oid, o in found))
            raise ValueError(f"unit {raw!r} exists in several organisations ({orgs}); write it as orgkey/{raw} or name the organisation")
        if not found:
            raise ValueError(f"unknown unit {raw!r}{self._hint(raw, org)}")
        uid, _key, org_id, _org = found[0]
        self.org_of[uid] = org_id
        self._cache[cache_key] = uid
        return uid

    def _select(self, org: str | None) -> Any:
        stmt = select(Unit.id, Unit.key, Unit.organisation_id, Organisation.key).join(Organisation, Organisation.id == Unit.organisation_id)
        return stmt if org is None else stmt.where(Organisation.key == org)

    def _units(self, org: str | None, *, key: str) -> list[tuple[int, str, int, str]]:
        return [tuple(r) for r in self.session.execute(self._select(org).where(Unit.key == key))]  # type: ignore[misc]

    def _by_name(self, org: str | None, raw: str) -> list[tuple[int, str, int, str]]:
        # names compared in Python: SQLite's lower() leaves æ, ø and å alone
        probe = raw.lower()
        stmt = self._select(org).add_columns(Unit.name)
        return [(uid, key, oid, o) for uid, key, oid, o, name in self.session.execute(stmt) if name.strip().lower() == probe]

    def _hint(self, raw: str, org: str | None) -> str:
        """A close unit key, compared on the unit part only (a shared organisation prefix is no likeness)."""
        key = raw.lower().split("/", 1)[1] if "/" in raw else raw.lower()
        stmt = select(Unit.key, Organisation.key).join(Organisation, Organisation.id == Unit.organisation_id)
        if org is not None:
            stmt = stmt.where(Organisation.key == org)
        rows = self.session.execute(stmt).all()
        match = close_match(key, [k for k, _o in rows])
        if match is None:
            return ""
        if "/" not in raw and org is not None:
            return f" (did you mean {match!r}?)"
        shown = " or ".join(repr(f"{o}/{match}") for o in sorted(o for k, o in rows if k == match))
        return f" (did you mean {shown}?)"


class PlanPicker:
    """The plan whose shifts and zone apply to a unit on a date: the organisation's plan nearest in time."""

    def __init__(self, session: Session, *, plan: Plan | None = None) -> None:
        self.session = session
        self.fixed = plan
        self.by_org: dict[int, list[Plan]] = {}

    def for_unit(self, org_id: int, day: date) -> Plan | None:
        if self.fixed is not None:
            return self.fixed
        plans = self.by_org.get(org_id)
        if plans is None:
            plans = self.by_org[org_id] = list(self.session.execute(select(Plan).where(Plan.organisation_id == org_id)).scalars())
        if not plans:
            return None
        if len(plans) == 1:
            return plans[0]
        return min(plans, key=lambda p: abs((p.go_live.date() - day).days))


def plan_roles(session: Session, organisation_ids: set[int]) -> set[str]:
    """The common roles and every role the organisations' plans name in their training requirements."""
    roles = set(COMMON_ROLES)
    if organisation_ids:
        stmt = select(Plan.training_requirements).where(Plan.organisation_id.in_(sorted(organisation_ids)))
        for reqs in session.execute(stmt).scalars():
            roles.update(r for r in (reqs or {}) if r != "default")
    return roles


def plan_role(session: Session, plan: Plan, role: str) -> str:
    """A role asked about for a plan: one it requires, a common one or one its people hold; NotFound otherwise."""
    probe = role.strip().lower()
    known = plan_roles(session, {plan.organisation_id})
    if probe in known:
        return probe
    held = select(Person.role).join(Unit, Unit.id == Person.unit_id).where(Unit.organisation_id == plan.organisation_id).distinct()
    known.update(session.execute(held).scalars())
    if probe in known:
        return probe
    raise NotFound(f"unknown role {role.strip()!r}{did_you_mean(probe, known)}")


def plan_unit(session: Session, plan: Plan, text: str) -> int:
    """A unit asked about for a plan: a unit of the plan's organisation; NotFound naming what is wrong."""
    org = session.get(Organisation, plan.organisation_id)
    org_key = org.key if org is not None else None
    units = UnitResolver(session)
    try:
        uid = units.resolve(text, None if "/" in text else org_key)
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    if units.org_of[uid] != plan.organisation_id:
        raise NotFound(f"unit {text.strip()!r} is not in plan {plan.key!r} (organisation {org_key!r})")
    return uid

