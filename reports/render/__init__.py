"""Rendering of reports: HTML and Markdown through one jinja2 Environment, JSON through `reports.jsonformat`.

`render_cutover(report, fmt, lang)` and `render_region(report, fmt, lang)`
return the report's text: `fmt` is "html", "md" or "json"; `lang` is "nb",
"nn" or "en". The same report gives the same bytes, every time. jinja2 is
imported on the first render, never on import, so `golive --help` stays light.
"""

from __future__ import annotations

from typing import Any

FORMATS = ("html", "md", "json")
LANGUAGES = ("nb", "nn", "en")
RAGS = ("green", "amber", "red")

# which part of the report each headline reason belongs to (the tiles and section badges)
AREA_OF = {
    "gate_no_go": "gates", "gate_at_risk": "gates",
    "go_live_late": "runbook", "runbook_late": "runbook",
    "training_below": "readiness", "superuser_gaps": "readiness", "staffing_gaps": "readiness",
    "open_p1": "support", "sla_below_target": "sla",
}
AREAS = ("gates", "readiness", "runbook", "support", "sla")
MD_TRAINING_ROWS = 40  # rows of the training table in Markdown, below the minimum first


def _check(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} must be one of {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} must be one of {', '.join(LANGUAGES)}")


def areas(reasons: Any) -> dict[str, str]:
    """The worst RAG per part of the report, from the headline's reasons (green where nothing was found)."""
    out = {a: "green" for a in AREAS}
    for reason in reasons:
        area = AREA_OF.get(reason.code)
        if area and RAGS.index(reason.rag) > RAGS.index(out[area]):
            out[area] = reason.rag
    if out["sla"] != "green" and RAGS.index(out["sla"]) > RAGS.index(out["support"]):
        out["support"] = out["sla"]
    return out


def _json(report: Any) -> str:
    from reports.jsonformat import render_json

    return render_json(report)


def render_cutover(report: Any, fmt: str, lang: str) -> str:
    """The cutover report of one plan as HTML, Markdown or JSON text in the given language."""
    _check(fmt, lang)
    if fmt == "json":
        return _json(report)
    from reports.render.environment import environment
    from reports.render.view import TABLE_ROWS, cutover_charts
    from reports.render.words import Words

    t = Words(lang, report.timezone)
    area = areas(report.headline.reasons)
    for stream in report.runbook.streams if report.runbook.present else ():
        if RAGS.index(stream.rag) > RAGS.index(area["runbook"]):
            area["runbook"] = stream.rag
    context = {"r": report, "t": t, "lang": lang, "area": area, "rows": TABLE_ROWS}
    if fmt == "html":
        context["c"] = cutover_charts(report, t)
    else:
        ordered = sorted(report.readiness.training, key=lambda r: (r.passed, r.share - r.minimum, r.unit_name, r.role))
        context["training_rows"] = ordered[:MD_TRAINING_ROWS]
        context["training_hidden"] = max(0, len(ordered) - MD_TRAINING_ROWS)
    return environment().get_template(f"cutover.{fmt}.j2").render(context)


def render_region(report: Any, fmt: str, lang: str) -> str:
    """The region report, every plan side by side, as HTML, Markdown or JSON text in the given language."""
    _check(fmt, lang)
    if fmt == "json":
        return _json(report)
    from reports.render.environment import environment
    from reports.render.words import Words

    t = Words(lang, report.timezone)
    counts = {rag: sum(1 for p in report.plans if p.rag == rag) for rag in RAGS}
    worst = max((p.rag for p in report.plans), key=RAGS.index, default="green")
    context = {"r": report, "t": t, "lang": lang, "counts": counts, "worst": worst}
    return environment().get_template(f"region.{fmt}.j2").render(context)
