"""The runbook's part in go/no-go: the `runbook_due_done` criterion and the runbook's gate tasks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, not_, or_, select
from sqlmodel import Session

from rollout.clock import to_local
from rollout.criteria import GateContext, Measurement
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


def measure_runbook_due_done(session: Session, ctx: GateContext, threshold: Any) -> Measurement:
    """Every live-run task planned to end by the gate time is done or skipped (as of that time)."""
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
    t = RunbookTask.__table__.c  # type: ignore[attr-defined]
    s = RunbookTaskState.__table__.c  # type: ignore[attr-defined]
    finished = and_(s.status.in_(("done", "skipped")), s.actual_end.is_not(None), s.actual_end <= ctx.at)
    base = (
        select(t.key, t.title, t.planned_end, s.status)
        .join(RunbookTaskState.__table__, s.task_id == t.id)  # type: ignore[attr-defined]
        .where(s.run_id == run_id, t.planned_end <= ctx.at)
    )
    due = session.execute(base.with_only_columns(t.id).order_by(None)).all()
    open_rows = session.execute(base.where(or_(not_(finished))).order_by(t.planned_end, t.position)).all()
    tz = ctx.plan.timezone
    m.value = len(open_rows)
    m.passed = not open_rows
    m.details = {"due": len(due), "done": len(due) - len(open_rows)}
    m.offenders = [
        f"{key} ({title}), due {to_local(planned_end, tz):%a %d.%m %H:%M}, {status if status != 'done' else 'not done'}"
        for key, title, planned_end, status in open_rows
    ]
    if not due:
        m.summary = "no runbook task due yet"
    elif m.passed:
        m.summary = f"all {len(due)} runbook tasks due are done"
    else:
        m.summary = f"{len(open_rows)} of {len(due)} runbook tasks due are not done"
    return m
