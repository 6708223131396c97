"""`runbook rehearse` and `runbook compare`: dress rehearsals with their own actuals, against the plan."""

from __future__ import annotations

from typing import Any

import typer

from rollout.cli.context import AS_OPTION, JSON_OPTION, app_context, console, emit_json, say
from rollout.cli.runbook.common import PLAN_ARG, runbook_app


@runbook_app.command("rehearse")
def rehearse(
    ctx: typer.Context, plan: str = PLAN_ARG,
    name: str = typer.Option(..., "--name", metavar="NAME", help="Rehearsal name, like DR1.", show_default=False),
    go_live: str | None = typer.Option(None, "--go-live", metavar="TIME", help="The rehearsal's go-live, to place its planned times (default the plan's)."),
    actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION,
) -> None:
    """Start a rehearsal run with its own statuses and actuals (record them with --run NAME).

    Example: golive runbook rehearse trondheim-2022 --name DR1 --go-live 2022-04-21T06:00
    """
    from rollout.clock import parse_instant
    from rollout.plans import get_plan
    from rollout.runbooks.rehearsal import start_rehearsal
    from rollout.settings import acting_person

    with app_context(ctx).db.session(write=True) as session:
        p = get_plan(session, plan)
        anchor = parse_instant(go_live, p.timezone, what="--go-live") if go_live else None
        result = start_rehearsal(session, plan=p, name=name, actor=acting_person(actor), go_live=anchor)
    if as_json:
        emit_json(result.as_json())
        return
    if not result.created:
        say(f"Nothing changed: rehearsal {name} already exists")
        return
    say(f"Started rehearsal {name} of {p.key} with {result.tasks} tasks; record progress with --run {name}.")


def _signed(value: int | None) -> str:
    return "" if value is None else (f"+{value}" if value > 0 else str(value))


@runbook_app.command("compare")
def compare(
    ctx: typer.Context, plan: str = PLAN_ARG,
    runs: list[str] = typer.Argument(..., metavar="RUN [RUN]", help="One or two runs, e.g. DR1 live.", show_default=False),
    as_json: bool = JSON_OPTION,
) -> None:
    """Planned against actual durations per task and per stream, for a rehearsal (and optionally another run).

    Example: golive runbook compare trondheim-2022 DR1 live
    """
    from rollout.cli.output import Column, table
    from rollout.errors import GoliveError
    from rollout.plans import get_plan
    from rollout.runbooks.rehearsal import compare_runs

    if len(runs) > 2:
        raise GoliveError("compare takes one or two runs, e.g. DR1 live")
    with app_context(ctx).db.session() as session:
        result = compare_runs(session, plan=get_plan(session, plan), runs=runs)
    if as_json:
        emit_json(result.as_json())
        return
    cols: list[str | Column] = [Column("task", shorten=True), Column("stream", drop=1), "planned (min)"]
    for name in runs:
        cols += [f"{name} (min)", f"{name} Δ"]
    rows = []
    for t in result.tasks:
        row: list[Any] = [t.key, t.stream, t.planned_minutes]
        for k in range(len(runs)):
            row += ["" if t.actual_minutes[k] is None else t.actual_minutes[k], _signed(t.delta(k))]
        rows.append(row)
    out = console()
    out.print(table(f"Planned against actual durations, {plan}", cols, rows))
    scols: list[str | Column] = [Column("stream", shorten=True), "tasks", "planned (min)"]
    for name in runs:
        scols += [f"{name} done", f"{name} actual", f"{name} Δ"]
    srows = []
    for s in result.streams:
        row = [s.stream, s.tasks, s.planned_minutes]
        for k in range(len(runs)):
            row += [s.done[k], s.actual_minutes[k], _signed(s.delta(k))]
        srows.append(row)
    out.print(table("Per stream (Δ over the tasks with actuals)", scols, srows))
