"""The readiness commands check thresholds, filters, names and output paths as strictly as the rollout file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_error
from tests.rollout.readiness import scenario as sc


@pytest.fixture
def loaded(db_url: str, golive, tmp_path: Path):  # noqa: ANN001, ANN201
    sc.load(golive, tmp_path)
    return golive


def _usage(result, *fragments: str) -> None:  # noqa: ANN001
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    line = next(x for x in result.stderr.splitlines() if x.startswith("Error:"))
    for fragment in fragments:
        assert fragment in line, (fragment, line)


@pytest.mark.parametrize("value", ["120", "0", "-1", "1,2,3"])
def test_staffing_min_that_would_mislead_is_a_usage_error(loaded, value: str) -> None:  # noqa: ANN001
    _usage(loaded("staffing", "gaps", "testby-2026", "--min", value), "--min", "not a share")


@pytest.mark.parametrize("value", ["1.2", "1,2", "120%", "120 %"])
def test_staffing_min_as_fraction_decimal_comma_or_percent(loaded, value: str) -> None:  # noqa: ANN001
    data = loaded("staffing", "gaps", "testby-2026", "--min", value, "--json").json()
    assert data["staffing_min"] == pytest.approx(1.2)


def test_staffing_need_is_whole_people_rounded_up(loaded) -> None:  # noqa: ANN001
    data = loaded("staffing", "gaps", "testby-2026", "--min", "1.25", "--json").json()
    needs = {(g["date"], g["shift"]): g["required"] for g in data["gaps"] if g["baseline"] is not None}
    assert needs[("2026-03-28", "kveld")] == 15  # 1.25 × 12 = 15 exactly
    assert needs[("2026-03-27", "dag")] == 19  # 1.25 × 15 = 18.75 → 19 people
    assert all(isinstance(v, int) for v in needs.values())
    table = loaded("staffing", "gaps", "testby-2026", "--min", "1.25").stdout
    assert "18.75" not in table


@pytest.mark.parametrize("value", ["0", "-3", "ti"])
def test_roster_max_must_be_above_zero(loaded, value: str) -> None:  # noqa: ANN001
    _usage(loaded("roster", "gaps", "testby-2026", "--max", value), "--max")


def test_roster_max_accepts_a_decimal_comma(loaded) -> None:  # noqa: ANN001
    assert loaded("roster", "gaps", "testby-2026", "--max", "7,5", "--json").json()["staff_per_superuser_max"] == 7.5


def test_unknown_role_is_named_with_a_close_suggestion(loaded) -> None:  # noqa: ANN001
    assert_error(loaded("training", "status", "testby-2026", "--role", "leger"), "unknown role 'leger' (did you mean 'lege'?)")
    assert_error(loaded("training", "missing", "testby-2026", "--role", "kirurg"), "unknown role 'kirurg'")


def test_a_unit_outside_the_plan_or_unknown_is_refused(loaded) -> None:  # noqa: ANN001
    assert_error(loaded("training", "status", "testby-2026", "--unit", "stolav/akutt"), "unknown organisation 'stolav'")
    assert_error(loaded("training", "status", "testby-2026", "--unit", "annenby/legevakt"), "not in plan 'testby-2026'")
    assert_error(loaded("training", "status", "testby-2026", "--unit", "legevak"), "unknown unit 'legevak' (did you mean 'legevakt'?)")
    result = loaded("training", "status", "testby-2026", "--unit", "akuttmottak")
    assert_error(result, "unknown unit 'akuttmottak'")
    assert "did you mean" not in result.stderr


def test_unknown_org_is_named_as_the_organisation(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    path = sc.write(tmp_path, "p.csv", "employee_id,name,unit,role\nX1,A,legevakt,lege\n")
    result = loaded("people", "import", path, "--org", "nosuchorg")
    assert_error(result, "unknown organisation 'nosuchorg'")
    assert "unit" not in result.stderr and "did you mean" not in result.stderr


def test_ical_unit_without_org_suggests_full_keys(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    result = loaded("roster", "ical", "--unit", "legevak", "-o", tmp_path / "x.ics")
    assert_error(result, "unknown unit 'legevak'", "'annenby/legevakt' or 'testby/legevakt'")


def test_bad_map_syntax_is_a_usage_error(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    path = sc.write(tmp_path, "p.csv", "employee_id,name,unit,role\nX1,A,testby/legevakt,lege\n")
    _usage(loaded("people", "import", path, "--map", "Ansattnr"), "--map", "Header=column")


def test_output_files_that_cannot_be_written_are_named(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    missing = tmp_path / "no" / "such" / "x.csv"
    assert_error(loaded("training", "missing", "testby-2026", "-o", missing), f"cannot write {missing}", "no folder")
    assert_error(loaded("training", "missing", "testby-2026", "-o", tmp_path), f"cannot write {tmp_path}", "folder")
    ics = tmp_path / "nowhere" / "s.ics"
    assert_error(loaded("roster", "ical", "--person", "S01", "-o", ics), f"cannot write {ics}")
    assert not (tmp_path / "no").exists() and not (tmp_path / "nowhere").exists()


def test_output_file_is_written_whole(loaded, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    out.mkdir()
    assert loaded("training", "missing", "testby-2026", "--at", sc.T1D, "-o", out / "m.csv").exit_code == 0
    assert [p.name for p in out.iterdir()] == ["m.csv"]
    assert (out / "m.csv").read_bytes().startswith(b"\xef\xbb\xbfemployee_id;name;email;unit;role;course\r\n")
