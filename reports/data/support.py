"""Support: the plan organisation's tickets as of `at`, in grouped SQL only (never a loop over tickets).

"Open at `at`" is the wallboard's past moment (`support.wallboard._moment`):
created by `at`, not merged, not resolved or closed by then; the deadline it
faced is its response due time until its first response, its resolution due
time after. The moment is read from the tickets' timestamps, so the same
database and `at` give the same figures whatever the clock says now.

SLA compliance counts the targets that had fallen due, or been met, by `at`:
a response is met when the first response came by `at` and by its due time;
it is missed when its due time passed by `at` without that. Resolution alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from rollout.models import Plan
from reports.model import (
    AgingBucket, CategoryCount, DayCount, KnownIssueRow, OpenTicketRow, PriorityCount, SlaCompliance, Support,
    UnitCount,
)

NEVER = datetime(9999, 1, 1, tzinfo=UTC)
SERIES_DAYS = 14  # days in the opened/resolved series, ending on the as-of day
TOP_UNITS = 5
TOP_ISSUES = 5
TOP_P1 = 10  # open P1 tickets named in the report
SLA_TARGET = 0.9  # compliance below this makes the report amber (reports.rag)
AGING = (("lt_4h", timedelta(hours=4)), ("4h_1d", timedelta(days=1)), ("1d_3d", timedelta(days=3)),
         ("3d_7d", timedelta(days=7)), ("ge_7d", None))


def series_days(plan: Plan, at: datetime) -> list[date]:
    """The local days of the series: from cutover day (at most 14 days back) to the as-of day; a week before cutover."""
    from rollout.clock import to_local

    last = to_local(at, plan.timezone).date()
    first = max(last - timedelta(days=SERIES_DAYS - 1), to_local(plan.cutover_start, plan.timezone).date())
    if first > last:
        first = last - timedelta(days=6)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def support_section(session: Session, plan: Plan, at: datetime) -> Support:
    """Two grouped scans of the organisation's tickets by `at` (the open ones per category; all of them per unit and
    known issue) and index range counts per day: SQL aggregates, summed over at most a few thousand groups."""
    from rollout.clock import local_midnight, zone
    from rollout.models import Unit
    from support.config import PRIORITIES
    from support.models import KnownIssue, Ticket
    from support.wallboard import _moment

    m = _moment(at, live=False)
    created = [Ticket.organisation_id == plan.organisation_id, Ticket.created_at <= at, Ticket.status != "merged"]
    # open at `at`: not resolved and not closed by then (a missing time reads as "never")
    still_open = and_(func.coalesce(Ticket.resolved_at, NEVER) > at, func.coalesce(Ticket.closed_at, NEVER) > at)

    days = series_days(plan, at)
    tz = zone(plan.timezone)
    edges = [local_midnight(d, tz) for d in days] + [local_midnight(days[-1] + timedelta(days=1), tz)]
    ages = [at - limit for _name, limit in AGING if limit is not None]  # created after this: younger than the limit

    count = func.count
    # Scan 1, the open tickets (what was created by `at`, still open then), per category: open, past the
    # deadline each faced, per priority, per age bucket. A dozen rows; the totals are their sums.
    younger = [None, *ages]  # bucket i: created after ages[i] (younger than its limit) and not after younger[i]
    open_counts = {
        "open": count(), "breached": count().filter(m.due <= at),
        **{f"open_{p}": count().filter(Ticket.priority == p) for p in PRIORITIES},
        **{f"age_{i}": count().filter(*([Ticket.created_at > ages[i]] if i < len(ages) else []),
                                      *([Ticket.created_at <= younger[i]] if younger[i] is not None else []))
           for i in range(len(AGING))},
    }
    n = {k: 0 for k in open_counts}
    open_by_category: list[tuple[str, int]] = []
    for row in session.execute(select(Ticket.category, *(c.label(k) for k, c in open_counts.items()))
                               .where(*created, still_open).group_by(Ticket.category)):
        values = row._mapping
        open_by_category.append((values["category"], int(values["open"])))
        for k in open_counts:
            n[k] += int(values[k] or 0)
    categories = sorted(open_by_category, key=lambda ck: (-ck[1], ck[0]))

    # Scan 2, every ticket created by `at`, per unit and known issue: how many, how many still open, and how
    # their response and resolution targets stood then. `+ 0` keeps SQLite off the unit_id and known_issue_id
    # indexes (a million random reads to save a sort); at most units × known issues rows, summed here.
    r_met, r_due = _target(Ticket.responded_at, Ticket.response_due, at)
    s_met, s_due = _target(Ticket.resolved_at, Ticket.resolution_due, at)
    unit_key, issue_key = (Ticket.unit_id + 0).label("unit_id"), (Ticket.known_issue_id + 0).label("issue_id")
    totals = {"opened": count(), "still_open": count().filter(still_open), "r_met": r_met, "r_due": r_due,
              "s_met": s_met, "s_due": s_due}
    n.update({k: 0 for k in totals})
    per_unit: dict[int | None, list[int]] = {}
    per_issue: dict[int, int] = {}
    for row in session.execute(select(unit_key, issue_key, *(c.label(k) for k, c in totals.items()))
                               .where(*created).group_by(unit_key, issue_key)):
        values = row._mapping
        for k in totals:
            n[k] += int(values[k] or 0)
        pair = per_unit.setdefault(values["unit_id"], [0, 0])
        pair[0] += int(values["opened"])
        pair[1] += int(values["still_open"])
        if values["issue_id"] is not None:
            per_issue[values["issue_id"]] = per_issue.get(values["issue_id"], 0) + int(values["opened"])
    names = {uid: (key, name) for uid, key, name in session.execute(
        select(Unit.id, Unit.key, Unit.name).where(Unit.id.in_([u for u in per_unit if u is not None])))}  # type: ignore[union-attr]
    units = sorted(((*names.get(u, (None, None)), t, o) for u, (t, o) in per_unit.items()),
                   key=lambda r: (-r[2], r[0] is None, r[0] or ""))[:TOP_UNITS]
    known = session.execute(select(KnownIssue.id, KnownIssue.title, KnownIssue.resolved_at, KnownIssue.workaround)
                            .where(KnownIssue.id.in_(list(per_issue)), KnownIssue.created_at <= at)).all()  # type: ignore[union-attr]
    issues = sorted(((i, t, r, w, per_issue[i]) for i, t, r, w in known), key=lambda x: (-x[4], x[0]))[:TOP_ISSUES]

    # per local day: counts of index ranges (ix_ticket_report on creation, ix_ticket_org_resolved on resolution);
    # one upper bound per range, or SQLite may take `<= at` as the range's end and scan to it every day
    org, kept = Ticket.organisation_id == plan.organisation_id, Ticket.status != "merged"

    def in_day(column: Any, i: int) -> list[Any]:
        return [column >= edges[i], column < edges[i + 1]] if edges[i + 1] <= at else [column >= edges[i], column <= at]

    def day_count(column: Any, i: int) -> int:
        if edges[i] > at:
            return 0
        return int(session.execute(select(count()).select_from(Ticket).where(org, kept, *in_day(column, i))).scalar_one())

    opened = [day_count(Ticket.created_at, i) for i in range(len(days))]
    resolved = [day_count(Ticket.resolved_at, i) for i in range(len(days))]

    # The gate's own reading of "open P1 at `at`" (shared with the gate evaluation of this report: no second query).
    from support.criteria import open_p1_at

    p1 = open_p1_at(session, organisation_id=plan.organisation_id, at=at)[:TOP_P1]
    rm, rd, sm, sd = n["r_met"], n["r_due"], n["s_met"], n["s_due"]
    return Support(
        since=days[0], opened_total=n["opened"], open_total=n["open"], open_p1=n["open_P1"], breached_open=n["breached"],
        days=tuple(DayCount(date=d, opened=int(opened[i]), resolved=int(resolved[i])) for i, d in enumerate(days)),
        backlog=tuple(PriorityCount(p, n[f"open_{p}"]) for p in PRIORITIES),
        by_category=tuple(CategoryCount(c, int(k)) for c, k in categories),
        sla=SlaCompliance(target=SLA_TARGET, response=round(rm / rd, 4) if rd else None, response_met=rm, response_due=rd,
                          resolution=round(sm / sd, 4) if sd else None, resolution_met=sm, resolution_due=sd),
        aging=tuple(AgingBucket(name, n[f"age_{i}"]) for i, (name, _limit) in enumerate(AGING)),
        top_units=tuple(UnitCount(unit=k, unit_name=nm, tickets=int(c), open=int(o)) for k, nm, c, o in units),
        known_issues=tuple(KnownIssueRow(id=i, title=t, status="resolved" if r is not None and r <= at else "open",
                                         tickets=int(c), workaround=w or "") for i, t, r, w, c in issues),
        open_p1_tickets=tuple(OpenTicketRow(id=r.id, category=r.category, title=r.title, created_at=r.created_at,
                                            age_minutes=int((at - r.created_at).total_seconds() // 60)) for r in p1),
    )


def _target(done: Any, due: Any, at: datetime) -> tuple[Any, Any]:
    """(met, fell due) counts: met when done by `at` and by its due time; fell due when met or due by `at`.

    Written with as few comparisons per ticket as the same sets allow (each one costs a pass's worth of time on a
    million tickets): a missing `done` compares as unknown, which FILTER does not count, so `done <= at` holds
    only for a target done by `at`; and "met, or due by `at`" is "done by `at`, or due by `at`", since a target
    done by `at` after its due time was due before `at` (`due` is never missing).
    """
    return func.count().filter(and_(done <= at, done <= due)), func.count().filter(or_(done <= at, due <= at))
