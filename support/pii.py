"""The PII guard: finds Norwegian national identity numbers in free text and masks them before anything is stored.

What counts as an identity number (each needs both mod-11 check digits right):

- fødselsnummer, D-numbers (day + 40) and H-numbers (month + 40): whatever
  `stdnum.no.fodselsnummer.is_valid` accepts, so the birth date must be a real,
  past date with a century the individual number allows;
- FH-numbers (felles hjelpenummer, first digit 8 or 9): the health sector's
  number for patients without a known fødselsnummer. stdnum refuses them (no
  birth date by design) but they name a patient just as well, so they are
  masked too; their check digits come from stdnum's own functions.

Written forms: eleven digits, or digit groups split by short separators (spaces,
dots, dashes, slashes, colons) in the layouts people use: `DDMMYY NNNNN`,
`DD.MM.YY NNNNN`, `DD MM YY NNN NN`, `DDMMYY NNN NN`, `XXXX.XX.XXXXX`, and the
same with a four-digit year (`DD.MM.YYYY NNNNN`, century checked). A candidate
starts and ends on group boundaries, so digits are never borrowed from a
neighbouring number and a 13-digit run is not an identity number (a
separator-bounded 11-digit group inside a longer cluster still is).

Safety first: an 11-digit bank account number that also passes the fødselsnummer
check (valid date and check digits) is masked. Phone numbers (8 digits, +47),
organisation numbers (9), dates and times never have the layout and stay.

Unicode: not NFKC (it leaves Arabic-Indic digits alone and moves offsets) but a
fold of our own: every Unicode digit (Arabic-Indic, fullwidth, superscript…)
reads as its ASCII digit, every space as ' ', every dash as '-', and invisible
characters (zero-width space, soft hyphen, combining marks) are dropped, so they
cannot split a number to hide it. Detection runs on the fold; the spans are cut
from the original text, which otherwise stays exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from stdnum.no import fodselsnummer

MASK = "[fnr fjernet]"

# A separator between digit groups: a few blanks, or one punctuation mark with optional blanks around it.
_SEP = re.compile(r"[ \t]{1,3}|[ \t]?[-./:][ \t]{0,2}")
# A run of digits and separator characters, at least eleven long, from a digit to a digit. A single
# character class keeps the scan in the regex engine's fast loop: most tickets cost a microsecond.
_RUN = re.compile(r"[0-9][0-9 \t./:-]{9,}[0-9]")
_GROUP = re.compile(r"[0-9]+")

# Group lengths a written identity number may have: 11 digits, or 13 with a four-digit year.
_LAYOUTS_11 = {(11,), (6, 5), (6, 3, 2), (2, 2, 2, 5), (2, 2, 2, 3, 2), (4, 2, 5)}
_LAYOUTS_13 = {(8, 5), (8, 3, 2), (2, 2, 4, 5), (2, 2, 4, 3, 2)}
_FIRST_GROUPS = {layout[0] for layout in _LAYOUTS_11 | _LAYOUTS_13}


class _Fold(dict[int, int | None]):
    """str.translate table, filled on demand: digits to ASCII, spaces to ' ', dashes to '-', invisible characters dropped."""

    def __missing__(self, code: int) -> int | None:
        ch = chr(code)
        category = unicodedata.category(ch)
        digit = unicodedata.digit(ch, None)
        out: int | None = code
        if digit is not None:
            out = ord(str(digit))
        elif category in ("Cf", "Mn", "Me"):
            out = None
        elif category == "Zs" or ch == "\t":
            out = ord(" ")
        elif category == "Pd" or ch == "\u2212":  # dashes and the minus sign
            out = ord("-")
        self[code] = out
        return out


_FOLD = _Fold()
# Text with nothing outside ASCII and Latin-1's letters (æøå…) needs no folding: that range holds no digit, space, dash or invisible character.
_NEEDS_FOLD = re.compile(r"[^\x00-\x7f\u00c0-\u00ff]")


def _fold(text: str) -> tuple[str, list[int] | None]:
    """The text in the folded alphabet, and where each folded character was in text (None: same place)."""
    if text.isascii() or not _NEEDS_FOLD.search(text):
        return text, None  # already folded
    folded = text.translate(_FOLD)
    if len(folded) == len(text):
        return folded, None
    return folded, [i for i, ch in enumerate(text) if _FOLD[ord(ch)] is not None]


def _is_fh_number(digits: str) -> bool:
    return (
        digits[0] in "89"
        and digits[9] == fodselsnummer.calc_check_digit1(digits)
        and digits[10] == fodselsnummer.calc_check_digit2(digits)
    )


def _is_identity_number(digits: str) -> bool:
    """11 ASCII digits: a valid fødselsnummer, D-, H- or FH-number."""
    return fodselsnummer.is_valid(digits) or _is_fh_number(digits)


def _with_long_year_is_identity_number(digits: str) -> bool:
    """13 digits `DDMMYYYYNNNNN`: valid as `DDMMYYNNNNN` and born in the year written out."""
    short = digits[:4] + digits[6:]
    if not fodselsnummer.is_valid(short):
        return False
    try:
        return fodselsnummer.get_birth_date(short).year == int(digits[4:8])
    except ValueError:  # stdnum's ValidationError is a ValueError
        return False


def _clusters(folded: str) -> Iterator[list[tuple[int, int]]]:
    """The spans of the digit groups of each cluster (groups joined by separators) holding eleven digits or more."""
    for run in _RUN.finditer(folded):
        cluster: list[tuple[int, int]] = []
        for group in _GROUP.finditer(folded, run.start(), run.end()):
            if cluster and not _SEP.fullmatch(folded, cluster[-1][1], group.start()):
                yield cluster  # a gap that is no separator ends the cluster
                cluster = []
            cluster.append(group.span())
        yield cluster


def _spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each identity number in text, left to right, never overlapping."""
    folded, origin = _fold(text)
    for groups in _clusters(folded):
        if sum(end - start for start, end in groups) < 11:
            continue
        i = 0
        while i < len(groups):
            found = _candidate_at(folded, groups, i)
            if found is None:
                i += 1
                continue
            j, start, end = found
            yield (start, end) if origin is None else (origin[start], origin[end - 1] + 1)
            i = j + 1  # never reuse a group: digits are not borrowed from a neighbouring number


def _candidate_at(folded: str, groups: list[tuple[int, int]], i: int) -> tuple[int, int, int] | None:
    """The identity number starting at group i: (index of its last group, start, end), or None."""
    if groups[i][1] - groups[i][0] not in _FIRST_GROUPS:
        return None
    lengths: list[int] = []
    total = 0
    for j in range(i, min(i + 5, len(groups))):
        start, end = groups[j]
        lengths.append(end - start)
        total += end - start
        if total > 13:
            return None
        layout = tuple(lengths)
        if layout in _LAYOUTS_11 or layout in _LAYOUTS_13:
            digits = "".join(folded[s:e] for s, e in groups[i : j + 1])
            ok = _is_identity_number(digits) if total == 11 else _with_long_year_is_identity_number(digits)
            if ok:
                return j, groups[i][0], end
    return None


def mask_identity_numbers(text: str) -> tuple[str, int]:
    """Text with every national identity number replaced by `[fnr fjernet]`, and how many were replaced."""
    parts: list[str] = []
    last = count = 0
    for start, end in _spans(text):
        parts += [text[last:start], MASK]
        last = end
        count += 1
    if not count:
        return text, 0
    parts.append(text[last:])
    return "".join(parts), count


def contains_identity_number(text: str) -> bool:
    """Whether text holds at least one national identity number."""
    return next(_spans(text), None) is not None
