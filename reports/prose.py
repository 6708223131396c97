"""The headline in one English line for the terminal (`golive demo`, `report … -o`); reports word it per language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rollout.formats import percent, thousands


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
        return f"{p['open']} open P1 ticket(s), at most {p['maximum']} allowed"
    if code == "gate_at_risk":
        return f"next gate {p['gate']} would be NO-GO now ({', '.join(p.get('criteria') or [])})"
    if code == "runbook_late":
        return f"{p['late']} runbook task(s) late, {p['blocked']} blocked"
    if code == "training_below":
        return f"{p['rows']} unit/role group(s) below the training minimum ({percent(p['share'])} trained)"
    if code == "superuser_gaps":
        return f"{p['shifts']} shift(s) in the next 72 h short of superusers"
    if code == "staffing_gaps":
        return f"{p['shifts']} shift(s) in the next 72 h below the staffing minimum"
    if code == "sla_below_target":
        return f"SLA {p['measure']} compliance {percent(p['share'])}, target {percent(p['target'])}"
    if code == "on_track":
        return "on track"
    return code


def headline_line(data: dict[str, Any]) -> str:
    """`RED: 2 open P1 ticket(s), at most 0 allowed (and 4 more finding(s))` from a cutover report's JSON."""
    h = data["headline"]
    more = len(h["reasons"]) - 1
    text = f"{h['rag'].upper()}: {_reason(h['reason']['code'], h['reason']['params'], data['timezone'])}"
    return text + (f" (and {more} more finding(s))" if more > 0 else "")
