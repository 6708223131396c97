"""Charts: well-formed SVG with a size, a title and labelled axes, escaped text, the same bytes for the same figures."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from reports.render import charts
from reports.render.view import cutover_charts, heatmap_view
from reports.render.words import Words
from tests.reports.sample import XSS, sample_cutover

NS = "{http://www.w3.org/2000/svg}"


def all_charts(lang: str = "nb") -> dict[str, str]:
    out = cutover_charts(sample_cutover(), Words(lang, "Europe/Oslo"))
    return {name: str(out[name]) for name in ("daily", "backlog", "streams", "heatmap")}


def texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{NS}text")]


@pytest.mark.parametrize("name", ["daily", "backlog", "streams", "heatmap"])
def test_each_chart_is_svg_with_a_size_a_title_and_axis_labels(name):
    markup = all_charts()[name]
    svg = ET.fromstring(markup)  # well-formed XML, so every text was escaped
    assert svg.tag == f"{NS}svg"
    x, y, w, h = (float(v) for v in svg.get("viewBox").split())
    assert (x, y) == (0, 0) and w > 100 and h > 50
    title = svg.find(f"{NS}title")
    assert title is not None and title.text and svg.get("aria-labelledby") == title.get("id")
    labels = {"daily": ("Dag", "Saker"), "backlog": ("Åpne saker", "Prioritet"), "streams": ("Andel utførte oppgaver", "Spor"),
              "heatmap": ("Rolle", "Enhet")}[name]
    assert set(labels) <= set(texts(svg))
    assert "<script" not in markup and "onerror=" not in markup.replace("onerror=alert", "")


def test_hostile_names_are_escaped_inside_the_svg():
    markup = all_charts()["heatmap"] + all_charts()["streams"]
    assert "<img" not in markup and "&lt;img src=x onerror=alert(1)&gt;" in markup
    svgs = [ET.fromstring(m) for m in (all_charts()["heatmap"], all_charts()["streams"])]
    assert any(XSS in "".join(t.itertext()) for svg in svgs for t in svg.iter(f"{NS}title"))


def test_charts_are_deterministic_and_use_fixed_decimals():
    a, b = all_charts(), all_charts()
    assert a == b
    for markup in a.values():
        drawn = re.sub(r"<defs>.*?</defs>", "", markup)  # the patterns' fixed tiles aside
        numbers = re.findall(r' (?:x|y|width|height|x1|x2|y1|y2)="(-?[\d.]+)"', drawn)
        assert numbers and all(re.fullmatch(r"-?\d+\.\d", n) for n in numbers)


def test_counts_follow_the_language():
    big = [("P1", 12000), ("P2", 9000)]
    assert "12 000" in str(charts.bars("b", "t", big, x_label="x", y_label="y", num=Words("nb", "UTC").number))
    assert "12,000" in str(charts.bars("b", "t", big, x_label="x", y_label="y", num=Words("en", "UTC").number))


def test_series_differ_in_pattern_not_only_hue():
    daily = all_charts()["daily"]
    assert 'url(#daily-hatch)' in daily  # resolved is hatched, opened is solid
    streams = all_charts()["streams"]
    assert "url(#streams-cross)" in streams and "url(#streams-hatch)" in streams  # red and amber streams
    heat = all_charts()["heatmap"]
    assert heat.count("url(#training-hatch)") == 1 + sum(1 for r in sample_cutover().readiness.training if not r.passed)


def test_ids_are_unique_in_the_page():
    ids = re.findall(r'id="([^"]+)"', "".join(all_charts().values()))
    assert len(ids) == len(set(ids))


def test_heatmap_puts_the_worst_units_first_and_caps_them():
    view = heatmap_view(sample_cutover().readiness.training, limit=2)
    assert view.roles == ("helsefagarbeider", "lege", "sykepleier")
    assert view.rows[0][0] == "Hjemmetjenesten øst"  # lege 75 % of 100 %: the widest miss
    assert view.hidden == 1 and view.hidden_below == 1


def test_nice_axis_steps():
    assert charts.nice_max(412) == (500.0, 200.0) or charts.nice_max(412)[0] >= 412
    assert charts.nice_max(0) == (1.0, 1.0)
    top, step = charts.nice_max(7)
    assert top >= 7 and step >= 1 and top / step <= 8


def test_an_empty_series_still_draws_axes():
    svg = ET.fromstring(str(charts.daily("d", "T", [], x_label="X", y_label="Y", opened="o", resolved="r")))
    assert {"X", "Y"} <= set(texts(svg))
