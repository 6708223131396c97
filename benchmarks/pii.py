"""The PII guard over 100,000 typical ~200-character ticket texts, as an import would run it (target: under 3 s).

The texts are generated (deterministically): clinicians' sentences with phone
numbers, dates, times and case numbers, one in ten with a fødselsnummer in
some written form, one in twenty in Norwegian with non-ASCII letters only.
The baseline is one precompiled `re.sub` of bare 11-digit runs over the same
texts: the least any guard must do.
"""

from __future__ import annotations

import random
import re

from benchmarks import Report, best_of

TICKETS = 100_000

SENTENCES = [
    "Får ikke logget inn i Helseplattformen på legevakta, feilmelding om ugyldig sertifikat.",
    "Etikettskrivaren på avdelinga skriv ikkje ut etikettar etter oppdateringa i morges.",
    "Ring meg på +47 912 34 567 eller sentralbord 73 55 00 00 når dere har sett på det.",
    "Skjedde {date} kl. {time}, igjen ca. en time senere. Sak {case} gjelder samme.",
    "Pasientlista forsvinn når eg byter mellom einingar i timeboka.",
    "Timebok vises ikke for sykepleiere på hjemmetjenesten, org.nr. 942 110 464.",
]
FNR_FORMS = ["15108695088", "151086 95088", "15.10.86 95088", "15 10 86 950 88", "55108694016"]


def tickets(n: int = TICKETS, seed: int = 9) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(rng.sample(SENTENCES, 2)).format(
            date=f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2022",
            time=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
            case=f"2022/{rng.randint(1000, 99999)}",
        )
        if i % 10 == 0:
            text += f" Gjelder pasient {rng.choice(FNR_FORMS)}."
        out.append(text[:200])
    return out


def run(report: Report) -> None:
    from support.pii import mask_identity_numbers

    texts = tickets()
    bare = re.compile(r"(?<!\d)\d{11}(?!\d)")
    baseline = best_of(lambda: [bare.sub("[fnr fjernet]", t) for t in texts], repeat=3)
    measured = best_of(lambda: [mask_identity_numbers(t) for t in texts], repeat=3)
    report.absolute(f"mask {TICKETS:,} ticket texts ({measured / TICKETS * 1e6:.1f} µs each)", measured, max_s=3.0)
    report.ratio("mask vs bare 11-digit re.sub", measured, "re.sub of 11-digit runs, same texts", baseline, max_ratio=10)
