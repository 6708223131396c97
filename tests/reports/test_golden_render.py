"""Golden files of the renderer: the hand-built sample reports in HTML and Markdown, in nb, nn and en, byte for byte.

A change to the templates, labels or charts shows here as a diff. Regenerating
is a deliberate act: `GOLIVE_REGEN_GOLDEN=1 pytest tests/reports` (the same as
`GOLIVE_UPDATE_GOLDEN=1`), then read the diff before committing it.
"""

from __future__ import annotations

import pytest

from reports.render import render_cutover, render_region
from tests.reports.golden import check_golden
from tests.reports.sample import sample_cutover, sample_region

CASES = [(kind, fmt, lang) for kind in ("cutover", "region") for fmt in ("html", "md") for lang in ("nb", "nn", "en")]


@pytest.mark.parametrize(("kind", "fmt", "lang"), CASES)
def test_golden(kind, fmt, lang):
    text = render_cutover(sample_cutover(), fmt, lang) if kind == "cutover" else render_region(sample_region(), fmt, lang)
    check_golden(f"sample-{kind}.{lang}.{fmt}", text)
