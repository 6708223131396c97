"""The reports benchmark's database: 1,000,000 tickets, 20,000 people, 200 units, 2,000 runbook tasks (SQLite).

Built once into benchmarks/.cache/ (or $GOLIVE_BENCH_CACHE) and reused: the
rollout file and the runbook go through golive's own code, people, training,
staffing, rosters and tickets through plain sqlite3 executemany (indexes
dropped and rebuilt around the ticket insert).
"""

from __future__ import annotations

import os
import random
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

VERSION = 2
TICKETS = 1_000_000
PEOPLE = 20_000
UNITS = 200
TASKS = 2_000
START = datetime(2022, 5, 7, 4, 0, tzinfo=timezone.utc)  # go-live; tickets over the 14 days after
AT = START + timedelta(days=7, hours=3)  # the report's as-of time: half the tickets are in the future
CATEGORIES = ("access", "printing", "device", "workflow", "training", "configuration", "integration", "messaging",
              "medication", "data_migration", "performance", "other")
TARGETS = {"P1": (15, 240), "P2": (60, 480), "P3": (240, 1440), "P4": (480, 4800)}

ROLLOUT = """\
organisations:
  - key: benchby
    name: Benchby kommune
    kind: municipality
    units:
{units}
plans:
  - key: bench
    organisation: benchby
    name: Bench
    cutover_start: 2022-05-05T08:00
    go_live: 2022-05-07T06:00
    training:
      requirements: {{lege: [HP-GRUNN, HP-LEGE], sykepleier: [HP-GRUNN, HP-MED], default: [HP-GRUNN]}}
      superuser_course: HP-SUPER
    gates:
      - {{key: T-7d, at: T-7d, criteria: {{training_min: 0.9, staff_per_superuser_max: 10, staffing_min: 1.2}}}}
      - {{key: T-1d, at: T-1d, criteria: {{training_min: 0.95, staff_per_superuser_max: 10, open_p1_max: 0, runbook_due_done: true}}}}
      - {{key: T+14d, at: T+14d, criteria: {{open_p1_max: 0}}}}
"""


def cache_path() -> Path:
    folder = Path(os.environ.get("GOLIVE_BENCH_CACHE", Path(__file__).parent / ".cache"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"reports-v{VERSION}.sqlite"


def _text(instant: datetime | None) -> str | None:
    return None if instant is None else instant.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def build(path: Path) -> None:
    from benchmarks.runbooks import playbook_text
    from rollout.apply import apply_rollout
    from rollout.database import Database
    from rollout.plans import get_plan
    from rollout.rolloutfile import read_rollout_file
    from rollout.runbooks.load import load_runbook
    from rollout.runbooks.playbook import read_playbook
    from rollout.settings import Settings, database_url

    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    units = "\n".join(f'      - {{key: enhet-{n}, name: Enhet {n}, service: helsehus, hours: "24/7", staff: {PEOPLE // UNITS}}}'
                      for n in range(UNITS))
    files = path.parent
    (files / "bench-reports.yaml").write_text(ROLLOUT.format(units=units), encoding="utf-8")
    (files / "bench-playbook.yaml").write_text(playbook_text(TASKS).replace("owner: kommune", "owner: benchby"), encoding="utf-8")
    db = Database(Settings(database_url(str(partial)), "--db"))
    try:
        with db.session(write=True) as session:
            apply_rollout(session, read_rollout_file(files / "bench-reports.yaml"), actor="bench")
            load_runbook(session, plan=get_plan(session, "bench"), playbook=read_playbook(files / "bench-playbook.yaml"), actor="bench")
    finally:
        db.dispose()
    _fill(partial)
    os.replace(partial, path)


def _fill(path: Path) -> None:
    from rollout.readiness.shifts import DEFAULT_SHIFTS

    rng = random.Random(10)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    org_id = conn.execute("SELECT id FROM organisation WHERE key = 'benchby'").fetchone()[0]
    unit_ids = [r[0] for r in conn.execute("SELECT id FROM unit WHERE organisation_id = ? ORDER BY id", (org_id,))]
    roles = ["sykepleier"] * 5 + ["helsefagarbeider"] * 3 + ["lege"] * 2
    people = [(f"E{i:06d}", f"Person {i}", unit_ids[i % UNITS], rng.choice(roles), i % 10 == 0) for i in range(PEOPLE)]
    conn.executemany("INSERT INTO person (employee_id, name, unit_id, role, superuser) VALUES (?, ?, ?, ?, ?)", people)
    ids = [r[0] for r in conn.execute("SELECT id FROM person ORDER BY id")]
    done = datetime(2022, 4, 1, 8, tzinfo=timezone.utc)
    training = []
    for pid, (_e, _n, _u, role, superuser) in zip(ids, people):
        courses = {"lege": ["HP-GRUNN", "HP-LEGE"], "sykepleier": ["HP-GRUNN", "HP-MED"]}.get(role, ["HP-GRUNN"])
        courses += ["HP-SUPER"] if superuser else []
        for course in courses:
            if rng.random() < 0.96:
                training.append((pid, course, _text(done + timedelta(hours=rng.randrange(600)))))
    conn.executemany("INSERT INTO training_completion (person_id, course, completed_at) VALUES (?, ?, ?)", training)
    # staffing and superuser rosters: every unit, every shift, 4 May - 24 May
    supers: dict[int, list[int]] = {}
    for pid, (_e, _n, unit, _r, superuser) in zip(ids, people):
        if superuser:
            supers.setdefault(unit, []).append(pid)
    from zoneinfo import ZoneInfo

    oslo = ZoneInfo("Europe/Oslo")
    staffing, roster = [], []
    for d in range(21):
        day = date(2022, 5, 4) + timedelta(days=d)
        for shift, hours in DEFAULT_SHIFTS.items():
            a, b = (int(x[:2]) for x in hours.split("-"))
            start = datetime(day.year, day.month, day.day, a, tzinfo=oslo).astimezone(timezone.utc)
            end = datetime(day.year, day.month, day.day, b, tzinfo=oslo).astimezone(timezone.utc)
            if end <= start:
                end += timedelta(days=1)
            for n, unit in enumerate(unit_ids):
                staffing.append((unit, day.isoformat(), shift, _text(start), _text(end), 30 if n % 37 else 20, 20))
                for pid in supers.get(unit, [])[: 3 if (n + d) % 41 else 1]:
                    roster.append((pid, unit, day.isoformat(), shift, _text(start), _text(end)))
    conn.executemany("INSERT INTO staffing_shift (unit_id, day, shift, start_at, end_at, planned, baseline) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     staffing)
    conn.executemany("INSERT OR IGNORE INTO roster_shift (person_id, unit_id, day, shift, start_at, end_at) VALUES (?, ?, ?, ?, ?, ?)",
                     roster)
    issues = [(f"Kjent feil {k}", f"Gjør slik {k}", "open", _text(START)) for k in range(20)]
    conn.executemany("INSERT INTO known_issue (title, workaround, status, created_at) VALUES (?, ?, ?, ?)", issues)
    issue_ids = [r[0] for r in conn.execute("SELECT id FROM known_issue ORDER BY id")]
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ticket' AND sql IS NOT NULL").fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.executemany(_TICKET_SQL, _tickets(org_id, unit_ids, issue_ids))
    for _name, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


_COLUMNS = ("title", "description", "organisation_id", "unit_id", "category", "impact", "urgency", "priority", "priority_override",
            "patient_safety", "resolver_group", "assignee", "status", "known_issue_id", "created_at", "updated_at", "responded_at",
            "resolved_at", "closed_at", "response_due", "resolution_due", "next_due", "response_risk_at", "resolution_risk_at",
            "next_risk_at", "response_breached", "resolution_breached", "escalated", "version")
_TICKET_SQL = f"INSERT INTO ticket ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def _tickets(org_id: int, unit_ids: list[int], issue_ids: list[int]):  # noqa: ANN202 - a generator of rows
    rng = random.Random(9)
    step = 14 * 86400 / TICKETS
    for i in range(TICKETS):
        created = START + timedelta(seconds=int(i * step))
        priority = rng.choices(("P1", "P2", "P3", "P4"), (1, 10, 50, 39))[0]
        r_min, s_min = TARGETS[priority]
        r_due, s_due = created + timedelta(minutes=r_min), created + timedelta(minutes=s_min)
        responded = created + timedelta(minutes=rng.randrange(1, 2 * r_min + 2))
        resolved = created + timedelta(minutes=rng.randrange(r_min, 3 * s_min)) if rng.random() < 0.9 else None
        status = "closed" if resolved is not None else rng.choice(("in_progress", "waiting", "triaged"))
        nxt = s_due
        yield (f"Sak {i}", "", org_id, unit_ids[rng.randrange(UNITS)], CATEGORIES[rng.randrange(len(CATEGORIES))], "medium",
               "medium", priority, False, False, "supportsenter", "agent", status,
               issue_ids[i % 20] if i % 10 == 0 else None, _text(created), _text(created), _text(responded), _text(resolved),
               _text(resolved), _text(r_due), _text(s_due), _text(nxt), _text(r_due), _text(s_due), _text(nxt), False, False,
               False, 1)


def database() -> Path:
    path = cache_path()
    if not path.exists():
        build(path)
    return path
