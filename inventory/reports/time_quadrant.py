"""TIME: Gartner's tolerate / invest / migrate / eliminate quadrant of business value against
technical fit, with counts and the systems in each, so the board sees the portfolio's shape."""

from __future__ import annotations

from decimal import Decimal

from inventory.model import Estate, System, TimeCategory
from inventory.reports import ReportParams
from inventory.reports.table import Table, money

UNCLASSIFIED = "(unclassified)"


def build(estate: Estate, params: ReportParams) -> list[Table]:
    live = sorted((s for s in estate.systems if s.is_live), key=lambda s: s.id)
    groups: dict[TimeCategory | None, list[System]] = {c: [] for c in [*TimeCategory, None]}
    for s in live:
        groups[s.time_category].append(s)

    def cell(category: TimeCategory) -> str:
        return f"{category.value}: {len(groups[category])}"

    quadrant = Table(
        "TIME quadrant (live systems)",
        ("business value", "poor technical fit", "good technical fit"),
        (
            ("high", cell(TimeCategory.migrate), cell(TimeCategory.invest)),
            ("low", cell(TimeCategory.eliminate), cell(TimeCategory.tolerate)),
        ),
    )
    rows = []
    for category, members in groups.items():
        if category is None and not members:
            continue
        cost = sum((s.annual_cost or Decimal(0) for s in members), Decimal(0))
        rows.append((category.value if category else UNCLASSIFIED, len(members), money(cost), ", ".join(s.id for s in members)))
    counts = Table("TIME categories", ("category", "systems", "annual cost", "system ids"), tuple(rows))
    return [quadrant, counts]
