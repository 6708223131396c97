"""The `runbook` group and the arguments its commands share."""

from __future__ import annotations

import typer

from rollout.cli.complete import complete_plans, complete_runs, complete_tasks
from rollout.cli.suggest import CarefulGroup

runbook_app = typer.Typer(
    help="Cutover runbooks: T-minus tasks, live status, critical path, what-if slips, rehearsals.",
    no_args_is_help=True,
    add_completion=False,
    cls=CarefulGroup,
)

PLAN_ARG = typer.Argument(..., help="Plan key.", show_default=False, autocompletion=complete_plans)
TASK_ARG = typer.Argument(..., help="Task key from the runbook.", show_default=False, autocompletion=complete_tasks)
RUN_OPTION = typer.Option("live", "--run", metavar="NAME", help="The live cutover (default) or a rehearsal such as DR1.",
                          autocompletion=complete_runs)
NOTE_OPTION = typer.Option(None, "--note", help="Why: kept with the task and in the audit log.")
FORCE_OPTION = typer.Option(False, "--force", help="Override the predecessor check (needs --note; audited).")
RAG_STYLE = {"red": "[red]red[/red]", "amber": "[yellow]amber[/yellow]", "green": "[green]green[/green]"}


def run_label(run: str) -> str:
    """` (DR1)` after a title for a rehearsal, nothing for the live run."""
    return f" ({run})" if run != "live" else ""


def duration(minutes: int) -> str:
    """`1 h 30 min` for a positive number of minutes, empty otherwise."""
    if minutes <= 0:
        return ""
    from datetime import timedelta

    from rollout.clock import describe_duration

    return describe_duration(timedelta(minutes=minutes))
