"""The critical path method over a runbook: planned times, projections from actuals, slack.

Pure computation on integer epoch seconds (UTC), linear in tasks plus
dependencies: one topological order (graphlib), one forward pass, one backward
pass. Durations are elapsed time, so a 2 h task across the spring DST change
still takes 2 h; wall-clock rules live in `rollout.offsets` (d keeps the wall
clock) and are applied before the numbers get here.

Projection rules (see README, "Cutover runbooks"):
- done: its actual start and end;
- skipped: takes no time and frees its successors when it was skipped;
- running (or blocked after it started): ends at start + duration, and no earlier than now;
- not started (pending or blocked): starts at the latest of its `at` time, its
  predecessors' projected ends, and now.

The project finish is the projected go-live (the `go-live` milestone's
projected time); slack is measured against it. Tasks that cannot affect the
go-live (after it, or on a branch that does not lead to it) get slack against
their own chain's end and are never on the critical path.
"""

from __future__ import annotations

import graphlib
from dataclasses import dataclass, field

PENDING, RUNNING, DONE, SKIPPED, BLOCKED = "pending", "running", "done", "skipped", "blocked"
FINISHED = (DONE, SKIPPED)
NEG_INF = -(1 << 62)


@dataclass
class Node:
    key: str
    duration: int  # seconds
    preds: list[int]
    not_before: int | None = None  # epoch seconds: the task's `at`
    status: str = PENDING
    actual_start: int | None = None
    actual_end: int | None = None


@dataclass
class Graph:
    nodes: list[Node]
    order: list[int]  # topological: every task after its predecessors
    succs: list[list[int]]
    go_live: int | None  # index of the go-live milestone
    index: dict[str, int] = field(default_factory=dict)
    _feeds: list[bool] | None = None

    @property
    def feeds_go_live(self) -> list[bool]:
        """Whether each task is the go-live milestone or leads to it (so it can delay it)."""
        if self._feeds is None:
            n = len(self.nodes)
            if self.go_live is None:
                self._feeds = [True] * n
            else:
                feeds = [False] * n
                feeds[self.go_live] = True
                stack = [self.go_live]
                while stack:
                    for p in self.nodes[stack.pop()].preds:
                        if not feeds[p]:
                            feeds[p] = True
                            stack.append(p)
                self._feeds = feeds
        return self._feeds


def build_graph(nodes: list[Node], *, go_live: int | None) -> Graph:
    """Index successors and find a topological order; the playbook was checked for cycles on load."""
    n = len(nodes)
    succs: list[list[int]] = [[] for _ in range(n)]
    for i, node in enumerate(nodes):
        for p in node.preds:
            succs[p].append(i)
    # Kahn's algorithm on integer indices (graphlib, used to validate playbooks, is several
    # times slower on 5,000 tasks); a stored runbook has no cycle, but say so if it does.
    waiting = [len(node.preds) for node in nodes]
    order = [i for i in range(n) if not waiting[i]]
    for i in order:  # the list grows while we walk it
        for j in succs[i]:
            waiting[j] -= 1
            if not waiting[j]:
                order.append(j)
    if len(order) != n:
        stuck = [nodes[i].key for i in range(n) if waiting[i]]
        raise graphlib.CycleError("the runbook's tasks form a cycle", stuck)
    return Graph(nodes=nodes, order=order, succs=succs, go_live=go_live, index={nd.key: i for i, nd in enumerate(nodes)})


def planned(graph: Graph) -> tuple[list[int], list[int]]:
    """Planned start and end of every task: `at` and predecessors only, no actuals, no clock."""
    n = len(graph.nodes)
    es = [0] * n
    ef = [0] * n
    nodes = graph.nodes
    for i in graph.order:
        node = nodes[i]
        start = node.not_before if node.not_before is not None else NEG_INF
        for p in node.preds:
            if ef[p] > start:
                start = ef[p]
        es[i] = start
        ef[i] = start + node.duration
    return es, ef


@dataclass
class Projection:
    es: list[int]
    ef: list[int]
    ls: list[int]
    lf: list[int]
    finish: int  # the project finish: the projected go-live (or the last end without a go-live milestone)
    feeds: list[bool]

    def slack(self, i: int) -> int:
        return self.ls[i] - self.es[i]

    def critical(self, i: int) -> bool:
        return self.feeds[i] and self.ls[i] == self.es[i]


def project(graph: Graph, *, now: int, extra: dict[int, int] | None = None) -> Projection:
    """Earliest and latest start/finish of every task, from actuals and the clock.

    `extra` lengthens tasks (index → seconds): the what-if of a slip.
    """
    nodes = graph.nodes
    n = len(nodes)
    es = [0] * n
    ef = [0] * n
    extra = extra or {}
    for i in graph.order:
        node = nodes[i]
        duration = node.duration + extra.get(i, 0)
        status = node.status
        if status == DONE:
            end = node.actual_end if node.actual_end is not None else now
            end += extra.get(i, 0)
            start = node.actual_start if node.actual_start is not None else end - duration
            es[i], ef[i] = start, end
            continue
        if status == SKIPPED:
            end = node.actual_end if node.actual_end is not None else now
            es[i] = ef[i] = end
            continue
        if node.actual_start is not None:  # running, or blocked after it started
            # Projected to end at start + duration, no earlier than now; a slip pushes that
            # projected end (an overdue task that takes 30 min more ends 30 min after now).
            start = node.actual_start
            end = start + node.duration
            if end < now:
                end = now
            es[i], ef[i] = start, end + extra.get(i, 0)
            continue
        start = now
        if node.not_before is not None and node.not_before > start:
            start = node.not_before
        for p in node.preds:
            if ef[p] > start:
                start = ef[p]
        es[i] = start
        ef[i] = start + duration
    if graph.go_live is not None:
        finish = ef[graph.go_live]
    else:
        finish = max(ef) if ef else now
    ls = [0] * n
    lf = [0] * n
    succs = graph.succs
    go_live = graph.go_live
    feeds = graph.feeds_go_live
    for i in reversed(graph.order):
        if i == go_live:
            late_finish = finish
        elif succs[i]:
            # A task leading to the go-live is bound only by the successors that lead there too.
            if go_live is not None and feeds[i]:
                late_finish = min(ls[j] for j in succs[i] if feeds[j])
            else:
                late_finish = min(ls[j] for j in succs[i])
        else:
            late_finish = finish if finish > ef[i] else ef[i]
        lf[i] = late_finish
        ls[i] = late_finish - (ef[i] - es[i])
    return Projection(es=es, ef=ef, ls=ls, lf=lf, finish=finish, feeds=feeds)
