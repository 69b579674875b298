"""The board pack's first page: where we are, what is next, what is at risk.

Built from the outlook report (figures now and since a day, waves against their months, the next
waves) and the risk report's ten priorities: the same records `report outlook` and `report risk`
give as JSON. The next wave's dependencies are drawn (pygal, as every chart here) with the same
links as a table beside the picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inventory.reports.html.charts import Chart, DataTable, Tag, chart_config, finish
from inventory.reports.html.sections import Section, label

if TYPE_CHECKING:
    from inventory.reports.outlook import OutlookReport, WaveLink
    from inventory.reports.risk import RiskReport

TONE = {"red": "red", "amber": "yellow", "green": "green", "not due": "grey", "no month recorded": "grey"}


def rag(status: Any) -> Tag:
    return Tag(status.value, TONE.get(status.value, "grey"))


def where_we_are(outlook: OutlookReport) -> Section:
    since = outlook.since.isoformat() if outlook.since else None
    source = f" (as saved in {outlook.since_snapshot})" if outlook.since_snapshot else " (replayed from the history)"
    figures = DataTable(
        f"Figures now and on {since}{source}" if since else "Figures now (give --since DATE or a saved snapshot to compare with an earlier report)",
        ("figure", "now", f"on {since}" if since else "then", "change"),
        tuple((f.label, f"{f.now:,}", "—" if f.then is None else f"{f.then:,}", "—" if f.change is None else f"{f.change:+,}")
              for f in outlook.figures),
        (False, True, True, True),
    )
    waves = DataTable(
        "Waves against their months (red, amber, green)", ("wave", "month", "systems", "done", "migrating", "on hold", "not started", "status", "why"),
        tuple((f"Wave {w.wave}", w.month or "—", f"{w.systems:,}", f"{w.done:,}", f"{w.migrating:,}", f"{w.on_hold:,}", f"{w.not_started:,}",
               rag(w.status), w.why) for w in outlook.waves),
        numeric=(False, False, True, True, True, True, True, False, False), nowrap=(False, True, *[False] * 7),
        note="A wave counts the systems moving in it (retain and retire are left out until decommissioned). "
             "Red: its month has passed with under three quarters done; amber: in its month, or passed with most done.",
    )
    intro = f"Against the plan: {outlook.overall.value}."
    return Section("where", "Where we are", intro, (), (figures, waves))


def what_is_next(outlook: OutlookReport) -> Section:
    tables = []
    for n in outlook.next_waves:
        tables.append(DataTable(f"Wave {n.wave}" + (f", {n.month}" if n.month else ", month not recorded") + f": {len(n.systems)} systems to move",
                                ("system", "name"), tuple(zip(n.systems, n.names))))
    charts: tuple[Chart, ...] = ()
    if outlook.next_waves and outlook.next_wave_links:
        charts = (dependency_picture(outlook),)
    intro = "The next waves and the systems still to move in them." if outlook.next_waves else "No wave has systems still to move."
    return Section("next", "What is next", intro, charts, tuple(tables), tables_first=True)


def what_is_at_risk(risk: RiskReport) -> Section:
    table = DataTable(
        "The ten systems most at risk, worst first", ("system", "name", "score", "criticality", "classification", "personal data", "months past support"),
        tuple((p.system, p.name, f"{p.score:,}", label(p.criticality), label(p.data_classification), label(p.personal_data),
               f"{p.months_past_support:,}") for p in risk.priorities),
        numeric=(False, False, True, False, False, False, True),
        note="Score: criticality (mission 40, business 30, supporting 20, non 10) + OFFICIAL-SENSITIVE 20 + personal data 10 "
             "+ one a month past support (at most 36). The full lists are under Risks.",
    )
    return Section("at-risk", "What is at risk", f"As of {risk.today.isoformat()}: live systems only, worst first.", (), (table,))


def _columns(outlook: OutlookReport) -> dict[str, tuple[int, str]]:
    """Each system in the picture: column 1 the wave (by name), column 0 what it depends on outside it (by id)."""
    wave = outlook.next_waves[0]
    members = set(wave.systems)
    place: dict[str, tuple[int, str]] = {s: (1, name) for s, name in zip(wave.systems, wave.names)}
    for link in outlook.next_wave_links:
        if link.source in members and link.target not in members:
            place.setdefault(link.target, (0, link.target))
    return place


def dependency_picture(outlook: OutlookReport) -> Chart:
    """The next wave (right) and what it depends on outside it (left), lines for each dependency, as a pygal XY chart.

    What depends on the wave can be many systems (identity is used by everything), so it is counted
    in the summary and listed in the table, not drawn."""
    import pygal

    wave = outlook.next_waves[0]
    place = _columns(outlook)
    rows: dict[int, list[str]] = {0: [], 1: []}
    for system in sorted(place):
        rows[place[system][0]].append(system)
    tallest = max(len(r) for r in rows.values()) or 1

    def y(i: int, count: int) -> float:
        return tallest - (i + 0.5) * tallest / max(count, 1)

    xy = {s: (float(col), y(i, len(members))) for col, members in rows.items() for i, s in enumerate(members)}
    chart = pygal.XY(**chart_config(height=max(240, 90 + 44 * tallest), show_legend=True, stroke=True, allow_interruptions=True, dots_size=7,
                                    print_labels=True, show_x_labels=False, show_y_labels=False, show_x_guides=False, show_y_guides=False,
                                    xrange=(-0.15, 1.9), range=(0, tallest), margin_bottom=40, legend_at_bottom_columns=3))
    lines: list[Any] = []
    inside = [link for link in outlook.next_wave_links if link.source in xy and link.target in xy]
    for link in inside:
        lines += [xy[link.source], xy[link.target], None]
    chart.add("depends on", lines, show_dots=False, stroke_style={"width": 2})
    for col, title in ((0, "outside the wave"), (1, f"wave {wave.wave}")):
        chart.add(title, [{"value": xy[s], "label": place[s][1]} for s in rows[col]], stroke=False)
    members = set(wave.systems)
    users = sorted({link.source for link in outlook.next_wave_links if link.target in members and link.source not in members})
    summary = (f"Wave {wave.wave}" + (f" ({wave.month})" if wave.month else "") + f": {len(rows[1])} systems to move, depending on "
               f"{len(rows[0])} systems outside the wave (left); {len(users)} other systems depend on them. Every link is in the table.")
    table = DataTable(f"Every dependency touching wave {wave.wave}", ("system", "depends on", "kind", "its wave", "its state"),
                      tuple(_link_row(link) for link in outlook.next_wave_links))
    svg = finish(chart, "next-wave", f"Dependencies of wave {wave.wave}", summary)
    return Chart("next-wave", f"Dependencies of wave {wave.wave}", summary, svg, table)


def _link_row(link: WaveLink) -> tuple[str, ...]:
    return (link.source, link.target, link.kind.value, "—" if link.target_wave is None else str(link.target_wave), link.target_state.value)
