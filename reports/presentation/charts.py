"""Charts drawn on the server as inline SVG: no JavaScript, no network, nothing for a
strict Content-Security-Policy to block (colours are presentation attributes, not styles)."""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reports.presentation.formatting import number

CURRENT = "#b3261e"  # this year: the red of the board's documents
PREVIOUS = "#9aa5b1"  # the previous year: grey
SINGLE = "#1f5f99"
MAX_UNITS_DRAWN = 30  # at national scale (700 units) the chart keeps the largest ones


def _axis(largest: int, ticks: int = 4) -> tuple[int, int]:
    """A round whole step (1, 2 or 5 × 10^k) and the axis top, so tick labels never repeat."""
    rough = max(1, largest) / ticks
    magnitude = 10 ** max(0, math.floor(math.log10(rough)))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    return step * max(1, math.ceil(largest / step)), step


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return mark_safe(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _legend(series, x: int, y: int) -> list[str]:
    parts = []
    for label, _values, colour in series:
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}" font-size="12">{escape(label)}</text>')
        x += 24 + 7 * len(label)
    return parts


def column_chart(title: str, categories: list, series: list[tuple[str, list[int], str]]) -> str:
    """Vertical grouped columns, one group per category (here: years)."""
    width, height, left, right, top, bottom = 640, 280, 64, 12, 34, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, step = _axis(max([v for _l, values, _c in series for v in values] or [0]))
    body = _legend(series, left, 18) if len(series) > 1 else []
    for value in range(0, top_value + 1, step):
        y = top + plot_h - plot_h * value / top_value
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9dde3" stroke-width="1"/>'
        )
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{number(value)}</text>')
    group_w = plot_w / max(1, len(categories))
    bar_w = min(48, group_w * 0.8 / max(1, len(series)))
    for index, category in enumerate(categories):
        x0 = left + group_w * index + (group_w - bar_w * len(series)) / 2
        for offset, (label, values, colour) in enumerate(series):
            value = values[index]
            bar_h = plot_h * value / top_value
            x, y = x0 + offset * bar_w, top + plot_h - bar_h
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{bar_h:.1f}" fill="{colour}" '
                f'data-value="{value}"><title>{escape(category)} — {escape(label)}: {number(value)}</title></rect>'
            )
        body.append(
            f'<text x="{left + group_w * index + group_w / 2:.1f}" y="{height - bottom + 16}" font-size="11" '
            f'text-anchor="middle">{escape(category)}</text>'
        )
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333"/>')
    return _svg(width, height, title, body)


def bar_chart(title: str, categories: list[str], series: list[tuple[str, list[int], str]]) -> str:
    """Horizontal grouped bars, one group per category (here: units), names on the left."""
    label_w, right, top, row_gap = 190, 56, 30, 6
    width = 960
    bar_h = 10
    group_h = bar_h * len(series) + row_gap
    height = top + group_h * len(categories) + 24
    plot_w = width - label_w - right
    top_value, step = _axis(max([v for _l, values, _c in series for v in values] or [0]))
    body = _legend(series, label_w, 16)
    for value in range(0, top_value + 1, step):
        x = label_w + plot_w * value / top_value
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 20}" stroke="#d9dde3" stroke-width="1"/>'
        )
        body.append(f'<text x="{x:.1f}" y="{height - 6}" font-size="11" text-anchor="middle">{number(value)}</text>')
    for index, category in enumerate(categories):
        y0 = top + group_h * index
        body.append(
            f'<text x="{label_w - 6}" y="{y0 + bar_h * len(series) / 2 + 4:.1f}" font-size="11" text-anchor="end">{escape(category)}</text>'
        )
        for offset, (label, values, colour) in enumerate(series):
            value = values[index]
            y = y0 + offset * bar_h
            bar_w = plot_w * value / top_value
            body.append(
                f'<rect class="bar" x="{label_w}" y="{y}" width="{bar_w:.1f}" height="{bar_h - 1}" fill="{colour}" '
                f'data-value="{value}"><title>{escape(category)} — {escape(label)}: {number(value)}</title></rect>'
            )
            body.append(f'<text x="{label_w + bar_w + 4:.1f}" y="{y + bar_h - 2}" font-size="9">{number(value)}</text>')
    return _svg(width, height, title, body)


def report_charts(report: dict, history: list[dict]) -> dict:
    years = [str(row["year"]) for row in history]
    year, previous = report["year"], report["previous_year"]
    units = report["by_unit"]
    unit_title = _("Số lớp theo đơn vị: năm %(year)s so với năm %(previous)s") % {"year": year, "previous": previous}
    if len(units) > MAX_UNITS_DRAWN:
        units = sorted(units, key=lambda unit: (-unit["classes"], unit["code"]))[:MAX_UNITS_DRAWN]
        unit_title += " " + _("(%(n)s đơn vị nhiều lớp nhất)") % {"n": MAX_UNITS_DRAWN}
    return {
        "classes_per_year": column_chart(
            _("Số lớp mở được theo năm"), years, [(_("Số lớp"), [row["classes"] for row in history], SINGLE)]
        ),
        "learners_per_year": column_chart(
            _("Số học viên theo năm"), years, [(_("Số học viên"), [row["learners"] for row in history], SINGLE)]
        ),
        "classes_by_unit": bar_chart(
            unit_title,
            [unit["name"] for unit in units],
            [
                (_("Năm %(year)s") % {"year": year}, [unit["classes"] for unit in units], CURRENT),
                (_("Năm %(year)s") % {"year": previous}, [unit["previous_classes"] for unit in units], PREVIOUS),
            ],
        ),
    }
