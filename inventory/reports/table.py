"""The one record every report returns: a titled table the CLI renders as table, JSON, CSV or
Markdown. Cells are plain values (str, int, None) already formatted the way a board reads them
(money as £12,500.00, dates ISO), so every renderer prints the same thing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def money(amount: Decimal | None) -> str:
    """GBP with pence and thousands separators: £12,500.00 (exact: Decimal, never float)."""
    if amount is None:
        return ""
    return f"£{amount.quantize(Decimal('0.01')):,.2f}"


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def percent(part: int, whole: int) -> str:
    if not whole:
        return ""
    return f"{Decimal(part * 100) / Decimal(whole):.1f}%"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def section_name(title: str) -> str:
    """A table's title as ``--section`` takes it: lower-case words joined by hyphens."""
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())


def pick_section(tables: list[Table], name: str) -> Table:
    """The table ``--section`` names (by its section name, or its title in any case)."""
    from inventory.errors import InventoryError

    wanted = section_name(name)
    for table in tables:
        if section_name(table.title) == wanted:
            return table
    raise InventoryError(f"--section '{name}' is not a section of this report", hint="sections: " + ", ".join(section_name(t.title) for t in tables))

