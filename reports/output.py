"""A report as text in one format and language: JSON here, HTML and Markdown by reports.render."""

from __future__ import annotations

from typing import Any

FORMATS = ("html", "md", "json")
LANGUAGES = ("nb", "nn", "en")
EXTENSIONS = {"html": "html", "md": "md", "json": "json"}


def render_text(report: Any, fmt: str, lang: str) -> str:
    """`report` (a CutoverReport or RegionReport) rendered; JSON is language-neutral and never needs reports.render."""
    from rollout.errors import GoliveError
    from reports.jsonformat import render_json
    from reports.model import CutoverReport

    if fmt == "json":
        return render_json(report)
    if fmt not in FORMATS:
        raise GoliveError(f"unknown report format {fmt!r}; formats: {', '.join(FORMATS)}")
    import importlib

    try:
        render = importlib.import_module("reports.render")
    except ModuleNotFoundError as exc:
        if exc.name != "reports.render":
            raise
        raise GoliveError(f"the {fmt} format is not available in this installation (reports.render is missing); use --format json") from None
    if isinstance(report, CutoverReport):
        return render.render_cutover(report, fmt, lang)
    return render.render_region(report, fmt, lang)


def available_formats() -> tuple[str, ...]:
    """The formats this installation renders: JSON always; HTML and Markdown once reports.render is there."""
    import importlib.util

    return FORMATS if importlib.util.find_spec("reports.render") is not None else ("json",)
