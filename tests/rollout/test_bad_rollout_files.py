"""Broken rollout files: one `Error:` line naming file and line, exit 1, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_error
from tests.rollout.samples import ISSUE_EXAMPLE


def nothing_written(golive) -> None:  # noqa: ANN001
    result = golive("info", "--json")
    if result.exit_code != 0:  # a refused first apply does not even create the database
        assert "no database at" in result.stderr, result.stderr
        return
    counts = result.json()["counts"]
    assert all(v == 0 for v in counts.values()), counts


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def check(golive, rollout_file, text: str, *fragments: str, encoding: str = "utf-8") -> None:  # noqa: ANN001
    path = rollout_file(text, encoding=encoding)
    assert_error(golive("apply", path), str(path), *fragments)
    nothing_written(golive)


def test_yaml_syntax_error_names_the_line(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("        staff: 140", "        staff: [140")
    check(golive, rollout_file, text, "YAML syntax error")
    # Reported where the parser notices (the next line), naming where the list began.
    result = golive("apply", rollout_file(text))
    assert f":{line_of(text, 'plans:')}:" in result.stderr
    assert f"starts on line {line_of(text, 'staff: [140')}" in result.stderr


def test_empty_file(golive, rollout_file) -> None:  # noqa: ANN001
    check(golive, rollout_file, "", "empty")
    check(golive, rollout_file, "# only a comment\n\n", "empty")


def test_not_utf8(golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("Opplæring", "Opplæring")
    check(golive, rollout_file, text, "not UTF-8", f":{line_of(text, 'Opplæring')}:", encoding="latin-1")


def test_missing_file(golive, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert_error(golive("apply", missing), str(missing), "no such file")


def test_unknown_key_with_suggestion(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("    name: Trondheim kommune", "    nmae: Trondheim kommune")
    check(golive, rollout_file, text, f":{line_of(text, 'nmae')}:", "unknown key 'nmae'", "did you mean 'name'?")


def test_unknown_top_level_key(golive, rollout_file) -> None:  # noqa: ANN001
    check(golive, rollout_file, "organisation: []\n", ":1:", "unknown key 'organisation'", "did you mean 'organisations'?")


def test_duplicate_organisation_key(golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("plans:", "  - {key: trondheim, name: Igjen, kind: municipality}\nplans:")
    check(golive, rollout_file, text, f":{line_of(text, 'Igjen')}:", "organisation 'trondheim' is declared twice", "first on line 2")


def test_duplicate_unit_key(golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("plans:", "      - {key: legevakt, name: Igjen}\nplans:")
    check(golive, rollout_file, text, f":{line_of(text, 'Igjen')}:", "unit 'legevakt' is declared twice")


def test_duplicate_yaml_key_in_one_mapping(golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("        staff: 140", "        staff: 140\n        staff: 150")
    check(golive, rollout_file, text, f":{line_of(text, 'staff: 150')}:", "'staff' appears twice")


def test_wave_names_a_unit_its_organisation_lacks(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("units: [legevakt]", "units: [legevakta]")
    check(golive, rollout_file, text, f":{line_of(text, 'legevakta')}:", "unit 'legevakta'", "did you mean 'legevakt'?")


def test_org_number_failing_its_check_digit(golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace('"942110464"', '"942110465"')
    check(golive, rollout_file, text, f":{line_of(text, 'org_number')}:", "mod-11 check digit")
    short = ISSUE_EXAMPLE.replace('"942110464"', '"94211046"')
    check(golive, rollout_file, short, "must be 9 digits")


def test_go_live_before_cutover_start(golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("cutover_start: 2022-05-05T08:00", "cutover_start: 2022-05-08T08:00")
    check(golive, rollout_file, text, f":{line_of(text, '    go_live:')}:", "is not after cutover_start")


def test_local_time_that_does_not_exist(golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("cutover_start: 2022-05-05T08:00", "cutover_start: 2026-03-29T02:30").replace(
        "go_live: 2022-05-07T06:00\n", "go_live: 2026-03-30T06:00\n"
    )
    check(golive, rollout_file, text, f":{line_of(text, 'cutover_start')}:", "does not exist")


def test_local_time_that_happens_twice_without_offset(golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("{name: Bølge 1, go_live: 2022-05-07T06:00", "{name: Bølge 1, go_live: 2022-10-30T02:30")
    check(golive, rollout_file, text, f":{line_of(text, 'Bølge 1, go_live')}:", "happens twice", "+02:00", "+01:00")


def test_unknown_criterion(golive, rollout_file) -> None:  # noqa: ANN001
    text = ISSUE_EXAMPLE.replace("staffing_min: 1.2", "staffing_minimum: 1.2")
    check(golive, rollout_file, text, f":{line_of(text, 'staffing_minimum')}:", "unknown criterion 'staffing_minimum'", "did you mean 'staffing_min'?")


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("training_min: 0.9", "training_min: 90", "between 0 and 1"),
        ("open_p1_max: 0", "open_p1_max: -1", "open_p1_max"),
        ("runbook_due_done: true", "runbook_due_done: maybe", "true or false"),
        ("at: T-7d", "at: T-7x", "offset 'T-7x'"),
        ("kind: municipality", "kind: kommune", "kind 'kommune'"),
        ('hours: "24/7"', "hours: always", "hours 'always'"),
        ("staff: 140", "staff: many", "whole number"),
        ("key: legevakt", "key: Legevakt", "lower-case"),
        ("timezone: Europe/Oslo", "timezone: Europe/Trondheim", "unknown time zone"),
        ("wave: Bølge 1", "wave: Bølge 2", "wave 'Bølge 2'"),
        ("end: 2022-05-04}", "end: 2022-03-01}", "ends"),
        ("hypercare_until: 2022-06-03", "hypercare_until: 2022-05-01", "before go-live"),
        ("go_live: 2022-05-07T06:00\n", "go_live: 7. mai\n", "is not a time"),
    ],
)
def test_invalid_values(golive, rollout_file, old: str, new: str, fragment: str) -> None:  # noqa: ANN001
    assert old in ISSUE_EXAMPLE
    text = ISSUE_EXAMPLE.replace(old, new, 1)
    check(golive, rollout_file, text, f":{line_of(text, new.strip().splitlines()[0])}:", fragment)


def test_python_tag_is_refused_and_never_executed(golive, rollout_file, tmp_path: Path) -> None:  # noqa: ANN001
    marker = tmp_path / "executed"
    text = f'organisations: !!python/object/apply:os.system ["touch {marker}"]\n'
    check(golive, rollout_file, text, ":1:", "not allowed")
    assert not marker.exists()


def test_unreachable_database_is_one_clear_line(golive, rollout_file) -> None:  # noqa: ANN001
    path = rollout_file(ISSUE_EXAMPLE)
    result = golive("--db", "postgresql://golive:secret@127.0.0.1:1/golive", "apply", path)
    assert_error(result, "cannot open database postgresql://golive:***@127.0.0.1:1/golive")
    assert "secret" not in result.stderr


def test_plan_for_unknown_organisation(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    text = "plans:" + ISSUE_EXAMPLE.split("plans:")[1]
    check(golive, rollout_file, text, f":{line_of(text, 'organisation: trondheim')}:", "organisation 'trondheim' is not declared")


def test_a_typo_in_a_zone_name_gets_the_real_one(golive, rollout_file) -> None:  # noqa: ANN001
    from tests.conftest import assert_error

    text = "plans:\n  - key: x\n    organisation: o\n    name: X\n    timezone: Europe/Olso\n    cutover_start: 2022-05-05T08:00\n    go_live: 2022-05-07T06:00\n"
    assert_error(golive("apply", rollout_file(text)), ":5:", "unknown time zone 'Europe/Olso' (did you mean 'Europe/Oslo'?)")
    far = text.replace("Europe/Olso", "Mars/Olympus")
    result = golive("apply", rollout_file(far))
    assert "did you mean" not in result.stderr  # no guess for a name that is nothing like a zone


def test_a_bad_unit_number_names_the_unit_not_the_field(golive, rollout_file) -> None:  # noqa: ANN001
    from tests.conftest import assert_error

    text = "organisations:\n  - key: o\n    name: O\n    kind: municipality\n    units:\n      - {key: u, name: U, staff: -1}\n"
    assert_error(golive("apply", rollout_file(text)), ":6:", "unit o/u: staff must be at least 0, not -1")
