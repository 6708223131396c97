"""The `golive` command: one root that composes the domain sub-commands and owns the exit path.

Only typer and the standard library are imported here, so `golive --help`
stays about as fast as `import typer`; each command imports what it needs.
"""

from __future__ import annotations

import os
import sys

import typer

from rollout import __version__
from rollout.cli import admin
from rollout.cli.context import AppContext
from rollout.cli.lazy import LazyGroup
from rollout.errors import GoliveError

app = typer.Typer(
    name="golive",
    cls=LazyGroup,  # domain groups (org, plan, gate, runbook, …) are imported on first use
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: rich's markdown stack costs ~80 ms at every start
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"golive {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None, "--db", metavar="URL|PATH", help="Database: a SQLite file path or postgresql://user@host/db. Default: GOLIVE_DB, then the user data dir."
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """golive: go-live operations for health-record rollouts.

    Example: golive demo && golive --db golive-demo/golive.sqlite plan show trondheim-2022
    """
    ctx.obj = AppContext(db_option=db)
    ctx.call_on_close(ctx.obj.close)


app.command("apply")(admin.apply)
app.command("info")(admin.info)
app.add_typer(admin.db_app, name="db")


@app.command("demo")
def demo(
    out: str = typer.Option("golive-demo", "--out", metavar="DIR", help="Directory for the demo database (a previous demo there is replaced)."),
) -> None:
    """Build the Trondheim 2022 scenario in a fresh database and print a summary.

    Example: golive demo --out /tmp/golive-demo
    """
    from pathlib import Path

    from rollout.cli.output import local
    from rollout.demo import build_demo

    summary = build_demo(Path(out), when=local)
    _print_demo(summary)


def _print_demo(summary) -> None:  # noqa: ANN001 - a rollout.demo.DemoSummary
    from rich.console import Console

    out = Console(highlight=False, soft_wrap=True)
    out.print(f"[bold]golive demo[/bold]: Helseplattformen i Midt-Norge, in {summary.database}")
    next_commands = [f"export GOLIVE_DB={summary.database}"]
    for section in summary.sections:
        out.print()
        if section.title:
            out.print(section.title, markup=False)
        for line in section.lines:
            out.print(line, markup=False)
        next_commands += section.next_commands
    out.print()
    out.print("Next:")
    for command in next_commands:
        out.print(f"  {command}", markup=False)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: run the app and map every refusal to one `Error:` line."""
    try:
        app(args=argv, prog_name="golive")
    except GoliveError as exc:
        sys.stderr.write(f"Error: {_one_line(exc)}\n")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line unless asked for the traceback
        if os.environ.get("GOLIVE_DEBUG") == "1":
            raise
        sa_exc = sys.modules.get("sqlalchemy.exc")
        if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError):
            sys.stderr.write(f"Error: database error: {_one_line(exc.orig if exc.orig else exc)}\n")
            sys.exit(1)
        sys.stderr.write(f"Error: internal error ({type(exc).__name__}: {_one_line(exc)}); GOLIVE_DEBUG=1 shows the traceback\n")
        sys.exit(1)


def _one_line(exc: BaseException) -> str:
    """The first non-empty line of a message: `Error:` is always exactly one line."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
