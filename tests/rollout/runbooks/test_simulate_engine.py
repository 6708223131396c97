"""The vectorised Monte Carlo schedule against the deterministic CPM (hypothesis), and hand-computed percentiles."""

from __future__ import annotations

import copy

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rollout.runbooks.schedule import DONE, PENDING, RUNNING, SKIPPED, Node, build_graph, project
from rollout.runbooks.simulate import percentile, simulate_graph

H = 3600
NOW = 0


@st.composite
def runbooks(draw):  # noqa: ANN201
    """A random runbook as of NOW, with some tasks done, skipped or running, and a pool of ratios per task."""
    n = draw(st.integers(min_value=2, max_value=20))
    nodes, pools = [], []
    for i in range(n):
        preds = sorted(set(draw(st.lists(st.integers(min_value=0, max_value=i - 1), max_size=3)))) if i else []
        at = draw(st.one_of(st.none(), st.integers(min_value=-6, max_value=30))) if preds else draw(st.integers(min_value=-6, max_value=30))
        node = Node(key=f"t{i}", duration=draw(st.integers(min_value=0, max_value=8)) * H, preds=preds, not_before=None if at is None else at * H)
        status = draw(st.sampled_from([PENDING, PENDING, PENDING, RUNNING, DONE, SKIPPED])) if not preds else PENDING
        if status in (DONE, SKIPPED):
            node.actual_end = draw(st.integers(min_value=-10, max_value=0)) * H
            node.actual_start = node.actual_end - node.duration if status == DONE else None
        elif status == RUNNING:
            node.actual_start = draw(st.integers(min_value=-10, max_value=0)) * H
        node.status = status
        nodes.append(node)
        pools.append(draw(st.lists(st.sampled_from([0.5, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0]), max_size=4)))
    go_live = draw(st.one_of(st.none(), st.just(n - 1)))
    if go_live is not None:
        nodes[-1].duration = 0
        nodes[-1].status, nodes[-1].actual_start, nodes[-1].actual_end = PENDING, None, None
    return build_graph(nodes, go_live=go_live), pools


def scaled(graph, pools, pick):  # noqa: ANN001, ANN201
    """The graph with every open task's duration set to planned × pick(pool), as the simulation rounds it."""
    g = copy.deepcopy(graph)
    for node, pool in zip(g.nodes, pools):
        if node.status not in (DONE, SKIPPED) and pool and node.duration > 0:
            node.duration = int(np.rint(node.duration * pick(pool)))
    return g


@settings(max_examples=80, deadline=None)
@given(case=runbooks(), seed=st.integers(min_value=0, max_value=2**32))
def test_percentiles_are_ordered_and_never_before_the_earliest_possible_finish(case, seed):
    graph, pools = case
    outcome = simulate_graph(graph, now=NOW, pools=pools, runs=200, seed=seed)
    ordered = np.sort(outcome.finish)
    p50, p80, p95 = (percentile(ordered, p) for p in (50, 80, 95))
    assert p50 <= p80 <= p95
    fastest = project(scaled(graph, pools, min), now=NOW).finish
    slowest = project(scaled(graph, pools, max), now=NOW).finish
    assert fastest <= int(ordered[0]) and int(ordered[-1]) <= slowest  # every run lies between all-fastest and all-slowest
    assert np.all((outcome.critical >= 0) & (outcome.critical <= 200))


@settings(max_examples=80, deadline=None)
@given(case=runbooks())
def test_with_one_ratio_per_task_every_run_is_the_deterministic_projection(case):
    """All ratios 1 (or any single ratio per task): every run equals the CPM, criticality is 0 or 1 as the CPM says."""
    graph, pools = case
    for pick in (lambda pool: 1.0, lambda pool: pool[0]):
        single = [[pick(p)] if p else [] for p in pools]
        outcome = simulate_graph(graph, now=NOW, pools=single, runs=50, seed=7)
        expected = project(scaled(graph, single, lambda pool: pool[0]), now=NOW)
        assert set(outcome.finish.tolist()) == {expected.finish}
        assert outcome.critical.tolist() == [50 if expected.critical(i) else 0 for i in range(len(graph.nodes))]
        # the delay effect is exact: what `slip` computes by projecting again
        for i, node in enumerate(graph.nodes):
            if node.status in (DONE, SKIPPED) or not expected.feeds[i]:
                continue
            slipped = project(scaled(graph, single, lambda pool: pool[0]), now=NOW, extra={i: H}).finish
            assert outcome.delay_p80.get(i, 0) == slipped - expected.finish, (i, node.key)


def test_one_task_with_ratios_1x_and_2x_has_exact_percentiles():
    """Half the runs take 1 h, half 2 h (balanced resampling): P50 is the 1 h finish, P80 and P95 the 2 h one."""
    graph = build_graph([Node("t", H, []), Node("go-live", 0, [0])], go_live=1)
    for seed in (0, 1, 99):
        outcome = simulate_graph(graph, now=NOW, pools=[[1.0, 2.0], []], runs=10_000, seed=seed)
        ordered = np.sort(outcome.finish)
        assert np.count_nonzero(outcome.finish == H) == 5_000
        assert (percentile(ordered, 50), percentile(ordered, 80), percentile(ordered, 95)) == (H, 2 * H, 2 * H)
        assert percentile(ordered, 51) == 2 * H


def test_a_chain_of_two_such_tasks():
    """1 h + 1 h planned, each 1x or 2x: 2 h (¼), 3 h (½), 4 h (¼); P50 3 h, P80 and P95 4 h."""
    graph = build_graph([Node("a", H, []), Node("b", H, [0]), Node("go-live", 0, [1])], go_live=2)
    outcome = simulate_graph(graph, now=NOW, pools=[[1.0, 2.0], [1.0, 2.0], []], runs=10_000, seed=3)
    ordered = np.sort(outcome.finish)
    assert (percentile(ordered, 50), percentile(ordered, 80), percentile(ordered, 95)) == (3 * H, 4 * H, 4 * H)
    assert 0.22 < np.count_nonzero(outcome.finish == 2 * H) / 10_000 < 0.28
    assert outcome.critical.tolist() == [10_000, 10_000, 10_000]


def test_huge_slack_is_never_critical_and_the_only_path_always_is():
    """`side` (10 min, at most 10x) has hours of slack in every run; `a` → `b` (4 h at least) is the only long path."""
    nodes = [Node("a", 4 * H, []), Node("b", 2 * H, [0]), Node("side", 600, [], not_before=-1000 * H), Node("go-live", 0, [1, 2])]
    graph = build_graph(nodes, go_live=3)
    outcome = simulate_graph(graph, now=NOW, pools=[[0.5, 1, 3], [1, 2], [1, 5, 10], []], runs=5_000, seed=11)
    crit = outcome.critical / 5_000
    assert crit[0] == crit[1] == crit[3] == 1.0
    assert crit[2] == 0.0
    assert outcome.delay_p80.get(2, 0) == 0 and outcome.delay_mean[2] == 0


def test_same_seed_same_draws_other_seed_other_draws():
    graph = build_graph([Node(f"t{i}", H, [i - 1] if i else []) for i in range(6)], go_live=None)
    pools = [[0.5, 1.0, 1.5, 2.0]] * 6
    one = simulate_graph(graph, now=NOW, pools=pools, runs=1_000, seed=5).finish
    assert np.array_equal(one, simulate_graph(graph, now=NOW, pools=pools, runs=1_000, seed=5).finish)
    assert not np.array_equal(one, simulate_graph(graph, now=NOW, pools=pools, runs=1_000, seed=6).finish)


def test_batches_give_the_same_kind_of_answer(monkeypatch):
    """Many runs over several batches: same marginals, the delay effect followed for the top tasks."""
    import rollout.runbooks.simulate as engine

    graph = build_graph([Node("a", H, []), Node("b", H, [0]), Node("go-live", 0, [1])], go_live=2)
    monkeypatch.setattr(engine, "CELLS", 3 * 1_000)  # batches of 1,000 runs
    outcome = engine.simulate_graph(graph, now=NOW, pools=[[1.0, 2.0], [1.0, 2.0], []], runs=10_000, seed=3)
    ordered = np.sort(outcome.finish)
    assert not outcome.all_followed
    assert (percentile(ordered, 50), percentile(ordered, 95)) == (3 * H, 4 * H)
    assert outcome.critical.tolist() == [10_000, 10_000, 10_000]
    assert outcome.delay_p80[0] == outcome.delay_p80[1] == H
