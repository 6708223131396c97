"""`golive ticket import|export`: tickets from and to files (thin: parse, call support.ticket_import/ticket_export, report)."""

from __future__ import annotations

from pathlib import Path

import typer

from rollout.cli.context import AS_OPTION, JSON_OPTION, app_context, emit_json, parse_at, say
from rollout.cli.readiness import DRY_RUN_OPTION, MAP_OPTION, ORG_OPTION, progress_bar
from support.cli.ticket_app import ticket_app


@ticket_app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV (UTF-8, UTF-8 with BOM or Windows-1252; ; , or tab), XLSX, or JSON (a list of objects).",
                                show_default=False),
    org: str | None = ORG_OPTION,
    mapping: dict[str, str] | None = MAP_OPTION,
    dry_run: bool = DRY_RUN_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Create tickets from another system's file, all or nothing; tickets already imported (by external_id) are left alone.

    Columns: external_id, title, description, unit, category, impact, urgency, reporter, created (when it was
    reported: its SLA clocks start there; 2022-05-07 08:15 or 07.05.2022 08:15). Identity numbers are removed.

    Example: golive ticket import saker.csv --map "Saksnr=external_id,Tittel=title" --dry-run
    """
    from rollout.settings import acting_person
    from support.ticket_import import import_tickets

    with app_context(ctx).db.session(write=True, dry_run=dry_run) as session:
        with progress_bar(f"checking {file.name}", quiet=as_json) as progress:
            result = import_tickets(session, path=file, actor=acting_person(actor), mapping=mapping,
                                    organisation=org, dry_run=dry_run, progress=progress)
    if result.masked:
        say(f"Removed {result.masked} national identity number(s) from the file's texts: [fnr fjernet]")
    for note in result.notes:
        say(f"Note: {note}")
    if as_json:
        if not result.changed and not dry_run:
            say("Nothing changed")
        emit_json(result.as_json())
        return
    summary = f"{result.created} created, {result.unchanged} unchanged" + (f", {result.skipped} left as they are"
                                                                           if result.skipped else "")
    if dry_run:
        say(f"Dry run: {result.file}: would make {summary}; nothing written.")
    elif not result.changed:
        say(f"Nothing changed ({result.rows} rows, {summary})")
    else:
        say(f"Imported {result.file}: {summary}.")


@ticket_app.command("export")
def export_cmd(
    ctx: typer.Context,
    format: str = typer.Option("csv", "--format", metavar="csv|json", help="CSV for Excel (; and a BOM) or JSON."),  # noqa: A002
    since: str | None = typer.Option(None, "--since", metavar="TIME", help="Only tickets created or changed at or after this time."),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE", help="Write here (atomically) instead of to stdout."),
) -> None:
    """Every ticket (or those changed since a time) as CSV or JSON; CSV cells that would run as formulas are neutralised.

    Example: golive ticket export --format csv --since 2022-05-07 -o saker.csv
    """
    import sys

    from rollout.tabular.export import write_atomically
    from support.ticket_export import export_tickets

    with app_context(ctx).db.session() as session:
        data, count = export_tickets(session, format=format.strip().lower(), since=parse_at(since) if since else None)
    if output is None:
        sys.stdout.write(data.decode("utf-8-sig"))  # the BOM is for Excel opening a file, not for a pipe
        return
    write_atomically(output, data)
    say(f"Wrote {count} ticket(s) to {output}")
