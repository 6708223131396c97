"""Suggestions for a mistyped sub-command that never steer a reader into changing data.

Click suggests the closest command by spelling, so `runbook status` got
"Did you mean 'start'?". A command that changes data (it takes `--as`, as
every such command does) is suggested only for a near-certain typo of its
own name: one letter missing, extra, wrong or two swapped ("strat", "stat",
"blok"); read-only commands are suggested as difflib finds them.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

from typer._click.exceptions import UsageError  # typer ships its own click
from typer.core import TyperGroup

READ_CUTOFF = 0.6  # difflib's default


def changes_data(command: Any) -> bool:
    return any(p.name == "actor" or "--as" in getattr(p, "opts", ()) for p in command.params)


class CarefulGroup(TyperGroup):
    """A typer group whose "Did you mean" names a command that changes data only for a close typo."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as e:
            if args and not ctx.resilient_parsing:
                matches = self.suggestions(args[0])
                if matches:
                    e.message = f"{e.message.rstrip('.')}. Did you mean {', '.join(repr(m) for m in matches)}?"
            raise

    def suggestions(self, typo: str) -> list[str]:
        reading = [n for n, c in self.commands.items() if not changes_data(c)]  # read-only aliases too
        writing = [n for n, c in self.commands.items() if changes_data(c) and not c.hidden]
        return get_close_matches(typo, reading, cutoff=READ_CUTOFF) + [n for n in writing if typo_distance(typo, n) <= 1]


def typo_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn a into b (optimal string alignment)."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]
