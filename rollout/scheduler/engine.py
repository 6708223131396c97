"""`golive scheduler run`: APScheduler 3 wakes us at each fire time; our tables decide what runs.

Around APScheduler 3's known traps:
- two schedulers on one store run jobs twice: one scheduler per database
  (rollout.scheduler.lock), and APScheduler's store is a MemoryJobStore that
  only mirrors our `scheduled_job` table, re-read every `sync` seconds;
- jobs that cannot be unpickled are deleted silently: nothing is pickled, a
  job is a kind name, a trigger text and JSON parameters in our table;
- the 00:00 Europe/Oslo cron job skipped on 2026-03-30: fire times come from
  rollout.scheduler.triggers through a trigger class of our own.

Claiming a run is a row in `job_run` (unique per job and scheduled instant),
so a wake-up that comes twice, or a sync that finds the same fire, runs once.
Jobs run one at a time on a single worker thread; SIGTERM or Ctrl-C stops
the scheduler after the job in flight.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger

from rollout.clock import OSLO, zone
from rollout.scheduler.runs import RunView
from rollout.scheduler.triggers import Trigger, TriggerError, load_trigger

if TYPE_CHECKING:
    from rollout.database import Database

DEFAULT_SYNC_SECONDS = 30


class TableTrigger(BaseTrigger):
    """An APScheduler trigger whose fire times are ours (DST-correct); nothing about it is ever pickled."""

    def __init__(self, trigger: Trigger) -> None:
        self.trigger = trigger

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        base = max(previous_fire_time, now - timedelta(microseconds=1)) if previous_fire_time else now - timedelta(microseconds=1)
        try:
            return self.trigger.next_after(base).astimezone(zone(OSLO))
        except TriggerError:
            return None

    def __str__(self) -> str:
        return self.trigger.text


class Engine:
    def __init__(self, db: Database, *, sync_seconds: float = DEFAULT_SYNC_SECONDS,
                 report: Callable[[str], None] = lambda line: None) -> None:
        self.db = db
        self.sync_seconds = sync_seconds
        self.report = report
        self.stopping = threading.Event()
        self._work = threading.Lock()
        self._mirrored: dict[str, str] = {}  # APScheduler job id -> trigger text
        self.scheduler = BackgroundScheduler(
            timezone=zone(OSLO), jobstores={"default": MemoryJobStore()}, executors={"default": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    # -- what the worker thread does -----------------------------------
    def tick(self, only: str | None = None) -> list[RunView]:
        """Run what is due and deliver the outbox; nothing once stopping."""
        from rollout.outbox.delivery import deliver_due
        from rollout.scheduler.runner import run_due

        if self.stopping.is_set():
            return []

        def deliver() -> None:
            sent = deliver_due(self.db)
            if sent.attempted:
                self.report(sent.describe())

        def after(run: RunView) -> None:
            self.report(describe_run(run))
            deliver()

        with self._work:
            runs = run_due(self.db, only=only, stop=self.stopping.is_set, after_each=after)
            if not runs:
                deliver()  # retries that have waited out their back-off, and what other commands queued
            return runs

    def sync(self) -> None:
        """Mirror the job table into APScheduler's memory store, then run anything due (catch-up, GOLIVE_NOW)."""
        from sqlmodel import select

        from rollout.scheduler.models import ScheduledJob

        if self.stopping.is_set():
            return
        with self.db.session() as session:
            wanted = {f"job:{j.name}": j.trigger for j in session.exec(select(ScheduledJob).where(ScheduledJob.paused == False))}  # noqa: E712
        for job_id in set(self._mirrored) - set(wanted):
            self.scheduler.remove_job(job_id)
            del self._mirrored[job_id]
        for job_id, text in wanted.items():
            if self._mirrored.get(job_id) == text:
                continue
            try:
                trigger = TableTrigger(load_trigger(text))
            except TriggerError:
                continue
            self.scheduler.add_job(self._guarded, trigger, id=job_id, args=(self.tick,), kwargs={"only": job_id[4:]},
                                   replace_existing=True)
            self._mirrored[job_id] = text
        self.tick()

    def _guarded(self, work: Callable[..., Any], **kwargs: Any) -> None:
        """One line for a failure outside any job (the database went away): the scheduler keeps going."""
        from rollout.scheduler.contract import error_text

        try:
            work(**kwargs)
        except Exception as exc:  # noqa: BLE001 - reported, retried at the next sync
            self.report(f"Error: {error_text(exc)}; trying again at the next sync")

    # -- the main thread -----------------------------------------------
    def serve(self) -> None:
        """Until SIGTERM or Ctrl-C; then stop after the job in flight (queued wake-ups are dropped)."""
        import logging

        # APScheduler's own notices (a wake-up skipped while a job runs) are expected here, not news.
        logging.getLogger("apscheduler").setLevel(logging.CRITICAL)

        def stop(_signum: int, _frame: Any) -> None:
            self.stopping.set()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.scheduler.add_job(self._guarded, "interval", args=(self.sync,), seconds=self.sync_seconds, id="golive-sync",
                                   next_run_time=datetime.now(zone(OSLO)))
            self.scheduler.start()
            while not self.stopping.wait(0.2):
                pass
        finally:
            if self.scheduler.running:
                self.scheduler.shutdown(wait=True)
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def describe_run(run: RunView) -> str:
    from rollout.formats import when

    what = f"{run.outcome}: {run.summary}" if run.summary else (run.outcome or "running")
    error = f"; {run.error}" if run.error and run.error not in what else ""
    failures = f"; {len(run.failures)} item(s) failed" if run.failures else ""
    return f"{when(run.scheduled_for, OSLO)} {run.job} (run {run.id}): {what}{failures}{error}"
