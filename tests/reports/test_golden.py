"""Golden files: the sample reports in HTML and Markdown, in nb, nn and en, byte for byte.

A change to the templates, labels or charts shows here as a diff. Regenerating
is a deliberate act: `GOLIVE_REGEN_GOLDEN=1 pytest tests/reports/test_golden.py`,
then read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reports.render import render_cutover, render_region
from tests.reports.sample import sample_cutover, sample_region

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = [(kind, fmt, lang) for kind in ("cutover", "region") for fmt in ("html", "md") for lang in ("nb", "nn", "en")]


@pytest.mark.parametrize(("kind", "fmt", "lang"), CASES)
def test_golden(kind, fmt, lang):
    text = render_cutover(sample_cutover(), fmt, lang) if kind == "cutover" else render_region(sample_region(), fmt, lang)
    path = GOLDEN / f"{kind}.{lang}.{fmt}"
    if os.environ.get("GOLIVE_REGEN_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path.name} is missing: run GOLIVE_REGEN_GOLDEN=1 pytest {Path(__file__).name}"
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, f"{path.name} differs: if the change is meant, regenerate with GOLIVE_REGEN_GOLDEN=1"
