"""The ranges the inventory's dates and numbers must fall in, in one place.

A plan or a report for year 0 or year 9999 is a typing mistake, not a request, and a number far
outside any council's estate either overflows the database (PostgreSQL's INTEGER holds up to
2,147,483,647) or makes a report loop for hours. So every date and number a user gives is
checked against these bounds, and the message says which range applies. The CLI declares the
numeric ones on its options (shown in ``--help``); the core functions check them again for
callers that are not the CLI. No imports: the CLI reads this at start-up.
"""

from __future__ import annotations

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
"""Months (``--start``) and days (``--today``) must fall in EARLIEST_YEAR-01 .. LATEST_YEAR-12."""

DATE_WINDOW = f"{EARLIEST_YEAR}-01-01 .. {LATEST_YEAR}-12-31"
MONTH_WINDOW = f"{EARLIEST_YEAR}-01 .. {LATEST_YEAR}-12"

MAX_MONTHS = 600
"""``--months`` (risk look-ahead, progress look-back): at most 50 years."""

MAX_CAPACITY = 100_000
"""``--capacity``: systems per wave (far beyond any council's estate)."""

MAX_WAVE = 10_000
"""Wave numbers (``--wave``): a wave is a month, so 10,000 is over 800 years of waves."""

MAX_VERSION = 2_147_483_647
"""Record versions (``--expected-version``): the INTEGER column that stores them."""


def year_in_window(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR
