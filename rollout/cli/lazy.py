"""Sub-command groups loaded on first use, so `golive --help` stays close to `import typer`.

Each group lives in its own module; the root lists them by textual path
with a one-line help, and imports a module only when its group is invoked
(or its own help is asked for). A test keeps the one-liners equal to the
groups' real help.
"""

from __future__ import annotations

import importlib
from typing import Any

from typer.core import TyperGroup

# name -> (module:attribute of a typer.Typer, its one-line help)
LAZY_GROUPS: dict[str, tuple[str, str]] = {
    "org": ("rollout.cli.catalog:org_app", "Organisations taking part in the rollout."),
    "unit": ("rollout.cli.catalog:unit_app", "Units (enheter) of the organisations."),
    "plan": ("rollout.cli.catalog:plan_app", "Phased rollout plans: phases, waves, gates."),
    "people": ("rollout.cli.readiness:people_app", "People from HR: who works where, in which role, and who is a superuser."),
    "training": ("rollout.cli.readiness:training_app", "Training completions and who is trained."),
    "staffing": ("rollout.cli.readiness:staffing_app", "Planned and normal headcount per unit and shift."),
    "roster": ("rollout.cli.readiness:roster_app", "Superuser rosters: who is on duty where, and the gaps."),
    "gate": ("rollout.cli.gates:gate_app", "Go/no-go gates: evaluate from the data, record decisions."),
    "audit": ("rollout.cli.audit:audit_app", "The audit log: who changed what, when, from what to what, newest first."),
    "runbook": ("rollout.cli.runbook:runbook_app", "Cutover runbooks: T-minus tasks, live status, critical path, what-if slips, rehearsals."),
}


def load_group(name: str) -> Any:
    """Import a lazy group and turn it into a command with plain (non-rich) help like the root's."""
    import typer.main

    module_name, _, attr = LAZY_GROUPS[name][0].partition(":")
    sub_app = getattr(importlib.import_module(module_name), attr)
    if sub_app.registered_callback is None:
        # Typer turns a one-command app into that command; a no-op callback keeps
        # `golive unit list` a group and its command, as with add_typer.
        sub_app.callback()(_group_callback)
    group = typer.main.get_command(sub_app)
    group.name = name
    _plain_help(group)
    return group


def _group_callback() -> None:
    pass


def _plain_help(command: Any) -> None:
    if hasattr(command, "rich_markup_mode"):
        command.rich_markup_mode = None
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


class LazyGroup(TyperGroup):
    """The root group: eager commands as usual, plus LAZY_GROUPS imported on demand."""

    def list_commands(self, ctx: Any) -> list[str]:
        eager = super().list_commands(ctx)
        return eager + [name for name in LAZY_GROUPS if name not in eager]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_GROUPS:
            command = load_group(cmd_name)
            self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows: list[tuple[str, str]] = []
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        for name in names:
            command = super().get_command(ctx, name)
            if command is not None:
                if command.hidden:
                    continue
                rows.append((name, command.get_short_help_str(limit)))
            else:
                short = LAZY_GROUPS[name][1]
                rows.append((name, short if len(short) <= limit else short[: limit - 3].rstrip() + "..."))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
