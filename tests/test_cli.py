"""The command tree: help on every command, lazy start-up, one exit path (start-up laziness: tests/test_startup.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import typer.main

from rollout.cli import app
from tests.conftest import assert_error


def walk(command, ctx, path=()):  # noqa: ANN001, ANN201
    """Every command, through list_commands/get_command as the CLI resolves them (lazy groups included)."""
    yield path, command
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            yield from walk(sub, type(ctx)(sub, parent=ctx, info_name=name), (*path, name))


def test_every_command_has_help_with_an_example() -> None:
    root = typer.main.get_command(app)
    seen = []
    for path, command in walk(root, root.make_context("golive", [], resilient_parsing=True)):
        seen.append(" ".join(path))
        assert (command.help or "").strip(), f"golive {' '.join(path)} has no help"
        if not getattr(command, "commands", None):  # leaf commands show how they are used
            assert "Example: golive" in command.help, f"golive {' '.join(path)} has no example"
        for param in command.params:
            if param.param_type_name == "option" and param.name not in ("help",):
                assert getattr(param, "help", None), f"golive {' '.join(path)} option {param.name} has no help"
    assert {"apply", "info", "demo", "db upgrade", "db backup", "org list", "org show", "unit list", "plan list", "plan show",
            "gate check", "gate decide", "roster gaps", "runbook slip"} <= set(seen)


def test_usage_errors_exit_2(golive) -> None:  # noqa: ANN001
    result = golive("plan", "show")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr
    assert golive("no-such-command").exit_code == 2


def test_version(golive) -> None:  # noqa: ANN001
    from rollout import __version__

    result = golive("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"golive {__version__}"


def test_console_script_runs_as_a_process(tmp_path) -> None:  # noqa: ANN001
    """The installed entry point, end to end: data on stdout, errors on stderr with exit 1."""
    import os
    import shutil
    from pathlib import Path

    beside = Path(sys.executable).parent / "golive"
    exe = str(beside) if beside.exists() else shutil.which("golive")
    assert exe, "the golive console script is not installed"
    env = {**os.environ, "GOLIVE_DB": str(tmp_path / "p.sqlite")}
    assert subprocess.run([exe, "db", "upgrade"], capture_output=True, env=env).returncode == 0
    ok = subprocess.run([exe, "info", "--json"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and json.loads(ok.stdout)["backend"] == "sqlite"
    bad = subprocess.run([exe, "apply", str(tmp_path / "missing.yaml")], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.startswith("Error: ") and "Traceback" not in bad.stderr


def test_bad_golive_now_is_an_error_line(golive, monkeypatch) -> None:  # noqa: ANN001
    from tests.conftest import EXAMPLE

    assert golive("apply", EXAMPLE).exit_code == 0
    monkeypatch.setenv("GOLIVE_NOW", "soon")
    assert_error(golive("plan", "show", "trondheim-2022"), "GOLIVE_NOW")


def test_a_mistyped_group_gets_the_real_one(golive) -> None:  # noqa: ANN001
    result = golive("runbok", "show")
    assert result.exit_code == 2 and "Did you mean 'runbook'?" in result.stderr
    assert "Did you mean 'gate'?" in golive("gat", "check").stderr


def test_bad_option_values_are_usage_errors(golive, monkeypatch) -> None:  # noqa: ANN001
    from tests.conftest import EXAMPLE

    assert golive("apply", EXAMPLE).exit_code == 0
    assert_error(golive("gate", "check", "trondheim-2022", "--at", "i går"), "--at 'i går' is not a time", code=2)
    assert_error(golive("audit", "--since", "i går"), "--since", code=2)
    result = golive("audit", "--limit", "-1")
    assert result.exit_code == 2 and "must be 0 (all) or more, not -1" in result.stderr
    monkeypatch.setenv("GOLIVE_DB", "")
    assert_error(golive("org", "list"), "GOLIVE_DB is set but empty", code=2)
