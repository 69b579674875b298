"""Portfolio: what the council runs, where it is on its way, where it is hosted and what it costs."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from inventory.model import Estate, Hosting, State, Strategy
from inventory.reports import ReportParams
from inventory.reports.table import Table, money

NONE = "(none)"


def build(estate: Estate, params: ReportParams) -> list[Table]:
    return [state_by_strategy(estate), by_service_area(estate), by_hosting(estate), cost_by_hosting(estate)]


def state_by_strategy(estate: Estate) -> Table:
    counts = Counter((s.state, s.strategy) for s in estate.systems)
    strategies: list[Strategy | None] = [*Strategy, None]
    rows = []
    for state in State:
        cells = [counts[(state, strategy)] for strategy in strategies]
        rows.append((state.value, *cells, sum(cells)))
    totals = [sum(counts[(state, strategy)] for state in State) for strategy in strategies]
    rows.append(("total", *totals, sum(totals)))
    columns = ("state", *[s.value for s in Strategy], NONE, "total")
    return Table("Systems by state and strategy", columns, tuple(rows))


def by_service_area(estate: Estate) -> Table:
    live = [s for s in estate.systems if s.is_live]
    areas = sorted({s.service_area or NONE for s in live})
    rows = []
    for area in areas:
        members = [s for s in live if (s.service_area or NONE) == area]
        done = sum(1 for s in members if s.state is State.migrated)
        cost = sum((s.annual_cost or Decimal(0) for s in members), Decimal(0))
        rows.append((area, len(members), done, money(cost)))
    return Table("Live systems by service area", ("service area", "systems", "migrated", "annual cost"), tuple(rows))


def by_hosting(estate: Estate) -> Table:
    live = [s for s in estate.systems if s.is_live]
    rows = []
    for hosting in Hosting:
        now = sum(1 for s in live if s.hosting is hosting)
        target = sum(1 for s in live if s.target_hosting is hosting and s.state is not State.migrated)
        rows.append((hosting.value, now, target))
    rows.append(("total", len(live), sum(r[2] for r in rows)))
    return Table("Live systems by hosting", ("hosting", "systems", "heading there"), tuple(rows))


def cost_by_hosting(estate: Estate) -> Table:
    live = [s for s in estate.systems if s.is_live]
    rows = []
    total = Decimal(0)
    for hosting in Hosting:
        members = [s for s in live if s.hosting is hosting]
        cost = sum((s.annual_cost or Decimal(0) for s in members), Decimal(0))
        total += cost
        unknown = sum(1 for s in members if s.annual_cost is None)
        rows.append((hosting.value, money(cost), unknown))
    rows.append(("total", money(total), sum(r[2] for r in rows)))
    return Table("Annual cost of live systems by hosting (GBP)", ("hosting", "annual cost", "systems with no cost recorded"), tuple(rows))
