"""Inline SVG charts, written by hand: tickets per day, the training heatmap, runbook streams, the backlog.

Why our own SVG and not matplotlib's SVG backend: the output is a pure
function of the figures (fixed decimals, ids from the chart's own name, no
font embedding, no dates or hashes in the file), so golden files and re-runs
are byte-identical; it is a few kilobytes instead of tens; it inherits the
page's font and prints crisply; and it keeps matplotlib (and numpy) out of the
install. Every chart has a `<title>`, labelled axes, direct value labels, and
reads in greyscale: the series differ in lightness and in pattern (hatching),
never in hue alone. Every text is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from markupsafe import Markup, escape

FONT = 11  # px, the charts' text size
CHAR = 6.4  # px, a generous average character width at FONT
INK = "#1a1a1a"
GRID = "#c8c8c8"
# RAG fills: distinct lightness (red darkest, green lightest), and red and amber hatched
RAG_FILL = {"red": "#b3261e", "amber": "#e0a21b", "green": "#8cc68c"}
RAG_PATTERN = {"red": "cross", "amber": "hatch", "green": None}


def f(value: float) -> str:
    """A coordinate with one fixed decimal: the same figures always give the same bytes."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def fit(text: str, width: float) -> str:
    """Text shortened with `…` to about `width` pixels."""
    room = max(3, int(width / CHAR))
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def nice_max(value: float, ticks: int = 4) -> tuple[float, float]:
    """An axis maximum and step of 1, 2 or 5 × 10ⁿ that covers value in about `ticks` steps."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)
    return step * math.ceil(value / step), step


@dataclass
class Svg:
    """A small SVG writer: elements in order, text escaped, numbers with fixed decimals."""

    name: str  # unique in the page: prefixes the ids
    width: float
    height: float
    title: str

    def __post_init__(self) -> None:
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def rect(self, x: float, y: float, w: float, h: float, fill: str, *, stroke: str | None = None, tip: str | None = None,
             cls: str | None = None) -> None:
        attrs = f'x="{f(x)}" y="{f(y)}" width="{f(max(w, 0))}" height="{f(max(h, 0))}" fill="{fill}"'
        if stroke:
            attrs += f' stroke="{stroke}" stroke-width="0.8"'
        if cls:
            attrs += f' class="{cls}"'
        if tip:
            self.add(f"<rect {attrs}><title>{escape(tip)}</title></rect>")
        else:
            self.add(f"<rect {attrs}/>")

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = GRID, width: float = 1) -> None:
        self.add(f'<line x1="{f(x1)}" y1="{f(y1)}" x2="{f(x2)}" y2="{f(y2)}" stroke="{stroke}" stroke-width="{f(width)}"/>')

    def text(self, x: float, y: float, text: Any, *, anchor: str = "start", size: float = FONT, weight: str | None = None,
             fill: str = INK, tip: str | None = None, halo: bool = False, rotate: float | None = None) -> None:
        attrs = f'x="{f(x)}" y="{f(y)}" font-size="{f(size)}" text-anchor="{anchor}" fill="{fill}"'
        if weight:
            attrs += f' font-weight="{weight}"'
        if halo:
            attrs += ' stroke="#ffffff" stroke-width="3" paint-order="stroke" stroke-linejoin="round"'
        if rotate is not None:
            attrs += f' transform="rotate({f(rotate)} {f(x)} {f(y)})"'
        inner = escape(str(text))
        if tip:
            inner = Markup(f"<title>{escape(tip)}</title>") + inner
        self.add(f"<text {attrs}>{inner}</text>")

    def patterns(self) -> None:
        """`<name>-hatch` (diagonal lines) and `<name>-cross` (crossed lines), drawn in dark ink over a fill."""
        n = escape(self.name)
        self.add(
            f'<defs><pattern id="{n}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#000000" stroke-width="1.6" stroke-opacity="0.55"/></pattern>'
            f'<pattern id="{n}-cross" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#000000" stroke-width="1.4" stroke-opacity="0.6"/>'
            f'<line x1="0" y1="0" x2="6" y2="0" stroke="#000000" stroke-width="1.4" stroke-opacity="0.6"/></pattern></defs>'
        )

    def fill(self, x: float, y: float, w: float, h: float, colour: str, pattern: str | None, *, tip: str | None = None) -> None:
        """A rectangle in a colour, overlaid with a pattern when one is given (so it reads without colour)."""
        self.rect(x, y, w, h, colour, stroke=INK if pattern else None, tip=tip)
        if pattern:
            self.rect(x, y, w, h, f"url(#{escape(self.name)}-{pattern})")

    def markup(self) -> Markup:
        n = escape(self.name)
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{n}-title" '
                f'viewBox="0 0 {f(self.width)} {f(self.height)}" width="{f(self.width)}" height="{f(self.height)}" '
                f'font-family="inherit"><title id="{n}-title">{escape(self.title)}</title>')
        return Markup(head + "".join(self.parts) + "</svg>")


def _heading(svg: Svg, y: float = 16) -> None:
    svg.text(0, y, svg.title, size=13, weight="bold")


def daily(name: str, title: str, days: Sequence[tuple[str, int, int]], *, x_label: str, y_label: str, opened: str,
          resolved: str, num: Callable[[int], str] = str) -> Markup:
    """Grouped columns per day: opened (dark, solid) and resolved (light, hatched), each with its count on top."""
    left, right, top, bottom = 52.0, 12.0, 52.0, 44.0
    slot = 64.0 if len(days) <= 8 else max(18.0, 560.0 / max(len(days), 1))
    plot_w = max(slot * max(len(days), 1), 240.0)
    plot_h = 160.0
    svg = Svg(name, left + plot_w + right, top + plot_h + bottom, title)
    svg.patterns()
    _heading(svg)
    # legend, direct: a swatch of each series and its name
    svg.fill(left, 26, 12, 12, "#1f3b5a", None)
    svg.text(left + 17, 36, opened)
    lx = left + 17 + len(opened) * CHAR + 18
    svg.fill(lx, 26, 12, 12, "#a9c7e6", "hatch")
    svg.text(lx + 17, 36, resolved)
    top_value = max([max(o, r) for _, o, r in days] or [0])
    axis_max, step = nice_max(top_value)
    base = top + plot_h

    def y_of(v: float) -> float:
        return base - plot_h * v / axis_max

    tick = 0.0
    while tick <= axis_max + 1e-9:
        svg.line(left, y_of(tick), left + plot_w, y_of(tick))
        svg.text(left - 6, y_of(tick) + 4, num(int(tick)), anchor="end")
        tick += step
    svg.line(left, top, left, base, INK)
    svg.line(left, base, left + plot_w, base, INK)
    bar = min(24.0, slot * 0.38)
    every = max(1, math.ceil(len(days) * 56 / plot_w))
    show_values = slot >= 30
    for i, (label, o, r) in enumerate(days):
        x0 = left + i * slot + (slot - 2 * bar) / 2
        svg.fill(x0, y_of(o), bar, base - y_of(o), "#1f3b5a", None, tip=f"{label}: {opened} {num(o)}")
        svg.fill(x0 + bar, y_of(r), bar, base - y_of(r), "#a9c7e6", "hatch", tip=f"{label}: {resolved} {num(r)}")
        if show_values:
            svg.text(x0 + bar / 2, y_of(o) - 3, num(o), anchor="middle", size=10)
            svg.text(x0 + bar * 1.5, y_of(r) - 3, num(r), anchor="middle", size=10)
        if i % every == 0:
            svg.text(left + i * slot + slot / 2, base + 15, label, anchor="middle", size=10)
    svg.text(left + plot_w / 2, base + 36, x_label, anchor="middle", weight="bold")
    svg.text(14, top + plot_h / 2, y_label, anchor="middle", weight="bold", rotate=-90)
    return svg.markup()


@dataclass(frozen=True)
class Cell:
    text: str  # what the cell says (`83 %`), or `–` when nobody has the role
    state: str  # "below" | "ok" | "none"
    tip: str  # the full story on hover: unit, role, trained of total


def heatmap(name: str, title: str, rows: Sequence[tuple[str, Sequence[Cell]]], columns: Sequence[str], *, x_label: str,
            y_label: str, legend: dict[str, str]) -> Markup:
    """Units down, roles across; a cell per (unit, role): below the minimum is dark and hatched, met is light."""
    label_w = min(max((max((len(u) for u, _ in rows), default=4)) * CHAR + 12, 110.0), 280.0)
    col_w = min(max((max((len(c) for c in columns), default=4)) * CHAR + 12, 64.0), 130.0)
    cell_h = 20.0
    left, top = label_w + 22.0, 82.0
    width = left + col_w * max(len(columns), 1) + 8
    height = top + cell_h * len(rows) + 8
    svg = Svg(name, max(width, 460.0), height, title)
    svg.patterns()
    _heading(svg)
    # legend
    x = 0.0
    for state, colour, pattern in (("below", "#e8a29c", "hatch"), ("ok", "#e4f2e4", None), ("none", "#eeeeee", None)):
        svg.fill(x, 26, 12, 12, colour, pattern)
        svg.rect(x, 26, 12, 12, "none", stroke=INK)
        svg.text(x + 17, 36, legend[state])
        x += 17 + len(legend[state]) * CHAR + 16
    svg.text(left + col_w * len(columns) / 2, 56, x_label, anchor="middle", weight="bold")
    for j, column in enumerate(columns):
        svg.text(left + j * col_w + col_w / 2, top - 8, fit(column, col_w - 4), anchor="middle", tip=column)
    svg.text(10, top + cell_h * len(rows) / 2, y_label, anchor="middle", weight="bold", rotate=-90)
    for i, (unit, cells) in enumerate(rows):
        y = top + i * cell_h
        svg.text(left - 6, y + 14, fit(unit, label_w - 6), anchor="end", tip=unit)
        for j, cell in enumerate(cells):
            x = left + j * col_w
            colour = {"below": "#e8a29c", "ok": "#e4f2e4"}.get(cell.state, "#eeeeee")
            svg.fill(x, y, col_w, cell_h, colour, "hatch" if cell.state == "below" else None, tip=cell.tip)
            svg.rect(x, y, col_w, cell_h, "none", stroke="#ffffff")
            svg.text(x + col_w / 2, y + 14, cell.text, anchor="middle", weight="bold" if cell.state == "below" else None,
                     halo=cell.state == "below")
    return svg.markup()


def streams(name: str, title: str, rows: Sequence[tuple[str, int, int, str, str]], *, x_label: str, y_label: str,
            ticks: Sequence[str]) -> Markup:
    """A bar per stream: done of total, filled in its RAG colour (red cross-hatched, amber hatched), labelled at the end.

    rows: (stream, done, total, rag, label at the end such as `30 av 34 · 88 % · RØD`); ticks: 0, 50 and 100 % as text.
    """
    label_w = min(max((max((len(s) for s, *_ in rows), default=4)) * CHAR + 10, 90.0), 220.0)
    left, track, bar_h, gap, top = label_w + 22.0, 300.0, 16.0, 10.0, 36.0
    end_w = max((len(r[4]) for r in rows), default=10) * CHAR + 12
    height = top + (bar_h + gap) * len(rows) + 40
    svg = Svg(name, left + track + end_w, height, title)
    svg.patterns()
    _heading(svg)
    base = top + (bar_h + gap) * len(rows)
    for k, tick in enumerate(ticks):
        x = left + track * k / max(len(ticks) - 1, 1)
        svg.line(x, top - 4, x, base)
        svg.text(x, base + 13, tick, anchor="middle", size=10)
    svg.text(left + track / 2, base + 32, x_label, anchor="middle", weight="bold")
    svg.text(10, top + (base - top) / 2, y_label, anchor="middle", weight="bold", rotate=-90)
    for i, (stream, done, total, rag, end) in enumerate(rows):
        y = top + i * (bar_h + gap)
        share = done / total if total else 0.0
        svg.text(left - 6, y + 12, fit(stream, label_w - 4), anchor="end", tip=stream)
        svg.rect(left, y, track, bar_h, "#f2f2f2", stroke="#9a9a9a")
        svg.fill(left, y, track * share, bar_h, RAG_FILL.get(rag, "#888888"), RAG_PATTERN.get(rag), tip=f"{stream}: {end}")
        svg.text(left + track + 6, y + 12, end, weight="bold" if rag != "green" else None)
    return svg.markup()


def bars(name: str, title: str, rows: Sequence[tuple[str, int]], *, x_label: str, y_label: str,
         num: Callable[[int], str] = str) -> Markup:
    """Horizontal bars with their counts: the first (P1) darkest and cross-hatched, fading to the last."""
    left, track, bar_h, gap, top = 64.0, 320.0, 18.0, 8.0, 36.0
    base = top + (bar_h + gap) * len(rows)
    svg = Svg(name, left + track + 60, base + 40, title)
    svg.patterns()
    _heading(svg)
    axis_max, step = nice_max(max([v for _, v in rows] or [0]))
    tick = 0.0
    while tick <= axis_max + 1e-9:
        x = left + track * tick / axis_max
        svg.line(x, top - 4, x, base)
        svg.text(x, base + 13, num(int(tick)), anchor="middle", size=10)
        tick += step
    svg.text(left + track / 2, base + 32, x_label, anchor="middle", weight="bold")
    svg.text(10, top + (base - top) / 2, y_label, anchor="middle", weight="bold", rotate=-90)
    shades = ("#7a1f1a", "#b3261e", "#e39a93", "#f3d3cf", "#f7e6e4")
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        svg.text(left - 6, y + 13, fit(label, left - 28), anchor="end", weight="bold", tip=label)
        pattern = "cross" if i == 0 else ("hatch" if i == 1 else None)
        svg.fill(left, y, track * value / axis_max, bar_h, shades[min(i, len(shades) - 1)], pattern, tip=f"{label}: {num(value)}")
        svg.text(left + track * value / axis_max + 6, y + 13, num(value), weight="bold")
    return svg.markup()
