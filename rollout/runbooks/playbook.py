"""Playbooks: YAML templates of cutover tasks, read and checked before anything is written.

Every complaint names the file and line: an unknown predecessor, a cycle (with
the keys around it), a duplicate key, a bad offset or duration, a milestone
with a duration, two go-live milestones. Owners are checked later against the
database (`check_owners`), because organisation keys live there.
"""

from __future__ import annotations

import graphlib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from rollout.errors import GoliveError, InputError, NotFound
from rollout.offsets import Offset, parse_duration, parse_offset
from rollout.paths import playbooks_dir
from rollout.linecheck import KEY_RE, LineReader
from rollout.yamlfile import load_yaml, suggest

GO_LIVE = "go-live"
# Owners may be a party's role instead of an organisation key.
ROLES = ("kommune", "sykehus", "fastlegekontor", "helseforetak", "leverandor", "prosjekt", "supportsenter", "superbrukere")
TASK_KEYS = ("key", "title", "stream", "owner", "at", "after", "duration", "milestone", "gate", "description")


@dataclass
class TaskSpec:
    key: str
    title: str
    stream: str
    owner: str | None
    at: str | None
    offset: Offset | None
    after: list[str]
    duration_minutes: int
    milestone: str | None
    gate: bool
    line: int
    owner_line: int
    after_line: int


@dataclass
class Playbook:
    name: str
    description: str
    streams: list[str]
    tasks: list[TaskSpec]
    path: str
    order: list[str] = field(default_factory=list)  # a topological order of the keys

    @property
    def go_live_key(self) -> str | None:
        return next((t.key for t in self.tasks if t.milestone == GO_LIVE), None)


def resolve_playbook(name_or_path: str) -> Path:
    """A path to a playbook file, or the name of a shipped one (`municipality-cutover`)."""
    raw = name_or_path.strip()
    path = Path(raw).expanduser()
    if path.suffix in (".yaml", ".yml") or "/" in raw or path.exists():
        if not path.exists():
            raise InputError("no such file", path=str(path))
        return path
    shipped = playbooks_dir() / f"{raw}.yaml"
    if shipped.exists():
        return shipped
    names = sorted(p.stem for p in playbooks_dir().glob("*.yaml"))
    raise NotFound(f"no playbook {raw!r}{suggest(raw, names)}; shipped: {', '.join(names)}")


def read_playbook(path: Path) -> Playbook:
    """Parse and validate a playbook file; raises InputError naming file and line."""
    document = load_yaml(path)
    r = LineReader(path)
    top = r.mapping(document, "the playbook", 1)
    r.keys(top, "the playbook", required=("name", "tasks"), optional=("description", "streams"))
    name = r.slug(top, "name", "playbook")
    streams = [str(s).strip() for s in r.sequence(top.get("streams"), "streams", r.line_of(top, "streams"))]
    raw_tasks = r.sequence(top.get("tasks"), "tasks", r.line_of(top, "tasks"))
    if not raw_tasks:
        raise r.fail("the playbook has no tasks", r.line_of(top, "tasks"))
    tasks: list[TaskSpec] = []
    seen: dict[str, int] = {}
    go_live_line: int | None = None
    for raw in raw_tasks:
        task = _task(r, raw, streams)
        if task.key in seen:
            raise r.fail(f"task {task.key!r} is declared twice (first on line {seen[task.key]})", task.line)
        seen[task.key] = task.line
        if task.milestone == GO_LIVE:
            if go_live_line is not None:
                raise r.fail(
                    f"task {task.key!r} is a second go-live milestone (the first is on line {go_live_line})", task.line
                )
            go_live_line = task.line
        tasks.append(task)
    by_key = {t.key: t for t in tasks}
    for task in tasks:
        for pred in task.after:
            if pred not in by_key:
                raise r.fail(
                    f"task {task.key!r}: unknown predecessor {pred!r} in 'after'{suggest(pred, list(by_key))}",
                    task.after_line,
                )
            if pred == task.key:
                raise r.fail(f"task {task.key!r} names itself in 'after'", task.after_line)
    sorter = graphlib.TopologicalSorter({t.key: t.after for t in tasks})
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError as exc:
        # graphlib lists the cycle in running order (each key waits for the one before it);
        # start it at the task declared first so the message is the same on every run.
        ring = list(exc.args[1][:-1])
        start = min(range(len(ring)), key=lambda k: by_key[ring[k]].line)
        cycle = ring[start:] + ring[:start] + [ring[start]]
        first = by_key[cycle[0]]
        raise r.fail(
            f"the tasks form a cycle through 'after' (each waits for the one before): {' → '.join(cycle)}", first.line
        ) from None
    return Playbook(
        name=name,
        description=r.text(top, "description", "playbook") or "",
        streams=streams,
        tasks=tasks,
        path=str(path),
        order=order,
    )


def _task(r: LineReader, raw: Any, streams: list[str]) -> TaskSpec:
    node = r.mapping(raw, "a task", getattr(raw, "line", 1))
    r.keys(node, "task", required=("key", "title"), optional=TASK_KEYS)
    key = r.slug(node, "key", "task")
    stream = r.text(node, "stream", "task") or ""
    if streams and stream and stream not in streams:
        raise r.fail(
            f"task {key!r}: stream {stream!r} is not one of the playbook's streams{suggest(stream, streams)}",
            r.line_of(node, "stream"),
        )
    offset = None
    at = r.text(node, "at", "task")
    if at is not None:
        try:
            offset = parse_offset(at)
        except GoliveError as exc:
            raise r.fail(f"task {key!r}: {exc}", r.line_of(node, "at")) from None
    after_raw = node.get("after")
    if after_raw is None:
        after: list[str] = []
    elif isinstance(after_raw, str):
        after = [after_raw.strip()]
    elif isinstance(after_raw, list) and all(isinstance(a, str) for a in after_raw):
        after = [a.strip() for a in after_raw]
    else:
        raise r.fail(f"task {key!r}: 'after' must be a task key or a list of task keys", r.line_of(node, "after"))
    if len(set(after)) != len(after):
        raise r.fail(f"task {key!r} names a predecessor twice in 'after'", r.line_of(node, "after"))
    milestone_raw = node.get("milestone")
    milestone: str | None
    if milestone_raw is None or milestone_raw is False:
        milestone = None
    elif milestone_raw is True:
        milestone = "milestone"
    else:
        milestone = str(milestone_raw).strip()
        if not KEY_RE.match(milestone):
            raise r.fail(
                f"task {key!r}: milestone {milestone!r} must be 'go-live', true, or a name like 'hypercare'",
                r.line_of(node, "milestone"),
            )
    duration = timedelta()
    if "duration" in node:
        try:
            duration = parse_duration(node["duration"])
        except GoliveError as exc:
            raise r.fail(f"task {key!r}: {exc}", r.line_of(node, "duration")) from None
        if milestone is not None and duration:
            raise r.fail(
                f"task {key!r} is a milestone and cannot have a duration (milestones take no time)",
                r.line_of(node, "duration"),
            )
    gate = node.get("gate", False)
    if not isinstance(gate, bool):
        raise r.fail(f"task {key!r}: 'gate' must be true or false", r.line_of(node, "gate"))
    if at is None and not after:
        raise r.fail(f"task {key!r} needs 'at' (an offset like T-36h), 'after' (its predecessors), or both", node.line)
    owner = r.text(node, "owner", "task")
    task = TaskSpec(
        key=key,
        title=r.text(node, "title", "task") or key,
        stream=stream,
        owner=owner or None,
        at=at,
        offset=offset,
        after=after,
        duration_minutes=round(duration.total_seconds() / 60),
        milestone=milestone,
        gate=gate,
        line=node.line,
        owner_line=r.line_of(node, "owner"),
        after_line=r.line_of(node, "after"),
    )
    return task


def unknown_owners(playbook: Playbook, organisation_keys: set[str]) -> list[tuple[TaskSpec, str]]:
    """Tasks whose owner is neither an organisation key in the database nor a known role."""
    known = organisation_keys | set(ROLES)
    found = []
    for task in playbook.tasks:
        if task.owner is not None and task.owner not in known:
            hint = suggest(task.owner, sorted(known))
            found.append((task, f"{playbook.path}:{task.owner_line}: task {task.key!r}: unknown owner {task.owner!r}{hint}"))
    return found
