"""Start-up stays light: `golive --help` and every group's help import no database, template or scheduler library.

The one place for the laziness checks. Each heavy module named here is
installed, so the check can fail (a test below proves it would see them).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "jinja2", "apscheduler", "yaml", "openpyxl", "psycopg", "numpy")


def loaded_after(argv: list[str], modules: tuple[str, ...] = HEAVY) -> tuple[str, list[str]]:
    code = (
        "import sys, json\nfrom rollout.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"sys.stderr.write(json.dumps([m for m in {modules!r} if m in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout, json.loads(result.stderr.strip().splitlines()[-1])


def test_heavy_modules_are_installed_so_the_checks_can_fail() -> None:
    assert [m for m in HEAVY if importlib.util.find_spec(m) is None] == []


def test_root_help_imports_nothing_heavy_not_even_rich() -> None:
    out, heavy = loaded_after(["--help"], (*HEAVY, "rich"))
    assert "Usage: golive" in out
    assert heavy == []


def group_names() -> list[str]:
    from rollout.registry import cli_groups

    return sorted(cli_groups())


@pytest.mark.parametrize("group", group_names())
def test_group_help_imports_nothing_heavy(group: str) -> None:
    out, heavy = loaded_after([group, "--help"])
    assert f"Usage: golive {group}" in out
    assert heavy == []


def test_command_help_is_lazy_too() -> None:
    out, heavy = loaded_after(["plan", "show", "--help"])
    assert "--at TIME" in out and heavy == []


def test_the_check_sees_a_heavy_import() -> None:
    """A command that does open the database loads SQLAlchemy: the probe is not blind."""
    out, heavy = loaded_after(["--db", ":memory:", "org", "list", "--json"])
    assert "sqlalchemy" in heavy
