"""Ticket databases for the queue benchmark: a golive schema, one organisation, and tickets written with executemany."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

START = datetime(2022, 5, 9, 6, 0, tzinfo=timezone.utc)
GROUPS = ("supportsenter", "superbrukere", "helseplattformen", "hemit", "norsk-helsenett")
PRIORITIES = ("P1", "P2", "P3", "P4")
# (response, resolution) in minutes: the wall-clock form of the SLA table is enough to shape the queue
TARGETS = {"P1": (15, 240), "P2": (60, 480), "P3": (240, 1440), "P4": (480, 4800)}
# most tickets of two weeks are done; a few thousand wait in the queue or are being worked on
STATUSES = (("closed", 80), ("resolved", 8), ("in_progress", 4), ("waiting", 2), ("new", 3), ("triaged", 3))
COLUMNS = ("title", "description", "organisation_id", "unit_id", "category", "impact", "urgency", "priority",
           "priority_override", "patient_safety", "resolver_group", "assignee", "status", "created_at", "updated_at",
           "claimed_at", "responded_at", "response_due", "resolution_due", "next_due", "response_risk_at",
           "resolution_risk_at", "next_risk_at", "response_breached", "resolution_breached", "escalated", "version")


def fresh_database(url: str) -> tuple[int, int]:
    """A database at schema head with trondheim/legevakt; (organisation id, unit id)."""
    from rollout.database import Database
    from rollout.models import Organisation, Unit
    from rollout.settings import load_settings

    db = Database(load_settings(url))
    db.upgrade()
    with db.session(write=True) as session:
        org = Organisation(key="trondheim", name="Trondheim kommune", kind="municipality")
        session.add(org)
        session.flush()
        unit = Unit(organisation_id=org.id, key="legevakt", name="Legevakt", service="legevakt", hours="24/7")
        session.add(unit)
        session.flush()
        ids = (org.id, unit.id)
    db.dispose()
    return ids  # type: ignore[return-value]


class Clock:
    """Instants as whole seconds after START, formatted the way SQLAlchemy stores them in SQLite (UTC, naive,
    microseconds) from tables built once: a million rows need millions of them, strftime would dominate the build."""

    def __init__(self, *, as_text: bool) -> None:
        self.as_text = as_text
        base = START.replace(tzinfo=None)
        self.days = [(base + timedelta(days=d)).strftime("%Y-%m-%d ") for d in range(40)]
        self.times = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(86400)]
        self.base_second = base.hour * 3600

    def __call__(self, seconds: int) -> Any:
        if not self.as_text:
            return START + timedelta(seconds=seconds)
        day, second = divmod(self.base_second + seconds, 86400)
        return self.days[day] + self.times[second]


def ticket_rows(count: int, *, organisation_id: int, unit_id: int, claimable_only: bool = False,
                seed: int = 9, as_text: bool = True) -> list[tuple[Any, ...]]:
    """Tickets over two weeks from go-live, in COLUMNS order; `claimable_only` makes every one new and unassigned."""
    rng = random.Random(seed)
    clock = Clock(as_text=as_text)
    step = 14 * 86400 / max(count, 1)
    priorities = rng.choices(PRIORITIES, (5, 20, 50, 25), k=count)
    statuses = ["new"] * count if claimable_only else rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES], k=count)
    groups = rng.choices(GROUPS, k=count)
    rows = []
    for i in range(count):
        created = int(i * step)
        priority, status = priorities[i], statuses[i]
        response, resolution = (created + 60 * m for m in TARGETS[priority])
        responded = None if status == "new" else created + 60 * (1 + i % 60)
        assignee = None if status in ("new", "triaged") else f"agent{i % 40}"
        response_risk, resolution_risk = created + (response - created) * 3 // 4, created + (resolution - created) * 3 // 4
        nxt, risk = (response, response_risk) if responded is None else (resolution, resolution_risk)
        rows.append((
            f"ticket {i}", "", organisation_id, unit_id, "other", "medium", "medium", priority, False, False,
            groups[i], assignee, status, clock(created), clock(created), clock(responded) if assignee else None,
            clock(responded) if responded is not None else None, clock(response), clock(resolution), clock(nxt),
            clock(response_risk), clock(resolution_risk), clock(risk), False, False, False, 1,
        ))
    return rows


def fill_sqlite(path: Path, rows: list[tuple[Any, ...]]) -> None:
    """executemany into the ticket table with its indexes dropped and rebuilt after (a sort beats a million inserts)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ticket' AND sql IS NOT NULL"
        ).fetchall()
        conn.execute("BEGIN")
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        marks = ", ".join("?" * len(COLUMNS))
        conn.executemany(f"INSERT INTO ticket ({', '.join(COLUMNS)}) VALUES ({marks})", rows)
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def fill_postgres(url: str, rows: list[tuple[Any, ...]]) -> None:
    import psycopg

    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY ticket ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        cur.execute("ANALYZE ticket")


def reset_claims(url: str) -> None:
    """Every ticket back to new and unassigned (events stay: they are append-only); PostgreSQL is vacuumed after,
    so the next run does not start on the dead rows of the last one."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE ticket SET status = 'new', assignee = NULL, claimed_at = NULL, responded_at = NULL, "
                          "next_due = response_due, next_risk_at = response_risk_at, version = 1"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE ticket"))
    engine.dispose()
