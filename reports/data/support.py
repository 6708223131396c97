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

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlmodel import Session

from rollout.models import Plan
from reports.model import (
    AgingBucket, CategoryCount, DayCount, KnownIssueRow, PriorityCount, SlaCompliance, Support, UnitCount,
)

SERIES_DAYS = 14  # days in the opened/resolved series, ending on the as-of day
TOP_UNITS = 5
TOP_ISSUES = 5
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


def _day_index(column: Any, edges: list[datetime]) -> Any:
    """The index of the local day a UTC instant falls in (edges: each day's local midnight, then the end)."""
    return case(*((column < edge, literal(i - 1)) for i, edge in enumerate(edges) if i > 0), else_=literal(len(edges) - 1))


def _per_day(session: Session, column: Any, where: list[Any], edges: list[datetime], at: datetime) -> dict[int, int]:
    idx = _day_index(column, edges).label("day")
    stmt = (select(idx, func.count()).select_from(_ticket())
            .where(*where, column >= edges[0], column <= at).group_by(idx))
    return {int(i): int(n) for i, n in session.execute(stmt)}


def _ticket() -> Any:
    from support.models import Ticket

    return Ticket


def support_section(session: Session, plan: Plan, at: datetime) -> Support:
    from rollout.clock import local_midnight, zone
    from rollout.models import Unit
    from support.config import PRIORITIES
    from support.models import KnownIssue, Ticket
    from support.wallboard import _moment

    m = _moment(at, live=False)
    org = Ticket.organisation_id == plan.organisation_id
    created = [org, Ticket.created_at <= at, Ticket.status != "merged"]
    is_open = [org, m.is_open]

    days = series_days(plan, at)
    tz = zone(plan.timezone)
    edges = [local_midnight(d, tz) for d in days] + [local_midnight(days[-1] + timedelta(days=1), tz)]
    opened = _per_day(session, Ticket.created_at, created, edges, at)
    resolved = _per_day(session, Ticket.resolved_at, [org, Ticket.status != "merged"], edges, at)
    series = tuple(DayCount(date=d, opened=opened.get(i, 0), resolved=resolved.get(i, 0)) for i, d in enumerate(days))

    by_priority = dict(session.execute(select(Ticket.priority, func.count()).where(*is_open).group_by(Ticket.priority)).all())
    backlog = tuple(PriorityCount(p, int(by_priority.get(p, 0))) for p in PRIORITIES)
    backlog += tuple(PriorityCount(p, int(n)) for p, n in sorted(by_priority.items()) if p not in PRIORITIES)
    categories = session.execute(
        select(Ticket.category, func.count().label("n")).where(*is_open).group_by(Ticket.category)
        .order_by(func.count().desc(), Ticket.category)
    ).all()

    totals = session.execute(select(
        func.count().filter(*created),
        func.count().filter(*is_open),
        func.count().filter(*is_open, m.due <= at),
    ).select_from(Ticket).where(org)).one()

    # aging of what is open: the bucket of its age at `at`, from the creation time
    bounds = [(name, at - limit) for name, limit in AGING if limit is not None]
    bucket = case(*((Ticket.created_at > edge, literal(name)) for name, edge in bounds), else_=literal(AGING[-1][0])).label("b")
    ages = dict(session.execute(select(bucket, func.count()).where(*is_open).group_by(bucket)).all())

    sla = _compliance(session, created, at)

    opened_by_unit = func.count()
    open_by_unit = func.count().filter(m.is_open)
    units = session.execute(
        select(Unit.key, Unit.name, opened_by_unit.label("n"), open_by_unit)
        .select_from(Ticket).outerjoin(Unit, Unit.id == Ticket.unit_id).where(*created)
        .group_by(Ticket.unit_id, Unit.key, Unit.name).order_by(opened_by_unit.desc(), Unit.key).limit(TOP_UNITS)
    ).all()

    linked = func.count(Ticket.id)
    issues = session.execute(
        select(KnownIssue.id, KnownIssue.title, KnownIssue.resolved_at, KnownIssue.workaround, linked)
        .join(Ticket, Ticket.known_issue_id == KnownIssue.id)
        .where(*created, KnownIssue.created_at <= at)
        .group_by(KnownIssue.id, KnownIssue.title, KnownIssue.resolved_at, KnownIssue.workaround)
        .order_by(linked.desc(), KnownIssue.id).limit(TOP_ISSUES)
    ).all()

    return Support(
        since=days[0], opened_total=int(totals[0]), open_total=int(totals[1]), open_p1=int(by_priority.get("P1", 0)),
        breached_open=int(totals[2]), days=series, backlog=backlog,
        by_category=tuple(CategoryCount(c, int(n)) for c, n in categories), sla=sla,
        aging=tuple(AgingBucket(name, int(ages.get(name, 0))) for name, _limit in AGING),
        top_units=tuple(UnitCount(unit=k, unit_name=n, tickets=int(c), open=int(o)) for k, n, c, o in units),
        known_issues=tuple(KnownIssueRow(id=i, title=t, status="resolved" if r is not None and r <= at else "open",
                                         tickets=int(n), workaround=w or "") for i, t, r, w, n in issues),
    )


def _compliance(session: Session, created: list[Any], at: datetime) -> SlaCompliance:
    from support.models import Ticket

    def clock(done: Any, due: Any) -> tuple[Any, Any]:
        met = and_(done.is_not(None), done <= at, done <= due)
        return func.count().filter(met), func.count().filter(or_(met, due <= at))

    r_met, r_due = clock(Ticket.responded_at, Ticket.response_due)
    s_met, s_due = clock(Ticket.resolved_at, Ticket.resolution_due)
    rm, rd, sm, sd = (int(v) for v in session.execute(select(r_met, r_due, s_met, s_due).select_from(Ticket).where(*created)).one())
    return SlaCompliance(target=SLA_TARGET, response=round(rm / rd, 4) if rd else None, response_met=rm, response_due=rd,
                         resolution=round(sm / sd, 4) if sd else None, resolution_met=sm, resolution_due=sd)
