"""Monte Carlo go-live (`runbook simulate`): 10,000 runs of a 5,000-task runbook (target: under 2 s, ≤ 100x one CPM).

The runbook is the one `benchmarks/runbooks.py` generates (5,000 tasks in 10
streams, in a temp SQLite file). Three rehearsals are made up in memory from
its rows (every task done, actual durations 0.7x to 1.8x planned), so every
task draws from a pool of ratios. Timed in the same run:
- one deterministic projection of the same runbook (`schedule.project`), the baseline;
- the simulation with the view (`simulate_runbook`: percentiles, histogram,
  criticality, the delay effect on P80, gate odds), as of a time before the start.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from benchmarks import Report, best_of
from benchmarks.runbooks import ROLLOUT, TASKS, playbook_text

RUNS = 10_000


def run(report: Report) -> None:
    from rollout.apply import apply_rollout
    from rollout.clock import parse_instant
    from rollout.database import Database
    from rollout.plans import get_plan
    from rollout.rolloutfile import read_rollout_file
    from rollout.runbooks.load import load_runbook
    from rollout.runbooks.playbook import read_playbook
    from rollout.runbooks.schedule import project
    from rollout.runbooks.simulate_model import build_model
    from rollout.runbooks.simulate_view import simulate_runbook
    from rollout.runbooks.store import open_runbook, ts
    from rollout.settings import Settings, database_url

    with tempfile.TemporaryDirectory(prefix="golive-bench-simulate-") as tmp:
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
                rng = random.Random(12)
                rehearsals = []
                for _ in range(3):
                    rows = []
                    for r in rb.rows:
                        took = timedelta(minutes=r.duration_minutes * rng.uniform(0.7, 1.8))
                        rows.append(replace(r, status="done", actual_start=r.planned_start, actual_end=r.planned_start + took))
                    rehearsals.append(rows)
                model = build_model(rb.rows, ["DR1", "DR2", "DR3"], rehearsals)
                projection = best_of(lambda: project(rb.graph, now=ts(at)))
                simulation = best_of(lambda: simulate_runbook(rb, model, runs=RUNS, seed=1), repeat=3)
                result = simulate_runbook(rb, model, runs=RUNS, seed=1)
                assert result.p50 <= result.p80 <= result.p95
                report.absolute(f"runbook simulate, {RUNS:,} runs × {TASKS:,} tasks (engine + view)", simulation, max_s=2.0)
                report.ratio(f"  simulate against one CPM projection, {TASKS:,} tasks", simulation,
                             "one deterministic projection", projection, max_ratio=100)
        finally:
            db.dispose()
