"""The SLA sweep over 1,000,000 SQLite tickets (target: under 2 s), and `sla check` on the same database.

The database is generated with plain `sqlite3` `executemany`: a year of
history, almost all resolved or closed, and about 30 000 open tickets, a
tenth of them past their deadline and not yet marked (what the first sweep
after an outage of the scheduler finds). Measured: that first sweep (marks,
escalations, events, digests), a steady-state sweep that finds nothing new
(what the scheduler runs every minute), and `sla check`.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks import Report, best_of

TICKETS = 1_000_000
OPEN_SHARE = 0.03
NOW = datetime(2022, 5, 20, 10, 0, tzinfo=timezone.utc)
TARGETS = {"P1": (15, 240), "P2": (60, 480), "P3": (240, 4320), "P4": (1440, 14400)}  # minutes, 24/7
COLUMNS = ("title", "description", "organisation_id", "unit_id", "category", "impact", "urgency", "priority",
           "priority_override", "patient_safety", "resolver_group", "assignee", "status", "created_at", "updated_at",
           "responded_at", "resolved_at", "closed_at", "response_due", "resolution_due", "next_due", "response_risk_at",
           "resolution_risk_at", "next_risk_at", "response_breached", "resolution_breached", "escalated", "waiting_on", "version")


def _text(instant: datetime | None) -> str | None:
    # How SQLAlchemy stores UTCDateTime on SQLite: naive UTC text.
    return None if instant is None else instant.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _rows(rng: random.Random):  # noqa: ANN202 - a generator of tuples in COLUMNS order
    groups = ["supportsenter", "hemit", "helseplattformen", "superbrukere"]
    categories = ["access", "printing", "workflow", "configuration", "training", "messaging"]
    for i in range(TICKETS):
        is_open = rng.random() < OPEN_SHARE
        # open tickets are recent (the last 3 days), history spreads over the year before
        age = timedelta(minutes=rng.randrange(3 * 24 * 60)) if is_open else timedelta(minutes=rng.randrange(365 * 24 * 60))
        created = NOW - age
        priority = rng.choices(("P1", "P2", "P3", "P4"), weights=(2, 10, 50, 38))[0]
        respond, resolve = TARGETS[priority]
        response_due, resolution_due = created + timedelta(minutes=respond), created + timedelta(minutes=resolve)
        response_risk, resolution_risk = created + timedelta(minutes=respond * 0.75), created + timedelta(minutes=resolve * 0.75)
        if is_open:
            status = rng.choice(("new", "triaged", "in_progress", "waiting"))
            responded = None if status == "new" else min(created + timedelta(minutes=rng.randrange(1, respond + 5)), NOW)
            resolved = closed = None
        else:
            status = rng.choice(("resolved", "closed"))
            responded = created + timedelta(minutes=rng.randrange(1, respond + 5))
            resolved = responded + timedelta(minutes=rng.randrange(1, resolve))
            closed = resolved + timedelta(days=3) if status == "closed" else None
        nxt = (response_due, response_risk) if responded is None else (resolution_due, resolution_risk)
        assignee = f"agent{i % 200}" if status in ("in_progress", "waiting", "resolved", "closed") else None
        # history was swept long ago; open ones due in the past are what this sweep must mark
        past = not is_open
        yield (f"Sak {i}", "", 1, 1 + i % 10, rng.choice(categories), "medium", "medium", priority, False, False,
               rng.choice(groups), assignee, status, _text(created), _text(responded or created), _text(responded),
               _text(resolved), _text(closed), _text(response_due), _text(resolution_due), _text(nxt[0]),
               _text(response_risk), _text(resolution_risk), _text(nxt[1]),
               past and responded is not None and responded > response_due, past and resolved is not None and resolved > resolution_due,
               False, "partner" if status == "waiting" else None, 1)


def build(path: Path) -> None:
    from rollout.database import Database
    from rollout.settings import load_settings

    db = Database(load_settings(str(path)))
    db.upgrade()
    db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")  # generating, not measured: no need to wait for the disk
    conn.execute("INSERT INTO organisation (id, key, name, kind) VALUES (1, 'benchby', 'Benchby kommune', 'municipality')")
    conn.executemany("INSERT INTO unit (id, organisation_id, key, name, service, hours, staff) VALUES (?, 1, ?, ?, 'helsehus', '24/7', 100)",
                     [(n, f"enhet-{n}", f"Enhet {n}") for n in range(1, 11)])
    conn.execute("INSERT INTO contact (key, email) VALUES ('supportsenter', 'vakt@benchby.example')")
    conn.execute("INSERT INTO support_settings (document) VALUES (?)", (
        '{"groups": ["supportsenter", "hemit", "helseplattformen", "superbrukere"], "routing": [], '
        '"default_group": "supportsenter", "escalation_group": "supportsenter", "claim_timeout_minutes": 30, '
        '"categories": ["access", "printing", "workflow", "configuration", "training", "messaging", "other"], '
        '"priority_matrix": {"high": {"high": "P1", "medium": "P2", "low": "P3"}, '
        '"medium": {"high": "P2", "medium": "P3", "low": "P4"}, "low": {"high": "P3", "medium": "P4", "low": "P4"}}, '
        '"sla": null, "business_hours": null}',))
    sql = f"INSERT INTO ticket ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    conn.executemany(sql, _rows(random.Random(9)))
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def run(report: Report) -> None:
    from rollout.database import Database
    from rollout.settings import load_settings
    from support.sla import sla_state, sweep

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sla.sqlite"
        started = time.perf_counter()
        build(path)
        print(f"  generated {TICKETS:,} tickets in {time.perf_counter() - started:.1f} s", flush=True)
        db = Database(load_settings(str(path)))

        def one_sweep() -> object:
            with db.session(write=True) as s:
                return sweep(s, now=NOW)

        started = time.perf_counter()
        first = one_sweep()
        first_s = time.perf_counter() - started
        print(f"  first sweep: {first.as_json()}", flush=True)  # type: ignore[attr-defined]
        report.absolute(f"sla sweep, 1M tickets, first ({first.changed:,} changes)", first_s, max_s=2.0)  # type: ignore[attr-defined]
        steady = best_of(one_sweep, repeat=5)
        report.absolute("sla sweep, 1M tickets, nothing new", steady, max_s=2.0)

        def check() -> object:
            with db.session() as s:
                return sla_state(s, at=NOW)

        state = check()
        print(f"  sla check: {len(state.breached):,} breached, {len(state.at_risk):,} at risk", flush=True)  # type: ignore[attr-defined]
        report.absolute("sla check, 1M tickets", best_of(check, repeat=3), max_s=2.0)
        db.dispose()
