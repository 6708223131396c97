"""The demo's tickets: two weeks of Trondheim's support queue from go-live, each ticket's story and its rows.

Every ticket gets a planned story (created, triaged, claimed, maybe a wait,
maybe linked to a known issue, resolved, closed); what happened by the end of
the two weeks is kept, the rest is cut off. The stored state is the fold of
what was kept, and the events are exactly those steps, so `ticket show`,
`sla check` and as-of views agree with each other. Due times come from
`DueCalculator` (hypercare: 24/7), and breaches are marked the way the sweep
marks them: at the due time, with breached P1 and P2 escalated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from support.config import SupportConfig
from support.demo_texts import AGENTS, DETAILS, REPORTER_FIRST, REPORTER_LAST, REPORTER_ROLES, TITLES, WAIT_REASONS
from support.due import DueCalculator

DAILY = [460, 400, 520, 330, 260, 210, 170, 140, 120, 100, 90, 80, 70, 60]  # tickets per day after go-live: peak, then decay
HOUR_WEIGHT = [1, 1, 1, 1, 1, 2, 6, 10, 12, 11, 10, 9, 8, 8, 9, 8, 6, 5, 4, 4, 3, 3, 2, 1]  # by local hour
# Early days are access and printing; later, how-to, workflow and configuration take over.
EARLY = {"access": 34, "printing": 22, "device": 6, "workflow": 8, "training": 8, "configuration": 5, "integration": 3,
         "messaging": 4, "medication": 4, "data_migration": 3, "performance": 2, "other": 1}
LATE = {"access": 9, "printing": 7, "device": 6, "workflow": 18, "training": 17, "configuration": 12, "integration": 6,
        "messaging": 8, "medication": 7, "data_migration": 4, "performance": 4, "other": 2}
LEVELS = ("high", "medium", "low")
IMPACT = {"access": (8, 52, 40), "medication": (20, 50, 30), "messaging": (10, 50, 40), "integration": (12, 48, 40)}
URGENCY = {"access": (45, 40, 15), "printing": (35, 45, 20), "medication": (40, 45, 15)}
DEFAULT_IMPACT, DEFAULT_URGENCY = (4, 36, 60), (15, 45, 40)
RESPONSE_MIN = {"P1": 5, "P2": 16, "P3": 80, "P4": 300}  # typical minutes to the first move, on a normal day
WORK_MIN = {"P1": 70, "P2": 150, "P3": 900, "P4": 2400}  # typical minutes of work after it
LOAD = [2.0, 1.8, 2.2, 1.4, 1.2] + [1.0] * 9  # the first days' queue makes everything slower
SWEEP = "sla sweep"  # who marks breaches; its marks leave updated_at alone (the last time a person touched the ticket)
CLOSE_AFTER = timedelta(days=3)  # a resolved ticket is closed when the reporter has not objected


@dataclass
class Step:
    at: datetime
    actor: str
    changes: dict[str, tuple[Any, Any]]


@dataclass
class Story:
    """One ticket as planned: its creation and the steps after it, some of which may lie beyond the demo's end."""

    id: int
    created: datetime
    unit: Any  # a row (id, key, hours, staff, service) of the organisation's units
    category: str
    impact: str
    urgency: str
    priority: str
    group: str
    title: str
    description: str
    reporter: str
    creator: str
    patient_safety: bool = False
    deviation: str | None = None
    steps: list[Step] = field(default_factory=list)
    waits: list[tuple[str, str, datetime, datetime]] = field(default_factory=list)  # (on, reason, start, end)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def creation_times(rng: random.Random, go_live: datetime, tz: Any) -> list[tuple[int, datetime]]:
    """(day after go-live, instant) for every ticket, in order: the daily volumes spread over the clinical day."""
    out: list[tuple[int, datetime]] = []
    for day, count in enumerate(DAILY):
        start = go_live + timedelta(days=day)
        offsets = [(h - 6) % 24 for h in range(24)]  # the day runs from 06:00 to 06:00
        for _ in range(count):
            hour = rng.choices(range(24), HOUR_WEIGHT)[0]
            out.append((day, start + timedelta(hours=offsets[hour], minutes=rng.randrange(60))))
    out.sort(key=lambda x: x[1])
    return out


def _category(rng: random.Random, day: int) -> str:
    early = 1.0 if day < 3 else 0.6 ** (day - 2)
    return _pick(rng, {k: EARLY[k] * early + LATE[k] * (1 - early) for k in EARLY})


def _level(rng: random.Random, weights: tuple[int, int, int]) -> str:
    return rng.choices(LEVELS, weights)[0]


def plan_story(rng: random.Random, *, number: int, day: int, created: datetime, unit: Any, org_key: str,
               cfg: SupportConfig) -> Story:
    """Who reported what, and how the ticket would go if nobody stopped the clock."""
    category = _category(rng, day)
    impact = _level(rng, IMPACT.get(category, DEFAULT_IMPACT))
    urgency = _level(rng, URGENCY.get(category, DEFAULT_URGENCY))
    patient_safety = category in ("medication", "messaging", "integration") and rng.random() < 0.08
    priority = cfg.priority(impact, urgency)
    if patient_safety and priority in ("P3", "P4"):
        priority = "P2"
    reporter = f"{rng.choice(REPORTER_FIRST)} {rng.choice(REPORTER_LAST)}, {rng.choice(REPORTER_ROLES)}"
    story = Story(
        id=number, created=created, unit=unit, category=category, impact=impact, urgency=urgency, priority=priority,
        group=cfg.route(category=category, organisation=org_key, unit=unit.key, service=unit.service),
        title=rng.choice(TITLES[category]), description=f"Gjelder {unit.name}. {rng.choice(DETAILS)}", reporter=reporter,
        creator=rng.choice(AGENTS["supportsenter"]), patient_safety=patient_safety,
        deviation=f"AVVIK-2022-{rng.randrange(1000, 9999)}" if patient_safety and rng.random() < 0.7 else None,
    )
    load = LOAD[min(day, len(LOAD) - 1)]
    at = created + timedelta(minutes=max(1.0, RESPONSE_MIN[priority] * load * rng.lognormvariate(0, 0.6)))
    dispatcher = rng.choice(AGENTS["supportsenter"])
    status = "new"
    if rng.random() < 0.3:  # triaged first by the support centre, sometimes with a (retroactive) priority change
        changes: dict[str, tuple[Any, Any]] = {"status": ("new", "triaged")}
        if rng.random() < 0.12:
            new = {"P1": "P2", "P2": "P1", "P3": "P2", "P4": "P3"}[priority]
            if not (patient_safety and new in ("P3", "P4")):
                changes["priority"] = (priority, new)
        story.steps.append(Step(at, dispatcher, changes))
        status = "triaged"
        at += timedelta(minutes=rng.randint(3, 40))
    agent = rng.choice(AGENTS[story.group])
    story.steps.append(Step(at, agent, {"assignee": (None, agent), "status": (status, "in_progress")}))
    work = timedelta(minutes=WORK_MIN[priority] * (1.3 if day < 3 else 1.0) * rng.lognormvariate(0, 0.8))
    if rng.random() < 0.12:  # waiting on someone: only the reporter pauses the clock
        on = rng.choices(("reporter", "partner", "change"), (6, 3, 1))[0]
        start = at + work / 3
        end = start + timedelta(minutes=rng.randint(30, 60 * 30))
        story.waits.append((on, rng.choice(WAIT_REASONS[on]), start, end))
        story.steps.append(Step(start, agent, {"status": ("in_progress", "waiting"), "waiting_on": (None, on)}))
        story.steps.append(Step(end, agent, {"status": ("waiting", "in_progress"), "waiting_on": (on, None)}))
        at = end
        work = work * 2 / 3
    story.steps.append(Step(at + work, agent, {"status": ("in_progress", "resolved")}))
    story.steps.append(Step(at + work + CLOSE_AFTER, agent, {"status": ("resolved", "closed")}))
    return story


def link_known_issue(rng: random.Random, story: Story, *, issue_id: int, found: datetime, fixed: datetime | None,
                     fixer: str, note: str) -> None:
    """Link the ticket once the known issue is registered; an open linked ticket is resolved with the fix."""
    link_at = max(story.created, found) + timedelta(minutes=rng.randint(5, 40))
    if fixed is not None:
        link_at = min(link_at, fixed)
    story.steps.append(Step(link_at, story.creator, {"known_issue": (None, issue_id)}))
    resolve = next(s for s in story.steps if s.changes.get("status", (None, None))[1] == "resolved")
    if fixed is not None and resolve.at > fixed:
        # `known-issue resolve` resolves every open linked ticket with its note, in one go; closing follows as usual
        story.steps = [s for s in story.steps if s.at < fixed]
        story.waits = [(on, r, a, min(b, fixed)) for on, r, a, b in story.waits if a < fixed]
        status, waiting = _state_at(story, fixed)
        changes: dict[str, tuple[Any, Any]] = {"status": (status, "resolved"), "comment": (None, note)}
        if waiting is not None:
            changes["waiting_on"] = (waiting, None)
        story.steps.append(Step(fixed, fixer, changes))
        story.steps.append(Step(fixed + CLOSE_AFTER, story.creator, {"status": ("resolved", "closed")}))
    elif fixed is None and rng.random() < 0.5:
        # The workaround helps but the error stays: these tickets wait for the fix, still in progress.
        story.steps = [s for s in story.steps if s.changes.get("status", (None, None))[1] not in ("resolved", "closed")]
    story.steps.sort(key=lambda s: s.at)


def _state_at(story: Story, at: datetime) -> tuple[str, str | None]:
    """(status, waiting on) after the steps up to `at`."""
    status, waiting = "new", None
    for s in sorted(story.steps, key=lambda s: s.at):
        if s.at <= at:
            status = s.changes.get("status", (None, status))[1]
            waiting = s.changes["waiting_on"][1] if "waiting_on" in s.changes else waiting
    return status, waiting


def settle(story: Story, *, end: datetime, calc: DueCalculator, org_id: int, escalation: str | None) -> tuple[
        dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The ticket row as of `end`, its events (creation, every kept step, breaches) and its waits."""
    kept = [s for s in sorted(story.steps, key=lambda s: s.at) if s.at <= end]
    state: dict[str, Any] = {"status": "new", "priority": story.priority, "group": story.group, "assignee": None,
                             "known_issue": None, "waiting_on": None}
    responded = claimed = resolved = closed = priority_set = None
    for s in kept:
        for name, (_old, new) in s.changes.items():
            if name != "comment":
                state[name] = new
        status = s.changes.get("status", (None, None))[1]
        if status and responded is None:
            responded = s.at
        if "assignee" in s.changes:
            claimed = s.at
        if "priority" in s.changes:
            priority_set = s.at
        if status == "resolved":
            resolved = s.at
        if status == "closed":
            closed = s.at
    waits = [(on, r, a, b if b <= end else None) for on, r, a, b in story.waits if a <= end]
    pauses = tuple((a, b) for on, _r, a, b in waits if on == "reporter" and b is not None)
    due = calc.due(organisation_id=org_id, created=story.created, priority=state["priority"], pauses=pauses)

    events = [{"at": story.created, "actor": story.creator, "field": f, "old": None, "new": v}
              for f, v in (("status", "new"), ("priority", story.priority), ("group", story.group))]
    events += [{"at": s.at, "actor": s.actor, "field": f, "old": o, "new": n} for s in kept for f, (o, n) in s.changes.items()
               if o != n]
    flags = {"response_breached": False, "resolution_breached": False, "escalated": False}
    paused_now = state["waiting_on"] == "reporter"
    for kind, deadline, done in (("response", due.response_due, responded), ("resolution", due.resolution_due, resolved)):
        if deadline > end or (done is not None and done <= deadline) or (kind == "resolution" and paused_now):
            continue
        at = max(deadline, priority_set or story.created)  # a retroactive change is found breached when it is made
        flags[f"{kind}_breached"] = True
        events.append({"at": at, "actor": SWEEP, "field": f"{kind}_breached", "old": False, "new": True})
        if escalation and state["priority"] in ("P1", "P2") and not flags["escalated"]:
            flags["escalated"] = True
            events.append({"at": at, "actor": SWEEP, "field": "escalated", "old": False, "new": True})
            if state["group"] != escalation:
                events.append({"at": at, "actor": SWEEP, "field": "group", "old": state["group"], "new": escalation})
                state["group"] = escalation
    events.sort(key=lambda e: e["at"])
    for e in events:
        e["ticket_id"] = story.id
    touched = responded is not None
    row = {
        "id": story.id, "title": story.title, "description": story.description, "reporter": story.reporter,
        "organisation_id": org_id, "unit_id": story.unit.id, "category": story.category, "impact": story.impact,
        "urgency": story.urgency, "priority": state["priority"], "priority_override": priority_set is not None,
        "patient_safety": story.patient_safety, "deviation_id": story.deviation, "resolver_group": state["group"],
        "assignee": state["assignee"], "status": state["status"], "known_issue_id": state["known_issue"],
        "created_at": story.created, "updated_at": max(e["at"] for e in events if e["actor"] != SWEEP),
        "claimed_at": claimed if state["assignee"] else None, "responded_at": responded, "resolved_at": resolved,
        "closed_at": closed, "response_due": due.response_due, "resolution_due": due.resolution_due,
        "next_due": due.resolution_due if touched else due.response_due,
        "response_risk_at": due.response_at_risk, "resolution_risk_at": due.resolution_at_risk,
        "next_risk_at": due.resolution_at_risk if touched else due.response_at_risk,
        **flags, "waiting_on": state["waiting_on"], "version": 1 + len({e["at"] for e in events if e["at"] > story.created}),
        "external_id": None, "merged_into_id": None,
    }
    wait_rows = [{"ticket_id": story.id, "on": on, "reason": r, "started_at": a, "ended_at": b} for on, r, a, b in waits]
    return row, events, wait_rows
