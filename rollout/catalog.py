"""Organisations, units and plans as typed views: what `org`, `unit` and `plan` show, and their JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from rollout.clock import iso, minutes
from rollout.models import Organisation, Plan, Unit
from rollout.organisations import OrganisationSummary, contacts_for, get_organisation, list_organisations, list_units, plans_of
from rollout.plans import GateView, PlanView, get_plan, list_plans, plan_view


@dataclass
class UnitView:
    unit: Unit
    organisation: str  # its organisation's key

    @property
    def key(self) -> str:
        """`orgkey/unitkey`, the way imports and filters name a unit."""
        return f"{self.organisation}/{self.unit.key}"

    def as_json(self) -> dict[str, Any]:
        u = self.unit
        return {"id": u.id, "organisation": self.organisation, "key": u.key, "unit": self.key, "name": u.name,
                "service": u.service, "hours": u.hours, "staff": u.staff}


@dataclass
class OrganisationRow:
    """One line of `org list`."""

    summary: OrganisationSummary

    def as_json(self) -> dict[str, Any]:
        o = self.summary.organisation
        return {"id": o.id, "key": o.key, "name": o.name, "kind": o.kind, "org_number": o.org_number,
                "units": self.summary.units, "staff": self.summary.staff}


@dataclass
class OrganisationView:
    """`org show`: one organisation, its units, its plans and its contacts."""

    organisation: Organisation
    units: list[UnitView]
    plans: list[Plan]
    contacts: list[str]

    @property
    def staff(self) -> int:
        return sum(u.unit.staff for u in self.units)

    def as_json(self) -> dict[str, Any]:
        o = self.organisation
        return {
            "id": o.id, "key": o.key, "name": o.name, "kind": o.kind, "org_number": o.org_number,
            "units": [u.as_json() for u in self.units],
            "plans": [{"id": p.id, "key": p.key, "go_live": iso(p.go_live, p.timezone)} for p in self.plans],
            "contacts": self.contacts,
        }


@dataclass
class PlanRow:
    """One line of `plan list`."""

    plan: Plan
    organisation: str

    def as_json(self) -> dict[str, Any]:
        p = self.plan
        return {"id": p.id, "key": p.key, "organisation": self.organisation, "name": p.name, "timezone": p.timezone,
                "cutover_start": iso(p.cutover_start, p.timezone), "go_live": iso(p.go_live, p.timezone),
                "hypercare_until": p.hypercare_until.isoformat()}


def gate_json(g: GateView, tz: str) -> dict[str, Any]:
    return {"id": g.gate.id, "key": g.gate.key, "at": g.gate.at, "wave": g.wave, "due": iso(g.gate.due_at, tz),
            "criteria": g.gate.criteria, "readiness_window_days": g.gate.readiness_window_days}


@dataclass
class PlanDetail:
    """`plan show`: the plan view with its JSON (phases, waves, gates, stage and countdown)."""

    view: PlanView

    @property
    def plan(self) -> Plan:
        return self.view.plan

    def is_current(self, phase_id: int | None) -> bool:
        return self.view.current_phase is not None and phase_id == self.view.current_phase.id

    def as_json(self) -> dict[str, Any]:
        view, plan = self.view, self.view.plan
        tz = plan.timezone
        left = view.until_go_live
        return {
            "id": plan.id, "key": plan.key, "organisation": view.organisation, "name": plan.name, "timezone": tz,
            "cutover_start": iso(plan.cutover_start, tz), "go_live": iso(plan.go_live, tz),
            "hypercare_until": plan.hypercare_until.isoformat(), "playbook": plan.playbook, "language": plan.language,
            "readiness_window_days": plan.readiness_window_days,
            "as_of": iso(view.as_of, tz),
            "stage": view.stage,
            "current_phase": view.current_phase.name if view.current_phase else None,
            "countdown": {"to": "go_live", "minutes": minutes(left), "live": left.total_seconds() <= 0},
            "next_gate": gate_json(view.next_gate, tz) if view.next_gate else None,
            "phases": [
                {"id": p.id, "name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat(), "current": self.is_current(p.id)}
                for p in view.phases
            ],
            "waves": [{"id": w.wave.id, "name": w.wave.name, "go_live": iso(w.wave.go_live, tz), "units": w.units} for w in view.waves],
            "gates": [gate_json(g, tz) for g in view.gates],
        }


def organisation_rows(session: Session) -> list[OrganisationRow]:
    return [OrganisationRow(s) for s in list_organisations(session)]


def organisation_view(session: Session, *, key: str) -> OrganisationView:
    org = get_organisation(session, key)
    units = [UnitView(u, org.key) for u, _ in list_units(session, organisation=key)]
    return OrganisationView(org, units, plans_of(session, org), contacts_for(session, org.key))


def unit_views(session: Session, *, organisation: str | None = None) -> list[UnitView]:
    return [UnitView(u, o) for u, o in list_units(session, organisation=organisation)]


def plan_rows(session: Session) -> list[PlanRow]:
    return [PlanRow(p, o) for p, o in list_plans(session)]


def plan_detail(session: Session, *, plan: Plan | str, at: datetime) -> PlanDetail:
    """The plan (or its key) as of `at`."""
    if isinstance(plan, str):
        plan = get_plan(session, plan)
    return PlanDetail(plan_view(session, plan, at=at))
