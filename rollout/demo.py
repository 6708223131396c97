"""`golive demo`: the Trondheim 2022 scenario in a fresh database, as a new user's first run.

It applies the shipped rollout file `playbooks/examples/helse-midt.yaml`
(Trondheim kommune, the partners, St. Olavs, Verdal and Levanger) and prints
where the plans stand at the story's fixed moments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rollout.apply import apply_rollout
from rollout.clock import parse_instant
from rollout.database import Database
from rollout.errors import GoliveError
from rollout.gates import evaluate_gate, get_gate
from rollout.organisations import list_organisations
from rollout.paths import example_rollout_file
from rollout.plans import PlanView, get_plan, list_plans, plan_view
from rollout.readiness.demo import build_readiness_demo
from rollout.rolloutfile import read_rollout_file
from rollout.runbooks.demo import AS_OF as RUNBOOK_AS_OF
from rollout.runbooks.demo import build_runbook_demo, runbook_demo_view
from rollout.runbooks.view import RunbookView
from rollout.settings import Settings, database_url

DEMO_ACTOR = "golive demo"
MARKER = ".golive-demo"
# The story's fixed moments (DESIGN.md): the T-7d gate as of Saturday 30 April 2022.
T7_AS_OF = "2022-04-30T06:00"


@dataclass
class DemoSummary:
    directory: Path
    database: Path
    organisations: list[tuple[str, str, str, int, int]] = field(default_factory=list)  # key, name, kind, units, staff
    plans: list[tuple[str, str, datetime, str]] = field(default_factory=list)  # key, organisation, go-live, zone
    trondheim: PlanView | None = None
    readiness: dict[str, int] = field(default_factory=dict)  # rows the readiness demo wrote
    t7_verdict: str | None = None  # the T-7d gate as of T7_AS_OF: "GO" | "NO-GO"
    t7_reasons: list[str] = field(default_factory=list)  # failing criteria, then their worst offenders
    runbook: RunbookView | None = None


def build_demo(directory: Path) -> DemoSummary:
    """Create `directory/golive.sqlite` from scratch; a previous demo there is replaced."""
    directory = directory.expanduser().absolute()
    db_path = directory / "golive.sqlite"
    if directory.exists() and any(directory.iterdir()):
        if not (directory / MARKER).exists():
            raise GoliveError(f"{directory} is not empty and holds no golive demo; choose another --out")
        for name in ("golive.sqlite", "golive.sqlite-wal", "golive.sqlite-shm"):
            (directory / name).unlink(missing_ok=True)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MARKER).write_text("Built by `golive demo`; safe to delete.\n", encoding="utf-8")
    spec = read_rollout_file(example_rollout_file())
    db = Database(Settings(database_url(str(db_path)), "--db"))
    try:
        summary = DemoSummary(directory=directory, database=db_path)
        with db.session(write=True) as session:
            apply_rollout(session, spec, actor=DEMO_ACTOR)
            summary.readiness = build_readiness_demo(session, actor=DEMO_ACTOR)
            build_runbook_demo(session, actor=DEMO_ACTOR)
        with db.session() as session:
            summary.organisations = [
                (s.organisation.key, s.organisation.name, s.organisation.kind, s.units, s.staff)
                for s in list_organisations(session)
            ]
            summary.plans = [(p.key, org, p.go_live, p.timezone) for p, org in list_plans(session)]
            plan = get_plan(session, "trondheim-2022")
            summary.trondheim = plan_view(session, plan, at=parse_instant(T7_AS_OF, plan.timezone))
            verdict = evaluate_gate(session, plan=plan, gate=get_gate(session, plan, "T-7d"), at=parse_instant(T7_AS_OF, plan.timezone))
            summary.t7_verdict = verdict.verdict
            for m in verdict.measurements:
                if m.passed is not True:
                    summary.t7_reasons.append(f"{m.criterion}: {m.summary}")
                    summary.t7_reasons.extend(f"    {line}" for line in m.offenders[:2])
            summary.runbook = runbook_demo_view(session)
    finally:
        db.dispose()
    return summary


def print_summary(summary: DemoSummary) -> None:
    from rich.console import Console

    from rollout.cli.output import local

    out = Console(highlight=False, soft_wrap=True)
    out.print(f"[bold]golive demo[/bold]: Helseplattformen i Midt-Norge, in {summary.database}")
    out.print()
    for key, name, kind, units, staff in summary.organisations:
        out.print(f"  {name:<32} {kind:<13} {units:>3} units {staff:>7,} staff".replace(",", " "))
    out.print()
    out.print("Plans, in go-live order:")
    for key, org, go_live, tz in summary.plans:
        out.print(f"  {key:<16} go-live {local(go_live, tz)}")
    view = summary.trondheim
    if view is not None:
        tz = view.plan.timezone
        out.print()
        out.print(f"Trondheim kommune as of {local(view.as_of, tz)} (the T-7d gate):")
        out.print(f"  stage {view.stage}, phase {view.current_phase.name if view.current_phase else '—'}")
        for wave in view.waves:
            out.print(f"  {wave.wave.name}: {len(wave.units)} units live {local(wave.wave.go_live, tz)}")
        for gate in view.gates:
            out.print(f"  gate {gate.gate.key:<13} due {local(gate.gate.due_at, tz)}")
    if summary.readiness:
        r = summary.readiness
        out.print()
        out.print(
            f"Readiness: {r['people']:,} people, {r['training']:,} course completions, {r['staffing']:,} staffed shifts, "
            f"{r['roster']:,} superuser duties".replace(",", " "),
            soft_wrap=True,
        )
    if summary.t7_verdict is not None:
        out.print(f"Gate T-7d as of {T7_AS_OF.replace('T', ' ')}: {summary.t7_verdict}", markup=False)
        for line in summary.t7_reasons:
            out.print(f"  {line}", markup=False, soft_wrap=True)
    rb = summary.runbook
    if rb is not None:
        tz = rb.plan.timezone
        counts = {s: sum(1 for t in rb.tasks if t.status == s) for s in ("done", "running", "blocked", "pending")}
        out.print()
        out.print(f"Cutover runbook as of {local(rb.runbook.as_of, tz)}: {counts['done']} of {len(rb.tasks)} tasks done, "
                  f"{counts['running']} running, {counts['blocked']} blocked, {counts['pending']} to go")
        for t in rb.tasks:
            if t.late and t.critical:
                out.print(f"  late on the critical path: {t.key} ({t.late_minutes} min): {t.row.note or t.row.title}")
        for t in rb.tasks:
            if t.status == "blocked":
                out.print(f"  blocked: {t.key}: {t.row.note or t.row.title}")
        out.print("  streams: " + ", ".join(f"{s.name} {s.rag}" for s in rb.streams))
        delta = rb.go_live_delta_minutes
        out.print(f"  projected go-live {local(rb.projected_go_live, tz)} (planned {local(rb.planned_go_live, tz)}, {delta:+d} min)")
    out.print()
    out.print("Next:")
    out.print(f"  export GOLIVE_DB={summary.database}")
    out.print(f"  golive plan show trondheim-2022 --at {T7_AS_OF}")
    out.print("  golive org show trondheim")
    out.print(f"  golive gate check trondheim-2022 T-7d --at {T7_AS_OF}")
    out.print(f"  golive roster gaps trondheim-2022 --gate T-7d --at {T7_AS_OF}")
    out.print(f"  golive runbook show trondheim-2022 --at {RUNBOOK_AS_OF} --late")
    out.print(f"  golive runbook slip trondheim-2022 convert-patients 2h --at {RUNBOOK_AS_OF}")
