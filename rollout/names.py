"""Suggestions for names people mistype: only close matches, so a hint never misleads."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# 0.75 keeps 'legevak' → 'legevakt' and 'leger' → 'lege' but drops 'akuttmottak' → 'legevakt'.
CUTOFF = 0.75


def _one_letter_apart(a: str, b: str) -> bool:
    """One letter missing or extra ('ee' for 'e', 'leger' for 'lege'): a typo even in a short key.

    A changed letter is not counted ('DR2' is not 'DR1'): that is more often another name.
    """
    if abs(len(a) - len(b)) != 1 or min(len(a), len(b)) == 0:
        return False
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def close_match(word: str, choices: Iterable[str]) -> str | None:
    """The known name closest to `word`, compared without case, if it is close enough."""
    options = sorted(set(choices))
    lowered = {c.lower(): c for c in options}
    typed = word.strip().lower()
    found = difflib.get_close_matches(typed, list(lowered), n=1, cutoff=CUTOFF)
    if found:
        return lowered[found[0]]
    near = [c for c in lowered if _one_letter_apart(typed, c)]
    return lowered[near[0]] if near else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'name'?)` when a close choice exists, else empty."""
    found = close_match(word, choices)
    return f" (did you mean {found!r}?)" if found else ""
