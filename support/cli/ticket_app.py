"""The `golive ticket` Typer app on its own, so each command family registers on it without importing support.cli.tickets (no cycle)."""

from __future__ import annotations

import typer

ticket_app = typer.Typer(help="Support tickets: create, take the next, triage, work, resolve.", no_args_is_help=True,
                         add_completion=False)
