"""Invariants of the critical path method on random runbooks (hypothesis), and small hand cases."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rollout.runbooks.schedule import DONE, RUNNING, Node, build_graph, planned, project

H = 3600


@st.composite
def runbooks(draw):  # noqa: ANN201
    n = draw(st.integers(min_value=2, max_value=25))
    nodes = []
    for i in range(n):
        preds = sorted(set(draw(st.lists(st.integers(min_value=0, max_value=i - 1), max_size=3)))) if i else []
        at = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=48))) if preds else draw(st.integers(min_value=0, max_value=48))
        nodes.append(Node(key=f"t{i}", duration=draw(st.integers(min_value=0, max_value=10)) * H, preds=preds, not_before=None if at is None else at * H))
    go_live = draw(st.one_of(st.none(), st.just(n - 1)))
    if go_live is not None:
        nodes[-1].duration = 0
    return build_graph(nodes, go_live=go_live)


@settings(max_examples=150, deadline=None)
@given(graph=runbooks(), slip_task=st.integers(min_value=0, max_value=24), slip_hours=st.integers(min_value=1, max_value=12))
def test_cpm_invariants(graph, slip_task, slip_hours):
    now = -10 * H
    p = project(graph, now=now)
    es, ef = planned(graph)
    assert p.es == es and p.ef == ef  # with nothing started and the clock before the start, projection = plan
    for i, node in enumerate(graph.nodes):
        assert p.slack(i) >= 0
        assert p.lf[i] - p.ls[i] == p.ef[i] - p.es[i]
        for q in node.preds:
            assert p.es[i] >= p.ef[q]
        if node.not_before is not None:
            assert p.es[i] >= node.not_before
    if graph.go_live is not None:
        assert p.critical(graph.go_live)
        # On every zero-slack task leading to the go-live, one zero-slack successor also leads there (a path).
        for i in range(len(graph.nodes)):
            if p.critical(i) and i != graph.go_live:
                assert any(p.critical(j) for j in graph.succs[i])
    k = slip_task % len(graph.nodes)
    slipped = project(graph, now=now, extra={k: slip_hours * H})
    assert all(b >= a for a, b in zip(p.ef, slipped.ef))  # a slip never makes anything earlier
    assert slipped.finish - p.finish <= slip_hours * H  # nor moves the finish by more than the slip
    if graph.go_live is not None and p.feeds[k]:
        # Slack is exactly the delay a task can absorb without moving the go-live.
        assert slipped.finish - p.finish == max(0, slip_hours * H - p.slack(k))


def test_running_task_is_projected_to_end_no_earlier_than_now():
    nodes = [Node("a", 2 * H, [], not_before=0, status=RUNNING, actual_start=0), Node("b", H, [0])]
    g = build_graph(nodes, go_live=None)
    assert project(g, now=H).ef == [2 * H, 3 * H]
    assert project(g, now=5 * H).ef == [5 * H, 6 * H]


def test_done_task_uses_its_actual_times():
    nodes = [Node("a", 2 * H, [], not_before=0, status=DONE, actual_start=H, actual_end=4 * H), Node("b", H, [0], not_before=0)]
    p = project(build_graph(nodes, go_live=1), now=0)
    assert (p.es, p.ef) == ([H, 4 * H], [4 * H, 5 * H])
