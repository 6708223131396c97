"""Support's scheduled jobs, in the scheduler's contract (rollout.scheduler.contract): the SLA sweep."""

from __future__ import annotations

from typing import Any

from rollout.scheduler.contract import ItemFailure, JobContext, JobOutcome


def sla_sweep_job(ctx: JobContext) -> JobOutcome:
    """`sla-sweep`: support.sla:sweep as of the scheduled instant; a failed step is an item failure, the rest goes on."""
    from support.sla import sweep

    result: Any = sweep(ctx.session, now=ctx.now, actor=ctx.actor)
    outcome = ctx.outcome
    outcome.items = result.changed + len(result.failures)
    outcome.failures += [ItemFailure(f"{f.step}" + (f" ticket {f.ticket_id}" if f.ticket_id is not None else ""), f.error)
                         for f in result.failures]
    outcome.notified += result.notifications
    outcome.summary = (f"{result.response_breached + result.resolution_breached} breach(es) marked, {result.escalated} escalated, "
                       f"{result.claims_released} stale claim(s) released, {result.notifications} notification(s)")
    return outcome
