"""The rollout file's `contacts` and `organisations` sections, with their units."""

from __future__ import annotations

import re
from typing import Any

from rollout.linecheck import KEY_RE, MAX_SHORT_NAME, LineReader
from rollout.models import ORG_KINDS, UNIT_HOURS
from rollout.rolloutfile.specs import OrganisationSpec, UnitSpec
from rollout.yamlfile import suggest

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def contacts_section(r: LineReader, raw: Any, line: int) -> dict[str, list[str]]:
    """`contacts: {hemit: [vakt@hemit.no], kommune: [...]}`: organisation keys or roles to e-mail addresses."""
    if raw is None:
        return {}
    node = r.mapping(raw, "contacts", line)
    contacts: dict[str, list[str]] = {}
    for key, value in node.items():
        key_line = node.key_lines[key]
        if not KEY_RE.match(key) or len(key) > 64:
            raise r.fail(f"contacts key {key!r} must be an organisation key or role like 'hemit' or 'kommune'", key_line)
        addresses = [value] if isinstance(value, str) else value
        if not isinstance(addresses, list) or not addresses:
            raise r.fail(f"contacts for {key!r} must be a list of e-mail addresses", key_line)
        seen: list[str] = []
        for address in addresses:
            text = str(address).strip() if isinstance(address, str) else ""
            if not EMAIL_RE.match(text) or len(text) > 200:
                raise r.fail(f"contacts for {key!r}: {address!r} is not an e-mail address", getattr(value, "line", key_line))
            if text.lower() not in (a.lower() for a in seen):
                seen.append(text)
        contacts[key] = seen
    return contacts


def organisation_section(r: LineReader, raw: Any) -> OrganisationSpec:
    node = r.mapping(raw, "an organisation", getattr(raw, "line", 1))
    r.keys(node, "organisation", required=("key", "name", "kind"), optional=("org_number", "units"))
    key = r.slug(node, "key", "organisation")
    kind = r.text(node, "kind", "organisation") or ""
    if kind not in ORG_KINDS:
        raise r.fail(
            f"organisation {key!r}: kind {kind!r} is not one of {', '.join(ORG_KINDS)}{suggest(kind, ORG_KINDS)}",
            r.line_of(node, "kind"),
        )
    org_number = r.text(node, "org_number", "organisation")
    if org_number is not None:
        org_number = _org_number(r, org_number, r.line_of(node, "org_number"))
    units = [_unit(r, key, u) for u in r.sequence(node.get("units"), "units", node.line)]
    seen: dict[str, int] = {}
    for unit in units:
        if unit.key in seen:
            raise r.fail(
                f"unit {unit.key!r} is declared twice in organisation {key!r} (first on line {seen[unit.key]})",
                unit.line,
            )
        seen[unit.key] = unit.line
    return OrganisationSpec(key, r.text(node, "name", "organisation") or key, kind, org_number, units, node.line)


def _org_number(r: LineReader, value: str, line: int) -> str:
    from stdnum.exceptions import ValidationError
    from stdnum.no import orgnr

    compact = orgnr.compact(value)
    try:
        return orgnr.validate(compact)
    except ValidationError:
        if not (compact.isdigit() and len(compact) == 9):
            raise r.fail(f"org_number {value!r} must be 9 digits", line) from None
        raise r.fail(f"org_number {value!r} fails its mod-11 check digit", line) from None


def _unit(r: LineReader, org_key: str, raw: Any) -> UnitSpec:
    node = r.mapping(raw, "a unit", getattr(raw, "line", 1))
    r.keys(node, "unit", required=("key", "name"), optional=("service", "hours", "staff"))
    key = r.slug(node, "key", "unit")
    hours = r.text(node, "hours", "unit", "weekdays") or "weekdays"
    if hours not in UNIT_HOURS:
        raise r.fail(f"unit {org_key}/{key}: hours {hours!r} must be \"24/7\" or \"weekdays\"", r.line_of(node, "hours"))
    staff = r.integer(node, "staff", f"unit {org_key}/{key}", default=0) or 0
    return UnitSpec(
        key=key,
        name=r.text(node, "name", "unit") or key,
        service=r.text(node, "service", "unit", max_length=MAX_SHORT_NAME) or key,
        hours=hours,
        staff=staff,
        line=node.line,
    )
