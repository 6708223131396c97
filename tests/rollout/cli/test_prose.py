"""Lines of text (gate check, slip, titles) wrap at the terminal's width without breaking a time, a number or a verdict."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rollout.cli.prose import wrap
from tests.rollout.cli.test_tables import demo_db, in_terminal  # noqa: F401  (demo_db is a fixture)

PHRASES = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}|\d{1,3}(?: \d{3})+|\d+ %")


def test_wrap_keeps_times_thousands_and_percentages_whole() -> None:
    text = "  FAIL training_min: 2 of 65 groups below; 8 911 of 9 035 people trained (due 2022-04-30 06:00): NO-GO, need 120 %"
    lines = wrap(text, 30)
    assert all(len(line) <= 30 for line in lines)
    joined = " ".join(line.strip() for line in lines)
    assert joined == " ".join(text.split())  # nothing lost, nothing reordered
    for phrase in ("8 911", "9 035", "2022-04-30 06:00):", "NO-GO,", "120 %"):
        assert any(phrase in line for line in lines), phrase
    assert all(line.startswith("    ") for line in lines[1:])  # continuation lines hang under the first


@pytest.mark.slow
@pytest.mark.parametrize("args,code", [
    (("gate", "check", "trondheim-2022", "--at", "2022-05-06T14:00"), 3),
    (("runbook", "slip", "trondheim-2022", "convert-patients", "2h", "--at", "2022-05-06T14:00"), 0),
    (("staffing", "gaps", "trondheim-2022", "--at", "2022-05-06T14:00"), 0),
])
def test_at_80_columns_no_line_is_longer_and_no_phrase_breaks(demo_db: Path, args: tuple[str, ...], code: int) -> None:  # noqa: F811
    shown = in_terminal(["--db", str(demo_db), *args], code=code)
    lines = shown.splitlines()
    assert lines and all(len(line) <= 80 for line in lines), shown
    whole = in_pipe_any(["--db", str(demo_db), *args])
    # every time and number of the one-line-per-item pipe output is on one line in the terminal too
    for phrase in set(PHRASES.findall(whole)):
        assert phrase in shown, phrase


def in_pipe_any(args: list[str]) -> str:
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    done = subprocess.run([sys.executable, "-m", "rollout", *args], cwd=REPO, env=dict(os.environ, COLUMNS="80"),
                          capture_output=True, text=True)
    assert "Traceback" not in done.stderr
    return done.stdout
