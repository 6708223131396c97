"""Since last report: the key figures of two reports compared, each better, worse or the same.

Figures are read from the reports' JSON, so a stored snapshot (the baseline)
and the current report compare the same way. A figure missing on either side
is left out; so is one that is None on both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reports.model import Change, Changes

HIGHER, LOWER = 1, -1
RAG_ORDER = {"red": 0, "amber": 1, "green": 2}  # higher is better

# (metric, which way is better)
CUTOVER_FIGURES: tuple[tuple[str, int], ...] = (
    ("rag", HIGHER),
    ("gates_no_go", LOWER),
    ("training_share", HIGHER),
    ("untrained", LOWER),
    ("superuser_gaps", LOWER),
    ("staffing_gaps", LOWER),
    ("runbook_done", HIGHER),
    ("runbook_late", LOWER),
    ("runbook_blocked", LOWER),
    ("go_live_delay_minutes", LOWER),
    ("open_total", LOWER),
    ("open_p1", LOWER),
    ("open_p2", LOWER),
    ("breached_open", LOWER),
    ("sla_response", HIGHER),
    ("sla_resolution", HIGHER),
)
REGION_FIGURES: tuple[tuple[str, int], ...] = (
    ("rag", HIGHER), ("training_share", HIGHER), ("superuser_gaps", LOWER), ("open_total", LOWER),
    ("sla_response", HIGHER), ("sla_resolution", HIGHER),
)


def cutover_figures(data: dict[str, Any]) -> dict[str, Any]:
    """The key figures of a cutover report's JSON."""
    r, rb, s = data["readiness"], data["runbook"], data["support"]
    backlog = {row["priority"]: row["open"] for row in s["backlog"]}
    return {
        "rag": data["headline"]["rag"],
        "gates_no_go": sum(1 for g in data["gates"]["gates"] if g["verdict"] == "NO-GO"),
        "training_share": r["training_share"],
        "untrained": r["total"] - r["trained"],
        "superuser_gaps": sum(1 for c in r["superuser_coverage"] if c["gap"] > 0),
        "staffing_gaps": len(r["staffing_gaps"]),
        "runbook_done": rb["done"] if rb["present"] else None,
        "runbook_late": sum(st["late"] for st in rb["streams"]) if rb["present"] else None,
        "runbook_blocked": sum(st["blocked"] for st in rb["streams"]) if rb["present"] else None,
        "go_live_delay_minutes": rb["go_live_delay"] if rb["present"] else None,
        "open_total": s["open_total"],
        "open_p1": backlog.get("P1", 0),
        "open_p2": backlog.get("P2", 0),
        "breached_open": s["breached_open"],
        "sla_response": s["sla"]["response"],
        "sla_resolution": s["sla"]["resolution"],
    }


def region_figures(data: dict[str, Any]) -> dict[str, Any]:
    """`<plan>.<figure>` for every plan row of a region report's JSON."""
    out: dict[str, Any] = {}
    for row in data["plans"]:
        for name, _way in REGION_FIGURES:
            out[f"{row['plan']}.{name}"] = row[name]
    return out


def direction(metric: str, before: Any, after: Any, way: int) -> str:
    if metric == "rag" or metric.endswith(".rag"):
        before, after = RAG_ORDER.get(before, 0), RAG_ORDER.get(after, 0)
    if before == after:
        return "same"
    return "better" if (after - before) * way > 0 else "worse"


def compare(before: dict[str, Any], after: dict[str, Any], figures: list[tuple[str, int]]) -> tuple[Change, ...]:
    items = []
    for metric, way in figures:
        if metric not in before or metric not in after:
            continue
        b, a = before[metric], after[metric]
        if b is None or a is None:
            continue
        items.append(Change(metric=metric, before=b, after=a, direction=direction(metric, b, a, way)))  # type: ignore[arg-type]
    return tuple(items)


def cutover_changes(baseline: dict[str, Any] | None, baseline_as_of: datetime | None, current: dict[str, Any]) -> Changes:
    if baseline is None:
        return Changes(baseline_as_of=None, items=())
    return Changes(baseline_as_of=baseline_as_of, items=compare(cutover_figures(baseline), cutover_figures(current),
                                                                list(CUTOVER_FIGURES)))


def region_changes(baseline: dict[str, Any] | None, baseline_as_of: datetime | None, current: dict[str, Any]) -> Changes:
    if baseline is None:
        return Changes(baseline_as_of=None, items=())
    plans = [row["plan"] for row in current["plans"]]
    figures = [(f"{p}.{name}", way) for p in plans for name, way in REGION_FIGURES]
    return Changes(baseline_as_of=baseline_as_of, items=compare(region_figures(baseline), region_figures(current), figures))
