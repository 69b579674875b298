"""Progress: per wave, planned against done; and month by month, replayed from the history.

The history is the only trustworthy record of when a system moved, so the monthly figures are
rebuilt from state-change events rather than from today's states.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from inventory.model import Estate, Event, State
from inventory.reports import ReportParams
from inventory.reports.table import Table, percent

DONE = (State.migrated, State.decommissioned)


def build(estate: Estate, params: ReportParams) -> list[Table]:
    return [per_wave(estate), monthly(estate, params.today, params.months_or(12))]


def per_wave(estate: Estate) -> Table:
    waves: dict[int, Counter[State]] = defaultdict(Counter)
    for system in estate.systems:
        if system.wave is not None:
            waves[system.wave][system.state] += 1
    rows = []
    for wave in sorted(waves):
        counts = waves[wave]
        total = sum(counts.values())
        done = sum(counts[s] for s in DONE)
        rows.append((wave, total, counts[State.migrating], counts[State.migrated], counts[State.decommissioned], total - done - counts[State.migrating], percent(done, total)))
    columns = ("wave", "planned", "migrating", "migrated", "decommissioned", "not started", "complete")
    return Table("Progress by wave: planned against migrated", columns, tuple(rows))


def _state(value: Any) -> State | None:
    if value is None or isinstance(value, State):
        return value
    try:
        return State(str(value))
    except ValueError:
        return None


def _month_key(at: dt.datetime) -> int:
    if at.tzinfo is not None:
        at = at.astimezone(dt.timezone.utc)
    return at.year * 12 + at.month - 1


def _label(key: int) -> str:
    return f"{key // 12:04d}-{key % 12 + 1:02d}"


class _Timeline:
    """One system's state month by month, from its state-change events."""

    def __init__(self, current: State, events: list[Event]) -> None:
        self.current = current
        self.first_seen = min((_month_key(e.at) for e in events), default=None)
        moves = sorted(
            ((_month_key(e.at), i, _state(e.changes["state"][0]), _state(e.changes["state"][1])) for i, e in enumerate(events) if "state" in e.changes),
        )
        self.keys = [m[0] for m in moves]
        self.moves = moves

    def at_end_of(self, key: int) -> State | None:
        index = bisect.bisect_right(self.keys, key)
        if index:
            return self.moves[index - 1][3]
        if self.moves:
            return self.moves[0][2]
        if self.first_seen is not None and self.first_seen > key:
            return None
        return self.current


def monthly(estate: Estate, today: dt.date, months: int) -> Table:
    by_system: dict[str, list[Event]] = defaultdict(list)
    for event in estate.events:
        by_system[event.system_id].append(event)
    timelines = [_Timeline(s.state, by_system.get(s.id, [])) for s in estate.systems]
    moved: dict[int, Counter[State | None]] = defaultdict(Counter)
    changes: Counter[int] = Counter()
    for event in estate.events:
        if "state" in event.changes and event.changes["state"][0] is not None:
            key = _month_key(event.at)
            changes[key] += 1
            moved[key][_state(event.changes["state"][1])] += 1
    last = today.year * 12 + today.month - 1
    rows = []
    for key in range(last - max(months, 1) + 1, last + 1):
        states = Counter(t.at_end_of(key) for t in timelines)
        registered = sum(n for s, n in states.items() if s is not None)
        rows.append((
            _label(key),
            changes[key],
            moved[key][State.migrated],
            moved[key][State.decommissioned],
            states[State.migrating],
            states[State.migrated],
            states[State.decommissioned],
            registered,
        ))
    columns = ("month", "state changes", "became migrated", "became decommissioned", "migrating at month end", "migrated at month end", "decommissioned at month end", "systems registered")
    return Table("Progress by month (from the history)", columns, tuple(rows))
