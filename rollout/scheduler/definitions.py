"""Job definitions: add, remove, pause, resume and list, every change checked up front and audited.

The table is the source of truth; a running scheduler re-reads it, so
managing jobs never needs (or starts) a scheduler of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from rollout import audit
from rollout.clock import OSLO, iso
from rollout.errors import GoliveError, NotFound
from rollout.linecheck import KEY_RE
from rollout.names import did_you_mean
from rollout.scheduler.models import JobRun, ScheduledJob
from rollout.scheduler.triggers import Trigger, TriggerError, load_trigger, parse_trigger
from rollout.seams import JobKind, JobParam, load_path

DEFAULT_GRACE = timedelta(minutes=15)
MAX_GRACE = timedelta(days=7)
PARAM_TYPES = ("text", "int", "duration", "list", "plan", "path")


class JobDefinitionError(GoliveError):
    """A job definition the scheduler refuses: unknown kind or parameter, bad value, bad trigger."""


def kinds() -> dict[str, JobKind]:
    from rollout.registry import job_kinds

    return job_kinds()


def job_kind(name: str) -> JobKind:
    known = kinds()
    if name not in known:
        raise JobDefinitionError(f"unknown job kind {name!r}{did_you_mean(name, known)}; kinds: {', '.join(sorted(known))}")
    return known[name]


def _check_value(session: Session, kind: JobKind, param: JobParam, value: str) -> str:
    """The value as it is stored (text), after the type's check and the kind's own validator."""
    what = f"job {kind.name}: --param {param.name}"
    text = value.strip()
    if not text:
        raise JobDefinitionError(f"{what} is empty")
    if param.type == "int":
        if not text.isdigit():
            raise JobDefinitionError(f"{what}={value!r} is not a whole number")
        text = str(int(text))
    elif param.type == "duration":
        from rollout.offsets import OffsetError, parse_duration

        try:
            if parse_duration(text) <= timedelta(0):
                raise OffsetError(f"duration {text!r} must be above zero")
        except OffsetError as exc:
            raise JobDefinitionError(f"{what}: {exc}") from None
    elif param.type == "list":
        items = [part.strip() for part in text.split(",")]
        if not all(items):
            raise JobDefinitionError(f"{what}={value!r} has an empty item (write a,b,c)")
        text = ",".join(items)
    elif param.type == "plan":
        from rollout.models import Plan

        plans = list(session.exec(select(Plan.key)))
        if text not in plans:
            raise JobDefinitionError(f"{what}: no plan {text!r}{did_you_mean(text, plans)}")
    if param.validate:
        try:
            load_path(param.validate)(text)
        except ValueError as exc:
            raise JobDefinitionError(f"{what}={value!r}: {exc}") from None
    return text


def check_params(session: Session, kind: JobKind, pairs: list[str]) -> dict[str, str]:
    """`key=value` pairs for a kind: unknown and missing parameters and bad values are refused with one line."""
    declared = {p.name: p for p in kind.params}
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise JobDefinitionError(f"--param {pair!r} is not key=value")
        if key not in declared:
            takes = f"; it takes {', '.join(declared)}" if declared else "; it takes no parameters"
            raise JobDefinitionError(f"job kind {kind.name!r} has no parameter {key!r}{did_you_mean(key, declared)}{takes}")
        if key in values:
            raise JobDefinitionError(f"--param {key} is given twice")
        values[key] = _check_value(session, kind, declared[key], value)
    missing = [p.name for p in kind.params if p.required and p.name not in values]
    if missing:
        raise JobDefinitionError(f"job kind {kind.name!r} needs --param {missing[0]}=… ({declared[missing[0]].help})")
    return values


def typed_params(kind: JobKind, stored: dict[str, Any]) -> dict[str, Any]:
    """Stored texts as the job reads them: ints, timedeltas, lists; defaults filled in, absent ones None."""
    from rollout.offsets import parse_duration

    typed: dict[str, Any] = {}
    for param in kind.params:
        raw = stored.get(param.name, param.default)
        if raw is None:
            typed[param.name] = None
        elif param.type == "int":
            typed[param.name] = int(raw)
        elif param.type == "duration":
            typed[param.name] = parse_duration(raw)
        elif param.type == "list":
            typed[param.name] = [part for part in str(raw).split(",") if part]
        else:
            typed[param.name] = str(raw)
    return typed


def _grace(text: str | None) -> int:
    if text is None:
        return int(DEFAULT_GRACE.total_seconds() // 60)
    from rollout.offsets import OffsetError, parse_duration

    try:
        grace = parse_duration(text)
    except OffsetError as exc:
        raise JobDefinitionError(f"--grace: {exc}") from None
    if grace > MAX_GRACE:
        raise JobDefinitionError(f"--grace {text!r} is longer than 7 days")
    return int(grace.total_seconds() // 60)


@dataclass
class JobView:
    """A job as `scheduler list` shows it: its definition, its next run as of the clock, its last run."""

    name: str
    kind: str
    trigger: str
    params: dict[str, Any]
    paused: bool
    grace_minutes: int
    next_run: datetime | None
    last_run: datetime | None = None
    last_outcome: str | None = None
    id: int | None = None
    installed: bool = True  # False: the package declaring the kind is not installed, so its runs fail

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "trigger": self.trigger, "params": self.params,
            "paused": self.paused, "grace_minutes": self.grace_minutes, "next_run": iso(self.next_run, OSLO),
            "last_run": iso(self.last_run, OSLO), "last_outcome": self.last_outcome, "installed": self.installed,
        }


def next_run(job: ScheduledJob, now: datetime) -> datetime | None:
    """When the job runs next as of `now`: a fire still within its grace is due now; paused jobs never."""
    if job.paused:
        return None
    trigger = load_trigger(job.trigger)
    anchor = job.last_fire_at or job.created_at
    pending = trigger.last_at_or_before(now, since=anchor)
    if pending is not None and now - pending <= timedelta(minutes=job.grace_minutes):
        return pending
    try:
        return trigger.next_after(now)
    except TriggerError:
        return None


def _view(job: ScheduledJob, now: datetime, last: JobRun | None = None) -> JobView:
    return JobView(name=job.name, kind=job.kind, trigger=job.trigger, params=dict(job.params), paused=job.paused,
                   grace_minutes=job.grace_minutes, next_run=next_run(job, now), id=job.id,
                   last_run=last.started_at if last else None, last_outcome=last.outcome if last else None,
                   installed=job.kind in kinds())


def get_job(session: Session, name: str) -> ScheduledJob:
    job = session.exec(select(ScheduledJob).where(ScheduledJob.name == name)).first()
    if job is None:
        names = list(session.exec(select(ScheduledJob.name)))
        raise NotFound(f"no scheduled job {name!r}{did_you_mean(name, names)}")
    return job


def list_jobs(session: Session, *, now: datetime) -> list[JobView]:
    from sqlalchemy import func

    jobs = list(session.exec(select(ScheduledJob).order_by(ScheduledJob.name)))
    latest = (select(JobRun.job, func.max(JobRun.id).label("id")).group_by(JobRun.job)).subquery()
    last = {r.job: r for r in session.exec(select(JobRun).join(latest, JobRun.id == latest.c.id))}
    return [_view(job, now, last.get(job.name)) for job in jobs]


def add_job(session: Session, *, name: str, kind: str, cron: str | None, every: str | None, params: list[str],
            grace: str | None, actor: str, now: datetime) -> JobView:
    if not KEY_RE.match(name) or len(name) > 64:
        raise JobDefinitionError(f"job name {name!r} must be lower-case letters, digits and dashes (like morning-report)")
    declared = job_kind(kind)
    try:
        trigger: Trigger = parse_trigger(cron=cron, every=every, now=now)
    except TriggerError as exc:
        raise JobDefinitionError(str(exc)) from None
    values = check_params(session, declared, params)
    minutes = _grace(grace)
    if session.exec(select(ScheduledJob.id).where(ScheduledJob.name == name)).first() is not None:
        raise JobDefinitionError(f"a job named {name!r} exists already (scheduler remove {name} first)")
    job = ScheduledJob(name=name, kind=kind, trigger=trigger.text, params=values, grace_minutes=minutes, created_at=now,
                       updated_at=now)
    session.add(job)
    session.flush()
    audit.record(session, actor=actor, action="create", entity="scheduled_job", entity_key=name, at=now,
                 changes={"kind": kind, "trigger": trigger.text, "params": values, "grace_minutes": minutes})
    return _view(job, now)


def remove_job(session: Session, *, name: str, actor: str, now: datetime) -> JobView:
    job = get_job(session, name)
    view = _view(job, now)
    audit.record(session, actor=actor, action="delete", entity="scheduled_job", entity_key=name, at=now,
                 changes={"kind": job.kind, "trigger": job.trigger, "params": job.params})
    session.delete(job)
    session.flush()
    return view


def set_paused(session: Session, *, name: str, paused: bool, actor: str, now: datetime) -> tuple[JobView, bool]:
    """Pause or resume; (the job, whether it changed). Resuming starts afresh: fires missed while paused never run."""
    job = get_job(session, name)
    if job.paused == paused:
        return _view(job, now), False
    job.paused = paused
    job.updated_at = now
    if not paused:
        job.last_fire_at = now
    session.add(job)
    session.flush()
    audit.record(session, actor=actor, action="update", entity="scheduled_job", entity_key=name, at=now,
                 changes={"paused": [not paused, paused]})
    return _view(job, now), True
