"""Run history: what is due, claiming a run, and reading the history back.

Misfires: a job's `last_fire_at` is the latest scheduled instant handled.
When the scheduler looks (at start, on every sync and at each wake-up) it
takes the *latest* fire time since then: within the job's grace it runs
once (so after downtime a job catches up at most once); later than that it
is recorded as `missed` and the job waits for its next fire time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from rollout.clock import OSLO, iso
from rollout.scheduler.models import JobRun, ScheduledJob
from rollout.scheduler.triggers import TriggerError, load_trigger

MISSED = "missed"


@dataclass
class RunView:
    id: int
    job: str
    kind: str
    scheduled_for: datetime
    manual: bool
    started_at: datetime
    ended_at: datetime | None
    outcome: str | None
    items: int
    notified: int
    summary: str
    error: str | None
    failures: list[dict[str, Any]] = field(default_factory=list)
    attempt: int = 1

    @classmethod
    def of(cls, run: JobRun) -> RunView:
        return cls(id=run.id or 0, job=run.job, kind=run.kind, scheduled_for=run.scheduled_for, manual=run.manual,
                   started_at=run.started_at, ended_at=run.ended_at, outcome=run.outcome, items=run.items,
                   notified=run.notified, summary=run.summary, error=run.error, failures=list(run.failures or []),
                   attempt=run.attempt)

    @property
    def failed(self) -> bool:
        return self.outcome in ("failed", "partial", MISSED) or (self.ended_at is None and self.outcome is None)

    def as_json(self) -> dict[str, Any]:
        duration = None if self.ended_at is None else round((self.ended_at - self.started_at).total_seconds() / 60, 2)
        return {
            "id": self.id, "job": self.job, "kind": self.kind, "scheduled_for": iso(self.scheduled_for, OSLO),
            "manual": self.manual, "started_at": iso(self.started_at, OSLO), "ended_at": iso(self.ended_at, OSLO),
            "duration_minutes": duration, "outcome": self.outcome or "running", "items": self.items,
            "notified": self.notified, "summary": self.summary, "error": self.error, "failures": self.failures,
            "attempt": self.attempt,
        }


def history(session: Session, *, job: str | None = None, failed: bool = False, limit: int = 50) -> list[RunView]:
    """Newest first; `failed`: runs that failed, partly failed, were missed or never finished."""
    if job is not None and session.exec(select(JobRun.id).where(JobRun.job == job).limit(1)).first() is None:
        from rollout.scheduler.definitions import get_job

        get_job(session, job)  # a job with no runs yet is fine; an unknown name is refused (did you mean …)
    stmt = select(JobRun)
    if job is not None:
        stmt = stmt.where(JobRun.job == job)
    if failed:
        stmt = stmt.where((JobRun.outcome.in_(("failed", "partial", MISSED))) | (JobRun.ended_at.is_(None)))  # type: ignore[union-attr,attr-defined]
    stmt = stmt.order_by(JobRun.started_at.desc(), JobRun.id.desc())  # type: ignore[union-attr,attr-defined]
    if limit:
        stmt = stmt.limit(limit)
    return [RunView.of(r) for r in session.exec(stmt)]


def _alive(pid: int | None) -> bool:
    if pid is None or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def interrupted_runs(session: Session) -> list[JobRun]:
    """Runs that started and never ended, whose process (on this host) is gone: killed, or the power went."""
    open_runs = session.exec(select(JobRun).where(JobRun.ended_at.is_(None)).order_by(JobRun.id))  # type: ignore[union-attr]
    return [run for run in open_runs if not _alive(run.pid)]


def claim_due(session: Session, *, now: datetime, only: str | None = None) -> list[JobRun]:
    """Claim every due run (one per job at most) in the caller's transaction; missed fires are recorded as such."""
    stmt = select(ScheduledJob).where(ScheduledJob.paused == False).order_by(ScheduledJob.name)  # noqa: E712
    if only is not None:
        stmt = stmt.where(ScheduledJob.name == only)
    claimed = []
    for job in session.exec(stmt):
        try:
            latest = load_trigger(job.trigger).last_at_or_before(now, since=job.last_fire_at or job.created_at)
        except TriggerError:
            continue
        if latest is None:
            continue
        job.last_fire_at = latest
        session.add(job)
        late = now - latest
        run = JobRun(job=job.name, kind=job.kind, scheduled_for=latest, started_at=now, pid=os.getpid())
        if late > timedelta(minutes=job.grace_minutes):
            run.ended_at, run.outcome, run.pid = now, MISSED, None
            run.summary = (f"missed: due {iso(latest, OSLO)}, {int(late.total_seconds() // 60)} min ago, "
                           f"past its grace of {job.grace_minutes} min")
        session.add(run)
        session.flush()
        if run.outcome is None:
            claimed.append(run)
    return claimed


def start_manual(session: Session, *, job: ScheduledJob, now: datetime) -> JobRun:
    run = JobRun(job=job.name, kind=job.kind, scheduled_for=now, manual=True, started_at=now, pid=os.getpid())
    session.add(run)
    session.flush()
    return run


def release(session: Session, run_ids: list[int]) -> int:
    """Give back claims that never started (a clean stop): the claim is deleted and its job's last fire moved back
    just before it, so the next start claims the same fire again (within its grace) as attempt 1. Runs taken over
    from a crash (attempt 2 or more) stay open, so the next start goes on with them under their id."""
    released = 0
    for run in session.exec(select(JobRun).where(JobRun.id.in_(run_ids), JobRun.ended_at.is_(None),  # type: ignore[union-attr]
                                                 JobRun.attempt == 1, JobRun.manual == False)):  # noqa: E712
        job = session.exec(select(ScheduledJob).where(ScheduledJob.name == run.job)).first()
        if job is not None and job.last_fire_at is not None and job.last_fire_at <= run.scheduled_for:
            job.last_fire_at = run.scheduled_for - timedelta(microseconds=1)
            session.add(job)
        session.delete(run)
        released += 1
    session.flush()
    return released


def restart(session: Session, run: JobRun, *, now: datetime) -> JobRun:
    """Take over an interrupted run: same id (so the same outbox keys), next attempt."""
    run.attempt += 1
    run.started_at = now
    run.pid = os.getpid()
    session.add(run)
    session.flush()
    return run
