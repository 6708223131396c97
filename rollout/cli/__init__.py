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
from rollout.cli.context import AppContext, app_context
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
    if ctx.resilient_parsing:  # shell completion: no checks, no database
        return
    ctx.obj = AppContext.start(db_option=db)
    ctx.call_on_close(ctx.obj.close)


app.command("apply")(admin.apply)
app.command("info")(admin.info)
app.add_typer(admin.db_app, name="db")


@app.command("demo")
def demo(
    ctx: typer.Context,
    out: str = typer.Option("golive-demo", "--out", metavar="DIR", help="Directory for the demo database (a previous demo there is replaced)."),
) -> None:
    """Build the Trondheim 2022 scenario in a fresh database and print a summary.

    Example: golive demo --out /tmp/golive-demo
    """
    from pathlib import Path

    from rollout.cli.demo import print_demo
    from rollout.cli.output import local
    from rollout.demo import build_demo
    from rollout.errors import UsageError

    if app_context(ctx).db_option is not None:
        raise UsageError(f"golive demo always builds a fresh SQLite database in --out ({out}/golive.sqlite); leave out --db")
    print_demo(build_demo(Path(out), when=local))


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: run the app and map every refusal to one `Error:` line.

    Ctrl-C before a write commits rolls it back: `Error: interrupted; nothing
    was written`, exit 130. Once a write starts to commit, Ctrl-C is held
    until the command has finished and said so (rollout.interrupts).
    """
    from rollout import interrupts

    exiting = argv is None  # the real process, not a test calling main() in-process
    interrupts.begin()
    try:
        _run(argv, exiting)
    except KeyboardInterrupt:
        # Ctrl-C landed while an outcome was being reported (the exit, an error line): nothing more was
        # written after the decision, so a write that committed stays committed and said so, else nothing was.
        if interrupts.committed():
            sys.exit(0)
        _interrupted(exiting)
    finally:
        interrupts.end(exiting=exiting)


def _run(argv: list[str] | None, exiting: bool) -> None:
    from rollout import interrupts

    try:
        app(args=argv, prog_name="golive")
    except SystemExit as exc:
        if exiting:
            interrupts.ignore()  # the command has finished: its exit code stands
        if exc.code == INTERRUPTED:  # typer turns KeyboardInterrupt into a silent exit 130
            _interrupted(exiting)
        raise
    except GoliveError as exc:
        sys.stderr.write(f"Error: {_one_line(exc)}\n")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _interrupted(exiting)
    except Exception as exc:  # a bug: say so in one line unless asked for the traceback
        if os.environ.get("GOLIVE_DEBUG") == "1":
            raise
        sa_exc = sys.modules.get("sqlalchemy.exc")
        if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError):
            from rollout.immutable import refused_table

            if refused_table(exc) is not None:
                from rollout.errors import ImmutableError

                sys.stderr.write(f"Error: {ImmutableError.for_table(refused_table(exc) or '')}\n")
                sys.exit(1)
            sys.stderr.write(f"Error: database error: {_one_line(exc.orig if exc.orig else exc)}\n")
            sys.exit(1)
        sys.stderr.write(f"Error: internal error ({type(exc).__name__}: {_one_line(exc)}); GOLIVE_DEBUG=1 shows the traceback\n")
        sys.exit(1)


INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


def _interrupted(exiting: bool) -> None:
    if exiting:
        from rollout import interrupts

        interrupts.ignore()  # a second Ctrl-C must not turn this message into a traceback
    sys.stderr.write("Error: interrupted; nothing was written\n")
    sys.exit(INTERRUPTED)


def _one_line(exc: BaseException) -> str:
    """The first non-empty line of a message: `Error:` is always exactly one line."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
