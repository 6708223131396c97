"""`golive org`, `golive unit` and `golive plan`: read what the rollout files declared."""

from __future__ import annotations

import typer

from rollout.cli.complete import complete_organisations, complete_plans
from rollout.cli.context import AT_OPTION, JSON_OPTION, app_context, console, emit_json
from rollout.formats import thousands

org_app = typer.Typer(help="Organisations taking part in the rollout.", no_args_is_help=True, add_completion=False)
unit_app = typer.Typer(help="Units (enheter) of the organisations.", no_args_is_help=True, add_completion=False)


plan_app = typer.Typer(help="Phased rollout plans: phases, waves, gates.", no_args_is_help=True, add_completion=False)


@org_app.command("list")
def org_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List organisations with their unit count and staff.

    Example: golive org list --json
    """
    from rollout.catalog import organisation_rows
    from rollout.cli.output import Column, table

    with app_context(ctx).db.session() as session:
        rows = organisation_rows(session)
    if as_json:
        emit_json([r.as_json() for r in rows])
        return
    console().print(
        table(
            "Organisations",
            [Column("key", shorten=True), "name", "kind", Column("org number", drop=1), "units", "staff"],
            [[r.summary.organisation.key, r.summary.organisation.name, r.summary.organisation.kind, r.summary.organisation.org_number,
              r.summary.units, thousands(r.summary.staff)] for r in rows],
        )
    )


@org_app.command("show")
def org_show(ctx: typer.Context, key: str = typer.Argument(..., help="Organisation key.", autocompletion=complete_organisations),
             as_json: bool = JSON_OPTION) -> None:
    """Show one organisation, its units and its plans.

    Example: golive org show trondheim
    """
    from rollout.catalog import organisation_view
    from rollout.cli.output import Column, local, table

    with app_context(ctx).db.session() as session:
        view = organisation_view(session, key=key)
    if as_json:
        emit_json(view.as_json())
        return
    org = view.organisation
    out = console()
    out.print(f"[bold]{org.name}[/bold] ({org.key}) · {org.kind}" + (f" · org.nr. {org.org_number}" if org.org_number else ""))
    if view.contacts:
        out.print("Contacts: " + ", ".join(view.contacts))
    out.print(
        table(
            f"Units ({len(view.units)}, {thousands(view.staff)} staff)",
            [Column("key", shorten=True), "name", Column("service", drop=1), "hours", "staff"],
            [[u.unit.key, u.unit.name, u.unit.service, u.unit.hours, thousands(u.unit.staff)] for u in view.units],
        )
    )
    if view.plans:
        out.print(table("Plans", [Column("key", shorten=True), "name", "go-live"], [[p.key, p.name, local(p.go_live, p.timezone)] for p in view.plans]))


@unit_app.command("list")
def unit_list(
    ctx: typer.Context,
    org: str | None = typer.Option(None, "--org", help="Only units of this organisation."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List units, optionally of one organisation.

    Example: golive unit list --org trondheim
    """
    from rollout.catalog import unit_views
    from rollout.cli.output import Column, table

    with app_context(ctx).db.session() as session:
        units = unit_views(session, organisation=org)
    if as_json:
        emit_json([u.as_json() for u in units])
        return
    console().print(
        table(
            "Units",
            [Column("unit", shorten=True), "name", Column("service", drop=1), "hours", "staff"],
            [[u.key, u.unit.name, u.unit.service, u.unit.hours, thousands(u.unit.staff)] for u in units],
        )
    )


@plan_app.command("list")
def plan_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List plans in go-live order.

    Example: golive plan list
    """
    from rollout.catalog import plan_rows
    from rollout.cli.output import Column, local, table

    with app_context(ctx).db.session() as session:
        rows = plan_rows(session)
    if as_json:
        emit_json([r.as_json() for r in rows])
        return
    console().print(
        table(
            "Plans",
            [Column("key", shorten=True), Column("organisation", shorten=True, drop=1), "name", Column("cutover start", drop=3), "go-live",
             Column("hypercare until", drop=2)],
            [[r.plan.key, r.organisation, r.plan.name, local(r.plan.cutover_start, r.plan.timezone), local(r.plan.go_live, r.plan.timezone),
              r.plan.hypercare_until.isoformat()] for r in rows],
        )
    )


@plan_app.command("show")
def plan_show(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="Plan key.", autocompletion=complete_plans),
    at: str | None = AT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a plan: phases, waves and units, gates with due times, current phase and countdown.

    Example: golive plan show trondheim-2022 --at 2022-05-06T14:00
    """
    from rollout.catalog import plan_detail
    from rollout.cli.context import parse_at
    from rollout.cli.output import Column, local, table
    from rollout.clock import describe_duration
    from rollout.criteria import describe_criteria
    from rollout.plans import get_plan

    with app_context(ctx).db.session() as session:
        plan = get_plan(session, key)
        detail = plan_detail(session, plan=plan, at=parse_at(at, plan.timezone))
    if as_json:
        emit_json(detail.as_json())
        return
    view, tz = detail.view, plan.timezone
    left = view.until_go_live
    out = console()
    out.print(f"[bold]{plan.name}[/bold] ({plan.key}) · {view.organisation} · {tz}")
    out.print(f"Cutover start {local(plan.cutover_start, tz)} · go-live {local(plan.go_live, tz)} · hypercare until {plan.hypercare_until}")
    when = f"go-live in {describe_duration(left)}" if left.total_seconds() > 0 else f"live for {describe_duration(left)}"
    phase = view.current_phase.name if view.current_phase else "no declared phase"
    out.print(f"As of {local(view.as_of, tz)}: {view.stage}, phase: {phase}; {when}")
    if view.phases:
        out.print(table("Phases", ["", "phase", "start", "end"], [["▶" if detail.is_current(p.id) else "", p.name, p.start, p.end] for p in view.phases]))
    if view.waves:
        out.print(table("Waves", ["wave", "go-live", "units"], [[w.wave.name, local(w.wave.go_live, tz), ", ".join(w.units)] for w in view.waves]))
    if view.gates:
        out.print(
            table(
                "Gates",
                [Column("gate", shorten=True), "at", Column("wave", wrap=True), "due", "criteria"],
                [[g.gate.key, g.gate.at or "(when checked)", g.wave or "", local(g.gate.due_at, tz) if g.gate.due_at else "—",
                  describe_criteria(g.gate.criteria)] for g in view.gates],
            )
        )
