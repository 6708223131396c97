"""Unseen rollout files: an independent file read back as hand-computed JSON, and hostile or odd files
(over-long values, deep nesting, CRLF, UTF-16, a directory), each on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_error
from tests.rollout.samples import ISSUE_EXAMPLE

BERGEN = Path(__file__).with_name("bergen-2026.yaml")


def counts(golive) -> dict[str, int]:  # noqa: ANN001
    return golive("info", "--json").json()["counts"]


def test_unseen_file_reads_back_as_hand_computed(db_url, golive) -> None:  # noqa: ANN001
    assert golive("apply", BERGEN).exit_code == 0
    assert "Nothing changed" in golive("apply", BERGEN).stderr
    orgs = golive("org", "list", "--json").json()
    assert [(o["key"], o["kind"], o["org_number"], o["units"], o["staff"]) for o in orgs] == [
        ("bergen", "municipality", "964338531", 3, 230),
        ("haukeland", "hospital", "983974724", 2, 345),
        ("sentrum-lege", "gp_office", None, 1, 12),
    ]
    # A unit key may repeat across organisations.
    assert [u["unit"] for u in golive("unit", "list", "--json").json()] == [
        "bergen/helsestasjon", "bergen/legevakt", "bergen/sykehjem-a",
        "haukeland/akutt", "haukeland/legevakt", "sentrum-lege/kontor",
    ]
    plans = golive("plan", "list", "--json").json()
    assert [(p["key"], p["cutover_start"], p["go_live"], p["hypercare_until"]) for p in plans] == [
        ("bergen-2026", "2026-03-27T16:00+01:00", "2026-03-29T06:00+02:00", "2026-04-26"),  # default: +28 days
        ("sentrum-2026", "2026-06-01T08:00+02:00", "2026-06-02T08:00+02:00", "2026-06-30"),
        ("haukeland-2026", "2026-10-24T18:00+02:00", "2026-10-25T06:00+01:00", "2026-11-22"),
    ]

    spring = golive("plan", "show", "bergen-2026", "--at", "2026-03-28T12:00", "--json").json()
    assert {g["key"]: g["due"] for g in spring["gates"]} == {
        "T-1d": "2026-03-28T06:00+01:00",
        "T-24h": "2026-03-28T05:00+01:00",
        "T-90m": "2026-03-29T04:30+02:00",
        "T+2d": "2026-03-31T06:00+02:00",
        "T-1d12h": "2026-03-27T18:00+01:00",  # a calendar day back, then 12 elapsed hours
        "w2": "2026-04-04T06:00+02:00",
        "natt": "2026-03-29T03:30+02:00",  # T-1d of 02:30 lands in the gap: skipped forward
        "abs": "2026-03-29T01:30+01:00",
        "zulu": "2026-03-29T00:00+01:00",
        "explicit": "2026-03-29T03:30+02:00",
    }
    assert [(w["name"], w["go_live"], w["units"]) for w in spring["waves"]] == [
        ("Bølge 1", "2026-03-29T06:00+02:00", ["helsestasjon", "legevakt"]),
        ("Bølge 2", "2026-04-11T06:00+02:00", ["sykehjem-a"]),
        ("Natt", "2026-03-30T02:30+02:00", []),
    ]
    # 11:00 UTC to 04:00 UTC next day: 17 h although the wall clock says 18 h.
    assert (spring["stage"], spring["current_phase"], spring["countdown"]["minutes"], spring["next_gate"]["key"]) == (
        "cutover", "Cutover", 17 * 60, "zulu")

    autumn = golive("plan", "show", "haukeland-2026", "--at", "2026-10-24T12:00", "--json").json()
    assert {g["key"]: g["due"] for g in autumn["gates"]} == {
        "T-1d": "2026-10-24T06:00+02:00",
        "T-24h": "2026-10-24T07:00+02:00",
        "T-90m": "2026-10-25T04:30+01:00",
        "T-4h": "2026-10-25T02:00+01:00",
        "T-5h": "2026-10-25T02:00+02:00",
        "T-1d12h": "2026-10-23T18:00+02:00",
        "T+2d": "2026-10-27T06:00+01:00",
        "explicit": "2026-10-25T02:30+01:00",
        "akutt": "2026-10-25T03:00+01:00",
        "sen": "2026-10-25T02:30+02:00",  # T-1d of 02:30 lands in the overlap: the first one
    }
    # 10:00 UTC to 05:00 UTC next day: 19 h although the wall clock says 18 h.
    assert (autumn["stage"], autumn["current_phase"], autumn["countdown"]["minutes"], autumn["next_gate"]["key"]) == (
        "preparation", "Cutover", 19 * 60, "T-5h")
    night = golive("plan", "show", "haukeland-2026", "--at", "2026-10-25T02:30+01:00", "--json").json()
    assert (night["stage"], night["countdown"]["minutes"], night["next_gate"]["key"]) == ("cutover", 210, "akutt")
    last = golive("plan", "show", "haukeland-2026", "--at", "2026-11-22T23:59", "--json").json()
    assert (last["stage"], last["countdown"]["minutes"]) == ("hypercare", -(28 * 24 * 60 + 17 * 60 + 59))
    after = golive("plan", "show", "haukeland-2026", "--at", "2026-11-23T00:00", "--json").json()
    assert (after["stage"], after["next_gate"]) == ("line operations", None)


def test_prune_keeps_the_organisation_of_a_plan_in_the_file(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    assert golive("apply", BERGEN).exit_code == 0
    text = """\
organisations:
  - {key: newpartner, name: Ny partner, kind: partner}
plans:
  - key: extra
    organisation: bergen
    name: Extra
    cutover_start: 2026-05-01T08:00
    go_live: 2026-05-02T08:00
    waves:
      - {name: W, units: [legevakt]}
"""
    result = golive("apply", rollout_file(text), "--prune", "--json")
    assert result.exit_code == 0, result.stderr
    deleted = {(c["entity"], c["key"]) for c in result.json()["changes"] if c["action"] == "delete"}
    assert ("organisation", "bergen") not in deleted
    assert [p["key"] for p in golive("plan", "list", "--json").json()] == ["extra"]
    assert [o["key"] for o in golive("org", "list", "--json").json()] == ["bergen", "newpartner"]
    assert golive("plan", "show", "extra", "--json").json()["waves"][0]["units"] == ["legevakt"]


LONG = "x" * 500


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("    name: Trondheim kommune", f"    name: {LONG}", "at most 200"),
        ("        service: legevakt", f"        service: {LONG}", "at most 100"),
        ("playbook: municipality-cutover", f"playbook: {LONG}", "at most 200"),
        ("{name: Opplæring,", f"{{name: {LONG},", "at most 100"),
        ("{name: Bølge 1,", f"{{name: {LONG},", "at most 100"),
        ("      - key: T-7d", f"      - key: T{LONG}", "at most 64"),
        ("  - key: trondheim\n", f"  - key: t{LONG}\n", "at most 64"),
        ("staff: 140", "staff: 99999999999999999999999", "at most 2147483647"),
    ],
    ids=["org-name", "service", "playbook", "phase-name", "wave-name", "gate-key", "org-key", "staff"],
)
def test_too_long_or_too_big_values_are_refused_on_both_backends(db_url, golive, rollout_file, old, new, fragment) -> None:  # noqa: ANN001
    assert old in ISSUE_EXAMPLE
    text = ISSUE_EXAMPLE.replace(old, new, 1)
    path = rollout_file(text)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if new.strip()[:12] in s)
    assert_error(golive("apply", path), f"{path}:{line}:", fragment)
    assert all(v == 0 for v in counts(golive).values())


def test_deeply_nested_yaml_is_one_error_line(golive, rollout_file) -> None:  # noqa: ANN001
    path = rollout_file("organisations: " + "[" * 5000 + "]" * 5000 + "\n")
    assert_error(golive("apply", path), str(path), "nested too deeply")


def test_windows_line_endings_apply(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    path = rollout_file(ISSUE_EXAMPLE.replace("\n", "\r\n"))
    assert golive("apply", path).exit_code == 0
    assert counts(golive)["gate"] == 1


def test_utf16_file_and_directory_are_refused(golive, rollout_file, tmp_path: Path) -> None:  # noqa: ANN001
    path = rollout_file(ISSUE_EXAMPLE, encoding="utf-16")
    assert_error(golive("apply", path), f"{path}:1:", "not UTF-8")
    assert_error(golive("apply", tmp_path), str(tmp_path), "is a directory")


def test_overlong_actor_is_refused(db_url, golive, rollout_file) -> None:  # noqa: ANN001
    assert_error(golive("apply", rollout_file(ISSUE_EXAMPLE), "--as", "x" * 300), "--as", "at most 200")
    assert all(v == 0 for v in counts(golive).values())


def test_unexpected_errors_are_one_line(golive, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import rollout.cli.admin as admin

    assert golive("db", "upgrade").exit_code == 0

    def boom(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("first line\nsecond line\n[SQL: ...]")

    monkeypatch.setattr(admin, "console", boom)
    result = golive("info")
    assert_error(result, "internal error (RuntimeError: first line)")


def test_memory_setting_is_not_a_file_in_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rollout.settings import load_settings

    monkeypatch.chdir(tmp_path)
    settings = load_settings(":memory:")
    assert settings.database_url == "sqlite:///:memory:"
    assert settings.sqlite_path is None
