"""What the templates show, shaped from a report: the charts, the heatmap's rows, the coverage grid.

The report's data stays as it is (one model feeds all formats); this module
only orders, caps and words it for the eye. Caps keep rendering proportional
to what is shown, never to the number of tickets or people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reports.render import charts
from reports.render.words import Words

HEATMAP_UNITS = 40  # units shown in the heatmap, worst first
COVERAGE_UNITS = 30  # units shown in the superuser grid, most short first
TABLE_ROWS = 15  # rows of a long table (late tasks, staffing gaps, …)


@dataclass(frozen=True)
class HeatmapView:
    roles: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Any, ...]], ...]  # (unit name, cells in role order; None where nobody has the role)
    hidden: int  # units not shown
    hidden_below: int  # of them, units with a row below the minimum


def heatmap_view(training: tuple[Any, ...], limit: int = HEATMAP_UNITS) -> HeatmapView:
    roles = tuple(sorted({r.role for r in training}))
    units: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    for r in training:
        units.setdefault(r.unit, {})[r.role] = r
        names[r.unit] = r.unit_name

    def margin(unit: str) -> tuple[float, str, str]:
        return (min(r.share - r.minimum for r in units[unit].values()), names[unit], unit)

    ordered = sorted(units, key=margin)
    shown = ordered[:limit]
    rest = ordered[limit:]
    rows = tuple((names[u], tuple(units[u].get(role) for role in roles)) for u in shown)
    below = sum(1 for u in rest if any(not r.passed for r in units[u].values()))
    return HeatmapView(roles=roles, rows=rows, hidden=len(rest), hidden_below=below)


@dataclass(frozen=True)
class CoverageView:
    slots: tuple[tuple[datetime, str], ...]  # (shift start, shift name), in time order
    rows: tuple[tuple[str, tuple[Any, ...]], ...]  # (unit name, CoverageRow or None per slot)
    covered: int  # units with enough superusers on every shift (not shown)
    hidden_short: int  # units short of superusers but beyond the cap


def coverage_view(coverage: tuple[Any, ...], limit: int = COVERAGE_UNITS) -> CoverageView:
    slots = tuple(sorted({(c.start, c.shift) for c in coverage}, key=lambda s: s[0]))
    cells: dict[str, dict[datetime, Any]] = {}
    names: dict[str, str] = {}
    for c in coverage:
        cells.setdefault(c.unit, {})[c.start] = c
        names[c.unit] = c.unit_name
    short = [u for u in cells if any(c.gap > 0 for c in cells[u].values())]
    short.sort(key=lambda u: (-sum(c.gap for c in cells[u].values()), names[u], u))
    rows = tuple((names[u], tuple(cells[u].get(start) for start, _ in slots)) for u in short[:limit])
    return CoverageView(slots=slots, rows=rows, covered=len(cells) - len(short), hidden_short=max(0, len(short) - limit))


def heatmap_chart(view: HeatmapView, t: Words) -> Any:
    rows = []
    for unit, cells in view.rows:
        out = []
        for role, cell in zip(view.roles, cells):
            if cell is None or cell.total == 0:
                out.append(charts.Cell("–", "none", f"{unit} · {role}: {t('heatmap_legend_none')}"))
            else:
                tip = f"{unit} · {role}: {t.number(cell.trained)} / {t.number(cell.total)} ({t.percent(cell.share)}; {t('minimum')} {t.percent(cell.minimum)})"
                out.append(charts.Cell(t.percent(cell.share), "ok" if cell.passed else "below", tip))
        rows.append((unit, tuple(out)))
    legend = {"below": t("heatmap_legend_below"), "ok": t("heatmap_legend_ok"), "none": t("heatmap_legend_none")}
    return charts.heatmap("training", t("heatmap_title"), rows, view.roles, x_label=t("heatmap_roles"),
                          y_label=t("heatmap_units"), legend=legend)


def cutover_charts(report: Any, t: Words) -> dict[str, Any]:
    """Markup of every chart of the cutover report, by name."""
    out: dict[str, Any] = {}
    s = report.support
    out["daily"] = charts.daily("daily", t("daily_title"), [(t.short_day(d.date), d.opened, d.resolved) for d in s.days],
                                x_label=t("daily_x"), y_label=t("daily_y"), opened=t("opened"), resolved=t("resolved"),
                                num=t.number)
    out["backlog"] = charts.bars("backlog", t("backlog_title"), [(b.priority, b.open) for b in s.backlog],
                                 x_label=t("backlog_axis"), y_label=t("priority"), num=t.number)
    rb = report.runbook
    if rb.present and rb.streams:
        rows = [(st.stream, st.done, st.total, st.rag,
                 f"{t.number(st.done)} / {t.number(st.total)} · {t.percent(st.done / st.total if st.total else 0)} · {t.rag(st.rag)}")
                for st in rb.streams]
        out["streams"] = charts.streams("streams", t("streams_title"), rows, x_label=t("streams_axis"), y_label=t("stream"),
                                        ticks=[t.percent(0), t.percent(0.5), t.percent(1)])
    heat = heatmap_view(report.readiness.training)
    out["heatmap_view"] = heat
    out["heatmap"] = heatmap_chart(heat, t) if heat.rows else None
    out["coverage"] = coverage_view(report.readiness.superuser_coverage)
    return out
