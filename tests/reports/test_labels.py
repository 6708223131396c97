"""Labels: the three catalogues say the same things, and a report in one language holds no label of another."""

from __future__ import annotations

import re
import string

import pytest

from rollout import formats
from reports.render import render_cutover, render_region
from reports.render.labels import LANGUAGES, catalogue
from tests.reports.rendered import Page, strings, words
from tests.reports.sample import sample_cutover, sample_region


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_catalogues_have_the_same_keys_and_placeholders():
    nb, nn, en = (catalogue(lang) for lang in LANGUAGES)
    assert set(nb) == set(nn) == set(en)
    for key in nb:
        assert fields(nb[key]) == fields(nn[key]) == fields(en[key]), key
        assert nb[key].strip() and nn[key].strip() and en[key].strip(), key


def test_nynorsk_is_not_bokmal_with_another_name():
    nb, nn = catalogue("nb"), catalogue("nn")
    differ = [k for k in nb if nb[k] != nn[k]]
    assert len(differ) > len(nb) / 2
    assert nn["rag_red"] == "RAUD" and nb["rag_red"] == "RØD" and catalogue("en")["rag_red"] == "RED"


def vocabulary(lang: str) -> set[str]:
    """Every word a report in `lang` can print by itself: its labels, its month and day names, its units."""
    found = set().union(*(words(re.sub(r"\{[^}]*\}", " ", v)) for v in catalogue(lang).values()))
    found |= words(" ".join(formats.MONTHS[lang] + formats.WEEKDAYS[lang]))
    found |= words(formats.week(formats.date(2022, 1, 10), lang) + " " + formats.duration(1500, lang) + " " + formats.duration(61, lang))
    return found


def walk(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)
    elif isinstance(value, str):
        yield key, value


def user_words(report, lang: str) -> set[str]:
    """The words of what users typed, and the criteria and categories the catalogue does not know (their own keys)."""
    labels = catalogue(lang)
    data = report.as_json()
    own = [v for k, v in walk(data) if k in ("criterion", "category")
           and f"{'crit' if k == 'criterion' else 'cat'}_{v}" not in labels]
    return words(" ".join(strings(data) + own))


def foreign_words(lang: str) -> set[str]:
    """Words only the other languages use."""
    mine = vocabulary(lang)
    return set().union(*(vocabulary(other) for other in LANGUAGES if other != lang)) - mine


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["cutover", "region"])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_report_speaks_one_language(lang, kind, fmt):
    report = sample_cutover() if kind == "cutover" else sample_region()
    text = (render_cutover if kind == "cutover" else render_region)(report, fmt, lang)
    if fmt == "html":
        text = Page(text).text
    # what the users typed (unit names, titles, notes …) is theirs; every other word must be the report's language
    data = user_words(report, lang)
    stray = (words(text) - data) & foreign_words(lang)
    assert stray == set()


def test_the_check_finds_a_foreign_word():
    assert "ikke" in foreign_words("nn") and "ikkje" in foreign_words("nb") and "laurdag" in foreign_words("en")
    assert "lørdag" in foreign_words("nn") and "saturday" in foreign_words("nb")


# words that mark one language and never belong in the others (a label copied from a neighbour shows up here)
MARKERS = {
    "nb": {"ikke", "hva", "hvem", "hvorfor", "dager", "siden", "forrige", "åpne", "åpen", "løst", "løsning", "løsningstid",
           "enhet", "enheter", "enhetene", "ansatte", "mangler", "forsinket", "forsinkede", "oppgaver", "oppgave", "mandag",
           "tirsdag", "lørdag", "søndag", "uke", "nå", "ennå", "bedre", "uendret", "sammenlignet", "innenfor", "virksomhet",
           "innhold", "laget", "fra", "dataene", "tillatt", "høyst", "superbrukere", "superbruker", "forberedelse",
           "beslutning", "beslutninger", "kjøreplan", "meldt", "ventes", "forventet", "lav", "feilene", "de", "hver", "annet"},
    "nn": {"ikkje", "kva", "kven", "kvifor", "dagar", "sidan", "førre", "opne", "løyst", "løysing", "løysingstid", "eining",
           "einingar", "einingane", "tilsette", "manglar", "forseinka", "oppgåver", "oppgåve", "måndag", "tysdag", "laurdag",
           "sundag", "veke", "enno", "betre", "uendra", "samanlikna", "innanfor", "verksemd", "innhald", "laga", "frå",
           "dataa", "tillate", "høgst", "superbrukarar", "superbrukar", "førebuing", "avgjerd", "avgjerder", "køyreplan",
           "melde", "venta", "låg", "feila", "dei", "kvar", "anna", "raud", "grøn"},
    "en": {"the", "of", "and", "is", "not", "tickets", "days", "since", "gate", "gates", "staff", "unit", "units", "late",
           "done", "monday", "tuesday", "saturday", "sunday", "week", "now", "yet", "better", "worse", "unchanged", "within",
           "from", "allowed", "superusers", "superuser", "preparation", "decision", "decisions", "runbook", "opened",
           "projected", "below", "issues", "every", "other", "red", "amber", "green", "training", "shift", "shifts"},
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalogue_borrows_a_neighbours_words(lang):
    mine = set().union(*(words(re.sub(r"\{[^}]*\}", " ", v)) for v in catalogue(lang).values()))
    for other in LANGUAGES:
        if other != lang:
            assert mine & MARKERS[other] == set(), f"{lang} labels use {other} words"
    assert mine & MARKERS[lang], "the markers describe the language"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["cutover", "region"])
def test_no_report_borrows_a_neighbours_words(lang, kind):
    report = sample_cutover() if kind == "cutover" else sample_region()
    for fmt in ("html", "md"):
        text = (render_cutover if kind == "cutover" else render_region)(report, fmt, lang)
        seen = words(Page(text).text if fmt == "html" else text) - user_words(report, lang)
        for other in LANGUAGES:
            if other != lang:
                assert seen & MARKERS[other] == set(), f"{lang} {kind} {fmt} shows {other} words"
