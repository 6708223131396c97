"""`runbook slip`: what if a task takes longer? The tasks that move, the new go-live, the gates at risk.

Nothing is written. The named task is lengthened by the slip and the whole
runbook is projected again from the same actuals and clock; every task whose
projected end moves is listed with the minutes it moves.

A gate is at risk when its time would be passed before the work it waits for
is finished:
- a runbook gate task: its own time (`at`, else its planned start) is before
  its predecessors' projected end;
- a plan gate still ahead whose criteria include `runbook_due_done`: a task
  planned to end by the gate's time would now end after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import iso, minutes
from rollout.errors import GoliveError
from rollout.models import Gate, Plan
from rollout.runbooks.schedule import FINISHED, Projection, project
from rollout.runbooks.store import LIVE, Runbook, dt, find_task, open_runbook, ts
from rollout.runbooks.view import go_live_times


@dataclass
class Move:
    key: str
    title: str
    stream: str
    old_start: datetime
    new_start: datetime
    old_end: datetime
    new_end: datetime
    delta_minutes: int  # how far its end moves
    start_delta_minutes: int
    critical: bool  # on the critical path after the slip

    def as_json(self, tz: str) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title, "stream": self.stream, "delta_minutes": self.delta_minutes,
            "start_delta_minutes": self.start_delta_minutes, "old_start": iso(self.old_start, tz), "new_start": iso(self.new_start, tz),
            "old_end": iso(self.old_end, tz), "new_end": iso(self.new_end, tz), "critical": self.critical,
        }


@dataclass
class GateRisk:
    key: str
    kind: str  # "runbook" (a gate task) | "plan" (a plan gate)
    due: datetime
    finish: datetime  # when the work it waits for would be finished
    late_minutes: int
    waiting_on: list[str]
    already_at_risk: bool  # at risk before the slip too

    def as_json(self, tz: str) -> dict[str, Any]:
        return {
            "key": self.key, "kind": self.kind, "due": iso(self.due, tz), "finish": iso(self.finish, tz),
            "late_minutes": self.late_minutes, "waiting_on": self.waiting_on, "already_at_risk": self.already_at_risk,
        }


@dataclass
class SlipResult:
    runbook: Runbook
    task: str
    slip_minutes: int
    planned_go_live: datetime
    projected_go_live_before: datetime
    projected_go_live: datetime
    moved: list[Move] = field(default_factory=list)
    gates_at_risk: list[GateRisk] = field(default_factory=list)

    @property
    def go_live_delta_minutes(self) -> int:
        return (ts(self.projected_go_live) - ts(self.projected_go_live_before)) // 60

    def as_json(self) -> dict[str, Any]:
        """`runbook slip --json`."""
        tz = self.runbook.tz
        return {
            "plan": self.runbook.plan.key, "run": self.runbook.run.name, "task": self.task, "slip_minutes": self.slip_minutes,
            "as_of": iso(self.runbook.as_of, tz), "planned_go_live": iso(self.planned_go_live, tz),
            "projected_go_live_before": iso(self.projected_go_live_before, tz), "projected_go_live": iso(self.projected_go_live, tz),
            "go_live_delta_minutes": self.go_live_delta_minutes,
            "moved": [m.as_json(tz) for m in self.moved],
            "gates_at_risk": [g.as_json(tz) for g in self.gates_at_risk],
        }


def slip_runbook(runbook: Runbook, *, task: str, by: timedelta, plan_gates: list[tuple[str, datetime]] = ()) -> SlipResult:  # type: ignore[assignment]
    if by <= timedelta(0):
        raise GoliveError(f"a slip must be longer than zero, not {minutes(by)} min")
    i = find_task(runbook.rows, task, runbook.plan)
    status = runbook.states[i][0]
    if status in FINISHED:
        raise GoliveError(f"task {task!r} is already {status}; only work not finished can slip")
    seconds = int(by.total_seconds())
    now = ts(runbook.as_of)
    before = project(runbook.graph, now=now)
    after = project(runbook.graph, now=now, extra={i: seconds})
    planned_gl, projected_before = go_live_times(runbook, before)
    _, projected_after = go_live_times(runbook, after)
    result = SlipResult(
        runbook=runbook,
        task=task,
        slip_minutes=seconds // 60,
        planned_go_live=planned_gl,
        projected_go_live_before=projected_before,
        projected_go_live=projected_after,
    )
    rows = runbook.rows
    for j in runbook.graph.order:
        if j != i and after.ef[j] == before.ef[j] and after.es[j] == before.es[j]:
            continue
        r = rows[j]
        result.moved.append(
            Move(
                key=r.key,
                title=r.title,
                stream=r.stream,
                old_start=dt(before.es[j]),
                new_start=dt(after.es[j]),
                old_end=dt(before.ef[j]),
                new_end=dt(after.ef[j]),
                delta_minutes=(after.ef[j] - before.ef[j]) // 60,
                start_delta_minutes=(after.es[j] - before.es[j]) // 60,
                critical=after.critical(j),
            )
        )
    result.moved.sort(key=lambda m: (m.new_start, m.new_end, m.key))
    result.gates_at_risk = _gates_at_risk(runbook, before, after, plan_gates)
    return result


def _gates_at_risk(runbook: Runbook, before: Projection, after: Projection, plan_gates: list[tuple[str, datetime]]) -> list[GateRisk]:
    risks: list[GateRisk] = []
    nodes = runbook.graph.nodes
    now = ts(runbook.as_of)
    for j, r in enumerate(runbook.rows):
        if not r.gate or runbook.states[j][0] in FINISHED or not nodes[j].preds:
            continue
        due = nodes[j].not_before if nodes[j].not_before is not None else runbook.planned_start[j]
        finish_after = max(after.ef[p] for p in nodes[j].preds)
        # work still open at a due time already reached is late even when it is projected to end "now"
        open_preds = [p for p in nodes[j].preds if runbook.states[p][0] not in FINISHED]
        waiting = [nodes[p].key for p in nodes[j].preds if after.ef[p] > due or (due <= now and p in open_preds)]
        if not waiting:
            continue
        finish_before = max(before.ef[p] for p in nodes[j].preds)
        risks.append(GateRisk(r.key, "runbook", dt(due), dt(finish_after), (finish_after - due) // 60, waiting, finish_before > due))
    for key, due_at in plan_gates:
        due = ts(due_at)
        if due < now:
            continue
        waiting = []
        finish_after = finish_before = 0
        for j in range(len(runbook.rows)):
            if runbook.planned_end[j] > due or runbook.states[j][0] in FINISHED:
                continue
            if after.ef[j] > due or due <= now:  # open at a due time already reached: late, as gate check says
                waiting.append(runbook.rows[j].key)
                finish_after = max(finish_after, after.ef[j])
            finish_before = max(finish_before, before.ef[j])
        if waiting:
            risks.append(GateRisk(key, "plan", dt(due), dt(finish_after), (finish_after - due) // 60, waiting, finish_before > due))
    risks.sort(key=lambda g: (g.due, g.key))
    return risks


def slip(session: Session, *, plan: Plan, task: str, by: timedelta, at: datetime, run: str = LIVE) -> SlipResult:
    """The what-if for one task slipping `by`, as of `at`; writes nothing."""
    runbook = open_runbook(session, plan=plan, at=at, run=run)
    gates: list[tuple[str, datetime]] = []
    if run == LIVE:
        gates = [
            (key, due)
            for key, due, criteria in session.execute(select(Gate.key, Gate.due_at, Gate.criteria).where(Gate.plan_id == plan.id))
            if due is not None and (criteria or {}).get("runbook_due_done")
        ]
    return slip_runbook(runbook, task=task, by=by, plan_gates=gates)
