"""Charts for the estate report: pygal draws them as SVG, this module makes them fit the page.

pygal's SVG is made for a page that loads its tooltip script from the web; a board pack must make
no requests and run no script, and a screen reader must know what each picture is. So every chart
is drawn without script, then given ``role="img"`` with a ``<title>`` and ``<desc>`` (its text
summary), and a stable id in place of pygal's random one (the same estate gives the same file).
Colour is never the only cue: bars carry their values and lines differ in dash pattern, and every
chart has its data as a table beside it (see the template).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Sequence

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
# GOV.UK Design System colours, all at least 4.5:1 against white so values printed on or beside
# them stay readable.
PALETTE = ("#1d70b8", "#0b0c0c", "#d4351c", "#00703c", "#4c2c92", "#505a5f", "#912b88", "#003078")
DASHES = ("", "12, 6", "3, 5", "14, 5, 3, 5", "1, 3", "8, 3, 2, 3, 2, 3", "20, 4")
"""One dash pattern per line, so lines are told apart without colour."""


@dataclass(frozen=True)
class DataTable:
    """A chart's data as a table: what assistive technology and print readers get."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    numeric: tuple[bool, ...] = ()
    """Which columns are numbers (right-aligned, as GOV.UK tables do)."""
    note: str = ""
    """Said under the table, e.g. that a long list was cut to its first rows for the board pack."""


@dataclass(frozen=True)
class Tag:
    """A status shown as a GOV.UK tag: its words carry the meaning, the colour only repeats it."""

    text: str
    tone: str
    """A GOV.UK tag colour: green, red, grey, yellow, blue."""


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    summary: str
    """One or two sentences saying what the chart shows: its accessible description."""
    svg: str
    table: DataTable


def _style() -> Any:
    from pygal.style import Style

    return Style(
        background="#ffffff", plot_background="#ffffff", foreground="#0b0c0c", foreground_strong="#0b0c0c",
        foreground_subtle="#505a5f", opacity="1", opacity_hover="1", transition="none", colors=PALETTE,
        font_family=FONT, label_font_size=15, major_label_font_size=15, value_font_size=15,
        legend_font_size=15, value_label_font_size=15, tooltip_font_size=15, title_font_size=19,
        value_colors=("#0b0c0c",) * len(PALETTE),
    )


VALUE_HALO = ("#chart-{id} .text-overlay text.value {{ paint-order: stroke; stroke: #ffffff !important; stroke-width: 4px; "
              "stroke-linejoin: round; font-weight: 700; }}")
"""Values in near-black with a white halo: readable (well over 4.5:1) on any bar colour and on the
white beyond a bar too short to hold its number."""


def _config(**options: Any) -> dict[str, Any]:
    return dict(
        style=_style(), js=[], disable_xml_declaration=True, legend_at_bottom=True, legend_at_bottom_columns=2,
        truncate_legend=-1, truncate_label=-1, show_y_guides=True, tooltip_border_radius=0,
        margin=16, width=800, **options,
    )


def _legend_room(series: int) -> int:
    """pygal sizes a bottom legend for its default font; ours is larger, so give each row room."""
    return 16 + 14 * ((series + 1) // 2)


def finish(chart: Any, chart_id: str, title: str, summary: str) -> str:
    """Render a pygal chart as inline SVG with no script, an accessible name and a stable id."""
    chart.uuid = chart_id
    root = ET.fromstring(chart.render(is_unicode=True))
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}script":
                parent.remove(child)
    for style in root.iter(f"{{{SVG_NS}}}style"):
        # pygal strips every stroke from text with !important under the chart's id; outrank it.
        style.text = (style.text or "") + VALUE_HALO.format(id=chart_id)
        break
    root.set("id", f"chart-{chart_id}")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("focusable", "false")
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    desc = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{chart_id}-desc"})
    desc.text = summary
    name = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{chart_id}-title"})
    name.text = title
    root.insert(0, desc)
    root.insert(0, name)
    text = ET.tostring(root, encoding="unicode")
    # One line per chart keeps the page compact; whitespace in SVG text and CSS carries no meaning here.
    return re.sub(r"\s+", " ", text)


def line_chart(chart_id: str, title: str, summary: str, x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
               table: DataTable) -> Chart:
    """Lines over time, told apart by dash pattern and legend as well as colour."""
    import pygal

    chart = pygal.Line(**_config(height=460, margin_bottom=_legend_room(len(series)), x_label_rotation=-45 if len(x_labels) > 8 else 0, dots_size=4,
                                 show_minor_x_labels=True, y_title="systems", value_formatter=lambda v: f"{v:,.0f}",
                                 y_labels_major_count=6, show_minor_y_labels=False))
    chart.x_labels = list(x_labels)
    for index, (label, values) in enumerate(series):
        chart.add(label, list(values), stroke_style={"width": 3, "dasharray": DASHES[index % len(DASHES)]})
    return Chart(chart_id, title, summary, finish(chart, chart_id, title, summary), table)


def bar_chart(chart_id: str, title: str, summary: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
              table: DataTable, stacked: bool = False, money: bool = False) -> Chart:
    """Horizontal bars, each labelled with its value so no reader depends on colour."""
    import pygal

    kind = pygal.HorizontalStackedBar if stacked else pygal.HorizontalBar
    formatter = (lambda v: f"£{v:,.0f}") if money else (lambda v: f"{v:,.0f}")
    chart = kind(**_config(height=max(220, 70 + 48 * len(labels) + 30 * ((len(series) + 1) // 2)), print_values=True, x_labels_major_count=5, show_minor_x_labels=False,
                           margin_bottom=_legend_room(len(series)) if len(series) > 1 else 16, value_formatter=formatter, print_zeroes=False, show_legend=len(series) > 1))
    # pygal draws the first label at the bottom; a reader expects the first at the top.
    chart.x_labels = list(reversed(labels))
    for label, values in series:
        chart.add(label, [float(v) for v in reversed(values)])
    return Chart(chart_id, title, summary, finish(chart, chart_id, title, summary), table)
