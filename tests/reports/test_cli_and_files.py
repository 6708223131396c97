"""`golive report …` on a small scenario: stdout and -o, errors, atomic writes, and write_reports' names and pruning."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import assert_error
from tests.reports import scenario as sc

AT = "2024-04-15 06:00"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from rollout.database import Database
    from rollout.settings import load_settings

    path = tmp_path / "golive.sqlite"
    database = Database(load_settings(str(path)))
    with database.session(write=True) as session:
        sc.build(session)
    database.dispose()
    monkeypatch.setenv("GOLIVE_DB", str(path))
    return path


def test_json_to_stdout_and_to_a_file(db: Path, golive, tmp_path: Path) -> None:  # noqa: ANN001
    out = golive("report", "cutover", "vik-2024", "--at", AT, "--format", "json")
    assert out.exit_code == 0, out.stderr
    data = out.json()
    assert data["plan"] == "vik-2024" and data["as_of"] == "2024-04-15T06:00+02:00" and out.stdout.endswith("}\n")
    target = tmp_path / "r.json"
    written = golive("report", "cutover", "vik-2024", "--at", AT, "--format", "json", "-o", target)
    assert written.exit_code == 0 and written.stdout == ""
    assert target.read_text(encoding="utf-8") == out.stdout
    assert "RED: gate T-1d is NO-GO" in written.stderr
    region = golive("report", "region", "--at", AT, "-f", "json")
    assert [r["plan"] for r in region.json()["plans"]] == ["vik-2024"]


def test_bad_arguments(db: Path, golive) -> None:  # noqa: ANN001
    assert_error(golive("report", "cutover", "vik-2042", "--format", "json"), "no plan 'vik-2042'", "did you mean 'vik-2024'")
    assert_error(golive("report", "cutover", "vik-2024", "--format", "pdf"), "unknown report format 'pdf'", code=2)
    assert_error(golive("report", "cutover", "vik-2024", "--lang", "se"), "unknown report language 'se'", code=2)
    assert_error(golive("report", "region", "--format", "xml"), "unknown report format", code=2)
    assert_error(golive("report", "cutover", "vik-2024", "--at", "2024-03-31 02:30"), "--at", code=2)
    assert_error(golive("report", "region", "--at", AT, "-o", ""), "-o needs a file name", code=2)


def test_dash_is_standard_output(db: Path, golive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    dashed = golive("report", "cutover", "vik-2024", "--at", AT, "-f", "json", "-o", "-")
    plain = golive("report", "cutover", "vik-2024", "--at", AT, "-f", "json")
    assert dashed.exit_code == 0 and dashed.stdout == plain.stdout and not (tmp_path / "-").exists()


def test_a_failed_write_keeps_the_old_file_and_stores_no_snapshot(db: Path, golive, tmp_path: Path) -> None:  # noqa: ANN001
    from sqlalchemy import create_engine, text

    (tmp_path / "taken").mkdir()  # a directory where the file should go: the rename fails
    failed = golive("report", "cutover", "vik-2024", "--at", AT, "-f", "json", "-o", tmp_path / "taken")
    assert_error(failed, "cannot write")
    assert list((tmp_path / "taken").iterdir()) == [] and not list(tmp_path.glob(".taken.*"))
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM report_snapshot")).scalar_one() == 0
    engine.dispose()


def test_write_atomic_never_leaves_a_half_file(tmp_path: Path) -> None:
    from rollout.errors import GoliveError
    from reports.writer import write_atomic

    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "report.html"
    write_atomic(target, "old\n")

    def broken() -> str:
        raise RuntimeError("the template failed")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_text() == "old\n" and sorted(os.listdir(folder)) == ["report.html"]
    with pytest.raises(GoliveError, match="cannot write"):
        write_atomic(tmp_path / "missing" / "r.html", "x")
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n" and sorted(os.listdir(folder)) == ["report.html"]


def test_write_reports_names_snapshots_and_prunes(db: Path, tmp_path: Path) -> None:
    from rollout.database import Database
    from rollout.settings import load_settings
    from reports.service import write_reports

    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.json").write_text("mine")  # not a report: never pruned
    database = Database(load_settings(str(db)))
    try:
        for hours in (0, 24, 48):
            with database.session(write=True) as session:
                paths = write_reports(session, plan="vik-2024", at=sc.AT + timedelta(hours=hours), formats=["json"],
                                      folder=folder, lang=None, keep=2)
        assert [p.name for p in paths] == ["cutover-vik-2024-20240417-0600.json"]
        assert sorted(p.name for p in folder.iterdir()) == [
            "cutover-vik-2024-20240416-0600.json", "cutover-vik-2024-20240417-0600.json", "notes.json"]
        latest = json.loads(paths[0].read_text(encoding="utf-8"))
        assert latest["changes"]["baseline_as_of"] == "2024-04-16T06:00+02:00"
        with database.session(write=True) as session:
            region = write_reports(session, plan=None, at=sc.AT, formats=["json"], folder=folder, lang="en", keep=None)
        assert [p.name for p in region] == ["region-20240415-0600.json"]
    finally:
        database.dispose()
