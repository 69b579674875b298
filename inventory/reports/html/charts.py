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
    nowrap: tuple[bool, ...] = ()
    """Columns kept on one line (dates), so 2027-01-15 never breaks at its hyphens."""
    note: str = ""
    """Said under the table, e.g. that a long list was cut to its first rows for the board pack."""
    print_rows: int | None = None
    """On paper, only this many rows (the note says where the rest are); None: every row."""
    on_paper: bool = True
    """False: a screen-only list (the section's paper note points to it)."""


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
    timeline: bool = False
    """Months along the x axis: on a narrow screen the chart opens at its latest month."""
    table_on_paper: bool = False
    """Print the data table (cut to its print rows) instead of the picture: for a chart taller than its message."""


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
    return {
        **dict(style=_style(), js=[], disable_xml_declaration=True, legend_at_bottom=True, legend_at_bottom_columns=2,
               truncate_legend=-1, truncate_label=-1, show_y_guides=True, tooltip_border_radius=0, margin=16, width=800),
        **options,
    }


def chart_config(**options: Any) -> dict[str, Any]:
    """The page's pygal settings (style, no script, sizes) for a chart drawn elsewhere, e.g. the dependency picture."""
    return _config(**options)


def _legend_room(series: int) -> int:
    """pygal sizes a bottom legend for its default font; ours is larger, so give each row room."""
    return 16 + 14 * ((series + 1) // 2)


def _el(tag: str, **attrs: Any) -> ET.Element:
    return ET.Element(f"{{{SVG_NS}}}{tag}", {k.replace("_", "-"): str(v) for k, v in attrs.items()})


def _pattern(chart_id: str, index: int) -> ET.Element:
    """Series ``index`` (1 up) as its colour overlaid with white stripes, dots or a cross-hatch."""
    pattern = _el("pattern", id=f"{chart_id}-pattern-{index}", patternUnits="userSpaceOnUse", width=8, height=8,
                  patternTransform="rotate(45)" if index % 3 != 2 else "")
    pattern.append(_el("rect", width=8, height=8, fill=PALETTE[index % len(PALETTE)]))
    if index % 3 == 1:
        pattern.append(_el("rect", width=3, height=8, fill="#ffffff", fill_opacity="0.6"))
    elif index % 3 == 2:
        pattern.append(_el("circle", cx=4, cy=4, r=1.8, fill="#ffffff", fill_opacity="0.75"))
    else:
        pattern.append(_el("rect", width=2, height=8, fill="#ffffff", fill_opacity="0.6"))
        pattern.append(_el("rect", width=8, height=2, fill="#ffffff", fill_opacity="0.6"))
    if not pattern.get("patternTransform"):
        del pattern.attrib["patternTransform"]
    return pattern


def _has_class(element: ET.Element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def finish(chart: Any, chart_id: str, title: str, summary: str, *, patterns: int = 0, dashes: Sequence[str] = ()) -> str:
    """Render a pygal chart as inline SVG with no script, an accessible name and ids of its own.

    ``patterns``: fill the bars of series 1 .. patterns-1 with a pattern (series 0 stays solid),
    legend keys too, so stacked segments differ by more than colour. ``dashes``: draw each line
    series' legend key as a sample of its dashed line rather than a coloured square.
    """
    chart.uuid = chart_id
    root = ET.fromstring(chart.render(is_unicode=True))
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}script":
                parent.remove(child)
    for element in root.iter():
        # pygal repeats ids such as activate-serie-0 in every chart; a page needs them unique.
        if element.get("id"):
            element.set("id", f"{chart_id}-{element.get('id')}")
    css = VALUE_HALO.format(id=chart_id)
    defs = root.find(f"{{{SVG_NS}}}defs")
    if defs is None:
        defs = ET.SubElement(root, f"{{{SVG_NS}}}defs")
    for index in range(1, patterns):
        defs.append(_pattern(chart_id, index))
        css += (f"#chart-{chart_id} .color-{index} .rect, #chart-{chart_id} rect.color-{index} "
                f"{{ fill: url(#{chart_id}-pattern-{index}) !important; }}")
    if dashes:
        for legend in (g for g in root.iter(f"{{{SVG_NS}}}g") if _has_class(g, "legend")):
            key, text = legend.find(f"{{{SVG_NS}}}rect"), legend.find(f"{{{SVG_NS}}}text")
            if key is None or text is None:
                continue
            index = next((int(c[len("color-"):]) for c in (key.get("class") or "").split() if c.startswith("color-")), 0)
            x, y = float(key.get("x", 0)), float(key.get("y", 0)) + 6
            legend.remove(key)
            legend.insert(0, _el("line", x1=x, y1=y, x2=x + 34, y2=y, stroke=PALETTE[index % len(PALETTE)], stroke_width=3,
                                 stroke_dasharray=dashes[index % len(dashes)] or "none"))
            text.set("x", str(x + 40))
    for style in root.iter(f"{{{SVG_NS}}}style"):
        # pygal strips every stroke from text with !important under the chart's id; outrank it.
        style.text = (style.text or "") + css
        break
    root.set("id", f"chart-{chart_id}")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("focusable", "false")
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    desc = _el("desc", id=f"{chart_id}-desc")
    desc.text = summary
    name = _el("title", id=f"{chart_id}-title")
    name.text = title
    root.insert(0, desc)
    root.insert(0, name)
    text = ET.tostring(root, encoding="unicode")
    # One line per chart keeps the page compact; whitespace in SVG text and CSS carries no meaning here.
    return re.sub(r"\s+", " ", text)


def line_chart(chart_id: str, title: str, summary: str, x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
               table: DataTable, money: bool = False) -> Chart:
    """Lines over time, told apart by dash pattern and legend as well as colour."""
    import pygal

    formatter = (lambda v: f"£{v:,.0f}") if money else (lambda v: f"{v:,.0f}")
    chart = pygal.Line(**_config(height=340, include_x_axis=money, margin_bottom=_legend_room(len(series)), x_label_rotation=-45 if len(x_labels) > 8 else 0, dots_size=4,
                                 show_minor_x_labels=True, y_title="GBP a year" if money else "systems", value_formatter=formatter,
                                 y_labels_major_count=6, show_minor_y_labels=False))
    chart.x_labels = list(x_labels)
    for index, (label, values) in enumerate(series):
        chart.add(label, list(values), stroke_style={"width": 3, "dasharray": DASHES[index % len(DASHES)]})
    return Chart(chart_id, title, summary, finish(chart, chart_id, title, summary, dashes=DASHES), table, timeline=True)


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
    return Chart(chart_id, title, summary, finish(chart, chart_id, title, summary, patterns=len(series)), table)
