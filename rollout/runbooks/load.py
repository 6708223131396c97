"""`runbook load`: instantiate a playbook's tasks at absolute times from a plan's go-live.

Reloading after the playbook changed keeps the status and actuals of every
task whose key still exists, adds the new ones (pending in every run) and
removes the ones the playbook no longer names. Rows are written in bulk and
the load leaves one audit row with the counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, exists, insert, literal, select, update
from sqlmodel import Session

from rollout.audit import record
from rollout.clock import now, zone
from rollout.errors import GoliveError, InputError
from rollout.models import Organisation, Plan
from rollout.runbooks.models import RunbookRun, RunbookTask, RunbookTaskState
from rollout.runbooks.playbook import GO_LIVE, ROLES, Playbook, read_playbook, resolve_playbook, unknown_owners
from rollout.runbooks.schedule import Node, build_graph, planned
from rollout.runbooks.store import LIVE, dt, ts
from rollout.yamlfile import suggest

_COMPARED = (
    "position", "title", "stream", "owner", "at", "after", "duration_minutes", "milestone", "gate",
    "not_before", "planned_start", "planned_end",
)


@dataclass
class LoadResult:
    plan: str
    playbook: str
    path: str
    tasks: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: int = 0
    reordered: int = 0  # tasks that only moved in the file (written, not reported as updated)
    warnings: list[str] = field(default_factory=list)
    created_run: bool = False
    switched_playbook: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.updated or self.reordered or self.created_run or self.switched_playbook)

    def as_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan, "playbook": self.playbook, "path": self.path, "tasks": self.tasks, "changed": self.changed,
            "added": self.added, "removed": self.removed, "updated": self.updated, "kept": self.kept, "warnings": self.warnings,
        }


class NoPlaybook(GoliveError):
    """The plan names no playbook and none was given."""


def playbook_for(plan: Plan, playbook: str | None = None) -> Playbook:
    """The playbook to load: the one named (a shipped name or a YAML path), else the plan's own; read in full."""
    name = playbook or plan.playbook
    if not name:
        raise NoPlaybook(f"plan {plan.key!r} names no playbook and none was given (a shipped playbook name or a YAML file)")
    return read_playbook(resolve_playbook(name))


def instantiate(playbook: Playbook, plan: Plan) -> list[dict[str, Any]]:
    """The playbook's tasks as rows for this plan: `at` applied to the go-live, then planned by dependencies."""
    tz = zone(plan.timezone)
    index = {t.key: i for i, t in enumerate(playbook.tasks)}
    not_before = [t.offset.apply(plan.go_live, tz) if t.offset is not None else None for t in playbook.tasks]
    nodes = [
        Node(
            key=t.key,
            duration=t.duration_minutes * 60,
            preds=[index[p] for p in t.after],
            not_before=ts(nb) if nb is not None else None,
        )
        for t, nb in zip(playbook.tasks, not_before)
    ]
    go_live = next((i for i, t in enumerate(playbook.tasks) if t.milestone == GO_LIVE), None)
    starts, ends = planned(build_graph(nodes, go_live=go_live))
    return [
        {
            "plan_id": plan.id,
            "position": position,
            "key": t.key,
            "title": t.title,
            "stream": t.stream,
            "owner": t.owner,
            "at": t.at,
            "after": list(t.after),
            "duration_minutes": t.duration_minutes,
            "milestone": t.milestone,
            "gate": t.gate,
            "not_before": not_before[position],
            "planned_start": dt(starts[position]),
            "planned_end": dt(ends[position]),
        }
        for position, t in enumerate(playbook.tasks)
    ]


def load_runbook(session: Session, *, plan: Plan, playbook: Playbook, actor: str, strict: bool = False) -> LoadResult:
    org_keys = set(session.execute(select(Organisation.key)).scalars())
    problems = unknown_owners(playbook, org_keys)
    if problems and strict:
        task, _ = problems[0]
        hint = suggest(task.owner or "", sorted(org_keys | set(ROLES)))
        raise InputError(
            f"task {task.key!r}: unknown owner {task.owner!r}{hint} (neither an organisation key nor a role; strict loading refuses it)",
            path=playbook.path,
            line=task.owner_line,
        )
    result = LoadResult(plan=plan.key, playbook=playbook.name, path=playbook.path, tasks=len(playbook.tasks))
    result.warnings = [message for _, message in problems]
    wanted = instantiate(playbook, plan)
    table = RunbookTask.__table__  # type: ignore[attr-defined]
    existing = {
        row.key: row
        for row in session.execute(select(table).where(table.c.plan_id == plan.id))
    }
    new_rows = [row for row in wanted if row["key"] not in existing]
    changed_rows = []
    changed_keys = []
    result_reordered = 0
    for row in wanted:
        old = existing.get(row["key"])
        if old is None:
            continue
        differs = [name for name in _COMPARED if getattr(old, name) != row[name]]
        if differs:
            changed_rows.append({"id": old.id, **{name: row[name] for name in _COMPARED}})
            if differs != ["position"]:  # a task only moved in the file (one removed above it) is not "updated"
                changed_keys.append(row["key"])
            else:
                result_reordered += 1
    wanted_keys = {row["key"] for row in wanted}
    removed = [key for key in existing if key not in wanted_keys]
    result.added = [row["key"] for row in new_rows]
    result.updated = changed_keys
    result.removed = sorted(removed, key=lambda k: existing[k].position)
    result.kept = len(existing) - len(removed)
    result.reordered = result_reordered

    if removed:
        ids = [existing[k].id for k in removed]
        session.execute(delete(RunbookTaskState).where(RunbookTaskState.task_id.in_(ids)))  # type: ignore[attr-defined]
        session.execute(delete(RunbookTask).where(RunbookTask.id.in_(ids)))  # type: ignore[union-attr]
    if changed_rows:
        session.execute(update(RunbookTask), changed_rows)
    if new_rows:
        session.execute(insert(RunbookTask), new_rows)

    run = session.execute(select(RunbookRun).where(RunbookRun.plan_id == plan.id, RunbookRun.name == LIVE)).scalars().first()
    if run is None:
        run = RunbookRun(plan_id=plan.id, name=LIVE, kind="live", playbook=playbook.name, go_live=plan.go_live, created_at=now(), created_by=actor)  # type: ignore[arg-type]
        session.add(run)
        session.flush()
        result.created_run = True
    else:
        if run.go_live != plan.go_live:
            run.go_live = plan.go_live
        if run.playbook != playbook.name:
            run.playbook = playbook.name
            result.switched_playbook = True
    if new_rows or result.created_run:
        _add_pending_states(session, plan_id=plan.id)  # type: ignore[arg-type]
    if result.changed:
        record(
            session,
            actor=actor,
            action="load",
            entity="runbook",
            entity_key=plan.key,
            changes={
                "playbook": playbook.name,
                "path": playbook.path,
                "tasks": len(wanted),
                "added": result.added,
                "removed": result.removed,
                "updated": result.updated,
            },
        )
    return result


def _add_pending_states(session: Session, *, plan_id: int) -> None:
    """A pending state for every (run, task) pair of the plan that has none: one INSERT … SELECT."""
    t = RunbookTask.__table__.c  # type: ignore[attr-defined]
    r = RunbookRun.__table__.c  # type: ignore[attr-defined]
    s = RunbookTaskState.__table__  # type: ignore[attr-defined]
    pairs = (
        select(r.id, t.id, literal("pending"), literal(""), literal(False))
        .select_from(RunbookRun.__table__.join(RunbookTask.__table__, t.plan_id == r.plan_id))  # type: ignore[attr-defined]
        .where(r.plan_id == plan_id)
        .where(~exists().where(and_(s.c.run_id == r.id, s.c.task_id == t.id)))
    )
    session.execute(insert(s).from_select(["run_id", "task_id", "status", "note", "forced"], pairs))
