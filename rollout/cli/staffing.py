"""`golive staffing …`: import planned and baseline headcount, and the shifts short of it (thin: parse, call, render)."""

from __future__ import annotations

from pathlib import Path

import typer

from rollout.cli.context import AS_OPTION, AT_OPTION, JSON_OPTION, app_context, console, emit_json, parse_at
from rollout.cli.readiness import (
    DRY_RUN_OPTION, FILE_ARG, GATE_OPTION, MAP_OPTION, ORG_OPTION, PLAN_ARG, PLAN_FOR_IMPORT, REPLACE_OPTION, parse_share, run_import,
)

staffing_app = typer.Typer(help="Planned and normal headcount per unit and shift.", no_args_is_help=True, add_completion=False)


@staffing_app.command("import")
def staffing_import(
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
    """Create or update planned and baseline headcount by (unit, date, shift), all or nothing.

    Example: golive staffing import bemanning.csv --org trondheim
    """
    from rollout.readiness.staffing import import_staffing

    run_import(ctx, import_staffing, path=file, dry_run=dry_run, as_json=as_json, replace=replace, organisation=org, plan=plan,
               mapping=mapping, actor=actor)


@staffing_app.command("gaps")
def staffing_gaps_cmd(
    ctx: typer.Context,
    plan: str = PLAN_ARG,
    gate: str | None = GATE_OPTION,
    minimum: float | None = typer.Option(
        None, "--min", metavar="SHARE", parser=parse_share,
        help="Planned ÷ baseline required, as 1.2, 1,2 or 120% (default: the gate's staffing_min, else 1.2).",
    ),
    at: str | None = AT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Shifts in the readiness window planned below staffing_min × baseline; a 24/7 shift with no row is a gap.

    Example: golive staffing gaps trondheim-2022 --gate T-7d
    """
    from rollout.readiness.scope import gate_threshold, readiness_scope, scope_window
    from rollout.readiness.shifts import DEFAULT_STAFFING_MIN
    from rollout.readiness.staffing import staffing_gaps

    with app_context(ctx).db.session() as session:
        scope = readiness_scope(session, plan=plan, gate=gate)
        p = scope.plan
        when = parse_at(at, p.timezone)
        share = minimum if minimum is not None else gate_threshold(
            session, plan=p, gate=scope.gate, criterion="staffing_min", default=DEFAULT_STAFFING_MIN)
        window = scope_window(session, scope, at=when)
        gaps, checked = staffing_gaps(session, plan=p, unit_ids=scope.unit_ids, window=window, minimum=share, units=scope.units)
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
          "—" if x.required is None else x.required] for x in gaps],
    ))
    out.print(f"{len(gaps)} of {checked} shifts short")
