"""The headline in one English line for the terminal (`golive demo`, `report … -o`); reports word it per language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rollout.formats import percent, thousands


def _n(count: int, one: str, many: str) -> str:
    """`1 shift`, `2 shifts`: the terminal line reads as a sentence, not as `shift(s)`."""
    return f"{thousands(count)} {one if count == 1 else many}"


def _reason(code: str, p: dict[str, Any], tz: str) -> str:
    from rollout.formats import when

    if code == "gate_no_go":
        if p.get("decision") == "NO-GO":
            return f"gate {p['gate']} was decided NO-GO"
        what = ", ".join(p.get("criteria") or []) or "its decision"
        return f"gate {p['gate']} is NO-GO ({what})"
    if code == "go_live_late":
        projected = when(datetime.fromisoformat(p["projected"]), tz)
        return f"go-live projected {projected}, {thousands(int(p['delay_minutes']))} min after plan"
    if code == "open_p1":
        return f"{_n(int(p['open']), 'open P1 ticket', 'open P1 tickets')}, at most {p['maximum']} allowed"
    if code == "gate_at_risk":
        return f"next gate {p['gate']} would be NO-GO now ({', '.join(p.get('criteria') or [])})"
    if code == "runbook_late":
        return f"{_n(int(p['late']), 'runbook task', 'runbook tasks')} late, {p['blocked']} blocked"
    if code == "training_below":
        return f"{_n(int(p['rows']), 'unit/role group', 'unit/role groups')} below the training minimum ({percent(p['share'])} trained)"
    if code == "superuser_gaps":
        return f"{_n(int(p['shifts']), 'shift', 'shifts')} in the next 72 h short of superusers"
    if code == "staffing_gaps":
        return f"{_n(int(p['shifts']), 'shift', 'shifts')} in the next 72 h below the staffing minimum"
    if code == "sla_below_target":
        return f"SLA {p['measure']} compliance {percent(p['share'])}, target {percent(p['target'])}"
    if code == "on_track":
        return "on track"
    return code


def headline_line(data: dict[str, Any]) -> str:
    """`RED: 2 open P1 tickets, at most 0 allowed (and 4 more findings)` from a cutover report's JSON."""
    h = data["headline"]
    more = len(h["reasons"]) - 1
    text = f"{h['rag'].upper()}: {_reason(h['reason']['code'], h['reason']['params'], data['timezone'])}"
    return text + (f" (and {_n(more, 'more finding', 'more findings')})" if more > 0 else "")
