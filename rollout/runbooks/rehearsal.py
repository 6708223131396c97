"""Rehearsals (dress rehearsals, DR1, DR2 …): runs of the same runbook with their own statuses and actuals.

`compare` puts planned durations against the actual durations of one or two
runs, per task and per stream, so the team sees which steps the real weekend
should budget more time for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.audit import record
from rollout.clock import iso, now
from rollout.errors import GoliveError
from rollout.formats import when
from rollout.models import Plan
from rollout.rolloutfile import KEY_RE
from rollout.runbooks.load import _add_pending_states
from rollout.runbooks.models import RunbookRun
from rollout.runbooks.schedule import DONE
from rollout.runbooks.store import LIVE, TaskRow, get_run, read_tasks


@dataclass
class RehearsalResult:
    plan: Plan
    run: RunbookRun
    created: bool
    tasks: int

    def as_json(self) -> dict[str, Any]:
        return {"id": self.run.id, "plan": self.plan.key, "name": self.run.name, "go_live": iso(self.run.go_live, self.plan.timezone),
                "tasks": self.tasks, "created": self.created}


def start_rehearsal(session: Session, *, plan: Plan, name: str, actor: str, go_live: datetime | None = None) -> RehearsalResult:
    """Create rehearsal `name` with every task pending; its planned times count from `go_live` (default the plan's)."""
    if name == LIVE:
        raise GoliveError("'live' is the real cutover; give the rehearsal another name, like DR1")
    if not KEY_RE.match(name.lower()) or len(name) > 64:
        raise GoliveError(f"rehearsal name {name!r} must be letters, digits and '-' (like DR1)")
    get_run(session, plan, LIVE)  # a runbook must be loaded first
    existing = session.execute(select(RunbookRun).where(RunbookRun.plan_id == plan.id, RunbookRun.name == name)).scalars().first()
    if existing is not None:
        if go_live is not None and existing.go_live != go_live:
            raise GoliveError(f"rehearsal {name!r} already exists with go-live {when(existing.go_live, plan.timezone)}")
        return RehearsalResult(plan, existing, False, len(read_tasks(session, existing)))
    run = RunbookRun(
        plan_id=plan.id,  # type: ignore[arg-type]
        name=name,
        kind="rehearsal",
        playbook=get_run(session, plan, LIVE).playbook,
        go_live=go_live or plan.go_live,
        created_at=now(),
        created_by=actor,
    )
    session.add(run)
    session.flush()
    _add_pending_states(session, plan_id=plan.id)  # type: ignore[arg-type]
    tasks = len(read_tasks(session, run))
    record(session, actor=actor, action="create", entity="runbook_run", entity_key=f"{plan.key}/{name}", changes={"go_live": run.go_live, "tasks": tasks})
    return RehearsalResult(plan, run, True, tasks)


def actual_minutes(row: TaskRow) -> int | None:
    if row.status != DONE or row.actual_start is None or row.actual_end is None:
        return None
    return int((row.actual_end - row.actual_start).total_seconds() // 60)


@dataclass
class TaskComparison:
    key: str
    title: str
    stream: str
    planned_minutes: int
    actual_minutes: list[int | None]  # one per run compared

    def delta(self, k: int) -> int | None:
        value = self.actual_minutes[k]
        return None if value is None else value - self.planned_minutes

    def as_json(self, runs: list[str]) -> dict[str, Any]:
        return {
            "key": self.key, "stream": self.stream, "planned_minutes": self.planned_minutes,
            "actual_minutes": {name: self.actual_minutes[k] for k, name in enumerate(runs)},
            "delta_minutes": {name: self.delta(k) for k, name in enumerate(runs)},
        }


@dataclass
class StreamComparison:
    stream: str
    tasks: int
    planned_minutes: int
    done: list[int]  # tasks with an actual duration, per run
    planned_done_minutes: list[int]  # planned minutes of those tasks, per run
    actual_minutes: list[int]  # per run

    def delta(self, k: int) -> int:
        return self.actual_minutes[k] - self.planned_done_minutes[k]

    def as_json(self, runs: list[str]) -> dict[str, Any]:
        return {
            "stream": self.stream, "tasks": self.tasks, "planned_minutes": self.planned_minutes,
            "done": {name: self.done[k] for k, name in enumerate(runs)},
            "planned_done_minutes": {name: self.planned_done_minutes[k] for k, name in enumerate(runs)},
            "actual_minutes": {name: self.actual_minutes[k] for k, name in enumerate(runs)},
            "delta_minutes": {name: self.delta(k) for k, name in enumerate(runs)},
        }


@dataclass
class Comparison:
    plan: Plan
    runs: list[str]
    tasks: list[TaskComparison] = field(default_factory=list)
    streams: list[StreamComparison] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """`runbook compare --json`."""
        return {"plan": self.plan.key, "runs": self.runs, "tasks": [t.as_json(self.runs) for t in self.tasks],
                "streams": [s.as_json(self.runs) for s in self.streams]}


def compare_runs(session: Session, *, plan: Plan, runs: list[str]) -> Comparison:
    """Planned against actual durations of one or two runs, per task and per stream."""
    if not 1 <= len(runs) <= 2:
        raise GoliveError(f"a comparison takes one or two runs (like DR1 live), not {len(runs)}")
    per_run = [{r.key: r for r in read_tasks(session, get_run(session, plan, name))} for name in runs]
    base = read_tasks(session, get_run(session, plan, LIVE))
    result = Comparison(plan=plan, runs=list(runs))
    streams: dict[str, StreamComparison] = {}
    for row in base:
        actuals = [actual_minutes(rows[row.key]) if row.key in rows else None for rows in per_run]
        result.tasks.append(TaskComparison(row.key, row.title, row.stream, row.duration_minutes, actuals))
        s = streams.setdefault(
            row.stream or "—",
            StreamComparison(row.stream or "—", 0, 0, [0] * len(runs), [0] * len(runs), [0] * len(runs)),
        )
        s.tasks += 1
        s.planned_minutes += row.duration_minutes
        for k, value in enumerate(actuals):
            if value is not None:
                s.done[k] += 1
                s.planned_done_minutes[k] += row.duration_minutes
                s.actual_minutes[k] += value
    result.streams = list(streams.values())
    return result
