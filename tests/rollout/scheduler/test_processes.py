"""Real scheduler processes: one per database on both backends, SIGTERM stops cleanly, kill -9 mid-job loses nothing and sends nothing twice."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE

NOW = "2022-05-06T14:07+02:00"


def golive_exe() -> str:
    beside = Path(sys.executable).parent / "golive"
    exe = str(beside) if beside.exists() else shutil.which("golive")
    assert exe, "the golive console script is not installed"
    return exe


def env_for(db: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "GOLIVE_DB": db, "GOLIVE_HOME": str(tmp_path / "home"), "GOLIVE_NOW": NOW, **extra}


def start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([golive_exe(), "scheduler", "run", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def wait_for(predicate, what: str, proc: subprocess.Popen[str] | None = None, timeout: float = 60) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the scheduler ended before {what}: {proc.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_second_scheduler_refuses_and_sigterm_stops_the_first(db_url: str, tmp_path: Path) -> None:
    env = env_for(db_url, tmp_path)
    log = tmp_path / "first.err"
    with log.open("w") as err:
        first = subprocess.Popen([golive_exe(), "scheduler", "run", "--sync", "1"], stdout=subprocess.PIPE, stderr=err,
                                 text=True, env=env)
    try:
        wait_for(lambda: "Scheduler started" in log.read_text(), "the first scheduler to start", first)
        second = subprocess.run([golive_exe(), "scheduler", "run", "--once"], capture_output=True, text=True, env=env, timeout=60)
        assert second.returncode == 1
        lines = [ln for ln in second.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("Error: a scheduler is already running"), second.stderr
        # managing jobs works meanwhile, without a second scheduler; the running one picks the job up at its next sync
        # (added as of 14:00, so the 14:05 sweep is due for the scheduler's clock at 14:07)
        added = subprocess.run([golive_exe(), "scheduler", "add", "sweep", "--job", "sla-sweep", "--every", "5m"],
                               capture_output=True, text=True, env={**env, "GOLIVE_NOW": "2022-05-06T14:00+02:00"}, timeout=60)
        assert added.returncode == 0, added.stderr
        wait_for(lambda: "sweep (run 1): ok" in log.read_text(), "the new job's first run", first)
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=60)
    assert first.returncode == 0, log.read_text()
    assert "Scheduler stopped" in log.read_text() and "Traceback" not in log.read_text()
    # the lock went with it
    again = subprocess.run([golive_exe(), "scheduler", "run", "--once"], capture_output=True, text=True, env=env, timeout=60)
    assert again.returncode == 0, again.stderr


def test_kill_9_mid_job_then_restart_loses_nothing_and_sends_nothing_twice(db_url: str, tmp_path: Path, smtp) -> None:  # noqa: ANN001
    env = env_for(db_url, tmp_path, **smtp.env())
    setup = [["apply", str(EXAMPLE)],
             ["scheduler", "add", "roster", "--job", "roster-check", "--every", "5m", "--param", "plan=trondheim-2022"]]
    for args in setup:
        done = subprocess.run([golive_exe(), *args], capture_output=True, text=True, env={**env, "GOLIVE_NOW": "2022-05-06T14:00+02:00"})
        assert done.returncode == 0, done.stderr
    marker = tmp_path / "in-the-middle"
    first = start({**env, "GOLIVE_SCHEDULER_TEST_HOLD": str(marker)}, "--sync", "1")
    wait_for(marker.exists, "the job to reach its middle", first)
    first.kill()  # kill -9: no clean-up of any kind
    first.wait(timeout=30)
    assert smtp.received() == []  # nothing was committed, so nothing was sent
    history = subprocess.run([golive_exe(), "scheduler", "history", "--json"], capture_output=True, text=True, env=env)
    import json

    [open_run] = json.loads(history.stdout)["runs"]
    assert (open_run["outcome"], open_run["ended_at"]) == ("running", None)
    # restart: the interrupted run is run again (same id), its messages go out once
    second = subprocess.run([golive_exe(), "scheduler", "run", "--once"], capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0, second.stderr
    runs = json.loads(subprocess.run([golive_exe(), "scheduler", "history", "--json"], capture_output=True, text=True,
                                     env=env).stdout)["runs"]
    assert [(r["id"], r["attempt"], r["outcome"]) for r in runs] == [(open_run["id"], 2, "ok")]
    received = smtp.received()
    assert received and len(received) == len(set(received)) == runs[0]["notified"]
    # and once more: nothing new is due, nothing is sent again
    third = subprocess.run([golive_exe(), "scheduler", "run", "--once"], capture_output=True, text=True, env=env, timeout=120)
    assert third.returncode == 0 and "Nothing due" in third.stderr
    assert smtp.received() == received


def test_sigterm_mid_job_finishes_that_job_then_stops(tmp_path: Path) -> None:
    db = str(tmp_path / "golive.sqlite")
    env = env_for(db, tmp_path)
    for args in (["apply", str(EXAMPLE)], ["scheduler", "add", "sweep", "--job", "sla-sweep", "--every", "5m"],
                 ["scheduler", "add", "tweep", "--job", "sla-sweep", "--every", "5m"]):
        done = subprocess.run([golive_exe(), *args], capture_output=True, text=True, env={**env, "GOLIVE_NOW": "2022-05-06T14:00+02:00"})
        assert done.returncode == 0, done.stderr
    marker = tmp_path / "in-the-middle"
    proc = start({**env, "GOLIVE_SCHEDULER_TEST_HOLD": str(marker)}, "--sync", "1")
    wait_for(marker.exists, "the first job to reach its middle", proc)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    marker.unlink()  # let the job in flight go on
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "sweep (run 1): ok" in err and "Scheduler stopped" in err
    import json

    runs = json.loads(subprocess.run([golive_exe(), "scheduler", "history", "--json"], capture_output=True, text=True,
                                     env=env).stdout)["runs"]
    # the job in flight finished; the one claimed behind it was released (not left "running"), and the next start runs it
    assert {(r["job"], r["outcome"]) for r in runs} == {("sweep", "ok")}
    again = subprocess.run([golive_exe(), "scheduler", "run", "--once"], capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0 and "tweep (run " in again.stderr, again.stderr
    runs = json.loads(subprocess.run([golive_exe(), "scheduler", "history", "tweep", "--json"], capture_output=True, text=True,
                                     env=env).stdout)["runs"]
    assert [(r["outcome"], r["attempt"]) for r in runs] == [("ok", 1)]
