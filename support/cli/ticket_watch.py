"""`golive ticket watch`: the live wallboard (open per priority and group, breaching soon, past SLA, newest) over support.wallboard."""

from __future__ import annotations

import sys
from typing import Any

import typer

from rollout.cli.context import AT_OPTION, JSON_OPTION, app_context, console, emit_json, parse_at
from support.cli.ticket_app import ticket_app


def render(board: Any) -> Any:  # a support.wallboard.Wallboard -> a rich renderable
    from rich.console import Group
    from rich.markup import escape
    from rich.text import Text

    from rollout.cli.output import Column, local, table

    tz = "Europe/Oslo"
    scope = f"group {board.group}" if board.group else "all groups"
    head = Text(f"Support wallboard {local(board.at, tz)} · {scope} · {board.open_total} open · "
                f"{board.breached_total} past SLA · {board.patient_safety_open} patient safety", style="bold")
    priorities = list(board.open_by_priority)
    counts = [[g, *(board.open_by_group.get(g, {}).get(p, 0) for p in priorities), sum(board.open_by_group.get(g, {}).values())]
              for g in board.groups]
    counts.append(["[bold]all[/bold]", *board.open_by_priority.values(), board.open_total])
    number = [Column(p, justify="right") for p in priorities]
    parts: list[Any] = [head, Text(""), table("Open", ["Group", *number, Column("Open", justify="right")], counts)]

    def tickets(title: str, rows: list[Any], when: str) -> None:
        parts.append(Text(""))
        if not rows:
            parts.append(Text(f"{title}: none", style="dim"))
            return
        body = [[t.id, t.priority + (" !" if t.patient_safety else ""), t.status, t.group,
                 local(t.created_at if when == "Created" else t.due, tz), escape(t.title)] for t in rows]
        parts.append(table(title, ["ID", "Pri", "Status", Column("Group", drop=1), when, Column("Title", wrap=True)], body))

    tickets("Patient safety", board.patient_safety, "Due")
    tickets("Breaching soon", board.breaching_soon, "Due")
    tickets(f"Past SLA ({board.breached_total})", board.breached, "Due")
    tickets("Newest", board.newest, "Created")
    parts.append(Text("! patient safety (shown first in each list)", style="dim"))
    return Group(*parts)


@ticket_app.command("watch")
def watch(
    ctx: typer.Context,
    group: str | None = typer.Option(None, "--group", help="Only this resolver group's tickets."),
    interval: float = typer.Option(5.0, "--interval", metavar="SECONDS", min=0.5, help="Seconds between refreshes."),
    once: bool = typer.Option(False, "--once", help="Draw one frame and exit (what a pipe gets anyway)."),
    at: str | None = AT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """A live wallboard: open tickets per priority and group, breaching soon, past SLA, newest; Ctrl-C leaves.

    Example: golive ticket watch --group hemit --interval 10
    """
    from support.wallboard import wallboard

    when = parse_at(at) if at else None
    db = app_context(ctx).db

    def frame() -> Any:
        with db.session() as session:  # a fresh read each time: other agents' changes show up, no long read transaction
            return wallboard(session, at=when, group=group)

    if as_json:
        emit_json(frame().as_json())
        return
    if once or not sys.stdout.isatty():
        console().print(render(frame()))
        return
    live_board(lambda: render(frame()), interval=interval)


def live_board(draw: Any, *, interval: float) -> None:
    """Redraw every `interval` seconds on the alternate screen; Ctrl-C restores the terminal and exits 0."""
    import signal
    import time

    from rich.live import Live

    out = console()
    previous = signal.getsignal(signal.SIGINT)
    try:
        with Live(console=out, screen=True, auto_refresh=False, redirect_stdout=False, redirect_stderr=False) as live:
            try:
                while True:
                    live.update(draw(), refresh=True)
                    time.sleep(interval)
            except KeyboardInterrupt:
                # leaving is the normal way out; a second Ctrl-C while the screen is restored must not interrupt that
                signal.signal(signal.SIGINT, signal.SIG_IGN)
    finally:
        signal.signal(signal.SIGINT, previous)
