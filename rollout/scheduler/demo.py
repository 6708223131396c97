"""The demo's part of the scheduler: Trondheim's default jobs, registered (never run) as of the story's start."""

from __future__ import annotations

from sqlmodel import Session

from rollout.clock import parse_instant
from rollout.seams import DemoSection, DemoStep, TimeText

PLAN = "trondheim-2022"
REGISTERED_AT = "2022-04-30T06:00"  # the T-7d gate's morning: every fire after it counts as the story goes on
SHOWN_AT = "2022-05-06T14:00"  # the runbook's Friday afternoon
RUN_AT = "2022-05-06T14:07"  # the README's `scheduler run --once`: on the story's clock, never the real one
# (name, kind, cron, every, params); kinds that are not installed (report without reports) are left out
JOBS = (
    ("sla-sweep", "sla-sweep", None, "5m", []),
    ("runbook-reminders", "runbook-reminders", None, "5m", [f"plan={PLAN}", "lead=1h"]),
    ("roster-check", "roster-check", "0 14 * * *", None, [f"plan={PLAN}", "hours=72"]),
    ("morning-report", "report", "0 7 * * *", None, [f"plan={PLAN}", "folder=reports", "keep=14"]),
)


def build_jobs(session: Session, *, actor: str) -> dict[str, int]:
    from rollout.registry import job_kinds
    from rollout.scheduler.definitions import add_job

    kinds = job_kinds()
    at = parse_instant(REGISTERED_AT, "Europe/Oslo")
    added = 0
    for name, kind, cron, every, params in JOBS:
        if kind in kinds:
            add_job(session, name=name, kind=kind, cron=cron, every=every, params=params, grace=None, actor=actor, now=at)
            added += 1
    return {"jobs": added}


def summarise_jobs(session: Session, *, when: TimeText, built: dict[str, dict[str, int]]) -> DemoSection:
    from rollout.scheduler.definitions import list_jobs

    at = parse_instant(SHOWN_AT, "Europe/Oslo")
    lines = [f"  {v.name:<18} {v.trigger:<16} next {when(v.next_run, 'Europe/Oslo')}" for v in list_jobs(session, now=at)]
    return DemoSection(
        title=f"Scheduled jobs (registered, not run; next runs as of {when(at, 'Europe/Oslo')}):",
        lines=lines,
        next_commands=[f"GOLIVE_NOW={SHOWN_AT}+02:00 golive scheduler list", f"GOLIVE_NOW={RUN_AT}+02:00 golive scheduler run --once"],
    )


JOBS_STEP = DemoStep(name="jobs", build=build_jobs, summarise=summarise_jobs)
