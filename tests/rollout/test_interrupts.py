"""Ctrl-C sent to a real `golive` process: everything written and exit 0, or nothing written and exit 130.

Each run starts from a copy of the same database and gets one SIGINT after
a delay spread over the command's own run time, so some land while the file
is read, some while rows are written, some around the commit.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE

INTERRUPTED = "Error: interrupted; nothing was written"
PEOPLE = 50_000
# Python's own start-up (before any golive code runs) is not ours to handle; start after it.
FRACTIONS = (0.15, 0.4, 0.65, 0.85, 0.95, 1.05)


def golive_exe() -> str:
    beside = Path(sys.executable).parent / "golive"
    exe = str(beside) if beside.exists() else shutil.which("golive")
    assert exe, "the golive console script is not installed"
    return exe


def run(args: list[str], db: Path, *, interrupt_after: float | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GOLIVE_DB": str(db), "GOLIVE_HOME": str(db.parent / "home")}
    proc = subprocess.Popen([golive_exe(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if interrupt_after is not None:
        time.sleep(interrupt_after)
        proc.send_signal(signal.SIGINT)  # a no-op once the process has finished
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def rows(db: Path, table: str) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        known = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] if known else 0
    finally:
        conn.close()


def fresh_copy(base: Path | None, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    if base is not None:
        src = sqlite3.connect(base)
        dst = sqlite3.connect(target)
        src.backup(dst)
        dst.close()
        src.close()
    return target


def check_all_or_nothing(result: subprocess.CompletedProcess[str], *, written: int, expected: int, success: str) -> str:
    """One run's outcome: "done" or "interrupted"; anything else fails the test."""
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if result.returncode == 0:
        assert written == expected, (written, expected, result.stderr)
        assert lines and lines[-1].startswith(success), result.stderr
        return "done"
    assert result.returncode == 130, (result.returncode, result.stderr)
    assert lines == [INTERRUPTED], result.stderr
    assert written == 0, (written, result.stderr)
    return "interrupted"


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the example rollout applied, and no people yet."""
    base = tmp_path_factory.mktemp("interrupts") / "base.sqlite"
    result = run(["apply", str(EXAMPLE)], base)
    assert result.returncode == 0, result.stderr
    return base


def timed(args: list[str], db: Path) -> float:
    started = time.monotonic()
    result = run(args, db)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def test_interrupted_people_import_writes_all_or_nothing(applied: Path, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    with people.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["employee_id", "name", "unit", "role"])
        writer.writerows([f"E{i:06d}", f"Person {i}", "trondheim/legevakt", "lege"] for i in range(PEOPLE))
    db = tmp_path / "run.sqlite"
    args = ["people", "import", str(people)]
    full = timed(args, fresh_copy(applied, db))
    assert rows(db, "person") == PEOPLE
    outcomes = []
    for fraction in FRACTIONS:
        result = run(args, fresh_copy(applied, db), interrupt_after=full * fraction)
        outcomes.append(check_all_or_nothing(result, written=rows(db, "person"), expected=PEOPLE, success="Imported"))
    assert outcomes[0] == "interrupted", outcomes  # the early ones really did interrupt


def test_interrupted_apply_writes_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "run.sqlite"
    args = ["apply", str(EXAMPLE)]
    full = timed(args, fresh_copy(None, db))
    expected = rows(db, "unit")
    outcomes = []
    for fraction in (0.3, 0.6, 0.9):
        result = run(args, fresh_copy(None, db), interrupt_after=full * fraction)
        outcomes.append(check_all_or_nothing(result, written=rows(db, "unit"), expected=expected, success="Applied"))
    assert "interrupted" in outcomes, outcomes


def test_interrupted_runbook_load_writes_all_or_nothing(applied: Path, tmp_path: Path) -> None:
    db = tmp_path / "run.sqlite"
    args = ["runbook", "load", "trondheim-2022"]
    full = timed(args, fresh_copy(applied, db))
    expected = rows(db, "runbook_task")
    assert expected > 0
    outcomes = []
    for fraction in (0.3, 0.6, 0.9):
        result = run(args, fresh_copy(applied, db), interrupt_after=full * fraction)
        outcomes.append(check_all_or_nothing(result, written=rows(db, "runbook_task"), expected=expected, success="Loaded"))
    assert "interrupted" in outcomes, outcomes
