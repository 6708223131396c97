"""`golive people|training|staffing|roster …`: readiness imports and views (thin: parse, call, render)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from rollout.cli.context import AS_OPTION, AT_OPTION, JSON_OPTION, app_context, console, emit_json, parse_at, say

people_app = typer.Typer(help="People from HR: who works where, in which role, and who is a superuser.", no_args_is_help=True, add_completion=False)
training_app = typer.Typer(help="Training completions and who is trained.", no_args_is_help=True, add_completion=False)
staffing_app = typer.Typer(help="Planned and normal headcount per unit and shift.", no_args_is_help=True, add_completion=False)
roster_app = typer.Typer(help="Superuser rosters: who is on duty where, and the gaps.", no_args_is_help=True, add_completion=False)

MAP_OPTION = typer.Option(None, "--map", metavar="HEADER=COLUMN,…", help='Map other headers to canonical columns, e.g. "Ansattnr=employee_id,Navn=name".')
DRY_RUN_OPTION = typer.Option(False, "--dry-run", help="Show what would change and write nothing.")
REPLACE_OPTION = typer.Option(False, "--replace", help="Sync: also delete rows in the file's scope that the file no longer names.")
ORG_OPTION = typer.Option(None, "--org", metavar="ORG", help="Organisation for bare unit keys.")
PLAN_FOR_IMPORT = typer.Option(None, "--plan", metavar="PLAN", help="Plan whose shifts and time zone apply (default: the unit's organisation's plan nearest in time).")
FILE_ARG = typer.Argument(..., help="CSV (UTF-8, UTF-8 with BOM or Windows-1252; comma or semicolon) or XLSX.", show_default=False)
PLAN_ARG = typer.Argument(..., help="Plan key.", show_default=False)
UNIT_OPTION = typer.Option(None, "--unit", metavar="UNIT", help="Only this unit (orgkey/unitkey or unitkey).")
ROLE_OPTION = typer.Option(None, "--role", metavar="ROLE", help="Only this role.")
GATE_OPTION = typer.Option(None, "--gate", metavar="GATE", help="Take the threshold and the units (its wave) from this gate.")


def _report_import(result: Any, as_json: bool) -> None:
    if as_json:
        emit_json(result.as_json())
        return
    skipped = f", {result.skipped} rows without a completion skipped" if result.skipped else ""
    deleted = f", {result.deleted} deleted" if result.deleted else ""
    summary = f"{result.created} created, {result.updated} updated{deleted}, {result.unchanged} unchanged{skipped}"
    if result.dry_run:
        say(f"Dry run: {result.file}: would make {summary}; nothing written.")
    elif not result.changed:
        say(f"Nothing changed ({result.rows} rows, {summary})")
    else:
        say(f"Imported {result.file}: {summary}.")


def _run_import(ctx: typer.Context, fn: Any, *, dry_run: bool, as_json: bool, **kwargs: Any) -> None:
    from rollout.settings import acting_person

    with app_context(ctx).db.session(write=True) as session:
        if "plan" in kwargs and isinstance(kwargs["plan"], str):
            from rollout.plans import get_plan

            kwargs["plan"] = get_plan(session, kwargs["plan"])
        if "tz_plan" in kwargs:
            from rollout.plans import get_plan

            key = kwargs.pop("tz_plan")
            if key:
                kwargs["tz"] = get_plan(session, key).timezone
        result = fn(session, actor=acting_person(kwargs.pop("actor")), dry_run=dry_run, **kwargs)
        if dry_run:
            session.rollback()
    _report_import(result, as_json)


@people_app.command("import")
def people_import(
    ctx: typer.Context,
    file: Path = FILE_ARG,
    org: str | None = ORG_OPTION,
    mapping: str | None = MAP_OPTION,
    dry_run: bool = DRY_RUN_OPTION,
    replace: bool = REPLACE_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Create or update people by employee_id (columns employee_id, name, email, organisation, unit, role, superuser), all or nothing.

    Example: golive people import ansatte.csv --org trondheim --map "Ansattnr=employee_id,Navn=name"
    """
    from rollout.readiness.people import import_people

    _run_import(ctx, import_people, dry_run=dry_run, as_json=as_json, replace=replace, path=file, organisation=org, mapping=mapping, actor=actor)


@training_app.command("import")
def training_import(
    ctx: typer.Context,
    file: Path = FILE_ARG,
    plan: str | None = typer.Option(None, "--plan", metavar="PLAN", help="Plan whose time zone dates are in (default Europe/Oslo)."),
    course: str | None = typer.Option(None, "--course", metavar="CODE", help="Course of every row (a Moodle one-course completion report)."),
    mapping: str | None = MAP_OPTION,
    dry_run: bool = DRY_RUN_OPTION,
    replace: bool = REPLACE_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Import course completions (employee_id, course, completed; or a Moodle completion export); retakes keep the earliest.

    Example: golive training import fullforte-kurs.csv --plan trondheim-2022
    """
    from rollout.readiness.training import import_training

    _run_import(ctx, import_training, dry_run=dry_run, as_json=as_json, replace=replace, path=file, tz_plan=plan, course=course, mapping=mapping, actor=actor)


def _scope(session: Any, plan_key: str, gate_key: str | None, unit: str | None) -> tuple[Any, Any, list[int], int | None]:
    from rollout.gates import gate_context, get_gate
    from rollout.organisations import resolve_unit
    from rollout.plans import get_plan

    plan = get_plan(session, plan_key)
    gate = get_gate(session, plan, gate_key) if gate_key else None
    ctx = gate_context(session, plan=plan, gate=gate, at=parse_at(None, plan.timezone))
    unit_id = None
    if unit is not None:
        from rollout.models import Organisation

        org = session.get(Organisation, plan.organisation_id)
        unit_id = resolve_unit(session, unit, organisation=org.key if org and "/" not in unit else None).id
    return plan, gate, ctx.unit_ids, unit_id


def _threshold(session: Any, plan: Any, gate: Any, name: str, default: float) -> float:
    from rollout.gates import plan_gates

    if gate is not None and name in (gate.criteria or {}):
        return float(gate.criteria[name])
    for g in plan_gates(session, plan):
        if name in (g.criteria or {}) and not isinstance(g.criteria[name], dict):
            return float(g.criteria[name])
    return default


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
    from rollout.readiness.training import training_status

    with app_context(ctx).db.session() as session:
        p, _gate, unit_ids, unit_id = _scope(session, plan, None, unit)
        when = parse_at(at, p.timezone)
        rows = training_status(session, plan=p, at=when, unit_ids=unit_ids, unit=unit_id, role=role)
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
    from rollout.readiness.training import training_missing

    with app_context(ctx).db.session() as session:
        p, _gate, unit_ids, unit_id = _scope(session, plan, None, unit)
        when = parse_at(at, p.timezone)
        rows = training_missing(session, plan=p, at=when, unit_ids=unit_ids, unit=unit_id, role=role)
    columns = ["employee_id", "name", "email", "unit", "role", "course"]
    if as_json:
        from rollout.clock import iso

        emit_json({"plan": p.key, "at": iso(when, p.timezone), "rows": [dict(zip(columns, [r.employee_id, r.name, r.email, r.unit, r.role, r.course])) for r in rows]})
        return
    if csv_out or output is not None:
        import csv
        import io
        import sys

        from rollout.readiness.imports import safe_cell

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([safe_cell(v) if v is not None else "" for v in (r.employee_id, r.name, r.email, r.unit, r.role, r.course)])
        if output is not None:
            output.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
            say(f"Wrote {len(rows)} missing courses to {output}")
        else:
            sys.stdout.write(buffer.getvalue())
        return
    from rollout.cli.output import local, table

    console().print(table(
        f"Missing training in {p.key} as of {local(when, p.timezone)} ({len(rows)})",
        columns, [[r.employee_id, r.name, r.email, r.unit, r.role, r.course] for r in rows],
    ))


@staffing_app.command("import")
def staffing_import(
    ctx: typer.Context,
    file: Path = FILE_ARG,
    org: str | None = ORG_OPTION,
    plan: str | None = PLAN_FOR_IMPORT,
    mapping: str | None = MAP_OPTION,
    dry_run: bool = DRY_RUN_OPTION,
    replace: bool = REPLACE_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Create or update planned and baseline headcount by (unit, date, shift), all or nothing.

    Example: golive staffing import bemanning.csv --org trondheim
    """
    from rollout.readiness.staffing import import_staffing

    _run_import(ctx, import_staffing, dry_run=dry_run, as_json=as_json, replace=replace, path=file, organisation=org, plan=plan, mapping=mapping, actor=actor)


@staffing_app.command("gaps")
def staffing_gaps_cmd(
    ctx: typer.Context,
    plan: str = PLAN_ARG,
    gate: str | None = GATE_OPTION,
    minimum: float | None = typer.Option(None, "--min", metavar="SHARE", help="Planned ÷ baseline required (default: the gate's staffing_min, else 1.2)."),
    at: str | None = AT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Shifts in the readiness window planned below staffing_min × baseline; a 24/7 shift with no row is a gap.

    Example: golive staffing gaps trondheim-2022 --gate T-7d
    """
    from rollout.gates import gate_context
    from rollout.readiness.criteria import gate_window
    from rollout.readiness.scope import DEFAULT_STAFFING_MIN, plan_units
    from rollout.readiness.staffing import staffing_gaps

    with app_context(ctx).db.session() as session:
        p, g, unit_ids, _unit = _scope(session, plan, gate, None)
        when = parse_at(at, p.timezone)
        share = minimum if minimum is not None else _threshold(session, p, g, "staffing_min", DEFAULT_STAFFING_MIN)
        gctx = gate_context(session, plan=p, gate=g, at=when)
        window = gate_window(session, gctx)
        units = plan_units(session, p, wave_id=g.wave_id if g is not None else None)
        gaps, checked = staffing_gaps(session, plan=p, unit_ids=unit_ids, window=window, minimum=share, units=units)
    from rollout.clock import iso

    tz = p.timezone
    if as_json:
        emit_json({"plan": p.key, "staffing_min": share, "window": {"start": iso(window[0], tz), "end": iso(window[1], tz)},
                   "shifts_checked": checked, "gaps": [x.as_json(tz) for x in gaps]})
        return
    from rollout.cli.output import local, table

    out = console()
    out.print(table(
        f"Staffing gaps in {p.key}, {local(window[0], tz)} → {local(window[1], tz)} (need {round(share * 100):g} % of baseline)",
        ["unit", "date", "shift", "planned", "baseline", "need"],
        [[x.slot.unit, x.slot.day, x.slot.shift, "—" if x.planned is None else x.planned, "—" if x.baseline is None else x.baseline,
          "—" if x.required is None else f"{x.required:g}"] for x in gaps],
    ))
    out.print(f"{len(gaps)} of {checked} shifts short")


@roster_app.command("import")
def roster_import(
    ctx: typer.Context,
    file: Path = FILE_ARG,
    org: str | None = ORG_OPTION,
    plan: str | None = PLAN_FOR_IMPORT,
    mapping: str | None = MAP_OPTION,
    dry_run: bool = DRY_RUN_OPTION,
    replace: bool = REPLACE_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Import superusers on duty: employee_id, unit, date, shift (dag/kveld/natt) or employee_id, unit, start, end.

    Example: golive roster import superbrukere.xlsx --org trondheim
    """
    from rollout.readiness.roster import import_roster

    _run_import(ctx, import_roster, dry_run=dry_run, as_json=as_json, replace=replace, path=file, organisation=org, plan=plan, mapping=mapping, actor=actor)


@roster_app.command("gaps")
def roster_gaps_cmd(
    ctx: typer.Context,
    plan: str = PLAN_ARG,
    gate: str | None = GATE_OPTION,
    maximum: float | None = typer.Option(None, "--max", metavar="N", help="Staff per superuser allowed (default: the gate's staff_per_superuser_max, else 10)."),
    min_rest: float = typer.Option(11.0, "--min-rest", metavar="HOURS", help="Rest between two duties of one person (a warning below it)."),
    at: str | None = AT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Superuser cover on every staffed shift in the readiness window, untrained superusers, double bookings, short rest, spread.

    Example: golive roster gaps trondheim-2022 --gate T-7d --at 2022-04-30T06:00 --json
    """
    from rollout.gates import gate_context
    from rollout.readiness.criteria import gate_window
    from rollout.readiness.roster import roster_gaps
    from rollout.readiness.scope import DEFAULT_STAFF_PER_SUPERUSER

    with app_context(ctx).db.session() as session:
        p, g, unit_ids, _unit = _scope(session, plan, gate, None)
        when = parse_at(at, p.timezone)
        limit = maximum if maximum is not None else _threshold(session, p, g, "staff_per_superuser_max", DEFAULT_STAFF_PER_SUPERUSER)
        window = gate_window(session, gate_context(session, plan=p, gate=g, at=when))
        report = roster_gaps(session, plan=p, at=when, unit_ids=unit_ids, window=window, maximum=limit, min_rest_hours=min_rest)
    from rollout.clock import iso

    tz = p.timezone
    if as_json:
        emit_json({"plan": p.key, "at": iso(when, tz), **report.as_json(tz)})
        return
    from rollout.cli.output import local, table

    out = console()
    out.print(f"Superuser roster for {p.key}, {local(window[0], tz)} → {local(window[1], tz)}, as of {local(when, tz)}")
    out.print(table(
        f"Shifts over {limit:g} staff per superuser ({len(report.ratio_gaps)} of {report.shifts_checked})",
        ["unit", "date", "shift", "staff", "superusers", "per superuser"],
        [[x.unit, x.day, x.shift, x.staff, x.superusers, "—" if x.ratio is None else f"{x.ratio:.1f}"] for x in report.ratio_gaps],
    ))
    if report.untrained_superusers:
        out.print(table(f"On duty without the superuser course ({len(report.untrained_superusers)})", ["employee", "name", "unit", "duties"],
                        [[x["employee_id"], x["name"], x["unit"], x["shifts"]] for x in report.untrained_superusers]))
    if report.double_bookings:
        out.print(table(f"In two places at once ({len(report.double_bookings)})", ["employee", "name", "first", "second"],
                        [[x["employee_id"], x["name"], f"{x['first']['unit']} {x['first']['start']}", f"{x['second']['unit']} {x['second']['start']}"]
                         for x in report.double_bookings]))
    if report.rest_violations:
        out.print(table(f"Rest under {min_rest:g} h (warning) ({len(report.rest_violations)})", ["employee", "name", "rest", "from", "to"],
                        [[x["employee_id"], x["name"], f"{x['rest_minutes'] // 60} h {x['rest_minutes'] % 60:02d} min", x["previous_end"], x["next_start"]]
                         for x in report.rest_violations]))
    summary = report.as_json(tz)["spread_summary"]
    out.print(f"Spread: {summary['superusers']} superusers on duty, {summary['min']}-{summary['max']} duties each (mean {summary['mean']:g})")


@roster_app.command("ical")
def roster_ical(
    ctx: typer.Context,
    person: str | None = typer.Option(None, "--person", metavar="ID", help="Duties of one superuser (employee_id)."),
    unit: str | None = typer.Option(None, "--unit", metavar="UNIT", help="Duties on one unit (orgkey/unitkey or unitkey)."),
    org: str | None = ORG_OPTION,
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE", help="The .ics file to write.", show_default=False),
) -> None:
    """Write superuser duties as an iCalendar file (RFC 5545, with a VTIMEZONE for Europe/Oslo).

    Example: golive roster ical --unit trondheim/legevakt -o legevakt-superbrukere.ics
    """
    from rollout.errors import GoliveError

    if (person is None) == (unit is None):
        raise GoliveError("give exactly one of --person ID or --unit UNIT")
    from sqlalchemy import select

    from rollout.errors import NotFound
    from rollout.organisations import resolve_unit
    from rollout.readiness.ical import roster_calendar
    from rollout.readiness.models import Person
    from rollout.readiness.roster import roster_entries

    with app_context(ctx).db.session() as session:
        if person is not None:
            pid = session.execute(select(Person.id).where(Person.employee_id == person)).scalar()
            if pid is None:
                raise NotFound(f"no person with employee_id {person!r}")
            entries = roster_entries(session, person_id=pid)
            title = f"Superbrukervakter {person}"
        else:
            u = resolve_unit(session, unit or "", organisation=org)
            entries = roster_entries(session, unit_id=u.id)
            title = f"Superbrukere {u.name}"
    output.write_bytes(roster_calendar(entries, title=title))
    say(f"Wrote {len(entries)} duties to {output}")
