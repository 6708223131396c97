"""The rollout file: organisations, units and plans declared in YAML, validated to typed specs.

Everything here is checked before anything is written, and each complaint
names the file and line. Cross-references to rows already in the database
(a plan for an organisation applied from another file) are checked by
`rollout.apply`, which also has the lines.
"""

from __future__ import annotations

from pathlib import Path

from rollout.linecheck import KEY_RE, LineReader
from rollout.registry import file_sections
from rollout.rolloutfile.organisations import contacts_section, organisation_section
from rollout.rolloutfile.plans import plan_section
from rollout.rolloutfile.specs import (
    GateSpec,
    OrganisationSpec,
    PhaseSpec,
    PlanSpec,
    RolloutFile,
    UnitSpec,
    WaveSpec,
)
from rollout.seams import load_path
from rollout.yamlfile import load_yaml

__all__ = ["KEY_RE", "GateSpec", "OrganisationSpec", "PhaseSpec", "PlanSpec", "RolloutFile", "UnitSpec", "WaveSpec",
           "read_rollout_file"]


def read_rollout_file(path: Path) -> RolloutFile:
    """Parse and validate a rollout file; raises InputError naming file and line."""
    document = load_yaml(path)
    r = LineReader(path)
    top = r.mapping(document, "the rollout file", 1)
    owned = file_sections()
    r.keys(top, "the rollout file", required=(), optional=("organisations", "plans", "contacts", *owned))
    if not any(top.get(key) for key in ("organisations", "plans", "contacts", *owned)):
        raise r.fail(f"the file declares no {', '.join(('organisations', 'plans', 'contacts', *owned))}", top.line)
    # a package's section is read by that package (support:), found by textual path
    sections = {key: load_path(owned[key].read)(r, top[key], r.line_of(top, key)) for key in owned if top.get(key) is not None}
    contacts = contacts_section(r, top.get("contacts"), r.line_of(top, "contacts"))
    organisations = [organisation_section(r, node) for node in r.sequence(top.get("organisations"), "organisations", top.line)]
    seen: dict[str, int] = {}
    for org in organisations:
        if org.key in seen:
            raise r.fail(f"organisation {org.key!r} is declared twice (first on line {seen[org.key]})", org.line)
        seen[org.key] = org.line
    plans = [plan_section(r, node) for node in r.sequence(top.get("plans"), "plans", top.line)]
    seen = {}
    for plan in plans:
        if plan.key in seen:
            raise r.fail(f"plan {plan.key!r} is declared twice (first on line {seen[plan.key]})", plan.line)
        seen[plan.key] = plan.line
    return RolloutFile(
        path=str(path), organisations=organisations, plans=plans, contacts=contacts, contacts_line=r.line_of(top, "contacts"),
        sections=sections,
    )
