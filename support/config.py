"""The rollout file's `support:` section: resolver groups, routing, categories, the priority matrix, SLA targets, business hours.

Read with file:line errors by `read_section` (the spine calls it by textual
path, see `support/declare.py`), applied idempotently by `apply_section`,
and read back by every support command with `support_config(session)`.
Without a section, the defaults of DESIGN.md apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from rollout.linecheck import KEY_RE, LineReader
from rollout.yamlfile import suggest

DEFAULT_GROUPS = ("supportsenter", "superbrukere", "helseplattformen", "hemit", "norsk-helsenett")
DEFAULT_CATEGORIES = ("access", "printing", "device", "workflow", "training", "configuration", "integration",
                      "messaging", "medication", "data_migration", "performance", "other")
LEVELS = ("high", "medium", "low")  # impact and urgency
PRIORITIES = ("P1", "P2", "P3", "P4")
DEFAULT_MATRIX: dict[str, dict[str, str]] = {
    "high": {"high": "P1", "medium": "P2", "low": "P3"},
    "medium": {"high": "P2", "medium": "P3", "low": "P4"},
    "low": {"high": "P3", "medium": "P4", "low": "P4"},
}
RULE_KEYS = ("category", "organisation", "unit", "service")
SECTION_KEYS = ("groups", "routing", "default_group", "escalation_group", "claim_timeout", "categories", "priority_matrix",
                "sla", "business_hours")


@dataclass(frozen=True)
class RoutingRule:
    """First matching rule wins; a rule matches when every key it names equals the ticket's."""

    group: str
    category: str | None = None
    organisation: str | None = None
    unit: str | None = None  # a bare unit key or org/unit
    service: str | None = None

    def matches(self, *, category: str, organisation: str, unit: str | None, service: str | None) -> bool:
        if self.category is not None and self.category != category:
            return False
        if self.organisation is not None and self.organisation != organisation:
            return False
        if self.unit is not None and unit is not None:
            if self.unit not in (unit, f"{organisation}/{unit}"):
                return False
        elif self.unit is not None:
            return False
        return self.service is None or self.service == service

    def as_json(self) -> dict[str, str]:
        return {k: v for k, v in (("category", self.category), ("organisation", self.organisation), ("unit", self.unit),
                                  ("service", self.service), ("group", self.group)) if v is not None}


@dataclass
class SupportConfig:
    groups: list[str] = field(default_factory=lambda: list(DEFAULT_GROUPS))
    routing: list[RoutingRule] = field(default_factory=list)
    default_group: str = "supportsenter"
    escalation_group: str | None = None
    claim_timeout_minutes: int | None = None
    categories: list[str] = field(default_factory=lambda: list(DEFAULT_CATEGORIES))
    priority_matrix: dict[str, dict[str, str]] = field(default_factory=lambda: {k: dict(v) for k, v in DEFAULT_MATRIX.items()})
    sla: dict[str, dict[str, str]] | None = None  # overrides as written: {P3: {resolution: 3d}}
    business_hours: dict[str, Any] | None = None  # as written: {start: "08:00", end: "16:00"}
    line: int = 0

    def as_document(self) -> dict[str, Any]:
        """The stored form (JSON): compared on apply, so an unchanged file writes nothing."""
        return {
            "groups": self.groups, "routing": [r.as_json() for r in self.routing], "default_group": self.default_group,
            "escalation_group": self.escalation_group, "claim_timeout_minutes": self.claim_timeout_minutes,
            "categories": self.categories, "priority_matrix": self.priority_matrix, "sla": self.sla,
            "business_hours": self.business_hours,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> SupportConfig:
        return cls(
            groups=list(doc["groups"]), routing=[RoutingRule(**r) for r in doc.get("routing", [])],
            default_group=doc["default_group"], escalation_group=doc.get("escalation_group"),
            claim_timeout_minutes=doc.get("claim_timeout_minutes"), categories=list(doc["categories"]),
            priority_matrix=doc["priority_matrix"], sla=doc.get("sla"), business_hours=doc.get("business_hours"),
        )

    def priority(self, impact: str, urgency: str) -> str:
        return self.priority_matrix[impact][urgency]

    def route(self, *, category: str, organisation: str, unit: str | None, service: str | None) -> str:
        for rule in self.routing:
            if rule.matches(category=category, organisation=organisation, unit=unit, service=service):
                return rule.group
        return self.default_group

    def targets(self) -> Any:
        from support.sla_targets import targets_with_overrides

        return targets_with_overrides(self.sla)

    def calendar(self) -> Any:
        from support.business_hours import parse_business_hours

        return parse_business_hours(self.business_hours)


# -- reading the section ----------------------------------------------------------


def _keys(r: LineReader, values: Any, what: str, line: int) -> list[str]:
    items = r.sequence(values, what, line)
    out: list[str] = []
    for item in items:
        text = str(item).strip() if isinstance(item, (str, int)) else ""
        if not KEY_RE.match(text.replace("_", "-")) or len(text) > 64:
            raise r.fail(f"{what}: {item!r} must be a key like 'hemit' or 'data_migration'", getattr(items, "line", line))
        if text in out:
            raise r.fail(f"{what} names {text!r} twice", getattr(items, "line", line))
        out.append(text)
    if not out:
        raise r.fail(f"{what} must name at least one", line)
    return out


def _one_of(r: LineReader, value: Any, choices: list[str], what: str, line: int) -> str:
    text = str(value).strip() if value is not None else ""
    if text not in choices:
        raise r.fail(f"{what} {text!r} is not one of {', '.join(choices)}{suggest(text, choices)}", line)
    return text


def read_section(r: LineReader, raw: Any, line: int) -> SupportConfig:
    """Validate `support:`; every complaint names the file and line, unknown keys get suggestions."""
    from support.business_hours import parse_business_hours
    from support.sla_targets import SlaConfigError, targets_with_overrides

    node = r.mapping(raw, "support", line)
    r.keys(node, "support", required=(), optional=SECTION_KEYS)
    cfg = SupportConfig(line=node.line)
    if node.get("groups") is not None:
        cfg.groups = _keys(r, node["groups"], "support groups", r.line_of(node, "groups"))
    if node.get("categories") is not None:
        cfg.categories = _keys(r, node["categories"], "support categories", r.line_of(node, "categories"))
    default = node.get("default_group", cfg.default_group if cfg.default_group in cfg.groups else cfg.groups[0])
    cfg.default_group = _one_of(r, default, cfg.groups, "support default_group", r.line_of(node, "default_group"))
    if node.get("escalation_group") is not None:
        cfg.escalation_group = _one_of(r, node["escalation_group"], cfg.groups, "support escalation_group",
                                       r.line_of(node, "escalation_group"))
    if node.get("claim_timeout") is not None:
        cfg.claim_timeout_minutes = _minutes(r, node["claim_timeout"], r.line_of(node, "claim_timeout"))
    cfg.routing = [_rule(r, item, cfg) for item in r.sequence(node.get("routing"), "support routing", r.line_of(node, "routing"))]
    if node.get("priority_matrix") is not None:
        cfg.priority_matrix = _matrix(r, node["priority_matrix"], r.line_of(node, "priority_matrix"))
    for key, check in (("sla", lambda v: targets_with_overrides(v)), ("business_hours", lambda v: parse_business_hours(v))):
        if node.get(key) is None:
            continue
        try:
            check(node[key])
        except SlaConfigError as exc:
            raise r.fail(f"support {key}: {exc}", r.line_of(node, key)) from None
        setattr(cfg, key, _plain(node[key]))
    return cfg


def _plain(value: Any) -> Any:
    """LineDict/LineList and dates as plain JSON values for storage."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _minutes(r: LineReader, value: Any, line: int) -> int:
    from rollout.offsets import parse_duration

    try:
        minutes = int(parse_duration(str(value)).total_seconds() // 60)
    except Exception:  # noqa: BLE001 - any refusal of the duration parser is the same complaint
        raise r.fail(f"support claim_timeout {value!r} must be a duration like 30m or 1h", line) from None
    if minutes <= 0:
        raise r.fail(f"support claim_timeout {value!r} must be longer than zero", line)
    return minutes


def _rule(r: LineReader, raw: Any, cfg: SupportConfig) -> RoutingRule:
    node = r.mapping(raw, "a routing rule", getattr(raw, "line", cfg.line))
    r.keys(node, "routing rule", required=("group",), optional=RULE_KEYS)
    if not any(node.get(k) is not None for k in RULE_KEYS):
        raise r.fail(f"a routing rule must name at least one of {', '.join(RULE_KEYS)}", node.line)
    group = _one_of(r, node["group"], cfg.groups, "routing rule group", r.line_of(node, "group"))
    category = node.get("category")
    if category is not None:
        category = _one_of(r, category, cfg.categories, "routing rule category", r.line_of(node, "category"))
    texts = {k: (str(node[k]).strip() if node.get(k) is not None else None) for k in ("organisation", "unit", "service")}
    return RoutingRule(group=group, category=category, **texts)


def _matrix(r: LineReader, raw: Any, line: int) -> dict[str, dict[str, str]]:
    node = r.mapping(raw, "support priority_matrix", line)
    out = {k: dict(v) for k, v in DEFAULT_MATRIX.items()}
    for impact, row in node.items():
        impact_line = node.key_lines[impact]
        impact_key = _one_of(r, impact, list(LEVELS), "priority_matrix impact", impact_line)
        row_node = r.mapping(row, f"priority_matrix {impact_key}", impact_line)
        for urgency, priority in row_node.items():
            u_line = row_node.key_lines[urgency]
            urgency_key = _one_of(r, urgency, list(LEVELS), "priority_matrix urgency", u_line)
            out[impact_key][urgency_key] = _one_of(r, str(priority).upper(), list(PRIORITIES), "priority", u_line)
    return out


# -- applying and reading back --------------------------------------------------------


def support_config(session: Session) -> SupportConfig:
    """The applied `support:` section, else the defaults."""
    from support.models import SupportSettings

    row = session.execute(select(SupportSettings).order_by(SupportSettings.id)).scalars().first()
    return SupportConfig.from_document(row.document) if row is not None else SupportConfig()


def apply_section(session: Session, cfg: SupportConfig, *, actor: str) -> list[Any]:
    """Store the section; only a changed document is written (and audited), key by key."""
    from rollout import audit
    from rollout.apply import Change
    from support.models import SupportSettings

    row = session.execute(select(SupportSettings).order_by(SupportSettings.id)).scalars().first()
    new = cfg.as_document()
    old = row.document if row is not None else SupportConfig().as_document()
    changed = {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}
    if row is not None and not changed:
        return []
    if row is None:
        session.add(SupportSettings(document=new))
    else:
        row.document = new
        session.add(row)
    action = "update" if row is not None else "create"
    fields = changed if row is not None else {k: v for k, v in new.items() if v is not None}
    audit.record(session, actor=actor, action=action, entity="support_settings", entity_key="support", changes=fields)
    return [Change(action=action, entity="support settings", key="support", fields=fields)]
