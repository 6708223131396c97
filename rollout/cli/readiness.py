"""What the readiness command groups share: import options and reporting, the progress bar, and strict value parsers."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from rollout.cli.complete import complete_gates, complete_organisations, complete_plans, complete_units
from rollout.cli.context import app_context, emit_json, say


def _map(text: str) -> dict[str, str]:
    from rollout.tabular.read import parse_map

    try:
        return parse_map(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _parser(convert: Callable[[str], float]) -> Callable[[str], float]:
    """A typer parser: a bad value is a usage error (exit 2) naming the value."""

    def parse(text: str | float) -> float:
        try:
            return convert(str(text))
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return parse


def _share(text: str) -> float:
    from rollout.tabular.cells import share_text

    return share_text(text, "share")


def _positive(text: str) -> float:
    from rollout.tabular.cells import number_text

    value = number_text(text, "value")
    if value <= 0:
        raise ValueError(f"{text.strip()!r} must be above 0")
    return value


def _hours(text: str) -> float:
    from rollout.tabular.cells import number_text

    value = number_text(text, "hours")
    if not 0 <= value <= 48:
        raise ValueError(f"{text.strip()!r} must be between 0 and 48 hours")
    return value


parse_share = _parser(_share)
parse_positive = _parser(_positive)
parse_hours = _parser(_hours)

MAP_OPTION = typer.Option(
    None, "--map", metavar="HEADER=COLUMN,…", parser=_map,
    help='Map other headers to canonical columns, e.g. "Ansattnr=employee_id,Navn=name".',
)
DRY_RUN_OPTION = typer.Option(False, "--dry-run", help="Show what would change and write nothing.")
REPLACE_OPTION = typer.Option(False, "--replace", help="Sync: also delete rows in the file's scope that the file no longer names.")
ORG_OPTION = typer.Option(None, "--org", metavar="ORG", help="Organisation for bare unit keys.", autocompletion=complete_organisations)
PLAN_FOR_IMPORT = typer.Option(None, "--plan", metavar="PLAN", help="Plan whose shifts and time zone apply (default: the unit's organisation's plan nearest in time).", autocompletion=complete_plans)
FILE_ARG = typer.Argument(..., help="CSV (UTF-8, UTF-8 with BOM or Windows-1252; comma or semicolon) or XLSX.", show_default=False)
PLAN_ARG = typer.Argument(..., help="Plan key.", show_default=False, autocompletion=complete_plans)
UNIT_OPTION = typer.Option(None, "--unit", metavar="UNIT", help="Only this unit (orgkey/unitkey or unitkey).", autocompletion=complete_units)
ROLE_OPTION = typer.Option(None, "--role", metavar="ROLE", help="Only this role.")
GATE_OPTION = typer.Option(None, "--gate", metavar="GATE", help="Take the threshold and the units (its wave) from this gate.", autocompletion=complete_gates)


@contextmanager
def progress_bar(label: str, *, quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr while rows are checked; none in a pipe or with --json, so output stays clean."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(file=sys.stderr), transient=True)
    task: list[Any] = []

    def update(done: int, total: int) -> None:
        if not task:
            task.append(bar.add_task(label, total=total))
        bar.update(task[0], completed=done, total=total)

    with bar:
        yield update


def report_import(result: Any, as_json: bool) -> None:
    if as_json:
        emit_json(result.as_json())
        return
    skipped = f", {result.skipped} rows without a completion skipped" if result.skipped else ""
    deleted = f", {result.deleted} deleted" if result.deleted else ""
    summary = f"{result.created} created, {result.updated} updated{deleted}, {result.unchanged} unchanged{skipped}"
    if result.dry_run:
        say(f"Dry run: {result.file}: would make {summary}; nothing written.")
    elif not result.changed:
        say(f"Nothing changed ({result.rows} {'row' if result.rows == 1 else 'rows'}, {summary})")
    else:
        say(f"Imported {result.file}: {summary}.")


def run_import(ctx: typer.Context, fn: Any, *, path: Path, dry_run: bool, as_json: bool, **kwargs: Any) -> None:
    """Open a write session, resolve a plan given by key, run the import with a progress bar, report."""
    from rollout.settings import acting_person

    with app_context(ctx).db.session(write=True) as session:
        if isinstance(kwargs.get("plan"), str):
            from rollout.plans import get_plan

            kwargs["plan"] = get_plan(session, kwargs["plan"])
        if "tz_plan" in kwargs:
            from rollout.plans import get_plan

            key = kwargs.pop("tz_plan")
            if key:
                kwargs["tz"] = get_plan(session, key).timezone
        with progress_bar(f"checking {path.name}", quiet=as_json) as progress:
            result = fn(session, path=path, actor=acting_person(kwargs.pop("actor")), dry_run=dry_run, progress=progress, **kwargs)
        if dry_run:
            session.rollback()
    report_import(result, as_json)
