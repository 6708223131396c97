"""`golive org`, `golive unit` and `golive plan`: read what the rollout files declared."""

from __future__ import annotations

import typer

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
    from rollout.cli.output import table
    from rollout.organisations import list_organisations

    with app_context(ctx).db.session() as session:
        rows = list_organisations(session)
    if as_json:
        emit_json(
            [
                {
                    "id": r.organisation.id,
                    "key": r.organisation.key,
                    "name": r.organisation.name,
                    "kind": r.organisation.kind,
                    "org_number": r.organisation.org_number,
                    "units": r.units,
                    "staff": r.staff,
                }
                for r in rows
            ]
        )
        return
    console().print(
        table(
            "Organisations",
            ["key", "name", "kind", "org number", "units", "staff"],
            [[r.organisation.key, r.organisation.name, r.organisation.kind, r.organisation.org_number, r.units, thousands(r.staff)] for r in rows],
        )
    )


@org_app.command("show")
def org_show(ctx: typer.Context, key: str = typer.Argument(..., help="Organisation key."), as_json: bool = JSON_OPTION) -> None:
    """Show one organisation, its units and its plans.

    Example: golive org show trondheim
    """
    from rollout.cli.output import iso, local, table
    from rollout.organisations import contacts_for, get_organisation, list_units, plans_of

    with app_context(ctx).db.session() as session:
        org = get_organisation(session, key)
        units = [u for u, _ in list_units(session, organisation=key)]
        plans = plans_of(session, org)
        contacts = contacts_for(session, org.key)
    if as_json:
        emit_json(
            {
                "id": org.id,
                "key": org.key,
                "name": org.name,
                "kind": org.kind,
                "org_number": org.org_number,
                "units": [_unit_json(u, org.key) for u in units],
                "plans": [{"id": p.id, "key": p.key, "go_live": iso(p.go_live, p.timezone)} for p in plans],
                "contacts": contacts,
            }
        )
        return
    out = console()
    out.print(f"[bold]{org.name}[/bold] ({org.key}) · {org.kind}" + (f" · org.nr. {org.org_number}" if org.org_number else ""))
    if contacts:
        out.print("Contacts: " + ", ".join(contacts))
    out.print(
        table(
            f"Units ({len(units)}, {thousands(sum(u.staff for u in units))} staff)",
            ["key", "name", "service", "hours", "staff"],
            [[u.key, u.name, u.service, u.hours, thousands(u.staff)] for u in units],
        )
    )
    if plans:
        out.print(table("Plans", ["key", "name", "go-live"], [[p.key, p.name, local(p.go_live, p.timezone)] for p in plans]))


@unit_app.command("list")
def unit_list(
    ctx: typer.Context,
    org: str | None = typer.Option(None, "--org", help="Only units of this organisation."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List units, optionally of one organisation.

    Example: golive unit list --org trondheim
    """
    from rollout.cli.output import table
    from rollout.organisations import list_units

    with app_context(ctx).db.session() as session:
        rows = list_units(session, organisation=org)
    if as_json:
        emit_json([_unit_json(u, org_key) for u, org_key in rows])
        return
    console().print(
        table(
            "Units",
            ["unit", "name", "service", "hours", "staff"],
            [[f"{o}/{u.key}", u.name, u.service, u.hours, thousands(u.staff)] for u, o in rows],
        )
    )


@plan_app.command("list")
def plan_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List plans in go-live order.

    Example: golive plan list
    """
    from rollout.cli.output import iso, local, table
    from rollout.plans import list_plans

    with app_context(ctx).db.session() as session:
        rows = list_plans(session)
    if as_json:
        emit_json(
            [
                {
                    "id": p.id,
                    "key": p.key,
                    "organisation": o,
                    "name": p.name,
                    "timezone": p.timezone,
                    "cutover_start": iso(p.cutover_start, p.timezone),
                    "go_live": iso(p.go_live, p.timezone),
                    "hypercare_until": p.hypercare_until.isoformat(),
                }
                for p, o in rows
            ]
        )
        return
    console().print(
        table(
            "Plans",
            ["key", "organisation", "name", "cutover start", "go-live", "hypercare until"],
            [[p.key, o, p.name, local(p.cutover_start, p.timezone), local(p.go_live, p.timezone), p.hypercare_until.isoformat()] for p, o in rows],
        )
    )


@plan_app.command("show")
def plan_show(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="Plan key."),
    at: str | None = AT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a plan: phases, waves and units, gates with due times, current phase and countdown.

    Example: golive plan show trondheim-2022 --at 2022-05-06T14:00
    """
    from rollout.cli.context import parse_at
    from rollout.cli.output import iso, local, table
    from rollout.clock import describe_duration, minutes
    from rollout.criteria import describe_criteria
    from rollout.plans import get_plan, plan_view

    with app_context(ctx).db.session() as session:
        plan = get_plan(session, key)
        view = plan_view(session, plan, at=parse_at(at, plan.timezone))
    tz = plan.timezone
    left = view.until_go_live
    if as_json:
        emit_json(
            {
                "id": plan.id,
                "key": plan.key,
                "organisation": view.organisation,
                "name": plan.name,
                "timezone": tz,
                "cutover_start": iso(plan.cutover_start, tz),
                "go_live": iso(plan.go_live, tz),
                "hypercare_until": plan.hypercare_until.isoformat(),
                "playbook": plan.playbook,
                "language": plan.language,
                "readiness_window_days": plan.readiness_window_days,
                "as_of": iso(view.as_of, tz),
                "stage": view.stage,
                "current_phase": view.current_phase.name if view.current_phase else None,
                "countdown": {"to": "go_live", "minutes": minutes(left), "live": left.total_seconds() <= 0},
                "next_gate": _gate_json(view.next_gate, tz) if view.next_gate else None,
                "phases": [
                    {"id": p.id, "name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat(),
                     "current": view.current_phase is not None and p.id == view.current_phase.id}
                    for p in view.phases
                ],
                "waves": [
                    {"id": w.wave.id, "name": w.wave.name, "go_live": iso(w.wave.go_live, tz), "units": w.units}
                    for w in view.waves
                ],
                "gates": [_gate_json(g, tz) for g in view.gates],
            }
        )
        return
    out = console()
    out.print(f"[bold]{plan.name}[/bold] ({plan.key}) · {view.organisation} · {tz}")
    out.print(f"Cutover start {local(plan.cutover_start, tz)} · go-live {local(plan.go_live, tz)} · hypercare until {plan.hypercare_until}")
    when = f"go-live in {describe_duration(left)}" if left.total_seconds() > 0 else f"live for {describe_duration(left)}"
    phase = view.current_phase.name if view.current_phase else "no declared phase"
    out.print(f"As of {local(view.as_of, tz)}: {view.stage}, phase: {phase}; {when}")
    if view.phases:
        out.print(table("Phases", ["", "phase", "start", "end"],
                        [["▶" if view.current_phase and p.id == view.current_phase.id else "", p.name, p.start, p.end] for p in view.phases]))
    if view.waves:
        out.print(table("Waves", ["wave", "go-live", "units"], [[w.wave.name, local(w.wave.go_live, tz), ", ".join(w.units)] for w in view.waves]))
    if view.gates:
        out.print(
            table(
                "Gates",
                ["gate", "at", "wave", "due", "criteria"],
                [[g.gate.key, g.gate.at or "(when checked)", g.wave or "", local(g.gate.due_at, tz) if g.gate.due_at else "—",
                  describe_criteria(g.gate.criteria)] for g in view.gates],
            )
        )


def _gate_json(g, tz: str) -> dict:  # noqa: ANN001 - a GateView
    from rollout.cli.output import iso

    return {"id": g.gate.id, "key": g.gate.key, "at": g.gate.at, "wave": g.wave, "due": iso(g.gate.due_at, tz), "criteria": g.gate.criteria,
            "readiness_window_days": g.gate.readiness_window_days}


def _unit_json(u, org_key: str) -> dict:  # noqa: ANN001 - a Unit
    return {"id": u.id, "organisation": org_key, "key": u.key, "unit": f"{org_key}/{u.key}", "name": u.name,
            "service": u.service, "hours": u.hours, "staff": u.staff}
