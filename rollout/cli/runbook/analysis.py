"""`runbook critical-path` and `runbook slip`: what drives the go-live, and what if a task takes longer."""

from __future__ import annotations

import typer

from rollout.cli.context import AT_OPTION, JSON_OPTION, app_context, console, emit_json, say
from rollout.cli.runbook.common import PLAN_ARG, RUN_OPTION, TASK_ARG, run_label, runbook_app


@runbook_app.command("critical-path")
def critical_path(
    ctx: typer.Context, plan: str = PLAN_ARG, at: str | None = AT_OPTION, run: str = RUN_OPTION,
    all_tasks: bool = typer.Option(False, "--all", help="List every task, not only the critical ones."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Earliest and latest start and slack per task (CPM, using actuals), the critical path and the projected go-live.

    Example: golive runbook critical-path trondheim-2022 --at 2022-05-06T14:00 --json
    """
    from rollout.cli.context import parse_at
    from rollout.cli.output import Column, local, table
    from rollout.plans import get_plan
    from rollout.runbooks.view import runbook_view

    with app_context(ctx).db.session() as session:
        p = get_plan(session, plan)
        view = runbook_view(session, plan=p, at=parse_at(at, p.timezone), run=run)
    if as_json:
        emit_json(view.critical_path_json())
        return
    tz = p.timezone
    rows = [
        [
            t.key + (" ★" if t.critical else ""), t.status,
            local(t.earliest_start, tz), local(t.earliest_finish, tz), local(t.latest_start, tz), local(t.latest_finish, tz),
            t.slack_minutes if t.affects_go_live else f"{t.slack_minutes} (after go-live)",
        ]
        for t in (view.tasks if all_tasks else view.critical_tasks())
    ]
    columns = [
        Column("task", shorten=True), "status", Column("earliest start", drop=2), "earliest end",
        Column("latest start", drop=1), "latest end", "slack (min)",
    ]
    out = console()
    out.print(table(f"Critical path of {p.key}{run_label(run)} as of {local(view.runbook.as_of, tz)}", columns, rows))
    delta = view.go_live_delta_minutes
    from rollout.cli.prose import say_lines

    say_lines(out, f"Critical path: {' → '.join(view.critical_path) or '—'}")
    say_lines(out, f"Projected go-live {local(view.projected_go_live, tz)}, planned {local(view.planned_go_live, tz)} ({'+' if delta >= 0 else ''}{delta} min)")


@runbook_app.command("slip")
def slip(
    ctx: typer.Context, plan: str = PLAN_ARG, task: str = TASK_ARG,
    duration: str = typer.Argument(..., help="How much longer the task takes: 30m, 2h, 1h30m.", show_default=False),
    at: str | None = AT_OPTION, run: str = RUN_OPTION, as_json: bool = JSON_OPTION,
) -> None:
    """What if TASK takes DURATION longer? Tasks that move, the new projected go-live, gates at risk. Writes nothing.

    Example: golive runbook slip trondheim-2022 convert-patients 2h --at 2022-05-06T14:00
    """
    from rollout.cli.context import parse_at
    from rollout.cli.output import Column, local, table
    from rollout.cli.prose import say_lines
    from rollout.offsets import parse_duration
    from rollout.plans import get_plan
    from rollout.runbooks.slip import slip as slip_what_if

    by = parse_duration(duration)
    with app_context(ctx).db.session() as session:
        p = get_plan(session, plan)
        result = slip_what_if(session, plan=p, task=task, by=by, at=parse_at(at, p.timezone), run=run)
    if as_json:
        emit_json(result.as_json())
        return
    tz = p.timezone
    out = console()
    out.print(
        table(
            f"If {task} takes {result.slip_minutes} min longer",
            [Column("task", shorten=True), Column("stream", drop=1), "new start", "new end", "moves (min)"],
            [[m.key + (" ★" if m.critical else ""), m.stream, local(m.new_start, tz), local(m.new_end, tz), f"+{m.delta_minutes}"] for m in result.moved],
        )
    )
    say_lines(out, f"Projected go-live {local(result.projected_go_live, tz)} (was {local(result.projected_go_live_before, tz)}, "
                   f"+{result.go_live_delta_minutes} min; planned {local(result.planned_go_live, tz)})")
    for g in result.gates_at_risk:
        already = "already at risk before this slip" if g.already_at_risk else "at risk because of this slip"
        say_lines(out, f"Gate at risk ({already}): {g.key} ({g.kind}) due {local(g.due, tz)}, work done {local(g.finish, tz)} "
                       f"(+{g.late_minutes} min): waiting on {', '.join(g.waiting_on)}")
    if not result.gates_at_risk:
        out.print("No gate at risk.")
    say("What-if only: nothing written.")
