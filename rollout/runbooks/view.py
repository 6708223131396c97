"""What `runbook show` and `runbook critical-path` report: per task times, lateness, slack; RAG per stream.

Lateness is about now: a task not started after its planned start, or running
(or projected) past its planned end, or finished after it. Only open tasks
(pending, running, blocked) count as late for the RAG:
- red: a critical task late or blocked;
- amber: any task late (or blocked);
- green otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from rollout.clock import iso
from rollout.errors import NotFound
from rollout.models import Plan
from rollout.runbooks.schedule import BLOCKED, DONE, SKIPPED, Projection, project
from rollout.runbooks.store import LIVE, Runbook, TaskRow, dt, open_runbook, ts
from rollout.yamlfile import suggest

OPEN = ("pending", "running", "blocked")
NO_STREAM = "—"  # the stream of a task that names none


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

    @property
    def stream(self) -> str:
        return self.row.stream or NO_STREAM

    def as_json(self, tz: str) -> dict[str, Any]:
        """A task as `runbook show --json` lists it."""
        r = self.row
        return {
            "id": r.id, "key": r.key, "title": r.title, "stream": r.stream, "owner": r.owner, "status": self.status,
            "gate": r.gate, "milestone": r.milestone, "at": r.at, "after": r.after, "duration_minutes": r.duration_minutes,
            "planned_start": iso(self.planned_start, tz), "planned_end": iso(self.planned_end, tz),
            "actual_start": iso(self.actual_start, tz), "actual_end": iso(self.actual_end, tz),
            "projected_start": iso(self.earliest_start, tz), "projected_end": iso(self.earliest_finish, tz),
            "late": self.late, "late_minutes": self.late_minutes, "delay_minutes": self.delay_minutes,
            "critical": self.critical, "slack_minutes": self.slack_minutes, "note": r.note or None,
        }

    def schedule_json(self, tz: str) -> dict[str, Any]:
        """A task as `runbook critical-path --json` lists it: its CPM times and slack."""
        return {
            "id": self.row.id, "key": self.key, "status": self.status, "duration_minutes": self.row.duration_minutes,
            "earliest_start": iso(self.earliest_start, tz), "earliest_finish": iso(self.earliest_finish, tz),
            "latest_start": iso(self.latest_start, tz), "latest_finish": iso(self.latest_finish, tz),
            "slack_minutes": self.slack_minutes, "critical": self.critical, "affects_go_live": self.affects_go_live,
        }


@dataclass
class StreamView:
    name: str
    rag: str
    tasks: int
    done: int
    running: int
    blocked: int
    late: int

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "rag": self.rag, "tasks": self.tasks, "done": self.done, "running": self.running,
                "blocked": self.blocked, "late": self.late}


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

    def only(self, *, stream: str | None = None, late: bool = False) -> RunbookView:
        """The same view narrowed to one stream and/or the open tasks that are late (totals stay the runbook's)."""
        tasks, streams = self.tasks, self.streams
        if stream is not None:
            names = [s.name for s in streams]
            if stream not in names:
                raise NotFound(f"no stream {stream!r} in the runbook of {self.plan.key!r}{suggest(stream, names)}; streams: {', '.join(names)}")
            tasks = [t for t in tasks if t.stream == stream]
            streams = [s for s in streams if s.name == stream]
        if late:
            tasks = [t for t in tasks if t.late]
        return replace(self, tasks=tasks, streams=streams)

    def _head(self) -> dict[str, Any]:
        tz = self.plan.timezone
        return {
            "plan": self.plan.key, "run": self.runbook.run.name, "as_of": iso(self.runbook.as_of, tz),
            "planned_go_live": iso(self.planned_go_live, tz), "projected_go_live": iso(self.projected_go_live, tz),
            "go_live_delta_minutes": self.go_live_delta_minutes, "critical_path": self.critical_path,
        }

    def as_json(self) -> dict[str, Any]:
        """`runbook show --json`: per stream RAG and per task times, status and lateness."""
        tz = self.plan.timezone
        return {**self._head(), "streams": [s.as_json() for s in self.streams], "tasks": [t.as_json(tz) for t in self.tasks]}

    def critical_path_json(self) -> dict[str, Any]:
        """`runbook critical-path --json`: every task's CPM times and slack."""
        tz = self.plan.timezone
        return {**self._head(), "tasks": [t.schedule_json(tz) for t in self.tasks]}

    def critical_tasks(self) -> list[TaskView]:
        by_key = {t.key: t for t in self.tasks}
        return [by_key[k] for k in self.critical_path]


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
        name = t.stream
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
