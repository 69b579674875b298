"""The estate report's sections: report records in, charts and tables for the template out.

Everything here reads the typed records the report core returns (never their rendered tables),
so the HTML shows the same numbers as `borough report ... --format json`. Lists a board cannot
read in full (a 10,000-system estate has thousands of systems at risk) are cut to their most
urgent rows, and the page says so and names the command that gives the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Sequence

from inventory.register.model import Hosting, State, TimeCategory
from inventory.reports.html.charts import Chart, DataTable, bar_chart, line_chart

if TYPE_CHECKING:
    from inventory.reports.caf import CafReport
    from inventory.reports.portfolio import PortfolioReport
    from inventory.reports.progress import ProgressReport
    from inventory.reports.risk import RiskReport
    from inventory.reports.time_quadrant import TimeReport
    from inventory.reports.waves import WavesReport

DATE_HEADERS = frozenset({"support ends", "contract ends", "support ended"})

MAX_ROWS = 50
"""Rows of a list shown on the page; the rest are counted and pointed to."""
PRINT_ROWS = 3
"""Rows of a long list printed: a board pack on paper shows the worst few and names the command for the rest."""
PAPER_AREAS = 8
"""Service areas printed (as a table, costliest first) when there are more: the chart would fill a page."""


def money(value: Decimal) -> str:
    return f"£{value:,.0f}"


def label(value: Any) -> str:
    """A record value as a person reads it: enums by their value, None as an em dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "value"):
        return str(value.value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(label(v) for v in value) or "—"
    return str(value)


def cut(caption: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], command: str, numeric: Sequence[bool] = ()) -> DataTable:
    """A table of at most MAX_ROWS rows, saying how many were left out and where to find them."""
    shown = tuple(tuple(label(c) for c in r) for r in rows[:MAX_ROWS])
    note = ""
    if len(rows) > MAX_ROWS:
        note = f"Showing the first {MAX_ROWS} of {len(rows):,}. The full list: {command} (on paper, the first {PRINT_ROWS})"
    elif len(rows) > PRINT_ROWS:
        note = f"On paper, the first {PRINT_ROWS} of {len(rows):,}. The full list: {command}"
    return DataTable(caption, tuple(headers), shown, tuple(numeric), tuple(h in DATE_HEADERS for h in headers), note,
                     PRINT_ROWS if len(rows) > PRINT_ROWS else None)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str = ""
    charts: tuple[Chart, ...] = ()
    tables: tuple[DataTable, ...] = ()
    subsections: tuple["Section", ...] = field(default_factory=tuple)
    paper_note: str = ""
    """Said on paper only: where the lists left off the printed pack are."""
    tables_first: bool = False
    """Tables before charts (what moves next, then its picture)."""


def headline(portfolio: PortfolioReport, risk: RiskReport, caf: CafReport) -> tuple[tuple[str, str], ...]:
    """The figures a board reads first, as a GOV.UK summary list."""
    totals = portfolio.totals
    live = totals.live_systems
    done = totals.migrated + totals.decommissioned
    share = f" ({100 * done / totals.systems:.0f}% of the register)" if totals.systems else ""
    at_risk = {c.risk.value: c for c in risk.summary}
    return (
        ("Systems in the register", f"{totals.systems:,}"),
        ("Live systems", f"{live:,}"),
        ("Migrated or decommissioned", f"{done:,}{share}"),
        ("Annual cost of live systems", money(totals.annual_cost)
         + (f" ({totals.systems_without_cost:,} systems have no cost recorded)" if totals.systems_without_cost else "")),
        *((at_risk[kind].title, f"{at_risk[kind].count:,} systems") for kind in ("support_ending", "mission_critical_on_premises") if kind in at_risk),
        ("Systems in CAF scope", f"{len(caf.scope):,} mission- or business-critical"),
    )


def progress_section(progress: ProgressReport) -> Section:
    months = [m.month for m in progress.by_month]
    states = list(State)
    series = [(s.value, [m.by_state.get(s, 0) for m in progress.by_month]) for s in states]
    first, last = progress.by_month[0], progress.by_month[-1]
    done_then = first.by_state.get(State.migrated, 0) + first.by_state.get(State.decommissioned, 0)
    done_now = last.by_state.get(State.migrated, 0) + last.by_state.get(State.decommissioned, 0)
    summary = (f"From {first.month} to {last.month} the systems migrated or decommissioned went from {done_then:,} to {done_now:,}; "
               f"{last.by_state.get(State.migrating, 0):,} are migrating and {last.by_state.get(State.planned, 0):,} are planned at the end of {last.month}.")
    table = DataTable(
        "Systems in each state at each month's end", ("month", *[s.value for s in states], "state changes"),
        tuple((m.month, *[f"{m.by_state.get(s, 0):,}" for s in states], f"{m.state_changes:,}") for m in progress.by_month),
        (False, *[True] * len(states), True),
    )
    chart = line_chart("progress", "Systems by state, month by month", summary, months, series, table)
    waves = DataTable(
        "Each wave: planned against done", ("wave", "planned", "migrating", "on hold", "migrated", "decommissioned", "not started", "complete"),
        tuple((str(w.wave), f"{w.planned:,}", f"{w.migrating:,}", f"{w.on_hold:,}", f"{w.migrated:,}", f"{w.decommissioned:,}",
               f"{w.not_started:,}", "—" if w.percent_complete is None else f"{w.percent_complete:.1f}%") for w in progress.by_wave),
        (False, True, True, True, True, True, True, True),
    )
    cost_table = DataTable(
        "Annual cost of live systems at each month's end", ("month", "live systems", "annual cost"),
        tuple((m.month, f"{m.registered - m.by_state.get(State.decommissioned, 0):,}", money(m.live_annual_cost)) for m in progress.by_month),
        (False, True, True), (True, False, False),
    )
    cost_summary = (f"The annual cost of live systems went from {money(first.live_annual_cost)} at the end of {first.month} to "
                    f"{money(last.live_annual_cost)} at the end of {last.month} (each system at the cost in force that month, replayed from the history).")
    cost = line_chart("cost", "Annual cost of live systems, month by month (GBP)", cost_summary, months,
                      [("annual cost of live systems", [float(m.live_annual_cost) for m in progress.by_month])], cost_table, money=True)
    return Section("progress", "Progress over time", "Replayed from the register's history of state and cost changes.", (chart, cost), (waves,))


def waves_section(waves: WavesReport) -> Section:
    labels = ["no wave yet" if w.wave is None else f"Wave {w.wave}" + (f", {w.month}" if w.month else "") for w in waves.waves]
    columns = (("done", "done"), ("migrating", "migrating"), ("on hold", "on_hold"), ("not started", "not_started"))
    series = [(name, [getattr(w, attr) for w in waves.waves]) for name, attr in columns]
    totals = {name: sum(values) for name, values in series}
    summary = (f"{len([w for w in waves.waves if w.wave is not None])} waves in order, first at the top; "
               + ", ".join(f"{n:,} {name}" for name, n in totals.items()) + ".")
    table = DataTable(
        "Each wave's systems by state, with their cost", ("wave", "systems", *(name for name, _ in columns), "mission-critical", "annual cost"),
        tuple((lab, f"{w.systems:,}", *(f"{getattr(w, attr):,}" for _, attr in columns), f"{w.mission_critical:,}", money(w.annual_cost))
              for lab, w in zip(labels, waves.waves)),
        (False, True, True, True, True, True, True, True),
    )
    chart = bar_chart("waves", "The wave plan as a timeline", summary, labels, series, table, stacked=True)
    problems = cut("Waves that break dependency order", ("system", "wave", "depends on", "its wave", "problem"),
                   [(p.system, p.wave, p.depends_on, p.depends_on_wave, p.problem) for p in waves.order_problems],
                   "borough report waves --format csv", (False, True, False, True, False))
    return Section("waves", "The wave plan", "Waves move in order; a system moves with or after the systems it depends on.",
                   (chart,), (problems,) if waves.order_problems else ())


RISK_COLUMNS: dict[str, tuple[tuple[str, ...], Any]] = {
    "support_ending": (("system", "name", "support ends", "days left", "criticality", "hosting", "state"),
                       lambda r: (r.system, r.name, r.support_end, r.days_left, r.criticality, r.hosting, r.state)),
    "contracts_without_plan": (("system", "name", "supplier", "contract ends", "days left", "state", "strategy"),
                               lambda r: (r.system, r.name, r.supplier, r.contract_end, r.days_left, r.state, r.strategy)),
    "sensitive_on_unsupported": (("system", "name", "classification", "personal data", "support ended", "hosting"),
                                 lambda r: (r.system, r.name, r.data_classification, r.personal_data, r.support_end, r.hosting)),
    "mission_critical_on_premises": (("system", "name", "service area", "state", "wave", "target hosting"),
                                     lambda r: (r.system, r.name, r.service_area, r.state, r.wave, r.target_hosting)),
    "dependencies_on_retiring": (("system", "depends on", "kind", "retiring state", "retiring wave", "dependency"),
                                 lambda r: (r.system, r.depends_on, r.kind, r.retiring_state, r.retiring_wave, r.description)),
}


RISK_SHORT = {"support_ending": "Support ending", "contracts_without_plan": "Contract ending, no plan",
              "sensitive_on_unsupported": "Sensitive, unsupported", "mission_critical_on_premises": "Mission-critical on-prem",
              "dependencies_on_retiring": "Depends on retiring"}
"""Chart labels short enough to leave the bars room; the table beside gives the full titles."""


def risk_section(risk: RiskReport) -> Section:
    counts = [c.count for c in risk.summary]
    summary = "; ".join(f"{c.title}: {c.count:,}" for c in risk.summary) + "."
    table = DataTable("Risks by kind", ("risk", "systems"), tuple((c.title, f"{c.count:,}") for c in risk.summary), (False, True))
    chart = replace(bar_chart("risk", "Systems at risk, by kind of risk", summary, [RISK_SHORT[c.risk.value] for c in risk.summary],
                              [("systems", counts)], table), table_on_paper=True)
    lists = []
    for count in risk.summary:
        headers, row = RISK_COLUMNS[count.risk.value]
        records = getattr(risk, count.risk.value)
        numeric = tuple(h in ("days left", "wave", "retiring wave") for h in headers)
        lists.append(replace(cut(count.title, headers, [row(r) for r in records], "borough report risk --format csv", numeric), on_paper=False))
    intro = f"As of {risk.today.isoformat()}, looking ahead {risk.months} months to {risk.horizon.isoformat()}. Live systems only."
    return Section("risk", "Risks", intro, (chart,), tuple(lists),
                   paper_note="The ten systems most at risk are on the first page; the full lists are on screen and in "
                              "borough report risk --format csv.")


def portfolio_section(portfolio: PortfolioReport) -> Section:
    hostings = list(portfolio.by_hosting)
    host_table = DataTable(
        "Live systems and annual cost by hosting", ("hosting", "systems", "heading there", "annual cost", "without a cost"),
        tuple((h.hosting.value, f"{h.systems:,}", f"{h.heading_there:,}", money(h.annual_cost), f"{h.systems_without_cost:,}") for h in hostings),
        (False, True, True, True, True),
    )
    on_prem = next((h.systems for h in hostings if h.hosting is Hosting.on_premises), 0)
    host_chart = replace(bar_chart(
        "hosting", "Live systems by hosting", f"{portfolio.totals.live_systems:,} live systems; {on_prem:,} on-premises.",
        [h.hosting.value for h in hostings], [("systems", [h.systems for h in hostings])], host_table), table_on_paper=True)
    areas = sorted(portfolio.by_service_area, key=lambda a: (-a.annual_cost, a.service_area or ""))
    area_table = DataTable(
        "Systems and annual cost by service area", ("service area", "systems", "migrated", "annual cost"),
        tuple((a.service_area or "(none)", f"{a.systems:,}", f"{a.migrated:,}", money(a.annual_cost)) for a in areas),
        (False, True, True, True),
    )
    top = areas[0] if areas else None
    area_summary = (f"{len(areas)} service areas, costliest first; the costliest is {top.service_area or '(none)'} at {money(top.annual_cost)} a year."
                    if top else "No service areas.")
    area_chart = bar_chart("areas", "Annual cost by service area (GBP)", area_summary, [a.service_area or "(none)" for a in areas],
                           [("annual cost", [a.annual_cost for a in areas])], area_table, money=True)
    if len(areas) > PAPER_AREAS:
        area_table = replace(area_table, print_rows=PAPER_AREAS,
                             note=f"On paper, the {PAPER_AREAS} costliest of {len(areas)}. The full list: borough report portfolio --format csv")
        area_chart = replace(area_chart, table=area_table, table_on_paper=True)
    return Section("portfolio", "Portfolio", "Live systems by where they run, and what they cost a year, by service area.",
                   (host_chart, area_chart))


QUADRANT = ((TimeCategory.migrate, TimeCategory.invest), (TimeCategory.eliminate, TimeCategory.tolerate))


@dataclass(frozen=True)
class QuadrantCell:
    category: str
    systems: str
    cost: str


def time_recorded(time: TimeReport) -> bool:
    """Whether any live system has a TIME category: without one, zeros would read as a finding."""
    return any(c.category is not None and c.systems for c in time.categories)


def time_quadrant(time: TimeReport) -> tuple[tuple[QuadrantCell, ...], ...]:
    """The TIME 2 x 2: rows high then low business value, columns poor then good technical fit."""
    found = {c.category: c for c in time.categories}

    def cell(category: TimeCategory) -> QuadrantCell:
        c = found.get(category)
        if not time_recorded(time):
            return QuadrantCell(category.value.capitalize(), "not recorded", "")
        return QuadrantCell(category.value.capitalize(), f"{c.systems if c else 0:,} systems", money(c.annual_cost if c else Decimal(0)))

    return tuple(tuple(cell(c) for c in row) for row in QUADRANT)


def time_section(time: TimeReport) -> Section:
    table = DataTable("Live systems by TIME category", ("category", "business value", "technical fit", "systems", "annual cost"),
                      tuple((label(c.category) if c.category else "unclassified", label(c.business_value), label(c.technical_fit),
                             f"{c.systems:,}", money(c.annual_cost)) for c in time.categories), (False, False, False, True, True))
    intro = "Tolerate, invest, migrate, eliminate: business value against technical fit."
    if not time_recorded(time):
        intro += " The register records no TIME category for any live system, so the quadrant is not recorded rather than empty."
    return Section("time", "TIME quadrant", intro, (), (replace(table, on_paper=False),))


def caf_section(caf: CafReport) -> Section:
    scope = cut("Mission- and business-critical systems (CAF scope)",
                ("system", "name", "criticality", "service area", "business owner", "technical owner", "hosting", "classification"),
                [(s.system, s.name, s.criticality, s.service_area, s.business_owner or "(none)", s.technical_owner or "(none)", s.hosting,
                  s.data_classification) for s in caf.scope], "borough report caf --format csv")
    tables = [scope]
    if caf.missing_owners:
        tables.append(cut("Critical systems missing an owner", ("system", "missing"),
                          [(m.system, ", ".join(x.replace("_", " ") for x in m.missing)) for m in caf.missing_owners],
                          "borough report caf --format csv"))
    return Section("caf", "CAF critical systems",
                   f"{len(caf.scope):,} systems are in scope of the NCSC Cyber Assessment Framework; {len(caf.missing_owners):,} {'lacks' if len(caf.missing_owners) == 1 else 'lack'} an owner.",
                   (), tuple(tables))
