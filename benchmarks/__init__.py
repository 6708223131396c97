"""Performance targets, measured as ratios against a baseline in the same run: `python -m benchmarks`.

Each module in this package defines `run(report: Report) -> None` and adds
rows. Nothing here is asserted in the test suite; the table is quoted in
issue notes.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Row:
    name: str
    measured_s: float
    baseline_name: str | None = None
    baseline_s: float | None = None
    target: str = ""
    ok: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline_s:
            return self.measured_s / self.baseline_s
        return None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def ratio(self, name: str, measured_s: float, baseline_name: str, baseline_s: float, *, max_ratio: float) -> Row:
        """A target like "at most 1.5x the baseline"."""
        row = Row(name, measured_s, baseline_name, baseline_s, f"≤ {max_ratio:g}x")
        row.ok = row.ratio is not None and row.ratio <= max_ratio
        self.rows.append(row)
        return row

    def absolute(self, name: str, measured_s: float, *, max_s: float) -> Row:
        """A target like "under 0.5 s in-process"."""
        row = Row(name, measured_s, target=f"< {max_s:g} s", ok=measured_s < max_s)
        self.rows.append(row)
        return row


def best_of(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of `repeat` runs after `warmup` runs (seconds)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
