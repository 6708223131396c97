"""The README's tour, word for word: every command of its tour blocks succeeds on a fresh demo, in order."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

README = REPO / "README.md"
MARKER = "<!-- tour -->"
EXIT_NOTE = re.compile(r"#.*\bexit code (\d+)")


def tour_blocks(text: str) -> list[list[str]]:
    """The command lines of each ```sh block right after a `<!-- tour -->` line."""
    blocks: list[list[str]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() != MARKER:
            continue
        assert lines[i + 1].strip() == "```sh", f"README.md:{i + 2}: a tour marker must sit right above a ```sh block"
        end = lines.index("```", i + 2)
        blocks.append([c for c in lines[i + 2 : end] if c.strip() and not c.lstrip().startswith("#")])
    return blocks


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    following = text.find("\n## ", start + 1)
    return text[start : following if following != -1 else None]


def test_every_shell_block_of_the_tour_section_is_run() -> None:
    text = README.read_text(encoding="utf-8")
    tour = section(text, "A tour")
    assert tour.count("```sh") == tour.count(MARKER) >= 1
    blocks = tour_blocks(text)
    assert blocks[0][0].startswith("golive demo")
    commands = [c for block in blocks for c in block]
    # The steps issue 15 found broken are part of what runs.
    assert any(c.startswith("cp playbooks/examples/helse-midt.yaml my-region.yaml") for c in commands)
    assert any("freeze-old-journal --run DR2" in c for c in commands)


def test_the_tour_runs_word_for_word_on_the_demo(tmp_path: Path) -> None:
    (tmp_path / "playbooks").symlink_to(REPO / "playbooks")  # the tour runs from the checkout
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOLIVE_")}
    env.update(
        HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "home" / "share"), COLUMNS="80",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    ran = 0
    for block in tour_blocks(README.read_text(encoding="utf-8")):
        for command in block:
            if command.startswith("export "):
                for assignment in shlex.split(command)[1:]:
                    name, _, value = assignment.partition("=")
                    env[name] = value
                continue
            note = EXIT_NOTE.search(command)
            expected = int(note.group(1)) if note else 0
            result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
            assert result.returncode == expected, f"$ {command}\nexit {result.returncode}, expected {expected}\n{result.stderr}"
            assert "Traceback" not in result.stderr + result.stdout, command
            ran += 1
    assert ran >= 30
    assert (tmp_path / "my-region.yaml").is_file() and (tmp_path / "golive-2022-05-07.sqlite").is_file()
