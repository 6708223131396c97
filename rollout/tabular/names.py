"""Suggestions for names people mistype: only close matches, so a hint never misleads."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# 0.75 keeps 'legevak' → 'legevakt' and 'leger' → 'lege' but drops 'akuttmottak' → 'legevakt'.
CUTOFF = 0.75


def close_match(word: str, choices: Iterable[str]) -> str | None:
    """The known name closest to `word`, compared without case, if it is close enough."""
    options = sorted(set(choices))
    lowered = {c.lower(): c for c in options}
    found = difflib.get_close_matches(word.strip().lower(), list(lowered), n=1, cutoff=CUTOFF)
    return lowered[found[0]] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'name'?)` when a close choice exists, else empty."""
    found = close_match(word, choices)
    return f" (did you mean {found!r}?)" if found else ""
