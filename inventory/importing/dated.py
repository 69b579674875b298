"""An import's history events, with a state dated on the day the sheet says it was reached.

A register brought in with "Done" systems must not say they all migrated on the day of the
import: a ``state_on`` column (or mapping entry) gives the day, and the state change becomes an
event of its own on that day (the other changes stay on the import's date).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from inventory.db.rows import event_row
from inventory.register.when import noon_utc


def import_events(
    changes_by_system: dict[str, dict[str, list[Any]]], actor: str, reason: str, at: dt.datetime, state_dates: dict[str, dt.date]
) -> list[dict[str, Any]]:
    rows = []
    for system_id in sorted(changes_by_system):
        changes = dict(changes_by_system[system_id])
        day = state_dates.get(system_id)
        if day is not None and "state" in changes:
            reached = noon_utc(day)
            said = f"state reached on {day.isoformat()} (from the sheet)"
            rows.append(event_row(reached, actor, system_id, "import", {"state": changes.pop("state")}, f"{reason}; {said}" if reason else said))
        if changes:
            rows.append(event_row(at, actor, system_id, "import", changes, reason))
    return rows
