"""Rollout-file texts shared by the tests (the issue's example shape, and a DST plan)."""

ISSUE_EXAMPLE = """\
organisations:
  - key: trondheim
    name: Trondheim kommune
    kind: municipality
    org_number: "942110464"
    units:
      - key: legevakt
        name: Trondheim legevakt
        service: legevakt
        hours: "24/7"
        staff: 140
plans:
  - key: trondheim-2022
    organisation: trondheim
    name: Helseplattformen i Trondheim kommune
    timezone: Europe/Oslo
    cutover_start: 2022-05-05T08:00
    go_live: 2022-05-07T06:00
    hypercare_until: 2022-06-03
    playbook: municipality-cutover
    phases:
      - {name: Opplæring, start: 2022-03-07, end: 2022-05-04}
    waves:
      - {name: Bølge 1, go_live: 2022-05-07T06:00, units: [legevakt]}
    gates:
      - key: T-7d
        at: T-7d
        wave: Bølge 1
        criteria: {training_min: 0.9, staff_per_superuser_max: 10, staffing_min: 1.2, open_p1_max: 0, runbook_due_done: true}
"""

# Go-live on the morning the clocks go forward (Sunday 29 March 2026), with a
# second wave on the autumn night the clocks go back.
DST_PLAN = """\
organisations:
  - key: vaarkommune
    name: Vår kommune
    kind: municipality
    units:
      - {key: legevakt, name: Legevakt, hours: "24/7", staff: 40}
      - {key: helsestasjon, name: Helsestasjon, hours: weekdays, staff: 12}
plans:
  - key: vaar-2026
    organisation: vaarkommune
    name: Våren 2026
    cutover_start: 2026-03-26T08:00
    go_live: 2026-03-29T06:00
    phases:
      - {name: Opplæring, start: 2026-02-01, end: 2026-03-25}
      - {name: Omlegging, start: 2026-03-26, end: 2026-03-29}
    waves:
      - {name: Døgn, units: [legevakt]}
      - {name: Høst, go_live: "2026-10-25T02:30+01:00", units: [helsestasjon]}
    gates:
      - {key: T-1d, at: T-1d, criteria: {training_min: 0.9}}
      - {key: T-24h, at: T-24h}
      - {key: T-90m, at: T-90m}
      - {key: T+2d, at: T+2d}
      - {key: host-T-1d, at: T-1d, wave: Høst}
      - {key: host-T-3h, at: T-3h, wave: Høst}
      - {key: fixed, at: "2026-03-27T12:00"}
"""
