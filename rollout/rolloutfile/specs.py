"""The rollout file as typed specs: what `golive apply` brings the database in line with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rollout.clock import zone
from rollout.offsets import Offset


@dataclass
class UnitSpec:
    key: str
    name: str
    service: str
    hours: str
    staff: int
    line: int


@dataclass
class OrganisationSpec:
    key: str
    name: str
    kind: str
    org_number: str | None
    units: list[UnitSpec]
    line: int


@dataclass
class PhaseSpec:
    name: str
    start: date
    end: date
    line: int


@dataclass
class WaveSpec:
    name: str
    go_live: datetime
    units: list[str]
    line: int
    unit_lines: list[int] = field(default_factory=list)


@dataclass
class GateSpec:
    key: str
    at: str | None  # as written: "T-7d" or a local time
    offset: Offset | None
    absolute: datetime | None
    wave: str | None
    criteria: dict[str, Any]
    line: int
    wave_line: int = 0
    readiness_window_days: int | None = None  # overrides the plan's window for this gate

    def due_at(self, anchor: datetime, tz_name: str) -> datetime | None:
        """The gate's due instant: an offset from the anchor go-live, or its absolute time."""
        if self.offset is not None:
            return self.offset.apply(anchor, zone(tz_name))
        return self.absolute


@dataclass
class PlanSpec:
    key: str
    organisation: str
    name: str
    timezone: str
    cutover_start: datetime
    go_live: datetime
    hypercare_until: date
    playbook: str | None
    language: str
    readiness_window_days: int | None
    phases: list[PhaseSpec]
    waves: list[WaveSpec]
    gates: list[GateSpec]
    line: int
    organisation_line: int
    # Readiness settings: {role: [course, …]} ("default" applies to roles not named), a course, {shift: "HH:MM-HH:MM"}
    training_requirements: dict[str, list[str]] | None = None
    superuser_course: str | None = None
    shifts: dict[str, str] | None = None


@dataclass
class RolloutFile:
    path: str
    organisations: list[OrganisationSpec]
    plans: list[PlanSpec]
    # Who to notify for an organisation key or a role ("kommune", "hemit"): key -> e-mail addresses.
    contacts: dict[str, list[str]] = field(default_factory=dict)
    contacts_line: int = 0
    # Sections other packages own (`support:`), read by their FileSection: key -> that package's spec.
    sections: dict[str, Any] = field(default_factory=dict)
