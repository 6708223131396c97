"""`golive scheduler …`: run the scheduler, manage its jobs, read their history (thin: parse, call, render)."""

from __future__ import annotations

import typer

from rollout.cli.context import AS_OPTION, JSON_OPTION, app_context, console, emit_json, say

scheduler_app = typer.Typer(help="The scheduler: jobs (SLA sweeps, reports, reminders, roster checks), their runs and history.",
                            no_args_is_help=True, add_completion=False)

NAME_ARG = typer.Argument(..., metavar="NAME", help="The job's name (scheduler list shows them).")
OSLO = "Europe/Oslo"


def _kinds_help() -> str:
    return "What the job does: sla-sweep, report, runbook-reminders, roster-check (scheduler add --help lists parameters)."


@scheduler_app.command("run")
def run_cmd(
    ctx: typer.Context,
    once: bool = typer.Option(False, "--once", help="Run what is due now (and deliver the outbox), then exit: for cron."),
    sync: float = typer.Option(30.0, "--sync", metavar="SECONDS", min=1.0,
                               help="How often to re-read the job table and deliver the outbox (default 30)."),
) -> None:
    """Run the scheduler in the foreground (Europe/Oslo) until SIGTERM or Ctrl-C; it stops after the job in flight.

    Only one scheduler may run per database; a second one refuses. Jobs due while it
    was down run once if still within their grace (scheduler add --grace).

    Example: golive scheduler run
    """
    import os

    from rollout.outbox.delivery import deliver_due
    from rollout.scheduler.engine import describe_run
    from rollout.scheduler.lock import SchedulerLock
    from rollout.scheduler.runs import RunView

    from rollout.outbox.delivery import smtp_settings

    app = app_context(ctx)
    db = app.db
    db.ensure_ready()
    smtp_settings()  # bad SMTP settings fail now, not at the first message
    with SchedulerLock(app.settings):
        if once:
            from rollout.scheduler.runner import run_due

            attempted = 0

            def deliver() -> None:
                nonlocal attempted
                sent = deliver_due(db)
                attempted += sent.attempted
                if sent.attempted:
                    say(sent.describe())

            def after(run: RunView) -> None:
                say(describe_run(run))
                deliver()

            runs = run_due(db, after_each=after)
            deliver()
            if not runs and not attempted:
                say("Nothing due")
            return
        from rollout.scheduler.engine import Engine

        say(f"Scheduler started (pid {os.getpid()}); stop with Ctrl-C or SIGTERM")
        Engine(db, sync_seconds=sync, report=say).serve()
        say("Scheduler stopped")


@scheduler_app.command("add")
def add_cmd(
    ctx: typer.Context,
    name: str = NAME_ARG,
    job: str = typer.Option(..., "--job", metavar="KIND", help=_kinds_help()),
    cron: str | None = typer.Option(None, "--cron", metavar="EXPR", help='Minute hour day month weekday, Oslo time: "0 7 * * *".'),
    every: str | None = typer.Option(None, "--every", metavar="DURATION", help="A fixed interval: 5m, 1h, 1h30m."),
    param: list[str] = typer.Option([], "--param", metavar="KEY=VALUE", help="A parameter of the kind (repeat for more)."),
    grace: str | None = typer.Option(None, "--grace", metavar="DURATION",
                                     help="How late a missed run may still catch up after downtime (default 15m)."),
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a job: checked now (kind, parameters, cron), so a bad one is refused here and never discovered at 07:00.

    Kinds and their parameters:
      sla-sweep (none); runbook-reminders plan=PLAN [lead=1h]; roster-check plan=PLAN [hours=72];
      report [plan=PLAN] [formats=html,json] [folder=DIR] [keep=N] (when reports are installed); see scheduler kinds.

    Example: golive scheduler add morning-sweep --job sla-sweep --every 5m
    """
    from rollout.clock import now
    from rollout.scheduler.definitions import add_job
    from rollout.settings import acting_person

    with app_context(ctx).db.session(write=True) as session:
        view = add_job(session, name=name, kind=job, cron=cron, every=every, params=param, grace=grace,
                       actor=acting_person(actor), now=now())
    if as_json:
        emit_json(view.as_json())
        return
    from rollout.cli.output import local

    say(f"Added {view.name} ({view.kind}, {view.trigger}); next run {local(view.next_run, OSLO)}")


def _set_paused(ctx: typer.Context, name: str, *, paused: bool, actor: str | None) -> None:
    from rollout.clock import now
    from rollout.scheduler.definitions import set_paused
    from rollout.settings import acting_person

    with app_context(ctx).db.session(write=True) as session:
        view, changed = set_paused(session, name=name, paused=paused, actor=acting_person(actor), now=now())
    if not changed:
        say(f"Nothing changed: {name} is {'paused' if paused else 'not paused'} already")
    else:
        from rollout.cli.output import local

        say(f"Paused {name}" if paused else f"Resumed {name}; next run {local(view.next_run, OSLO)}")


@scheduler_app.command("pause")
def pause_cmd(ctx: typer.Context, name: str = NAME_ARG, actor: str | None = AS_OPTION) -> None:
    """Pause a job: it keeps its definition and does not run until resumed.

    Example: golive scheduler pause morning-report
    """
    _set_paused(ctx, name, paused=True, actor=actor)


@scheduler_app.command("resume")
def resume_cmd(ctx: typer.Context, name: str = NAME_ARG, actor: str | None = AS_OPTION) -> None:
    """Resume a paused job from now on (runs missed while paused are not caught up).

    Example: golive scheduler resume morning-report
    """
    _set_paused(ctx, name, paused=False, actor=actor)


@scheduler_app.command("remove")
def remove_cmd(ctx: typer.Context, name: str = NAME_ARG, actor: str | None = AS_OPTION) -> None:
    """Remove a job (its run history stays).

    Example: golive scheduler remove morning-report
    """
    from rollout.clock import now
    from rollout.scheduler.definitions import remove_job
    from rollout.settings import acting_person

    with app_context(ctx).db.session(write=True) as session:
        remove_job(session, name=name, actor=acting_person(actor), now=now())
    say(f"Removed {name}")


@scheduler_app.command("run-now")
def run_now_cmd(ctx: typer.Context, name: str = NAME_ARG, actor: str | None = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Run a job now in this process (outside its schedule) and deliver its outbox before returning.

    Example: golive scheduler run-now morning-report
    """
    from rollout.outbox.delivery import deliver_due
    from rollout.scheduler.engine import describe_run
    from rollout.scheduler.runner import run_now
    from rollout.settings import acting_person

    db = app_context(ctx).db
    run = run_now(db, name=name, actor=acting_person(actor))
    sent = deliver_due(db)
    if as_json:
        emit_json({**run.as_json(), "delivery": sent.as_json()})
    else:
        say(describe_run(run))
        if sent.attempted or sent.waiting:
            say(sent.describe())
    if run.outcome == "failed":
        raise typer.Exit(1)


@scheduler_app.command("list")
def list_cmd(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """The jobs with their next run in Oslo time, as of the program's clock (GOLIVE_NOW).

    Example: golive scheduler list --json
    """
    from rollout.clock import now
    from rollout.scheduler.definitions import list_jobs

    with app_context(ctx).db.session() as session:
        views = list_jobs(session, now=now())
    if as_json:
        emit_json({"jobs": [v.as_json() for v in views]})
        return
    if not views:
        say("No scheduled jobs (add one: golive scheduler add NAME --job KIND --every 5m)")
        return
    from rollout.cli.output import Column, local, table

    rows = [[v.name, v.kind if v.installed else f"{v.kind} (not installed)", v.trigger.replace("cron ", ""), "paused" if v.paused else local(v.next_run, OSLO),
             v.last_outcome or "", ", ".join(f"{k}={val}" for k, val in v.params.items())] for v in views]
    console().print(table(f"Scheduled jobs ({len(views)})", [Column("name", shorten=True), "kind", "when", "next run",
                                                              Column("last", drop=2), Column("params", wrap=True, drop=1)], rows))


@scheduler_app.command("history")
def history_cmd(
    ctx: typer.Context,
    name: str | None = typer.Argument(None, metavar="[NAME]", help="Only this job's runs."),
    failed: bool = typer.Option(False, "--failed", help="Only runs that failed, partly failed, were missed or never ended."),
    limit: int = typer.Option(50, "--limit", metavar="N", min=0, help="At most N runs, newest first; 0 shows all."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Every run: when it was due, start, end, outcome, items processed, messages queued, error; newest first.

    Example: golive scheduler history morning-report --failed
    """
    from rollout.scheduler.runs import history

    with app_context(ctx).db.session() as session:
        runs = history(session, job=name, failed=failed, limit=limit)
    if as_json:
        emit_json({"runs": [r.as_json() for r in runs]})
        return
    if not runs:
        say("No runs" + (" failed" if failed else "") + (f" of {name}" if name else ""))
        return
    from rollout.cli.output import Column, local, table

    rows = [[r.id, r.job, local(r.scheduled_for, OSLO), r.outcome or "running", r.items, r.notified,
             r.error or r.summary or (f"{len(r.failures)} item(s) failed" if r.failures else "")] for r in runs]
    console().print(table(f"Runs ({len(runs)})", ["ID", Column("job", shorten=True), "due", "outcome",
                                                  Column("items", drop=2), Column("messages", drop=1), Column("summary", wrap=True)],
                          rows))
    for run in runs:
        for failure in run.failures[:5]:
            say(f"run {run.id}: {failure.get('item')}: {failure.get('error')}")


@scheduler_app.command("kinds")
def kinds_cmd(as_json: bool = JSON_OPTION) -> None:
    """The job kinds the installed packages declare, with their parameters.

    Example: golive scheduler kinds
    """
    from rollout.registry import job_kinds

    kinds = sorted(job_kinds().values(), key=lambda k: k.name)
    if as_json:
        emit_json({"kinds": [{"name": k.name, "help": k.help, "params": [
            {"name": p.name, "required": p.required, "type": p.type, "default": p.default, "help": p.help} for p in k.params]}
            for k in kinds]})
        return
    from rollout.cli.output import Column, table

    rows = [[k.name, "; ".join(f"{p.name}{'' if p.required else ' (optional)'}: {p.help}" for p in k.params) or "none", k.help]
            for k in kinds]
    console().print(table("Job kinds", ["kind", Column("parameters", wrap=True), Column("what it does", wrap=True, drop=1)], rows))
