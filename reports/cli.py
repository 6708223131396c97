"""`golive report cutover|region`: thin commands over reports.service (build, snapshot, render, write)."""

from __future__ import annotations

from pathlib import Path

import typer

from rollout.cli.complete import complete_plans
from rollout.cli.context import AS_OPTION, AT_OPTION, app_context, parse_at, say

report_app = typer.Typer(help="Cutover status reports for management: HTML, Markdown or JSON, in nb, nn or en.",
                         no_args_is_help=True, add_completion=False)

FORMAT_OPTION = typer.Option("html", "--format", "-f", metavar="html|md|json", help="Output format.")
LANG_OPTION = typer.Option(None, "--lang", metavar="nb|nn|en", help="Language of the labels (default: the plan's language, else nb).")
OUT_OPTION = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to FILE atomically (default, or -: standard output).")


def _output(out: str | None) -> str | None:
    """`-o -` is standard output, as for most tools; `-o ''` is a mistake, said before anything is built."""
    if out == "-":
        return None
    if out is not None and not out.strip():
        from rollout.errors import UsageError

        raise UsageError("-o needs a file name (or - for standard output)")
    return out


def _emit(text: str, out: str | None) -> None:
    import sys

    if out is None:
        sys.stdout.write(text)
        return
    from reports.writer import write_atomic

    path = write_atomic(Path(out), text)
    say(f"Wrote {path}")


@report_app.command("cutover")
def cutover_cmd(
    ctx: typer.Context,
    plan: str = typer.Argument(..., help="Plan key.", show_default=False, autocompletion=complete_plans),
    at: str | None = AT_OPTION,
    fmt: str = FORMAT_OPTION,
    lang: str | None = LANG_OPTION,
    out: str | None = OUT_OPTION,
    actor: str | None = AS_OPTION,
) -> None:
    """One plan's status as of --at: headline, gates, readiness, runbook, support, and what changed since the last report.

    Each run stores the report as a snapshot; the next report compares with the latest earlier one.

    Example: golive report cutover trondheim-2022 --at "2022-05-09 07:00" --format md --lang nn
    """
    from rollout.settings import acting_person
    from reports.output import render_text
    from reports.service import check_choices, cutover

    check_choices([fmt], lang)
    out = _output(out)
    when = parse_at(at)
    with app_context(ctx).db.session(write=True) as session:
        report = cutover(session, plan=plan, at=when, actor=acting_person(actor))
        text = render_text(report, fmt, lang or report.lang)
        _emit(text, out)  # inside the transaction: a failed write stores no snapshot
    if out is not None:
        from reports.prose import headline_line

        say(headline_line(report.as_json()))


@report_app.command("region")
def region_cmd(
    ctx: typer.Context,
    at: str | None = AT_OPTION,
    fmt: str = FORMAT_OPTION,
    lang: str | None = LANG_OPTION,
    out: str | None = OUT_OPTION,
    actor: str | None = AS_OPTION,
) -> None:
    """Every plan side by side as of --at: stage and phase, days to go-live, gates, training, superuser gaps, tickets, SLA.

    Example: golive report region --at "2022-05-09 07:00" --format json
    """
    from rollout.settings import acting_person
    from reports.output import render_text
    from reports.service import check_choices, region

    check_choices([fmt], lang)
    out = _output(out)
    when = parse_at(at)
    with app_context(ctx).db.session(write=True) as session:
        report = region(session, at=when, actor=acting_person(actor))
        _emit(render_text(report, fmt, lang or report.lang), out)
