"""`golive notify …`: the notification outbox (thin: parse, call, render)."""

from __future__ import annotations

import typer

from rollout.cli.context import AS_OPTION, JSON_OPTION, app_context, console, emit_json, say

notify_app = typer.Typer(help="The notification outbox: what was sent, what failed, retry.", no_args_is_help=True,
                         add_completion=False)
OSLO = "Europe/Oslo"


@notify_app.command("list")
def list_cmd(
    ctx: typer.Context,
    failed: bool = typer.Option(False, "--failed", help="Only messages whose last attempt failed (not sent yet)."),
    limit: int = typer.Option(100, "--limit", metavar="N", min=0, help="At most N messages, newest first; 0 shows all."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Messages in the outbox, newest first: waiting, sent or failed, with attempts and the last error.

    Example: golive notify list --failed
    """
    from rollout.outbox.views import list_notifications

    with app_context(ctx).db.session() as session:
        views = list_notifications(session, failed=failed, limit=limit)
    if as_json:
        emit_json({"notifications": [v.as_json() for v in views]})
        return
    if not views:
        say("No failed notifications" if failed else "The outbox is empty")
        return
    from rollout.cli.output import Column, local, table

    rows = [[v.id, local(v.created_at, OSLO), v.kind, v.recipient, v.status, v.attempts,
             v.last_error if v.status == "failed" else v.subject] for v in views]
    console().print(table(f"Notifications ({len(views)})", ["ID", Column("queued", drop=3), Column("kind", drop=2),
                                                            Column("to", shorten=True), "status", Column("tries", drop=1),
                                                            Column("subject", wrap=True)], rows))


@notify_app.command("retry")
def retry_cmd(
    ctx: typer.Context,
    ids: list[int] = typer.Argument(None, metavar="[ID]...", help="Messages to send again (default: every failed one)."),
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Send failed messages again now (attempts start afresh); needs GOLIVE_SMTP_HOST and GOLIVE_SMTP_FROM.

    Example: golive notify retry 12 13
    """
    from rollout.clock import now
    from rollout.errors import GoliveError
    from rollout.outbox.delivery import deliver_due, smtp_settings
    from rollout.outbox.views import queue_retry
    from rollout.settings import acting_person

    settings = smtp_settings()
    db = app_context(ctx).db
    at = now()
    with db.session(write=True) as session:
        chosen = queue_retry(session, ids=list(ids or []), actor=acting_person(actor), now=at)  # unknown ids first
        if settings is None:  # raised inside the transaction: nothing is queued again
            raise GoliveError("GOLIVE_SMTP_HOST is not set: there is no server to send through")
    if not chosen:
        if as_json:
            emit_json({"retried": [], "sent": 0, "failed": 0, "waiting": 0, "errors": []})
        else:
            say("Nothing changed: no failed notifications")
        return
    result = deliver_due(db, settings=settings, ids=chosen, at=at)
    if as_json:
        emit_json({"retried": chosen, **result.as_json()})
        return
    say(f"Retried {len(chosen)}: " + result.describe().removeprefix("outbox: "))
    if result.failed:
        raise typer.Exit(1)
