"""Tables at 80 columns and in a pipe: keys, statuses and times never wrap; free text does; a pipe keeps one row per item."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests.conftest import REPO

ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")
TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
COMMANDS = [
    ("runbook", "show", "trondheim-2022", "--at", "2022-05-06T14:00"),
    ("plan", "list"),
    ("unit", "list"),
]


def in_terminal(args: list[str], columns: int = 80, *, code: int = 0) -> str:
    """Run golive with stdout a real terminal `columns` wide; the text it drew."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = dict(os.environ, COLUMNS=str(columns), NO_COLOR="1", TERM="xterm")
    proc = subprocess.Popen([sys.executable, "-m", "rollout", *args], stdout=slave, stderr=subprocess.PIPE, cwd=REPO, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait() == code, proc.stderr.read().decode() if proc.stderr else ""
    os.close(master)
    return ANSI.sub("", b"".join(chunks).decode()).replace("\r\n", "\n")


def in_pipe(args: list[str], columns: int = 80) -> str:
    env = dict(os.environ, COLUMNS=str(columns))
    done = subprocess.run([sys.executable, "-m", "rollout", *args], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables-demo")
    subprocess.run([sys.executable, "-m", "rollout", "demo", "--out", str(out)], cwd=REPO, check=True, capture_output=True)
    return out / "golive.sqlite"


def whole_values(db: Path, args: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(keys, statuses) as the JSON has them whole."""
    import json

    data = json.loads(in_pipe(["--db", str(db), *args, "--json"]))
    if args[0] == "runbook":
        return [t["key"] for t in data["tasks"]], [t["status"] for t in data["tasks"]]
    return [r["key"] if args[0] == "plan" else r["unit"] for r in data], []


def cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"[│┃]", line)]


@pytest.mark.slow
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_at_80_columns_keys_statuses_and_times_never_break(demo_db: Path, args: tuple[str, ...]) -> None:
    text = in_terminal(["--db", str(demo_db), *args])
    assert all(len(line.rstrip()) <= 80 for line in text.splitlines()), max(text.splitlines(), key=len)
    lines = text.split("\n\n")[0].splitlines()  # the first table (runbook show then has one per stream)
    keys, statuses = whole_values(demo_db, args)
    rows = [cells(line) for line in lines if "│" in line]
    first = [r[0] for r in rows if r[0]]
    # every key starts a row, whole or shortened with an ellipsis, and never continues on the next line
    for key in keys:
        assert any(c.removesuffix(" ★") == key or (c.endswith("…") and key.startswith(c[:-1])) for c in first), key
    assert all(c.removesuffix(" ★") in keys or c.endswith("…") for c in first), first  # no key spills onto a second line
    for status in set(statuses):
        assert any(status in r for row in rows for r in row), status
    for row in rows:
        for c in row:
            assert not re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{1,2}:?\d?", c), row  # a time cut in pieces
    if args[0] != "unit":
        assert any(TIME.search(line) for line in lines)
    for line in (t for t in text.splitlines() if "│" not in t):  # nor does a line of text end in half a time
        assert not re.search(r"\d{4}-\d{2}-\d{2}$", line.rstrip()), line


@pytest.mark.slow
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_in_a_pipe_every_item_stays_on_one_line(demo_db: Path, args: tuple[str, ...]) -> None:
    text = in_pipe(["--db", str(demo_db), *args], columns=80)
    keys, _ = whole_values(demo_db, args)
    lines = [line for line in text.splitlines() if "│" in line]
    first = [cells(line)[0].removesuffix(" ★") for line in lines]
    for key in keys:
        assert key in first, key
    assert all(cells(line)[0] for line in lines)  # no continuation lines: one row per item
    assert all("…" not in line for line in lines)
    assert "not shown" not in text


def render(table: object, width: int) -> str:
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=width, highlight=False).print(table)
    return out.getvalue()


def test_free_text_wraps_and_keys_are_shortened_with_an_ellipsis() -> None:
    from rollout.cli.output import Column, table

    t = table("T", [Column("key", shorten=True), "title", "at"], [["a-rather-long-task-key-here", "Some long free text " * 4, "2022-05-07 06:00"]])
    text = render(t, 50)
    assert "2022-05-07 06:00" in text and all(len(line.rstrip()) <= 50 for line in text.splitlines())
    assert len([line for line in text.splitlines() if "│" in line]) > 1  # the title wrapped onto more lines
    wide = render(t, 200)
    assert "a-rather-long-task-key-here" in wide and len([line for line in wide.splitlines() if "│" in line]) == 1


def test_columns_that_do_not_fit_are_dropped_and_named() -> None:
    from rollout.cli.output import Column, table

    t = table(None, ["key", Column("first", drop=2), Column("second", drop=1), "at"], [["k", "x" * 30, "y" * 30, "2022-05-07 06:00"]])
    text = render(t, 60)
    assert "y" * 30 in text and "x" * 30 not in text and "not shown at 60 columns: first" in text
    assert "not shown" not in render(t, 120)


def test_plain_string_columns_named_like_free_text_wrap() -> None:
    from rollout.cli.output import column

    assert column("name").wrap and column("note").wrap and not column("unit").wrap and not column("status").wrap
