"""Long imports show a progress bar on a terminal's stderr, and nothing extra in a pipe or with --json."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.rollout.readiness import scenario as sc


def _people(tmp_path: Path, rows: int) -> Path:
    lines = ["employee_id;name;unit;role"] + [f"P{n:05d};Person {n};testby/legevakt;sykepleier" for n in range(rows)]
    return sc.write(tmp_path, "mange.csv", "\n".join(lines) + "\n")


def _on_a_terminal(args: list[str]) -> tuple[int, str]:
    """Run golive with stderr on a pseudo-terminal; its exit code and everything written there."""
    import pty

    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="100")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "rollout", *args], stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.stdout.read()  # type: ignore[union-attr]
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def test_pipe_gets_only_the_summary_line(db_url: str, golive, tmp_path: Path) -> None:  # noqa: ANN001
    assert golive("apply", sc.write(tmp_path, "testby.yaml", sc.ROLLOUT)).exit_code == 0
    result = golive("people", "import", _people(tmp_path, 9000))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"Imported {tmp_path / 'mange.csv'}: 9000 created, 0 updated, 0 unchanged."]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_terminal_gets_a_progress_bar_but_not_with_json(db_url: str, golive, tmp_path: Path) -> None:  # noqa: ANN001
    assert golive("apply", sc.write(tmp_path, "testby.yaml", sc.ROLLOUT)).exit_code == 0
    path = _people(tmp_path, 9000)
    code, shown = _on_a_terminal(["--db", db_url, "people", "import", str(path), "--dry-run"])
    assert code == 0
    assert "checking mange.csv" in shown and "9000/9000" in shown
    code, shown = _on_a_terminal(["--db", db_url, "people", "import", str(path), "--json"])
    assert code == 0
    assert "checking" not in shown and shown.strip() == ""
