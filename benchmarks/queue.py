"""The queue: `ticket next` on a 1,000,000-ticket SQLite database, and 8 agent processes claiming at once.

- `ticket next` in-process (a writing session, the claim, its events, the commit): median under 10 ms;
  the pick reads the partial index (EXPLAIN QUERY PLAN), never the table. Releasing every stale claim
  of that database (the SLA sweep's part): under 2 s.
- 8 concurrent agent processes claiming through the library, on SQLite and on PostgreSQL
  (GOLIVE_BENCH_POSTGRES or GOLIVE_TEST_POSTGRES, an admin URL): at least 0.3x the claims per
  second of the raw SQL pattern (BEGIN IMMEDIATE + UPDATE … RETURNING; SKIP LOCKED) in the same run,
  at least 500 claims/s on PostgreSQL, and no ticket claimed twice.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks import Report, Row
from benchmarks._queue_agents import Run, claim_race
from benchmarks._queue_data import fill_postgres, fill_sqlite, fresh_database, reset_claims, ticket_rows

TICKETS = 1_000_000
NEXT_SAMPLES = 300
AGENTS = 8
SQLITE_RACE = 2_000  # SQLite hands its one write lock around with sleeps: a few hundred claims a second
POSTGRES_RACE = 4_000


def _note(text: str) -> None:
    print(f"  queue: {text}", file=sys.stderr, flush=True)


def _next_latency(path: Path, *, group: str | None) -> float:
    """Median seconds of one `ticket next` (as the command runs it, minus the rendering) on the big database."""
    from rollout.database import Database
    from rollout.settings import load_settings
    from support.queue import claim_next

    db = Database(load_settings(str(path)))
    times = []
    for i in range(NEXT_SAMPLES + 5):
        start = time.perf_counter()
        with db.session(write=True) as session:
            ticket = claim_next(session, agent=f"bench{i % 8}", group=group)
        elapsed = time.perf_counter() - start
        assert ticket is not None, "the queue ran dry"
        if i >= 5:  # the first few open the file and warm the page cache
            times.append(elapsed)
    db.dispose()
    return statistics.median(times)


def _plan(path: Path) -> str:
    import sqlite3

    from support.queue import claim_statement

    conn = sqlite3.connect(path)
    try:
        sql = claim_statement(dialect="sqlite", group=True).text.replace(":agent", "?").replace(":at", "?").replace(":group", "?")
        return " | ".join(str(r[-1]) for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", ("a", "t", "hemit")))
    finally:
        conn.close()


def _big_queue(report: Report, tmp: Path) -> None:
    path = tmp / "million.sqlite"
    start = time.perf_counter()
    org, unit = fresh_database(str(path))
    fill_sqlite(path, ticket_rows(TICKETS, organisation_id=org, unit_id=unit))
    _note(f"built {TICKETS:,} tickets in {time.perf_counter() - start:.1f} s")
    plan = _plan(path)
    uses_index = "INDEX ix_ticket_group_queue" in plan and "TEMP B-TREE" not in plan
    report.rows.append(Row("ticket next reads ix_ticket_group_queue, no sort", 0.0, target="index", ok=uses_index))
    _note(f"plan: {plan}")
    for group in (None, "hemit"):
        median = _next_latency(path, group=group)
        label = f"--group {group}" if group else "any group"
        report.absolute(f"ticket next, {TICKETS:,} tickets, {label} (median)", median, max_s=0.010)
    released, seconds = _release_all(path)
    report.absolute(f"release {released:,} stale claims of {TICKETS:,} tickets (the sweep's part)", seconds, max_s=2.0)


def _release_all(path: Path) -> tuple[int, float]:
    """Every in-progress ticket of the big database is weeks old and untouched: the worst case for the sweep."""
    from datetime import timedelta

    from benchmarks._queue_data import START
    from rollout.database import Database
    from rollout.settings import load_settings
    from support.queue import release_stale_claims

    db = Database(load_settings(str(path)))
    start = time.perf_counter()
    with db.session(write=True) as session:
        released = release_stale_claims(session, now=START + timedelta(days=30), timeout_minutes=30)
    seconds = time.perf_counter() - start
    db.dispose()
    return released, seconds


@contextmanager
def _postgres() -> Iterator[str | None]:
    admin = os.environ.get("GOLIVE_BENCH_POSTGRES") or os.environ.get("GOLIVE_TEST_POSTGRES")
    if not admin:
        _note("no PostgreSQL (set GOLIVE_BENCH_POSTGRES): its rows are left out")
        yield None
        return
    import psycopg

    name = f"golive_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _race(report: Report, backend: str, url: str, fill, *, tickets: int) -> None:  # noqa: ANN001
    """Raw, library, raw, library on the same queue (reset between): the better of each pair counts."""
    org, unit = fresh_database(url)
    fill(ticket_rows(tickets, organisation_id=org, unit_id=unit, claimable_only=True, as_text=backend == "SQLite"))
    runs: dict[str, list[Run]] = {"raw": [], "library": []}
    for kind in ("raw", "library", "raw", "library"):
        run = claim_race(kind, url, agents=AGENTS)
        runs[kind].append(run)
        _note(f"{backend} {kind}: {run.claims:,} claims in {run.seconds:.2f} s = {run.per_second:,.0f}/s, {run.doubles} double")
        reset_claims(url)
    raw = max(runs["raw"], key=lambda r: r.per_second)
    lib = max(runs["library"], key=lambda r: r.per_second)
    per_claim, raw_per_claim = 1 / lib.per_second, 1 / raw.per_second
    report.ratio(f"{AGENTS} agents claiming, {backend}: library ({lib.per_second:,.0f}/s)", per_claim,
                 f"raw SQL pattern ({raw.per_second:,.0f}/s); ≤ 3.33x = ≥ 0.3x claims/s", raw_per_claim, max_ratio=1 / 0.3)
    every = [r for rs in runs.values() for r in rs]
    doubles = sum(r.doubles for r in every)
    whole = all(r.claims == tickets for r in every)
    report.rows.append(Row(f"{AGENTS} agents, {backend}: double claims {doubles}, all claimed {whole}",
                           0.0, target="0", ok=doubles == 0 and whole))
    if backend == "PostgreSQL":
        report.absolute(f"{AGENTS} agents, PostgreSQL, library: time per claim (≥ 500/s)", per_claim, max_s=0.002)


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="golive-bench-queue-") as name:
        tmp = Path(name)
        _big_queue(report, tmp)
        race = tmp / "race.sqlite"
        _race(report, "SQLite", str(race), lambda rows: fill_sqlite(race, rows), tickets=SQLITE_RACE)
        with _postgres() as url:
            if url is not None:
                _race(report, "PostgreSQL", url, lambda rows: fill_postgres(url, rows), tickets=POSTGRES_RACE)
