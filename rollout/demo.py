"""`golive demo`: the Trondheim 2022 scenario in a fresh database, as a new user's first run.

The spine's step applies the shipped rollout file
`playbooks/examples/helse-midt.yaml` (Trondheim kommune, the partners,
St. Olavs, Verdal and Levanger); every other package adds its part through
the demo steps it declares (`rollout.registry`), so this module never imports
the layers above it. The library returns plain sections; the CLI renders them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from rollout.clock import parse_instant
from rollout.database import Database
from rollout.errors import GoliveError
from rollout.seams import DemoSection, DemoStep, TimeText
from rollout.settings import Settings, database_url

DEMO_ACTOR = "golive demo"
MARKER = ".golive-demo"
PLAN_KEY = "trondheim-2022"
# The story's fixed moments (DESIGN.md): the T-7d gate as of Saturday 30 April 2022.
T7_AS_OF = "2022-04-30T06:00"


@dataclass
class DemoSummary:
    directory: Path
    database: Path
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # step name -> rows it wrote
    sections: list[DemoSection] = field(default_factory=list)


def _prepare(directory: Path) -> Path:
    """An empty directory or a previous demo's; anything else is refused, never overwritten."""
    if directory.exists() and not directory.is_dir():
        raise GoliveError(f"{directory} is a file, not a directory; choose another --out")
    if not directory.parent.exists():
        raise GoliveError(f"{directory.parent} does not exist; create it first or choose another --out")
    if directory.exists() and any(directory.iterdir()):
        if not (directory / MARKER).exists():
            raise GoliveError(f"{directory} is not empty and holds no golive demo; choose another --out")
        for name in ("golive.sqlite", "golive.sqlite-wal", "golive.sqlite-shm"):
            (directory / name).unlink(missing_ok=True)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MARKER).write_text("Built by `golive demo`; safe to delete.\n", encoding="utf-8")
    return directory / "golive.sqlite"


def build_demo(directory: Path, *, when: TimeText) -> DemoSummary:
    """Create `directory/golive.sqlite` from scratch with every package's demo step; a previous demo there is replaced."""
    from rollout.registry import demo_steps

    directory = directory.expanduser().absolute()
    db_path = _prepare(directory)
    steps = demo_steps()
    db = Database(Settings(database_url(str(db_path)), "--db"))
    try:
        summary = DemoSummary(directory=directory, database=db_path)
        with db.session(write=True) as session:  # all or nothing: one transaction for the whole story
            for step in steps:
                summary.counts[step.name] = step.build(session, actor=DEMO_ACTOR)
        with db.session() as session:
            for step in steps:
                summary.sections.append(step.summarise(session, when=when, built=summary.counts))
    finally:
        db.dispose()
    return summary


# -- the spine's step: organisations, plans and the T-7d gate -----------------------


def build_plans(session: Session, *, actor: str) -> dict[str, int]:
    from rollout.apply import apply_rollout
    from rollout.paths import example_rollout_file
    from rollout.rolloutfile import read_rollout_file

    result = apply_rollout(session, read_rollout_file(example_rollout_file()), actor=actor)
    return {"created": result.count("create")}


def summarise_plans(session: Session, *, when: TimeText, built: dict[str, dict[str, int]]) -> DemoSection:
    from rollout.formats import thousands
    from rollout.gates import evaluate_gate, get_gate
    from rollout.organisations import list_organisations
    from rollout.plans import get_plan, list_plans, plan_view

    lines = []
    for s in list_organisations(session):
        o = s.organisation
        lines.append(f"  {o.name:<32} {o.kind:<13} {s.units:>3} units {thousands(s.staff):>7} staff")
    lines += ["", "Plans, in go-live order:"]
    lines += [f"  {p.key:<16} go-live {when(p.go_live, p.timezone)}" for p, _org in list_plans(session)]
    plan = get_plan(session, PLAN_KEY)
    tz = plan.timezone
    at = parse_instant(T7_AS_OF, tz)
    view = plan_view(session, plan, at=at)
    lines += ["", f"Trondheim kommune as of {when(view.as_of, tz)} (the T-7d gate):"]
    lines.append(f"  stage {view.stage}, phase {view.current_phase.name if view.current_phase else '—'}")
    lines += [f"  {w.wave.name}: {len(w.units)} units live {when(w.wave.go_live, tz)}" for w in view.waves]
    lines += [f"  gate {g.gate.key:<13} due {when(g.gate.due_at, tz)}" for g in view.gates]
    verdict = evaluate_gate(session, plan=plan, gate=get_gate(session, plan, "T-7d"), at=at)
    lines.append(f"Gate T-7d as of {when(at, tz)}: {verdict.verdict}")
    for m in verdict.measurements:
        if m.passed is not True:
            lines.append(f"  {m.criterion}: {m.summary}")
            lines.extend(f"      {line}" for line in m.offenders[:2])
    return DemoSection(
        title=None,
        lines=lines,
        next_commands=[
            f"golive plan show {PLAN_KEY} --at {T7_AS_OF}",
            "golive org show trondheim",
            f"golive gate check {PLAN_KEY} T-7d --at {T7_AS_OF}",
        ],
    )


PLANS_STEP = DemoStep(name="plans", build=build_plans, summarise=summarise_plans)
