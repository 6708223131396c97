"""How an apply's changes read to a person: in the rollout file's terms, and what gates would lose.

A change's fields use the file's names (`organisation`, `wave`, `order`),
never column names or ids. `describe_update` turns `[old, new]` pairs into
what a reviewer checks (`lege: +HP-X, -HP-Y`), and `gate_warnings` names
the requirements, criteria and units that gates measure and an apply
would take away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

# Column names as the rollout file speaks of them.
FILE_NAMES = {"organisation_id": "organisation", "plan_id": "plan", "wave_id": "wave", "position": "order"}


def file_terms(fields: dict[str, Any]) -> dict[str, Any]:
    """Rename columns to the file's words; an order is counted from 1 as a person reads the file."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "position":
            value = [v + 1 for v in value] if isinstance(value, list) else value + 1
        out[FILE_NAMES.get(name, name)] = value
    return out


def value_text(value: Any) -> str:
    """A value as it would be written in the file: no Python reprs."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    return str(value)


def _list_delta(old: list[Any], new: list[Any]) -> list[str]:
    gained = [f"+{value_text(v)}" for v in new if v not in old]
    lost = [f"-{value_text(v)}" for v in old if v not in new]
    return gained + lost


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def describe_field(name: str, old: Any, new: Any) -> str:
    """`units +helsehus`, `lege: +HP-X, -HP-Y`, `staff 140 → 150`."""
    if isinstance(old, dict) or isinstance(new, dict):
        old_d, new_d = old or {}, new or {}
        if isinstance(old_d, dict) and isinstance(new_d, dict):
            parts = []
            for key in list(new_d) + [k for k in old_d if k not in new_d]:
                if key not in old_d:
                    parts.append(f"+{key} {value_text(new_d[key])}")
                elif key not in new_d:
                    parts.append(f"-{key}")
                elif old_d[key] != new_d[key]:
                    parts.append(_nested(key, old_d[key], new_d[key]))
            return f"{name}: " + "; ".join(parts)
    if isinstance(old, (list, tuple)) or isinstance(new, (list, tuple)):
        return f"{name} " + ", ".join(_list_delta(_as_list(old), _as_list(new)))
    return f"{name} {value_text(old)} → {value_text(new)}"


def _nested(key: str, old: Any, new: Any) -> str:
    if isinstance(old, (list, tuple)) or isinstance(new, (list, tuple)):
        return f"{key}: " + ", ".join(_list_delta(_as_list(old), _as_list(new)))
    if isinstance(old, dict) and isinstance(new, dict):
        return describe_field(key, old, new)
    return f"{key} {value_text(old)} → {value_text(new)}"


def describe_update(fields: dict[str, Any]) -> str:
    return ", ".join(describe_field(name, pair[0], pair[1]) for name, pair in fields.items())


# -- what gates would lose ------------------------------------------------------------


def _gates(keys: list[str], verb: str) -> str:
    """`gate T-7d measures` / `gates T-7d, T-1d measure`."""
    if len(keys) == 1:
        return f"gate {keys[0]} {verb}s"
    return f"gates {', '.join(keys)} {verb}"


def _lost_courses(old: Any, new: Any) -> list[str]:
    old_d, new_d = old or {}, new or {}
    lost = []
    for role, courses in old_d.items():
        gone = [c for c in _as_list(courses) if c not in _as_list(new_d.get(role))]
        if gone:
            lost.append(f"{role}: {', '.join(gone)}")
    return lost


def gate_warnings(session: Session, changes: list[Any]) -> list[str]:
    """Warnings for changes that take away what a gate measures, read after the changes in the same transaction."""
    from sqlmodel import select

    from rollout.models import Gate, Organisation, Plan, Wave

    def gates_of_plan(plan_key: str, criterion: str | None = None) -> list[str]:
        rows = session.exec(select(Gate.key, Gate.criteria).join(Plan, Plan.id == Gate.plan_id).where(Plan.key == plan_key).order_by(Gate.position))
        return [key for key, criteria in rows if criterion is None or criterion in (criteria or {})]

    warnings: list[str] = []
    for c in changes:
        if c.action == "update" and c.entity == "plan":
            pair = c.fields.get("training_requirements")
            lost = _lost_courses(*pair) if pair else []
            gates = gates_of_plan(c.key, "training_min") if lost else []
            if gates:
                warnings.append(
                    f"plan {c.key} no longer requires {'; '.join(lost)}, which {_gates(gates, 'measure')} (training_min)"
                )
            pair = c.fields.get("superuser_course")
            gates = gates_of_plan(c.key, "staff_per_superuser_max") if pair and pair[0] else []
            if gates:
                warnings.append(
                    f"plan {c.key} changes its superuser course {value_text(pair[0])} → {value_text(pair[1])}, "
                    f"which {_gates(gates, 'use')} (staff_per_superuser_max)"
                )
        elif c.action == "update" and c.entity == "gate" and "criteria" in c.fields:
            old, new = c.fields["criteria"]
            lost = [k for k in (old or {}) if k not in (new or {})]
            if lost:
                warnings.append(f"gate {c.key} loses criteria {', '.join(lost)}")
        elif c.action == "update" and c.entity == "wave" and "units" in c.fields:
            old, new = c.fields["units"]
            lost = [u for u in old if u not in new]
            plan_key, _, wave_name = c.key.partition("/")
            gates = session.exec(
                select(Gate.key).join(Wave, Wave.id == Gate.wave_id).join(Plan, Plan.id == Wave.plan_id)
                .where(Plan.key == plan_key, Wave.name == wave_name).order_by(Gate.position)
            ).all() if lost else []
            if gates:
                warnings.append(f"wave {c.key} loses units {', '.join(lost)}, which {_gates(list(gates), 'measure')}")
        elif c.action == "delete" and c.entity == "unit":
            org_key = c.key.split("/", 1)[0]
            plans = session.exec(
                select(Plan.key).join(Organisation, Organisation.id == Plan.organisation_id)
                .where(Organisation.key == org_key).order_by(Plan.key)
            ).all()
            gated = [p for p in plans if gates_of_plan(p)]
            if gated:
                warnings.append(f"unit {c.key} is deleted; the gates of plan {', '.join(gated)} measured it")
    return warnings
