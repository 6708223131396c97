"""Matches a new ticket's text against open known issues, in bokmål or nynorsk, with rapidfuzz.

Both sides are brought to one form first, so "skrivar" meets "skriver" and
"pasientlista" meets "pasientlisten":

1. NFKC, lowercase, punctuation and digits to spaces;
2. a short nynorsk → bokmål map for words no ending rule can join ("ikkje" →
   "ikke", "eg" → "jeg"), and for word parts inside compounds ("heimetenesta"
   → "hjemmetjenesta", "labelprinter" → "etikettskriver");
3. dropping stop words, which would otherwise make every ticket look alike;
4. a light stemmer that cuts the common inflection endings of both written
   standards (-ane/-ene, -ar/-er, -en/-et/-a, -inga/-ingen, -ast/-es …) in up
   to two rounds, keeping at least three letters, so both forms share one stem.

Scoring is rapidfuzz's `token_set_ratio` on the stems: a known issue whose
words all occur in a longer ticket scores 100, and near-miss spellings still
score well. A hit must also share a stem with the ticket (rapidfuzz's `ratio`
forgives a typo), so character likeness alone never makes a match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

# Measured on the cases in tests/support/test_matching.py: true matches score 62 or more, unrelated ones at most 58.
DEFAULT_CUTOFF = 60.0
_TYPO_CUTOFF = 85.0  # two stems this close are one word mistyped

_NON_WORD = re.compile(r"[\W\d_]+")

# Nynorsk spellings of everyday words that no ending rule joins to their bokmål form.
_NN_TO_NB = {
    "ikkje": "ikke", "eg": "jeg", "ho": "hun", "dei": "de", "me": "vi", "dykk": "dere",
    "kva": "hva", "korleis": "hvordan", "kvifor": "hvorfor", "kven": "hvem", "kvar": "hvor",
    "noko": "noe", "nokon": "noen", "berre": "bare", "frå": "fra", "mykje": "mye", "òg": "også",
    "ein": "en", "eit": "et", "ei": "en", "vere": "være", "vore": "vært", "vert": "blir", "verte": "bli",
    "kjem": "kommer", "kome": "komme", "gjer": "gjør", "seier": "sier", "veit": "vet", "fekk": "fikk",
    "gjekk": "gikk", "heile": "hele", "sjå": "se", "byter": "bytter", "byte": "bytte", "logga": "logge",
}
# Nynorsk word parts and loan words inside compounds ("heimetenesta", "labelprinter"), in this order.
_PARTS = (
    ("heime", "hjemme"), ("heim", "hjem"), ("tenest", "tjenest"), ("sjuk", "syk"), ("eining", "enhet"),
    ("mogleg", "mulig"), ("opn", "åpn"), ("lækjar", "lege"), ("label", "etikett"), ("printer", "skriver"),
)
# Words too common in tickets to tell two problems apart (bokmål forms: the map above runs first).
_STOP_WORDS = frozenset(
    """
    og i på til av for med å som at det den de en et er var har hadde jeg vi du han hun dere meg oss seg
    ikke ut inn opp ned om fra når hva hvordan hvorfor hvor hvem noe noen bare også så da men eller
    kan må skal vil får fikk blir ble være vært etter over under ved hos alle hele mye sin sitt sine
    hei takk mvh hilsen klarer prøvd prøver går dag nå igjen fortsatt lenger veldig helt litt
    """.split()
)
# Inflection endings of bokmål and nynorsk nouns, verbs and adjectives, longest first.
_SUFFIXES = (
    "ingane", "ingene", "ingar", "inger", "ingen", "inga", "ing",
    "heita", "heiten", "heter", "heten", "heit", "het",
    "ande", "ende", "ane", "ene", "ast", "est", "ar", "er", "en", "et", "es", "a", "e",
)
_MIN_STEM = 3


def _strip(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def stem(word: str) -> str:
    """The word's stem, the same in bokmål and nynorsk: ("skrivar", "skriveren") → "skriv"."""
    for old, new in _PARTS:
        if old in word:
            word = word.replace(old, new)
    # Two rounds: a definite ending can follow a plural or agent one ("skriv-er-en", "etikett-ar-ane").
    word = _strip(_strip(word))
    # Nynorsk -leg is bokmål -lig ("vanleg", "vanlig"), once the endings are off.
    return word[:-3] + "lig" if word.endswith("leg") and len(word) > 5 else word


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Text as sorted-comparable stems: lowercase, nynorsk forms mapped, stop words gone, endings cut."""
    words = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower()).split()
    stems = []
    for word in words:
        word = _NN_TO_NB.get(word, word)
        if word not in _STOP_WORDS:
            stems.append(stem(word))
    return " ".join(stems)


def _share_a_word(query: str, choice: str) -> bool:
    """Whether two normalised texts have a stem in common, or two nearly equal ones (a typo)."""
    choice_words = choice.split()
    for word in query.split():
        if word in choice_words:
            return True
        if len(word) >= 5 and process.extractOne(word, choice_words, scorer=fuzz.ratio, score_cutoff=_TYPO_CUTOFF):
            return True
    return False


def match_known_issues(
    text: str, issues: Sequence[tuple[int, str]], *, limit: int = 3, cutoff: float = DEFAULT_CUTOFF
) -> list[tuple[int, float]]:
    """The open known issues that text most likely is: (issue id, score 0-100), best first, ties by id.

    `issues` are (id, text) pairs with unique ids, the text typically the
    issue's title (and category or symptoms, as the caller likes).

    An issue must also share a word stem with the text (or a near-identical
    one): on its own, the character likeness of two unrelated texts can reach
    the cutoff ("finne pasienten" vs "pasientlisten forsvinner").
    """
    query = normalise(text)
    if not query or limit <= 0:
        return []
    choices = {issue_id: normalise(title) for issue_id, title in issues}
    found = process.extract(query, choices, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=cutoff, limit=None)
    ranked = sorted(
        ((issue_id, round(score, 1)) for choice, score, issue_id in found if _share_a_word(query, choice)),
        key=lambda hit: (-hit[1], hit[0]),
    )
    return ranked[:limit]
