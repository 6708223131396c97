"""The one jinja2 Environment of the reports: autoescaped HTML, escaped Markdown, filters per language.

Built once (`environment()` is cached) and only when a report is rendered, so
importing `reports.render` never imports jinja2. Filters are registered here and
nowhere else; each takes the language as an argument, so one template renders
bokmål, nynorsk and English alike:

- `number(lang, decimals=0)` `9 000` / `9,000`; `percent(lang, decimals=0)` `83 %` / `83%`;
- `when(tz, lang)` `7. mai 2022 kl. 06:00`; `day(lang)` `7. mai 2022`; `weekday(lang)`;
- `duration(lang)` `2 t 30 min`;
- `md` neutralises Markdown and HTML in a Markdown table cell or line.

`StrictUndefined` makes a misspelt field fail the render instead of printing nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"

# characters that mean something to a Markdown viewer (or to HTML inside one)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
_MD_BULLET = re.compile(r"^(\s*)([-+=])(?=\s|$|[-=])")  # a list item, a rule or a setext underline
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")  # `1. item`; `8.5` stays as it is


def md_escape(value: Any) -> str:
    """Text that shows as typed in Markdown viewers: no markup, no raw HTML, no links, one line.

    `<`, `>` and `&` become entities (a viewer shows the character; no tag is ever
    formed), Markdown punctuation gets a backslash, a leading `-`, `+` or `1.` no
    longer starts a list, and newlines become spaces so a table cell stays one cell.
    """
    if value is None:
        return "—"
    text = str(value)
    text = re.sub(r"[\r\n\t\v\f]+", " ", text)
    text = "".join(ch for ch in text if ch >= " " or ch == " ")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_BULLET.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    text = _MD_NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    # a bare address would be auto-linked by GitHub-flavoured viewers
    text = re.sub(r"(?i)\b(https?|ftp|mailto|www)(:|\.)", lambda m: m.group(1) + "\u200b" + m.group(2), text)
    return text


def _filters() -> dict[str, Any]:
    from rollout import formats

    return {
        "number": lambda v, lang, decimals=0: "—" if v is None else formats.number(v, lang, decimals),
        "percent": lambda v, lang, decimals=0: "—" if v is None else formats.percent(v, lang, decimals),
        "when": lambda v, tz, lang: formats.long_when(v, tz, lang),
        "day": lambda v, lang, tz=None: formats.long_date(v, lang, tz),
        "weekday": lambda v, lang, tz=None: formats.weekday(v, lang, tz),
        "duration": lambda v, lang: formats.duration(None if v is None else v.total_seconds() / 60 if hasattr(v, "total_seconds") else v, lang),
        "md": md_escape,
    }


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Environment: templates from `reports/render/templates`, HTML autoescaped, strict about undefined names."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2", "svg", "svg.j2"), default_for_string=True,
                                            default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(_filters())
    return env
