"""`golive people …`: import people from HR, list them and show one (thin: parse, call, render)."""

from __future__ import annotations

from pathlib import Path

import typer

from rollout.cli.complete import complete_organisations
from rollout.cli.context import AS_OPTION, JSON_OPTION, app_context, console, emit_json
from rollout.cli.readiness import DRY_RUN_OPTION, FILE_ARG, MAP_OPTION, ORG_OPTION, REPLACE_OPTION, ROLE_OPTION, UNIT_OPTION, run_import

people_app = typer.Typer(help="People from HR: who works where, in which role, and who is a superuser.", no_args_is_help=True, add_completion=False)


@people_app.command("import")
def people_import(
    ctx: typer.Context,
    file: Path = FILE_ARG,
    org: str | None = ORG_OPTION,
    mapping: dict[str, str] | None = MAP_OPTION,
    dry_run: bool = DRY_RUN_OPTION,
    replace: bool = REPLACE_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Create or update people by employee_id (columns employee_id, name, email, organisation, unit, role, superuser), all or nothing.

    Example: golive people import ansatte.csv --org trondheim --map "Ansattnr=employee_id,Navn=name"
    """
    from rollout.readiness.people import import_people

    run_import(ctx, import_people, path=file, dry_run=dry_run, as_json=as_json, replace=replace, organisation=org, mapping=mapping, actor=actor)


@people_app.command("list")
def people_list(
    ctx: typer.Context,
    org: str | None = typer.Option(None, "--org", metavar="ORG", help="Only this organisation.", autocompletion=complete_organisations),
    unit: str | None = UNIT_OPTION,
    role: str | None = ROLE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """People by unit and employee id, with role and whether they are a superuser.

    Example: golive people list --org trondheim --unit legevakt --role lege
    """
    from rollout.readiness.people import list_people

    with app_context(ctx).db.session() as session:
        rows = list_people(session, organisation=org, unit=unit, role=role)
    if as_json:
        emit_json({"people": [r.as_json() for r in rows]})
        return
    from rollout.cli.output import Column, table

    shown = [r.as_json() for r in rows]
    out = console()
    out.print(table(f"People ({len(rows)})", ["employee_id", Column("name", wrap=True), "unit", "role", Column("superuser", drop=2),
                                              Column("email", drop=1)],
                    [[p["employee_id"], p["name"], p["unit"], p["role"], "ja" if p["superuser"] else "", p["email"]] for p in shown]))


@people_app.command("show")
def people_show(
    ctx: typer.Context,
    employee_id: str = typer.Argument(..., metavar="EMPLOYEE_ID", help="The person's employee id.", show_default=False),
    as_json: bool = JSON_OPTION,
) -> None:
    """One person: unit, role, superuser, completed courses and superuser duties.

    Example: golive people show TK10001
    """
    from rollout.readiness.people import show_person

    with app_context(ctx).db.session() as session:
        detail = show_person(session, employee_id=employee_id)
    view = detail.as_json()
    if as_json:
        emit_json(view)
        return
    from rollout.cli.output import local, table

    tz = "Europe/Oslo"
    out = console()
    out.print(f"{view['name']} ({view['employee_id']}): {view['role']} on {view['unit']} ({view['unit_name']})"
              + (", superuser" if view["superuser"] else "") + (f", {view['email']}" if view["email"] else ""))
    out.print(table(f"Completed courses ({len(view['completions'])})", ["course", "completed"],
                    [[c, local(at, tz)] for c, at in detail.completions]))
    if view["duties"]:
        out.print(table(f"Superuser duties ({len(view['duties'])})", ["unit", "shift", "start", "end"],
                        [[u, s or "", local(a, tz), local(b, tz)] for u, s, a, b in detail.duties]))
