"""`golive roster …`: import superuser duties, their gaps, and duties as a calendar file (thin: parse, call, render)."""

from __future__ import annotations

from pathlib import Path

import typer

from rollout.cli.complete import complete_units
from rollout.cli.context import AS_OPTION, AT_OPTION, JSON_OPTION, app_context, console, emit_json, parse_at, say
from rollout.cli.readiness import (
    DRY_RUN_OPTION, FILE_ARG, GATE_OPTION, MAP_OPTION, ORG_OPTION, PLAN_ARG, PLAN_FOR_IMPORT, REPLACE_OPTION, parse_hours,
    parse_positive, run_import,
)

roster_app = typer.Typer(help="Superuser rosters: who is on duty where, and the gaps.", no_args_is_help=True, add_completion=False)


@roster_app.command("import")
def roster_import(
    ctx: typer.Context,
    file: Path = FILE_ARG,
    org: str | None = ORG_OPTION,
    plan: str | None = PLAN_FOR_IMPORT,
    mapping: dict[str, str] | None = MAP_OPTION,
    dry_run: bool = DRY_RUN_OPTION,
    replace: bool = REPLACE_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Import superusers on duty: employee_id, unit, date, shift (dag/kveld/natt) or employee_id, unit, start, end.

    Example: golive roster import superbrukere.xlsx --org trondheim
    """
    from rollout.readiness.roster import import_roster

    run_import(ctx, import_roster, path=file, dry_run=dry_run, as_json=as_json, replace=replace, organisation=org, plan=plan,
               mapping=mapping, actor=actor)


@roster_app.command("gaps")
def roster_gaps_cmd(
    ctx: typer.Context,
    plan: str = PLAN_ARG,
    gate: str | None = GATE_OPTION,
    maximum: float | None = typer.Option(
        None, "--max", metavar="N", parser=parse_positive,
        help="Staff per superuser allowed, above 0 (default: the gate's staff_per_superuser_max, else 10).",
    ),
    min_rest: float = typer.Option(11.0, "--min-rest", metavar="HOURS", parser=parse_hours,
                                   help="Rest between two duties of one person (a warning below it)."),
    at: str | None = AT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Superuser cover on every staffed shift in the readiness window, untrained superusers, double bookings, short rest, spread.

    Example: golive roster gaps trondheim-2022 --gate T-7d --at 2022-04-30T06:00 --json
    """
    from rollout.readiness.roster import roster_gaps
    from rollout.readiness.scope import gate_threshold, readiness_scope, scope_window
    from rollout.readiness.shifts import DEFAULT_STAFF_PER_SUPERUSER

    with app_context(ctx).db.session() as session:
        scope = readiness_scope(session, plan=plan, gate=gate)
        p = scope.plan
        when = parse_at(at, p.timezone)
        limit = maximum if maximum is not None else gate_threshold(
            session, plan=p, gate=scope.gate, criterion="staff_per_superuser_max", default=DEFAULT_STAFF_PER_SUPERUSER)
        window = scope_window(session, scope, at=when)
        report = roster_gaps(session, plan=p, at=when, unit_ids=scope.unit_ids, window=window, maximum=limit, min_rest_hours=min_rest)
    from rollout.clock import iso

    tz = p.timezone
    if as_json:
        emit_json({"plan": p.key, "at": iso(when, tz), **report.as_json(tz)})
        return
    from rollout.cli.output import local, table

    out = console()
    from rollout.cli.prose import say_lines

    say_lines(out, f"Superuser roster for {p.key}, {local(window[0], tz)} → {local(window[1], tz)}, as of {local(when, tz)}")
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
    unit: str | None = typer.Option(None, "--unit", metavar="UNIT", help="Duties on one unit (orgkey/unitkey or unitkey).", autocompletion=complete_units),
    org: str | None = ORG_OPTION,
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE", help="The .ics file to write.", show_default=False),
) -> None:
    """Write superuser duties as an iCalendar file (RFC 5545, with a VTIMEZONE for Europe/Oslo).

    Example: golive roster ical --unit trondheim/legevakt -o legevakt-superbrukere.ics
    """
    from rollout.errors import GoliveError

    if (person is None) == (unit is None):
        raise GoliveError("give exactly one of --person ID or --unit UNIT")
    from rollout.readiness.ical import roster_calendar
    from rollout.readiness.roster import duties_of
    from rollout.tabular.export import write_atomically

    with app_context(ctx).db.session() as session:
        entries, title = duties_of(session, employee_id=person, unit=unit, organisation=org)
    write_atomically(output, roster_calendar(entries, title=title))
    say(f"Wrote {len(entries)} duties to {output}")
