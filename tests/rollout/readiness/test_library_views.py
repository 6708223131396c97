"""The library views the reports and the scheduler will call, tested directly (no CLI): plan evaluation,
training status and roster gaps on the hand-counted Testby scenario, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from rollout.clock import parse_instant
from rollout.database import Database
from rollout.gates import GO, NO_GO, evaluate_plan
from rollout.plans import get_plan
from rollout.readiness.roster import roster_gaps
from rollout.readiness.scope import readiness_scope, scope_window
from rollout.readiness.training import training_status
from rollout.settings import load_settings
from tests.rollout.readiness import scenario as sc


@pytest.fixture
def session(db_url: str, golive, tmp_path: Path) -> Iterator[Session]:  # noqa: ANN001
    sc.load(golive, tmp_path)
    db = Database(load_settings(db_url))
    with db.session() as s:
        yield s
    db.dispose()


def test_training_status_rows_are_typed_and_hand_counted(session: Session) -> None:
    scope = readiness_scope(session, plan="testby-2026")
    rows = training_status(session, plan=scope.plan, at=parse_instant(sc.T1D), unit_ids=scope.unit_ids)
    counted = {(r.unit, r.role): (r.trained, r.total) for r in rows}
    assert counted[("legevakt", "lege")] == (1, 3)  # L1 only: L3 finished HP-LEGE after 06:00
    assert counted[("legevakt", "sykepleier")] == (9, 10)  # S10 has nothing
    assert counted[("legevakt", "helsefagarbeider")] == (2, 2)  # `helsefagarbeider: []`: none required
    lege = next(r for r in rows if r.role == "lege")
    assert lege.as_json() == {"unit": "legevakt", "unit_name": "Testby legevakt", "role": "lege", "trained": 1, "total": 3,
                              "share": 0.3333}
    # later the same day L3 has finished: the view is as of the instant asked for
    later = training_status(session, plan=scope.plan, at=parse_instant("2026-03-27T10:00"), unit_ids=scope.unit_ids)
    assert {(r.unit, r.role): r.trained for r in later}[("legevakt", "lege")] == 2


def test_roster_gaps_report_has_the_documented_lists(session: Session) -> None:
    scope = readiness_scope(session, plan="testby-2026", gate="T-1d")
    at = parse_instant(sc.T1D)
    report = roster_gaps(session, plan=scope.plan, at=at, unit_ids=scope.unit_ids, window=scope_window(session, scope, at=at),
                         maximum=10)
    data = report.as_json(scope.plan.timezone)
    assert {"ratio_gaps", "untrained_superusers", "double_bookings", "rest_violations", "spread"} <= set(data)
    assert {"unit": "legevakt", "date": "2026-03-28", "shift": "natt", "staff": 16, "superusers": 0}.items() <= data["ratio_gaps"][0].items()
    assert [u["employee_id"] for u in data["untrained_superusers"]] == ["S03"]  # rostered without HP-SUPER


def test_plan_evaluation_is_no_go_when_any_gate_is(session: Session) -> None:
    plan = get_plan(session, "testby-2026")
    result = evaluate_plan(session, plan=plan, at=parse_instant(sc.T1D))
    assert [(g.gate.key, g.verdict) for g in result.gates] == [("T-1d", NO_GO), ("training-only", GO)]
    assert result.verdict == NO_GO
    body = result.as_json()
    assert body["verdict"] == NO_GO and body["at"] == "2026-03-27T06:00+01:00"
    one = evaluate_plan(session, plan=plan, at=parse_instant(sc.T1D), gate_key="training-only")
    assert one.verdict == GO and one.as_json()["gate"] == "training-only"  # one gate: the gate's own document
