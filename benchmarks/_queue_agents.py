"""Agent processes for the queue benchmark: each claims until the queue is empty, through the library or raw SQL."""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

RAW_SQLITE = ("UPDATE ticket SET assignee = ?, claimed_at = ?, status = 'in_progress' WHERE id = ("
              "SELECT id FROM ticket INDEXED BY ix_ticket_queue WHERE assignee IS NULL AND status IN ('new', 'triaged') "
              "ORDER BY next_due, priority, created_at, id LIMIT 1) RETURNING id")
RAW_POSTGRES = ("UPDATE ticket SET assignee = %s, claimed_at = %s, status = 'in_progress' WHERE id = ("
                "SELECT id FROM ticket WHERE assignee IS NULL AND status IN ('new', 'triaged') "
                "ORDER BY next_due, priority, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id")


@dataclass
class Run:
    claims: int
    seconds: float  # from the first agent's start to the last agent's end
    doubles: int  # tickets more than one agent got

    @property
    def per_second(self) -> float:
        return self.claims / self.seconds if self.seconds else 0.0


def library_agent(url: str, agent: str) -> tuple[Any, Any]:
    """Claims through support.queue.claim_next, one writing session per claim, as `ticket next` does."""
    from rollout.database import Database
    from rollout.settings import load_settings
    from support.queue import claim_next

    db = Database(load_settings(url))
    db.ensure_ready()

    def work() -> list[int]:
        got = []
        while True:
            with db.session(write=True) as session:
                ticket = claim_next(session, agent=agent)
                if ticket is None:
                    return got
                got.append(ticket.id)  # type: ignore[arg-type]

    return work, db.dispose


def raw_agent(url: str, agent: str) -> tuple[Any, Any]:
    """The bare pattern: BEGIN IMMEDIATE + UPDATE … RETURNING on SQLite, SKIP LOCKED on PostgreSQL."""
    at = datetime.now(timezone.utc)
    if "://" not in url:
        import sqlite3

        conn = sqlite3.connect(url, isolation_level=None, timeout=30)
        conn.execute("PRAGMA busy_timeout=30000")
        stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f")

        def work() -> list[int]:
            got = []
            while True:
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute(RAW_SQLITE, (agent, stamp)).fetchone()
                conn.execute("COMMIT")
                if row is None:
                    return got
                got.append(row[0])

        return work, conn.close
    import psycopg

    pg = psycopg.connect(url)

    def work_pg() -> list[int]:
        got = []
        while True:
            row = pg.execute(RAW_POSTGRES, (agent, at)).fetchone()
            pg.commit()
            if row is None:
                return got
            got.append(row[0])

    return work_pg, pg.close


def _agent(kind: str, url: str, agent: str, start: Any, out: Any) -> None:
    work, close = (library_agent if kind == "library" else raw_agent)(url, agent)
    start.wait()  # connected and ready: all begin together
    began = time.monotonic()
    got = work()
    ended = time.monotonic()
    close()
    out.put((got, began, ended))


def claim_race(kind: str, url: str, *, agents: int) -> Run:
    """`agents` processes claim from one queue at once; every claim is counted, and any ticket claimed twice."""
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(agents), ctx.Queue()
    procs = [ctx.Process(target=_agent, args=(kind, url, f"agent{i}", start, out)) for i in range(agents)]
    for p in procs:
        p.start()
    results = [out.get(timeout=300) for _ in procs]
    for p in procs:
        p.join()
    counts = Counter(tid for got, _, _ in results for tid in got)
    seconds = max(e for _, _, e in results) - min(b for _, b, _ in results)
    return Run(claims=sum(counts.values()), seconds=seconds, doubles=sum(1 for c in counts.values() if c > 1))
