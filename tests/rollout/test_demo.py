"""`golive demo`: the Trondheim story in a fresh database."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import assert_error


def test_demo_builds_the_scenario_and_can_be_rerun(golive, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "demo"
    result = golive("demo", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "Trondheim kommune" in result.stdout and "9 035 staff" in result.stdout
    assert "trondheim-2022   go-live 2022-05-07 06:00\n" in result.stdout
    assert "stolav-2022      go-live 2022-11-12 03:00\n" in result.stdout
    assert "gate T-7d          due 2022-04-30 06:00\n" in result.stdout
    hints = [x.strip() for x in result.stdout.splitlines() if "scheduler run --once" in x]
    assert hints == ["GOLIVE_NOW=2022-05-06T14:07+02:00 golive scheduler run --once"]  # the story's clock, not today's
    db = out / "golive.sqlite"
    plans = golive("--db", db, "plan", "list", "--json").json()
    assert [(p["key"], p["go_live"]) for p in plans] == [
        ("trondheim-2022", "2022-05-07T06:00+02:00"),
        ("stolav-2022", "2022-11-12T03:00+01:00"),
        ("levanger-2023", "2023-02-11T06:00+01:00"),
        ("verdal-2023", "2023-02-11T06:00+01:00"),
    ]
    partners = [o["key"] for o in golive("--db", db, "org", "list", "--json").json() if o["kind"] == "partner"]
    assert sorted(partners) == ["helseplattformen", "hemit", "nhn"]
    first = golive("--db", db, "info", "--json").json()["counts"]
    assert golive("demo", "--out", out).exit_code == 0  # a previous demo is replaced, not doubled
    assert golive("--db", db, "info", "--json").json()["counts"] == first


def test_demo_refuses_a_directory_that_is_not_a_demo(golive, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "important.txt").write_text("keep me")
    assert_error(golive("demo", "--out", tmp_path), "not empty")
    assert (tmp_path / "important.txt").read_text() == "keep me"
