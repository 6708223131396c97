"""`golive people list|show` and the library views behind them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_error
from tests.rollout.readiness import scenario as sc


@pytest.fixture
def loaded(db_url: str, golive, tmp_path: Path):  # noqa: ANN001, ANN201
    sc.load(golive, tmp_path)
    return golive


def test_people_list_filters_by_org_unit_and_role(loaded) -> None:  # noqa: ANN001
    everyone = loaded("people", "list", "--json").json()["people"]
    assert len(everyone) == 16
    leger = loaded("people", "list", "--org", "testby", "--unit", "legevakt", "--role", "Lege", "--json").json()["people"]
    assert [p["employee_id"] for p in leger] == ["L1", "L2", "L3"]
    assert leger[0] == {"employee_id": "L1", "name": "Lege En", "email": "l1@testby.no", "unit": "testby/legevakt",
                        "role": "lege", "superuser": False}
    table = loaded("people", "list", "--unit", "helsestasjon").stdout
    assert "HS1" in table and "L1" not in table


def test_people_list_names_what_is_unknown(loaded) -> None:  # noqa: ANN001
    assert_error(loaded("people", "list", "--org", "nosuchorg"), "unknown organisation 'nosuchorg'")
    assert_error(loaded("people", "list", "--role", "leger"), "unknown role 'leger' (did you mean 'lege'?)")
    assert_error(loaded("people", "list", "--org", "testby", "--unit", "legevak"), "unknown unit 'legevak' (did you mean 'legevakt'?)")


def test_people_show_has_completions_and_duties(loaded) -> None:  # noqa: ANN001
    data = loaded("people", "show", "S01", "--json").json()
    assert data["employee_id"] == "S01" and data["superuser"] is True and data["unit_name"] == "Testby legevakt"
    assert [c["course"] for c in data["completions"]] == ["HP-GRUNN", "HP-SUPER"]  # the retake keeps 1 March
    assert data["completions"][0]["completed_at"] == "2026-03-01T00:00+01:00"
    assert [(d["unit"], d["shift"]) for d in data["duties"]] == [("testby/legevakt", "dag"), ("testby/legevakt", "dag")]
    text = loaded("people", "show", "S01")
    assert text.exit_code == 0 and "HP-SUPER" in text.stdout
    assert_error(loaded("people", "show", "S99"), "no person with employee id 'S99'")


def test_a_national_identity_number_is_never_printed(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    fnr = "01010012356"  # a valid test fødselsnummer used as an employee id
    path = sc.write(tmp_path, "p.csv", f"employee_id,name,unit,role\n{fnr},Per Test,testby/legevakt,lege\n")
    assert loaded("people", "import", path).exit_code == 0
    listed = loaded("people", "list", "--role", "lege")
    shown = loaded("people", "show", fnr, "--json")
    assert shown.exit_code == 0 and "Per Test" in shown.stdout
    assert fnr not in listed.stdout + shown.stdout + shown.stderr
