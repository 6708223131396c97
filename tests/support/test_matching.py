"""Known-issue matching finds the same problem written in bokmål or nynorsk and leaves unrelated tickets unmatched."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support.matching import DEFAULT_CUTOFF, match_known_issues, normalise

KNOWN_ISSUES = [
    (11, "Etikettskrivar skriv ikkje ut pasientetikettar"),
    (12, "Får ikke logget inn i Helseplattformen etter passordbytte"),
    (13, "Pasientlisten forsvinner ved bytte av enhet"),
    (14, "Timeboka visast ikkje for sjukepleiarar i heimetenesta"),
    (15, "Resepter kommer ikke frem til apoteket"),
    (16, "Utskrifter av journalnotat blir blanke"),
    (17, "PLO-meldinger fra fastlege kommer ikke frem"),
    (18, "Treg innlogging på tynnklienter om morgenen"),
    (19, "Skanner leser ikke strekkoder på armbånd"),
]


@pytest.mark.parametrize(
    ("bokmål", "nynorsk"),
    [
        ("skriver", "skrivar"),
        ("skriveren", "skrivaren"),
        ("ikke", "ikkje"),
        ("utskrifter", "utskrift"),
        ("pasientlisten", "pasientlista"),
        ("timebok", "timeboka"),
        ("vises", "visast"),
        ("etikettene", "etikettane"),
        ("meldingen", "meldinga"),
        ("hjemmetjenesten", "heimetenesta"),
        ("sykepleiere", "sjukepleiarar"),
        ("vanlig", "vanleg"),
    ],
)
def test_bokmål_and_nynorsk_forms_meet(bokmål: str, nynorsk: str) -> None:
    assert normalise(bokmål) == normalise(nynorsk)


def test_normalise_drops_case_punctuation_digits_and_stop_words() -> None:
    assert normalise("Får IKKJE logga inn!! (sak 2022/123)") == normalise("får ikke logge inn sak")
    assert normalise("Ｔｉｍｅｂｏｋ") == normalise("timebok")  # NFKC: fullwidth letters
    assert normalise("og i på det er ikke") == ""


@pytest.mark.parametrize(
    ("ticket", "issue"),
    [
        ("Etikettskriveren skriver ikke ut etiketter, står bare og blinker", 11),
        ("Labelprinter på akutten skriv ikkje ut pasientetikettar", 11),
        ("Etikettskrivaren på avdelinga skriv ikkje ut etikettane", 11),
        ("Etikettskrvaren skrv ikkje", 11),  # typos: no stem in common, only near-identical ones
        ("Skaner lesr ikkje strekodane", 19),
        ("Timbok vist ikke for sykepleire", 14),
        ("Får ikkje logga inn etter at eg bytta passord i går", 12),
        ("Kan ikke logge inn i Helseplattformen, byttet passord i dag", 12),
        ("Pasientlista forsvinn når eg byter eining", 13),
        ("Pasientlisten blir borte når jeg bytter enhet", 13),
        ("Timebok vises ikke for sykepleiere i hjemmetjenesten", 14),
        ("Ser ikkje timeboka i heimetenesta", 14),
        ("Resept ble ikke sendt til apotek", 15),
        ("Utskrift av journalnotat er blank", 16),
        ("Journalnotat blir blankt ved utskrift", 16),
        ("PLO-melding fra fastlegen kom aldri fram", 17),
        ("Innlogginga er veldig treg på tynnklienten kvar morgon", 18),
        ("Skannaren les ikkje strekkoden på armbandet", 19),
    ],
)
def test_the_same_problem_is_found_first_above_the_cutoff(ticket: str, issue: int) -> None:
    hits = match_known_issues(ticket, KNOWN_ISSUES)
    assert hits and hits[0][0] == issue
    assert hits[0][1] >= DEFAULT_CUTOFF


@pytest.mark.parametrize(
    "ticket",
    [
        "Kan ikke bestille blodprøver, knappen er grå",
        "Hvordan legger jeg til en ny bruker?",
        "Skjermen er svart når jeg starter PC-en",
        "Mus og tastatur virker ikke på PC på vaktrommet",
        "Kan ikke signere notat, får feilmelding",
        "Trenger opplæring i legemiddelmodulen",
        "Klarer ikke å finne pasienten i søket",  # close in letters to "pasientlisten forsvinner", no word shared
        "Printeren på kontoret er tom for toner",
        "Vaktlista viser feil turnus",
        "Får ikke tilgang til kurven til pasienten",
        "Ikkje noko av dette fungerer i dag",  # only stop words
        "",
    ],
)
def test_an_unrelated_ticket_matches_nothing(ticket: str) -> None:
    assert match_known_issues(ticket, KNOWN_ISSUES) == []


def test_a_long_description_does_not_hide_the_match() -> None:
    text = (
        "Timebok vises ikke. Gjelder alle sykepleiere i hjemmetjenesten sone nord. Startet etter lunsj, "
        "vi har prøvd å logge ut og inn, restartet maskinen og sjekket med kollegaer på andre enheter. "
        "Dette haster, vi har mange besøk i ettermiddag."
    )
    assert match_known_issues(text, KNOWN_ISSUES)[0][0] == 14


def test_best_first_ties_by_id_and_limit() -> None:
    issues = [
        (9, "Etikettskriver skriver ikke"),
        (5, "Etikettskriver tom for papir"),
        (4, "Etikettskrivar skriv ikkje"),
        (7, "Skriveren skriver ikke ut"),
        (2, "Utskrifter blir blanke"),
    ]
    ticket = "Etikettskriveren skriver ikke ut"
    hits = match_known_issues(ticket, issues, limit=10, cutoff=0)
    # 4, 7 and 9 hold only words of the ticket, so they tie at 100, lower id first; 5 comes after; 2 shares no word.
    assert [issue_id for issue_id, _ in hits] == [4, 7, 9, 5]
    assert hits[0][1] == hits[1][1] == hits[2][1] == 100.0 > hits[3][1]
    assert match_known_issues(ticket, issues, cutoff=0) == hits[:3]  # the default limit
    assert match_known_issues(ticket, issues, limit=1, cutoff=0) == hits[:1]
    assert match_known_issues(ticket, issues, limit=0) == []


def test_the_cutoff_is_honoured() -> None:
    ticket = "Får ikkje logga inn etter at eg bytta passord i går"
    score = match_known_issues(ticket, KNOWN_ISSUES)[0][1]
    assert match_known_issues(ticket, KNOWN_ISSUES, cutoff=score) == [(12, score)]
    assert match_known_issues(ticket, KNOWN_ISSUES, cutoff=score + 0.5) == []
    assert match_known_issues(ticket, []) == []


@given(order=st.permutations(KNOWN_ISSUES), ticket=st.sampled_from(["Etikettskrivaren skriv ikkje ut", "Pasientlista forsvinn", "timebok vises ikke"]))
def test_the_order_of_the_issues_does_not_matter(order: list[tuple[int, str]], ticket: str) -> None:
    assert match_known_issues(ticket, order, cutoff=0, limit=9) == match_known_issues(ticket, KNOWN_ISSUES, cutoff=0, limit=9)
