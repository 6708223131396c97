"""Suggestions for a mistyped sub-command that never steer a reader into changing data.

Click suggests the closest command by spelling, so `runbook status` got
"Did you mean 'start'?". A command that changes data (it takes `--as`, as
every such command does) is suggested only for a near-certain typo of its
own name; read-only commands are suggested as usual.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

from typer import _click as click  # typer ships its own click
from typer.core import TyperGroup

READ_CUTOFF = 0.6  # difflib's default
WRITE_CUTOFF = 0.8  # "strat" → start, "blok" → block; not "status" → start


def changes_data(command: click.Command) -> bool:
    return any(p.name == "actor" or "--as" in getattr(p, "opts", ()) for p in command.params)


class CarefulGroup(TyperGroup):
    """A typer group whose "Did you mean" names a command that changes data only for a close typo."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return self._click_resolve_command(ctx, args)
        except click.UsageError as e:
            if args and not ctx.resilient_parsing:
                matches = self.suggestions(args[0])
                if matches:
                    e.message = f"{e.message.rstrip('.')}. Did you mean {', '.join(repr(m) for m in matches)}?"
            raise

    def suggestions(self, typo: str) -> list[str]:
        visible = {name: cmd for name, cmd in self.commands.items() if not cmd.hidden}
        reading = [n for n, c in visible.items() if not changes_data(c)]
        writing = [n for n, c in visible.items() if changes_data(c)]
        found = get_close_matches(typo, reading, cutoff=READ_CUTOFF) + get_close_matches(typo, writing, cutoff=WRITE_CUTOFF)
        hidden = [n for n, c in self.commands.items() if c.hidden and n == typo]
        return found or hidden
