"""What `runbook show` and `runbook critical-path` report: per task times, lateness, slack; RAG per stream.

Lateness is about now: a task not started after its planned start, or running
(or projected) past its planned end, or finished after it. Only open tasks
(pending, running, blocked) count as late for the RAG:
- red: a critical task late or blocked;
- amber: any task late (or blocked);
- green otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from rollout.models import Plan
from rollout.runbooks.schedule import BLOCKED, DONE, SKIPPED, Projection, project
from rollout.runbooks.store import LIVE, Runbook, TaskRow, dt, open_runbook, ts

OPEN = ("pending", "running", "blocked")


@dataclass
class TaskView:
    """One task as of the evaluation time; instants are made on demand (5,000 tasks × 8 instants add up)."""

    row: TaskRow
    status: str  # as of the evaluation time
    actual_start: datetime | None
    actual_end: datetime | None
    slack_minutes: int
    critical: bool
    affects_go_live: bool
    late_minutes: int  # how late it is now (0 when on time)
    delay_minutes: int  # projected end minus planned end
    _i: int
    _runbook: Runbook
    _projection: Projection

    @property
    def key(self) -> str:
        return self.row.key

    @property
    def late(self) -> bool:
        return self.late_minutes > 0 and self.status in OPEN

    @property
    def planned_start(self) -> datetime:
        return dt(self._runbook.planned_start[self._i])

    @property
    def planned_end(self) -> datetime:
        return dt(self._runbook.planned_end[self._i])

    @property
    def earliest_start(self) -> datetime:
        return dt(self._projection.es[self._i])

    @property
    def earliest_finish(self) -> datetime:
        return dt(self._projection.ef[self._i])

    @property
    def latest_start(self) -> datetime:
        return dt(self._projection.ls[self._i])

    @property
    def latest_finish(self) -> datetime:
        return dt(self._projection.lf[self._i])


@dataclass
class StreamView:
    name: str
    rag: str
    tasks: int
    done: int
    running: int
    blocked: int
    late: int


@dataclass
class RunbookView:
    runbook: Runbook
    tasks: list[TaskView]
    streams: list[StreamView]
    planned_go_live: datetime
    projected_go_live: datetime
    critical_path: list[str]

    @property
    def go_live_delta_minutes(self) -> int:
        return (ts(self.projected_go_live) - ts(self.planned_go_live)) // 60

    @property
    def plan(self) -> Plan:
        return self.runbook.plan


def go_live_times(runbook: Runbook, projection: Projection) -> tuple[datetime, datetime]:
    """(planned, projected) go-live: the go-live milestone's, or the run's anchor moved by the finish's delay."""
    gl = runbook.graph.go_live
    if gl is not None:
        return dt(runbook.planned_end[gl]), dt(projection.ef[gl])
    anchor = runbook.run.go_live
    planned_finish = max(runbook.planned_end) if runbook.planned_end else ts(anchor)
    delay = max(0, projection.finish - planned_finish)
    return anchor, dt(ts(anchor) + delay)


def task_views(runbook: Runbook, projection: Projection) -> list[TaskView]:
    now = ts(runbook.as_of)
    views = []
    for i, row in enumerate(runbook.rows):
        status, start, end = runbook.states[i]
        p_start, p_end = runbook.planned_start[i], runbook.planned_end[i]
        if status == SKIPPED:
            late = 0
        elif status == DONE:
            late = max(0, projection.ef[i] - p_end)
        elif start is not None:  # running or blocked after starting
            late = max(0, projection.ef[i] - p_end)
        else:
            late = max(0, now - p_start)
        views.append(
            TaskView(
                row=row,
                status=status,
                actual_start=start,
                actual_end=end,
                slack_minutes=(projection.ls[i] - projection.es[i]) // 60,
                critical=projection.critical(i),
                affects_go_live=projection.feeds[i],
                late_minutes=late // 60,
                delay_minutes=(projection.ef[i] - p_end) // 60 if status != SKIPPED else 0,
                _i=i,
                _runbook=runbook,
                _projection=projection,
            )
        )
    return views


def stream_views(tasks: list[TaskView]) -> list[StreamView]:
    streams: dict[str, StreamView] = {}
    red: set[str] = set()
    amber: set[str] = set()
    for t in tasks:
        name = t.row.stream or "—"
        s = streams.setdefault(name, StreamView(name, "green", 0, 0, 0, 0, 0))
        s.tasks += 1
        s.done += t.status in (DONE, SKIPPED)
        s.running += t.status == "running"
        s.blocked += t.status == BLOCKED
        s.late += t.late
        if t.critical and (t.late or t.status == BLOCKED):
            red.add(name)
        elif t.late or t.status == BLOCKED:
            amber.add(name)
    for name, s in streams.items():
        s.rag = "red" if name in red else "amber" if name in amber else "green"
    return list(streams.values())


def analyse(runbook: Runbook) -> RunbookView:
    projection = project(runbook.graph, now=ts(runbook.as_of))
    tasks = task_views(runbook, projection)
    planned_gl, projected_gl = go_live_times(runbook, projection)
    path = sorted((i for i in range(len(tasks)) if tasks[i].critical), key=lambda i: (projection.es[i], projection.ef[i], i))
    return RunbookView(
        runbook=runbook,
        tasks=tasks,
        streams=stream_views(tasks),
        planned_go_live=planned_gl,
        projected_go_live=projected_gl,
        critical_path=[tasks[i].key for i in path],
    )


def runbook_view(session: Session, *, plan: Plan, at: datetime, run: str = LIVE) -> RunbookView:
    return analyse(open_runbook(session, plan=plan, at=at, run=run))
