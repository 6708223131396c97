"""Who hears of what: the rollout file's `notify:` section, resolved through its `contacts:` map.

```yaml
notify:
  - {event: report, plan: trondheim-2022, to: [ledelse@trondheim.kommune.no]}
  - {event: runbook-reminder, to_owner: true}
  - {event: roster-check, plan: trondheim-2022, to: [kommune]}
```

An entry in `to` is an e-mail address or a `contacts:` key. An entry
without `plan` applies to every plan that has no entry of its own.
`to_owner` (runbook reminders only) sends each task's reminder to its owner,
who resolves through `contacts:` too. P1 tickets and SLA escalations go to
the support group's contacts, not through this section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from rollout.linecheck import KEY_RE, LineReader
from rollout.rolloutfile.organisations import EMAIL_RE
from rollout.yamlfile import suggest

EVENTS = ("report", "runbook-reminder", "roster-check")
OWNER_EVENTS = ("runbook-reminder",)


@dataclass
class RuleSpec:
    event: str
    plan: str  # "" for every plan
    to: list[str]
    to_owner: bool
    line: int
    to_line: int

    def document(self) -> dict[str, Any]:
        return {"to": self.to, "to_owner": self.to_owner}


@dataclass
class NotifySpec:
    rules: list[RuleSpec] = field(default_factory=list)
    path: str = ""


def read_section(r: LineReader, raw: Any, line: int) -> NotifySpec:
    """Validate `notify:`: unknown keys and events, to vs to_owner, duplicates; each complaint has its line."""
    spec = NotifySpec(path=r.path)
    seen: dict[tuple[str, str], int] = {}
    for item in r.sequence(raw, "notify", line):
        node = r.mapping(item, "a notify entry", getattr(item, "line", line))
        r.keys(node, "a notify entry", required=("event",), optional=("plan", "to", "to_owner"))
        event = str(node["event"]).strip()
        if event not in EVENTS:
            raise r.fail(f"notify: unknown event {event!r}{suggest(event, EVENTS)}; events: {', '.join(EVENTS)}",
                         r.line_of(node, "event"))
        plan = node.get("plan")
        plan = "" if plan is None else str(plan).strip()
        if plan and not KEY_RE.match(plan):
            raise r.fail(f"notify: plan {plan!r} is not a plan key", r.line_of(node, "plan"))
        to_owner = node.get("to_owner", False)
        if not isinstance(to_owner, bool):
            raise r.fail(f"notify: to_owner must be true or false, not {to_owner!r}", r.line_of(node, "to_owner"))
        if to_owner and event not in OWNER_EVENTS:
            raise r.fail(f"notify: to_owner is only for {', '.join(OWNER_EVENTS)} (a {event} has no owner); use to: [...]",
                         r.line_of(node, "to_owner"))
        to = _to(r, node)
        if not to and not to_owner:
            raise r.fail(f"notify: the {event} entry needs to: [address or contacts key, ...]"
                         + (" or to_owner: true" if event in OWNER_EVENTS else ""), node.line)
        key = (event, plan)
        if key in seen:
            raise r.fail(f"notify: {event}{' for ' + plan if plan else ''} is declared twice (first on line {seen[key]})",
                         node.line)
        seen[key] = node.line
        spec.rules.append(RuleSpec(event, plan, to, to_owner, node.line, r.line_of(node, "to")))
    return spec


def _to(r: LineReader, node: Any) -> list[str]:
    raw = node.get("to")
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items:
        raise r.fail("notify: to must be a list of e-mail addresses or contacts keys", r.line_of(node, "to"))
    found: list[str] = []
    for item in items:
        text = item.strip() if isinstance(item, str) else ""
        if not (EMAIL_RE.match(text) if "@" in text else KEY_RE.match(text)) or len(text) > 200:
            raise r.fail(f"notify: {item!r} in to is neither an e-mail address nor a contacts key", r.line_of(node, "to"))
        if text not in found:
            found.append(text)
    return found


def apply_section(session: Session, spec: NotifySpec, *, actor: str) -> list[Any]:
    """Replace the stored rules by the file's (plans and contacts keys must exist); only changes are written and audited."""
    from rollout import audit
    from rollout.apply import Change
    from rollout.errors import InputError
    from rollout.models import Contact, Plan
    from rollout.scheduler.models import NotifyRule

    plans = set(session.exec(select(Plan.key)))
    contact_keys = set(session.exec(select(Contact.key)))
    for rule in spec.rules:
        if rule.plan and rule.plan not in plans:
            raise InputError(f"notify: no plan {rule.plan!r}{suggest(rule.plan, sorted(plans))}", path=spec.path, line=rule.line)
        for name in rule.to:
            if "@" not in name and name not in contact_keys:
                raise InputError(f"notify: {name!r} is not an e-mail address or a key of contacts:"
                                 f"{suggest(name, sorted(contact_keys))}", path=spec.path, line=rule.to_line)
    existing = {(r.event, r.plan): r for r in session.exec(select(NotifyRule))}
    changes = []
    for rule in spec.rules:
        key = f"{rule.event}/{rule.plan or '*'}"
        row = existing.pop((rule.event, rule.plan), None)
        new = rule.document()
        if row is None:
            session.add(NotifyRule(event=rule.event, plan=rule.plan, to=rule.to, to_owner=rule.to_owner))
            fields = {k: v for k, v in new.items() if v}
            action = "create"
        else:
            old = {"to": list(row.to), "to_owner": row.to_owner}
            fields = {k: [old[k], v] for k, v in new.items() if old[k] != v}
            if not fields:
                continue
            row.to, row.to_owner = rule.to, rule.to_owner
            session.add(row)
            action = "update"
        audit.record(session, actor=actor, action=action, entity="notify_rule", entity_key=key, changes=fields)
        changes.append(Change(action=action, entity="notify rule", key=key, fields=fields))
    for (event, plan), row in existing.items():
        key = f"{event}/{plan or '*'}"
        audit.record(session, actor=actor, action="delete", entity="notify_rule", entity_key=key,
                     changes={"to": list(row.to), "to_owner": row.to_owner})
        session.delete(row)
        changes.append(Change(action="delete", entity="notify rule", key=key))
    session.flush()
    return changes


def addresses(session: Session, names: list[str]) -> list[str]:
    """Addresses for a `to` list or an owner: an address stays, a contacts key expands (unknown keys give none)."""
    from rollout.organisations import contacts_for

    found: list[str] = []
    for name in names:
        for address in ([name] if "@" in name else contacts_for(session, name)):
            if address not in found:
                found.append(address)
    return found


@dataclass
class Recipients:
    to: list[str]
    to_owner: bool


def recipients_for(session: Session, *, event: str, plan: str | None, default_to_owner: bool = False) -> Recipients:
    """The plan's own entry for the event, else the entry for every plan, else nobody (or the owner)."""
    from rollout.scheduler.models import NotifyRule

    rows = {r.plan: r for r in session.exec(select(NotifyRule).where(NotifyRule.event == event))}
    rule = rows.get(plan or "") or rows.get("")
    if rule is None:
        return Recipients([], default_to_owner)
    return Recipients(addresses(session, list(rule.to)), rule.to_owner)
