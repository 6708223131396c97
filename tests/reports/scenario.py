"""A small hand-built plan (two units, a dozen people, a few shifts, ten tickets) with every figure written down.

The figures the report must show are computed here in plain Python from the
same rows, by the definitions in reports/data (not by the SQL under test).
Times: Oslo is UTC+2 throughout (April 2024, after the spring change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session

OSLO = ZoneInfo("Europe/Oslo")
GO_LIVE = datetime(2024, 4, 13, 4, 0, tzinfo=UTC)  # Saturday 06:00
CUTOVER = datetime(2024, 4, 11, 6, 0, tzinfo=UTC)  # Thursday 08:00
AT = datetime(2024, 4, 15, 4, 0, tzinfo=UTC)  # Monday 06:00, two days after go-live
XSS = "<img src=x onerror=alert(1)>"


def local(day: date, hh: int) -> datetime:
    return datetime(day.year, day.month, day.day, hh, tzinfo=OSLO).astimezone(UTC)


def h(hours: float) -> datetime:
    return AT + timedelta(hours=hours)


@dataclass
class Scenario:
    plan_id: int = 0
    tickets: list[dict[str, Any]] = field(default_factory=list)
    unit_keys: dict[int, str] = field(default_factory=dict)


# (unit, role, trained by AT, trained after AT, untrained)
PEOPLE = [("a", "sykepleier", 8, 1, 1), ("a", "lege", 1, 0, 1), ("b", "sykepleier", 5, 0, 0)]
MONDAY = date(2024, 4, 15)
# (unit, day, shift, start hour, end hour, planned, baseline, superusers on duty)
SHIFTS = [("a", MONDAY, "dag", 7, 15, 12, 10, 1), ("a", MONDAY, "kveld", 15, 23, 10, 10, 1),
          ("b", MONDAY, "dag", 7, 15, 6, 5, 1)]

# tickets: (priority, category, unit, created, responded, resolved, status, response target h, resolution target h, issue)
TICKETS = [
    ("P1", "access", "a", h(-30), h(-29.9), None, "in_progress", 0.25, 4, 1),
    ("P2", "printing", "a", h(-20), h(-18), h(-10), "resolved", 1, 8, 2),
    ("P2", "printing", "a", h(-19), h(-18.5), h(-14), "resolved", 1, 8, 2),
    ("P3", "access", "b", h(-40), None, None, "new", 4, 72, 1),
    ("P3", "workflow", "b", h(-3), h(-2), None, "in_progress", 4, 72, None),
    ("P4", "other", None, h(-50), h(-49), h(-1), "closed", 24, 240, None),
    ("P3", "access", "a", h(-5), h(-4), h(+2), "resolved", 4, 72, 1),  # resolved after AT: still open then
    ("P4", "workflow", "a", h(-100), h(-99), None, "waiting", 24, 240, None),  # before the series, aged ≥ 3 d
    ("P1", "access", "a", h(+1), None, None, "new", 0.25, 4, 1),  # created after AT: not in the report
    ("P3", "access", "a", h(-6), None, None, "merged", 4, 72, None),  # merged: never counted
]


def build(session: Session) -> Scenario:
    from rollout.models import Gate, Organisation, Plan, Unit
    from rollout.readiness.models import Person, RosterShift, StaffingShift, TrainingCompletion
    from support.models import KnownIssue, Ticket

    sc = Scenario()
    org = Organisation(key="vik", name="Vik kommune", kind="municipality")
    session.add(org)
    session.flush()
    units = {}
    for key, name in (("a", f"Avdeling A {XSS}"), ("b", "Avdeling | B *")):
        u = Unit(organisation_id=org.id, key=key, name=name, service="helsehus", hours="weekdays", staff=10)
        session.add(u)
        session.flush()
        units[key] = u.id
        sc.unit_keys[u.id] = key
    plan = Plan(key="vik-2024", organisation_id=org.id, name="Vik 2024", cutover_start=CUTOVER, go_live=GO_LIVE,
                hypercare_until=date(2024, 5, 11), language="nn", training_requirements={"sykepleier": ["HP"], "lege": ["HP"]},
                superuser_course="SU")
    session.add(plan)
    session.flush()
    sc.plan_id = plan.id  # type: ignore[assignment]
    session.add(Gate(plan_id=plan.id, position=0, key="T-1d", at="T-1d", due_at=GO_LIVE - timedelta(days=1),
                     criteria={"training_min": 0.9, "open_p1_max": 1}))
    session.add(Gate(plan_id=plan.id, position=1, key="T+7d", at="T+7d", due_at=GO_LIVE + timedelta(days=7),
                     criteria={"open_p1_max": 0}))
    n = 0
    for unit, role, before, after, never in PEOPLE:
        for i in range(before + after + never):
            n += 1
            p = Person(employee_id=f"e{n}", name=f"Person {n}", unit_id=units[unit], role=role)
            session.add(p)
            session.flush()
            if i < before + after:
                session.add(TrainingCompletion(person_id=p.id, course="HP", completed_at=AT - timedelta(days=3) if i < before else AT + timedelta(hours=1)))
    for unit, day, shift, start, end, planned, baseline, sus in SHIFTS:
        s, e = local(day, start), local(day, end)
        session.add(StaffingShift(unit_id=units[unit], day=day, shift=shift, start_at=s, end_at=e, planned=planned, baseline=baseline))
        for j in range(sus):
            n += 1
            p = Person(employee_id=f"su{n}", name=f"Superbruker {n}", unit_id=units[unit], role="superbruker", superuser=True)
            session.add(p)
            session.flush()
            session.add(TrainingCompletion(person_id=p.id, course="SU", completed_at=AT - timedelta(days=5)))
            session.add(RosterShift(person_id=p.id, unit_id=units[unit], day=day, shift=shift, start_at=s, end_at=e))
    issues = {}
    for k, title in ((1, f"Tilgang mangler {XSS}"), (2, "Skrivar | *feil*")):
        ki = KnownIssue(title=title, workaround=f"Gjer slik {k}", category="access", status="open", created_at=AT - timedelta(days=3))
        session.add(ki)
        session.flush()
        issues[k] = ki.id
    rows = []
    for i, (prio, cat, unit, created, responded, resolved, status, r_h, s_h, issue) in enumerate(TICKETS):
        r_due, s_due = created + timedelta(hours=r_h), created + timedelta(hours=s_h)
        row = {"title": f"Sak {i} {XSS}", "description": "", "organisation_id": org.id, "unit_id": units[unit] if unit else None,
               "category": cat, "impact": "medium", "urgency": "medium", "priority": prio, "priority_override": False,
               "patient_safety": False, "resolver_group": "supportsenter", "status": status, "created_at": created,
               "updated_at": created, "responded_at": responded, "resolved_at": resolved,
               "closed_at": resolved if status == "closed" else None, "response_due": r_due, "resolution_due": s_due,
               "next_due": s_due if responded else r_due, "response_risk_at": r_due, "resolution_risk_at": s_due,
               "next_risk_at": s_due, "response_breached": False, "resolution_breached": False, "escalated": False,
               "version": 1, "known_issue_id": issues[issue] if issue else None}
        rows.append(row)
    session.execute(insert(Ticket), rows)
    sc.tickets = rows
    return sc


# -- the expected figures, by hand ----------------------------------------------


def counted(t: dict[str, Any]) -> bool:
    return t["created_at"] <= AT and t["status"] != "merged"


def open_at(t: dict[str, Any]) -> bool:
    return counted(t) and not (t["resolved_at"] and t["resolved_at"] <= AT) and not (t["closed_at"] and t["closed_at"] <= AT)


def expected_support(sc: Scenario) -> dict[str, Any]:
    ts = sc.tickets
    opened = [t for t in ts if counted(t)]
    live = [t for t in ts if open_at(t)]
    backlog = {p: sum(1 for t in live if t["priority"] == p) for p in ("P1", "P2", "P3", "P4")}
    cats: dict[str, int] = {}
    for t in live:
        cats[t["category"]] = cats.get(t["category"], 0) + 1

    def met(done, due):  # noqa: ANN001, ANN202
        return done is not None and done <= AT and done <= due

    r_met = sum(1 for t in opened if met(t["responded_at"], t["response_due"]))
    r_due = sum(1 for t in opened if met(t["responded_at"], t["response_due"]) or t["response_due"] <= AT)
    s_met = sum(1 for t in opened if met(t["resolved_at"], t["resolution_due"]))
    s_due = sum(1 for t in opened if met(t["resolved_at"], t["resolution_due"]) or t["resolution_due"] <= AT)
    days = [date(2024, 4, 11) + timedelta(days=i) for i in range(5)]
    per_day = []
    for d in days:
        o = sum(1 for t in opened if t["created_at"].astimezone(OSLO).date() == d)
        r = sum(1 for t in ts if t["status"] != "merged" and t["resolved_at"] and t["resolved_at"] <= AT
                and t["resolved_at"].astimezone(OSLO).date() == d)
        per_day.append({"date": d.isoformat(), "opened": o, "resolved": r})

    def bucket(t):  # noqa: ANN001, ANN202
        age = AT - t["created_at"]
        for name, limit in (("lt_4h", 4), ("4h_1d", 24), ("1d_3d", 72), ("3d_7d", 168)):
            if age < timedelta(hours=limit):
                return name
        return "ge_7d"

    aging = {b: sum(1 for t in live if bucket(t) == b) for b in ("lt_4h", "4h_1d", "1d_3d", "3d_7d", "ge_7d")}
    faced = [t["resolution_due"] if t["responded_at"] and t["responded_at"] <= AT else t["response_due"] for t in live]
    return {
        "opened_total": len(opened), "open_total": len(live), "backlog": backlog, "categories": cats,
        "sla": (r_met, r_due, s_met, s_due), "days": per_day, "aging": aging,
        "breached_open": sum(1 for d in faced if d <= AT),
        "units": {"a": sum(1 for t in opened if t["unit_id"] and sc.unit_keys[t["unit_id"]] == "a"),
                  "b": sum(1 for t in opened if t["unit_id"] and sc.unit_keys[t["unit_id"]] == "b")},
        "issues": {1: sum(1 for t in opened if t["known_issue_id"] and "Tilgang" in _title(t)),
                   2: sum(1 for t in opened if t["known_issue_id"] and "Tilgang" not in _title(t))},
    }


def _title(t: dict[str, Any]) -> str:
    return "Tilgang" if t["category"] == "access" else "Skrivar"
