"""Readiness at scale: imports against plain sqlite3 executemany, and the gate views in-process.

- Import 20 000 people and 100 000 training rows (CSV, parsed and validated,
  all or nothing) against a plain `sqlite3` `executemany` of the same parsed
  rows into the same schema: at most 3x.
- `training status` and `roster gaps` for 20 000 people and 4 weeks of shifts: under 0.5 s.
"""

from __future__ import annotations

import math
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from benchmarks import Report, best_of

UNITS = 10
PEOPLE = 20_000
COURSES = ["HP-GRUNN", "HP-MED", "HP-LEGE", "HP-DOK", "HP-SUPER"]
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
    cutover_start: 2026-03-16T08:00
    go_live: 2026-03-21T06:00
    readiness_window_days: 23
    training:
      requirements: {{lege: [HP-GRUNN, HP-LEGE, HP-DOK], sykepleier: [HP-GRUNN, HP-MED], default: [HP-GRUNN]}}
      superuser_course: HP-SUPER
    gates:
      - {{key: T-7d, at: T-7d, criteria: {{training_min: 0.9, staff_per_superuser_max: 10, staffing_min: 1.2}}}}
"""


def _files(tmp: Path) -> tuple[Path, Path, Path]:
    rng = random.Random(7)
    units = "\n".join(
        f'      - {{key: enhet-{n}, name: Enhet {n}, service: helsehus, hours: "24/7", staff: {PEOPLE // UNITS}}}' for n in range(UNITS)
    )
    rollout = tmp / "bench.yaml"
    rollout.write_text(ROLLOUT.format(units=units), encoding="utf-8")
    people = tmp / "people.csv"
    training = tmp / "training.csv"
    roles = ["sykepleier"] * 5 + ["helsefagarbeider"] * 3 + ["lege"] * 2
    with people.open("w", encoding="utf-8") as f, training.open("w", encoding="utf-8") as t:
        f.write("employee_id;name;email;unit;role;superuser\n")
        t.write("employee_id;course;completed\n")
        for i in range(PEOPLE):
            f.write(f"E{i:06d};Person {i};p{i}@benchby.no;benchby/enhet-{i % UNITS};{rng.choice(roles)};{'ja' if (i // UNITS) % 10 == 0 else 'nei'}\n")
            for course in COURSES:
                day = date(2026, 1, 5) + timedelta(days=rng.randrange(70))
                t.write(f"E{i:06d};{course};{day:%d.%m.%Y} {rng.randrange(7, 16):02d}:{rng.choice((0, 15, 30, 45)):02d}\n")
    return rollout, people, training


def _fresh_db(tmp: Path, name: str, rollout: Path):  # noqa: ANN202
    from rollout.apply import apply_rollout
    from rollout.database import Database
    from rollout.rolloutfile import read_rollout_file
    from rollout.settings import Settings, database_url

    path = tmp / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = Database(Settings(database_url(str(path)), "--db"))
    with db.session(write=True) as session:
        apply_rollout(session, read_rollout_file(rollout), actor="bench")
    return db, path


def _import(db, people: Path, training: Path) -> None:  # noqa: ANN001
    from rollout.readiness.people import import_people
    from rollout.readiness.training import import_training

    with db.session(write=True) as session:
        import_people(session, path=people, actor="bench")
    with db.session(write=True) as session:
        import_training(session, path=training, actor="bench")


def _parsed_rows(people: Path, training: Path) -> tuple[list[tuple], list[tuple]]:
    """The same rows as the importer writes, parsed once (outside the baseline's timing)."""
    from rollout.tabular.cells import instant_cell

    person_rows = []
    for line in people.read_text(encoding="utf-8").splitlines()[1:]:
        employee_id, name, email, unit, role, superuser = line.split(";")
        person_rows.append((employee_id, name, email, int(unit.rsplit("-", 1)[1]) + 1, role, superuser == "ja"))
    ids = {row[0]: n + 1 for n, row in enumerate(person_rows)}
    training_rows = []
    for line in training.read_text(encoding="utf-8").splitlines()[1:]:
        employee_id, course, completed = line.split(";")
        when = instant_cell(completed, "completed", "Europe/Oslo")
        training_rows.append((ids[employee_id], course, when.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")))
    return person_rows, training_rows


def _baseline(path: Path, person_rows: list[tuple], training_rows: list[tuple]) -> float:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    start = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO person (employee_id, name, email, unit_id, role, superuser) VALUES (?, ?, ?, ?, ?, ?)", person_rows)
        conn.executemany("INSERT INTO training_completion (person_id, course, completed_at) VALUES (?, ?, ?)", training_rows)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def _shifts_and_roster(db) -> None:  # noqa: ANN001
    """4 weeks of staffing on every unit and a superuser roster at 1 per 10 (one unit short one night)."""
    from sqlalchemy import insert, select

    from rollout.models import Plan, Unit
    from rollout.readiness.models import Person, RosterShift, StaffingShift
    from rollout.readiness.shifts import plan_shifts, shift_interval

    rng = random.Random(11)
    with db.session(write=True) as session:
        plan = session.execute(select(Plan)).scalars().one()
        units = list(session.execute(select(Unit.id)).scalars())
        supers: dict[int, list[int]] = {}
        for pid, unit_id in session.execute(select(Person.id, Person.unit_id).where(Person.superuser.is_(True))):
            supers.setdefault(unit_id, []).append(pid)
        staffing, roster = [], []
        share = {"dag": 0.11, "kveld": 0.08, "natt": 0.04}
        for unit_id in units:
            pool = supers[unit_id]
            groups = {"dag": pool[: len(pool) // 2], "kveld": pool[len(pool) // 2 : len(pool) * 5 // 6], "natt": pool[len(pool) * 5 // 6 :]}
            cursor = dict.fromkeys(groups, 0)
            for n in range(28):
                day = date(2026, 3, 16) + timedelta(days=n)
                for shift, (s, e) in plan_shifts(plan).items():
                    start, end = shift_interval(day, s, e, plan.timezone)
                    baseline = round(PEOPLE / UNITS * share[shift])
                    planned = math.ceil(baseline * rng.uniform(1.15, 1.4))
                    staffing.append({"unit_id": unit_id, "day": day, "shift": shift, "start_at": start, "end_at": end,
                                     "planned": planned, "baseline": baseline})
                    group = groups[shift]
                    for k in range(math.ceil(planned / 10)):
                        pid = group[(cursor[shift] + k) % len(group)]
                        roster.append({"person_id": pid, "unit_id": unit_id, "day": day, "shift": shift, "start_at": start, "end_at": end})
                    cursor[shift] += math.ceil(planned / 10)
        session.execute(insert(StaffingShift.__table__), staffing)  # type: ignore[attr-defined]
        session.execute(insert(RosterShift.__table__), roster)  # type: ignore[attr-defined]


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="golive-bench-") as name:
        tmp = Path(name)
        rollout, people, training = _files(tmp)
        person_rows, training_rows = _parsed_rows(people, training)
        measured, baseline = [], []
        for n in range(3):
            db, _path = _fresh_db(tmp, f"import-{n}.sqlite", rollout)
            start = time.perf_counter()
            _import(db, people, training)
            measured.append(time.perf_counter() - start)
            db.dispose()
            base_db, base_path = _fresh_db(tmp, f"baseline-{n}.sqlite", rollout)
            base_db.dispose()
            baseline.append(_baseline(base_path, person_rows, training_rows))
        report.ratio(
            f"import {PEOPLE:,} people + {len(training_rows):,} training rows (CSV)",
            statistics.median(measured),
            "sqlite3 executemany of the parsed rows",
            statistics.median(baseline),
            max_ratio=3,
        )

        db, _path = _fresh_db(tmp, "views.sqlite", rollout)
        _import(db, people, training)
        _shifts_and_roster(db)
        from sqlalchemy import select

        from rollout.gates import gate_context, get_gate
        from rollout.readiness.criteria import gate_window
        from rollout.models import Plan
        from rollout.readiness.roster import roster_gaps
        from rollout.readiness.training import training_status

        at = datetime.fromisoformat("2026-03-14T06:00+01:00")
        with db.session() as session:
            plan = session.execute(select(Plan)).scalars().one()
            gate = get_gate(session, plan, "T-7d")
            ctx = gate_context(session, plan=plan, gate=gate, at=at)
            window = gate_window(session, ctx)

            def status() -> None:
                training_status(session, plan=plan, at=at, unit_ids=ctx.unit_ids)

            def gaps() -> None:
                roster_gaps(session, plan=plan, at=at, unit_ids=ctx.unit_ids, window=window, maximum=10)

            report.absolute(f"training status, {PEOPLE:,} people (in-process)", best_of(status), max_s=0.5)
            report.absolute("roster gaps, 4 weeks of shifts (in-process)", best_of(gaps), max_s=0.5)
        db.dispose()
