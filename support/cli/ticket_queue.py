"""`golive ticket next|claim`: take the most urgent ticket, or a given one, atomically (thin over support.queue)."""

from __future__ import annotations

import typer

from rollout.cli.context import AS_OPTION, JSON_OPTION, app_context, emit_json
from support.cli.ticket_app import ticket_app

ID_ARG = typer.Argument(..., metavar="ID", help="Ticket id.", show_default=False)


@ticket_app.command("next")
def next_cmd(
    ctx: typer.Context,
    group: str | None = typer.Option(None, "--group", help="Only this resolver group's queue."),
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Claim the most urgent unassigned ticket for yourself, move it to in_progress, and show it.

    Most urgent: the earliest SLA due time it faces (response while untouched, else resolution), then priority, then age.
    No ticket ever goes to two agents. An empty queue says "queue empty" (JSON: null) and exits 0.

    Example: golive ticket next --group hemit --as kari
    """
    from rollout.settings import acting_person
    from support.cli.tickets import show_ticket  # loaded already: it registers this module
    from support.queue import claim_next
    from support.views import ticket_view

    with app_context(ctx).db.session(write=True) as session:
        ticket = claim_next(session, agent=acting_person(actor), group=group)
        view = ticket_view(session, ticket, history=True) if ticket is not None else None
    if view is None:
        if as_json:
            emit_json(None)
        else:
            typer.echo("queue empty")
        return
    show_ticket(view, as_json=as_json)


@ticket_app.command("claim")
def claim_cmd(ctx: typer.Context, ticket_id: int = ID_ARG, actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Claim this ticket for yourself (a new or triaged one moves to in_progress); refused when someone else holds it.

    Example: golive ticket claim 42 --as kari
    """
    from rollout.settings import acting_person
    from support.cli.tickets import show_ticket
    from support.queue import claim
    from support.views import ticket_view

    with app_context(ctx).db.session(write=True) as session:
        view = ticket_view(session, claim(session, ticket_id=ticket_id, agent=acting_person(actor)), history=True)
    show_ticket(view, as_json=as_json)
