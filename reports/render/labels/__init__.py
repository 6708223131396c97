"""The label catalogues: one module per language (`nb`, `nn`, `en`), the same keys in each.

`catalogue(lang)` is the dict of one language. A template asks for a label by
key; a missing key fails the render (see `reports.render.words.Words`).
"""

from __future__ import annotations

from importlib import import_module

LANGUAGES = ("nb", "nn", "en")


def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} must be one of {', '.join(LANGUAGES)}")
    return import_module(f"reports.render.labels.{lang}").LABELS
