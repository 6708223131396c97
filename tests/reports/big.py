"""A big organisation for rendering tests and the render benchmark: many units, roles, shifts and late tasks.

`big_report(units=200)` scales the hand-built sample (tests/reports/sample.py):
a training row per unit and role, a shift per unit every 8 hours for 72 hours
(every third unit short of superusers), 50 staffing gaps and 300 late tasks.
`tickets` multiplies the ticket counts (the report holds counts, never tickets).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from reports.model import CoverageRow, StaffingGapRow, TaskRow, TrainingRow
from tests.reports.sample import AS_OF, sample_cutover

ROLES = ("lege", "sykepleier", "helsefagarbeider", "fysioterapeut", "jordmor", "merkantil", "vernepleier", "psykolog")


def big_report(count: int = 200, tickets: int = 1):
    r = sample_cutover()
    units = [(f"u{i:04d}", f"Enhet {i:03d}") for i in range(count)]
    training = tuple(
        TrainingRow(u, name, role, trained, 20, round(trained / 20, 4), 0.9, trained / 20 >= 0.9)
        for n, (u, name) in enumerate(units) for k, role in enumerate(ROLES) for trained in [20 - (n * 7 + k) % 5]
    )
    shifts = [(h, s) for h in range(0, 72, 8) for s in ("dag", "kveld", "natt")[h // 8 % 3:h // 8 % 3 + 1]]
    coverage = tuple(CoverageRow(u, name, (AS_OF + timedelta(hours=h)).date(), s, AS_OF + timedelta(hours=h), 20, 2 - (n % 3 == 0) * 2,
                                 (n % 3 == 0) * 2) for n, (u, name) in enumerate(units) for h, s in shifts)
    gaps = tuple(StaffingGapRow(u, name, AS_OF.date(), "natt", AS_OF, 8, 10, 12, 4) for u, name in units[:50])
    late = tuple(TaskRow(f"t{i}", f"Oppgave {i}", "data", None, "running", AS_OF, AS_OF, timedelta(hours=1), False) for i in range(300))
    rd = dataclasses.replace(r.readiness, training=training, superuser_coverage=coverage, staffing_gaps=gaps)
    s = r.support
    if tickets != 1:
        s = dataclasses.replace(
            s, opened_total=s.opened_total * tickets, open_total=s.open_total * tickets,
            days=tuple(dataclasses.replace(d, opened=d.opened * tickets, resolved=d.resolved * tickets) for d in s.days),
            backlog=tuple(dataclasses.replace(b, open=b.open * tickets) for b in s.backlog),
            top_units=tuple(dataclasses.replace(u, tickets=u.tickets * tickets, open=u.open * tickets) for u in s.top_units),
        )
    return dataclasses.replace(r, readiness=rd, runbook=dataclasses.replace(r.runbook, late=late), support=s)
