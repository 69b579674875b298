"""``--on DATE``: when a change really happened, for registers brought up to date after the fact.

A history replayed from the day it is typed in says every system moved this month; a board's
progress chart then reads flat and then a spike. So every command that records history takes the
date the change happened, in ISO or UK form, never in the future and never before the system's
last recorded change (the history stays in order).
"""

from __future__ import annotations

import datetime as dt

from inventory.errors import InventoryError
from inventory.register.limits import DATE_WINDOW, year_in_window

FORMS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


def noon_utc(day: dt.date) -> dt.datetime:
    """A day as a moment: noon UTC, so the day stays the day in any UK time."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc)


def parse_on(text: str, given_by: str = "--on", now: dt.datetime | None = None) -> dt.datetime:
    """A date (:func:`noon_utc`) or a date and time (UTC)."""
    value = text.strip()
    for form in FORMS:
        try:
            parsed = dt.datetime.strptime(value, form)
        except ValueError:
            continue
        at = noon_utc(parsed.date()) if form in ("%Y-%m-%d", "%d/%m/%Y") else parsed.replace(tzinfo=dt.timezone.utc)
        if not year_in_window(at.year):
            raise InventoryError(f"{given_by} '{text}' is outside {DATE_WINDOW}", hint="e.g. --on 2026-03-31")
        if at > (now or dt.datetime.now(dt.timezone.utc)) + dt.timedelta(hours=12):
            raise InventoryError(f"{given_by} '{text}' is in the future", hint="record a change once it has happened")
        return at
    raise InventoryError(f"{given_by} '{text}' is not a date", hint="use YYYY-MM-DD or DD/MM/YYYY, e.g. --on 2026-03-31")
