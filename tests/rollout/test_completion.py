"""Shell completion through click's env-var protocol, in real processes, with keys from a real database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE


def golive_exe() -> str:
    beside = Path(sys.executable).parent / "golive"
    exe = str(beside) if beside.exists() else shutil.which("golive")
    assert exe, "the golive console script is not installed"
    return exe


def bash(line: str, **env: str) -> list[str]:
    """What bash's completion function gets for the last word of `line` (a trailing space: a new word)."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    result = subprocess.run(
        [golive_exe()], capture_output=True, text=True, timeout=30,
        env={**os.environ, "_GOLIVE_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(cword), **env},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.split()


@pytest.fixture
def applied(db_url, golive) -> str:  # noqa: ANN001
    assert golive("apply", EXAMPLE).exit_code == 0
    assert golive("runbook", "load", "trondheim-2022").exit_code == 0
    return db_url


def test_plan_keys_come_from_the_database(applied) -> None:  # noqa: ANN001
    assert bash("golive gate check tr") == ["trondheim-2022"]
    assert bash("golive gate check ") == ["trondheim-2022", "stolav-2022", "levanger-2023", "verdal-2023"]  # go-live order
    assert bash("golive gate history ver") == ["verdal-2023"]


def test_gate_keys_are_those_of_the_plan_typed(applied) -> None:  # noqa: ANN001
    assert bash("golive gate check trondheim-2022 ") == ["T-7d", "T-1d", "go-no-go", "bolge-2-T-1d"]
    assert bash("golive gate check trondheim-2022 T-") == ["T-7d", "T-1d"]
    assert bash("golive gate check no-such-plan ") == []
    # gate decide also takes the runbook's gate tasks
    assert bash("golive gate decide trondheim-2022 go-") == ["go-no-go", "go-no-go-final"]


def test_commands_and_options_complete(applied) -> None:  # noqa: ANN001
    assert bash("golive ga") == ["gate"]
    assert bash("golive gate ch") == ["check"]
    assert {"--at", "--json"} <= set(bash("golive gate check --"))
    assert "audit" in bash("golive au")
    assert bash("golive audit --table un") == ["unit"]  # tables the audit log has entries for


def test_db_option_is_honoured_and_a_missing_database_gives_nothing(applied, tmp_path) -> None:  # noqa: ANN001
    missing = tmp_path / "nowhere" / "golive.sqlite"
    assert bash("golive gate check tr", GOLIVE_DB=str(missing)) == []
    assert not missing.exists() and not missing.parent.exists()
    assert bash(f"golive --db {applied} gate check tr", GOLIVE_DB=str(missing)) == ["trondheim-2022"]
    assert bash("golive gate check tr", GOLIVE_DB="postgresql://nobody@127.0.0.1:1/none") == []


def test_zsh_and_fish_get_keys_with_their_names(applied) -> None:  # noqa: ANN001
    base = {**os.environ, "_TYPER_COMPLETE_ARGS": "golive gate check tr"}
    zsh = subprocess.run([golive_exe()], capture_output=True, text=True, env={**base, "_GOLIVE_COMPLETE": "complete_zsh"})
    assert zsh.returncode == 0 and '"trondheim-2022":"Helseplattformen i Trondheim kommune"' in zsh.stdout
    fish = subprocess.run(
        [golive_exe()], capture_output=True, text=True,
        env={**base, "_GOLIVE_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
    )
    assert fish.returncode == 0 and fish.stdout.strip() == "trondheim-2022\tHelseplattformen i Trondheim kommune"


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o default -F"), ("zsh", "#compdef golive"), ("fish", "complete --command golive")])
def test_each_shell_gets_a_script(shell: str, marker: str) -> None:
    result = subprocess.run([golive_exe()], capture_output=True, text=True, env={**os.environ, "_GOLIVE_COMPLETE": f"source_{shell}"})
    assert result.returncode == 0 and marker in result.stdout
    assert "_GOLIVE_COMPLETE=complete_" in result.stdout


def test_completers_for_units_tasks_and_organisations(applied) -> None:  # noqa: ANN001
    import typer.main

    from rollout.cli import app
    from rollout.cli.complete import complete_audit_tables, complete_organisations, complete_runs, complete_tasks, complete_units

    root = typer.main.get_command(app)
    ctx = root.make_context("golive", ["--db", applied], resilient_parsing=True)
    child = type(ctx)(root, parent=ctx, info_name="x")
    assert [k for k, _ in complete_organisations(child, "st")] == ["stolav"]
    assert ("trondheim/legevakt", "Trondheim legevakt") in complete_units(child, "trondheim/leg")
    child.params["org"] = "verdal"
    assert [k for k, _ in complete_units(child, "")] == ["helsehus", "helsestasjon", "hjemmetjenester"]
    child.params.update(org=None, plan="verdal-2023")
    assert [k for k, _ in complete_units(child, "helse")] == ["helsehus", "helsestasjon"]  # the plan's organisation
    child.params["plan"] = "trondheim-2022"
    assert [k for k, _ in complete_runs(child, "")] == ["live"]
    tasks = [k for k, _ in complete_tasks(child, "")]
    assert len(tasks) == 37 and tasks[0] == "cutover-kickoff" and "freeze-old-journal" in tasks
    assert [k for k, _ in complete_tasks(child, "freeze")] == ["freeze-old-journal"]
    assert [k for k, _ in complete_tasks(child, "%")] == []  # typed text is literal, not a pattern
    assert {"organisation", "unit", "plan"} <= {k for k, _ in complete_audit_tables(child, "")}


def test_readiness_commands_complete_plans_gates_units_and_organisations(applied) -> None:  # noqa: ANN001
    assert bash("golive training status tr") == ["trondheim-2022"]
    assert bash("golive roster gaps trondheim-2022 --gate T-") == ["T-7d", "T-1d"]
    assert "trondheim/legevakt" in bash("golive training status trondheim-2022 --unit trondheim/l")
    assert bash("golive people list --org tro") == ["trondheim"]


def test_runbook_and_catalog_commands_complete_their_keys(applied) -> None:  # noqa: ANN001
    assert bash("golive runbook show tr") == ["trondheim-2022"]
    tasks = bash("golive runbook start trondheim-2022 cutover-k")
    assert tasks == ["cutover-kickoff"]
    assert bash("golive plan show ver") == ["verdal-2023"]
    assert bash("golive org show tron") == ["trondheim"]
