"""The cutover report on 1,000,000 tickets, 20,000 people, 200 units and 2,000 runbook tasks (SQLite).

Targets: the whole report (every section's data, the headline, and the JSON
text) under 3 s, and at most 3x its SQL alone. "Its SQL alone" is measured in
the same run by recording every statement the report sends (SQLAlchemy's
`before_cursor_execute`) and replaying those statements with their parameters
on the same connection's raw DBAPI cursor (so with the same pragmas), fetching
all rows: the database's share of the work. Statements the report does not
send (an identical read shared within the report, `rollout.memo`) are not
replayed either. On a machine shared with other work the wall times swing with
its load; the CPU time of the report's own process is printed as well, a
figure that load moves much less (it is not the target).
The database is built once (benchmarks/_reports_data.py) and cached.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks import Report, best_of


def run(report: Report) -> None:
    from sqlalchemy import event
    from sqlmodel import Session

    from benchmarks._reports_data import AT, TASKS, TICKETS, database
    from rollout.database import create_engine_for
    from rollout.plans import get_plan
    from rollout.settings import Settings, database_url
    from reports.data.cutover import cutover_report
    from reports.jsonformat import render_json

    path = database()
    engine = create_engine_for(Settings(database_url(str(path)), "--db"))
    try:
        with Session(engine) as session:
            plan = get_plan(session, "bench")

            def full() -> str:
                return render_json(cutover_report(session, plan, AT))

            statements: list[tuple[str, Any]] = []

            def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202, ARG001
                statements.append((statement, parameters))

            full()  # warm the caches once, then record one run's statements
            event.listen(engine, "before_cursor_execute", record)
            text = full()
            event.remove(engine, "before_cursor_execute", record)

            def sql_only() -> None:
                raw = session.connection().connection.dbapi_connection
                cur = raw.cursor()
                for statement, parameters in statements:
                    cur.execute(statement, parameters)
                    cur.fetchall()
                cur.close()

            sql_s = best_of(sql_only, repeat=3)
            full_s = best_of(full, repeat=3)
            cpu = []
            for _ in range(3):
                cpu_started = time.process_time()
                full()
                cpu.append(time.process_time() - cpu_started)
            started = time.perf_counter()
            full()
            once = time.perf_counter() - started
        name = f"report cutover, {TICKETS:,} tickets, {TASKS:,} tasks ({len(statements)} queries, {len(text) // 1024} KiB JSON)"
        report.absolute(name, full_s, max_s=3.0)
        report.ratio(f"  vs its SQL alone", full_s, "the same statements replayed on a raw cursor", sql_s, max_ratio=3.0)
        report.absolute("  one more run (no warm-up)", once, max_s=3.0)
        report.absolute("  CPU time of one run (median of 3; load-independent)", statistics.median(cpu), max_s=3.0)
    finally:
        engine.dispose()
