"""The parameters every report takes, and the error a bad one raises (exit 2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inventory.errors import InventoryError
from inventory.register.limits import DATE_WINDOW, MAX_MONTHS, year_in_window

if TYPE_CHECKING:
    from inventory.reports.snapshot import OutlookSnapshot


class ReportError(InventoryError):
    """Bad report parameters (exit 2)."""


@dataclass(frozen=True)
class ReportParams:
    today: dt.date
    months: int | None = None
    """Look-ahead for risk (default 6), look-back for progress (default 12)."""
    since: dt.date | None = None
    """The outlook's comparison day: figures then and now (None: no comparison)."""
    snapshot: OutlookSnapshot | None = None
    """With ``--since FILE``: the figures as saved that day (``since`` is its day), not replayed."""
    snapshot_file: str | None = None

    def __post_init__(self) -> None:
        if not year_in_window(self.today.year):
            raise ReportError(f"--today {self.today.isoformat()} is outside {DATE_WINDOW}", hint="reports cover dates in that window")
        if self.months is not None and not 0 <= self.months <= MAX_MONTHS:
            raise ReportError(f"--months {self.months} is outside 0 .. {MAX_MONTHS}", hint="e.g. --months 12")
        if self.snapshot is not None and self.since != self.snapshot.taken:
            raise ReportError("a snapshot's figures are compared on the day it was taken")
        if self.since is not None and self.since > self.today:
            raise ReportError(f"--since {self.since.isoformat()} is after --today {self.today.isoformat()}", hint="compare with an earlier day")

    def months_or(self, default: int) -> int:
        return default if self.months is None else self.months
