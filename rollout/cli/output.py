"""Rendering shared by every command: times for people and for JSON, a console, tables that fit.

Tables follow one rule, so each command only says what its columns are:
- keys, statuses, times and numbers never wrap; a column marked `shorten`
  (a key the JSON has whole) may be cut with "…" when space is short;
- free text wraps: a `Column(..., wrap=True)`, or a plain-string column whose
  header is one of FREE_TEXT ("name", "title", "note", …);
- when even that does not fit the terminal, columns with a `drop` rank are
  left out, highest rank first, and a line under the table names them;
- in a pipe (stdout not a terminal) the console is wide, so every item
  stays on one line whatever COLUMNS says.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

# A pipe gets lines this long: enough for any table, and rich never crops them.
PIPE_WIDTH = 10_000

# Plain-string column headers that are free text and wrap (others never wrap).
FREE_TEXT = frozenset(
    {"name", "title", "note", "notes", "description", "criteria", "units", "reason", "reasons", "summary", "waiting on", "contacts", "wave", "phase"}
)


def local(instant: datetime | None, tz: str) -> str:
    """`2022-05-07 06:00` in the plan's zone, the one way people read a time (see rollout.formats.when)."""
    from rollout.formats import when

    return when(instant, tz)


def iso(instant: datetime | None, tz: str) -> str | None:
    """`2022-05-07T06:00+02:00`: the one way JSON writes a time."""
    from rollout.clock import iso as _iso

    return _iso(instant, tz)


def console() -> Console:
    """Rich output on stdout: the terminal's width, or wide in a pipe so rows never break."""
    from rich.console import Console

    wide = None if sys.stdout.isatty() else PIPE_WIDTH
    return Console(file=sys.stdout, highlight=False, width=wide)


@dataclass(frozen=True)
class Column:
    """A table column. `wrap`: free text. `shorten`: may be cut with "…". `drop`: left out first when narrow (0 never)."""

    header: str
    wrap: bool = False
    shorten: bool = False
    drop: int = 0
    justify: str = "left"


def column(spec: str | Column) -> Column:
    if isinstance(spec, Column):
        return spec
    return Column(spec, wrap=spec.strip().lower() in FREE_TEXT)


def table(title: str | None, columns: Sequence[str | Column], rows: Iterable[Sequence[Any]]) -> Any:
    """A table that follows the rules above; cells may use rich markup, None prints empty."""
    return FittedTable(title, [column(c) for c in columns], [["" if v is None else str(v) for v in row] for row in rows])


SHORTEST_KEY = 12  # a shortened key keeps at least this many characters (with the "…")
SHORTEST_TEXT = 10  # free text wraps no narrower than this
LONGEST_WHOLE_WORD = 16  # … and never folds a word this long or shorter
COMFORTABLE_TEXT = 20  # … and, while optional columns can still be left out, no narrower than this


class FittedTable:
    """Chooses column widths for the width it is drawn at, then hands a rich Table over."""

    def __init__(self, title: str | None, columns: list[Column], rows: list[list[str]]) -> None:
        self.title = title
        self.columns = columns
        self.rows = rows

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.text import Text

        cells = [[Text.from_markup(v) for v in row] for row in self.rows]
        width = options.max_width
        # First leave out optional columns rather than fold names or cut keys; only then squeeze harder.
        shown, widths = self._layout(cells, width, tight=False)
        if widths is None:
            shown, widths = self._layout(cells, width, tight=True)
        if widths is None:
            widths = self._squeeze(shown, cells, width)
        if self.title:
            # the title is a line of its own at the console's width, never squeezed into the table's
            from rollout.cli.prose import wrap

            for line in (wrap(self.title, width) if console.is_terminal else [self.title]):
                yield Text(line)
        yield self._rich_table(shown, widths, cells)
        hidden = [self.columns[i].header for i in range(len(self.columns)) if i not in shown]
        if hidden:
            yield Text(f"(not shown at {options.max_width} columns: {', '.join(hidden)}; --json has them)", style="dim")

    def _layout(self, cells: list[list[Any]], width: int, *, tight: bool) -> tuple[list[int], list[int] | None]:
        """Leave out droppable columns, highest rank first, until the rest fit; (shown, widths or None)."""
        shown = list(range(len(self.columns)))
        widths = self._fit(shown, cells, width, tight=tight)
        while widths is None:
            droppable = [i for i in shown if self.columns[i].drop]
            if not droppable:
                break
            shown.remove(max(droppable, key=lambda i: (self.columns[i].drop, i)))
            widths = self._fit(shown, cells, width, tight=tight)
        return shown, widths

    def _natural(self, i: int, cells: list[list[Any]], *, tight: bool = True) -> tuple[int, int]:
        """(widest, narrowest acceptable) content width of column i; not `tight`: no cut keys, no folded words."""
        col = self.columns[i]
        lines = [line for row in cells if i < len(row) for line in row[i].plain.splitlines() or [""]]
        from rich.cells import cell_len

        content = max((cell_len(line) for line in lines), default=0)
        header_word = max((cell_len(w) for w in col.header.split()), default=0)
        widest = max(content, cell_len(col.header), 1)
        if col.wrap and not tight:
            longest_word = max((cell_len(w) for line in lines for w in line.split()), default=0)
            least = min(widest, max(COMFORTABLE_TEXT, min(longest_word, 30), header_word))
        elif col.wrap:
            # words up to LONGEST_WHOLE_WORD stay whole ("Helseplattformen"); only longer ones fold
            longest_word = max((cell_len(w) for line in lines for w in line.split()), default=0)
            least = min(widest, max(SHORTEST_TEXT, header_word, min(longest_word, LONGEST_WHOLE_WORD)))
        elif col.shorten and not tight:
            least = widest
        elif col.shorten:
            least = min(widest, max(SHORTEST_KEY, header_word))
        else:
            least = max(content, header_word, 1)  # the header may wrap at a space, the values never
        return widest, least

    def _fit(self, shown: list[int], cells: list[list[Any]], width: int, *, tight: bool = True) -> list[int] | None:
        """Widths for the shown columns within `width`, or None when even the narrowest do not fit."""
        room = width - (3 * len(shown) - 1)
        sizes = {i: self._natural(i, cells, tight=tight) for i in shown}
        widths = {i: sizes[i][0] for i in shown}
        excess = sum(widths.values()) - room
        # free text gives way first, then headers wrap at a space, then keys are shortened; widest first
        for kind in ("wrap", "header", "shorten"):
            while excess > 0:
                movable = [i for i in shown if widths[i] > sizes[i][1] and _kind(self.columns[i]) == kind]
                if not movable:
                    break
                i = max(movable, key=lambda j: (widths[j] - sizes[j][1], widths[j]))
                step = min(excess, widths[i] - sizes[i][1])
                widths[i] -= step
                excess -= step
        return None if excess > 0 else [widths[i] for i in shown]

    def _squeeze(self, shown: list[int], cells: list[list[Any]], width: int) -> list[int]:
        """Last resort (nothing left to drop): take each column down evenly; values get "…"."""
        room = max(width - (3 * len(shown) - 1), len(shown))
        widths = [self._natural(i, cells)[1] for i in shown]
        while sum(widths) > room and max(widths) > 1:
            widths[widths.index(max(widths))] -= 1
        return widths

    def _rich_table(self, shown: list[int], widths: list[int], cells: list[list[Any]]) -> Any:
        from rich.table import Table

        t = Table(show_edge=False, header_style="bold")
        for i, w in zip(shown, widths):
            col = self.columns[i]
            t.add_column(col.header, width=w, justify=col.justify, overflow="fold")  # type: ignore[arg-type]
        for row in cells:
            out = []
            for i in shown:
                cell = row[i] if i < len(row) else None
                if cell is None:
                    out.append("")
                    continue
                if not self.columns[i].wrap:
                    cell.no_wrap, cell.overflow = True, "ellipsis"
                out.append(cell)
            t.add_row(*out)
        return t


def _kind(col: Column) -> str:
    return "wrap" if col.wrap else "shorten" if col.shorten else "header"
