"""The `runbook-reminders` job: tasks starting within `lead` (default 1 h), or overdue, remind their owner.

Read from the runbook view (the same projection `runbook status` shows),
never recomputed. Each reminder is keyed by the task and its start (or its
planned end, for overdue), not by the run, so a task is reminded once per
start however often the job runs; a task moved to a new start is reminded again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rollout.clock import iso
from rollout.formats import when

EVENT = "runbook-reminder"
DEFAULT_LEAD = timedelta(hours=1)


def _body(task: Any, tz: str, plan_key: str, *, overdue: bool) -> str:
    head = (f"Task {task.key} is overdue: it should have {'ended' if task.status == 'running' else 'started'} by now."
            if overdue else f"Task {task.key} starts at {when(task.earliest_start, tz)}.")
    return "\n".join([
        head,
        f"Title: {task.row.title}",
        f"Stream: {task.stream}",
        f"Planned: {when(task.planned_start, tz)} → {when(task.planned_end, tz)}",
        f"Status: {task.status}",
        "",
        f"golive runbook status {plan_key}",
    ])


def runbook_reminders_job(ctx: Any) -> Any:
    """run(ctx) for the `runbook-reminders` kind (see rollout.scheduler.contract)."""
    from rollout.outbox.recipients import addresses, recipients_for
    from rollout.plans import get_plan
    from rollout.runbooks.view import runbook_view

    plan = get_plan(ctx.session, ctx.params["plan"])
    lead = ctx.params.get("lead") or DEFAULT_LEAD
    view = runbook_view(ctx.session, plan=plan, at=ctx.now)
    tz = plan.timezone
    rule = recipients_for(ctx.session, event=EVENT, plan=plan.key, default_to_owner=True)
    outcome = ctx.outcome
    soon = overdue = 0
    for task in view.tasks:
        late = task.late
        starting = task.status == "pending" and ctx.now <= task.earliest_start <= ctx.now + lead
        owner = task.row.owner
        if not (late or starting) or (not owner and not rule.to):
            continue  # a task without an owner (a milestone) reminds nobody unless the rule names people
        with ctx.item(f"task {task.key}"):
            to = list(rule.to) + (addresses(ctx.session, [owner]) if rule.to_owner and owner else [])
            if not to:
                raise LookupError(f"nobody to remind: owner {owner!r} has no contacts")
            anchor = task.planned_end if late else task.earliest_start
            subject = (f"Overdue: {task.key} ({plan.key})" if late
                       else f"Starts {when(task.earliest_start, tz)}: {task.key} ({plan.key})")
            ctx.notify(event=EVENT, recipients=to, subject=subject, body=_body(task, tz, plan.key, overdue=late),
                       key=f"{'overdue' if late else 'start'}:{plan.key}/{task.key}@{iso(anchor)}", per_run=False)
            overdue += late
            soon += not late
    outcome.summary = (f"{plan.key}: {soon} task(s) starting within {int(lead.total_seconds() // 60)} min, "
                       f"{overdue} overdue; {outcome.notified} new reminder(s)")
    return outcome
