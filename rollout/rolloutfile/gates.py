"""The rollout file's gates: when each is due, which wave it speaks for, and its criteria."""

from __future__ import annotations

from typing import Any

from rollout.clock import parse_instant
from rollout.errors import GoliveError
from rollout.linecheck import MAX_KEY, LineReader
from rollout.offsets import is_offset, parse_offset
from rollout.rolloutfile.specs import GateSpec
from rollout.yamlfile import LineDict, suggest


def gate_section(r: LineReader, plan_key: str, raw: Any, tz_name: str) -> GateSpec:
    node = r.mapping(raw, "a gate", getattr(raw, "line", 1))
    r.keys(node, "gate", required=("key",), optional=("at", "wave", "criteria", "readiness_window_days"))
    key = r.text(node, "key", "gate", max_length=MAX_KEY) or ""
    at = r.text(node, "at", f"gate {key!r}", max_length=MAX_KEY)
    offset = absolute = None
    if at is not None:
        try:
            if is_offset(at):
                offset = parse_offset(at)
            else:
                absolute = parse_instant(at, tz_name, what=f"gate {key!r} at")
        except GoliveError as exc:
            raise r.fail(str(exc), r.line_of(node, "at")) from None
    criteria_raw = node.get("criteria") or LineDict()
    criteria_node = r.mapping(criteria_raw, f"gate {key!r} criteria", r.line_of(node, "criteria"))
    criteria = {name: _criterion(r, key, criteria_node, name) for name in criteria_node}
    wave = r.text(node, "wave", f"gate {key!r}")
    window = r.integer(node, "readiness_window_days", f"gate {key!r}", default=None, minimum=1, maximum=3660)
    return GateSpec(key, at, offset, absolute, wave, criteria, node.line, r.line_of(node, "wave"), window)


def _criterion(r: LineReader, gate_key: str, node: LineDict, name: str) -> Any:
    """A threshold checked by the criterion that owns it (declared by its package)."""
    from rollout.criteria import known_criteria
    from rollout.seams import CriterionValueError

    line = r.line_of(node, name)
    known = known_criteria()
    criterion = known.get(name)
    if criterion is None:
        raise r.fail(
            f"gate {gate_key!r}: unknown criterion {name!r}{suggest(name, list(known))}; known: {', '.join(known)}",
            line,
        )
    try:
        return criterion.validate(node[name])
    except CriterionValueError as exc:
        raise r.fail(f"gate {gate_key!r}: {exc}", line) from None
