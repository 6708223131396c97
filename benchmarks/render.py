"""Rendering a cutover report (HTML and Markdown): its cost follows what is shown, not the tickets or people behind it.

The report holds counts, never tickets, and the renderer caps what it shows
(the 40 worst units of the heatmap, 30 units short of superusers, 15 rows of a
long table), so a report of 1,000x the tickets renders in the same time (target ≤ 1.5x,
the noise of a shared machine), and 10x the units costs only reading them to
pick the worst (target: no worse than linear, ≤ 10x). Measured on the
hand-built 200-unit report (tests/reports/big.py), in process: the fastest of 7 interleaved runs each, after the first render
(which also loads jinja2 and compiles the templates).
"""

from __future__ import annotations

import time

from benchmarks import Report


def interleaved(fns: dict[str, object], rounds: int = 7) -> dict[str, float]:
    """The fastest of `rounds` runs of each function, taking turns so that a busy machine slows them alike."""
    best = {name: float("inf") for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            started = time.perf_counter()
            fn()  # type: ignore[operator]
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def run(report: Report) -> None:
    from reports.render import render_cutover
    from tests.reports.big import big_report

    base = big_report(200)
    started = time.perf_counter()
    render_cutover(base, "html", "nb")
    first = time.perf_counter() - started
    more_tickets = big_report(200, tickets=1000)
    more_units = big_report(2000)
    t = interleaved({
        "html": lambda: render_cutover(base, "html", "nb"),
        "md": lambda: render_cutover(base, "md", "nb"),
        "tickets": lambda: render_cutover(more_tickets, "html", "nb"),
        "units": lambda: render_cutover(more_units, "html", "nb"),
    })
    html_s, md_s, tickets_s, units_s = t["html"], t["md"], t["tickets"], t["units"]
    size = len(render_cutover(base, "html", "nb")) // 1024
    report.absolute(f"render cutover HTML, 200 units ({size} KiB)", html_s, max_s=0.5)
    report.absolute("  the first render (loads jinja2, compiles the templates)", first, max_s=2.0)
    report.absolute("  the same report as Markdown", md_s, max_s=0.5)
    report.ratio("  with 1,000x the tickets", tickets_s, "the same report", html_s, max_ratio=1.5)
    report.ratio("  with 10x the units (2,000; picking the worst reads them all)", units_s, "the same report", html_s, max_ratio=10.0)
