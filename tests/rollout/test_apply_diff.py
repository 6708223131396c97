"""The apply diff reads in the rollout file's terms and warns when gates would lose what they measure."""

from __future__ import annotations

import pytest

from rollout.applydiff import describe_field, file_terms
from tests.conftest import EXAMPLE

ORIGINAL = EXAMPLE.read_text(encoding="utf-8")


def edited(*pairs: tuple[str, str]) -> str:
    text = ORIGINAL
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


LOSING = edited(
    ("lege: [HP-GRUNN, HP-LEGE]", "lege: [HP-GRUNN, HP-X]"),
    (
        "criteria: {training_min: 0.95, staff_per_superuser_max: 10, staffing_min: 1.2, open_p1_max: 0, runbook_due_done: true}",
        "criteria: {training_min: 0.95, staffing_min: 1.3, open_p1_max: 0, runbook_due_done: true}",
    ),
    ("units: [helsestasjon, skolehelse, fengselshelse]", "units: [helsestasjon, fengselshelse]"),
)


def test_changes_read_in_the_files_terms_with_warnings(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    assert golive("apply", EXAMPLE).exit_code == 0
    result = golive("apply", rollout_file(LOSING), "--dry-run")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "~ plan trondheim-2022: training_requirements: lege: +HP-X, -HP-LEGE" in lines
    assert "~ wave trondheim-2022/Bølge 2 – dagenheter: units -skolehelse" in lines
    assert "~ gate trondheim-2022/T-1d: criteria: staffing_min 1.2 → 1.3; -staff_per_superuser_max" in lines
    for mark in ("{'", "['", "…", "_id", "position"):
        assert mark not in result.stdout, mark
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 3, result.stderr
    assert any("no longer requires lege: HP-LEGE" in w and "T-7d" in w and "training_min" in w for w in warnings)
    assert any("loses units skolehelse" in w and "bolge-2-T-1d" in w for w in warnings)
    assert any("T-1d loses criteria staff_per_superuser_max" in w for w in warnings)


def test_json_speaks_of_keys_not_ids(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    first = golive("apply", EXAMPLE, "--json").json()
    moved = edited(
        ("      - {name: Omlegging, start: 2022-05-05, end: 2022-05-07}\n", ""),
        ("      - {name: Hypercare og stabilisering, start: 2022-05-08, end: 2022-06-03}\n",
         "      - {name: Hypercare og stabilisering, start: 2022-05-08, end: 2022-06-03}\n"
         "      - {name: Omlegging, start: 2022-05-05, end: 2022-05-07}\n"),
    )
    second = golive("apply", rollout_file(moved), "--json").json()
    for data in (first, second):
        for change in data["changes"]:
            assert not [name for name in change["fields"] if name.endswith("_id") or name == "position"], change
    gate = next(c for c in first["changes"] if c["key"] == "trondheim-2022/bolge-2-T-1d")
    assert gate["fields"]["wave"] == "Bølge 2 – dagenheter" and gate["fields"]["plan"] == "trondheim-2022"
    orders = {c["key"]: c["fields"]["order"] for c in second["changes"] if c["entity"] == "phase"}
    assert orders == {"trondheim-2022/Hypercare og stabilisering": [5, 4], "trondheim-2022/Omlegging": [4, 5]}
    assert second["warnings"] == []


@pytest.mark.parametrize(
    ("name", "old", "new", "text"),
    [
        ("staff", 140, 150, "staff 140 → 150"),
        ("playbook", None, "municipality-cutover", "playbook none → municipality-cutover"),
        ("units", ["a", "b"], ["b", "c"], "units +c, -a"),
        ("training_requirements", None, {"lege": ["HP-GRUNN"]}, "training_requirements: +lege [HP-GRUNN]"),
        ("training_requirements", {"lege": ["A"], "default": ["A"]}, {"lege": ["A", "B"]}, "training_requirements: lege: +B; -default"),
        ("criteria", {"training_min": {"default": 0.9, "lege": 1.0}}, {"training_min": {"default": 0.9}}, "criteria: training_min: -lege"),
        ("shifts", {"dag": "07:00-15:00"}, {"dag": "07:00-16:00"}, "shifts: dag 07:00-15:00 → 07:00-16:00"),
        ("runbook_due_done", True, False, "runbook_due_done true → false"),
    ],
)
def test_describe_field(name: str, old: object, new: object, text: str) -> None:
    assert describe_field(name, old, new) == text


def test_file_terms_rename_columns_and_count_order_from_one() -> None:
    assert file_terms({"wave_id": ["A", "B"], "position": [0, 1], "staff": [1, 2]}) == {"wave": ["A", "B"], "order": [1, 2], "staff": [1, 2]}
