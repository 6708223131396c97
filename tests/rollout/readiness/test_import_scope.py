"""Imports read only the stored rows in their file's scope (its people, units and dates), never whole tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.rollout.readiness import scenario as sc

READINESS_TABLES = ("person", "training_completion", "staffing_shift", "roster_shift", "unit", "plan")


@pytest.fixture
def loaded(db_url: str, golive, tmp_path: Path):  # noqa: ANN001, ANN201
    sc.load(golive, tmp_path)
    return db_url


def _unscoped_reads(url: str, run) -> list[str]:  # noqa: ANN001
    """The SELECTs on readiness tables, issued while `run(session)` imports, that have no WHERE clause."""
    from sqlalchemy import event

    from rollout.database import Database
    from rollout.settings import load_settings

    db = Database(load_settings(url))
    seen: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.session(write=True) as session:
            run(session)
            session.rollback()
    finally:
        db.dispose()
    pattern = re.compile(r"\bFROM (" + "|".join(READINESS_TABLES) + r")\b")
    return [s for s in seen if s.upper().startswith("SELECT") and pattern.search(s) and " WHERE " not in s]


def test_each_import_reads_only_its_scope(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    from rollout.readiness.people import import_people
    from rollout.readiness.roster import import_roster
    from rollout.readiness.staffing import import_staffing
    from rollout.readiness.training import import_training
    from rollout.tabular.read import parse_map

    people = sc.write(tmp_path, "p2.csv", sc.PEOPLE.replace("Lege En", "Lege Ny"), "cp1252")
    runs = {
        "people": lambda s: import_people(s, path=people, actor="t", organisation="testby", mapping=parse_map(sc.PEOPLE_MAP), replace=True),
        "training": lambda s: import_training(s, path=sc.write(tmp_path, "t2.csv", sc.TRAINING), actor="t", replace=True),
        "staffing": lambda s: import_staffing(s, path=sc.write(tmp_path, "s2.csv", sc.STAFFING), actor="t", replace=True),
        "roster": lambda s: import_roster(s, path=sc.write(tmp_path, "r2.csv", sc.ROSTER), actor="t", organisation="testby", replace=True),
    }
    for name, run in runs.items():
        assert _unscoped_reads(loaded, run) == [], name


def test_a_people_sync_touches_only_the_files_organisation(loaded, tmp_path: Path, golive) -> None:  # noqa: ANN001
    other = sc.write(tmp_path, "annen.csv", "employee_id,name,unit,role\nA1,Annen,annenby/legevakt,lege\n")
    assert golive("people", "import", other).exit_code == 0
    only_l1 = sc.write(tmp_path, "l1.csv", "employee_id,name,unit,role\nL1,Lege En,testby/legevakt,lege\n")
    result = golive("people", "import", only_l1, "--replace", "--json").json()
    assert result["deleted"] == 15  # the other Testby people, not Annenby's A1
    assert golive("people", "show", "A1").exit_code == 0
