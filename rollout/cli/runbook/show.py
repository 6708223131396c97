"""`runbook load` and `runbook show` (also reachable as `runbook status`): put a playbook in place, look at it."""

from __future__ import annotations

import typer

from rollout.cli.context import AS_OPTION, AT_OPTION, JSON_OPTION, app_context, console, emit_json, say
from rollout.cli.runbook.common import PLAN_ARG, RAG_STYLE, RUN_OPTION, duration, run_label, runbook_app


@runbook_app.command("load")
def load(
    ctx: typer.Context,
    plan: str = PLAN_ARG,
    playbook: str | None = typer.Option(None, "--playbook", metavar="NAME|PATH", help="A shipped playbook name or a YAML file; default the plan's playbook."),
    strict: bool = typer.Option(False, "--strict", help="Refuse owners that are neither an organisation key nor a role (otherwise a warning)."),
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Instantiate a playbook's tasks at absolute times from the plan's go-live; reloading keeps statuses.

    Example: golive runbook load trondheim-2022 --playbook municipality-cutover
    """
    from rollout.errors import GoliveError
    from rollout.plans import get_plan
    from rollout.runbooks.load import NoPlaybook, load_runbook, playbook_for
    from rollout.settings import acting_person

    db = app_context(ctx).db
    with db.session() as session:
        try:
            book = playbook_for(get_plan(session, plan), playbook)  # read in full before a write transaction opens
        except NoPlaybook as e:
            raise GoliveError(f"plan {plan!r} names no playbook; give one with --playbook NAME|PATH") from e
    with db.session(write=True) as session:
        result = load_runbook(session, plan=get_plan(session, plan), playbook=book, actor=acting_person(actor), strict=strict)
    for warning in result.warnings:
        say(f"Warning: {warning}")
    if as_json:
        emit_json(result.as_json())
        return
    if not result.changed:
        say("Nothing changed")
        return
    out = console()
    for sign, keys in (("+", result.added), ("-", result.removed), ("~", result.updated)):
        for key in keys:
            out.print(f"{sign} task {key}", markup=False)
    say(
        f"Loaded playbook {result.playbook} into {result.plan}: {result.tasks} tasks "
        f"({len(result.added)} added, {len(result.removed)} removed, {len(result.updated)} updated, statuses kept for {result.kept})."
    )


@runbook_app.command("show")
def show(
    ctx: typer.Context,
    plan: str = PLAN_ARG,
    stream: str | None = typer.Option(None, "--stream", metavar="S", help="Only this stream."),
    late: bool = typer.Option(False, "--late", help="Only open tasks that are late."),
    at: str | None = AT_OPTION,
    run: str = RUN_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show every task's planned and actual times, status, owner and lateness, with a RAG per stream.

    Example: golive runbook show trondheim-2022 --at 2022-05-06T14:00 --late
    """
    from rollout.cli.context import parse_at
    from rollout.cli.output import Column, local, table
    from rollout.plans import get_plan
    from rollout.runbooks.view import runbook_view

    with app_context(ctx).db.session() as session:
        p = get_plan(session, plan)
        view = runbook_view(session, plan=p, at=parse_at(at, p.timezone), run=run).only(stream=stream, late=late)
    if as_json:
        emit_json(view.as_json())
        return
    tz = p.timezone
    out = console()
    rows = [
        [
            t.key + (" ★" if t.critical else ""), t.row.stream, t.row.owner, t.status + (" !" if t.late else ""),
            local(t.planned_start, tz), local(t.planned_end, tz),
            local(t.actual_start, tz) if t.actual_start else "", local(t.actual_end, tz) if t.actual_end else "",
            duration(t.late_minutes),
        ]
        for t in view.tasks
    ]
    columns = [
        Column("task (★ critical)", shorten=True), Column("stream", drop=4), Column("owner", drop=3), "status",
        "planned start", "planned end", Column("actual start", drop=2), Column("actual end", drop=1), "late",
    ]
    out.print(table(f"Runbook {p.key}{run_label(run)} as of {local(view.runbook.as_of, tz)}", columns, rows))
    out.print()
    out.print(
        table(
            "Streams",
            [Column("stream", shorten=True), "RAG", "tasks", "done", "running", "blocked", "late"],
            [[s.name, RAG_STYLE[s.rag], s.tasks, s.done, s.running, s.blocked, s.late] for s in view.streams],
        )
    )
    delta = view.go_live_delta_minutes
    # short enough for 80 columns, so no time is broken across lines
    shift = "on plan" if delta == 0 else (f"{duration(delta)} late" if delta > 0 else f"{duration(-delta)} early")
    out.print(f"Projected go-live {local(view.projected_go_live, tz)}: {shift} (planned {local(view.planned_go_live, tz)})")


# `runbook status` reads as "how do we stand": the same as show, and never a change.
runbook_app.command(
    "status", hidden=True, help="The same as show: where the runbook stands.\n\nExample: golive runbook status trondheim-2022 --at 2022-05-06T14:00"
)(show)
