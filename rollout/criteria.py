"""Gate criteria as the spine sees them: what a measure gets, what it returns, and lookup by name.

The criteria themselves are declared by the packages that measure them
(`rollout/readiness/criteria.py`, `rollout/runbooks/criteria.py`,
`support/criteria.py`) and merged by `rollout.registry`, so the spine never
imports `support` to count open P1 tickets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rollout.seams import Criterion, load_path


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


def known_criteria() -> dict[str, Criterion]:
    from rollout.registry import criteria

    return criteria()


def describe_criterion(name: str, value: Any) -> str:
    """`training ≥ 90 % (lege 100 %)`, `≤ 10 staff per superuser`, …"""
    criterion = known_criteria().get(name)
    return criterion.describe(value) if criterion is not None else f"{name}={value}"


def describe_criteria(criteria: dict[str, Any]) -> str:
    return "; ".join(describe_criterion(k, v) for k, v in criteria.items()) or "(none)"


def measure_function(name: str) -> Any | None:
    """The measure of a criterion, or None when nothing measures it yet (or it is no longer declared)."""
    criterion = known_criteria().get(name)
    if criterion is None or criterion.measure is None:
        return None
    return load_path(criterion.measure)
