"""`golive sla check|sweep`: thin commands over support.sla."""

from __future__ import annotations

import typer

from rollout.cli.context import AS_OPTION, AT_OPTION, JSON_OPTION, app_context, console, emit_json, parse_at, say

sla_app = typer.Typer(help="SLA clocks: breached and at-risk tickets, and the sweep that escalates.", no_args_is_help=True,
                      add_completion=False)


def _left(minutes_left: int) -> str:
    from datetime import timedelta

    from rollout.clock import describe_duration

    text = describe_duration(timedelta(minutes=minutes_left))
    return f"{text} over" if minutes_left < 0 else f"{text} left"


@sla_app.command("check")
def check(ctx: typer.Context, at: str | None = AT_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Breached tickets (past the deadline they face, or marked breached) and those at risk (75 % of a target used).

    Example: golive sla check --at "2022-05-09 07:00" --json
    """
    from rollout.cli.output import Column, local, table
    from support.sla import sla_state

    with app_context(ctx).db.session() as session:
        report = sla_state(session, at=parse_at(at))
    if as_json:
        emit_json(report.as_json())
        return
    out = console()
    for title, lines in (("Breached", report.breached), ("At risk", report.at_risk)):
        if not lines:
            continue
        rows = [[ln.id, ln.priority + (" !" if ln.patient_safety else ""), ln.status, ln.group, ln.assignee or "",
                 ln.clock, local(ln.due, "Europe/Oslo"), _left(ln.minutes_left), ln.title] for ln in lines]
        out.print(table(f"{title} ({len(lines)})", ["ID", "Pri", "Status", Column("Group", drop=2), Column("Assignee", drop=1),
                                                    "Clock", "Due", "Left", Column("Title", wrap=True)], rows))
    say(f"{len(report.breached)} breached, {len(report.at_risk)} at risk as of {local(report.at, 'Europe/Oslo')}")


@sla_app.command("sweep")
def sweep_cmd(ctx: typer.Context, at: str | None = AT_OPTION, actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Mark breaches, escalate breached P1 and P2 to the escalation group, release stale claims (what the scheduler runs).

    Example: golive sla sweep --as vakt
    """
    from rollout.settings import acting_person
    from support.sla import sweep

    with app_context(ctx).db.session(write=True) as session:
        result = sweep(session, now=parse_at(at), actor=acting_person(actor))
    if as_json:
        emit_json(result.as_json())
        return
    for failure in result.failures:
        where = f" (ticket {failure.ticket_id})" if failure.ticket_id is not None else ""
        say(f"Step {failure.step!r} failed{where}: {failure.error}; the rest of the sweep went on")
    if not result.changed and not result.failures:
        say("Nothing changed")
        return
    say(f"Marked {result.response_breached} response and {result.resolution_breached} resolution breach(es); "
        f"escalated {result.escalated}; released {result.claims_released} stale claim(s); "
        f"queued {result.notifications} notification(s)"
        + (f"; {result.escalations_without_contacts} escalation(s) had no contacts to notify"
           if result.escalations_without_contacts else ""))
