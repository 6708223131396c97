"""Gate criteria: the known names and how each reads to a person.

Measuring functions are found by name in later modules (a registry), so
`rollout` never imports `support` to count open P1 tickets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rollout.formats import percent

KNOWN_CRITERIA = ("training_min", "staff_per_superuser_max", "staffing_min", "open_p1_max", "runbook_due_done")


def describe_criterion(name: str, value: Any) -> str:
    """`training ≥ 90 % (lege 100 %)`, `≤ 10 staff per superuser`, …"""
    if name == "training_min":
        if isinstance(value, dict):
            default = value.get("default", 0.9)  # roles the map does not name need the usual 90 %
            roles = ", ".join(f"{r} {percent(v)}" for r, v in value.items() if r != "default")
            head = f"training ≥ {percent(default)}"
            return f"{head} ({roles})" if roles else head
        return f"training ≥ {percent(value)}"
    if name == "staff_per_superuser_max":
        return f"≤ {value:g} staff per superuser"
    if name == "staffing_min":
        return f"staffing ≥ {percent(value)} of baseline"
    if name == "open_p1_max":
        return f"open P1 ≤ {value}"
    if name == "runbook_due_done":
        return "runbook tasks due are done" if value else "runbook not checked"
    return f"{name}={value}"


def describe_criteria(criteria: dict[str, Any]) -> str:
    return "; ".join(describe_criterion(k, v) for k, v in criteria.items()) or "(none)"


# ---------------------------------------------------------------------------
# Measuring gate criteria.
#
# Each criterion is measured by a function found by *textual path*, so the
# rollout package never imports `support` (open_p1_max) and modules can add
# their measures without a circular import. Signature of every measure:
#
#     def measure(session, ctx: GateContext, threshold) -> Measurement
# ---------------------------------------------------------------------------

MEASURES: dict[str, str] = {
    "training_min": "rollout.gates:measure_training",
    "staff_per_superuser_max": "rollout.gates:measure_superusers",
    "staffing_min": "rollout.gates:measure_staffing",
    "runbook_due_done": "rollout.runbooks.gates:measure_runbook_due_done",
}


@dataclass
class GateContext:
    """What a gate is evaluated against: the plan, the gate (if any), the instant, the units in scope."""

    plan: Any  # rollout.models.Plan
    gate: Any | None  # rollout.models.Gate
    at: datetime
    unit_ids: list[int]


@dataclass
class Measurement:
    criterion: str
    threshold: Any
    value: Any = None  # what was measured; None when not measured
    passed: bool | None = None  # None = not measured yet: never counts as passed
    summary: str = "not measured yet"
    offenders: list[str] = field(default_factory=list)  # worst first, by name
    details: dict[str, Any] = field(default_factory=dict)


def measure_function(name: str) -> Any | None:
    """Import the measure registered for a criterion, or None when nothing measures it yet."""
    path = MEASURES.get(name)
    if path is None:
        return None
    import importlib

    module_name, _, attr = path.partition(":")
    return getattr(importlib.import_module(module_name), attr)
