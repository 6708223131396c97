"""Critical path and slip analysis of a 5,000-task runbook, in-process (target: under 0.2 s each).

The runbook is generated (deterministically) in a temp SQLite file: 5,000
tasks in 10 streams, each after one to three of the 60 tasks before it, about
one in five with its own `at`, and a go-live milestone after the last 20
tasks. Timed: reading the run from the database plus the CPM (`runbook_view`,
what `runbook critical-path` does), and the slip what-if of an early task
(`slip`, two projections plus the diff and the gates at risk).
"""

from __future__ import annotations

import random
import tempfile
from datetime import timedelta
from pathlib import Path

from benchmarks import Report, best_of

TASKS = 5000

ROLLOUT = """\
organisations:
  - {key: benchkommune, name: Benchkommune, kind: municipality}
plans:
  - key: bench
    organisation: benchkommune
    name: Benchmark plan
    cutover_start: 2026-03-20T08:00
    go_live: 2026-03-29T06:00
    gates:
      - {key: T-1d, at: T-1d, criteria: {runbook_due_done: true}}
      - {key: go-no-go, at: T-2h, criteria: {runbook_due_done: true}}
"""


def playbook_text(n: int = TASKS, seed: int = 4) -> str:
    rng = random.Random(seed)
    lines = ["name: bench", "streams: [" + ", ".join(f"S{i}" for i in range(10)) + "]", "tasks:"]
    for i in range(n - 1):
        lines += [f"  - key: t{i}", f"    title: Task {i}", f"    stream: S{i % 10}", "    owner: kommune"]
        if i < 20:
            lines.append(f"    at: T-{200 - i}h")
        else:
            preds = sorted(rng.sample(range(max(0, i - 60), i), k=min(i, rng.randint(1, 3))))
            lines.append("    after: [" + ", ".join(f"t{p}" for p in preds) + "]")
            if rng.random() < 0.2:
                lines.append(f"    at: T-{rng.randint(1, 190)}h")
        lines.append(f"    duration: {rng.randint(1, 12) * 5}m")
        if i % 500 == 250:
            lines.append("    gate: true")
    lines += ["  - key: go-live", "    title: Go-live", "    milestone: go-live", "    at: T+0",
              "    after: [" + ", ".join(f"t{i}" for i in range(n - 21, n - 1)) + "]"]
    return "\n".join(lines) + "\n"


def run(report: Report) -> None:
    from rollout.apply import apply_rollout
    from rollout.clock import parse_instant
    from rollout.database import Database
    from rollout.plans import get_plan
    from rollout.rolloutfile import read_rollout_file
    from rollout.runbooks.load import load_runbook
    from rollout.runbooks.playbook import read_playbook
    from rollout.runbooks.schedule import project
    from rollout.runbooks.slip import slip
    from rollout.runbooks.store import open_runbook, ts
    from rollout.runbooks.view import runbook_view
    from rollout.settings import Settings, database_url

    with tempfile.TemporaryDirectory(prefix="golive-bench-runbooks-") as tmp:
        root = Path(tmp)
        (root / "rollout.yaml").write_text(ROLLOUT, encoding="utf-8")
        (root / "bench.yaml").write_text(playbook_text(), encoding="utf-8")
        db = Database(Settings(database_url(str(root / "bench.sqlite")), "--db"))
        try:
            book = read_playbook(root / "bench.yaml")
            with db.session(write=True) as session:
                apply_rollout(session, read_rollout_file(root / "rollout.yaml"), actor="bench")
                load_runbook(session, plan=get_plan(session, "bench"), playbook=book, actor="bench")
            with db.session() as session:
                plan = get_plan(session, "bench")
                at = parse_instant("2026-03-20T07:00", plan.timezone)
                rb = open_runbook(session, plan=plan, at=at)
                assert len(rb.rows) == TASKS
                report.absolute(
                    f"runbook critical-path, {TASKS} tasks (read + CPM)",
                    best_of(lambda: runbook_view(session, plan=plan, at=at)),
                    max_s=0.2,
                )
                report.absolute(
                    f"runbook slip, {TASKS} tasks (read + 2 CPM + diff)",
                    best_of(lambda: slip(session, plan=plan, task="t5", by=timedelta(hours=3), at=at)),
                    max_s=0.2,
                )
                report.absolute(
                    f"  CPM projection only, {TASKS} tasks",
                    best_of(lambda: project(rb.graph, now=ts(at))),
                    max_s=0.2,
                )
        finally:
            db.dispose()
