"""`golive gate check|decide|history`: go/no-go from the data, and decisions with their evidence."""

from __future__ import annotations

import typer

from rollout.cli.complete import complete_decision_keys, complete_gates, complete_plans
from rollout.cli.prose import say_lines
from rollout.cli.context import AS_OPTION, AT_OPTION, JSON_OPTION, app_context, console, emit_json, parse_at, say

gate_app = typer.Typer(help="Go/no-go gates: evaluate from the data, record decisions.", no_args_is_help=True, add_completion=False)

SHOWN_OFFENDERS = 8


@gate_app.command("check")
def check(
    ctx: typer.Context,
    plan: str = typer.Argument(..., help="Plan key.", show_default=False, autocompletion=complete_plans),
    gate: str | None = typer.Argument(None, help="Gate key (default: every gate of the plan).", autocompletion=complete_gates),
    at: str | None = AT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Evaluate gates from the data as of --at (or now): GO exits 0, NO-GO exits 3.

    Example: golive gate check trondheim-2022 T-7d --at 2022-04-30T06:00
    """
    from rollout.gates import NO_GO, evaluate_plan
    from rollout.plans import get_plan

    with app_context(ctx).db.session() as session:
        p = get_plan(session, plan)
        when = parse_at(at, p.timezone)
        result = evaluate_plan(session, plan=p, at=when, gate_key=gate)
    verdicts = result.gates
    if as_json:
        emit_json(result.as_json())
    else:
        from rollout.cli.output import local

        out = console()
        for v in verdicts:
            wave = f" ({v.wave})" if v.wave else ""
            say_lines(out, f"Gate {v.gate.key}{wave} of {p.key} as of {local(when, p.timezone)} (due {local(v.gate.due_at, p.timezone)}): {v.verdict}")
            if not v.measurements:
                say_lines(out, f"  FAIL {v.reasons[0]}")
            for m in v.measurements:
                mark = "ok  " if m.passed is True else ("FAIL" if m.passed is False else "??  ")
                say_lines(out, f"  {mark} {m.criterion}: {m.summary}")
                for line in m.offenders[:SHOWN_OFFENDERS]:
                    say_lines(out, f"         {line}")
                if len(m.offenders) > SHOWN_OFFENDERS:
                    say_lines(out, f"         … and {len(m.offenders) - SHOWN_OFFENDERS} more (--json lists all)")
        if not verdicts:
            say(f"Plan {p.key} has no gates")
    if result.verdict == NO_GO:
        raise typer.Exit(3)


@gate_app.command("decide")
def decide_cmd(
    ctx: typer.Context,
    plan: str = typer.Argument(..., help="Plan key.", show_default=False, autocompletion=complete_plans),
    gate: str = typer.Argument(..., help="Gate key.", show_default=False, autocompletion=complete_decision_keys),
    go: bool | None = typer.Option(None, "--go/--no-go", help="The decision.", show_default=False),
    by: str = typer.Option(..., "--by", metavar="NAME", help="Who made the decision (may differ from --as, who records it).", show_default=False),
    note: str = typer.Option(..., "--note", metavar="TEXT", help="Why.", show_default=False),
    override: bool = typer.Option(False, "--override", help="Record GO although the data says NO-GO (marked as an override)."),
    at: str | None = AT_OPTION,
    actor: str | None = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a go/no-go decision with the full evidence snapshot; decisions are never changed.

    Example: golive gate decide trondheim-2022 T-1d --go --by "Prosjektleder Kari" --note "Alle enheter klare"
    """
    if go is None:
        raise typer.BadParameter("give --go or --no-go", param_hint="--go/--no-go")
    from rollout.gates import decide
    from rollout.plans import get_plan
    from rollout.settings import acting_person

    with app_context(ctx).db.session(write=True) as session:
        p = get_plan(session, plan)
        when = parse_at(at, p.timezone)
        decision, verdict = decide(
            session, plan=p, key=gate, go=go, decided_by=by, note=note, actor=acting_person(actor), at=when, override=override
        )
    data = _decision_json(decision, p.timezone, evidence=False)
    if as_json:
        emit_json(data)
        return
    marked = " (override: the data said NO-GO)" if decision.override else ""
    verdict_text = f"; the data said {decision.verdict}" if decision.verdict and not decision.override else ""
    say(f"Recorded {decision.decision.upper()} for {p.key}/{gate} by {decision.decided_by}{marked}{verdict_text} (decision {decision.id})")


def _decision_json(d, tz: str, *, evidence: bool = True) -> dict:  # noqa: ANN001
    from rollout.clock import iso

    data = {
        "id": d.id, "gate": d.gate_key, "decision": d.decision, "verdict": d.verdict, "override": d.override,
        "decided_by": d.decided_by, "actor": d.actor, "note": d.note, "decided_at": iso(d.decided_at, tz),
    }
    if evidence:
        data["evidence"] = d.evidence
    return data


@gate_app.command("history")
def history(
    ctx: typer.Context,
    plan: str = typer.Argument(..., help="Plan key.", show_default=False, autocompletion=complete_plans),
    gate: str | None = typer.Argument(None, help="Only this gate.", autocompletion=complete_gates),
    as_json: bool = JSON_OPTION,
) -> None:
    """List recorded gate decisions, oldest first (--json includes each evidence snapshot).

    Example: golive gate history trondheim-2022 --json
    """
    from rollout.gates import gate_history
    from rollout.plans import get_plan

    with app_context(ctx).db.session() as session:
        p = get_plan(session, plan)
        decisions = gate_history(session, plan=p, key=gate)
    if as_json:
        emit_json({"plan": p.key, "decisions": [_decision_json(d, p.timezone) for d in decisions]})
        return
    from rollout.cli.output import Column, local, table

    console().print(table(
        f"Gate decisions for {p.key}",
        ["id", "gate", "decision", Column("data said", drop=2), Column("override", drop=3), "by",
         Column("recorded by", drop=1), "at", Column("note", wrap=True)],
        [[d.id, d.gate_key, d.decision.upper(), d.verdict or "—", "yes" if d.override else "", d.decided_by, d.actor,
          local(d.decided_at, p.timezone), d.note] for d in decisions],
    ))
