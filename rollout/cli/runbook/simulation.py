"""`runbook simulate`: the go-live N times over, with durations drawn from the rehearsals."""

from __future__ import annotations

import typer

from rollout.cli.context import AT_OPTION, JSON_OPTION, app_context, console, emit_json, say
from rollout.cli.runbook.common import PLAN_ARG, RUN_OPTION, run_label, runbook_app

BAR = 30  # characters of the longest histogram bar
MAX_ROWS = 12  # histogram rows for people; --json has every 15-minute bin


@runbook_app.command("simulate")
def simulate(
    ctx: typer.Context, plan: str = PLAN_ARG,
    runs: int = typer.Option(10_000, "--runs", metavar="N", help="How many runs (1 to 1 000 000)."),
    seed: int | None = typer.Option(None, "--seed", metavar="S", help="Seed for the draws: the same data, --at and seed give the same output."),
    at: str | None = AT_OPTION, run: str = RUN_OPTION,
    from_rehearsals: str | None = typer.Option(
        None, "--from-rehearsals", metavar="DR1,DR2", help="Draw durations from these rehearsals (default every finished one)."),
    delay: str = typer.Option("1h", "--delay", metavar="DURATION", help="The delay whose effect on P80 ranks the tasks."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Monte Carlo go-live from the rehearsals: P50/P80/P95, the odds per gate, the tasks that decide it. Writes nothing.

    Each remaining task's duration is its planned duration times a ratio
    (actual ÷ planned) drawn from the rehearsals: its own ratios with 3 or more
    runs, else its stream's, else 1.

    Example: golive runbook simulate trondheim-2022 --at 2022-05-06T14:00 --seed 1
    """
    from rollout.cli.context import parse_at
    from rollout.offsets import parse_duration
    from rollout.plans import get_plan
    from rollout.runbooks.simulate_view import simulate as run_simulation

    names = [n.strip() for n in from_rehearsals.split(",") if n.strip()] if from_rehearsals is not None else None
    if names is not None and not names:
        from rollout.errors import GoliveError

        raise GoliveError("--from-rehearsals needs at least one rehearsal name, like DR1 or DR1,DR2")
    by = parse_duration(delay)
    with app_context(ctx).db.session() as session:
        p = get_plan(session, plan)
        result = run_simulation(session, plan=p, at=parse_at(at, p.timezone), run=run, runs=runs, seed=seed, rehearsals=names, delay=by)
    if as_json:
        emit_json(result.as_json())
    else:
        render(result, run)
    if seed is None:
        say(f"Seed {result.seed}: repeat this simulation with --seed {result.seed}")


def render(result, run: str) -> None:  # noqa: ANN001
    from rollout.cli.output import Column, local, table
    from rollout.cli.prose import say_lines
    from rollout.formats import percent, thousands

    tz = result.runbook.tz
    out = console()
    model = result.model
    source = (f"durations from {', '.join(model.rehearsals)}" if model.has_data else "no rehearsal data")
    say_lines(out, f"Simulated go-live of {result.runbook.plan.key}{run_label(run)} as of {local(result.runbook.as_of, tz)}: "
                   f"{thousands(result.runs)} runs, seed {result.seed}, {source}")
    for message in result.messages:
        say_lines(out, message)
    out.print(table(None, ["", "go-live"], [
        ["planned", local(result.planned_go_live, tz)],
        ["projected (critical path)", local(result.projected_go_live, tz)],
        ["P50", local(result.p50, tz)], ["P80", local(result.p80, tz)], ["P95", local(result.p95, tz)],
    ]))
    say_lines(out, f"Chance of going live by the planned {local(result.planned_go_live, tz)}: {percent(result.probability_on_time)}")
    for g in result.gates:
        say_lines(out, f"Gate {g.key} ({g.kind}) due {local(g.due, tz)}: {percent(g.probability)} chance its work is done in time")
    out.print()
    for line in histogram_lines(result, local):
        out.print(line, markup=False, highlight=False)
    top = result.most_critical()
    if top:
        out.print()
        out.print(table(
            f"Most often on the critical path (and the effect of {result.delay_minutes} min more)",
            [Column("task", shorten=True), Column("stream", drop=1), "critical", "P80 moves", Column("mean move", drop=2)],
            [[t.key, t.stream, percent(t.criticality), "" if t.delay_p80_minutes is None else f"+{t.delay_p80_minutes} min",
              f"+{t.delay_mean_minutes:g} min"] for t in top],
        ))
    moves = result.moves_p80()
    if moves:
        say_lines(out, f"A {result.delay_minutes}-minute delay moves P80 most for: "
                       + ", ".join(f"{t.key} (+{t.delay_p80_minutes} min)" for t in moves))
    say("What-if only: nothing written.")


def histogram_lines(result, local) -> list[str]:  # noqa: ANN001
    """The distribution in at most MAX_ROWS rows: 15-minute bins merged into wider ones as needed."""
    from rollout.formats import percent

    bins = result.histogram
    width = 1
    while -(-len(bins) // width) > MAX_ROWS:
        width *= 2
    rows = []
    for k in range(0, len(bins), width):
        chunk = bins[k:k + width]
        rows.append((chunk[0][0], sum(c for _, c in chunk)))
    most = max(c for _, c in rows) or 1
    tz = result.runbook.tz
    minutes = 15 * width
    lines = [f"Go-live per {minutes} minutes (share of runs):"]
    for start, count in rows:
        bar = "█" * round(BAR * count / most) if count else ""
        lines.append(f"  {local(start, tz)}  {bar:<{BAR}} {percent(count / result.runs):>5}")
    return lines
