"""Reading a plan's runbook from the database: its runs, its tasks with their states, as of an instant.

Rows are read with one Core query (no ORM objects), so a 5,000-task runbook
reads in milliseconds. Statuses are taken *as of* the evaluation time from the
recorded actual times: a task that was done at 15:00 is still running when
looked at as of 14:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import UTC, zone
from rollout.errors import NotFound
from rollout.models import Plan
from rollout.offsets import parse_offset
from rollout.runbooks.models import RunbookRun, RunbookTask, RunbookTaskState
from rollout.runbooks.playbook import GO_LIVE
from rollout.runbooks.schedule import BLOCKED, DONE, PENDING, RUNNING, SKIPPED, Graph, Node, build_graph, planned
from rollout.yamlfile import suggest

LIVE = "live"


def ts(instant: datetime) -> int:
    return int(instant.timestamp())


def dt(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass
class TaskRow:
    id: int
    state_id: int
    key: str
    title: str
    stream: str
    owner: str | None
    position: int
    at: str | None
    after: list[str]
    duration_minutes: int
    milestone: str | None
    gate: bool
    not_before: datetime | None
    planned_start: datetime
    planned_end: datetime
    status: str  # as recorded
    actual_start: datetime | None
    actual_end: datetime | None
    blocked_at: datetime | None
    note: str
    forced: bool


def get_run(session: Session, plan: Plan, name: str = LIVE) -> RunbookRun:
    run = session.execute(select(RunbookRun).where(RunbookRun.plan_id == plan.id, RunbookRun.name == name)).scalars().first()
    if run is None:
        names = list(session.execute(select(RunbookRun.name).where(RunbookRun.plan_id == plan.id)).scalars())
        if name == LIVE or not names:
            raise NotFound(f"plan {plan.key!r} has no runbook yet; run: golive runbook load {plan.key}")
        raise NotFound(f"plan {plan.key!r} has no run {name!r}{suggest(name, names)}; runs: {', '.join(sorted(names))}")
    return run


def read_tasks(session: Session, run: RunbookRun) -> list[TaskRow]:
    t = RunbookTask.__table__.c  # type: ignore[attr-defined]
    s = RunbookTaskState.__table__.c  # type: ignore[attr-defined]
    stmt = (
        select(
            t.id, s.id, t.key, t.title, t.stream, t.owner, t.position, t.at, t.after, t.duration_minutes, t.milestone,
            t.gate, t.not_before, t.planned_start, t.planned_end,
            s.status, s.actual_start, s.actual_end, s.blocked_at, s.note, s.forced,
        )
        .join(RunbookTaskState.__table__, s.task_id == t.id)  # type: ignore[attr-defined]
        .where(s.run_id == run.id)
        .order_by(t.position, t.id)
    )
    return [TaskRow(*row) for row in session.execute(stmt)]


def status_as_of(row: TaskRow, at: datetime) -> tuple[str, datetime | None, datetime | None]:
    """(status, actual start, actual end) as they stood at `at`, from the recorded times."""
    start = row.actual_start if row.actual_start is not None and row.actual_start <= at else None
    end = row.actual_end if row.actual_end is not None and row.actual_end <= at else None
    if row.status == DONE and end is not None:
        return DONE, start, end
    if row.status == SKIPPED and end is not None:
        return SKIPPED, start, end
    # blocked by `at`: still blocked, or blocked until it was done or skipped later (status.change_status keeps blocked_at)
    if row.status in (BLOCKED, DONE, SKIPPED) and row.blocked_at is not None and row.blocked_at <= at:
        return BLOCKED, start, None
    if start is not None:
        return RUNNING, start, None
    return PENDING, None, None


@dataclass
class Runbook:
    """A run's tasks with their as-of states, as a graph ready for the critical path method."""

    plan: Plan
    run: RunbookRun
    rows: list[TaskRow]
    states: list[tuple[str, datetime | None, datetime | None]]
    graph: Graph
    planned_start: list[int]
    planned_end: list[int]
    as_of: datetime

    @property
    def tz(self) -> str:
        return self.plan.timezone


def open_runbook(session: Session, *, plan: Plan, at: datetime, run: str = LIVE) -> Runbook:
    run_row = get_run(session, plan, run)
    rows = read_tasks(session, run_row)
    return runbook_from_rows(plan, run_row, rows, at=at)


def runbook_from_rows(plan: Plan, run: RunbookRun, rows: list[TaskRow], *, at: datetime) -> Runbook:
    index = {r.key: i for i, r in enumerate(rows)}
    rehearsal_anchor = run.go_live != plan.go_live
    tz = zone(plan.timezone)
    nodes = []
    states = []
    go_live = None
    for i, r in enumerate(rows):
        status, start, end = status_as_of(r, at)
        states.append((status, start, end))
        not_before = r.not_before
        if rehearsal_anchor and r.at is not None:
            not_before = parse_offset(r.at).apply(run.go_live, tz)
        if r.milestone == GO_LIVE:
            go_live = i
        nodes.append(
            Node(
                key=r.key,
                duration=r.duration_minutes * 60,
                preds=[index[p] for p in r.after if p in index],
                not_before=ts(not_before) if not_before is not None else None,
                status=status,
                actual_start=ts(start) if start is not None else None,
                actual_end=ts(end) if end is not None else None,
            )
        )
    graph = build_graph(nodes, go_live=go_live)
    if rehearsal_anchor:
        p_start, p_end = planned(graph)
    else:
        p_start = [ts(r.planned_start) for r in rows]
        p_end = [ts(r.planned_end) for r in rows]
    return Runbook(plan=plan, run=run, rows=rows, states=states, graph=graph, planned_start=p_start, planned_end=p_end, as_of=at)


def find_task(rows: list[TaskRow], key: str, plan: Plan) -> int:
    for i, r in enumerate(rows):
        if r.key == key:
            return i
    raise NotFound(f"no task {key!r} in the runbook of plan {plan.key!r}{suggest(key, [r.key for r in rows])}")
