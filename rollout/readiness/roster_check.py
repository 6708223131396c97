"""The `roster-check` job: superuser and staffing gaps in the next `hours` (default 72) tell the plan's recipients.

Read from the same library views `roster gaps` and `staffing gaps` print
(roster_gaps, staffing_gaps), with the plan's thresholds, over the window
from now. One message per run, only when there is a gap, to the plan's
`roster-check` recipients (else its organisation's contacts).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rollout.formats import when

EVENT = "roster-check"
DEFAULT_HOURS = 72
MAX_LINES = 40


def roster_check_job(ctx: Any) -> Any:
    """run(ctx) for the `roster-check` kind (see rollout.scheduler.contract)."""
    from rollout.models import Organisation
    from rollout.organisations import contacts_for
    from rollout.outbox.recipients import recipients_for
    from rollout.readiness.roster import roster_gaps
    from rollout.readiness.scope import gate_threshold, readiness_scope
    from rollout.readiness.shifts import DEFAULT_STAFF_PER_SUPERUSER, DEFAULT_STAFFING_MIN
    from rollout.readiness.staffing import staffing_gaps

    session, outcome = ctx.session, ctx.outcome
    scope = readiness_scope(session, plan=ctx.params["plan"])
    plan = scope.plan
    hours = ctx.params.get("hours") or DEFAULT_HOURS
    window = (ctx.now, ctx.now + timedelta(hours=hours))
    maximum = gate_threshold(session, plan=plan, gate=None, criterion="staff_per_superuser_max", default=DEFAULT_STAFF_PER_SUPERUSER)
    minimum = gate_threshold(session, plan=plan, gate=None, criterion="staffing_min", default=DEFAULT_STAFFING_MIN)
    roster = roster_gaps(session, plan=plan, at=ctx.now, unit_ids=scope.unit_ids, window=window, maximum=maximum)
    staffing, checked = staffing_gaps(session, plan=plan, unit_ids=scope.unit_ids, window=window, minimum=minimum, units=scope.units)
    outcome.items = roster.shifts_checked + checked
    tz = plan.timezone
    lines = [f"Superusers: {gap.describe()}" for gap in roster.ratio_gaps]
    lines += [f"Superusers: {x['name']} ({x['unit']}) is on duty without the superuser course" for x in roster.untrained_superusers]
    lines += [f"Staffing: {g.slot.unit} {g.slot.shift} {g.slot.day}: "
              + ("no staffing row" if g.planned is None else f"{g.planned} planned, {g.required} needed") for g in staffing]
    outcome.summary = (f"{plan.key}: {len(roster.ratio_gaps)} superuser gap(s), {len(staffing)} staffing gap(s) "
                       f"in the next {hours} h")
    if not lines:
        return outcome
    rule = recipients_for(session, event=EVENT, plan=plan.key)
    org = session.get(Organisation, plan.organisation_id)
    to = rule.to or (contacts_for(session, org.key) if org is not None else [])  # no entry: the organisation's contacts
    if not to:
        outcome.failures.append(_failure(f"{len(lines)} gap(s) but nobody to tell: add a notify entry for roster-check"))
        return outcome
    shown = lines[:MAX_LINES] + ([f"… and {len(lines) - MAX_LINES} more"] if len(lines) > MAX_LINES else [])
    body = "\n".join([f"Gaps in {plan.key} between {when(window[0], tz)} and {when(window[1], tz)}:", *shown, "",
                      f"golive roster gaps {plan.key}", f"golive staffing gaps {plan.key}"])
    ctx.notify(event=EVENT, recipients=to, subject=f"Roster gaps in {plan.key}: {len(lines)} in the next {hours} h",
               body=body)
    return outcome


def _failure(text: str) -> Any:
    from rollout.scheduler.contract import ItemFailure

    return ItemFailure("recipients", text)
