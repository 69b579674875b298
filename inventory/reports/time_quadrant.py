"""TIME: Gartner's tolerate / invest / migrate / eliminate quadrant of business value against
technical fit, with counts and the systems in each, so the board sees the portfolio's shape."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from inventory.register.model import Estate, System, TimeCategory
from inventory.reports.params import ReportParams
from inventory.reports.records import Money, Record, Report
from inventory.reports.table import Table, money

UNCLASSIFIED = "(unclassified)"

PLACE: dict[TimeCategory, tuple[Literal["high", "low"], Literal["poor", "good"]]] = {
    TimeCategory.migrate: ("high", "poor"),
    TimeCategory.invest: ("high", "good"),
    TimeCategory.eliminate: ("low", "poor"),
    TimeCategory.tolerate: ("low", "good"),
}
"""Where each category sits: (business value, technical fit)."""


class TimeCategorySummary(Record):
    """Live systems in one TIME category (None: not yet classified)."""

    category: TimeCategory | None
    business_value: Literal["high", "low"] | None
    technical_fit: Literal["poor", "good"] | None
    systems: int
    annual_cost: Money
    system_ids: tuple[str, ...]


class TimeReport(Report):
    report: Literal["time"] = "time"
    categories: tuple[TimeCategorySummary, ...]
    """Tolerate, invest, migrate, eliminate (zeros included), then unclassified if any."""

    def tables(self) -> list[Table]:
        count = {c.category: c.systems for c in self.categories}

        def cell(category: TimeCategory) -> str:
            return f"{category.value}: {count.get(category, 0)}"

        quadrant = Table(
            "TIME quadrant (live systems)",
            ("business value", "poor technical fit", "good technical fit"),
            (
                ("high", cell(TimeCategory.migrate), cell(TimeCategory.invest)),
                ("low", cell(TimeCategory.eliminate), cell(TimeCategory.tolerate)),
            ),
        )
        rows = tuple(
            (c.category.value if c.category else UNCLASSIFIED, c.systems, money(c.annual_cost), ", ".join(c.system_ids)) for c in self.categories
        )
        return [quadrant, Table("TIME categories", ("category", "systems", "annual cost", "system ids"), rows)]


def build(estate: Estate, params: ReportParams) -> TimeReport:
    live = sorted((s for s in estate.systems if s.is_live), key=lambda s: s.id)
    groups: dict[TimeCategory | None, list[System]] = {c: [] for c in [*TimeCategory, None]}
    for s in live:
        groups[s.time_category].append(s)
    categories = []
    for category, members in groups.items():
        if category is None and not members:
            continue
        value, fit = PLACE[category] if category else (None, None)
        categories.append(
            TimeCategorySummary(
                category=category, business_value=value, technical_fit=fit, systems=len(members),
                annual_cost=sum((s.annual_cost or Decimal(0) for s in members), Decimal(0)), system_ids=tuple(s.id for s in members),
            )
        )
    return TimeReport(today=params.today, categories=tuple(categories))
