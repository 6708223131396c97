"""What the demo's tickets say: titles and details per category, the known issues, the agents of each resolver group.

Plain Norwegian text as clinicians write it (bokmål and some nynorsk), with no
identity numbers, so the PII guard has nothing to remove.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLES: dict[str, list[str]] = {
    "access": ["Får ikke logget inn i Helseplattformen", "Mangler tilgang til pasientlisten på avdelingen",
               "Feil rolle etter innlogging", "Kortleseren kjenner ikke igjen ansattkortet", "Låst ute etter tre forsøk",
               "Får ikkje opna journalen til bebuaren", "Ser ikke tiltaksplanen til pasienten"],
    "printing": ["Etikettskriver skriver ikke", "Utskrift havner på feil skriver", "Armbåndskriver mangler i oppsettet",
                 "Skrivaren skriv ikkje ut legemiddellista", "Utskrift av pasientliste er tom"],
    "device": ["Nettbrettet henger ved oppstart", "Skanneren leser ikke strekkoden på legemidlet",
               "Mobilen får ikke varsler", "PC-en på medisinrommet starter ikke"],
    "workflow": ["Hvordan dokumenterer jeg en besøksendring?", "Finner ikke arbeidslisten for kveldsvakten",
                 "Korleis overfører eg oppgåver til neste vakt?", "Vet ikke hvor avviket skal registreres"],
    "training": ["Trenger hjelp med vaktrapporten", "Hvordan bestiller jeg blodprøver?", "Usikker på signering av notat",
                 "Treng rettleiing i legemiddelmodulen"],
    "configuration": ["Avdelingen mangler i oppsettet", "Feil standardtekst i sykepleienotatet", "Arbeidslisten viser feil enhet",
                      "Menyvalg for vedtak mangler"],
    "integration": ["Labsvar kommer ikke inn", "Timebok synkroniserer ikke med fagsystemet", "Henvisning forsvinner underveis"],
    "messaging": ["Melding til fastlege blir liggende", "Pleie- og omsorgsmelding kommer ikke fram", "Får ikkje svar på dialogmelding"],
    "medication": ["Legemiddellisten viser feil dose", "Kan ikke kvittere ut utdelt legemiddel", "Multidosen vises ikke"],
    "data_migration": ["Gamle journalnotater mangler", "Vedtak fra gammelt system er ikke med", "Allergier mangler etter konvertering"],
    "performance": ["Systemet er veldig tregt", "Det tar minutter å åpne journalen", "Treg innlogging om morgenen"],
    "other": ["Spørsmål om brukerstøtte", "Vet ikke hvem jeg skal kontakte", "Annet problem med systemet"],
}

DETAILS = ["Skjer for alle på vakt.", "Har prøvd å logge ut og inn igjen.", "Gjelder flere pasienter.",
           "Startet etter oppgraderingen i natt.", "Superbrukeren på vakt fikk det ikke til heller.",
           "Vi bruker papirrutinen i mellomtiden.", "Haster før legemiddelrunden.", "Kollegaen min har samme problem.",
           "Det gjeld heile avdelinga.", "Feilmeldingen sier bare 'ukjent feil'."]


@dataclass(frozen=True)
class DemoKnownIssue:
    """A known error of the first weeks: which tickets link to it and when it was fixed (None: still open)."""

    key: str
    title: str
    workaround: str
    category: str
    ticket_title: str
    first_day: int  # linked tickets are reported from this day after go-live …
    last_day: int  # … to this one
    share: float  # of the category's tickets in that window
    found_after_hours: int  # the known issue is registered this long after go-live (plus first_day)
    fixed_day: int | None  # resolved this day at 12:00 (with every open linked ticket), None: still open
    note: str = ""
    units: tuple[str, ...] = ()  # only tickets from these units (empty: any)


KNOWN_ISSUES: list[DemoKnownIssue] = [
    DemoKnownIssue("access-training", "Ansatte uten fullført opplæring får ikke tilgang",
                   "Fullfør HP-GRUNN i læringsportalen; tilgangen kommer innen en time. Superbruker kan bekrefte.",
                   "access", "Får ikke tilgang: mangler fullført opplæring", 0, 6, 0.45, 2, 7,
                   note="Tilgang gis nå automatisk når kurset er fullført"),
    DemoKnownIssue("label-driver", "Etikettskrivere skriver ikke ut pasientetiketter",
                   "Skriv ut etiketter fra nærmeste A4-skriver på etikettark til driveren er rullet ut.",
                   "printing", "Etikettskriver skriver ikke ut pasientetiketter", 0, 4, 0.55, 3, 4,
                   note="Ny skriverdriver rullet ut på alle helsehus"),
    DemoKnownIssue("gp-messages", "Meldinger til fastlege blir liggende i utboksen",
                   "Ring fastlegekontoret ved hastesaker; meldingene sendes når køen er tømt.",
                   "messaging", "Melding til fastlege blir liggende i utboksen", 1, 13, 0.6, 2, 10,
                   note="Norsk Helsenett har rettet adresseoppslaget"),
    DemoKnownIssue("dose-migration", "Dosering fra gammelt system vises ikke i legemiddellisten",
                   "Kontroller doseringen mot papirutskriften fra omleggingen før utdeling.",
                   "medication", "Dosering mangler i legemiddellisten etter konvertering", 0, 13, 0.5, 5, None),
    DemoKnownIssue("slow-tablets", "Treg innlogging på hjemmetjenestens nettbrett om morgenen",
                   "Logg inn før vaktskiftet; start nettbrettet på nytt hvis det henger mer enn to minutter.",
                   "performance", "Treg innlogging på nettbrettet ved vaktskifte", 0, 13, 0.7, 20, None,
                   units=("hjemme-midtbyen", "hjemme-ostbyen", "hjemme-lerkendal", "hjemme-heimdal")),
]

# Agents who work each group's tickets (invented names).
AGENTS: dict[str, list[str]] = {
    "supportsenter": ["Sara Lie", "Jonas Berg", "Mari Aune", "Thomas Dahl", "Ida Moen", "Kristian Lund", "Hilde Strand",
                      "Eirik Haugen"],
    "superbrukere": ["Anne Rønning", "Per Sæther", "Linn Bakken", "Ola Løkken"],
    "helseplattformen": ["Vegard Nilsen", "Marte Olsen", "Henrik Johnsen", "Camilla Lie"],
    "hemit": ["Tor Hagen", "Randi Karlsen", "Stian Jensen", "Lise Pedersen"],
    "norsk-helsenett": ["Geir Andersen", "Tonje Larsen"],
}
REPORTER_FIRST = ["Kari", "Ola", "Ingrid", "Per", "Marit", "Lars", "Anne", "Jon", "Silje", "Erik", "Hanne", "Knut", "Sigrid",
                  "Nils", "Tone", "Bjørn", "Liv", "Håkon", "Astrid", "Solveig", "Øystein", "Åse", "Magnus", "Nora"]
REPORTER_LAST = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Berg",
                 "Haugen", "Hagen", "Bakken", "Moen", "Dahl", "Lund", "Strand", "Aune", "Rønning"]
REPORTER_ROLES = ["sykepleier", "helsefagarbeider", "lege", "vernepleier", "enhetsleder", "merkantil"]
WAIT_REASONS = {
    "reporter": ["Venter på skjermbilde fra brukeren", "Brukeren er på vakt igjen i morgen", "Venter på svar om hvilken pasient"],
    "partner": ["Sendt til leverandøren", "Venter på Hemit", "Venter på Norsk Helsenett"],
    "change": ["Retting kommer i neste endring", "Venter på godkjent endring i oppsettet"],
}
