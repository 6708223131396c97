"""Sections of the cutover report: gates, readiness and the runbook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from reports.model.base import Rag


# -- gates --------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    description: str  # how the threshold reads ("training ≥ 90 %"), from the criterion's own describe
    threshold: Any
    measured: Any  # the measured value; None when nothing measures it yet
    passed: bool | None  # None: not measured yet (never counts as passed)
    offenders: tuple[str, ...] = ()  # worst first, by name


@dataclass(frozen=True)
class GateResult:
    gate: str
    wave: str | None
    due_at: datetime | None
    due: bool  # due at or before the report's as-of time
    verdict: Literal["GO", "NO-GO"]
    decision: str | None  # the latest recorded decision on this gate, if any
    criteria: tuple[CriterionResult, ...]


@dataclass(frozen=True)
class Decision:
    gate: str
    decision: str  # GO | NO-GO
    by: str
    at: datetime
    note: str


@dataclass(frozen=True)
class Gates:
    verdict: Literal["GO", "NO-GO"]  # NO-GO when any gate is
    gates: tuple[GateResult, ...]
    decisions: tuple[Decision, ...]  # oldest first, up to the as-of time


# -- readiness ----------------------------------------------------------------


@dataclass(frozen=True)
class TrainingRow:
    unit: str
    unit_name: str
    role: str
    trained: int
    total: int
    share: float  # 0-1, rounded to 4 places
    minimum: float  # the training_min that applies to this role
    passed: bool


@dataclass(frozen=True)
class StaffingGapRow:
    unit: str
    unit_name: str
    date: date
    shift: str
    start: datetime
    planned: int | None  # None: nothing planned for a shift of a 24/7 unit
    baseline: int | None
    required: int | None
    missing: int | None  # required - planned (people); None when not computable


@dataclass(frozen=True)
class CoverageRow:
    """Superusers on one unit's shift in the next 72 hours."""

    unit: str
    unit_name: str
    date: date
    shift: str
    start: datetime
    staff: int
    superusers: int
    gap: int  # superusers missing for the ratio (0 when covered)


@dataclass(frozen=True)
class WorstGap:
    """A named shortfall, worst first: untrained staff on a unit, or a shift short of superusers or people."""

    kind: Literal["training", "superusers", "staffing"]
    unit: str
    unit_name: str
    role: str | None
    date: date | None
    shift: str | None
    missing: int | None  # people missing (untrained, superusers short, staff short); None: no staffing planned at all


@dataclass(frozen=True)
class Readiness:
    window_start: datetime
    window_end: datetime
    training_min: float  # the default share required
    training_share: float | None  # trained / total over every (unit, role); None: no people loaded
    trained: int
    total: int
    training: tuple[TrainingRow, ...]  # the heatmap, unit × role
    staffing_min: float
    staffing_gaps: tuple[StaffingGapRow, ...]
    superuser_ratio: float  # at most this many staff per superuser
    superuser_gaps: int  # shifts in the readiness window short of superusers
    coverage_start: datetime
    coverage_end: datetime  # as_of + 72 h
    superuser_coverage: tuple[CoverageRow, ...]  # unit × shift, next 72 h
    worst_gaps: tuple[WorstGap, ...]


# -- runbook ------------------------------------------------------------------


@dataclass(frozen=True)
class StreamRow:
    stream: str
    done: int
    total: int
    running: int
    late: int
    blocked: int
    rag: Rag


@dataclass(frozen=True)
class TaskRow:
    key: str
    title: str
    stream: str
    owner: str | None
    status: str
    planned_end: datetime
    projected_end: datetime
    late: timedelta  # how late it is now (minutes in JSON)
    critical: bool


@dataclass(frozen=True)
class PathTask:
    key: str
    title: str
    status: str


@dataclass(frozen=True)
class Runbook:
    present: bool  # False: the plan has no runbook (the lists are empty, go-live times the plan's)
    done: int
    total: int
    streams: tuple[StreamRow, ...]
    late: tuple[TaskRow, ...]
    blocked: tuple[TaskRow, ...]
    critical_path: tuple[PathTask, ...]
    planned_go_live: datetime
    projected_go_live: datetime
    actual_go_live: datetime | None
    go_live_delay: timedelta  # projected - planned (minutes in JSON)


