"""Gates: every gate's verdict per criterion as of `at` (rollout.gates.evaluate_plan), and the decisions taken by then."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from rollout.models import Plan
from reports.model import CriterionResult, Decision, GateResult, Gates

DECISION = {"go": "GO", "no-go": "NO-GO"}


def _json_value(value):  # noqa: ANN001, ANN202 - thresholds and measured values are JSON-ready already
    if isinstance(value, float):
        return round(value, 4)
    return value


def gates_section(session: Session, plan: Plan, at: datetime) -> Gates:
    from rollout.criteria import describe_criterion
    from rollout.gates import evaluate_plan, gate_history

    verdict = evaluate_plan(session, plan=plan, at=at)
    decisions = [d for d in gate_history(session, plan=plan) if d.decided_at <= at]
    latest: dict[str, str] = {}
    for d in decisions:  # oldest first: the last one wins
        latest[d.gate_key] = DECISION.get(d.decision, d.decision.upper())
    gates = tuple(
        GateResult(
            gate=v.gate.key, wave=v.wave, due_at=v.gate.due_at, due=v.gate.due_at is not None and v.gate.due_at <= at,
            verdict=v.verdict, decision=latest.get(v.gate.key),  # type: ignore[arg-type]
            criteria=tuple(
                CriterionResult(criterion=m.criterion, description=describe_criterion(m.criterion, m.threshold),
                                threshold=_json_value(m.threshold), measured=_json_value(m.value), passed=m.passed,
                                offenders=tuple(m.offenders[:10]))
                for m in v.measurements
            ),
        )
        for v in verdict.gates
    )
    return Gates(
        verdict=verdict.verdict,  # type: ignore[arg-type]
        gates=gates,
        decisions=tuple(Decision(gate=d.gate_key, decision=DECISION.get(d.decision, d.decision.upper()), by=d.decided_by,
                                 at=d.decided_at, note=d.note or "") for d in decisions),
    )
