"""Runbook: progress per stream with its RAG, late and blocked tasks, the critical path, projected against planned go-live.

All of it is `rollout.runbooks.view.runbook_view` as of `at` (the same CPM and
stream RAG as `golive runbook show`). A plan with no runbook yet gets an empty
section whose go-live times are the plan's own.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from rollout.models import Plan
from reports.model import PathTask, Runbook, StreamRow, TaskRow

LISTED = 15  # late and blocked tasks listed by name (worst first)


def _task(t) -> TaskRow:  # noqa: ANN001 - a rollout.runbooks.view.TaskView
    return TaskRow(key=t.key, title=t.row.title, stream=t.stream, owner=t.row.owner, status=t.status, planned_end=t.planned_end,
                   projected_end=t.earliest_finish, late=timedelta(minutes=t.late_minutes), critical=t.critical)


def runbook_section(session: Session, plan: Plan, at: datetime) -> Runbook:
    from rollout.errors import NotFound
    from rollout.runbooks.schedule import BLOCKED, DONE, SKIPPED
    from rollout.runbooks.view import runbook_view

    try:
        view = runbook_view(session, plan=plan, at=at)
    except NotFound:
        return Runbook(present=False, done=0, total=0, streams=(), late=(), blocked=(), critical_path=(),
                       planned_go_live=plan.go_live, projected_go_live=plan.go_live, actual_go_live=None,
                       go_live_delay=timedelta(0))
    tasks = view.tasks
    gl = view.runbook.graph.go_live
    actual = tasks[gl].actual_end if gl is not None and tasks[gl].status == DONE else None
    late = sorted((t for t in tasks if t.late), key=lambda t: (not t.critical, -t.late_minutes, t.planned_end, t.key))
    blocked = sorted((t for t in tasks if t.status == BLOCKED), key=lambda t: (not t.critical, t.planned_end, t.key))
    by_key = {t.key: t for t in tasks}
    return Runbook(
        present=True,
        done=sum(1 for t in tasks if t.status in (DONE, SKIPPED)),
        total=len(tasks),
        streams=tuple(StreamRow(stream=s.name, done=s.done, total=s.tasks, running=s.running, late=s.late, blocked=s.blocked,
                                rag=s.rag) for s in view.streams),  # type: ignore[arg-type]
        late=tuple(_task(t) for t in late[:LISTED]),
        blocked=tuple(_task(t) for t in blocked[:LISTED]),
        critical_path=tuple(PathTask(key=k, title=by_key[k].row.title, status=by_key[k].status) for k in view.critical_path
                            if by_key[k].status not in (DONE, SKIPPED))[:LISTED],
        planned_go_live=view.planned_go_live,
        projected_go_live=actual or view.projected_go_live,
        actual_go_live=actual,
        go_live_delay=timedelta(minutes=view.go_live_delta_minutes) if actual is None else actual - view.planned_go_live,
    )
