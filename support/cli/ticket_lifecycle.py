"""`golive ticket triage|assign|comment|wait|resume|resolve|reopen|close|escalate|merge`: thin commands over support.lifecycle.

Each takes `--version N` (refused if someone changed the ticket since you read
version N), `--as` and `--json` (the ticket as `ticket show` prints it, without history).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import typer

from rollout.cli.context import AS_OPTION, JSON_OPTION, app_context, console, emit_json, say
from support.cli.ticket_app import ticket_app

ID_ARG = typer.Argument(..., metavar="ID", help="Ticket id.", show_default=False)
VERSION_OPTION = typer.Option(None, "--version", metavar="N", min=1,
                              help="Refuse if the ticket is no longer at this version (someone changed it since you read it).")


def read_text(value: str | None, what: str, option: str) -> str:
    """`-` reads standard input; left out, it is asked for on a terminal, so identity numbers stay out of shell history."""
    from rollout.errors import UsageError

    if value == "-":
        return sys.stdin.read()
    if value is not None:
        return value
    if sys.stdin.isatty():
        return typer.prompt(f"{what} (identity numbers are removed)", default="", show_default=False)
    raise UsageError(f"give the {what.lower()} with {option} TEXT, or {option} - to read it from standard input")


def run(ctx: typer.Context, move: Callable[..., Any], ticket_id: int, *, actor: str | None, version: int | None,
        as_json: bool, done: str, **options: Any) -> None:
    """Call the move in one writing transaction, then print the ticket (JSON) or one line for people."""
    from rollout.formats import when
    from rollout.settings import acting_person
    from support.views import ticket_view

    with app_context(ctx).db.session(write=True) as session:
        outcome = move(session, ticket_id, actor=acting_person(actor), expected_version=version, **options)
        view = ticket_view(session, outcome.ticket)
    if outcome.masked:
        say(f"Removed {outcome.masked} national identity number(s) from the text: [fnr fjernet]")
    if as_json:
        emit_json(view.as_json())
        return
    t = outcome.ticket
    due = f"response due {when(t.response_due, 'Europe/Oslo')}" if t.responded_at is None else \
        f"resolution due {when(t.resolution_due, 'Europe/Oslo')}"
    line = f"Ticket {t.id} {done}: {t.status}, {t.priority}, group {t.resolver_group}, assignee {t.assignee or '—'}"
    if t.status in ("new", "triaged", "in_progress", "waiting"):
        line += f", {due}"
    console().print(line + f" (version {t.version})", markup=False, soft_wrap=True)


@ticket_app.command("triage")
def triage_cmd(
    ctx: typer.Context,
    ticket_id: int = ID_ARG,
    category: str | None = typer.Option(None, "--category", help="Reclassify: access, printing, … (support settings)."),
    impact: str | None = typer.Option(None, "--impact", metavar="high|medium|low", help="How many it hurts."),
    urgency: str | None = typer.Option(None, "--urgency", metavar="high|medium|low", help="How soon it hurts."),
    group: str | None = typer.Option(None, "--group", help="Send to this resolver group (default: routed again)."),
    priority: str | None = typer.Option(None, "--priority", metavar="P1-P4",
                                        help="Override impact × urgency (audited); due times are recomputed from creation."),
    patient_safety: bool | None = typer.Option(None, "--patient-safety/--no-patient-safety",
                                               help="It put a patient at risk: at least P2, shown first."),
    deviation: str | None = typer.Option(None, "--deviation", metavar="ID", help="The deviation (avvik) id in the quality system."),
    version: int | None = VERSION_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Classify, route and prioritise a ticket; the first triage is its response. Options left out keep their value.

    Example: golive ticket triage 42 --category access --impact high --urgency high
    """
    from support.lifecycle import triage

    run(ctx, triage, ticket_id, actor=actor, version=version, as_json=as_json, done="triaged", category=category,
        impact=impact, urgency=urgency, group=group, priority=priority, patient_safety=patient_safety, deviation=deviation)


@ticket_app.command("assign")
def assign_cmd(
    ctx: typer.Context,
    ticket_id: int = ID_ARG,
    to: str = typer.Option(..., "--to", "--assignee", metavar="AGENT", help="The agent who takes it.", show_default=False),
    version: int | None = VERSION_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Give an open ticket to an agent.

    Example: golive ticket assign 42 --to kari
    """
    from support.lifecycle import assign

    run(ctx, assign, ticket_id, actor=actor, version=version, as_json=as_json, done="assigned", assignee=to)


@ticket_app.command("comment")
def comment_cmd(
    ctx: typer.Context,
    ticket_id: int = ID_ARG,
    text: str | None = typer.Option(None, "--text", "--note", metavar="TEXT|-",
                                    help="The comment; '-' reads standard input; left out, it is asked for on a terminal."),
    version: int | None = VERSION_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a comment to a ticket's history (identity numbers are removed).

    Example: golive ticket comment 42 --text "Ringte brukeren, venter på skjermbilde"
    """
    from support.lifecycle import comment

    body = read_text(text, "Comment", "--text")
    run(ctx, comment, ticket_id, actor=actor, version=version, as_json=as_json, done="commented", text=body)


@ticket_app.command("wait")
def wait_cmd(
    ctx: typer.Context,
    ticket_id: int = ID_ARG,
    reason: str = typer.Option(..., "--reason", help="What the ticket waits for.", show_default=False),
    on: str = typer.Option("reporter", "--on", metavar="reporter|partner|change",
                           help="Who holds it: only the reporter pauses the resolution clock."),
    version: int | None = VERSION_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Put a ticket in progress on hold: on the reporter (clock paused), a partner or a change (clock runs, time held counted).

    Example: golive ticket wait 42 --reason "Venter på Hemit" --on partner
    """
    from support.lifecycle import wait

    run(ctx, wait, ticket_id, actor=actor, version=version, as_json=as_json, done=f"waiting on the {on}", reason=reason, on=on)


@ticket_app.command("resume")
def resume_cmd(ctx: typer.Context, ticket_id: int = ID_ARG, version: int | None = VERSION_OPTION,
               actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """End the wait; after waiting on the reporter the resolution due time moves by the SLA time waited.

    Example: golive ticket resume 42
    """
    from support.lifecycle import resume

    run(ctx, resume, ticket_id, actor=actor, version=version, as_json=as_json, done="resumed")


@ticket_app.command("resolve")
def resolve_cmd(
    ctx: typer.Context,
    ticket_id: int = ID_ARG,
    note: str | None = typer.Option(None, "--note", "--text", metavar="TEXT|-",
                                    help="What fixed it; '-' reads standard input; left out, it is asked for on a terminal."),
    version: int | None = VERSION_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Mark a ticket in progress resolved; it may be reopened for 7 days.

    Example: golive ticket resolve 42 --note "Tilgang gitt i rollen sykepleier"
    """
    from support.lifecycle import resolve

    body = read_text(note, "Resolution note", "--note")
    run(ctx, resolve, ticket_id, actor=actor, version=version, as_json=as_json, done="resolved", note=body)


@ticket_app.command("reopen")
def reopen_cmd(
    ctx: typer.Context,
    ticket_id: int = ID_ARG,
    reason: str = typer.Option(..., "--reason", help="Why it is not fixed after all.", show_default=False),
    version: int | None = VERSION_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Reopen a resolved ticket (within 7 days of its resolution).

    Example: golive ticket reopen 42 --reason "Feilen kom tilbake etter omstart"
    """
    from support.lifecycle import reopen

    run(ctx, reopen, ticket_id, actor=actor, version=version, as_json=as_json, done="reopened", reason=reason)


@ticket_app.command("close")
def close_cmd(ctx: typer.Context, ticket_id: int = ID_ARG, version: int | None = VERSION_OPTION,
              actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Close a resolved ticket for good.

    Example: golive ticket close 42
    """
    from support.lifecycle import close

    run(ctx, close, ticket_id, actor=actor, version=version, as_json=as_json, done="closed")


@ticket_app.command("escalate")
def escalate_cmd(
    ctx: typer.Context,
    ticket_id: int = ID_ARG,
    reason: str = typer.Option(..., "--reason", help="Why it needs more help.", show_default=False),
    group: str | None = typer.Option(None, "--group", help="Send to this group (default: the escalation group)."),
    version: int | None = VERSION_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Escalate an open ticket to the escalation group of the support settings, or to a named group.

    Example: golive ticket escalate 42 --reason "Rammer hele legevakten" --group helseplattformen
    """
    from support.lifecycle import escalate

    run(ctx, escalate, ticket_id, actor=actor, version=version, as_json=as_json, done="escalated", reason=reason, group=group)


@ticket_app.command("merge")
def merge_cmd(
    ctx: typer.Context,
    ticket_id: int = ID_ARG,
    into: int = typer.Option(..., "--into", metavar="ID", help="The ticket that carries the work.", show_default=False),
    version: int | None = VERSION_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Merge a duplicate into another open or resolved ticket: its comments follow and its clocks stop.

    Example: golive ticket merge 43 --into 42
    """
    from support.lifecycle import merge

    run(ctx, merge, ticket_id, actor=actor, version=version, as_json=as_json, done=f"merged into ticket {into}", into=into)

