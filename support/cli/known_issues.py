"""`golive known-issue add|update|list|show|link|resolve`: thin commands over support.known_issues."""

from __future__ import annotations

import typer

from rollout.cli.context import AS_OPTION, JSON_OPTION, app_context, console, emit_json, say

known_issue_app = typer.Typer(help="Known issues: problems with a workaround that many tickets link to.", no_args_is_help=True,
                              add_completion=False)

KI_ARG = typer.Argument(..., metavar="KI", help="Known issue id.", show_default=False)


def _show(view, *, as_json: bool) -> None:  # noqa: ANN001 - a support.known_issues.KnownIssueView
    from rollout.cli.output import local

    if as_json:
        emit_json(view.as_json())
        return
    ki = view.issue
    out = console()
    out.print(f"Known issue {ki.id}: {ki.title} ({ki.status})", markup=False, soft_wrap=True)
    out.print(f"  category {ki.category or '—'}, {view.open_tickets} open of {view.linked} linked tickets", markup=False)
    if ki.workaround:
        out.print(f"  workaround: {ki.workaround}", markup=False, soft_wrap=True)
    if ki.resolved_at is not None:
        out.print(f"  resolved {local(ki.resolved_at, 'Europe/Oslo')}: {ki.resolution_note}", markup=False, soft_wrap=True)
    for t in view.tickets or []:
        out.print(f"  #{t['id']} {t['priority']} {t['status']:<11} {t['title']}", markup=False, soft_wrap=True)


def _masked(count: int) -> None:
    if count:
        say(f"Removed {count} national identity number(s) from the text: [fnr fjernet]")


@known_issue_app.command("add")
def add(
    ctx: typer.Context,
    title: str = typer.Option(..., "--title", help="The problem, as clinicians describe it.", show_default=False),
    workaround: str = typer.Option("", "--workaround", help="What to do meanwhile (published to every linked ticket)."),
    category: str | None = typer.Option(None, "--category", help="access, printing, … (support settings)."),
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a known issue that tickets can link to.

    Example: golive known-issue add --title "Etikettskrivere skriver ikke etter oppdatering" --workaround "Start skriveren på nytt" --category printing
    """
    from rollout.settings import acting_person
    from support.known_issues import add_known_issue

    with app_context(ctx).db.session(write=True) as session:
        view = add_known_issue(session, title=title, workaround=workaround, category=category, actor=acting_person(actor))
    _masked(view.masked)
    if as_json:
        emit_json(view.as_json())
        return
    say(f"Known issue {view.issue.id} added: {view.issue.title}")


@known_issue_app.command("update")
def update(
    ctx: typer.Context,
    known_issue_id: int = KI_ARG,
    title: str | None = typer.Option(None, "--title", help="A new title."),
    workaround: str | None = typer.Option(None, "--workaround", help="A new or better workaround."),
    category: str | None = typer.Option(None, "--category", help="A new category."),
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Change a known issue's title, workaround or category (audited); the same values again change nothing.

    Example: golive known-issue update 3 --workaround "Bytt til skriver 2 i gangen"
    """
    from rollout.settings import acting_person
    from support.known_issues import update_known_issue

    with app_context(ctx).db.session(write=True) as session:
        change = update_known_issue(session, known_issue_id=known_issue_id, title=title, workaround=workaround,
                                    category=category, actor=acting_person(actor))
    _masked(change.view.masked)
    if not change.changed:
        say("Nothing changed")
    if as_json:
        emit_json(change.view.as_json())
    elif change.changed:
        say(f"Known issue {known_issue_id}: changed {', '.join(change.changed)}")


@known_issue_app.command("list")
def list_cmd(
    ctx: typer.Context,
    status: str = typer.Option("open", "--status", help="open, resolved or all."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Known issues, the most open linked tickets first.

    Example: golive known-issue list --status all --json
    """
    from rollout.cli.output import Column, table
    from support.known_issues import list_known_issues

    with app_context(ctx).db.session() as session:
        views = list_known_issues(session, status=status)
    if as_json:
        emit_json([v.as_json() for v in views])
        return
    rows = [[v.issue.id, v.issue.status, v.issue.category or "", v.open_tickets, v.linked, v.issue.title] for v in views]
    console().print(table(None, ["ID", "Status", Column("Category", drop=1), "Open", Column("Linked", drop=2),
                                 Column("Title", wrap=True)], rows))
    if not views:
        say("No known issues")


@known_issue_app.command("show")
def show(ctx: typer.Context, known_issue_id: int = KI_ARG, as_json: bool = JSON_OPTION) -> None:
    """A known issue, its workaround and its linked tickets.

    Example: golive known-issue show 3
    """
    from support.known_issues import show_known_issue

    with app_context(ctx).db.session() as session:
        view = show_known_issue(session, known_issue_id=known_issue_id)
    _show(view, as_json=as_json)


@known_issue_app.command("link")
def link(
    ctx: typer.Context,
    ticket_id: int = typer.Argument(..., metavar="TICKET", help="Ticket id.", show_default=False),
    known_issue_id: int = KI_ARG,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Link a ticket to an open known issue (recorded in the ticket's history).

    Example: golive known-issue link 42 3
    """
    from rollout.settings import acting_person
    from support.known_issues import link_ticket
    from support.tickets import get_ticket
    from support.views import ticket_view

    with app_context(ctx).db.session(write=True) as session:
        changed = link_ticket(session, ticket_id=ticket_id, known_issue_id=known_issue_id, actor=acting_person(actor))
        view = ticket_view(session, get_ticket(session, ticket_id))
    if not changed:
        say("Nothing changed")
    if as_json:
        emit_json(view.as_json())
    elif changed:
        say(f"Ticket {ticket_id} linked to known issue {known_issue_id}")


@known_issue_app.command("resolve")
def resolve(
    ctx: typer.Context,
    known_issue_id: int = KI_ARG,
    note: str = typer.Option(..., "--note", help="What fixed it; written on every resolved ticket.", show_default=False),
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Resolve the known issue and every open linked ticket with the note, in one transaction.

    Example: golive known-issue resolve 3 --note "Fikset i driver 4.2, rullet ut 12.05"
    """
    from rollout.settings import acting_person
    from support.known_issues import resolve_known_issue

    with app_context(ctx).db.session(write=True) as session:
        view = resolve_known_issue(session, known_issue_id=known_issue_id, note=note, actor=acting_person(actor))
    _masked(view.masked)
    if as_json:
        emit_json(view.as_json())
        return
    say(f"Known issue {known_issue_id} resolved; {view.resolved_tickets} open linked ticket(s) resolved")
