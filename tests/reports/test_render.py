"""Rendering: hostile text shows as text (HTML) or as typed (Markdown), the same report gives the same bytes, edge cases render."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from datetime import timedelta

import pytest

from reports.model import NO_CHANGES, Reason
from reports.render import render_cutover, render_region
from reports.render.environment import md_escape
from tests.reports.rendered import Page, markdown_html
from tests.reports.sample import AS_OF, MD, SCRIPT, XSS, sample_cutover, sample_region

LANGS = ("nb", "nn", "en")
RENDERS = [(kind, fmt, lang) for kind in ("cutover", "region") for fmt in ("html", "md") for lang in LANGS]


def render(kind: str, fmt: str, lang: str, report=None) -> str:
    if kind == "cutover":
        return render_cutover(report or sample_cutover(), fmt, lang)
    return render_region(report or sample_region(), fmt, lang)


@pytest.mark.parametrize(("kind", "lang"), [(k, lang) for k in ("cutover", "region") for lang in LANGS])
def test_html_shows_hostile_text_as_text(kind, lang):
    html = render(kind, "html", lang)
    page = Page(html)
    assert page.named("img") == [] and page.named("script") == [] and page.named("b") == []
    assert XSS in page.text  # shown, as typed
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    if kind == "cutover":
        assert SCRIPT in page.text and "</script><script>" not in html
        # unit names, ticket and known-issue titles, decision notes, stream names: all of them arrive as text
        for typed in ("Legevakten " + XSS, "Arbeidslister forsvinner " + XSS, "Konverter lab-svar " + XSS, "Ola " + XSS, "data " + XSS):
            assert typed in page.text


@pytest.mark.parametrize(("kind", "lang"), [(k, lang) for k in ("cutover", "region") for lang in LANGS])
def test_html_is_self_contained(kind, lang):
    page = Page(render(kind, "html", lang))
    offending = [(tag, name, value) for tag, attrs in page.tags for name, value in attrs.items()
                 if name in ("src", "href", "srcset", "action", "poster", "data") or name.startswith("on")]
    assert offending == []
    assert not [a for a in page.named("link")] and not page.named("iframe") and not page.named("object")
    html = render(kind, "html", lang)
    assert "@import" not in html and "url(http" not in html and "url(//" not in html
    assert "@page { size: A4" in html


@pytest.mark.parametrize(("kind", "lang"), [(k, lang) for k in ("cutover", "region") for lang in LANGS])
def test_markdown_neutralises_hostile_text(kind, lang):
    text = render(kind, "md", lang)
    html = markdown_html(text)  # raw HTML allowed: a viewer that passes it through must still get none
    page = Page(html)
    assert page.named("img") == [] and page.named("script") == [] and page.named("a") == [] and page.named("b") == []
    assert page.named("em") == [] and page.named("code") == []  # the payloads' *stars*, _under_ and `ticks` stay typed
    assert XSS in page.text
    assert page.named("table"), "Markdown reports are tables"
    assert "<" not in text.replace("&lt;", "")  # no raw HTML at all in the Markdown source


def test_markdown_tables_keep_their_columns():
    """A `|` in a name must not add a column: every row of a table has as many cells as its header."""
    html = markdown_html(render("cutover", "md", "nb"))
    for table in html.split("<table>")[1:]:
        table = table.split("</table>")[0]
        head = len(re.findall(r"<th[ >]", table.split("</thead>")[0]))
        rows = table.split("<tbody>")[1].split("</tr>")[:-1] if "<tbody>" in table else []
        assert rows and all(len(re.findall(r"<td[ >]", row)) == head for row in rows)
    assert "Helsehus | A *B*" in Page(html).text


def test_plain_figures_stay_plain_in_markdown():
    assert [md_escape(v) for v in ("8.5", "-1 t 30 min", "2022-05-09", "P1")] == ["8.5", "-1 t 30 min", "2022-05-09", "P1"]


@pytest.mark.parametrize("payload", [XSS, MD, SCRIPT, "# heading", "> quote", "- item", "1. item", "---", "===", "+ x", "3) x", "a\nb|c", "**bold**",
                                     "![x](http://e.example/x.png)", "<https://e.example>", "www.e.example", "~~gone~~", "&amp;"])
def test_one_markdown_cell_stays_one_plain_cell(payload):
    cell = md_escape(payload)
    html = markdown_html(f"| h |\n|---|\n| {cell} |\n")
    page = Page(html)
    assert [t for t, _ in page.tags] == ["table", "thead", "tr", "th", "tbody", "tr", "td"]
    assert page.texts[-1].replace("\u200b", "") == payload.replace("\n", " ")


@pytest.mark.parametrize(("kind", "fmt", "lang"), RENDERS)
def test_the_same_report_gives_the_same_bytes(kind, fmt, lang):
    assert render(kind, fmt, lang) == render(kind, fmt, lang)


def test_json_delegates_to_the_json_format():
    from reports.jsonformat import render_json

    assert render_cutover(sample_cutover(), "json", "nn") == render_json(sample_cutover())
    assert render_region(sample_region(), "json", "en") == render_json(sample_region())


def test_bad_format_or_language_is_refused():
    with pytest.raises(ValueError, match="format 'pdf'"):
        render_cutover(sample_cutover(), "pdf", "nb")
    with pytest.raises(ValueError, match="language 'de'"):
        render_region(sample_region(), "html", "de")


def bare_cutover():
    """A plan with no runbook, no gates, no tickets, no training data and no earlier report."""
    r = sample_cutover(changes=False)
    rb = dataclasses.replace(r.runbook, present=False, done=0, total=0, streams=(), late=(), blocked=(), critical_path=(),
                             projected_go_live=r.runbook.planned_go_live, actual_go_live=None, go_live_delay=timedelta(0))
    s = dataclasses.replace(r.support, opened_total=0, open_total=0, open_p1=0, breached_open=0, days=(), by_category=(),
                            top_units=(), known_issues=(), sla=dataclasses.replace(r.support.sla, response=None, resolution=None,
                                                                                   response_met=0, response_due=0,
                                                                                   resolution_met=0, resolution_due=0))
    rd = dataclasses.replace(r.readiness, training=(), staffing_gaps=(), superuser_coverage=(), worst_gaps=(), trained=0,
                             total=0, training_share=0.0)
    g = dataclasses.replace(r.gates, gates=(), decisions=(), verdict="GO")
    on_track = Reason("on_track", "green")
    h = dataclasses.replace(r.headline, rag="green", reason=on_track, reasons=(on_track,), phase=None, next_gate=None,
                            next_gate_due=None, go_live_actual=None, days_to_go_live=12, stage="preparation")
    return dataclasses.replace(r, runbook=rb, support=s, readiness=rd, gates=g, headline=h, changes=NO_CHANGES)


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("lang", LANGS)
def test_an_empty_plan_renders(fmt, lang):
    text = render_cutover(bare_cutover(), fmt, lang)
    from reports.render.labels import catalogue

    labels = catalogue(lang)
    for key in ("no_runbook", "no_gates", "no_decisions", "no_known_issues", "changes_first", "no_coverage"):
        assert labels[key] in (Page(text).text if fmt == "html" else text)
    assert labels["rag_green"] in text and labels["days_to_go_live"].format(days=12) in text


def test_every_reason_code_is_worded_in_every_language():
    from reports.render.words import Words

    reasons = [
        Reason("gate_no_go", "red", {"gate": "T-1d", "criteria": ["training_min", "open_p1_max"]}),
        Reason("gate_no_go", "red", {"gate": "T-1d", "criteria": [], "decision": "NO-GO"}),
        Reason("go_live_late", "red", {"planned": AS_OF, "projected": AS_OF + timedelta(hours=3), "delay_minutes": timedelta(hours=3)}),
        Reason("go_live_late", "red", {"planned": "2022-05-09T07:00+02:00", "projected": "2022-05-09T10:30+02:00", "delay_minutes": 210}),
        Reason("open_p1", "red", {"open": 1, "maximum": 0}),
        Reason("gate_at_risk", "amber", {"gate": "T-1d", "criteria": ["staff_per_superuser_max"]}),
        Reason("runbook_late", "amber", {"late": 2, "blocked": 1}),
        Reason("training_below", "amber", {"share": 0.8, "minimum": 0.9, "rows": 3}),
        Reason("superuser_gaps", "amber", {"shifts": 1}),
        Reason("staffing_gaps", "amber", {"shifts": 4}),
        Reason("sla_below_target", "amber", {"measure": "resolution", "share": 0.5, "target": 0.9}),
        Reason("on_track", "green"),
    ]
    for lang in LANGS:
        t = Words(lang, "Europe/Oslo")
        texts = [t.reason(r) for r in reasons]
        assert all(text.endswith(".") and "{" not in text and "None" not in text for text in texts), texts
        assert len(set(texts)) == len(texts)
    t = Words("nb", "Europe/Oslo")
    assert t.reason(reasons[3]) == "Go-live ventes 3 t 30 min forsinket: 9. mai 2022 kl. 10:30 i stedet for 9. mai 2022 kl. 07:00."
    assert t.reason(reasons[4]) == "1 åpen P1-sak, høyst 0 tillatt."
    assert Words("en", "Europe/Oslo").reason(reasons[0]) == "Gate T-1d is NO-GO on training and open P1 tickets."
    assert Words("nn", "Europe/Oslo").reason(reasons[10]) == "SLA for løysingstid er 50 %, under målet på 90 %."


def test_importing_the_renderer_does_not_import_jinja2():
    code = "import sys, reports.render; assert 'jinja2' not in sys.modules and 'markupsafe' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
