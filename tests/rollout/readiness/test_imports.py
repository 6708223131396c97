"""Imports: formats as project leads get them, and every kind of bad input refused with file and row, nothing written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import assert_error
from tests.rollout.readiness import scenario as sc


@pytest.fixture
def base(db_url: str, golive, tmp_path: Path):  # noqa: ANN001, ANN201
    """The rollout file and the people, nothing else."""
    assert golive("apply", sc.write(tmp_path, "testby.yaml", sc.ROLLOUT)).exit_code == 0
    people = sc.write(tmp_path, "people.csv", sc.PEOPLE, "cp1252")
    assert golive("people", "import", people, "--map", sc.PEOPLE_MAP, "--org", "testby").exit_code == 0
    return golive


BAD = [
    # (id, command, file name, content (str or bytes), fragments of the one Error line)
    ("missing-column", "people", "p.csv", "employee_id;name;unit\nX1;Ny;testby/legevakt\n", ["p.csv:1:", "missing required column 'role'"]),
    ("unknown-unit", "people", "p.csv", "employee_id,name,unit,role\nX1,A,testby/legevakt,lege\nX2,B,testby/legevakta,lege\n",
     ["p.csv:3:", "unknown unit 'testby/legevakta'", "testby/legevakt"]),
    ("unknown-role", "people", "p.csv", "employee_id,name,unit,role\nX1,A,testby/legevakt,kirurgx\n", ["p.csv:2:", "unknown role 'kirurgx'"]),
    ("unknown-organisation", "people", "p.csv", "employee_id,name,organisation,unit,role\nX1,A,tesby,legevakt,lege\n",
     ["p.csv:2:", "unknown organisation 'tesby'"]),
    ("duplicate-employee", "people", "p.csv", "employee_id,name,unit,role\nX1,A,testby/legevakt,lege\nX1,B,testby/legevakt,lege\n",
     ["p.csv:3:", "duplicate employee_id 'X1'", "row 2"]),
    ("bad-boolean", "people", "p.csv", "employee_id,name,unit,role,superuser\nX1,A,testby/legevakt,lege,kanskje\n",
     ["p.csv:2:", "superuser 'kanskje'"]),
    ("unknown-employee-training", "training", "t.csv", "employee_id,course,completed\nL1,HP-X,2026-03-01\nX99,HP-X,2026-03-01\n",
     ["t.csv:3:", "unknown employee 'X99'"]),
    ("bad-date-training", "training", "t.csv", "employee_id;course;completed\nL1;HP-X;31.02.2026\n", ["t.csv:2:", "completed '31.02.2026'"]),
    ("dst-gap-training", "training", "t.csv", "employee_id;course;completed\nL1;HP-X;29.03.2026 02:30\n", ["t.csv:2:", "does not exist"]),
    ("bad-date-staffing", "staffing", "s.csv", "unit,date,shift,planned,baseline\ntestby/legevakt,2026-13-01,dag,1,1\n",
     ["s.csv:2:", "date '2026-13-01'"]),
    ("bad-number", "staffing", "s.csv", "unit,date,shift,planned,baseline\ntestby/legevakt,2026-03-27,dag,tolv,10\n",
     ["s.csv:2:", "planned 'tolv'"]),
    ("negative-number", "staffing", "s.csv", "unit,date,shift,planned,baseline\ntestby/legevakt,2026-03-27,dag,-3,10\n",
     ["s.csv:2:", "negative"]),
    ("undefined-shift", "staffing", "s.csv", "unit,date,shift,planned,baseline\ntestby/legevakt,2026-03-27,middag,5,4\n",
     ["s.csv:2:", "shift 'middag' is not defined", "dag, kveld, natt"]),
    ("undefined-shift-roster", "roster", "r.csv", "employee_id,unit,date,shift\nS01,testby/legevakt,2026-03-27,helg\n",
     ["r.csv:2:", "shift 'helg' is not defined"]),
    ("unknown-employee-roster", "roster", "r.csv", "employee_id,unit,date,shift\nS01,testby/legevakt,2026-03-27,dag\nZ9,testby/legevakt,2026-03-27,dag\n",
     ["r.csv:3:", "unknown employee 'Z9'"]),
    ("end-before-start", "roster", "r.csv", "employee_id;unit;start;end\nS01;testby/legevakt;27.03.2026 15:00;27.03.2026 07:00\n",
     ["r.csv:2:", "end 27.03.2026 07:00 is not after start"]),
    ("roster-missing-columns", "roster", "r.csv", "employee_id,unit,date\nS01,testby/legevakt,2026-03-27\n",
     ["r.csv:1:", "missing required column 'shift'"]),
    ("ambiguous-unit", "staffing", "s.csv", "unit,date,shift,planned,baseline\nlegevakt,2026-03-27,dag,5,4\n",
     ["s.csv:2:", "several organisations", "orgkey/legevakt"]),
    ("empty-file", "people", "p.csv", "", ["p.csv:", "empty"]),
    ("header-only", "training", "t.csv", "employee_id,course,completed\n", ["t.csv:1:", "no data rows"]),
    ("not-xlsx", "people", "p.xlsx", "employee_id,name\nthis is not a workbook\n", ["p.xlsx:", "not an Excel .xlsx workbook"]),
    ("undecodable", "people", "p.csv", b"employee_id,name,unit,role\nX1,Ok,testby/legevakt,lege\nX2,\x81\x8d,testby/legevakt,lege\n",
     ["p.csv:3:", "cannot decode"]),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_input_is_refused_with_file_and_row(base, tmp_path: Path, case) -> None:  # noqa: ANN001
    _id, command, name, content, fragments = case
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = base("info", "--json").json()["counts"]
    result = base(command, "import", path)
    assert_error(result, *fragments)
    assert base("info", "--json").json()["counts"] == before


def test_a_bad_row_late_in_the_file_writes_nothing(base, tmp_path: Path) -> None:  # noqa: ANN001
    rows = "".join(f"N{i},Ny {i},testby/legevakt,lege\n" for i in range(50))
    path = sc.write(tmp_path, "many.csv", "employee_id,name,unit,role\n" + rows + "N99,Feil,testby/ukjent,lege\n")
    before = base("info", "--json").json()["counts"]
    assert_error(base("people", "import", path), "many.csv:52:", "unknown unit")
    assert base("info", "--json").json()["counts"] == before


def test_xlsx_with_typed_dates_and_formula_text(base, tmp_path: Path) -> None:  # noqa: ANN001
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Ansattnr", "Kurs", "Fullført"])
    ws.append(["S10", "HP-GRUNN", datetime(2026, 3, 20, 14, 30)])
    ws.append(["L2", "HP-LEGE", datetime(2026, 3, 26).date()])
    path = tmp_path / "kurs.xlsx"
    wb.save(path)
    result = base("training", "import", path, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["created"] == 2

    def lacking(at: str) -> set[tuple[str, str]]:
        rows = base("training", "missing", "testby-2026", "--at", at, "--json").json()["rows"]
        return {(r["employee_id"], r["course"]) for r in rows if r["employee_id"] in ("S10", "L2")}

    # a typed date-time cell is local time; a typed date cell is local midnight
    assert lacking("2026-03-20T14:29") == {("S10", "HP-GRUNN"), ("L2", "HP-GRUNN"), ("L2", "HP-LEGE")}
    assert lacking("2026-03-20T14:30") == {("L2", "HP-GRUNN"), ("L2", "HP-LEGE")}
    assert lacking("2026-03-26T00:00") == {("L2", "HP-GRUNN")}

    wb = Workbook()
    ws = wb.active
    ws.append(["employee_id", "name", "unit", "role", "superuser"])
    ws.append(["F1", "=1+1", "testby/legevakt", "lege", True])
    ws.append(["F2", "@SUM(A1)", "testby/legevakt", "lege", "nei"])
    people = tmp_path / "people.xlsx"
    wb.save(people)
    assert base("people", "import", people).exit_code == 0
    missing = base("training", "missing", "testby-2026", "--at", "2026-03-26T00:00", "--json").json()["rows"]
    names = {r["employee_id"]: r["name"] for r in missing}
    assert names["F1"] == "=1+1" and names["F2"] == "@SUM(A1)"  # stored as the text, never evaluated


def test_moodle_completion_export_with_course_option(base, tmp_path: Path) -> None:  # noqa: ANN001
    export = (
        '"First name","Surname","ID number","Email address","Course complete"\n'
        '"Sykepleier","10","","s10@testby.no","Wednesday, 25 March 2026, 2:15 PM"\n'
        '"Lege","To","L2","l2@testby.no","Not completed"\n'
        '"Lege","Tre","L3","l3@testby.no","26 March 2026, 09:00"\n'
    )
    path = sc.write(tmp_path, "progress.hp-lege.csv", export, "utf-8-sig")
    result = base("training", "import", path, "--course", "HP-LEGE", "--json")
    assert result.exit_code == 0, result.stderr
    assert (result.json()["created"], result.json()["skipped"]) == (2, 1)
    without_course = base("training", "import", path)
    assert_error(without_course, "progress.hp-lege.csv:1:", "'course'", "no course given")


def test_map_option_and_bom_comma_file(base, tmp_path: Path) -> None:  # noqa: ANN001
    text = "Nr,Fullt navn,Avd,Yrke,SB\nM1,Mari Ås,legevakt,sykepleier,ja\n"
    path = sc.write(tmp_path, "hr.csv", text, "utf-8-sig")
    result = base("people", "import", path, "--org", "testby", "--map", "Nr=employee_id,SB=superuser,Avd=unit", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["created"] == 1


@given(st.dates(min_value=datetime(1990, 1, 1).date(), max_value=datetime(2099, 12, 31).date()))
def test_norwegian_and_iso_dates_agree(day) -> None:  # noqa: ANN001
    from rollout.tabular.cells import date_cell

    assert date_cell(f"{day.day:02d}.{day.month:02d}.{day.year}", "d") == date_cell(day.isoformat(), "d") == day


@pytest.mark.parametrize("word,value", [("ja", True), ("Nei", False), ("yes", True), ("no", False), ("TRUE", True), ("false", False), ("1", True), ("0", False)])
def test_booleans(word: str, value: bool) -> None:
    from rollout.tabular.cells import bool_cell

    assert bool_cell(word, "superuser") is value
