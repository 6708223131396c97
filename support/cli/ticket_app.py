"""The `golive ticket` Typer app on its own, so every ticket command module can register on it without an import cycle."""

from __future__ import annotations

import typer

ticket_app = typer.Typer(help="Support tickets: create, take the next, triage, work, resolve.", no_args_is_help=True,
                         add_completion=False)
