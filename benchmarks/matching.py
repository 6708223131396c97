"""Known-issue matching for one new ticket against 300 open known issues, as `ticket new` runs it (target: under 5 ms).

Issues and tickets are generated (deterministically) from a Norwegian
vocabulary of support words in both written standards.
"""

from __future__ import annotations

import random

from benchmarks import Report, best_of

ISSUES, TICKETS = 300, 500
WORDS = (
    "etikettskrivar skriver utskrift utskrifter pasientlista pasientlisten timebok timeboka ikkje ikke logga logget "
    "innlogging passord resept apotek journalnotat blank melding meldinga fastlege tynnklient treg skanner strekkode "
    "armbånd legevakt sjukeheim sykehjem heimetenesta hjemmetjenesten kurve legemiddel signering vaktliste turnus"
).split()


def run(report: Report) -> None:
    from support.matching import match_known_issues

    rng = random.Random(9)
    issues = [(i, " ".join(rng.sample(WORDS, 5))) for i in range(ISSUES)]
    tickets = [" ".join(rng.sample(WORDS, 14)) + f" sak {i}" for i in range(TICKETS)]
    measured = best_of(lambda: [match_known_issues(t, issues) for t in tickets], repeat=3) / TICKETS
    report.absolute(f"match one ticket against {ISSUES} known issues", measured, max_s=0.005)
