"""The Monte Carlo schedule of `runbook simulate`, vectorised across runs with numpy.

The same rules as the deterministic projection (`schedule.project`), applied
to N runs at once: one topological order, then per task one array over the
runs (no Python loop over runs):
- done: its actual start and end in every run; skipped: no time;
- running (or blocked after it started): ends at its actual start + the drawn
  duration, and no earlier than now;
- not started: starts at the latest of now, its `at` time and its
  predecessors' ends, and runs for the drawn duration.

Durations are drawn from each task's pool of ratios (see `simulate_model`)
by a *balanced* resampling: within a batch of runs every ratio of a task's
pool is used equally often (±1, the extra ones going to ratios picked at
random), so each task's spread is exactly its pool's, while which runs are
slow for which tasks is random. The order comes from random permutations of
the runs, one per group of at most runs/32 tasks, each task of a group
reading it from its own distinct random offset (a permutation per task would
cost more than the whole schedule). A drawn duration is planned × ratio,
rounded to the second.

The backward pass computes each run's latest finishes against that run's
go-live. A task is critical in a run when its slack there is zero; its
criticality index is the share of runs in which it is. Lengthening a task by
X moves a run's go-live by exactly max(0, X − slack) (the critical path method
is max-plus), so the effect of a delay on P80 is computed from the slacks
without simulating again. It is computed exactly for the tasks with the
largest mean effect (every task that has any, up to 256) when the runs fit
one batch, else for the 64 tasks with the largest effect on the first batch.

Percentile p is the earliest instant by which at least p % of runs are live
(the inverse of the empirical distribution: P80 is a time with an 80 % chance
of being live by then).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rollout.runbooks.schedule import FINISHED, SKIPPED, Graph

CELLS = 1 << 25  # tasks × runs per batch, so memory stays bounded (128 MB with 32-bit times)
CANDIDATES = 64  # tasks whose delay effect is followed over every batch when runs need several
PRESELECT = 256  # tasks (largest mean effect) whose exact effect on P80 is computed
GROUP = 32  # a permutation of the runs is shared by at most runs/GROUP tasks


@dataclass
class Check:
    """Is the work of `tasks` finished by `due`? Counted per run."""

    due: int
    tasks: list[int]


@dataclass
class Outcome:
    finish: np.ndarray  # project finish per run (epoch seconds): the go-live milestone's end, else the last end
    critical: np.ndarray  # runs in which each task is critical
    delay_mean: np.ndarray  # mean go-live shift (seconds) per task if it took `delay` longer
    delay_p80: dict[int, int] = field(default_factory=dict)  # task -> P80 shift (seconds), for the followed tasks
    ready: list[int] = field(default_factory=list)  # runs in which each check's work is finished by its due time
    runs: int = 0
    all_followed: bool = True  # delay_p80 covers every task (one batch); else only the followed ones


def percentile(sorted_values: np.ndarray, p: int) -> int:
    """The earliest value by which at least p % of the (sorted) values lie: index ceil(p·n/100) − 1."""
    n = len(sorted_values)
    k = max(0, -(-p * n // 100) - 1)
    return int(sorted_values[k])


def _p80_of(rows: np.ndarray, k: int) -> np.ndarray:
    """The k-th smallest value of every row (the row's P80 when k = ceil(0.8 n) − 1)."""
    return np.partition(rows, k, axis=1)[:, k]


class _Draws:
    """Balanced draws of one batch: `take(r, out)` writes drawn task r's durations (seconds) for every run."""

    def __init__(self, rng: np.random.Generator, pools: list[np.ndarray], runs: int, dtype: type) -> None:
        self.runs = runs
        m = len(pools)
        sizes = np.array([len(p) for p in pools], dtype=np.int64)
        flat = np.concatenate(pools).astype(dtype) if m else np.zeros(0, dtype=dtype)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64) if m else np.zeros(0, dtype=np.int64)
        # rotate each pool by a random offset: which of its ratios get the extra draws when runs % size != 0
        within = np.arange(len(flat), dtype=np.int64) - np.repeat(starts, sizes)
        turn = np.repeat(rng.integers(0, np.maximum(sizes, 1)), sizes)
        rotated = flat[np.repeat(starts, sizes) + (within + turn) % np.repeat(sizes, sizes)]
        self.pools = [rotated[a:a + k] for a, k in zip(starts.tolist(), sizes.tolist())]
        self.reads: list[tuple[np.ndarray, int]] = []
        size = max(1, runs // GROUP)
        for start in range(0, m, size):
            group = range(start, min(m, start + size))
            twice = np.tile(rng.permutation(runs), 2)
            shifts = rng.permutation(runs)[:len(group)].tolist()  # distinct: no two tasks of a group read alike
            residues: dict[int, np.ndarray] = {}
            for r, shift in zip(group, shifts):
                k = int(sizes[r])
                if k not in residues:
                    residues[k] = (twice % k).astype(np.intp)
                self.reads.append((residues[k], shift))

    def take(self, r: int, out: np.ndarray) -> np.ndarray:
        residues, shift = self.reads[r]
        return self.pools[r].take(residues[shift:shift + self.runs], out=out, mode="wrap")


def _horizon(graph: Graph, now: int, pools: list[list[float]]) -> int:
    """A bound on |time − now| in any run: decides whether 32-bit seconds suffice."""
    spans = [abs(now - t) for nd in graph.nodes for t in (nd.not_before, nd.actual_start, nd.actual_end) if t is not None]
    longest = sum(nd.duration * max([1.0, *pools[i]]) for i, nd in enumerate(graph.nodes))
    return int(max(spans, default=0) + longest) + 1


FILL, RUNNING_DRAWN, AFTER, DRAWN = range(4)


def _forward_plan(graph: Graph, now: int, pools: list[list[float]], drawn_row: dict[int, int]) -> tuple[list[tuple], list[int | None]]:
    """Per task, in topological order, what its end is in every run (times in seconds from now).

    (FILL, i, end): the same in every run; (RUNNING_DRAWN, i, start, r); (DRAWN, i, start, r);
    (AFTER, i, base, varying predecessors, r or None, fixed duration). Also each task's
    end − start when it is the same in every run (the backward pass needs it).
    """
    nodes = graph.nodes
    const: list[int | None] = [None] * len(nodes)
    span: list[int | None] = [None] * len(nodes)
    steps: list[tuple] = []
    for i in graph.order:
        nd = nodes[i]
        r = drawn_row.get(i)
        fixed = nd.duration if len(pools[i]) != 1 else int(round(nd.duration * pools[i][0]))
        if nd.status in FINISHED:
            end = (nd.actual_end if nd.actual_end is not None else now) - now
            start = end if nd.status == SKIPPED else ((nd.actual_start - now) if nd.actual_start is not None else end - nd.duration)
            const[i], span[i] = end, end - start
            steps.append((FILL, i, end))
        elif nd.actual_start is not None:  # running, or blocked after it started: ends no earlier than now (0)
            start = nd.actual_start - now
            if r is None:
                const[i] = max(start + fixed, 0)
                span[i] = const[i] - start
                steps.append((FILL, i, const[i]))
            else:
                steps.append((RUNNING_DRAWN, i, start, r))
        else:
            base = 0 if nd.not_before is None or nd.not_before < now else nd.not_before - now
            varying = []
            for p in nd.preds:
                v = const[p]
                if v is None:
                    varying.append(p)
                elif v > base:
                    base = v
            if r is None:
                span[i] = fixed
            if varying:
                steps.append((AFTER, i, base, varying, r, fixed))
            elif r is None:
                const[i] = base + fixed
                steps.append((FILL, i, const[i]))
            else:
                steps.append((DRAWN, i, base, r))
    return steps, span


def simulate_graph(
    graph: Graph, *, now: int, pools: list[list[float]], runs: int, seed: int, delay: int = 3600, checks: list[Check] = (),  # type: ignore[assignment]
) -> Outcome:
    nodes = graph.nodes
    n = len(nodes)
    rng = np.random.default_rng(seed)
    # times are seconds from now: small numbers, so 32 bits do for any real weekend
    dtype = np.int32 if _horizon(graph, now, pools) + delay < (1 << 30) else np.int64
    open_ = [nd.status not in FINISHED for nd in nodes]
    drawn = [i for i in range(n) if open_[i] and len(pools[i]) > 1 and nodes[i].duration > 0]
    drawn_row = {i: r for r, i in enumerate(drawn)}
    seconds = [np.rint(nodes[i].duration * np.asarray(pools[i], dtype=np.float64)) for i in drawn]
    steps, span = _forward_plan(graph, now, pools, drawn_row)
    feeds = graph.feeds_go_live
    go_live = graph.go_live
    backward = []  # (i, successors bounding it (None: the finish), span or None, drawn row, running start)
    for i in reversed(graph.order):
        if not feeds[i]:
            continue
        succ = [j for j in graph.succs[i] if feeds[j]] if go_live is not None else graph.succs[i]
        start = nodes[i].actual_start - now if nodes[i].actual_start is not None else None
        backward.append((i, None if i == go_live or not succ else succ, span[i], drawn_row.get(i), start, open_[i]))
    checks_rel = []
    for check in checks:  # a task followed by another of the same check ends no later than it: only the last ones count
        members = set(check.tasks)
        checks_rel.append((check.due - now, [t for t in check.tasks if not any(j in members for j in graph.succs[t])]))

    batches = -(-runs * n // CELLS) if n else 1
    batch = -(-runs // max(1, batches))
    finish_parts: list[np.ndarray] = []
    critical = np.zeros(n, dtype=np.int64)
    delay_sum = np.zeros(n, dtype=np.float64)
    ready = [0] * len(checks)
    followed: list[int] | None = None  # tasks whose shifts are kept over every batch (None: decided after the first)
    followed_set: set[int] = set()
    shifts: dict[int, list[np.ndarray]] = {}
    all_followed = True
    done_runs = 0
    while done_runs < runs:
        c = min(batch, runs - done_runs)
        draws = _Draws(rng, seconds, c, dtype)
        take = draws.take
        ef = np.empty((n, c), dtype=dtype)
        spare = np.empty(c, dtype=dtype)
        for step in steps:
            kind, i = step[0], step[1]
            row = ef[i]
            if kind == FILL:
                row.fill(step[2])
            elif kind == AFTER:
                _, _, base, varying, r, fixed = step
                np.maximum(ef[varying[0]], base, out=row)
                for p in varying[1:]:
                    np.maximum(row, ef[p], out=row)
                row += fixed if r is None else take(r, spare)
            elif kind == DRAWN:
                np.add(take(step[3], spare), step[2], out=row)
            else:  # RUNNING_DRAWN
                np.add(take(step[3], spare), step[2], out=row)
                np.maximum(row, 0, out=row)
        finish = ef[go_live].copy() if go_live is not None else (ef.max(axis=0) if n else np.zeros(c, dtype=dtype))
        finish_parts.append(finish)
        for k, (due, tasks) in enumerate(checks_rel):
            if not tasks:
                ready[k] += c
                continue
            latest = np.copy(ef[tasks[0]])
            for t in tasks[1:]:
                np.maximum(latest, ef[t], out=latest)
            ready[k] += int(np.count_nonzero(latest <= due))
        # -- backward: latest finishes; each row of `ef` becomes the task's latest start ------
        lf_buf = np.empty(c, dtype=dtype)
        slack = np.empty(c, dtype=dtype)
        batch_shifts: dict[int, np.ndarray] = {}
        for i, succ, fixed_span, r, start, can_slip in backward:
            if succ is None:
                lf = finish
            elif len(succ) == 1:
                lf = ef[succ[0]]
            else:
                lf = lf_buf
                np.minimum(ef[succ[0]], ef[succ[1]], out=lf)
                for j in succ[2:]:
                    np.minimum(lf, ef[j], out=lf)
            row = ef[i]
            np.subtract(lf, row, out=slack)
            least = int(slack.min())
            if least == 0:
                critical[i] += int(np.count_nonzero(slack == 0))
            if can_slip and least < delay:
                shift = np.subtract(delay, slack)
                np.maximum(shift, 0, out=shift)
                delay_sum[i] += float(shift.sum(dtype=np.int64))
                if followed is None or i in followed_set:
                    batch_shifts[i] = shift
            elif followed is not None and i in followed_set:
                batch_shifts[i] = np.zeros(c, dtype=dtype)
            # latest start = latest finish − the task's time in each run
            if fixed_span is not None:
                np.subtract(lf, fixed_span, out=row)
            elif start is None:
                np.subtract(lf, take(r, spare), out=row)
            else:  # running with a drawn duration: it started at its actual start
                np.subtract(row, start, out=spare)
                np.subtract(lf, spare, out=row)
        if followed is None:  # after the first batch: keep following the tasks that move its P80 most
            k = max(0, -(-80 * c // 100) - 1)
            base80 = int(np.partition(finish, k)[k])
            keys = sorted(batch_shifts, key=lambda t: (-delay_sum[t], t))
            if len(keys) > PRESELECT or c < runs:
                all_followed = False
            keys = keys[:PRESELECT]
            moved = _delay_effects(keys, [batch_shifts[t] for t in keys], finish, k, base80)
            followed = sorted(keys, key=lambda t: (-moved[t], -critical[t], t))[:CANDIDATES] if c < runs else keys
            followed_set = set(followed)
            batch_shifts = {t: batch_shifts[t] for t in followed}
        for t, shift in batch_shifts.items():
            shifts.setdefault(t, []).append(shift)
        done_runs += c
        del ef
    finish_all = (np.concatenate(finish_parts) if len(finish_parts) > 1 else finish_parts[0]).astype(np.int64) + now
    outcome = Outcome(finish=finish_all, critical=critical, delay_mean=delay_sum / runs, ready=ready, runs=runs, all_followed=all_followed)
    k = max(0, -(-80 * runs // 100) - 1)
    base80 = int(np.partition(finish_all, k)[k])
    keys = list(shifts)
    full = [np.concatenate(shifts[t]) if len(shifts[t]) > 1 else shifts[t][0] for t in keys]
    outcome.delay_p80 = _delay_effects(keys, full, finish_all - now, k, base80 - now)
    return outcome


def _delay_effects(keys: list[int], shifts: list[np.ndarray], finish: np.ndarray, k: int, base80: int) -> dict[int, int]:
    """How far P80 of the go-live moves when each task takes longer: P80(finish + shift) − P80(finish)."""
    moved: dict[int, int] = {}
    for start in range(0, len(keys), 64):
        block = np.stack(shifts[start:start + 64]).astype(np.int64) + finish[None, :]
        for t, value in zip(keys[start:start + 64], _p80_of(block, k)):
            moved[t] = int(value) - base80
    return moved
