"""`golive ticket watch`: one frame with --once, in a pipe and as JSON; live under a pseudo-terminal, left with Ctrl-C."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, assert_error


@pytest.fixture
def tickets(golive, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("GOLIVE_NOW", "2022-05-09T07:00+02:00")
    assert golive("apply", EXAMPLE).exit_code == 0
    for title, unit, category, impact, urgency, extra in [
        ("Får ikke logget inn", "trondheim/legevakt", "access", "high", "high", []),
        ("Etikettskriver [A4] skriver ikke", "trondheim/oya-helsehus", "printing", "medium", "medium", []),
        ("Feil dose i legemiddellisten", "trondheim/hjemme-heimdal", "medication", "low", "low", ["--patient-safety"]),
    ]:
        result = golive("ticket", "new", "--title", title, "--unit", unit, "--category", category, "--impact", impact,
                        "--urgency", urgency, "--description", "x", *extra)
        assert result.exit_code == 0, result.stderr


def test_once_draws_one_frame(golive, tickets) -> None:  # noqa: ANN001
    result = golive("ticket", "watch", "--once")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Support wallboard 2022-05-09 07:00 · all groups · 3 open · 0 past SLA · 1 patient safety" in out
    lines = out.splitlines()
    assert any(line.split("│")[0].strip() == "hemit" and line.split("│")[1].strip() == "1" for line in lines)  # P1 column
    assert "Etikettskriver [A4] skriver ikke" in out  # markup in a title is text, not style
    # the patient-safety panel comes first and names the ticket with its mark
    assert out.index("Patient safety") < out.index("Breaching soon") < out.index("Newest")
    assert "P2 !" in out and "Past SLA (0): none" in out


def test_a_pipe_gets_one_frame_and_json_one_document(golive, tickets) -> None:  # noqa: ANN001
    piped = golive("ticket", "watch", "--interval", "60")  # stdout is not a terminal here: one frame, no waiting
    assert piped.exit_code == 0 and "Support wallboard" in piped.stdout
    doc = golive("ticket", "watch", "--json", "--group", "hemit").json()
    assert doc["group"] == "hemit" and doc["open"] == 1 and doc["open_by_priority"]["P1"] == 1
    assert [t["title"] for t in doc["newest"]] == ["Får ikke logget inn"]
    later = golive("ticket", "watch", "--json", "--at", "2022-05-09T07:20").json()  # P1 response (15 min) has passed
    assert later["breached_total"] == 1 and later["breached"][0]["priority"] == "P1"


def test_bad_options_are_refused(golive, tickets) -> None:  # noqa: ANN001
    assert_error(golive("ticket", "watch", "--once", "--group", "hemmit"), "unknown group 'hemmit'", "hemit")
    assert golive("ticket", "watch", "--interval", "0").exit_code == 2


def _read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_ctrl_c_leaves_the_live_board_cleanly(golive, tickets, tmp_path: Path) -> None:  # noqa: ANN001
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 140, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "140", "LINES": "60"}
    proc = subprocess.Popen([sys.executable, "-c", "from rollout.cli import main; main()", "ticket", "watch", "--interval", "5"],
                            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    try:
        first = _read_until(master, "Support wallboard".encode(), timeout=30)
        assert b"Support wallboard" in first, first.decode(errors="replace")
        time.sleep(0.3)  # the frame is drawn; now the board sleeps until its next refresh
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=20)
        rest = _read_until(master, b"\x00never", timeout=1)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    output = (first + rest).decode(errors="replace")
    assert code == 0, output
    assert "Traceback" not in output and "Error" not in output, output
    assert "\x1b[?1049h" in output and output.rindex("\x1b[?1049l") > output.index("Support wallboard")  # screen restored
    assert "\x1b[?25h" in output[output.index("Support wallboard"):]  # cursor shown again
