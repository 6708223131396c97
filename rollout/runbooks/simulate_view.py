"""`runbook simulate`: go-live percentiles, gate odds and criticality from the rehearsals, as a typed view.

Nothing is written. The library entry is `simulate(session, plan=…, at=…)`;
the duration model is in `simulate_model`, the vectorised schedule in
`simulate` (numpy is imported only when a simulation runs).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.clock import iso
from rollout.errors import GoliveError
from rollout.formats import thousands
from rollout.models import Gate, Plan
from rollout.runbooks.schedule import FINISHED, project
from rollout.runbooks.simulate_model import PLANNED, DurationModel, build_model, rehearsal_rows
from rollout.runbooks.store import LIVE, Runbook, dt, open_runbook, ts
from rollout.runbooks.view import go_live_times

DEFAULT_RUNS = 10_000
MAX_RUNS = 1_000_000
PERCENTILES = (1, 5, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 95, 99)
BIN = 15 * 60  # seconds per histogram bin
DEFAULT_DELAY = timedelta(hours=1)


@dataclass
class GateOdds:
    key: str
    kind: str  # "runbook" (a gate task: its predecessors done by its time) | "plan" (its due runbook tasks done)
    due: datetime
    probability: float
    waiting_on: list[str]

    def as_json(self, tz: str) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "due": iso(self.due, tz), "probability": self.probability, "waiting_on": self.waiting_on}


@dataclass
class TaskOdds:
    key: str
    title: str
    stream: str
    status: str
    duration_minutes: int
    criticality: float  # share of runs in which it is on the critical path
    source: str  # where its durations come from: task | stream | planned | actual (already finished)
    ratios: int  # the size of the pool drawn from
    observed: int  # its own rehearsal observations
    delay_p80_minutes: int | None  # how far P80 moves if it takes `delay` longer (None: not followed)
    delay_mean_minutes: float  # how far the go-live moves on average if it takes `delay` longer

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title, "stream": self.stream, "status": self.status, "duration_minutes": self.duration_minutes,
            "criticality": self.criticality,
            "source": self.source, "ratios": self.ratios, "observed": self.observed,
            "delay_p80_minutes": self.delay_p80_minutes, "delay_mean_minutes": self.delay_mean_minutes,
        }


@dataclass
class SimulationResult:
    runbook: Runbook
    model: DurationModel
    runs: int
    seed: int
    delay_minutes: int
    planned_go_live: datetime
    projected_go_live: datetime
    percentiles: dict[int, datetime]
    probability_on_time: float
    earliest: datetime
    latest: datetime
    histogram: list[tuple[datetime, int]]  # (bin start, runs) per 15-minute bin, empty bins included
    gates: list[GateOdds] = field(default_factory=list)
    tasks: list[TaskOdds] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def p50(self) -> datetime:
        return self.percentiles[50]

    @property
    def p80(self) -> datetime:
        return self.percentiles[80]

    @property
    def p95(self) -> datetime:
        return self.percentiles[95]

    def actionable(self) -> list[TaskOdds]:
        """Work still to do that takes time: what the rankings name (finished tasks and milestones are left out)."""
        return [t for t in self.tasks if t.status not in FINISHED and t.duration_minutes > 0]

    def most_critical(self, n: int = 10) -> list[TaskOdds]:
        ranked = [t for t in self.actionable() if t.criticality > 0]
        return sorted(ranked, key=lambda t: -t.criticality)[:n]  # stable: runbook order among equals

    def moves_p80(self, n: int = 5) -> list[TaskOdds]:
        moved = [t for t in self.actionable() if t.delay_p80_minutes]
        return sorted(moved, key=lambda t: (-(t.delay_p80_minutes or 0), -t.delay_mean_minutes, -t.criticality))[:n]

    def as_json(self) -> dict[str, Any]:
        """`runbook simulate --json`."""
        tz = self.runbook.tz
        return {
            "plan": self.runbook.plan.key, "run": self.runbook.run.name, "as_of": iso(self.runbook.as_of, tz),
            "runs": self.runs, "seed": self.seed, "rehearsals": self.model.rehearsals,
            "rehearsal_data": self.model.has_data,
            "planned_go_live": iso(self.planned_go_live, tz), "projected_go_live": iso(self.projected_go_live, tz),
            "p50": iso(self.p50, tz), "p80": iso(self.p80, tz), "p95": iso(self.p95, tz),
            "probability_on_time": self.probability_on_time,
            "gates": [g.as_json(tz) for g in self.gates],
            "distribution": {
                "earliest": iso(self.earliest, tz), "latest": iso(self.latest, tz),
                "percentiles": [{"p": p, "at": iso(at, tz)} for p, at in self.percentiles.items()],
                "bin_minutes": BIN // 60,
                "histogram": [{"start": iso(s, tz), "end": iso(s + timedelta(seconds=BIN), tz), "count": c} for s, c in self.histogram],
            },
            "delay_minutes": self.delay_minutes,
            "most_critical": [t.key for t in self.most_critical()],
            "moves_p80": [{"key": t.key, "delay_p80_minutes": t.delay_p80_minutes} for t in self.moves_p80()],
            "tasks": [t.as_json() for t in self.tasks],
            "messages": self.messages,
        }


def check_runs(runs: int) -> int:
    if isinstance(runs, bool) or not isinstance(runs, int) or not 1 <= runs <= MAX_RUNS:
        raise GoliveError(f"--runs must be between 1 and {thousands(MAX_RUNS)}, not {runs}")
    return runs


def new_seed() -> int:
    """A seed to print, so a run can be repeated with --seed."""
    return secrets.randbelow(1_000_000)


def simulate(
    session: Session, *, plan: Plan, at: datetime, run: str = LIVE, runs: int = DEFAULT_RUNS, seed: int | None = None,
    rehearsals: list[str] | None = None, delay: timedelta = DEFAULT_DELAY,
) -> SimulationResult:
    """Simulate the go-live `runs` times from the rehearsals' durations, as of `at`; writes nothing."""
    check_runs(runs)
    if seed is not None and (isinstance(seed, bool) or seed < 0):
        raise GoliveError(f"--seed must be a whole number 0 or more, not {seed}")
    if delay <= timedelta(0):
        raise GoliveError("--delay must be longer than zero")
    runbook = open_runbook(session, plan=plan, at=at, run=run)
    names, rows, unfinished = rehearsal_rows(session, plan=plan, names=rehearsals, simulated=run)
    model = build_model(runbook.rows, names, rows, unfinished)
    plan_gates: list[tuple[str, datetime]] = []
    if run == LIVE:
        plan_gates = [
            (key, due)
            for key, due, criteria in session.execute(select(Gate.key, Gate.due_at, Gate.criteria).where(Gate.plan_id == plan.id).order_by(Gate.due_at, Gate.key))
            if due is not None and (criteria or {}).get("runbook_due_done")
        ]
    return simulate_runbook(runbook, model, runs=runs, seed=new_seed() if seed is None else seed, delay=delay, plan_gates=plan_gates)


def _gate_checks(runbook: Runbook, plan_gates: list[tuple[str, datetime]]) -> list[tuple[str, str, int, list[int]]]:
    """(key, kind, due, open tasks it waits for) of every gate still ahead, as `slip` judges them."""
    now = ts(runbook.as_of)
    states = runbook.states
    nodes = runbook.graph.nodes
    out = []
    for j, r in enumerate(runbook.rows):
        if not r.gate or states[j][0] in FINISHED or not nodes[j].preds:
            continue
        due = nodes[j].not_before if nodes[j].not_before is not None else runbook.planned_start[j]
        out.append((r.key, "runbook", due, [p for p in nodes[j].preds if states[p][0] not in FINISHED]))
    for key, due_at in plan_gates:
        due = ts(due_at)
        if due < now:
            continue
        tasks = [j for j in range(len(runbook.rows)) if runbook.planned_end[j] <= due and states[j][0] not in FINISHED]
        out.append((key, "plan", due, tasks))
    return out


def simulate_runbook(
    runbook: Runbook, model: DurationModel, *, runs: int, seed: int, delay: timedelta = DEFAULT_DELAY,
    plan_gates: list[tuple[str, datetime]] = (),  # type: ignore[assignment]
) -> SimulationResult:
    import numpy as np

    from rollout.runbooks.simulate import Check, percentile, simulate_graph

    check_runs(runs)
    now = ts(runbook.as_of)
    graph = runbook.graph
    deterministic = project(graph, now=now)
    planned_gl, projected_gl = go_live_times(runbook, deterministic)
    gate_specs = _gate_checks(runbook, plan_gates)
    checks = [Check(due=due, tasks=tasks) for _, _, due, tasks in gate_specs]
    delay_s = int(delay.total_seconds())
    outcome = simulate_graph(graph, now=now, pools=[t.ratios for t in model.tasks], runs=runs, seed=seed, delay=delay_s, checks=checks)
    finish = outcome.finish
    if graph.go_live is None:  # the run's anchor moved by the finish's delay, as the projection does
        planned_finish = max(runbook.planned_end) if runbook.planned_end else ts(runbook.run.go_live)
        finish = ts(runbook.run.go_live) + np.maximum(0, finish - planned_finish)
    ordered = np.sort(finish)
    pct = {p: dt(percentile(ordered, p)) for p in PERCENTILES}
    bins = ordered // BIN
    first, last = int(bins[0]), int(bins[-1])
    counts = np.bincount((bins - first).astype(np.int64), minlength=last - first + 1)
    histogram = [(dt((first + k) * BIN), int(v)) for k, v in enumerate(counts)]
    result = SimulationResult(
        runbook=runbook, model=model, runs=runs, seed=seed, delay_minutes=delay_s // 60,
        planned_go_live=planned_gl, projected_go_live=projected_gl, percentiles=pct,
        probability_on_time=round(int(np.count_nonzero(finish <= ts(planned_gl))) / runs, 4),
        earliest=dt(int(ordered[0])), latest=dt(int(ordered[-1])), histogram=histogram,
    )
    for (key, kind, due, tasks), ready in zip(gate_specs, outcome.ready):
        late = due <= now and tasks  # open work at a due time already reached is late, as `slip` says
        share = 0.0 if late else round(ready / runs, 4)
        result.gates.append(GateOdds(key, kind, dt(due), share, [graph.nodes[t].key for t in tasks]))
    result.gates.sort(key=lambda g: (g.due, g.key))
    for i, r in enumerate(runbook.rows):
        status = runbook.states[i][0]
        m = model.tasks[i]
        moved = outcome.delay_p80.get(i)
        result.tasks.append(TaskOdds(
            key=r.key, title=r.title, stream=r.stream, status=status, duration_minutes=r.duration_minutes, criticality=round(int(outcome.critical[i]) / runs, 4),
            source="actual" if status in FINISHED else m.source, ratios=len(m.ratios), observed=m.observed,
            delay_p80_minutes=(moved // 60 if moved is not None else (0 if outcome.all_followed and status not in FINISHED else None)),
            delay_mean_minutes=round(float(outcome.delay_mean[i]) / 60, 1),
        ))
    if not model.has_data:
        left_out = f" ({', '.join(model.unfinished)} never finished, so it is not used)" if model.unfinished else ""
        result.messages.append(
            f"No rehearsal data found{left_out}: every task keeps its planned duration, so every percentile is the projected go-live."
        )
    else:
        bare = [r.key for r, m in zip(runbook.rows, model.tasks) if m.source == PLANNED and r.duration_minutes > 0]
        if bare:
            result.messages.append(f"{len(bare)} tasks have no rehearsal data for themselves or their stream and keep their planned duration: "
                                   + ", ".join(bare[:5]) + (", …" if len(bare) > 5 else ""))
    return result
