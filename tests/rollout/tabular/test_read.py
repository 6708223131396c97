"""Reading files: rows with more fields than the header, header mappings, blank trailing cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from rollout.errors import InputError
from rollout.tabular.read import parse_map, read_table


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_row_with_more_fields_than_the_header_names_file_and_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "employee_id;name\nE1;Ada\nE2;Bo;ekstra\n")
    with pytest.raises(InputError) as caught:
        read_table(path, required=("employee_id", "name"))
    assert caught.value.path == str(path) and caught.value.line == 3
    assert "3 fields but the header names 2" in str(caught.value) and "'ekstra'" in str(caught.value)


def test_a_quoted_row_with_an_extra_field_is_refused_too(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'employee_id,name\n"E1","Ada"\n"E2","Bo, Jr.",x\n')
    with pytest.raises(InputError) as caught:
        read_table(path, required=("employee_id", "name"))
    assert caught.value.line == 3


def test_trailing_empty_fields_as_excel_writes_them_are_fine(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path, "employee_id;name;;\nE1;Ada;;\nE2;Bo; ;\n"), required=("employee_id", "name"))
    assert [r["name"] for r in table.rows] == ["Ada", "Bo"]


def test_xlsx_value_beyond_the_header_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["employee_id", "name"])
    sheet.append(["E1", "Ada", None])
    sheet.append(["E2", "Bo", "ekstra"])
    path = tmp_path / "f.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_table(path, required=("employee_id", "name"))
    assert caught.value.line == 3


def test_parse_map_gives_normalised_headers() -> None:
    assert parse_map("Ansatt-nr=employee_id, Navn = Name,") == {"ansatt nr": "employee_id", "navn": "name"}


@pytest.mark.parametrize("text", ["Ansattnr", "=employee_id", "Ansattnr="])
def test_parse_map_refuses_entries_without_both_sides(text: str) -> None:
    with pytest.raises(ValueError, match="Header=column"):
        parse_map(text)


def test_a_map_to_a_column_nobody_reads_is_refused(tmp_path) -> None:  # noqa: ANN001
    import pytest

    from rollout.errors import InputError
    from rollout.tabular.read import read_table

    path = tmp_path / "p.csv"
    path.write_text("Ansattnr,Epost-adr\n1,a@example.org\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"'emial' is not a column of this import \(did you mean 'email'\?\)"):
        read_table(path, required=("employee_id",), optional=("email",), mapping={"ansattnr": "employee_id", "epost adr": "emial"})
