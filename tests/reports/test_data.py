"""Report figures on a hand-built scenario, against numbers worked out independently (tests/reports/scenario.py), on both backends."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.reports import scenario as sc


@pytest.fixture
def built(db_url: str):  # noqa: ANN201
    from rollout.database import Database
    from rollout.settings import load_settings

    db = Database(load_settings(db_url))
    with db.session(write=True) as session:
        scen = sc.build(session)
    yield db, scen
    db.dispose()


def _report(db, at=sc.AT):  # noqa: ANN001, ANN202
    from rollout.plans import get_plan
    from reports.data.cutover import cutover_report

    with db.session() as session:
        return cutover_report(session, get_plan(session, "vik-2024"), at)


def test_support_figures_match_the_hand_count(built) -> None:  # noqa: ANN001
    db, scen = built
    want = sc.expected_support(scen)
    s = _report(db).as_json()["support"]
    assert (s["opened_total"], s["open_total"]) == (want["opened_total"], want["open_total"]) == (8, 5)
    assert {r["priority"]: r["open"] for r in s["backlog"]} == want["backlog"] == {"P1": 1, "P2": 0, "P3": 3, "P4": 1}
    assert {r["category"]: r["open"] for r in s["by_category"]} == want["categories"]
    sla = s["sla"]
    assert (sla["response_met"], sla["response_due"], sla["resolution_met"], sla["resolution_due"]) == want["sla"]
    assert sla["response"] == round(want["sla"][0] / want["sla"][1], 4)
    assert s["days"] == want["days"]
    assert {b["bucket"]: b["open"] for b in s["aging"]} == want["aging"]
    assert s["breached_open"] == want["breached_open"]
    assert {u["unit"]: u["tickets"] for u in s["top_units"] if u["unit"]} == want["units"]
    assert [(k["title"].split()[0], k["tickets"]) for k in s["known_issues"]] == [("Tilgang", want["issues"][1]),
                                                                               ("Skrivar", want["issues"][2])]
    assert s["open_p1"] == 1
    # The open P1 is named (the one created 30 h before AT; the one created after AT is not), with its age.
    [p1] = s["open_p1_tickets"]
    assert p1["age_minutes"] == 30 * 60 and p1["category"] == "access"


def test_readiness_gates_and_headline(built) -> None:  # noqa: ANN001
    db, _scen = built
    data = _report(db).as_json()
    rows = {(r["unit"], r["role"]): (r["trained"], r["total"]) for r in data["readiness"]["training"]}
    # people per (unit, role) trained by AT; the one trained an hour later does not count yet; superusers are their own role
    assert rows[("a", "sykepleier")] == (8, 10) and rows[("a", "lege")] == (1, 2) and rows[("b", "sykepleier")] == (5, 5)
    cov = {(c["unit"], c["shift"]): (c["staff"], c["superusers"], c["gap"]) for c in data["readiness"]["superuser_coverage"]}
    assert cov == {("a", "dag"): (12, 1, 1), ("a", "kveld"): (10, 1, 0), ("b", "dag"): (6, 1, 0)}
    gaps = [(g["unit"], g["shift"], g["required"], g["missing"]) for g in data["readiness"]["staffing_gaps"]]
    assert gaps == [("a", "kveld", 12, 2), ("b", "dag", 6, 0)] or gaps == [("a", "kveld", 12, 2)]
    gates = {g["gate"]: g for g in data["gates"]["gates"]}
    assert gates["T-1d"]["due"] and gates["T-1d"]["verdict"] == "NO-GO"  # 80 % and 50 % trained, need 90 %
    assert not gates["T+7d"]["due"] and gates["T+7d"]["verdict"] == "NO-GO"  # one open P1, none allowed
    h = data["headline"]
    assert h["rag"] == "red" and h["reason"]["code"] == "gate_no_go" and h["reason"]["params"]["gate"] == "T-1d"
    assert h["days_to_go_live"] == -2 and h["stage"] == "hypercare"
    codes = [r["code"] for r in h["reasons"]]
    assert "open_p1" not in codes  # 1 open P1 is within T-1d's open_p1_max of 1 (the plan's first threshold)
    assert {"gate_at_risk", "training_below", "superuser_gaps", "staffing_gaps"} <= set(codes)
    assert data["runbook"]["present"] is False and data["runbook"]["projected_go_live"] == "2024-04-13T06:00+02:00"
    assert data["lang"] == "nn"


def _decide(db, *, go: bool, at) -> None:  # noqa: ANN001
    from rollout.gates import decide
    from rollout.plans import get_plan

    with db.session(write=True) as session:
        decide(session, plan=get_plan(session, "vik-2024"), key="T-1d", go=go, decided_by="Prosjektleiar", note="vilkår",
               actor="test", at=at, override=True)


def test_decided_go_gate_whose_re_measure_fails_is_not_red(built) -> None:  # noqa: ANN001
    db, _scen = built
    _decide(db, go=False, at=sc.AT + timedelta(hours=1))  # decided after the as-of time: not yet taken, so measured
    h = _report(db).as_json()["headline"]
    assert h["reason"]["code"] == "gate_no_go" and h["reason"]["params"]["decision"] is None
    _decide(db, go=True, at=sc.AT - timedelta(days=3))  # GO with conditions, before AT; measured as of AT it still fails
    data = _report(db).as_json()
    gates = {g["gate"]: g for g in data["gates"]["gates"]}
    assert gates["T-1d"]["verdict"] == "NO-GO" and gates["T-1d"]["decision"] == "GO"
    h = data["headline"]
    codes = [r["code"] for r in h["reasons"]]
    assert "gate_no_go" not in codes and h["rag"] == "amber" and h["reason"]["code"] == "gate_at_risk"
    # a later NO-GO on the same gate (still before AT) wins: red again, with the decision named
    _decide(db, go=False, at=sc.AT - timedelta(days=1))
    h = _report(db).as_json()["headline"]
    assert h["rag"] == "red" and h["reason"]["code"] == "gate_no_go" and h["reason"]["params"]["decision"] == "NO-GO"


def test_snapshots_baseline_replace_and_changes(built) -> None:  # noqa: ANN001
    from reports.jsonformat import render_json
    from reports.service import cutover

    db, _scen = built
    first_at, later = sc.AT - timedelta(days=1), sc.AT
    with db.session(write=True) as session:
        first = cutover(session, plan="vik-2024", at=first_at)
    assert first.changes.baseline_as_of is None
    with db.session(write=True) as session:
        second = render_json(cutover(session, plan="vik-2024", at=later))
    with db.session(write=True) as session:
        again = render_json(cutover(session, plan="vik-2024", at=later))
    assert second == again  # same --at: same baseline, same bytes, the snapshot replaced not doubled
    data = json.loads(second)
    assert data["changes"]["baseline_as_of"] == "2024-04-14T06:00+02:00"
    items = {c["metric"]: c for c in data["changes"]["items"]}
    assert items["opened_total" if "opened_total" in items else "open_total"]["after"] == 5
    assert items["open_total"]["before"] < items["open_total"]["after"] and items["open_total"]["direction"] == "worse"
    from sqlalchemy import func, select

    from reports.models import ReportSnapshot

    with db.session() as session:
        assert session.execute(select(func.count()).select_from(ReportSnapshot)).scalar_one() == 2
    # a report at an earlier time than both compares with nothing
    with db.session(write=True) as session:
        assert cutover(session, plan="vik-2024", at=first_at - timedelta(hours=1)).changes.baseline_as_of is None
