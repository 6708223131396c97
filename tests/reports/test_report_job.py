"""The scheduler's `report` job: files written atomically, recipients told once, even when killed mid-job."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, assert_error
from tests.rollout.scheduler.conftest import smtp  # noqa: F401 - the SMTP server fixture
from tests.rollout.scheduler.test_processes import env_for, golive_exe, start, wait_for


def test_report_job_parameters_are_checked_at_add(golive, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    assert golive("apply", EXAMPLE).exit_code == 0
    assert_error(golive("scheduler", "add", "r", "--job", "report", "--every", "1h", "--param", "formats=json,pdf"),
                 "'pdf' is not a report format here")
    assert_error(golive("scheduler", "add", "r", "--job", "report", "--every", "1h", "--param", "keep=all"), "not a whole number")
    assert_error(golive("scheduler", "add", "r", "--job", "report", "--every", "1h", "--param", "plan=trondheim"),
                 "did you mean 'trondheim-2022'")


def test_region_report_job_writes_beside_the_database(tmp_path: Path, golive, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GOLIVE_DB", str(tmp_path / "golive.sqlite"))
    assert golive("apply", EXAMPLE).exit_code == 0
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-09T07:00+02:00")
    assert golive("scheduler", "add", "region", "--job", "report", "--cron", "0 7 * * 1", "--param", "formats=json").exit_code == 0
    run = golive("scheduler", "run-now", "region", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["outcome"] == "ok"
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["region-20220509-0700.json"]


def test_keep_and_folder_are_checked_at_add(tmp_path: Path, golive) -> None:  # noqa: ANN001
    assert golive("apply", EXAMPLE).exit_code == 0
    add = ("scheduler", "add", "r", "--job", "report", "--every", "1d")
    assert_error(golive(*add, "--param", "keep=0"), "keep must be 1 or more")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert_error(golive(*add, "--param", f"folder={blocker}/sub"), f"{blocker} is not a folder")
    assert golive("scheduler", "list", "--json").json()["jobs"] == []
    assert golive(*add, "--param", f"folder={tmp_path}/new/sub", "--param", "keep=1").exit_code == 0


def test_a_report_run_that_cannot_write_fails_with_one_readable_line(tmp_path: Path, golive, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GOLIVE_DB", str(tmp_path / "golive.sqlite"))
    assert golive("apply", EXAMPLE).exit_code == 0
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-09T07:00+02:00")
    folder = tmp_path / "out"
    assert golive("scheduler", "add", "region", "--job", "report", "--every", "1d", "--param", "formats=json",
                  "--param", f"folder={folder}").exit_code == 0
    ok = golive("scheduler", "run-now", "region")
    assert ok.exit_code == 0, ok.stderr
    assert str(folder / "region-20220509-0700.json") in ok.stderr  # the full path, not only the file name
    import shutil

    shutil.rmtree(folder)
    folder.write_text("not a folder any more")
    run = golive("scheduler", "run-now", "region", "--json")
    assert run.exit_code == 1
    assert run.json()["error"].startswith(f"cannot write reports in {folder}: ")
    assert "Errno" not in run.json()["error"]


def test_kill_9_mid_report_then_restart_leaves_whole_files_and_sends_once(tmp_path: Path, smtp) -> None:  # noqa: ANN001
    env = env_for(str(tmp_path / "golive.sqlite"), tmp_path, **smtp.env())
    env["GOLIVE_NOW"] = "2022-05-09T07:02+02:00"
    for args in (["apply", str(EXAMPLE)],
                 ["scheduler", "add", "morning", "--job", "report", "--cron", "0 7 * * *", "--param", "plan=trondheim-2022",
                  "--param", "formats=json", "--param", "folder=out", "--param", "keep=3"]):
        done = subprocess.run([golive_exe(), *args], capture_output=True, text=True, env={**env, "GOLIVE_NOW": "2022-05-09T06:00+02:00"})
        assert done.returncode == 0, done.stderr
    marker = tmp_path / "in-the-middle"
    first = start({**env, "GOLIVE_SCHEDULER_TEST_HOLD": str(marker)}, "--sync", "1")
    wait_for(marker.exists, "the report job to reach its middle", first)
    first.kill()
    first.wait(timeout=30)
    out = tmp_path / "out"
    assert smtp.received() == []
    assert not [p for p in out.iterdir() if p.suffix == ".tmp" or p.name.startswith(".")]  # no half-written file
    second = subprocess.run([golive_exe(), "scheduler", "run", "--once"], capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0, second.stderr
    runs = json.loads(subprocess.run([golive_exe(), "scheduler", "history", "--json"], capture_output=True, text=True,
                                     env=env).stdout)["runs"]
    assert [(r["attempt"], r["outcome"]) for r in runs] == [(2, "ok")]
    assert sorted(p.name for p in out.iterdir()) == ["cutover-trondheim-2022-20220509-0700.json"]
    json.loads((out / "cutover-trondheim-2022-20220509-0700.json").read_text())  # whole, parseable
    received = smtp.received()
    # the example file sends the report to the contacts keys kommune and trondheim: one message each, once
    assert sorted(to for to, _ in received) == ["beredskap@trondheim.kommune.example", "prosjektleder@trondheim.kommune.example"]
    third = subprocess.run([golive_exe(), "scheduler", "run", "--once"], capture_output=True, text=True, env=env, timeout=120)
    assert third.returncode == 0 and smtp.received() == received
