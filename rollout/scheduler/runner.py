"""Running jobs: claim what is due, run each in one transaction, record the outcome.

A job's own writes (tickets escalated, outbox rows) and the end of its run
record commit together. A process killed mid-job leaves the run claimed
but open and none of the job's writes: the next scheduler (or `run --once`)
runs it again under the same run id, so its outbox keys repeat and no
message is sent twice.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rollout.clock import now as clock_now
from rollout.errors import GoliveError, NotFound
from rollout.scheduler.contract import FAILED, JobContext, JobOutcome, error_text
from rollout.scheduler.runs import RunView

if TYPE_CHECKING:
    from rollout.database import Database
    from rollout.scheduler.models import JobRun

SCHEDULER_ACTOR = "scheduler"
# Test-only: a file path; the job's work is done but not committed when the file appears, and the process waits
# (up to 120 s) there, so a test can kill -9 it mid-job. Never set it in production.
HOLD_ENV = "GOLIVE_SCHEDULER_TEST_HOLD"


def _hold_for_test() -> None:
    marker = os.environ.get(HOLD_ENV)
    if not marker:
        return
    Path(marker).write_text(str(os.getpid()))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and Path(marker).exists():
        time.sleep(0.05)


def _notifier(session: object, at: datetime):  # noqa: ANN202
    from rollout.notify import queue_notification

    def notify(*, event: str, recipients: list[str], subject: str, body: str, key: str) -> int:
        return len(queue_notification(session, kind=event, recipients=recipients, subject=subject, body=body,  # type: ignore[arg-type]
                                      at=at, key=key))

    return notify


def execute(db: Database, run_id: int, *, actor: str = SCHEDULER_ACTOR) -> RunView:
    """Run one claimed run to its end: the job and its record in one transaction; a failure is recorded in another."""
    from rollout.registry import job_kinds
    from rollout.scheduler.definitions import typed_params
    from rollout.scheduler.models import JobRun, ScheduledJob
    from rollout.seams import load_path
    from sqlmodel import select

    try:
        with db.session(write=True) as session:
            run = session.get(JobRun, run_id)
            if run is None:
                raise NotFound(f"no job run {run_id}")
            kind = job_kinds().get(run.kind)
            if kind is None:
                raise GoliveError(f"job kind {run.kind!r} is not installed")
            job = session.exec(select(ScheduledJob).where(ScheduledJob.name == run.job)).first()
            stored = dict(job.params) if job is not None else {}
            ctx = JobContext(session=session, now=run.scheduled_for, params=typed_params(kind, stored), job=run.job,
                             run_id=run_id, actor=actor, notifier=_notifier(session, run.scheduled_for),
                             base_dir=str(db.settings.sqlite_path.parent) if db.settings.sqlite_path else os.getcwd())
            result = load_path(kind.run)(ctx)
            outcome = result if isinstance(result, JobOutcome) else ctx.outcome
            if outcome is not ctx.outcome:
                outcome.notified = max(outcome.notified, ctx.outcome.notified)
            _hold_for_test()
            _finish(run, outcome, ended=clock_now())
            session.add(run)
            return RunView.of(run)
    except Exception as exc:  # noqa: BLE001 - a failed job is history, not a crashed scheduler
        return _record_failure(db, run_id, exc)


def _finish(run: JobRun, outcome: JobOutcome, *, ended: datetime) -> None:
    run.ended_at = max(ended, run.started_at)
    run.outcome = outcome.outcome
    run.items = outcome.items
    run.notified = outcome.notified
    run.summary = outcome.summary[:2000]
    run.failures = [f.as_json() for f in outcome.failures]
    run.error = outcome.failures[0].error if outcome.failures and outcome.outcome == FAILED else None


def _record_failure(db: Database, run_id: int, exc: Exception) -> RunView:
    from rollout.scheduler.models import JobRun

    with db.session(write=True) as session:
        run = session.get(JobRun, run_id)
        if run is None:
            raise exc
        run.ended_at = max(clock_now(), run.started_at)
        run.outcome = FAILED
        run.error = error_text(exc)
        session.add(run)
        return RunView.of(run)


def run_due(db: Database, *, now: datetime | None = None, only: str | None = None,
            stop: Callable[[], bool] | None = None, after_each: Callable[[RunView], None] | None = None) -> list[RunView]:
    """Interrupted runs first (same id, next attempt), then everything due; one at a time, in name order.

    `stop`: asked before each run; once it says yes the rest are released (rollout.scheduler.runs.release), so the
    next start runs them as if this one had never claimed them.
    `after_each`: called with each finished run (the scheduler reports it and delivers the outbox).
    """
    from rollout.scheduler.runs import claim_due, interrupted_runs, restart

    at = now or clock_now()
    with db.session(write=True) as session:
        ids = [restart(session, run, now=at).id for run in interrupted_runs(session) if only in (None, run.job)]
        ids += [run.id for run in claim_due(session, now=at, only=only)]
    done = []
    for index, run_id in enumerate(ids):
        if stop is not None and stop():
            from rollout.scheduler.runs import release

            with db.session(write=True) as session:
                release(session, ids[index:])
            break
        done.append(execute(db, run_id))
        if after_each is not None:
            after_each(done[-1])
    return done


def run_now(db: Database, *, name: str, actor: str) -> RunView:
    """`scheduler run-now NAME`: a manual run in this process (paused or not), outside the schedule."""
    from rollout.scheduler.definitions import get_job
    from rollout.scheduler.runs import start_manual

    with db.session(write=True) as session:
        run = start_manual(session, job=get_job(session, name), now=clock_now())
        run_id = run.id
    assert run_id is not None
    return execute(db, run_id, actor=actor)
