"""The report's building blocks: JSON conversion, the RAG colours, the headline.

Reason codes (`Reason.code`, with `params`), decided in `reports.rag`, worded by the renderer:

red
- `gate_no_go` {gate, due_at, criteria: [criterion names that did not pass], decision}: the latest decision
  recorded on a due gate is NO-GO, or a due gate with no decision measures NO-GO;
- `go_live_late` {planned, projected, delay_minutes}: the runbook projects go-live after the planned go-live;
- `open_p1` {open, maximum}: more open P1 tickets than the plan's `open_p1_max` (0 when no gate sets it);
amber
- `gate_at_risk` {gate, due_at, criteria}: the next gate, not yet due, would be NO-GO now;
- `runbook_late` {late, blocked}: tasks are late or blocked, go-live still projected on time;
- `training_below` {share, minimum, rows}: (unit, role) rows below their training minimum;
- `superuser_gaps` {shifts}: shifts in the next 72 hours short of superusers;
- `staffing_gaps` {shifts}: shifts in the next 72 hours below the staffing minimum;
- `sla_below_target` {measure: "response" | "resolution", share, target}: SLA compliance below target;
green
- `on_track` {}: nothing above.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from rollout.clock import iso, minutes, zone

Rag = Literal["red", "amber", "green"]
Direction = Literal["better", "worse", "same"]
SCHEMA_VERSION = 1


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


_FIELDS: dict[type, tuple[str, ...]] = {}


def plain(value: Any, tz: Any) -> Any:
    """A report value as JSON-ready data (instants in `tz`, a zone name or a ZoneInfo)."""
    if isinstance(tz, str):  # looked up once, not once per instant
        tz = zone(tz)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name), tz) for name in _field_names(type(value))}
    if isinstance(value, datetime):
        return iso(value, tz)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return minutes(value)
    if isinstance(value, (list, tuple)):
        return [plain(v, tz) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, tz) for k, v in value.items()}
    return value


# -- headline -----------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why the headline has its colour: a code and its parameters, worded by the renderer per language."""

    code: str  # e.g. "gate_no_go", "go_live_late", "open_p1", "on_track"
    rag: Rag
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Headline:
    rag: Rag
    reason: Reason  # the first (worst) of `reasons`: the one sentence
    reasons: tuple[Reason, ...]  # every finding, worst first
    stage: str  # preparation | cutover | hypercare | line operations
    phase: str | None  # the declared phase covering the as-of date
    go_live_planned: datetime
    go_live_actual: datetime | None  # once it has happened (the runbook's go-live milestone done)
    days_to_go_live: int  # calendar days on the plan's wall clock; negative after go-live
    until_go_live: timedelta  # minutes in JSON; negative after go-live
    next_gate: str | None
    next_gate_due: datetime | None


