"""Status changes during the weekend: start, done, skip, block, with the checks a project lead relies on.

- A task starts (or is done) only when all its predecessors are done or
  skipped, unless forced with a note saying why; the override is audited.
- A gate task of the live run is done only after a decision was recorded for
  it (`golive gate decide PLAN TASK`), and not after a no-go. Skipping a gate
  task needs force with a note.
- Re-running a change that is already in place changes nothing, except that
  a new note (say, on a task that is still blocked) is kept and audited.
- A blocked task that is then done or skipped keeps its `blocked_at`, so a view
  as of a moment before it finished still shows it blocked (`store.status_as_of`).
  Starting a blocked task again clears it: the view before the restart then
  shows the task running (one state row keeps one block, not a history), and
  the task's note is the latest one, not the note as of `--at`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from rollout.audit import record
from rollout.clock import iso
from rollout.errors import GoliveError
from rollout.formats import when
from rollout.models import GateDecision, Plan
from rollout.runbooks.models import RunbookTaskState
from rollout.runbooks.schedule import BLOCKED, DONE, FINISHED, RUNNING, SKIPPED
from rollout.runbooks.store import LIVE, find_task, get_run, read_tasks

ACTIONS = ("start", "done", "skip", "block")
# How a refusal reads: "cannot start before …", "cannot be done before …".
_CANNOT = {"start": "cannot start", "done": "cannot be done", "skip": "cannot be skipped", "block": "cannot be blocked"}


class NeedsForce(GoliveError):
    """A refusal that forcing the change, with a note saying why, would override."""


@dataclass
class StatusChange:
    plan: str
    run: str
    task: str
    title: str
    action: str
    old_status: str
    new_status: str
    at: datetime
    changed: bool
    forced: bool = False
    note: str | None = None
    unmet: list[str] = field(default_factory=list)
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    timezone: str = "Europe/Oslo"

    @property
    def note_only(self) -> bool:
        """Only a new note was recorded; the status stayed."""
        return self.changed and self.old_status == self.new_status

    def as_json(self) -> dict[str, Any]:
        tz = self.timezone
        return {
            "plan": self.plan, "run": self.run, "task": self.task, "action": self.action, "changed": self.changed,
            "old_status": self.old_status, "status": self.new_status, "at": iso(self.at, tz),
            "actual_start": iso(self.actual_start, tz), "actual_end": iso(self.actual_end, tz),
            "forced": self.forced, "unmet_predecessors": self.unmet, "note": self.note,
        }


def latest_decision(session: Session, *, plan_id: int, gate_key: str) -> GateDecision | None:
    stmt = (
        select(GateDecision)
        .where(GateDecision.plan_id == plan_id, GateDecision.gate_key == gate_key)
        .order_by(GateDecision.decided_at.desc(), GateDecision.id.desc())  # type: ignore[attr-defined,union-attr]
    )
    return session.execute(stmt).scalars().first()


def change_status(
    session: Session,
    *,
    plan: Plan,
    task: str,
    action: str,
    at: datetime,
    actor: str,
    note: str | None = None,
    force: bool = False,
    run: str = LIVE,
) -> StatusChange:
    if action not in ACTIONS:
        raise GoliveError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    if force and not (note and note.strip()):
        raise GoliveError("forcing a status change needs a note saying why (it is audited)")
    run_row = get_run(session, plan, run)
    rows = read_tasks(session, run_row)
    i = find_task(rows, task, plan)
    row = rows[i]
    by_key = {r.key: r for r in rows}
    old = row.status
    change = StatusChange(plan.key, run, task, row.title, action, old, old, at, changed=False, note=note, timezone=plan.timezone)
    state = session.get(RunbookTaskState, row.state_id)
    assert state is not None

    def nothing() -> StatusChange:
        change.actual_start, change.actual_end = row.actual_start, row.actual_end
        if note and note.strip() and note != (state.note or ""):
            _record_note(session, state=state, change=change, actor=actor)
        return change

    def refuse(message: str, error: type[GoliveError] = GoliveError) -> GoliveError:
        return error(f"task {task!r} ({old}): {message}")

    def check_predecessors() -> None:
        # A predecessor counts as finished only if it finished by `at` (times may be entered afterwards).
        unmet = [
            p for p in row.after
            if p in by_key and (
                by_key[p].status not in FINISHED or by_key[p].actual_end is None or by_key[p].actual_end > at
            )
        ]
        if unmet and not force:
            later = [
                f"{p} ({by_key[p].status} at {when(by_key[p].actual_end, plan.timezone)})"
                for p in unmet if by_key[p].status in FINISHED and by_key[p].actual_end is not None
            ]
            moment = f" at {when(at, plan.timezone)}" if later else ""
            raise refuse(
                f"{_CANNOT[action]}{moment} before {', '.join(unmet)} {'is' if len(unmet) == 1 else 'are'} done or skipped"
                + (f" (finished later: {', '.join(later)})" if later else ""),
                NeedsForce,
            )
        change.unmet = unmet
        change.forced = bool(unmet)

    if action == "start":
        if old == RUNNING:
            return nothing()
        if old in FINISHED:
            raise refuse("is already finished")
        check_predecessors()
        state.status = RUNNING
        if state.actual_start is None:
            state.actual_start = at
        state.blocked_at = None
    elif action == "done":
        if old == DONE:
            return nothing()
        if old == SKIPPED:
            raise refuse("was skipped; it cannot be done as well")
        if row.actual_start is None:
            check_predecessors()
        if row.gate and run == LIVE:
            decision = latest_decision(session, plan_id=plan.id, gate_key=task)  # type: ignore[arg-type]
            if decision is None:
                raise refuse(f"is a gate and needs a recorded decision first: golive gate decide {plan.key} {task}")
            if decision.decision != "go":
                raise refuse(f"is a gate and the latest decision ({when(decision.decided_at, plan.timezone)}) is {decision.decision}")
        if row.actual_start is not None and at < row.actual_start:
            raise refuse(f"cannot be done at {when(at, plan.timezone)}, before it started ({when(row.actual_start, plan.timezone)})")
        state.status = DONE
        if state.actual_start is None and row.milestone is not None:
            state.actual_start = at  # a milestone takes no time
        state.actual_end = at
        if old != BLOCKED:  # done straight from blocked: the block lasted until `at`, and views as of earlier still show it
            state.blocked_at = None
    elif action == "skip":
        if old == SKIPPED:
            return nothing()
        if old == DONE:
            raise refuse("is already done")
        if row.gate and run == LIVE and not force:
            raise refuse("is a gate; skipping it needs force with a note", NeedsForce)
        change.forced = bool(row.gate and force)
        state.status = SKIPPED
        state.actual_end = at
        if old != BLOCKED:  # as for done: the block stands in views as of before `at`
            state.blocked_at = None
    else:  # block
        if old == BLOCKED:
            return nothing()
        if old in FINISHED:
            raise refuse("is already finished")
        state.status = BLOCKED
        state.blocked_at = at
    if note:
        state.note = note
    state.forced = state.forced or change.forced
    state.changed_at = at
    state.changed_by = actor
    change.new_status = state.status
    change.changed = True
    change.actual_start, change.actual_end = state.actual_start, state.actual_end
    session.add(state)
    record(
        session,
        actor=actor,
        action=action,
        entity="runbook_task",
        entity_key=f"{plan.key}/{task}" if run == LIVE else f"{plan.key}/{run}/{task}",
        changes={
            "status": [old, state.status],
            "at": at,
            "note": note,
            "forced": change.forced,
            "unmet_predecessors": change.unmet,
        },
    )
    return change



def _record_note(session: Session, *, state: RunbookTaskState, change: StatusChange, actor: str) -> None:
    """A new note on a change already in place (a task still blocked, and why now): kept and audited."""
    old_note = state.note or None
    state.note = change.note or ""
    state.changed_at = change.at
    state.changed_by = actor
    session.add(state)
    change.changed = True
    record(
        session,
        actor=actor,
        action=change.action,
        entity="runbook_task",
        entity_key=f"{change.plan}/{change.task}" if change.run == LIVE else f"{change.plan}/{change.run}/{change.task}",
        changes={"status": [change.old_status, change.new_status], "at": change.at, "note": [old_note, change.note]},
    )
