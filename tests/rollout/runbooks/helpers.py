"""Fixtures' data for the runbook tests: a plan whose go-live falls on the spring DST weekend.

Go-live is Sunday 29 March 2026 06:00 Europe/Oslo (04:00 UTC); the clocks
jump from 02:00 to 03:00 that night. Hand-computed planned times (UTC):

    b2  T-24h  30m            28 04:00–04:30   (05:00 local: 24 elapsed hours)
    b   T-1d   2h             28 05:00–07:00   (06:00 local: the wall clock kept)
    h   after b 1h            28 07:00–08:00
    a   T-12h  3h             28 16:00–19:00   (17:00 local, CET)
    c   after a 4h            28 19:00–23:00
    d   after c,b  T-5h 3h    28 23:00–29 02:00 (00:00 CET to 04:00 CEST)
    e   gate, after d, T-2h 30m  29 02:00–02:30
    f   after e 1h30m         29 02:30–04:00
    go-live  after f,h,b2 T+0   29 04:00 (06:00 CEST)
    hyper  after go-live T+1d 1h  30 04:00–05:00 (06:00 local)

Slack against the go-live: a, c, d, e, f, go-live 0; b 960; h 1200; b2 1410.
"""

ROLLOUT = """\
organisations:
  - key: testkommune
    name: Testkommune
    kind: municipality
    units:
      - {key: helsehus, name: Testkommune helsehus, service: helsehus, hours: "24/7", staff: 40}
  - key: hemit
    name: Hemit
    kind: partner
plans:
  - key: dst-2026
    organisation: testkommune
    name: Omlegging over sommertid
    cutover_start: 2026-03-27T08:00
    go_live: 2026-03-29T06:00
    playbook: PLAYBOOK
    gates:
      - {key: final, at: T-2h, criteria: {runbook_due_done: true}}
"""

PLAYBOOK = """\
name: dst-test
description: Hand-computed critical path over the spring DST change
streams: [Teknisk, Konvertering, Ledelse]
tasks:
  - key: b2
    title: Early check, elapsed offset
    stream: Teknisk
    owner: hemit
    at: T-24h
    duration: 30m
  - key: b
    title: Morning check, calendar-day offset
    stream: Teknisk
    owner: kommune
    at: T-1d
    duration: 2h
  - key: h
    title: Follow-up of b
    stream: Teknisk
    owner: hemit
    after: [b]
    duration: 1h
  - key: a
    title: Freeze the old journal
    stream: Konvertering
    owner: hemit
    at: T-12h
    duration: 3h
  - key: c
    title: Convert
    stream: Konvertering
    owner: testkommune
    after: [a]
    duration: 4h
  - key: d
    title: Load across the DST jump
    stream: Konvertering
    owner: testkommune
    after: [c, b]
    at: T-5h
    duration: 3h
  - key: e
    title: Go/no-go
    stream: Ledelse
    owner: kommune
    after: [d]
    at: T-2h
    gate: true
    duration: 30m
  - key: f
    title: Open for log-in
    stream: Teknisk
    owner: hemit
    after: [e]
    duration: 1h30m
  - key: go-live
    title: In use
    stream: Ledelse
    milestone: go-live
    after: [f, h, b2]
    at: T+0
  - key: hyper
    title: Hypercare huddle
    stream: Ledelse
    owner: kommune
    after: [go-live]
    at: T+1d
    duration: 1h
"""


def setup_plan(golive, rollout_file, *, playbook: str = PLAYBOOK) -> str:  # noqa: ANN001
    """Apply the rollout file and load the playbook; returns the playbook path."""
    book = rollout_file(playbook, name="dst-test.yaml")
    rollout = rollout_file(ROLLOUT.replace("PLAYBOOK", str(book)), name="rollout.yaml")
    result = golive("apply", rollout)
    assert result.exit_code == 0, result.stderr
    result = golive("runbook", "load", "dst-2026", "--json")
    assert result.exit_code == 0, result.stderr
    return str(book)


def counts(golive) -> dict[str, int]:  # noqa: ANN001
    return golive("info", "--json").json()["counts"]
