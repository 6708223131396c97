"""`golive runbook …`: load a playbook for a plan, follow the cutover live, analyse slips, rehearse."""

from __future__ import annotations

from typing import Any

import typer

from rollout.cli.context import AS_OPTION, AT_OPTION, JSON_OPTION, app_context, console, emit_json, say

runbook_app = typer.Typer(help="Cutover runbooks: T-minus tasks, live status, critical path, what-if slips, rehearsals.", no_args_is_help=True, add_completion=False)

PLAN_ARG = typer.Argument(..., help="Plan key.", show_default=False)
TASK_ARG = typer.Argument(..., help="Task key from the runbook.", show_default=False)
RUN_OPTION = typer.Option("live", "--run", metavar="NAME", help="The live cutover (default) or a rehearsal such as DR1.")
NOTE_OPTION = typer.Option(None, "--note", help="Why: kept with the task and in the audit log.")
FORCE_OPTION = typer.Option(False, "--force", help="Override the predecessor check (needs --note; audited).")
RAG_STYLE = {"red": "[red]red[/red]", "amber": "[yellow]amber[/yellow]", "green": "[green]green[/green]"}


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
    from rollout.runbooks.load import load_runbook
    from rollout.runbooks.playbook import read_playbook, resolve_playbook
    from rollout.settings import acting_person

    db = app_context(ctx).db
    if playbook is None:
        with db.session() as session:
            playbook = get_plan(session, plan).playbook
        if not playbook:
            raise GoliveError(f"plan {plan!r} names no playbook; give one with --playbook NAME|PATH")
    book = read_playbook(resolve_playbook(playbook))  # validate fully before opening a write transaction
    with db.session(write=True) as session:
        result = load_runbook(session, plan=get_plan(session, plan), playbook=book, actor=acting_person(actor), strict=strict)
    for warning in result.warnings:
        say(f"Warning: {warning}")
    if as_json:
        emit_json(
            {
                "plan": result.plan,
                "playbook": result.playbook,
                "path": result.path,
                "tasks": result.tasks,
                "changed": result.changed,
                "added": result.added,
                "removed": result.removed,
                "updated": result.updated,
                "kept": result.kept,
                "warnings": result.warnings,
            }
        )
        return
    if not result.changed:
        say("Nothing changed")
        return
    out = console()
    for key in result.added:
        out.print(f"+ task {key}")
    for key in result.removed:
        out.print(f"- task {key}")
    for key in result.updated:
        out.print(f"~ task {key}")
    say(
        f"Loaded playbook {result.playbook} into {result.plan}: {result.tasks} tasks "
        f"({len(result.added)} added, {len(result.removed)} removed, {len(result.updated)} updated, statuses kept for {result.kept})."
    )


def _task_json(t: Any, tz: str) -> dict[str, Any]:
    from rollout.cli.output import iso

    r = t.row
    return {
        "id": r.id,
        "key": r.key,
        "title": r.title,
        "stream": r.stream,
        "owner": r.owner,
        "status": t.status,
        "gate": r.gate,
        "milestone": r.milestone,
        "at": r.at,
        "after": r.after,
        "duration_minutes": r.duration_minutes,
        "planned_start": iso(t.planned_start, tz),
        "planned_end": iso(t.planned_end, tz),
        "actual_start": iso(t.actual_start, tz),
        "actual_end": iso(t.actual_end, tz),
        "projected_start": iso(t.earliest_start, tz),
        "projected_end": iso(t.earliest_finish, tz),
        "late": t.late,
        "late_minutes": t.late_minutes,
        "delay_minutes": t.delay_minutes,
        "critical": t.critical,
        "slack_minutes": t.slack_minutes,
        "note": r.note or None,
    }


def _late(minutes: int) -> str:
    if minutes <= 0:
        return ""
    from datetime import timedelta

    from rollout.clock import describe_duration

    return describe_duration(timedelta(minutes=minutes))


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
    from rollout.cli.output import iso, local, table
    from rollout.errors import GoliveError
    from rollout.plans import get_plan
    from rollout.runbooks.view import runbook_view
    from rollout.yamlfile import suggest

    with app_context(ctx).db.session() as session:
        p = get_plan(session, plan)
        view = runbook_view(session, plan=p, at=parse_at(at, p.timezone), run=run)
    tz = p.timezone
    tasks = view.tasks
    names = [s.name for s in view.streams]
    if stream is not None:
        if stream not in names:
            raise GoliveError(f"no stream {stream!r} in the runbook of {plan!r}{suggest(stream, names)}; streams: {', '.join(names)}")
        tasks = [t for t in tasks if (t.row.stream or "—") == stream]
    if late:
        tasks = [t for t in tasks if t.late]
    streams = [s for s in view.streams if stream is None or s.name == stream]
    if as_json:
        emit_json(
            {
                "plan": p.key,
                "run": run,
                "as_of": iso(view.runbook.as_of, tz),
                "planned_go_live": iso(view.planned_go_live, tz),
                "projected_go_live": iso(view.projected_go_live, tz),
                "go_live_delta_minutes": view.go_live_delta_minutes,
                "critical_path": view.critical_path,
                "streams": [
                    {"name": s.name, "rag": s.rag, "tasks": s.tasks, "done": s.done, "running": s.running, "blocked": s.blocked, "late": s.late}
                    for s in streams
                ],
                "tasks": [_task_json(t, tz) for t in tasks],
            }
        )
        return
    out = console()
    title = f"Runbook {p.key}" + (f" ({run})" if run != "live" else "") + f" as of {local(view.runbook.as_of, tz)}"
    rows = []
    for t in tasks:
        status = t.status + (" !" if t.late else "")
        rows.append(
            [
                t.key + (" ★" if t.critical else ""),
                t.row.stream,
                t.row.owner,
                status,
                local(t.planned_start, tz)[5:16],
                local(t.planned_end, tz)[5:16],
                local(t.actual_start, tz)[5:16] if t.actual_start else "",
                local(t.actual_end, tz)[5:16] if t.actual_end else "",
                _late(t.late_minutes),
            ]
        )
    out.print(table(title, ["task (★ critical)", "stream", "owner", "status", "planned start", "planned end", "actual start", "actual end", "late"], rows))
    out.print()
    out.print(
        table(
            "Streams",
            ["stream", "RAG", "tasks", "done", "running", "blocked", "late"],
            [[s.name, RAG_STYLE[s.rag], s.tasks, s.done, s.running, s.blocked, s.late] for s in streams],
        )
    )
    delta = view.go_live_delta_minutes
    shift = "on plan" if delta == 0 else (f"{_late(delta)} later than planned" if delta > 0 else f"{_late(-delta)} earlier than planned")
    out.print(f"Projected go-live {local(view.projected_go_live, tz)} ({shift}; planned {local(view.planned_go_live, tz)})")


def _status(ctx: typer.Context, action: str, plan: str, task: str, note: str | None, at: str | None, force: bool, run: str, actor: str | None, as_json: bool) -> None:
    from rollout.cli.context import parse_at
    from rollout.cli.output import iso, local
    from rollout.plans import get_plan
    from rollout.runbooks.status import change_status
    from rollout.settings import acting_person

    with app_context(ctx).db.session(write=True) as session:
        p = get_plan(session, plan)
        change = change_status(
            session, plan=p, task=task, action=action, at=parse_at(at, p.timezone), actor=acting_person(actor), note=note, force=force, run=run
        )
    tz = p.timezone
    if as_json:
        emit_json(
            {
                "plan": change.plan,
                "run": change.run,
                "task": change.task,
                "action": action,
                "changed": change.changed,
                "old_status": change.old_status,
                "status": change.new_status,
                "at": iso(change.at, tz),
                "actual_start": iso(change.actual_start, tz),
                "actual_end": iso(change.actual_end, tz),
                "forced": change.forced,
                "unmet_predecessors": change.unmet,
                "note": change.note,
            }
        )
        return
    if not change.changed:
        say(f"Nothing changed: {task} is already {change.new_status}")
        return
    forced = f" (forced past {', '.join(change.unmet)})" if change.unmet else ""
    say(f"{task}: {change.old_status} → {change.new_status} at {local(change.at, tz)}{forced}")


@runbook_app.command("start")
def start(
    ctx: typer.Context, plan: str = PLAN_ARG, task: str = TASK_ARG, note: str | None = NOTE_OPTION, at: str | None = AT_OPTION,
    force: bool = FORCE_OPTION, run: str = RUN_OPTION, actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION,
) -> None:
    """Start a task (its predecessors must be done or skipped, unless --force with --note).

    Example: golive runbook start trondheim-2022 convert-patients --at 2022-05-06T14:10
    """
    _status(ctx, "start", plan, task, note, at, force, run, actor, as_json)


@runbook_app.command("done")
def done(
    ctx: typer.Context, plan: str = PLAN_ARG, task: str = TASK_ARG, note: str | None = NOTE_OPTION, at: str | None = AT_OPTION,
    force: bool = FORCE_OPTION, run: str = RUN_OPTION, actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION,
) -> None:
    """Mark a task done; a gate task needs a recorded go decision first (golive gate decide).

    Example: golive runbook done trondheim-2022 freeze-old-journal --note "Lesetilgang bekreftet"
    """
    _status(ctx, "done", plan, task, note, at, force, run, actor, as_json)


@runbook_app.command("skip")
def skip(
    ctx: typer.Context, plan: str = PLAN_ARG, task: str = TASK_ARG, note: str | None = NOTE_OPTION, at: str | None = AT_OPTION,
    force: bool = FORCE_OPTION, run: str = RUN_OPTION, actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION,
) -> None:
    """Skip a task that is not needed; its successors may then start.

    Example: golive runbook skip trondheim-2022 huddle-sunday --note "Ingen åpne saker"
    """
    _status(ctx, "skip", plan, task, note, at, force, run, actor, as_json)


@runbook_app.command("block")
def block(
    ctx: typer.Context, plan: str = PLAN_ARG, task: str = TASK_ARG, note: str | None = NOTE_OPTION, at: str | None = AT_OPTION,
    force: bool = FORCE_OPTION, run: str = RUN_OPTION, actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION,
) -> None:
    """Mark a task blocked (say why with --note); `start` resumes it.

    Example: golive runbook block trondheim-2022 printers-labels --note "Driver mangler for etikettskrivere"
    """
    _status(ctx, "block", plan, task, note, at, force, run, actor, as_json)


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
    from rollout.cli.output import iso, local, table
    from rollout.plans import get_plan
    from rollout.runbooks.view import runbook_view

    with app_context(ctx).db.session() as session:
        p = get_plan(session, plan)
        view = runbook_view(session, plan=p, at=parse_at(at, p.timezone), run=run)
    tz = p.timezone
    if as_json:
        emit_json(
            {
                "plan": p.key,
                "run": run,
                "as_of": iso(view.runbook.as_of, tz),
                "planned_go_live": iso(view.planned_go_live, tz),
                "projected_go_live": iso(view.projected_go_live, tz),
                "go_live_delta_minutes": view.go_live_delta_minutes,
                "critical_path": view.critical_path,
                "tasks": [
                    {
                        "id": t.row.id,
                        "key": t.key,
                        "status": t.status,
                        "duration_minutes": t.row.duration_minutes,
                        "earliest_start": iso(t.earliest_start, tz),
                        "earliest_finish": iso(t.earliest_finish, tz),
                        "latest_start": iso(t.latest_start, tz),
                        "latest_finish": iso(t.latest_finish, tz),
                        "slack_minutes": t.slack_minutes,
                        "critical": t.critical,
                        "affects_go_live": t.affects_go_live,
                    }
                    for t in view.tasks
                ],
            }
        )
        return
    by_key = {t.key: t for t in view.tasks}
    shown = view.tasks if all_tasks else [by_key[k] for k in view.critical_path]
    rows = [
        [
            t.key + (" ★" if t.critical else ""),
            t.status,
            local(t.earliest_start, tz)[5:16],
            local(t.earliest_finish, tz)[5:16],
            local(t.latest_start, tz)[5:16],
            local(t.latest_finish, tz)[5:16],
            t.slack_minutes if t.affects_go_live else f"{t.slack_minutes} (after go-live)",
        ]
        for t in shown
    ]
    out = console()
    title = f"Critical path of {p.key}" + (f" ({run})" if run != "live" else "") + f" as of {local(view.runbook.as_of, tz)}"
    out.print(table(title, ["task", "status", "earliest start", "earliest end", "latest start", "latest end", "slack (min)"], rows))
    delta = view.go_live_delta_minutes
    out.print(f"Critical path: {' → '.join(view.critical_path) or '—'}")
    out.print(f"Projected go-live {local(view.projected_go_live, tz)}, planned {local(view.planned_go_live, tz)} ({'+' if delta >= 0 else ''}{delta} min)")


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
    from rollout.cli.output import iso, local, table
    from rollout.offsets import parse_duration
    from rollout.plans import get_plan
    from rollout.runbooks.slip import slip as slip_what_if

    by = parse_duration(duration)
    with app_context(ctx).db.session() as session:
        p = get_plan(session, plan)
        result = slip_what_if(session, plan=p, task=task, by=by, at=parse_at(at, p.timezone), run=run)
    tz = p.timezone
    if as_json:
        emit_json(
            {
                "plan": p.key,
                "run": run,
                "task": result.task,
                "slip_minutes": result.slip_minutes,
                "as_of": iso(result.runbook.as_of, tz),
                "planned_go_live": iso(result.planned_go_live, tz),
                "projected_go_live_before": iso(result.projected_go_live_before, tz),
                "projected_go_live": iso(result.projected_go_live, tz),
                "go_live_delta_minutes": result.go_live_delta_minutes,
                "moved": [
                    {
                        "key": m.key,
                        "title": m.title,
                        "stream": m.stream,
                        "delta_minutes": m.delta_minutes,
                        "start_delta_minutes": m.start_delta_minutes,
                        "old_start": iso(m.old_start, tz),
                        "new_start": iso(m.new_start, tz),
                        "old_end": iso(m.old_end, tz),
                        "new_end": iso(m.new_end, tz),
                        "critical": m.critical,
                    }
                    for m in result.moved
                ],
                "gates_at_risk": [
                    {
                        "key": g.key,
                        "kind": g.kind,
                        "due": iso(g.due, tz),
                        "finish": iso(g.finish, tz),
                        "late_minutes": g.late_minutes,
                        "waiting_on": g.waiting_on,
                        "already_at_risk": g.already_at_risk,
                    }
                    for g in result.gates_at_risk
                ],
            }
        )
        return
    out = console()
    out.print(
        table(
            f"If {task} takes {result.slip_minutes} min longer",
            ["task", "stream", "new start", "new end", "moves (min)"],
            [[m.key + (" ★" if m.critical else ""), m.stream, local(m.new_start, tz)[5:16], local(m.new_end, tz)[5:16], f"+{m.delta_minutes}"] for m in result.moved],
        )
    )
    out.print(
        f"Projected go-live {local(result.projected_go_live, tz)} (was {local(result.projected_go_live_before, tz)}, "
        f"+{result.go_live_delta_minutes} min; planned {local(result.planned_go_live, tz)})"
    )
    if result.gates_at_risk:
        for g in result.gates_at_risk:
            out.print(f"Gate at risk: {g.key} ({g.kind}) due {local(g.due, tz)}, work done {local(g.finish, tz)} (+{g.late_minutes} min): waiting on {', '.join(g.waiting_on)}")
    else:
        out.print("No gate at risk.")
    say("What-if only: nothing written.")


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
    from rollout.cli.output import iso
    from rollout.clock import parse_instant
    from rollout.plans import get_plan
    from rollout.runbooks.rehearsal import start_rehearsal
    from rollout.settings import acting_person

    with app_context(ctx).db.session(write=True) as session:
        p = get_plan(session, plan)
        anchor = parse_instant(go_live, p.timezone, what="--go-live") if go_live else None
        result = start_rehearsal(session, plan=p, name=name, actor=acting_person(actor), go_live=anchor)
    if as_json:
        emit_json({"id": result.run.id, "plan": p.key, "name": result.run.name, "go_live": iso(result.run.go_live, p.timezone), "tasks": result.tasks, "created": result.created})
        return
    if not result.created:
        say(f"Nothing changed: rehearsal {name} already exists")
        return
    say(f"Started rehearsal {name} of {p.key} with {result.tasks} tasks; record progress with --run {name}.")


@runbook_app.command("compare")
def compare(
    ctx: typer.Context, plan: str = PLAN_ARG,
    runs: list[str] = typer.Argument(..., metavar="RUN [RUN]", help="One or two runs, e.g. DR1 live.", show_default=False),
    as_json: bool = JSON_OPTION,
) -> None:
    """Planned against actual durations per task and per stream, for a rehearsal (and optionally another run).

    Example: golive runbook compare trondheim-2022 DR1 live
    """
    from rollout.cli.output import table
    from rollout.errors import GoliveError
    from rollout.plans import get_plan
    from rollout.runbooks.rehearsal import compare_runs

    if len(runs) > 2:
        raise GoliveError("compare takes one or two runs, e.g. DR1 live")
    with app_context(ctx).db.session() as session:
        result = compare_runs(session, plan=get_plan(session, plan), runs=runs)
    if as_json:
        emit_json(
            {
                "plan": plan,
                "runs": runs,
                "tasks": [
                    {
                        "key": t.key,
                        "stream": t.stream,
                        "planned_minutes": t.planned_minutes,
                        "actual_minutes": {name: t.actual_minutes[k] for k, name in enumerate(runs)},
                        "delta_minutes": {name: t.delta(k) for k, name in enumerate(runs)},
                    }
                    for t in result.tasks
                ],
                "streams": [
                    {
                        "stream": s.stream,
                        "tasks": s.tasks,
                        "planned_minutes": s.planned_minutes,
                        "done": {name: s.done[k] for k, name in enumerate(runs)},
                        "planned_done_minutes": {name: s.planned_done_minutes[k] for k, name in enumerate(runs)},
                        "actual_minutes": {name: s.actual_minutes[k] for k, name in enumerate(runs)},
                        "delta_minutes": {name: s.delta(k) for k, name in enumerate(runs)},
                    }
                    for s in result.streams
                ],
            }
        )
        return

    def fmt(value: int | None) -> str:
        return "" if value is None else (f"+{value}" if value > 0 else str(value))

    cols = ["task", "stream", "planned (min)"]
    for name in runs:
        cols += [f"{name} (min)", f"{name} Δ"]
    rows = []
    for t in result.tasks:
        row: list[Any] = [t.key, t.stream, t.planned_minutes]
        for k in range(len(runs)):
            row += ["" if t.actual_minutes[k] is None else t.actual_minutes[k], fmt(t.delta(k))]
        rows.append(row)
    out = console()
    out.print(table(f"Planned against actual durations, {plan}", cols, rows))
    scols = ["stream", "tasks", "planned (min)"]
    for name in runs:
        scols += [f"{name} done", f"{name} actual", f"{name} Δ"]
    srows = []
    for s in result.streams:
        row = [s.stream, s.tasks, s.planned_minutes]
        for k in range(len(runs)):
            row += [s.done[k], s.actual_minutes[k], fmt(s.delta(k))]
        srows.append(row)
    out.print(table("Per stream (Δ over the tasks with actuals)", scols, srows))
