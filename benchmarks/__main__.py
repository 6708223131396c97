"""Run every benchmark module and print one table: `python -m benchmarks [NAME ...]`."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks
from benchmarks import Report


def main(argv: list[str]) -> int:
    wanted = set(argv)
    report = Report()
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if info.name.startswith("_") or (wanted and info.name not in wanted):
            continue
        print(f"running {info.name} …", file=sys.stderr, flush=True)
        importlib.import_module(f"benchmarks.{info.name}").run(report)
    header = f"{'benchmark':<52} {'measured':>10} {'baseline':>10} {'ratio':>7}  {'target':<9} ok"
    print(header)
    print("-" * len(header))
    for row in report.rows:
        base = f"{row.baseline_s * 1000:.1f} ms" if row.baseline_s is not None else ""
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
        mark = {True: "yes", False: "NO", None: ""}[row.ok]
        print(f"{row.name:<52} {row.measured_s * 1000:>7.1f} ms {base:>10} {ratio:>7}  {row.target:<9} {mark}")
        if row.baseline_name:
            print(f"{'  baseline: ' + row.baseline_name:<52}")
    return 0 if all(r.ok is not False for r in report.rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
