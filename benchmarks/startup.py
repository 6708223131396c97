"""`golive --help` against `python -c "import typer"`: the CLI must stay lazy (target ≤ 1.5x)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from benchmarks import Report, best_of


def _runner(argv: list[str]):  # noqa: ANN202
    def run() -> None:
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    return run


def run(report: Report) -> None:
    golive = shutil.which("golive") or ""
    cmd = [golive, "--help"] if golive else [sys.executable, "-m", "rollout", "--help"]
    baseline = best_of(_runner([sys.executable, "-c", "import typer"]), repeat=15, warmup=2)
    measured = best_of(_runner(cmd), repeat=15, warmup=2)
    report.ratio("golive --help (subprocess)", measured, 'python -c "import typer"', baseline, max_ratio=1.5)
