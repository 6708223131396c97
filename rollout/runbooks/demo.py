"""The demo's cutover runbook: Trondheim's municipality playbook, with its progress up to Friday 6 May 2022 14:00.

Thursday and Friday morning went to plan, with two exceptions the summary
shows: the label printers at Øya helsehus are blocked waiting for a driver,
and the extract from the old journal system, on the critical path, is
running 20 minutes late, which moves the projected go-live from 06:00 to 06:20.
Every time here is fixed, so the demo gives the same numbers on every run.
"""

from __future__ import annotations

from sqlmodel import Session

from rollout.clock import parse_instant
from rollout.paths import playbooks_dir
from rollout.plans import get_plan
from rollout.runbooks.load import load_runbook
from rollout.runbooks.playbook import read_playbook
from rollout.runbooks.status import change_status
from rollout.runbooks.view import RunbookView, runbook_view

PLAN = "trondheim-2022"
AS_OF = "2022-05-06T14:00"

# (local time, action, task, note): the weekend's log up to Friday 14:00.
EVENTS: list[tuple[str, str, str, str | None]] = [
    ("2022-05-05T08:00", "start", "cutover-kickoff", None),
    ("2022-05-05T08:00", "start", "extra-staffing-confirmed", None),
    ("2022-05-05T08:00", "start", "superuser-rota", None),
    ("2022-05-05T08:00", "start", "access-provisioning", None),
    ("2022-05-05T08:00", "start", "network-capacity", None),
    ("2022-05-05T09:05", "done", "cutover-kickoff", None),
    ("2022-05-05T09:05", "start", "leaders-on-call", None),
    ("2022-05-05T09:10", "start", "staff-information", None),
    ("2022-05-05T10:00", "done", "leaders-on-call", "Ledervakt: enhetsledere i turnus, direktør tilgjengelig hele helgen"),
    ("2022-05-05T10:00", "done", "superuser-rota", None),
    ("2022-05-05T11:00", "done", "staff-information", None),
    ("2022-05-05T11:30", "done", "extra-staffing-confirmed", "Helsehusene og hjemmetjenesten bemannet med ekstra folk på alle vakter"),
    ("2022-05-05T12:00", "done", "network-capacity", None),
    ("2022-05-05T14:00", "start", "printers-labels", None),
    ("2022-05-05T14:00", "start", "mobile-devices", None),
    ("2022-05-05T15:00", "start", "huddle-thursday", None),
    ("2022-05-05T15:30", "done", "huddle-thursday", None),
    ("2022-05-05T16:30", "done", "access-provisioning", None),
    ("2022-05-05T16:30", "start", "access-untrained-blocked", None),
    ("2022-05-05T18:30", "block", "printers-labels", "Etikettskriverne på Øya helsehus mangler driver; venter på leverandøren"),
    ("2022-05-05T18:40", "done", "access-untrained-blocked", None),
    ("2022-05-05T21:30", "done", "mobile-devices", None),
    ("2022-05-06T00:00", "start", "downtime-pcs", None),
    ("2022-05-06T00:10", "start", "integrations-configure", None),
    ("2022-05-06T02:45", "done", "downtime-pcs", None),
    ("2022-05-06T06:00", "start", "support-centre-open", None),
    ("2022-05-06T06:20", "done", "integrations-configure", None),
    ("2022-05-06T06:20", "start", "integrations-verified", None),
    ("2022-05-06T07:00", "done", "support-centre-open", None),
    ("2022-05-06T07:00", "start", "support-routing-test", None),
    ("2022-05-06T08:00", "start", "huddle-friday", None),
    ("2022-05-06T08:00", "start", "paper-fallback-ready", None),
    ("2022-05-06T08:00", "start", "patient-lists-printed", None),
    ("2022-05-06T08:30", "done", "huddle-friday", None),
    ("2022-05-06T09:00", "done", "support-routing-test", None),
    ("2022-05-06T09:40", "done", "integrations-verified", None),
    ("2022-05-06T10:00", "start", "access-verified", None),
    ("2022-05-06T10:15", "done", "patient-lists-printed", None),
    ("2022-05-06T10:15", "start", "freeze-old-journal", None),
    ("2022-05-06T11:20", "done", "freeze-old-journal", None),
    ("2022-05-06T11:20", "start", "extract-old-data", "Uttrekket går tregere enn i generalprøven"),
    ("2022-05-06T12:00", "done", "paper-fallback-ready", None),
    ("2022-05-06T12:50", "done", "access-verified", None),
]


def build_runbook_demo(session: Session, *, actor: str) -> None:
    """Load the municipality playbook for Trondheim and record the progress up to Friday 14:00."""
    plan = get_plan(session, PLAN)
    playbook = read_playbook(playbooks_dir() / "municipality-cutover.yaml")
    load_runbook(session, plan=plan, playbook=playbook, actor=actor)
    for when, action, task, note in EVENTS:
        change_status(session, plan=plan, task=task, action=action, at=parse_instant(when, plan.timezone), actor=actor, note=note)


def runbook_demo_view(session: Session) -> RunbookView:
    plan = get_plan(session, PLAN)
    return runbook_view(session, plan=plan, at=parse_instant(AS_OF, plan.timezone))
