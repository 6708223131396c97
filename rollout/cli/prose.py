"""Lines of text for people that wrap at the terminal's width without breaking a time, a number or a key.

Rich wraps at any space, so `due 2022-05-06 14:00` could end a line after the
date and `9 035 people` after the 9. Here such phrases are single tokens; in a
pipe nothing wraps, so each item stays on one line for grep and awk.
"""

from __future__ import annotations

import re
import sys
from typing import Any

# Phrases that must stay on one line: local times (with an offset when one is shown), thousands with
# spaces and percentages. Their inner spaces are held while the text is split into words.
_KEEP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?: [+-]\d{2}:\d{2})?|\d{1,3}(?: \d{3})+(?: %)?|\d+(?:[.,]\d+)? %")
_HELD = "\x00"


def tokens(text: str) -> list[str]:
    """Words as the text has them (punctuation stays on its word), protected phrases whole."""
    held = _KEEP.sub(lambda m: m.group(0).replace(" ", _HELD), text)
    return [word.replace(_HELD, " ") for word in held.split()]


def wrap(text: str, width: int, *, hang: int = 2) -> list[str]:
    """Greedy wrap on whole tokens; continuation lines indented `hang` past the first line's own indent."""
    indent = len(text) - len(text.lstrip(" "))
    lead = " " * indent
    rest = " " * (indent + hang)
    lines: list[str] = []
    current = lead
    for token in tokens(text):
        room = width - len(current)
        if current.strip() and len(token) + 1 > room:
            lines.append(current.rstrip())
            current = rest + token
        else:
            current = current + (" " if current.strip() else "") + token
    lines.append(current.rstrip())
    return lines


def say_lines(out: Any, text: str, *, hang: int = 2) -> None:
    """Print one logical line to a rich console: wrapped for a terminal, whole in a pipe."""
    if not sys.stdout.isatty():
        out.print(text, markup=False, soft_wrap=True, highlight=False)
        return
    for line in wrap(text, max(out.width, 20), hang=hang):
        out.print(line, markup=False, soft_wrap=True, highlight=False)
