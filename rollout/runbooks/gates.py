"""The runbook's part in go/no-go: the `runbook_due_done` and `golive_p80_by` criteria and the runbook's gate tasks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, not_, select
from sqlmodel import Session

from rollout.clock import iso
from rollout.criteria import GateContext, Measurement
from rollout.formats import when
from rollout.runbooks.models import RunbookRun, RunbookTask, RunbookTaskState
from rollout.runbooks.store import LIVE


def gate_task_keys(session: Session, plan_id: int) -> list[str]:
    """Keys of the plan's runbook gate tasks, in runbook order (`gate decide` accepts them as gate keys)."""
    stmt = (
        select(RunbookTask.key)
        .where(RunbookTask.plan_id == plan_id, RunbookTask.gate.is_(True))  # type: ignore[attr-defined]
        .order_by(RunbookTask.position, RunbookTask.id)
    )
    return list(session.execute(stmt).scalars())


def due_cutoff(ctx: GateContext) -> datetime:
    """The instant a gate's runbook work must be finished by: its due time, else (a gate checked when asked) `--at`."""
    due = ctx.gate.due_at if ctx.gate is not None else None
    return due if due is not None else ctx.at


def measure_runbook_due_done(session: Session, ctx: GateContext, threshold: Any) -> Measurement:
    """Every live-run task planned to end at or before the gate's due time is done or skipped, as of `--at`.

    `runbook slip` judges a gate against the same set of tasks (planned end at
    or before the gate's due time), so the two agree on what a gate waits for.
    """
    m = Measurement(criterion="runbook_due_done", threshold=threshold)
    if not threshold:
        m.passed = True
        m.summary = "runbook not checked"
        return m
    run_id = session.execute(
        select(RunbookRun.id).where(RunbookRun.plan_id == ctx.plan.id, RunbookRun.name == LIVE)
    ).scalar_one_or_none()
    if run_id is None:
        m.summary = "no runbook loaded (golive runbook load)"
        return m
    cutoff = due_cutoff(ctx)
    t = RunbookTask.__table__.c  # type: ignore[attr-defined]
    s = RunbookTaskState.__table__.c  # type: ignore[attr-defined]
    finished = and_(s.status.in_(("done", "skipped")), s.actual_end.is_not(None), s.actual_end <= ctx.at)
    base = (
        select(t.key, t.title, t.planned_end, s.status, s.actual_end, s.actual_start, s.blocked_at)
        .join(RunbookTaskState.__table__, s.task_id == t.id)  # type: ignore[attr-defined]
        .where(s.run_id == run_id, t.planned_end <= cutoff)
    )
    due = session.execute(base.with_only_columns(t.id).order_by(None)).all()
    open_rows = session.execute(base.where(not_(finished)).order_by(t.planned_end, t.position)).all()
    tz = ctx.plan.timezone
    m.value = len(open_rows)
    m.passed = not open_rows
    m.details = {"due": len(due), "done": len(due) - len(open_rows)}
    m.offenders = [f"{key} ({title}), due {when(planned_end, tz)}, {_state(status, actual_end, start, blocked, ctx.at, tz)}"
                   for key, title, planned_end, status, actual_end, start, blocked in open_rows]
    by = f"by {when(cutoff, tz)}"
    if not due:
        m.summary = f"no runbook task due {by}"
    elif m.passed:
        m.summary = f"all {len(due)} runbook tasks due {by} are done"
    else:
        m.summary = f"{len(open_rows)} of {len(due)} runbook tasks due {by} are not done"
    return m


def _state(status: str, actual_end: datetime | None, start: datetime | None, blocked: datetime | None, at: datetime,
           tz: str) -> str:
    """How an unfinished task stood at `at`: its status then (as `store.status_as_of`), and when it was finished later."""
    if status in ("done", "skipped") and actual_end is not None:
        then = "blocked" if blocked is not None and blocked <= at else "running" if start is not None and start <= at else "pending"
        return f"{then}, not done yet ({status} {when(actual_end, tz)})"
    return status


MEASURE_SEED = 20220507  # fixed, so the same database and --at give the same verdict


def measure_golive_p80_by(session: Session, ctx: GateContext, threshold: Any) -> Measurement:
    """P80 of the simulated live go-live (`runbook simulate`, fixed seed, as of `--at`) is no later than go-live + the offset."""
    from rollout.clock import zone
    from rollout.errors import GoliveError
    from rollout.offsets import parse_offset
    from rollout.runbooks.simulate_view import simulate

    m = Measurement(criterion="golive_p80_by", threshold=threshold)
    run_id = session.execute(
        select(RunbookRun.id).where(RunbookRun.plan_id == ctx.plan.id, RunbookRun.name == LIVE)
    ).scalar_one_or_none()
    if run_id is None:
        m.summary = "no runbook loaded (golive runbook load)"
        return m
    try:
        result = simulate(session, plan=ctx.plan, at=ctx.at, seed=MEASURE_SEED)
    except GoliveError as e:
        m.summary = f"not simulated: {e}"
        return m
    tz = ctx.plan.timezone
    limit = parse_offset(str(threshold)).apply(result.planned_go_live, zone(tz))
    m.value = iso(result.p80, tz)
    m.passed = result.p80 <= limit
    m.details = {
        "p50": iso(result.p50, tz), "p80": iso(result.p80, tz), "p95": iso(result.p95, tz), "limit": iso(limit, tz),
        "probability_on_time": result.probability_on_time, "runs": result.runs, "seed": result.seed,
        "rehearsals": result.model.rehearsals,
    }
    source = f"from {', '.join(result.model.rehearsals)}" if result.model.has_data else "no rehearsal data"
    verdict = "no later than" if m.passed else "after"
    m.summary = f"simulated P80 go-live {when(result.p80, tz)} is {verdict} {when(limit, tz)} ({threshold}; {source})"
    if not m.passed:
        m.offenders = [f"{t.key} ({t.title}), on the critical path in {round(t.criticality * 100)} % of runs" for t in result.most_critical(5)]
    return m
