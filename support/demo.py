"""The demo's support queue: about 3 000 Trondheim tickets over the two weeks from go-live, and where it stood on Monday.

Deterministic (`random.Random(SEED)`) and written with bulk inserts. Volume
peaks on the first three days and then decays; access and printing dominate
the first days; five known issues collect many linked tickets (two are fixed
within the fortnight and resolve their open tickets); the first days' queue
breaches SLAs. The summary tells the queue as of Monday 9 May 2022 07:00.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, text
from sqlmodel import Session

from rollout import audit
from rollout.clock import parse_instant
from rollout.models import Organisation, Plan, Unit
from rollout.seams import DemoSection, DemoStep
from rollout.tabular.bulk import bulk_insert
from support.config import support_config
from support.demo_texts import AGENTS, KNOWN_ISSUES
from support.demo_tickets import DAILY, creation_times, link_known_issue, plan_story, settle
from support.due import DueCalculator
from support.events import text_of
from support.models import KnownIssue, Ticket, TicketEvent, TicketWait

SEED = 20220509
PLAN = "trondheim-2022"
TZ = "Europe/Oslo"
AS_OF = "2022-05-09T07:00"  # DESIGN.md: the final reports as of Monday 9 May 2022 07:00
DAY_UNITS_FROM = "2022-05-09T08:00"  # wave 2 (health stations, school health, prison health) goes live on Monday


def build_support_demo(session: Session, *, actor: str) -> dict[str, int]:
    """Write the known issues, tickets, their events and waits for the Trondheim plan; returns row counts."""
    plan = session.execute(select(Plan).where(Plan.key == PLAN)).scalars().one()
    org = session.get(Organisation, plan.organisation_id)
    assert org is not None
    tz = ZoneInfo(plan.timezone)
    go_live = plan.go_live
    end = go_live + timedelta(days=len(DAILY))
    cfg = support_config(session)
    calc = DueCalculator(session, cfg)
    rng = random.Random(SEED)
    units = list(session.execute(select(Unit).where(Unit.organisation_id == org.id).order_by(Unit.id)).scalars())
    round_clock = [u for u in units if u.hours == "24/7"]
    weight = {u.id: u.staff * (3 if u.service == "legevakt" else 1) for u in units}
    day_from = parse_instant(DAY_UNITS_FROM, plan.timezone)

    issues = _known_issues(session, go_live=go_live, end=end)
    next_id = (session.execute(select(func.max(Ticket.id))).scalar_one() or 0) + 1
    stories = []
    for day, created in creation_times(rng, go_live, tz):
        unit = rng.choices(units, [weight[u.id] for u in units])[0]
        if unit.hours != "24/7" and not _day_units_open(created, tz, day_from):
            unit = rng.choices(round_clock, [weight[u.id] for u in round_clock])[0]
        story = plan_story(rng, number=next_id + len(stories), day=day, created=created, unit=unit, org_key=org.key, cfg=cfg)
        for issue, row, found, fixed in issues:
            if (story.category == issue.category and issue.first_day <= day <= issue.last_day
                    and (not issue.units or unit.key in issue.units) and (fixed is None or created < fixed)
                    and rng.random() < issue.share):
                story.title = issue.ticket_title
                link_known_issue(rng, story, issue_id=row.id, found=found, fixed=fixed if fixed and fixed <= end else None,
                                 fixer=AGENTS["helseplattformen"][0], note=issue.note)
                break
        stories.append(story)

    tickets, events, waits = [], [], []
    for story in stories:
        row, story_events, story_waits = settle(story, end=end, calc=calc, org_id=org.id, escalation=cfg.escalation_group)
        tickets.append(row)
        events.extend(story_events)
        waits.extend(story_waits)
    for e in events:
        e["old"], e["new"] = text_of(e["old"]), text_of(e["new"])
    # Tickets and waits have empty instants, which only SQLAlchemy's own executemany binds; events are the bulk.
    session.execute(insert(Ticket.__table__), tickets)  # type: ignore[attr-defined]
    bulk_insert(session, TicketEvent.__table__, events)  # type: ignore[attr-defined]
    if waits:
        session.execute(insert(TicketWait.__table__), waits)  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":  # explicit ids: move the sequence past them
        session.execute(text("SELECT setval(pg_get_serial_sequence('ticket', 'id'), (SELECT max(id) FROM ticket))"))
    counts = {"tickets": len(tickets), "events": len(events), "waits": len(waits), "known_issues": len(issues)}
    audit.record(session, actor=actor, action="import", entity="support demo", entity_key=org.key, changes=counts)
    return counts


def _day_units_open(at: datetime, tz: ZoneInfo, day_from: datetime) -> bool:
    """Day units (weekdays 08-16) report only once wave 2 is live, never on 17 May."""
    local = at.astimezone(tz)
    return at >= day_from and local.weekday() < 5 and (local.month, local.day) != (5, 17) and 8 <= local.hour < 16


def _known_issues(session: Session, *, go_live: datetime, end: datetime) -> list[tuple[Any, KnownIssue, datetime, datetime | None]]:
    """The known issues as registered by the end of the fortnight: (definition, row, registered at, fixed at)."""
    out = []
    for issue in KNOWN_ISSUES:
        found = go_live + timedelta(days=issue.first_day, hours=issue.found_after_hours)
        fixed = go_live + timedelta(days=issue.fixed_day, hours=6) if issue.fixed_day is not None else None
        done = fixed is not None and fixed <= end
        row = KnownIssue(title=issue.title, workaround=issue.workaround, category=issue.category,
                         status="resolved" if done else "open", created_at=found, resolved_at=fixed if done else None,
                         resolution_note=issue.note if done else None)
        session.add(row)
        out.append((issue, row, found, fixed))
    session.flush()
    return out


def summarise_support(session: Session, *, when: Any, built: dict[str, dict[str, int]]) -> DemoSection:
    """Where the queue stood on Monday 9 May 07:00: tickets by then, open per priority, breached, top known issues."""
    from rollout.formats import thousands
    from support.wallboard import wallboard

    at = parse_instant(AS_OF, TZ)
    board = wallboard(session, at=at)
    total = built.get("support", {}).get("tickets", 0)
    reported = session.execute(select(func.count()).select_from(Ticket).where(Ticket.created_at <= at)).scalar_one()
    open_by = ", ".join(f"{p} {n}" for p, n in board.open_by_priority.items())
    lines = [
        f"Support as of {when(at, TZ)}: {thousands(reported)} tickets reported since go-live "
        f"({thousands(total)} over the two weeks), {thousands(board.open_total)} open ({open_by}), "
        f"{thousands(board.breached_total)} past their SLA, {board.patient_safety_open} patient safety",
    ]
    linked = session.execute(
        select(KnownIssue.title, func.count(Ticket.id)).join(Ticket, Ticket.known_issue_id == KnownIssue.id)
        .where(Ticket.created_at <= at).group_by(KnownIssue.id, KnownIssue.title)
        .order_by(func.count(Ticket.id).desc(), KnownIssue.id).limit(3)
    ).all()
    lines += [f"  known issue: {title} ({thousands(n)} linked tickets)" for title, n in linked]
    return DemoSection(title=None, lines=lines, next_commands=[
        f"golive ticket list --breached --at {AS_OF}",
        f"golive ticket watch --once --at {AS_OF}",
    ])


DEMO_STEP = DemoStep(name="support", build=build_support_demo, summarise=summarise_support)
