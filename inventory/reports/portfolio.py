"""Portfolio: what the council runs, where it is on its way, where it is hosted and what it costs."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Literal

from inventory.register.model import Estate, Hosting, State, Strategy, System
from inventory.reports.params import ReportParams
from inventory.reports.records import Money, Record, Report
from inventory.reports.table import Table, money

NONE = "(none)"


class StateStrategyCount(Record):
    """How many systems are in ``state`` with ``strategy`` (None: no strategy chosen yet)."""

    state: State
    strategy: Strategy | None
    systems: int


class ServiceAreaSummary(Record):
    """Live systems of one service area (None: no service area recorded)."""

    service_area: str | None
    systems: int
    migrated: int
    annual_cost: Money


class HostingSummary(Record):
    """Live systems hosted on ``hosting`` today, how many are heading there, and what they cost."""

    hosting: Hosting
    systems: int
    heading_there: int
    """Live systems not yet migrated whose target hosting is this one."""
    annual_cost: Money
    systems_without_cost: int


class PortfolioTotals(Record):
    systems: int
    live_systems: int
    migrated: int
    decommissioned: int
    annual_cost: Money
    """Of live systems."""
    systems_without_cost: int
    """Live systems with no annual cost recorded (the cost is a lower bound)."""


class PortfolioReport(Report):
    report: Literal["portfolio"] = "portfolio"
    totals: PortfolioTotals
    by_state_and_strategy: tuple[StateStrategyCount, ...]
    """Every state with every strategy (and none), zeros included, in lifecycle order."""
    by_service_area: tuple[ServiceAreaSummary, ...]
    by_hosting: tuple[HostingSummary, ...]

    def tables(self) -> list[Table]:
        return [self._state_table(), self._area_table(), self._hosting_table(), self._cost_table()]

    def _state_table(self) -> Table:
        strategies: list[Strategy | None] = [*Strategy, None]
        counts = {(c.state, c.strategy): c.systems for c in self.by_state_and_strategy}
        rows = []
        for state in State:
            cells = [counts.get((state, strategy), 0) for strategy in strategies]
            rows.append((state.value, *cells, sum(cells)))
        totals = [sum(counts.get((state, strategy), 0) for state in State) for strategy in strategies]
        rows.append(("total", *totals, sum(totals)))
        columns = ("state", *[s.value for s in Strategy], NONE, "total")
        return Table("Systems by state and strategy", columns, tuple(rows))

    def _area_table(self) -> Table:
        rows = tuple((a.service_area or NONE, a.systems, a.migrated, money(a.annual_cost)) for a in self.by_service_area)
        return Table("Live systems by service area", ("service area", "systems", "migrated", "annual cost"), rows)

    def _hosting_table(self) -> Table:
        rows = [(h.hosting.value, h.systems, h.heading_there) for h in self.by_hosting]
        rows.append(("total", self.totals.live_systems, sum(h.heading_there for h in self.by_hosting)))
        return Table("Live systems by hosting", ("hosting", "systems", "heading there"), tuple(rows))

    def _cost_table(self) -> Table:
        rows = [(h.hosting.value, money(h.annual_cost), h.systems_without_cost) for h in self.by_hosting]
        rows.append(("total", money(self.totals.annual_cost), self.totals.systems_without_cost))
        columns = ("hosting", "annual cost", "systems with no cost recorded")
        return Table("Annual cost of live systems by hosting (GBP)", columns, tuple(rows))


def _cost(systems: list[System]) -> Decimal:
    return sum((s.annual_cost or Decimal(0) for s in systems), Decimal(0))


def build(estate: Estate, params: ReportParams) -> PortfolioReport:
    live = [s for s in estate.systems if s.is_live]
    counts = Counter((s.state, s.strategy) for s in estate.systems)
    by_state = tuple(
        StateStrategyCount(state=state, strategy=strategy, systems=counts[(state, strategy)])
        for state in State
        for strategy in [*Strategy, None]
    )
    areas: dict[str | None, list[System]] = {}
    for s in sorted(live, key=lambda s: s.service_area or NONE):
        areas.setdefault(s.service_area or None, []).append(s)
    by_area = tuple(
        ServiceAreaSummary(
            service_area=area, systems=len(members), migrated=sum(1 for s in members if s.state is State.migrated), annual_cost=_cost(members)
        )
        for area, members in areas.items()
    )
    by_hosting = []
    for hosting in Hosting:
        members = [s for s in live if s.hosting is hosting]
        heading = sum(1 for s in live if s.target_hosting is hosting and s.state is not State.migrated)
        without = sum(1 for s in members if s.annual_cost is None)
        by_hosting.append(HostingSummary(hosting=hosting, systems=len(members), heading_there=heading, annual_cost=_cost(members), systems_without_cost=without))
    totals = PortfolioTotals(
        systems=len(estate.systems),
        live_systems=len(live),
        migrated=sum(1 for s in live if s.state is State.migrated),
        decommissioned=len(estate.systems) - len(live),
        annual_cost=_cost(live),
        systems_without_cost=sum(1 for s in live if s.annual_cost is None),
    )
    return PortfolioReport(today=params.today, totals=totals, by_state_and_strategy=by_state, by_service_area=by_area, by_hosting=tuple(by_hosting))
