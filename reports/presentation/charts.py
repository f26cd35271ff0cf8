"""The report's charts, each defined once and drawn by matplotlib: as inline SVG for the
page and as PNG for the Word report and the workbook.

The page's SVG carries no <style> element and no style attribute (the Content-Security-
Policy allows neither): matplotlib's inline styles become presentation attributes.
Matplotlib runs headless (Agg) with its own bundled font, which has the Vietnamese letters.
"""

import hashlib
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import matplotlib
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from reports.presentation.formatting import number

# No display, no GUI toolkit: figures are built without pyplot and rendered by Agg.
matplotlib.use("Agg")

CURRENT = "#b3261e"  # this year: the red of the board's documents
PREVIOUS = "#9aa5b1"  # the previous year: grey
SINGLE = "#1f5f99"
MAX_UNITS_DRAWN = 30  # at national scale (700 units) the chart keeps the largest ones

# Drawn at the width it prints in the Word report (A4 less the margins, 16 cm), so the
# point sizes below are the printed ones: tick labels at 9 pt, never under 8 pt.
PRINT_WIDTH_INCHES = 6.3
PNG_DPI = 200
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "svg.fonttype": "none",  # real <text>: selectable, read by screen readers
    "svg.hashsalt": "hatinh-report",  # the same figures give the same SVG
    "text.parse_math": False,  # a unit named "$..." stays text
    "axes.spines.top": False,
    "axes.spines.right": False,
}

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


@dataclass(frozen=True)
class Chart:
    """A chart as data: "column" draws categories along the x axis, "bar" down the y axis."""

    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[tuple[str, list[int], str]]


def _figure(chart: Chart) -> tuple[Figure, list[list]]:
    """The figure and, per series, its bar patches (for the SVG's data-value marks)."""
    groups, count = len(chart.categories), max(1, len(chart.series))
    if chart.kind == "bar":
        height = max(2.2, 0.7 + groups * (0.16 * count + 0.1))
    else:
        height = 2.6
    figure = Figure(figsize=(PRINT_WIDTH_INCHES, height), layout="constrained")
    axes = figure.add_subplot()
    width = 0.8 / count
    positions = range(groups)
    largest = max([v for _label, values, _colour in chart.series for v in values] or [0])
    patches = []
    for index, (label, values, colour) in enumerate(chart.series):
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        if chart.kind == "bar":
            bars = axes.barh(offsets, values, height=width * 0.92, color=colour, label=label)
        else:
            bars = axes.bar(offsets, values, width=width * 0.92, color=colour, label=label)
        axes.bar_label(bars, labels=[number(v) for v in values], padding=2, fontsize=8)
        patches.append(list(bars.patches))
    value_axis, category_axis = (axes.xaxis, axes.yaxis) if chart.kind == "bar" else (axes.yaxis, axes.xaxis)
    value_axis.set_major_locator(MaxNLocator(nbins=5, integer=True, steps=[1, 2, 5, 10]))
    value_axis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value)))
    category_axis.set_ticks(list(positions), labels=chart.categories)
    # Room for the value labels past the longest bar.
    if chart.kind == "bar":
        axes.set_xlim(0, max(1, largest) * 1.12)
        axes.invert_yaxis()  # the first unit on top, as in the table
        axes.grid(axis="x", color="#d9dde3", linewidth=0.6)
    else:
        axes.set_ylim(0, max(1, largest) * 1.15)
        # One or two years draw as columns of the width they would have among four.
        margin = max(0.0, (4 - groups) / 2)
        axes.set_xlim(-0.5 - margin, groups - 0.5 + margin)
        axes.grid(axis="y", color="#d9dde3", linewidth=0.6)
    axes.set_axisbelow(True)
    if len(chart.series) > 1:
        # Above the plot, never over a bar.
        figure.legend(loc="outside upper center", ncols=len(chart.series), frameon=False)
    return figure, patches


# Drawing is nine tenths of a report page's time (about 180 ms a chart), and a chart is a pure
# function of its data and the language its numbers are written in: each drawing is kept in the
# shared cache under a digest of both, so it is drawn once per change of figures, on any server.
DRAWING_TIMEOUT = 7 * 24 * 3600


def _drawn(chart: Chart, kind: str, draw):
    digest = hashlib.sha256(repr((chart, get_language(), STYLE)).encode()).hexdigest()
    key = f"chart:{kind}:{digest}"
    drawing = cache.get(key)
    if drawing is None:
        drawing = draw(chart)
        cache.set(key, drawing, DRAWING_TIMEOUT)
    return drawing


def png(chart: Chart) -> bytes:
    return _drawn(chart, "png", _png)


def _png(chart: Chart) -> bytes:
    with matplotlib.rc_context(STYLE):
        figure, _patches = _figure(chart)
        output = io.BytesIO()
        figure.savefig(output, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return output.getvalue()


def _declaration(style: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {name.strip(): value.strip() for name, value in pairs}


def svg(chart: Chart) -> str:
    return _drawn(chart, "svg", _svg)


def _svg(chart: Chart) -> str:
    """Inline SVG: styles as attributes, ids prefixed by the chart's key (several charts
    share a page), each bar marked class="bar" with its value and a tooltip."""
    with matplotlib.rc_context(STYLE):
        figure, patches = _figure(chart)
        for series_index, bars in enumerate(patches):
            for index, bar in enumerate(bars):
                bar.set_gid(f"bar-{series_index}-{index}")
        output = io.StringIO()
        figure.savefig(output, format="svg", metadata={"Date": None, "Creator": None})
    root = ET.fromstring(output.getvalue())
    prefix = f"{chart.key}-"
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in list(root.iter()):
        tag = element.tag.split("}")[-1]
        if tag in ("metadata", "style"):
            parents[element].remove(element)
            continue
        for name, value in _declaration(element.attrib.pop("style", "")).items():
            element.set(name, value)
        if "id" in element.attrib:
            element.set("id", prefix + element.get("id"))
        for name in ("clip-path", "mask"):
            if name in element.attrib:
                element.set(name, element.get(name).replace("url(#", f"url(#{prefix}"))
        href = f"{{{XLINK_NS}}}href"
        if element.get(href, "").startswith("#"):
            element.set(href, "#" + prefix + element.get(href)[1:])
        found = re.fullmatch(r"bar-(\d+)-(\d+)", element.get("id", "").removeprefix(prefix))
        if found:
            label, values, _colour = chart.series[int(found[1])]
            value = values[int(found[2])]
            element.set("class", "bar")
            element.set("data-value", str(value))
            tip = ET.SubElement(element, f"{{{SVG_NS}}}title")
            tip.text = f"{chart.categories[int(found[2])]} — {label}: {number(value)}"
    # What the removed <style> set for every element, inherited from the root instead.
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("width", "100%")
    root.set("role", "img")
    root.set("aria-label", chart.title)
    title = ET.Element(f"{{{SVG_NS}}}title")
    title.text = chart.title
    root.insert(0, title)
    # The class first, as the page's stylesheet and tests look for it.
    return mark_safe(ET.tostring(root, encoding="unicode").replace("<svg ", '<svg class="chart" ', 1))


def chart_definitions(report: dict, history: list[dict]) -> list[Chart]:
    """The report's charts in the page's order; the unit chart only where there are units."""
    years = [str(row["year"]) for row in history]
    year, previous = report["year"], report["previous_year"]
    units = report["by_unit"]
    unit_title = _("Số lớp theo đơn vị: năm %(year)s so với năm %(previous)s") % {"year": year, "previous": previous}
    if len(units) > MAX_UNITS_DRAWN:
        units = sorted(units, key=lambda unit: (-unit["classes"], unit["code"]))[:MAX_UNITS_DRAWN]
        unit_title += " " + _("(%(n)s đơn vị nhiều lớp nhất)") % {"n": MAX_UNITS_DRAWN}
    charts = []
    if history:
        charts += [
            Chart(
                "classes_per_year",
                _("Số lớp mở được theo năm"),
                "column",
                years,
                [(_("Số lớp"), [row["classes"] for row in history], SINGLE)],
            ),
            Chart(
                "learners_per_year",
                _("Số học viên theo năm"),
                "column",
                years,
                [(_("Số học viên"), [row["learners"] for row in history], SINGLE)],
            ),
        ]
    if units:
        charts.append(
            Chart(
                "classes_by_unit",
                unit_title,
                "bar",
                [unit["name"] for unit in units],
                [
                    (_("Năm %(year)s") % {"year": year}, [unit["classes"] for unit in units], CURRENT),
                    (_("Năm %(year)s") % {"year": previous}, [unit["previous_classes"] for unit in units], PREVIOUS),
                ],
            )
        )
    return charts


def report_charts(report: dict, history: list[dict]) -> dict[str, str]:
    """The page's charts as inline SVG, by key."""
    return {chart.key: svg(chart) for chart in chart_definitions(report, history)}
