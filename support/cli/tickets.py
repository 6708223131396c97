"""`golive ticket new|list|show`: thin commands over support.tickets, support.listing and support.views."""

from __future__ import annotations

import sys

import typer

from rollout.cli.context import AS_OPTION, AT_OPTION, JSON_OPTION, app_context, console, emit_json, parse_at, say

from support.cli.ticket_app import ticket_app  # the command families beside this module register on it too

ID_ARG = typer.Argument(..., metavar="ID", help="Ticket id.", show_default=False)


def read_description(value: str | None) -> str:
    """`-` reads standard input; none asked for prompts on a terminal, so identity numbers stay out of shell history."""
    if value == "-":
        return sys.stdin.read()
    if value is not None:
        return value
    if sys.stdin.isatty():
        return typer.prompt("Description (identity numbers are removed)", default="", show_default=False)
    return ""


def show_ticket(view, *, as_json: bool) -> None:  # noqa: ANN001 - a support.views.TicketView
    from rollout.cli.output import local

    if as_json:
        emit_json(view.as_json())
        return
    t = view.ticket
    out = console()
    flag = " [patient safety]" if t.patient_safety else ""
    out.print(f"Ticket {t.id}: {t.title}{flag}", markup=False, soft_wrap=True)
    out.print(f"  {t.status}, {t.priority}, group {t.resolver_group}, assignee {t.assignee or '—'}", markup=False)
    out.print(f"  {view.organisation}/{view.unit or '—'}, {t.category}, impact {t.impact}, urgency {t.urgency}", markup=False)
    out.print(f"  response due {local(t.response_due, 'Europe/Oslo')}, resolution due {local(t.resolution_due, 'Europe/Oslo')}",
              markup=False)
    if t.description:
        out.print(f"  {t.description}", markup=False, soft_wrap=True)
    if view.history is not None:
        for e in view.history:
            change = f"{e.old} → {e.new}" if e.old is not None else (e.new or "")
            out.print(f"  {local(e.at, 'Europe/Oslo')}  {e.actor}: {e.field} {change}", markup=False, soft_wrap=True)
        for party, minutes in sorted(view.held.items()):
            out.print(f"  held by {party}: {minutes} min", markup=False)


@ticket_app.command("new")
def new(
    ctx: typer.Context,
    title: str = typer.Option(..., "--title", help="One line saying what is wrong.", show_default=False),
    unit: str = typer.Option(..., "--unit", metavar="ORG/UNIT", help="Where it happens: orgkey/unitkey, or a unique unit key.",
                             show_default=False),
    category: str = typer.Option(..., "--category", help="access, printing, device, workflow, training, … (support settings).",
                                 show_default=False),
    impact: str = typer.Option(..., "--impact", metavar="high|medium|low", help="How many it hurts.", show_default=False),
    urgency: str = typer.Option(..., "--urgency", metavar="high|medium|low", help="How soon it hurts.", show_default=False),
    description: str | None = typer.Option(None, "--description", metavar="TEXT|-",
                                           help="Details; '-' reads standard input; left out, it is asked for on a terminal."),
    reporter: str | None = typer.Option(None, "--reporter", help="Who reported it."),
    priority: str | None = typer.Option(None, "--priority", metavar="P1-P4", help="Override impact × urgency (audited)."),
    patient_safety: bool = typer.Option(False, "--patient-safety", help="It put a patient at risk: at least P2, shown first."),
    deviation: str | None = typer.Option(None, "--deviation", metavar="ID", help="The deviation (avvik) id in the quality system."),
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Create a ticket: routed, prioritised, with its SLA due times and matching known issues.

    Example: golive ticket new --title "Etikettskriver skriver ikke" --unit trondheim/oya-helsehus --category printing --impact medium --urgency high --description -
    """
    from rollout.settings import acting_person
    from support.tickets import create_ticket
    from support.views import ticket_view

    text = read_description(description)
    with app_context(ctx).db.session(write=True) as session:
        created = create_ticket(session, title=title, unit=unit, category=category, impact=impact, urgency=urgency,
                                description=text, reporter=reporter, priority=priority, patient_safety=patient_safety,
                                deviation=deviation, actor=acting_person(actor))
        view = ticket_view(session, created.ticket, masked=created.masked)
    if created.masked:
        say(f"Removed {created.masked} national identity number(s) from the text: [fnr fjernet]")
    show_ticket(view, as_json=as_json)


@ticket_app.command("show")
def show(ctx: typer.Context, ticket_id: int = ID_ARG, at: str | None = AT_OPTION, as_json: bool = JSON_OPTION) -> None:
    """The ticket and its whole history: who, when, field, old → new; and how long each party held it.

    Example: golive ticket show 42 --json
    """
    from support.tickets import get_ticket
    from support.views import ticket_view

    with app_context(ctx).db.session() as session:
        view = ticket_view(session, get_ticket(session, ticket_id), history=True, at=parse_at(at) if at else None)
    show_ticket(view, as_json=as_json)


@ticket_app.command("list")
def list_cmd(
    ctx: typer.Context,
    status: str | None = typer.Option(None, "--status", help="new, triaged, in_progress, waiting, resolved, closed, merged, or all (default: open)."),
    priority: str | None = typer.Option(None, "--priority", metavar="P1-P4", help="Only this priority."),
    group: str | None = typer.Option(None, "--group", help="Only this resolver group."),
    unit: str | None = typer.Option(None, "--unit", metavar="ORG/UNIT", help="Only this unit."),
    assignee: str | None = typer.Option(None, "--assignee", help="Only this agent's tickets."),
    breached: bool = typer.Option(False, "--breached", help="Only tickets past a due time."),
    limit: int = typer.Option(50, "--limit", min=0, help="At most this many (0: all)."),
    at: str | None = AT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Tickets, patient safety first, then priority, then the deadline each faces.

    Example: golive ticket list --group hemit --priority P1
    """
    from rollout.cli.output import Column, local, table
    from support.listing import list_tickets

    with app_context(ctx).db.session() as session:
        views = list_tickets(session, status=status, priority=priority, group=group, unit=unit, assignee=assignee,
                             breached=breached, at=parse_at(at) if at else None, limit=limit)
    if as_json:
        emit_json([v.as_json() for v in views])
        return
    rows = [[v.ticket.id, v.ticket.priority + (" !" if v.ticket.patient_safety else ""), v.ticket.status, v.ticket.resolver_group,
             v.ticket.assignee or "", local(v.ticket.next_due, "Europe/Oslo"), v.ticket.title] for v in views]
    console().print(table(None, ["ID", "Pri", "Status", Column("Group", drop=2), Column("Assignee", drop=1), "Due",
                                 Column("Title", wrap=True)], rows))
    if not views:
        say("No tickets")


# The other ticket commands live beside this module, one family each; importing them registers them on ticket_app.
from support.cli import ticket_bulk, ticket_lifecycle, ticket_queue  # noqa: E402,F401
