"""Sections of the cutover report: the support queue, and what changed since the last report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reports.model.base import Direction


# -- support ------------------------------------------------------------------


@dataclass(frozen=True)
class DayCount:
    date: date  # a day on the plan's wall clock
    opened: int
    resolved: int


@dataclass(frozen=True)
class PriorityCount:
    priority: str  # P1-P4
    open: int


@dataclass(frozen=True)
class CategoryCount:
    category: str
    open: int


@dataclass(frozen=True)
class AgingBucket:
    bucket: str  # "lt_4h", "4h_1d", "1d_3d", "3d_7d", "ge_7d"
    open: int


@dataclass(frozen=True)
class UnitCount:
    unit: str | None  # None: tickets with no unit
    unit_name: str | None
    tickets: int  # opened up to the as-of time
    open: int


@dataclass(frozen=True)
class KnownIssueRow:
    id: int
    title: str
    status: str
    tickets: int  # linked tickets of this plan's organisation
    workaround: str


@dataclass(frozen=True)
class OpenTicketRow:
    """An open P1 ticket named in the report, so a reader sees which ones (the gate's own rule for "open at")."""

    id: int
    category: str
    title: str
    created_at: datetime
    age_minutes: int  # open for this long at the as-of time


@dataclass(frozen=True)
class SlaCompliance:
    """Share of tickets whose target fell due by the as-of time that were met (None when none fell due)."""

    target: float  # the compliance share below which the report is amber
    response: float | None
    response_met: int
    response_due: int
    resolution: float | None
    resolution_met: int
    resolution_due: int


@dataclass(frozen=True)
class Support:
    since: date  # first day of the per-day series
    opened_total: int
    open_total: int
    open_p1: int
    breached_open: int  # open tickets past a due time
    days: tuple[DayCount, ...]
    backlog: tuple[PriorityCount, ...]  # P1..P4, every priority listed
    by_category: tuple[CategoryCount, ...]
    sla: SlaCompliance
    aging: tuple[AgingBucket, ...]
    top_units: tuple[UnitCount, ...]
    known_issues: tuple[KnownIssueRow, ...]
    open_p1_tickets: tuple[OpenTicketRow, ...]  # the oldest first, at most TOP_P1


# -- since last report --------------------------------------------------------


@dataclass(frozen=True)
class Change:
    metric: str  # a key figure's code (`training_share`, `open_p1`, …)
    before: Any
    after: Any
    direction: Direction


@dataclass(frozen=True)
class Changes:
    baseline_as_of: datetime | None  # None: no earlier report
    items: tuple[Change, ...]

    @property
    def better(self) -> tuple[Change, ...]:
        return tuple(c for c in self.items if c.direction == "better")

    @property
    def worse(self) -> tuple[Change, ...]:
        return tuple(c for c in self.items if c.direction == "worse")


NO_CHANGES = Changes(baseline_as_of=None, items=())


