"""Import 100,000 tickets from a semicolon CSV (parsed, validated, PII-masked, routed, due times computed, all or nothing)
against a plain `sqlite3` `executemany` of the same rows (tickets and their creation events) into the same schema: at most 2x.

The baseline's rows are the ones the import stored, read back, so both write exactly the same data.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks import Report
from benchmarks.pii import tickets as ticket_texts

TICKETS = 100_000
ROLLOUT = Path(__file__).resolve().parent.parent / "playbooks" / "examples" / "helse-midt.yaml"
UNITS = ["trondheim/legevakt", "trondheim/oya-helsehus", "trondheim/hjemme-midtbyen", "levanger/legevakt"]
CATEGORIES = ["access"] * 4 + ["printing"] * 3 + ["training", "workflow", "configuration", "device", "messaging"]
LEVELS = ["high", "medium", "medium", "low", "low"]
TITLES = ["Får ikke logget inn", "Etikettskriver skriver ikke", "Hvordan bestille prøver", "Pasientlista forsvinn",
          "Timebok vises ikke", "Meldinger kommer ikke fram"]


def _units(db) -> list[str]:  # noqa: ANN001
    from sqlalchemy import select

    from rollout.models import Organisation, Unit

    with db.session() as session:
        found = [f"{o}/{u}" for o, u in session.execute(
            select(Organisation.key, Unit.key).join(Organisation, Organisation.id == Unit.organisation_id)
)]
    return [u for u in UNITS if u in found] or found[:4]


def _file(tmp: Path, units: list[str], *, chronological: bool) -> Path:
    rng = random.Random(9)
    texts = ticket_texts(TICKETS)
    start = datetime(2022, 5, 7, 6, 0)
    created = [start + timedelta(minutes=rng.randrange(13 * 24 * 60)) for _ in texts]
    if chronological:  # as the other system numbered them: by when they were reported
        created.sort()
    path = tmp / f"tickets-{'chronological' if chronological else 'shuffled'}.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("external_id;title;description;unit;category;impact;urgency;reporter;created\n")
        for i, (text, when) in enumerate(zip(texts, created)):
            f.write(f"HP-{i:07d};{rng.choice(TITLES)};{text.replace(';', ',')};{rng.choice(units)};{rng.choice(CATEGORIES)};"
                    f"{rng.choice(LEVELS)};{rng.choice(LEVELS)};Melder {i % 500};{when:%d.%m.%Y %H:%M}\n")
    return path


def _fresh_db(tmp: Path, name: str):  # noqa: ANN202
    from rollout.apply import apply_rollout
    from rollout.database import Database
    from rollout.rolloutfile import read_rollout_file
    from rollout.settings import Settings, database_url

    path = tmp / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = Database(Settings(database_url(str(path)), "--db"))
    with db.session(write=True) as session:
        apply_rollout(session, read_rollout_file(ROLLOUT), actor="bench")
    return db, path


def _import(db, path: Path) -> None:  # noqa: ANN001
    from support.ticket_import import import_tickets

    with db.session(write=True) as session:
        result = import_tickets(session, path=path, actor="bench")
    assert result.created == TICKETS, result


def _stored(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """The rows the import wrote, as the driver holds them, to replay in the baseline."""
    conn = sqlite3.connect(path)
    out = {}
    for table in ("ticket", "ticket_event"):
        cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - fixed names
        out[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    conn.close()
    return out


def _baseline(path: Path, rows: dict[str, tuple[list[str], list[tuple]]]) -> float:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    start = time.perf_counter()
    with conn:
        for table, (columns, values) in rows.items():
            marks = ", ".join("?" for _ in columns)
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)  # noqa: S608
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="golive-bench-tickets-") as name:
        tmp = Path(name)
        db, _ = _fresh_db(tmp, "units.sqlite")
        units = _units(db)
        db.dispose()
        for chronological in (True, False):
            csv_path = _file(tmp, units, chronological=chronological)
            measured, baseline = [], []
            for n in range(3):
                db, path = _fresh_db(tmp, f"import-{n}.sqlite")
                start = time.perf_counter()
                _import(db, csv_path)
                measured.append(time.perf_counter() - start)
                db.dispose()
                rows = _stored(path)
                base_db, base_path = _fresh_db(tmp, f"baseline-{n}.sqlite")
                base_db.dispose()
                baseline.append(_baseline(base_path, rows))
            order = "in the order reported" if chronological else "in random order"
            report.ratio(
                f"import {TICKETS:,} tickets {order} (CSV, masked, SLA due)",
                statistics.median(measured),
                "sqlite3 executemany of the same ticket and event rows",
                statistics.median(baseline),
                max_ratio=2,
            )
