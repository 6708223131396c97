"""The HTML reports in a real browser: Debian's Chromium, headless, driven by playwright.

Checks that the charts render with a size, that nothing is logged as an error,
that nothing is fetched but the file itself, that hostile text runs nothing and
shows as typed, and that the page prints to A4. Saves a screenshot and the PDF
as artefacts of the run (`test-artifacts/`, or `GOLIVE_ARTIFACTS`).

Needs `/usr/bin/chromium` (or `GOLIVE_CHROMIUM`) and playwright's Python package
(never `playwright install`: the browser is the system's). Locally the test is
skipped when either is missing; in CI (`CI` or `GOLIVE_REQUIRE_POSTGRES` set) it fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reports.render import render_cutover, render_region
from tests.reports.sample import XSS, sample_cutover, sample_region

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("GOLIVE_ARTIFACTS", REPO / "test-artifacts"))


def chromium_path() -> str:
    path = os.environ.get("GOLIVE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    required = os.environ.get("CI") or os.environ.get("GOLIVE_REQUIRE_POSTGRES")
    if not Path(path).exists():
        message = "Chromium is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does"
        pytest.fail(message) if required else pytest.skip(message)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        message = "playwright for Python is missing: pip install -e '.[test]'"
        pytest.fail(message) if required else pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def open_report(browser, html: str, path: Path):
    """The file in a fresh page, with every console message, page error, request and dialog recorded."""
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    seen = {"console": [], "errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: seen["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))

    def dialog(d):
        seen["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)  # give a would-be onerror handler its chance to fire
    return page, seen


def assert_clean(page, seen, path: Path) -> None:
    assert seen["dialogs"] == [], "the XSS payload ran"
    assert seen["errors"] == [] and [m for m in seen["console"] if m[0] in ("error", "warning")] == []
    assert seen["requests"] == [path.as_uri()], "the report fetched something other than itself"
    assert page.evaluate("document.querySelectorAll('img, script, iframe, object, embed, link').length") == 0
    assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    hostile = page.get_by_text(XSS, exact=False).first
    assert hostile.is_visible()


def save_artefacts(page, name: str) -> tuple[Path, Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    page.emulate_media(media="print")
    pdf = ARTIFACTS / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    print(f"\nscreenshot: {shot}\npdf: {pdf}")
    return shot, pdf


def pdf_pages(pdf: Path) -> int:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    return data.count(b"/Type /Page") - data.count(b"/Type /Pages")


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_cutover_report_in_chromium(browser, tmp_path, lang):
    path = tmp_path / f"cutover-{lang}.html"
    page, seen = open_report(browser, render_cutover(sample_cutover(), "html", lang), path)
    assert_clean(page, seen, path)
    boxes = page.evaluate("[...document.querySelectorAll('svg.chart')].map(s => { const r = s.getBoundingClientRect();"
                          " return [s.querySelector('title').textContent, r.width, r.height]; })")
    assert len(boxes) == 4, boxes  # tickets per day, backlog, runbook streams, training heatmap
    assert all(w > 100 and h > 50 for _, w, h in boxes), boxes
    # the headline is the first thing on the page, big
    rag = page.locator(".ragbox")
    assert rag.inner_text().strip() == {"nb": "RØD", "nn": "RAUD", "en": "RED"}[lang]
    assert rag.bounding_box()["y"] < 250 and float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.ragbox')).fontSize)")) >= 28
    if lang == "nb":  # one screenshot and one PDF are artefact enough
        shot, pdf = save_artefacts(page, f"cutover-{lang}")
        assert shot.stat().st_size > 10_000
        assert pdf_pages(pdf) >= 2
    page.close()


def test_region_report_in_chromium(browser, tmp_path):
    path = tmp_path / "region.html"
    page, seen = open_report(browser, render_region(sample_region(), "html", "nb"), path)
    assert_clean(page, seen, path)
    # the side-by-side table fits the page: nothing sticks out to the right
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    _, pdf = save_artefacts(page, "region-nb")
    assert pdf_pages(pdf) >= 1
    page.close()


def test_the_browser_check_catches_a_payload_that_runs(browser, tmp_path):
    """The checks above can fail: an unescaped payload opens a dialog and adds an <img src=x>."""
    path = tmp_path / "bad.html"
    page, seen = open_report(browser, f"<!DOCTYPE html><html><body><p>{XSS}</p></body></html>", path)
    assert seen["dialogs"] == ["1"]
    assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 1
    page.close()
