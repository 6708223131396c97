"""`golive training …`: import completions, who is trained, who lacks which course (thin: parse, call, render)."""

from __future__ import annotations

from pathlib import Path

import typer

from rollout.cli.complete import complete_plans
from rollout.cli.context import AS_OPTION, AT_OPTION, JSON_OPTION, app_context, console, emit_json, parse_at, say
from rollout.cli.readiness import DRY_RUN_OPTION, FILE_ARG, MAP_OPTION, PLAN_ARG, REPLACE_OPTION, ROLE_OPTION, UNIT_OPTION, run_import

training_app = typer.Typer(help="Training completions and who is trained.", no_args_is_help=True, add_completion=False)


@training_app.command("import")
def training_import(
    ctx: typer.Context,
    file: Path = FILE_ARG,
    plan: str | None = typer.Option(None, "--plan", metavar="PLAN", help="Plan whose time zone dates are in (default Europe/Oslo).", autocompletion=complete_plans),
    course: str | None = typer.Option(None, "--course", metavar="CODE", help="Course of every row (a Moodle one-course completion report)."),
    mapping: dict[str, str] | None = MAP_OPTION,
    dry_run: bool = DRY_RUN_OPTION,
    replace: bool = REPLACE_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Import course completions (employee_id, course, completed; or a Moodle completion export); retakes keep the earliest.

    Example: golive training import fullforte-kurs.csv --plan trondheim-2022
    """
    from rollout.readiness.training import import_training

    run_import(ctx, import_training, path=file, dry_run=dry_run, as_json=as_json, replace=replace, tz_plan=plan, course=course,
               mapping=mapping, actor=actor)


@training_app.command("status")
def training_status_cmd(
    ctx: typer.Context,
    plan: str = PLAN_ARG,
    unit: str | None = UNIT_OPTION,
    role: str | None = ROLE_OPTION,
    at: str | None = AT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Trained share per (unit, role): trained when every course the role requires was completed by --at.

    Example: golive training status trondheim-2022 --at 2022-04-30T06:00 --unit legevakt
    """
    from rollout.readiness.scope import readiness_scope
    from rollout.readiness.training import training_status

    with app_context(ctx).db.session() as session:
        scope = readiness_scope(session, plan=plan, unit=unit, role=role)
        p = scope.plan
        when = parse_at(at, p.timezone)
        rows = training_status(session, plan=p, at=when, unit_ids=scope.unit_ids, unit=scope.unit_id, role=scope.role)
    trained, total = sum(r.trained for r in rows), sum(r.total for r in rows)
    if as_json:
        from rollout.clock import iso

        emit_json({"plan": p.key, "at": iso(when, p.timezone), "requirements": p.training_requirements or {},
                   "trained": trained, "total": total, "rows": [r.as_json() for r in rows]})
        return
    from rollout.cli.output import local, table

    out = console()
    out.print(table(
        f"Training in {p.key} as of {local(when, p.timezone)}",
        ["unit", "role", "trained", "total", "share"],
        [[r.unit, r.role, r.trained, r.total, f"{round(r.share * 100):g} %"] for r in rows],
    ))
    out.print(f"{trained} of {total} trained" + (f" ({round(100 * trained / total):g} %)" if total else ""))


MISSING_COLUMNS = ["employee_id", "name", "email", "unit", "role", "course"]


@training_app.command("missing")
def training_missing_cmd(
    ctx: typer.Context,
    plan: str = PLAN_ARG,
    unit: str | None = UNIT_OPTION,
    role: str | None = ROLE_OPTION,
    at: str | None = AT_OPTION,
    csv_out: bool = typer.Option(False, "--csv", help="Print CSV (semicolon-separated, for Excel) instead of a table."),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE", help="Write the CSV to FILE (UTF-8 with BOM)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Who lacks which required course as of --at: the no-training-no-access list.

    Example: golive training missing trondheim-2022 --unit legevakt -o mangler-opplaering.csv
    """
    from rollout.readiness.scope import readiness_scope
    from rollout.readiness.training import training_missing

    with app_context(ctx).db.session() as session:
        scope = readiness_scope(session, plan=plan, unit=unit, role=role)
        p = scope.plan
        when = parse_at(at, p.timezone)
        rows = training_missing(session, plan=p, at=when, unit_ids=scope.unit_ids, unit=scope.unit_id, role=scope.role)
    values = [[r.employee_id, r.name, r.email, r.unit, r.role, r.course] for r in rows]
    if as_json:
        from rollout.clock import iso

        emit_json({"plan": p.key, "at": iso(when, p.timezone), "rows": [dict(zip(MISSING_COLUMNS, v)) for v in values]})
        return
    if csv_out or output is not None:
        import sys

        from rollout.tabular.export import csv_text, write_atomically

        text = csv_text(MISSING_COLUMNS, values)
        if output is not None:
            write_atomically(output, text.encode("utf-8-sig"))
            say(f"Wrote {len(rows)} missing courses to {output}")
        else:
            sys.stdout.write(text)
        return
    from rollout.cli.output import local, table

    console().print(table(f"Missing training in {p.key} as of {local(when, p.timezone)} ({len(rows)})", MISSING_COLUMNS, values))
