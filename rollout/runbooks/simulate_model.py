"""The duration model of `runbook simulate`: what the rehearsals say about how long each task takes.

For every task, a pool of ratios actual ÷ planned duration:
- the task's own ratios in the rehearsals used, when it has at least
  `MIN_OWN` (3) of them;
- else the ratios of every task of its stream in those rehearsals (the
  task's own included);
- else none: the task keeps its planned duration.

A ratio comes from a task that is done in a rehearsal with an actual start
and end and a planned duration above zero (milestones take no time; skipped
tasks say nothing about duration). The rehearsals used are the named ones
(`--from-rehearsals`), else every finished rehearsal other than the run being
simulated. A rehearsal is finished when its go-live milestone is done (in a
runbook without one: when every task is done or skipped).

Reading only; standard library and SQLAlchemy (numpy stays in `simulate.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from rollout.errors import GoliveError, NotFound
from rollout.models import Plan
from rollout.runbooks.models import RunbookRun
from rollout.runbooks.playbook import GO_LIVE
from rollout.runbooks.schedule import DONE, FINISHED
from rollout.runbooks.store import LIVE, TaskRow, read_tasks
from rollout.yamlfile import suggest

MIN_OWN = 3  # a task needs this many observed runs of its own, else its stream's ratios are used

TASK, STREAM, PLANNED = "task", "stream", "planned"


@dataclass
class TaskModel:
    """Where one task's durations come from."""

    source: str  # task | stream | planned
    ratios: list[float] = field(default_factory=list)  # the pool drawn from (empty: planned duration)
    observed: int = 0  # the task's own observations


@dataclass
class DurationModel:
    rehearsals: list[str]  # the runs the ratios come from, in name order
    tasks: list[TaskModel]  # one per task of the simulated runbook, in its order
    unfinished: list[str] = field(default_factory=list)  # rehearsals left out by default because they never finished

    @property
    def has_data(self) -> bool:
        return any(t.ratios for t in self.tasks)

    def count(self, source: str) -> int:
        return sum(1 for t in self.tasks if t.source == source)


def finished(rows: list[TaskRow]) -> bool:
    """A rehearsal is finished when its go-live milestone is done (or every task is, without one)."""
    go_live = [r for r in rows if r.milestone == GO_LIVE]
    if go_live:
        return all(r.status in FINISHED and r.actual_end is not None for r in go_live)
    return bool(rows) and all(r.status in FINISHED for r in rows)


def ratio(row: TaskRow) -> float | None:
    """actual ÷ planned duration of a task done in a rehearsal; None when it tells nothing."""
    if row.status != DONE or row.actual_start is None or row.actual_end is None or row.duration_minutes <= 0:
        return None
    return max(0.0, (row.actual_end - row.actual_start).total_seconds()) / (row.duration_minutes * 60)


def rehearsal_rows(session: Session, *, plan: Plan, names: list[str] | None, simulated: str) -> tuple[list[str], list[list[TaskRow]], list[str]]:
    """(names, task rows per rehearsal, unfinished rehearsals left out) for the ratios.

    Named rehearsals must exist and be finished; by default every finished
    rehearsal except the simulated run is used.
    """
    runs = {r.name: r for r in session.execute(select(RunbookRun).where(RunbookRun.plan_id == plan.id)).scalars()}
    rehearsals = sorted(name for name, r in runs.items() if r.kind != LIVE and name != LIVE)
    if names is None:
        chosen, unfinished = [], []
        for name in rehearsals:
            if name == simulated:
                continue
            rows = read_tasks(session, runs[name])
            (chosen if finished(rows) else unfinished).append((name, rows))
        return [n for n, _ in chosen], [rows for _, rows in chosen], [n for n, _ in unfinished]
    out_names: list[str] = []
    out_rows: list[list[TaskRow]] = []
    for name in names:
        if name == LIVE:
            raise GoliveError("'live' is the real cutover, not a rehearsal; name rehearsals such as DR1")
        if name not in runs:
            listed = f"; rehearsals: {', '.join(rehearsals)}" if rehearsals else "; it has no rehearsals (golive runbook rehearse)"
            raise NotFound(f"plan {plan.key!r} has no rehearsal {name!r}{suggest(name, rehearsals)}{listed}")
        if name in out_names:
            continue
        rows = read_tasks(session, runs[name])
        if not finished(rows):
            raise GoliveError(f"rehearsal {name!r} of {plan.key!r} never finished (its go-live is not done), so it has no durations to draw from; leave it out")
        out_names.append(name)
        out_rows.append(rows)
    return out_names, out_rows, []


def build_model(rows: list[TaskRow], rehearsals: list[str], rehearsal_rows_: list[list[TaskRow]], unfinished: list[str] = ()) -> DurationModel:  # type: ignore[assignment]
    """The pool of ratios of every task of the simulated runbook (`rows`), from the rehearsals' rows."""
    own: dict[str, list[float]] = {}
    streams: dict[str, list[float]] = {}
    for run_rows in rehearsal_rows_:  # rehearsals in name order, tasks in runbook order: a stable pool
        for r in run_rows:
            value = ratio(r)
            if value is None:
                continue
            own.setdefault(r.key, []).append(value)
            if r.stream:
                streams.setdefault(r.stream, []).append(value)
    tasks = []
    for r in rows:
        mine = own.get(r.key, [])
        if r.duration_minutes <= 0:
            tasks.append(TaskModel(PLANNED, [], len(mine)))
        elif len(mine) >= MIN_OWN:
            tasks.append(TaskModel(TASK, list(mine), len(mine)))
        elif r.stream and streams.get(r.stream):
            tasks.append(TaskModel(STREAM, list(streams[r.stream]), len(mine)))
        else:
            tasks.append(TaskModel(PLANNED, [], len(mine)))
    return DurationModel(rehearsals=list(rehearsals), tasks=tasks, unfinished=list(unfinished))
