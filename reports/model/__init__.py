"""The report as plain typed data: one model feeds JSON, HTML and Markdown alike.

Frozen dataclasses with tuples for lists. Field names are the JSON keys
(`headline.rag`, `readiness.training`, `support.backlog`, `runbook.projected_go_live`);
`as_json()` turns the tree into plain dicts and lists: instants ISO 8601 with the
offset of the report's time zone, durations (timedelta) in minutes, dates ISO.

Nothing here is prose. The headline's reason is a code with structured
parameters (`Reason("gate_no_go", {"gate": "T-1d"})`) so that each language
words it itself; see `reports.rag` for the codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from reports.model.base import SCHEMA_VERSION, Direction, Headline, Rag, Reason, plain
from reports.model.sections import (
    CoverageRow, CriterionResult, Decision, GateResult, Gates, PathTask, Readiness, Runbook, StaffingGapRow, StreamRow,
    TaskRow, TrainingRow, WorstGap,
)
from reports.model.support import (
    NO_CHANGES, AgingBucket, CategoryCount, Change, Changes, DayCount, KnownIssueRow, OpenTicketRow, PriorityCount,
    SlaCompliance, Support, UnitCount,
)

__all__ = [
    "SCHEMA_VERSION", "AgingBucket", "CategoryCount", "Change", "Changes", "CoverageRow", "CriterionResult",
    "CutoverReport", "DayCount", "Decision", "Direction", "GateResult", "Gates", "Headline", "KnownIssueRow",
    "NO_CHANGES", "OpenTicketRow", "PathTask", "PriorityCount", "Rag", "Readiness", "Reason", "RegionGate", "RegionReport", "RegionRow",
    "Runbook", "SlaCompliance", "StaffingGapRow", "StreamRow", "Support", "TaskRow", "TrainingRow", "UnitCount",
    "WorstGap", "plain",
]


# -- the reports --------------------------------------------------------------


@dataclass(frozen=True)
class CutoverReport:
    plan: str
    plan_name: str
    organisation: str
    organisation_name: str
    timezone: str
    as_of: datetime
    lang: str  # the plan's language: the default for rendering
    headline: Headline
    gates: Gates
    readiness: Readiness
    runbook: Runbook
    support: Support
    changes: Changes = NO_CHANGES
    kind: str = "cutover"
    schema_version: int = SCHEMA_VERSION

    def as_json(self) -> dict[str, Any]:
        return plain(self, self.timezone)



@dataclass(frozen=True)
class RegionGate:
    gate: str
    due_at: datetime | None
    verdict: Literal["GO", "NO-GO"]
    decision: str | None


@dataclass(frozen=True)
class RegionRow:
    plan: str
    plan_name: str
    organisation: str
    organisation_name: str
    rag: Rag
    reason: Reason
    stage: str
    phase: str | None
    go_live: datetime
    days_to_go_live: int  # negative after go-live
    gates: tuple[RegionGate, ...]
    training_share: float | None  # None: no people loaded
    superuser_gaps: int
    open_by_priority: tuple[PriorityCount, ...]
    open_total: int
    sla_response: float | None
    sla_resolution: float | None


@dataclass(frozen=True)
class RegionReport:
    as_of: datetime
    timezone: str
    lang: str
    plans: tuple[RegionRow, ...]  # by go-live, then key
    changes: Changes = NO_CHANGES
    kind: str = "region"
    schema_version: int = SCHEMA_VERSION

    def as_json(self) -> dict[str, Any]:
        return plain(self, self.timezone)
