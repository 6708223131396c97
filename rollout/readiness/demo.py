"""Demo readiness data for Trondheim 2022: ~9 000 people, lagging training, a cutover staffing plan, a superuser roster.

Deterministic (`random.Random(SEED)`) and written with bulk inserts, so
`golive demo` stays fast. The story it tells at the T-7d gate (Saturday
30 April 2022 06:00): training lags in some units and among the emergency
clinic's doctors, one evening in a home-care district is understaffed, one
night at a health house has no staffing row, and the emergency clinic has no
superuser on the go-live night: NO-GO, with reasons.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from rollout import audit
from rollout.clock import parse_instant
from rollout.models import Organisation, Plan, Unit
from rollout.readiness.models import Person, RosterShift, StaffingShift, TrainingCompletion
from rollout.readiness.shifts import plan_shifts, readiness_window, shift_interval
from rollout.seams import DemoSection, DemoStep

SEED = 20220507
PLAN_KEY = "trondheim-2022"
TZ = "Europe/Oslo"

ROLE_MIX = {
    "legevakt": {"lege": 0.25, "sykepleier": 0.55, "helsefagarbeider": 0.1, "merkantil": 0.1},
    "helsehus": {"lege": 0.04, "sykepleier": 0.4, "helsefagarbeider": 0.4, "fysioterapeut": 0.06, "merkantil": 0.1},
    "hjemmetjenester": {"sykepleier": 0.35, "helsefagarbeider": 0.5, "vernepleier": 0.1, "merkantil": 0.05},
    "helse- og velferdssenter": {"sykepleier": 0.3, "helsefagarbeider": 0.45, "vernepleier": 0.15, "fysioterapeut": 0.05, "merkantil": 0.05},
    "helsestasjon": {"helsesykepleier": 0.6, "lege": 0.1, "jordmor": 0.15, "merkantil": 0.15},
    "skolehelsetjeneste": {"helsesykepleier": 0.75, "lege": 0.1, "merkantil": 0.15},
    "fengselshelse": {"sykepleier": 0.6, "lege": 0.2, "merkantil": 0.2},
}
# Share of required courses finished before the T-7d gate, per unit; the rest come late or never.
ON_TIME = {"hjemme-heimdal": 0.86, "hvs-lerkendal": 0.9, "legevakt": 0.97}
DEFAULT_ON_TIME = 0.985
FIRST = ["Kari", "Ola", "Ingrid", "Per", "Marit", "Lars", "Anne", "Jon", "Silje", "Erik", "Hanne", "Knut", "Sigrid", "Nils",
         "Ragnhild", "Arne", "Tone", "Bjørn", "Liv", "Håkon", "Astrid", "Even", "Solveig", "Øystein", "Åse", "Magnus", "Nora", "Emil"]
LAST = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Karlsen", "Berg",
        "Haugen", "Hagen", "Johnsen", "Bakken", "Lie", "Moen", "Dahl", "Lund", "Strand", "Sæther", "Aune", "Rønning", "Løkken"]
NIGHT_GAP = ("legevakt", date(2022, 5, 7), "natt")  # the go-live night with no superuser
SHORT_EVENING = ("hjemme-ostbyen", date(2022, 5, 8), "kveld")  # planned only 105 % of baseline
MISSING_ROW = ("sobstad-helsehus", date(2022, 5, 10), "natt")  # a 24/7 shift nobody planned
SHIFT_SHARE = {"dag": 0.11, "kveld": 0.08, "natt": 0.04}


def _at(text: str) -> datetime:
    return parse_instant(text, TZ)


def build_readiness_demo(session: Session, *, actor: str) -> dict[str, int]:
    """Write the demo's people, completions, staffing and roster for the Trondheim plan; returns row counts."""
    rng = random.Random(SEED)
    plan = session.execute(select(Plan).where(Plan.key == PLAN_KEY)).scalars().one()
    org = session.get(Organisation, plan.organisation_id)
    units = list(session.execute(select(Unit).where(Unit.organisation_id == plan.organisation_id).order_by(Unit.id)).scalars())
    reqs = plan.training_requirements or {}
    superuser_course = plan.superuser_course or "HP-SUPER"

    people: list[dict[str, Any]] = []
    number = 100000
    for unit in units:
        mix = ROLE_MIX.get(unit.service, ROLE_MIX["helsehus"])
        roles = list(mix)
        weights = [mix[r] for r in roles]
        for i in range(unit.staff):
            number += 1
            role = roles[0] if i == 0 else rng.choices(roles, weights)[0]
            first, last = rng.choice(FIRST), rng.choice(LAST)
            clinical = role != "merkantil"
            people.append({
                "employee_id": f"TK{number}",
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{number}@trondheim.example.org".lower().replace("ø", "o").replace("å", "a").replace("æ", "ae"),
                "unit_id": unit.id,
                "role": role,
                "superuser": clinical and rng.random() < 0.11,
            })
    session.execute(insert(Person.__table__), people)  # type: ignore[attr-defined]
    ids = dict(session.execute(select(Person.employee_id, Person.id).where(Person.unit_id.in_([u.id for u in units]))).all())

    unit_key = {u.id: u.key for u in units}
    training_start = _at("2022-03-07T08:00")
    gate_time = _at("2022-04-29T16:00")
    late_start = _at("2022-05-02T08:00")
    on_time_span = (gate_time - training_start).total_seconds()
    completions: list[dict[str, Any]] = []
    trained_superusers: dict[int, list[int]] = {}
    untrained_superusers: dict[int, list[int]] = {}
    for person in people:
        pid = ids[person["employee_id"]]
        courses = reqs.get(person["role"], reqs.get("default", []))
        on_time = ON_TIME.get(unit_key[person["unit_id"]], DEFAULT_ON_TIME)
        for course in courses:
            roll = rng.random()
            if roll < on_time:
                when = training_start + timedelta(seconds=rng.random() * on_time_span)
            elif roll < on_time + (1 - on_time) * 0.7:
                when = late_start + timedelta(hours=rng.randint(0, 60))
            else:
                continue
            completions.append({"person_id": pid, "course": course, "completed_at": when.replace(second=0, microsecond=0)})
        if person["superuser"]:
            if rng.random() < 0.95:
                when = _at("2022-03-14T08:00") + timedelta(hours=rng.randint(0, 24 * 30))
                completions.append({"person_id": pid, "course": superuser_course, "completed_at": when})
                trained_superusers.setdefault(person["unit_id"], []).append(pid)
            else:
                untrained_superusers.setdefault(person["unit_id"], []).append(pid)
    session.execute(insert(TrainingCompletion.__table__), completions)  # type: ignore[attr-defined]

    # Staffing for every shift of the readiness window; weekday units only on weekday day shifts.
    window = readiness_window(plan)
    shifts = plan_shifts(plan)
    days = [date(2022, 5, 5) + timedelta(days=n) for n in range(9)]
    staffing: list[dict[str, Any]] = []
    for unit in units:
        for day in days:
            for shift, (s, e) in shifts.items():
                if unit.hours != "24/7" and (shift != "dag" or day.weekday() >= 5):
                    continue
                if (unit.key, day, shift) == MISSING_ROW:
                    continue
                start, end = shift_interval(day, s, e, plan.timezone)
                if not (start < window[1] and end > window[0]):
                    continue
                share = SHIFT_SHARE.get(shift, 0.08) if unit.hours == "24/7" else 0.4
                baseline = max(2, round(unit.staff * share))
                factor = 1.05 if (unit.key, day, shift) == SHORT_EVENING else rng.uniform(1.2, 1.4)
                staffing.append({"unit_id": unit.id, "day": day, "shift": shift, "start_at": start, "end_at": end,
                                 "planned": math.ceil(baseline * factor), "baseline": baseline})
    session.execute(insert(StaffingShift.__table__), staffing)  # type: ignore[attr-defined]

    # Superusers on duty: enough trained ones for 1 per 10 on every shift, each keeping to one kind of shift
    # (so nobody gets a quick return); a few untrained ones come along and do not count.
    roster: list[dict[str, Any]] = []
    weights = {name: SHIFT_SHARE.get(name, 0.08) for name in shifts}
    groups: dict[int, dict[str, list[int]]] = {}
    for unit in units:
        pool = trained_superusers.get(unit.id, [])
        if unit.hours != "24/7":
            groups[unit.id] = {"dag": pool}
            continue
        # split the unit's superusers over the shifts in proportion to how many each shift needs
        groups[unit.id], begin, total = {}, 0, sum(weights.values())
        for n, (name, weight) in enumerate(weights.items()):
            end = len(pool) if n == len(weights) - 1 else begin + round(len(pool) * weight / total)
            groups[unit.id][name] = pool[begin:end]
            begin = end
    cursors: dict[tuple[int, str], int] = {}
    for row in staffing:
        unit_id, shift = row["unit_id"], row["shift"]
        if (unit_key[unit_id], row["day"], shift) == NIGHT_GAP:
            continue
        pool = trained_superusers.get(unit_id, [])
        group = groups[unit_id].get(shift) or pool
        needed = math.ceil(row["planned"] / 10)
        if not group:
            continue
        start = cursors.get((unit_id, shift), 0)
        chosen = [group[(start + k) % len(group)] for k in range(min(needed, len(group)))]
        cursors[(unit_id, shift)] = start + len(chosen)
        extra = untrained_superusers.get(unit_id, [])
        if extra and rng.random() < 0.15:
            chosen.append(extra[rng.randrange(len(extra))])
        for pid in dict.fromkeys(chosen):
            roster.append({"person_id": pid, "unit_id": unit_id, "day": row["day"], "shift": shift,
                           "start_at": row["start_at"], "end_at": row["end_at"]})
    session.execute(insert(RosterShift.__table__), roster)  # type: ignore[attr-defined]

    counts = {"people": len(people), "training": len(completions), "staffing": len(staffing), "roster": len(roster)}
    audit.record(session, actor=actor, action="import", entity="readiness demo", entity_key=org.key if org else PLAN_KEY, changes=counts)
    return counts


def summarise_readiness(session: Session, *, when: Any, built: dict[str, dict[str, int]]) -> DemoSection:
    """The rows the readiness step wrote, and where to look at them."""
    from rollout.formats import thousands

    r = built.get("readiness", {})
    line = (f"Readiness: {thousands(r.get('people', 0))} people, {thousands(r.get('training', 0))} course completions, "
            f"{thousands(r.get('staffing', 0))} staffed shifts, {thousands(r.get('roster', 0))} superuser duties")
    return DemoSection(title=None, lines=[line],
                       next_commands=[f"golive roster gaps {PLAN_KEY} --gate T-7d --at 2022-04-30T06:00"])


DEMO_STEP = DemoStep(name="readiness", build=build_readiness_demo, summarise=summarise_readiness)
