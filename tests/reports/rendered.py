"""Helpers for rendering tests: the HTML's elements and visible text, Markdown as a viewer renders it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any


class Page(HTMLParser):
    """Every start tag with its attributes, and the text a reader sees (not the CSS, not the <title>s of charts)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self._skip = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.texts)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def markdown_html(text: str) -> str:
    """Markdown as a common (CommonMark + tables) viewer turns it into HTML, raw HTML passed through as viewers do."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table").enable("strikethrough").render(text)


WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


# codes the renderer must word itself (and English prose it must not show): never the user's text
CODES = {"status", "rag", "code", "stage", "kind", "measure", "shift", "bucket", "category", "verdict", "decision",
         "direction", "metric", "criterion", "description", "offenders", "lang", "timezone", "params", "reasons", "reason"}


def strings(value: Any) -> list[str]:
    """The user's texts in a report's JSON: names, titles, notes; not codes such as statuses, nor their prose."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in CODES for s in strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v)]
    return []
