"""Sub-command groups loaded on first use, so `golive --help` stays close to `import typer`.

Each package declares its groups by textual path with a one-line help
(`rollout.registry`); the root imports a group's module only when that group
is invoked (or its own help is asked for). A test keeps the one-liners equal
to the groups' real help.
"""

from __future__ import annotations

import importlib
from typing import Any

from rollout.cli.suggest import CarefulGroup

def lazy_groups() -> dict[str, tuple[str, str]]:
    """name -> (module:attribute of a typer.Typer, its one-line help), from every package's declaration."""
    from rollout.registry import cli_groups

    return {name: (group.app, group.help) for name, group in cli_groups().items()}


def load_group(name: str) -> Any:
    """Import a lazy group and turn it into a command with plain (non-rich) help like the root's."""
    import typer.main

    module_name, _, attr = lazy_groups()[name][0].partition(":")
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


class LazyGroup(CarefulGroup):
    """The root group: eager commands as usual, plus the declared groups imported on demand."""

    def suggestions(self, typo: str) -> list[str]:
        # groups not loaded yet are suggested by spelling; the eager commands by CarefulGroup's rule
        from difflib import get_close_matches

        lazy = [name for name in lazy_groups() if name not in self.commands]
        return get_close_matches(typo, lazy, cutoff=0.6) + super().suggestions(typo)

    def list_commands(self, ctx: Any) -> list[str]:
        eager = super().list_commands(ctx)
        return eager + [name for name in lazy_groups() if name not in eager]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in lazy_groups():
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
                short = lazy_groups()[name][1]
                rows.append((name, short if len(short) <= limit else short[: limit - 3].rstrip() + "..."))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
