"""Reports on the register for boards and architects.

Each report is a pure function of an Estate and the parameters (today's date is passed in,
never read here, so a report for a given day is reproducible) that returns a typed record with
named sections (:mod:`inventory.reports.records`): JSON and HTML render those records, and
``.tables()`` turns them into titled tables for table, CSV and Markdown, in a deterministic order.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Callable

from inventory.register.limits import DATE_WINDOW, year_in_window
from inventory.register.model import Estate
from inventory.reports.params import ReportError, ReportParams
from inventory.reports.table import Table

if TYPE_CHECKING:
    from inventory.reports.records import Report


class ReportName(str, Enum):
    portfolio = "portfolio"
    progress = "progress"
    risk = "risk"
    waves = "waves"
    caf = "caf"
    time = "time"
    outlook = "outlook"


NEEDS_HISTORY = frozenset({ReportName.progress, ReportName.outlook})
NEEDS_DEPENDENCIES = frozenset({ReportName.risk, ReportName.waves, ReportName.caf, ReportName.outlook})


def _builders() -> dict[ReportName, Callable[[Estate, ReportParams], Report]]:
    from inventory.reports import caf, outlook, portfolio, progress, risk, time_quadrant, waves

    return {
        ReportName.portfolio: portfolio.build,
        ReportName.progress: progress.build,
        ReportName.risk: risk.build,
        ReportName.waves: waves.build,
        ReportName.caf: caf.build,
        ReportName.time: time_quadrant.build,
        ReportName.outlook: outlook.build,
    }


def build_records(name: ReportName, estate: Estate, params: ReportParams) -> Report:
    """One report as its typed record (what JSON and HTML render)."""
    return _builders()[name](estate, params)


def build_report(name: ReportName, estate: Estate, params: ReportParams) -> list[Table]:
    """One report as titled tables (what table, CSV and Markdown render)."""
    return build_records(name, estate, params).tables()


def parse_day(text: str, option: str = "--today") -> dt.date:
    """``--today`` (or ``option``) in ISO (2027-01-15) or UK (15/01/2027) form."""
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
        if not year_in_window(day.year):
            raise ReportError(f"{option} '{text}' is outside {DATE_WINDOW}", hint=f"e.g. {option} 2027-01-15")
        return day
    raise ReportError(f"{option} '{text}' is not a date", hint=f"use YYYY-MM-DD, e.g. {option} 2027-01-15")


def read_report(name: ReportName, url: str | None, params: ReportParams) -> Report:
    """Read the register at ``url`` (else BOROUGH_DB, else the local file) and build one report's records."""
    from inventory.planning import read_register
    from inventory.store import open_store

    with open_store(url, create=False) as store:
        estate = read_register(store, with_history=name in NEEDS_HISTORY, with_dependencies=name in NEEDS_DEPENDENCIES)
    return build_records(name, estate, params)


__all__ = [
    "ReportError", "ReportName", "ReportParams", "Table", "build_records", "build_report", "parse_day", "read_report",
]
