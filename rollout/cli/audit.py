"""`golive audit`: read the audit log (who changed what, when, old → new), newest first."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import typer

from rollout.cli.complete import complete_audit_tables
from rollout.cli.context import JSON_OPTION, app_context, console, emit_json, parse_count, parse_option_time, say

if TYPE_CHECKING:
    from rollout.audit import AuditView

# One command, declared as a group whose callback is the command, so the root's
# lazy registry (one entry per name) loads it like every other group.
audit_app = typer.Typer(add_completion=False, no_args_is_help=False, subcommand_metavar="")

DEFAULT_LIMIT = 50
INDENT = "    "
# Actions whose two-item lists are [old, new]; creates, imports and loads store values and counts.
_STORED_VALUES = {"create", "import", "load"}
_INSTANT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)$")


@audit_app.callback(invoke_without_command=True)
def audit(
    ctx: typer.Context,
    table: str | None = typer.Option(
        None, "--table", metavar="TABLE", help="Only changes to this table (unit, plan, runbook_task, …).", autocompletion=complete_audit_tables
    ),
    since: str | None = typer.Option(None, "--since", metavar="TIME", help="Only changes at or after TIME (Europe/Oslo, or with an offset)."),
    actor: str | None = typer.Option(None, "--as", metavar="NAME", help="Only changes recorded by NAME (any capitalisation)."),
    limit: int = typer.Option(DEFAULT_LIMIT, "--limit", parser=parse_count, metavar="N", help="At most N entries, newest first; 0 shows all."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The audit log: who changed what, when, from what to what, newest first.

    Example: golive audit --table runbook_task --since "06.05.2022 08:00" --as tester
    """
    from rollout.audit import audit_entries
    from rollout.clock import OSLO

    when = parse_option_time(since, OSLO, option="--since") if since is not None else None  # the parser behind --at
    with app_context(ctx).db.session() as session:
        # One more than asked tells whether entries were left out, without counting them all.
        entries = audit_entries(session, table=table, since=when, actor=actor, limit=limit + 1 if limit else None)
    more = bool(limit) and len(entries) > limit
    entries = entries[:limit] if limit else entries
    if as_json:
        emit_json([e.as_json() for e in entries])
        return
    if not entries:
        say("No audit entries match")
        return
    out = console()
    # On a terminal long lines fold between fields and values end in "…"; in a pipe each stays whole.
    width = out.width if out.is_terminal else None
    for e in entries:
        for line in entry_lines(e, width):
            out.print(line, markup=False, soft_wrap=True, highlight=False)
    if more:
        say(f"Showing the newest {limit}; --limit 0 shows all, --json gives them whole")


def entry_lines(e: AuditView, width: int | None) -> list[str]:
    """A header (time, what, who, id) and one indented line per change, never breaking a key or a time."""
    from rollout.cli.output import local
    from rollout.clock import OSLO

    parts = [local(e.at, OSLO), f"{e.action} {e.table} {e.key}", f"by {e.actor}", f"#{e.id}"]
    lines = [parts[0]]
    for part in parts[1:]:
        if width is not None and len(lines[-1]) + 2 + len(part) > width:
            lines.append(INDENT + part)
        else:
            lines[-1] += "  " + part
    for change in change_lines(e.action, e.changes):
        lines.append(INDENT + (shorten(change, width - len(INDENT)) if width is not None else change))
    return lines


def change_lines(action: str, changes: dict[str, Any]) -> list[str]:
    """`field: old → new` for updates, `field: value` otherwise; empty values are left out."""
    lines = []
    for field, value in changes.items():
        if value is None or value == [] or value == {}:
            continue
        if action not in _STORED_VALUES and isinstance(value, list) and len(value) == 2:
            lines.append(f"{field}: {_text(value[0])} → {_text(value[1])}")
        else:
            lines.append(f"{field}: {_text(value)}")
    return lines


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return _local_instant(value) or value
    return json.dumps(value, ensure_ascii=False)


def _local_instant(text: str) -> str | None:
    """Instants are stored as ISO text in UTC; people read them on the Oslo wall clock like every table."""
    if not _INSTANT_RE.match(text):
        return None
    from datetime import datetime

    from rollout.cli.output import local
    from rollout.clock import OSLO

    try:
        return local(datetime.fromisoformat(text), OSLO)
    except ValueError:
        return None


def shorten(text: str, width: int) -> str:
    """One line per change: long values end in an ellipsis (the JSON has them whole)."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
