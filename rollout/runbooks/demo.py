"""The demo's cutover runbook: Trondheim's municipality playbook, with its progress through the weekend.

The summary tells it as of Friday 6 May 2022 14:00, then how it ended (the
rest of the weekend and the gate decisions are in `demo_weekend`).

Thursday and Friday morning went to plan, with two exceptions the summary
shows: the label printers at Øya helsehus are blocked waiting for a driver,
and the extract from the old journal system, on the critical path, is
running 20 minutes late, which moves the projected go-live from 06:00 to 06:20.
Every time here is fixed, so the demo gives the same numbers on every run.

Two weeks earlier, on the weekend of 23 April, the dress rehearsal DR1
(*generalprøve*) ran the whole runbook. The conversion steps ran longer than
planned (the patient lists took 9 h 50 min against 8 h), which is what
`runbook simulate` draws from: the summary quotes its P50 and P80.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from rollout.clock import parse_instant
from rollout.formats import percent, thousands
from rollout.paths import playbooks_dir
from rollout.plans import get_plan
from rollout.runbooks.load import load_runbook
from rollout.runbooks.playbook import read_playbook
from rollout.models import Plan
from rollout.runbooks.rehearsal import start_rehearsal
from rollout.runbooks.simulate_view import SimulationResult, simulate
from rollout.runbooks.demo_weekend import ACTUAL_GO_LIVE, record_decisions_and_weekend
from rollout.runbooks.status import change_status
from rollout.runbooks.store import dt, open_runbook
from rollout.runbooks.view import RunbookView, runbook_view
from rollout.seams import DemoSection, DemoStep

PLAN = "trondheim-2022"
AS_OF = "2022-05-06T14:00"
REHEARSAL = "DR1"
REHEARSAL_GO_LIVE = "2022-04-23T06:00"  # the dress rehearsal, two weeks before
SEED = 1

# DR1's actual minutes where they differ from the plan; every other task took its planned time.
REHEARSAL_MINUTES: dict[str, int] = {
    "cutover-kickoff": 75, "staff-information": 110, "huddle-thursday": 40, "huddle-friday": 40, "go-no-go-final": 45,
    "extra-staffing-confirmed": 200, "superuser-briefing": 50,
    "access-provisioning": 510, "access-untrained-blocked": 100, "printers-labels": 420, "mobile-devices": 450,
    "devices-ready": 150, "access-verified": 165,
    "network-capacity": 220, "integrations-configure": 420, "enable-production": 120,
    "downtime-pcs": 170, "paper-fallback-ready": 230, "patient-lists-printed": 135,
    "support-routing-test": 140,
    # the conversion chain ran long: the extract, the patient lists and the load
    "freeze-old-journal": 70, "extract-old-data": 215, "convert-patients": 590, "convert-medication": 400,
    "load-production": 285, "validate-conversion": 110,
}

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


def build_runbook_demo(session: Session, *, actor: str) -> int:
    """Load the municipality playbook for Trondheim, record the weekend and the gate decisions, and DR1 before it."""
    plan = get_plan(session, PLAN)
    playbook = read_playbook(playbooks_dir() / "municipality-cutover.yaml")
    load_runbook(session, plan=plan, playbook=playbook, actor=actor)
    for when, action, task, note in EVENTS:
        change_status(session, plan=plan, task=task, action=action, at=parse_instant(when, plan.timezone), actor=actor, note=note)
    weekend = record_decisions_and_weekend(session, plan=plan, actor=actor)
    build_rehearsal(session, plan=plan, actor=actor)
    return weekend


def build_rehearsal(session: Session, *, plan: Plan, actor: str) -> None:
    """DR1, done from start to end: each task starts at its `at` time once its predecessors are done."""
    start_rehearsal(session, plan=plan, name=REHEARSAL, actor=actor, go_live=parse_instant(REHEARSAL_GO_LIVE, plan.timezone))
    runbook = open_runbook(session, plan=plan, at=parse_instant(REHEARSAL_GO_LIVE, plan.timezone), run=REHEARSAL)
    ends: dict[int, int] = {}
    for i in runbook.graph.order:
        node = runbook.graph.nodes[i]
        start = max([ends[p] for p in node.preds] + ([node.not_before] if node.not_before is not None else []), default=runbook.planned_start[i])
        ends[i] = start + REHEARSAL_MINUTES.get(node.key, node.duration // 60) * 60
        for action, instant in (("start", start), ("done", ends[i])):
            change_status(session, plan=plan, task=node.key, action=action, at=dt(instant), actor=actor, run=REHEARSAL)


def runbook_demo_view(session: Session) -> RunbookView:
    plan = get_plan(session, PLAN)
    return runbook_view(session, plan=plan, at=parse_instant(AS_OF, plan.timezone))


def summarise_runbook(session: Session, *, when: Any, built: dict[str, dict[str, int]]) -> DemoSection:
    """Where the cutover runbook stands on Friday 14:00: late critical tasks, blocks, streams, projected go-live."""
    rb = runbook_demo_view(session)
    tz = rb.plan.timezone
    counts = {s: sum(1 for t in rb.tasks if t.status == s) for s in ("done", "running", "blocked", "pending")}
    lines = [f"Cutover runbook as of {when(rb.runbook.as_of, tz)}: {counts['done']} of {len(rb.tasks)} tasks done, "
             f"{counts['running']} running, {counts['blocked']} blocked, {counts['pending']} to go"]
    lines += [f"  late on the critical path: {t.key} ({t.late_minutes} min): {t.row.note or t.row.title}"
              for t in rb.tasks if t.late and t.critical]
    lines += [f"  blocked: {t.key}: {t.row.note or t.row.title}" for t in rb.tasks if t.status == "blocked"]
    lines.append("  streams: " + ", ".join(f"{s.name} {s.rag}" for s in rb.streams))
    lines.append(f"  projected go-live {when(rb.projected_go_live, tz)} (planned {when(rb.planned_go_live, tz)}, "
                 f"{rb.go_live_delta_minutes:+d} min)")
    sim = simulation_demo(session)
    # the longest task on the critical path in most runs: where more hands buy the most time
    decides = sorted((t for t in sim.most_critical() if t.criticality >= 0.5), key=lambda t: -t.duration_minutes)[:1]
    lines.append(f"  simulated from rehearsal {REHEARSAL} ({thousands(sim.runs)} runs, seed {SEED}): P50 {when(sim.p50, tz)}, "
                 f"P80 {when(sim.p80, tz)}, {percent(sim.probability_on_time)} chance of going live by {when(sim.planned_go_live, tz)}"
                 + (f"; {decides[0].key} is on the critical path in {percent(decides[0].criticality)} of runs" if decides else ""))
    lines.append(ending(session, when=when))
    return DemoSection(title=None, lines=lines, next_commands=[
        f"golive runbook show {PLAN} --at {AS_OF} --late",
        f"golive runbook slip {PLAN} convert-patients 2h --at {AS_OF}",
        f"golive runbook simulate {PLAN} --at {AS_OF} --seed {SEED}",
    ])


def ending(session: Session, *, when: Any) -> str:
    """How the weekend ended: the actual go-live against the plan, from the go-live milestone's recorded time."""
    from rollout.gates import gate_history

    plan = get_plan(session, PLAN)
    tz = plan.timezone
    rb = runbook_view(session, plan=plan, at=parse_instant(ACTUAL_GO_LIVE, tz))
    gl = rb.runbook.graph.go_live
    actual = rb.tasks[gl].actual_end if gl is not None else None
    go = [d for d in gate_history(session, plan=plan, key="go-no-go")]
    decided = f"; go/no-go GO {when(go[-1].decided_at, tz)} by {go[-1].decided_by}" if go else ""
    late = round((actual - rb.planned_go_live).total_seconds() / 60) if actual else 0
    return (f"  then: the conversion ran long, as DR1 foretold{decided}; went live {when(actual, tz)} "
            f"({late:+d} min against the plan)")


def simulation_demo(session: Session) -> SimulationResult:
    plan = get_plan(session, PLAN)
    return simulate(session, plan=plan, at=parse_instant(AS_OF, plan.timezone), seed=SEED)


def _build(session: Session, *, actor: str) -> dict[str, int]:
    weekend = build_runbook_demo(session, actor=actor)
    return {"events": len(EVENTS) + weekend}


DEMO_STEP = DemoStep(name="runbook", build=_build, summarise=summarise_runbook)
