"""`golive apply`, `golive info` and `golive db …`: load rollout files and look after the database."""

from __future__ import annotations

from pathlib import Path

import typer

from rollout.cli.context import AS_OPTION, JSON_OPTION, app_context, console, emit_json, say

db_app = typer.Typer(help="Database schema and backups.", no_args_is_help=True, add_completion=False)


def apply(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Rollout file (YAML) with organisations, units and plans.", show_default=False),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change and write nothing."),
    prune: bool = typer.Option(False, "--prune", help="Delete what the file no longer names (otherwise it is kept)."),
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Create or update organisations, units and plans from a rollout file, all or nothing.

    Re-applying the same file changes nothing.

    Example: golive apply playbooks/examples/helse-midt.yaml --dry-run
    """
    from rollout.applydiff import describe_update
    from rollout.apply import apply_rollout
    from rollout.rolloutfile import read_rollout_file
    from rollout.settings import acting_person

    spec = read_rollout_file(file)  # validate fully before opening the database
    with app_context(ctx).db.session(write=True, dry_run=dry_run) as session:
        result = apply_rollout(session, spec, actor=acting_person(actor), prune=prune)
    if as_json:
        emit_json(result.as_json(file=str(file), dry_run=dry_run))
        _warn(result.warnings)
        return
    out = console()
    marks = {"create": "[green]+[/green]", "update": "[yellow]~[/yellow]", "delete": "[red]-[/red]"}
    for c in result.changes:
        detail = f": {describe_update(c.fields)}" if c.action == "update" else ""
        out.print(f"{marks[c.action]} {c.entity} {c.key}{detail}", markup=True, highlight=False, soft_wrap=True)
    _warn(result.warnings)
    if result.kept:
        say(f"Kept {len(result.kept)} not named in the file (use --prune to delete): " + ", ".join(result.kept[:5]) + (" …" if len(result.kept) > 5 else ""))
    if not result.changed:
        say("Nothing changed")
        return
    summary = f"{result.count('create')} created, {result.count('update')} updated, {result.count('delete')} deleted"
    say(f"Dry run: would make {summary}; nothing written." if dry_run else f"Applied {file}: {summary}.")


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        say(f"Warning: {warning}")


def info(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Show the version, the database (password masked), its schema revision and table counts.

    Example: golive info --json
    """
    from rollout import __version__
    from rollout.database import schema_head, table_counts
    from rollout.settings import display_url

    app = app_context(ctx)
    db = app.db
    with db.session() as session:
        counts = table_counts(session)
        revision = db.revision()
    data = {
        "version": __version__,
        "database": display_url(app.settings.database_url),
        "database_source": app.settings.source,
        "backend": "sqlite" if app.settings.is_sqlite else "postgresql",
        "schema_revision": revision,
        "schema_head": schema_head(),
        "counts": counts,
    }
    if as_json:
        emit_json(data)
        return
    from rollout.cli.output import table

    out = console()
    out.print(f"golive {__version__}")
    out.print(f"Database: {data['database']} ({data['backend']}, from {data['database_source']})")
    out.print(f"Schema revision: {revision} (head {data['schema_head']})")
    out.print(table("Rows", ["table", "rows"], [[k, v] for k, v in counts.items()]))


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Move the database schema to the newest revision (needed for PostgreSQL after an update).

    Example: golive --db postgresql://golive@db.example/golive db upgrade
    """
    before, after = app_context(ctx).db.upgrade()
    if before == after:
        say(f"Nothing changed: schema already at {after}")
    else:
        say(f"Upgraded schema {before or '(empty)'} → {after}")


@db_app.command("backup")
def db_backup(ctx: typer.Context, file: Path = typer.Argument(..., help="New file to write the copy to.", show_default=False)) -> None:
    """Make a consistent copy of a SQLite database while others keep using it.

    Refuses to overwrite an existing file.

    Example: golive db backup golive-2022-05-07.sqlite
    """
    from rollout.backup import backup_sqlite

    app = app_context(ctx)
    app.db.ensure_ready()
    written = backup_sqlite(app.settings, file)
    say(f"Backed up to {written}")
