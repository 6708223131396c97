"""Job kinds only the tests register (by monkeypatching the registry): one whose third item always fails."""

from __future__ import annotations

from rollout.scheduler.contract import JobContext, JobOutcome
from rollout.seams import JobKind, JobParam

FLAKY = JobKind("flaky", "tests.rollout.scheduler.jobs_for_tests:flaky_job", "Five items; item 3 fails.",
                params=(JobParam("to", "who is told", required=True),))


def flaky_job(ctx: JobContext) -> JobOutcome:
    for n in range(1, 6):
        with ctx.item(f"item {n}"):
            ctx.notify(event="report", recipients=[ctx.params["to"]], subject=f"item {n}", body="x")
            if n == 3:
                raise RuntimeError("item 3 is broken")
    ctx.outcome.summary = "five items"
    return ctx.outcome
