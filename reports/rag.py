"""The headline's colour, decided in one place from the report's sections.

red, any of:
- `gate_no_go`: the gate in force is NO-GO (the gate in force: per wave, and for the plan's own gates, the latest
  gate due at or before the as-of time). A gate with a decision recorded by the as-of time is judged by its latest
  decision: NO-GO is red, GO is not, even when a re-measurement now would fail (after go-live the open P1 tickets
  of hypercare fail `open_p1_max`; they count under `open_p1` instead). A due gate with no decision is judged by
  its measurement as of now;
- `go_live_late`: before go-live has happened (the runbook's go-live milestone done), the runbook projects it after
  the planned go-live;
- `open_p1`: more open P1 tickets than the plan's `open_p1_max` (0 when no gate sets one);
amber, any of:
- `gate_at_risk`: the next gate, not yet due, would be NO-GO if it were decided now;
- `runbook_late`: runbook tasks are late or blocked (go-live still projected on time);
- `training_below`: (unit, role) rows below their training minimum;
- `superuser_gaps`: shifts in the next 72 hours short of superusers for the ratio;
- `staffing_gaps`: shifts starting in the next 72 hours planned below the staffing minimum;
- `sla_below_target`: SLA response or resolution compliance below 90 %;
green: `on_track`, none of the above.

The headline's one sentence is the first reason (reds before ambers, in the order above).
"""

from __future__ import annotations

from datetime import datetime

from reports.model import Gates, Rag, Readiness, Reason, Runbook, Support


def _failed(gate) -> list[str]:  # noqa: ANN001 - a reports.model.GateResult
    return [c.criterion for c in gate.criteria if c.passed is not True]


def gates_in_force(gates: Gates) -> list:  # noqa: ANN201 - GateResults
    """Per wave (and the plan's own gates), the latest gate that is due: the one whose verdict stands now."""
    latest: dict[str | None, object] = {}
    for g in sorted((g for g in gates.gates if g.due), key=lambda g: (g.due_at, g.gate)):
        latest[g.wave] = g
    return sorted(latest.values(), key=lambda g: (g.due_at, g.gate))  # type: ignore[attr-defined]


def reasons(*, gates: Gates, readiness: Readiness, runbook: Runbook, support: Support, open_p1_max: int,
            at: datetime) -> tuple[Reason, ...]:
    red: list[Reason] = []
    amber: list[Reason] = []
    for g in gates_in_force(gates):
        if g.decision == "NO-GO" or (g.decision is None and g.verdict == "NO-GO"):
            red.append(Reason("gate_no_go", "red", {"gate": g.gate, "due_at": g.due_at, "criteria": _failed(g),
                                                    "decision": g.decision}))
    if runbook.present and runbook.actual_go_live is None and runbook.projected_go_live > runbook.planned_go_live:
        red.append(Reason("go_live_late", "red", {"planned": runbook.planned_go_live, "projected": runbook.projected_go_live,
                                                  "delay_minutes": runbook.go_live_delay}))
    if support.open_p1 > open_p1_max:
        red.append(Reason("open_p1", "red", {"open": support.open_p1, "maximum": open_p1_max}))

    upcoming = sorted((g for g in gates.gates if not g.due and g.due_at is not None), key=lambda g: (g.due_at, g.gate))
    if upcoming and upcoming[0].verdict == "NO-GO":
        g = upcoming[0]
        amber.append(Reason("gate_at_risk", "amber", {"gate": g.gate, "due_at": g.due_at, "criteria": _failed(g)}))
    late = sum(s.late for s in runbook.streams)
    blocked = sum(s.blocked for s in runbook.streams)
    if late or blocked:
        amber.append(Reason("runbook_late", "amber", {"late": late, "blocked": blocked}))
    below = [r for r in readiness.training if not r.passed]
    if below:
        amber.append(Reason("training_below", "amber", {"share": readiness.training_share, "minimum": readiness.training_min,
                                                        "rows": len(below)}))
    short = sum(1 for c in readiness.superuser_coverage if c.gap > 0)
    if short:
        amber.append(Reason("superuser_gaps", "amber", {"shifts": short}))
    understaffed = sum(1 for s in readiness.staffing_gaps if s.start < readiness.coverage_end)
    if understaffed:
        amber.append(Reason("staffing_gaps", "amber", {"shifts": understaffed}))
    for measure in ("response", "resolution"):
        share = getattr(support.sla, measure)
        if share is not None and share < support.sla.target:
            amber.append(Reason("sla_below_target", "amber", {"measure": measure, "share": share, "target": support.sla.target}))
    found = tuple(red + amber)
    return found or (Reason("on_track", "green", {}),)


def colour(found: tuple[Reason, ...]) -> Rag:
    return found[0].rag if found else "green"
