"""A big organisation: 200 units, 8 roles, 72 hours of shifts. What is shown is capped, and says how much more there is."""

from __future__ import annotations

import dataclasses

from reports.render import render_cutover
from reports.render.view import COVERAGE_UNITS, HEATMAP_UNITS, TABLE_ROWS
from tests.reports.big import ROLES, big_report
from tests.reports.rendered import Page
from tests.reports.sample import sample_cutover

def test_a_big_report_shows_the_worst_and_counts_the_rest():
    report = big_report()
    html = render_cutover(report, "html", "nb")
    heat = html.split('id="training-title"')[1].split("</svg>")[0]
    assert heat.count("Enhet ") == HEATMAP_UNITS * (2 + len(ROLES))  # a row label and its tip, and one tip per cell
    short_units = sum(1 for n in range(200) if n % 3 == 0)
    text = Page(html).text
    assert f"{200 - HEATMAP_UNITS} enheter til vises ikke" in text
    assert f"{short_units - COVERAGE_UNITS} til vises ikke" in text and f"{200 - short_units} enheter til har nok superbrukere" in text
    assert f"{300 - TABLE_ROWS} til vises ikke" in text and f"{50 - TABLE_ROWS} til vises ikke" in text
    md = render_cutover(report, "md", "en")
    assert md.count("| Enhet ") <= 40 + TABLE_ROWS * 3 + 15
    assert f"{300 - TABLE_ROWS} more not shown." in md


def test_the_size_follows_what_is_shown_not_the_data():
    small, big = sample_cutover(), big_report()
    more = dataclasses.replace(big, readiness=dataclasses.replace(big.readiness, training=big.readiness.training * 3))
    assert len(render_cutover(more, "html", "en")) < len(render_cutover(big, "html", "en")) * 1.01
    assert len(render_cutover(big, "html", "en")) < 200_000 > len(render_cutover(small, "html", "en"))
