"""The rest of the demo's cutover, after Friday 6 May 14:00, and the go/no-go decisions of the whole story.

What happened (every time fixed, local time):
- Sat 30 April 10:00: the programme director records GO on the T-7d gate,
  which the data called NO-GO at 06:00, with the conditions noted.
- Fri 6 May 08:30, at the Friday huddle: GO on T-1d, again with conditions.
- Friday afternoon: the extract finished at 14:55 (35 min late); the label
  printer driver at Øya helsehus arrived and the printers were done at 17:30.
- The conversion ran long, as the dress rehearsal DR1 foretold: the patient
  lists took 8 h 25 min (planned 8 h), the validation ended Saturday 05:15.
- Sat 7 May 05:35: the cutover lead records GO on the go/no-go gate and its
  runbook task; log-in opened and the go-live was at 07:10, 70 minutes after
  the planned 06:00 (the simulation's P50 was 09:05).
- Sun 8 May 09:00: GO on wave 2's gate (the day units go live Monday 08:00)
  with the training gaps as conditions.
- Saturday and Sunday: the hypercare tasks (handover, medication
  reconciliation, rounds, huddles) were done by Sunday 12:30.

Every event is recorded with the library functions the CLI uses
(`runbook start|done`, `gate decide`), so the audit rows are the same as if
the project lead had typed them. Nothing here is earlier than Friday 14:00
except the two plan gate decisions, and those are later than the gate checks
the story shows (T-7d as of 30 April 06:00).
"""

from __future__ import annotations

from sqlmodel import Session

from rollout.clock import parse_instant
from rollout.models import Plan
from rollout.runbooks.status import change_status

DIRECTOR = "Programdirektør Trondheim kommune"
CUTOVER_LEAD = "Omleggingsleder Trondheim kommune"

# (local time, gate key, decided by, note): `gate decide KEY --go --by … --note … --at …`; a GO against the data is an override.
DECISIONS: list[tuple[str, str, str, str]] = [
    ("2022-04-30T10:00", "T-7d", DIRECTOR,
     "GO med vilkår: opplæringen i hjemmetjenesten Heimdal tas igjen før T-1d; superbruker på legevakt natt 7. mai; "
     "bemanningsplan for hjemmetjenesten Østbyen og Søbstad helsehus innen torsdag"),
    ("2022-05-06T08:30", "T-1d", DIRECTOR,
     "GO med vilkår: ansatte uten fullført opplæring får ikke tilgang; etikettskriverne på Øya helsehus følges opp av Hemit"),
    ("2022-05-07T05:35", "go-no-go", CUTOVER_LEAD,
     "GO: konverteringen validert 05:15, 1 t 15 min etter planen, som generalprøven DR1 varslet; go-live ca. 07:10"),
    ("2022-05-07T05:35", "go-no-go-final", CUTOVER_LEAD, "GO: alle forutsetninger for pålogging er på plass"),
    ("2022-05-08T09:00", "bolge-2-T-1d", DIRECTOR,
     "GO med vilkår for bølge 2: ansatte uten fullført opplæring får ikke tilgang; superbrukere på alle dagenheter mandag"),
]

# (local time, action, task): the live run after Friday 14:00. No notes: a task keeps one note, and the
# Friday view shows the notes of the late and blocked tasks as they stood then.
WEEKEND: list[tuple[str, str, str]] = [
    ("2022-05-06T14:55", "done", "extract-old-data"),
    ("2022-05-06T14:55", "start", "convert-patients"),
    ("2022-05-06T14:55", "start", "convert-medication"),
    ("2022-05-06T17:30", "done", "printers-labels"),  # straight from blocked: the driver came, Hemit installed and tested
    ("2022-05-06T17:30", "start", "devices-ready"),
    ("2022-05-06T19:40", "done", "devices-ready"),
    ("2022-05-06T20:00", "start", "superuser-briefing"),
    ("2022-05-06T20:50", "done", "superuser-briefing"),
    ("2022-05-06T21:10", "done", "convert-medication"),
    ("2022-05-06T23:20", "done", "convert-patients"),
    ("2022-05-06T23:20", "start", "load-production"),
    ("2022-05-07T03:20", "done", "load-production"),
    ("2022-05-07T03:20", "start", "validate-conversion"),
    ("2022-05-07T05:15", "done", "validate-conversion"),
    ("2022-05-07T05:15", "start", "go-no-go-final"),
    ("2022-05-07T05:40", "done", "go-no-go-final"),
    ("2022-05-07T05:40", "start", "enable-production"),
    ("2022-05-07T07:10", "done", "enable-production"),
    ("2022-05-07T07:10", "done", "go-live"),
    ("2022-05-07T07:10", "done", "hypercare-start"),
    ("2022-05-07T07:10", "start", "first-shift-handover"),
    ("2022-05-07T07:10", "start", "medication-reconciliation"),
    ("2022-05-07T07:10", "start", "floor-rounds"),
    ("2022-05-07T08:10", "done", "first-shift-handover"),
    ("2022-05-07T11:30", "done", "floor-rounds"),
    ("2022-05-07T12:00", "start", "huddle-saturday"),
    ("2022-05-07T12:30", "done", "huddle-saturday"),
    ("2022-05-07T15:40", "done", "medication-reconciliation"),
    ("2022-05-08T12:00", "start", "huddle-sunday"),
    ("2022-05-08T12:30", "done", "huddle-sunday"),
]

ACTUAL_GO_LIVE = "2022-05-07T07:10"


def record_decisions_and_weekend(session: Session, *, plan: Plan, actor: str) -> int:
    """Every decision and every event after Friday 14:00, in time order (a gate task needs its decision first)."""
    from rollout.gates import decide

    steps: list[tuple[str, int, tuple]] = [(when, 0, d) for when, *d in DECISIONS]
    steps += [(when, 1, e) for when, *e in WEEKEND]  # at the same minute a decision comes before the task's done
    for when, kind, item in sorted(steps, key=lambda s: (s[0], s[1])):
        at = parse_instant(when, plan.timezone)
        if kind == 0:
            key, by, note = item
            decide(session, plan=plan, key=key, go=True, decided_by=by, note=note, actor=actor, at=at, override=True)
        else:
            action, task = item
            change_status(session, plan=plan, task=task, action=action, at=at, actor=actor)
    return len(steps)
