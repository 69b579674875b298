"""Progress: per wave, planned against done; and month by month, replayed from the history.

The history is the only trustworthy record of when a system moved, so the monthly figures are
rebuilt from state-change events rather than from today's states.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Literal

from inventory.register.model import Estate, Event, State, System
from inventory.reports.params import ReportParams
from inventory.reports.records import Money, Record, Report
from inventory.reports.table import Table
from inventory.reports.wave_counts import count_states


class WaveProgress(Record):
    """One wave as the register holds it: planned systems against those done."""

    wave: int
    planned: int
    migrating: int
    on_hold: int
    migrated: int
    decommissioned: int
    not_started: int
    """Discovered, assessed or planned (neither under way, held nor done)."""
    percent_complete: float | None
    """Migrated or decommissioned, as a percentage to one decimal place (None for an empty wave)."""


class MonthProgress(Record):
    """One calendar month, replayed from the history."""

    month: str
    """YYYY-MM."""
    state_changes: int
    became_migrated: int
    became_decommissioned: int
    registered: int
    """Systems in the register at the month's end."""
    by_state: dict[State, int]
    """Systems in each state at the month's end (every state, zeros included)."""
    live_annual_cost: Money
    """Annual cost of the systems registered and not decommissioned at the month's end, each at the
    cost in force then (replayed from the history's ``annual_cost`` changes)."""


class ProgressReport(Report):
    report: Literal["progress"] = "progress"
    months: int
    by_wave: tuple[WaveProgress, ...]
    by_month: tuple[MonthProgress, ...]
    """Oldest month first, ending with the month of ``today``."""

    def tables(self) -> list[Table]:
        rows = tuple(
            (w.wave, w.planned, w.migrating, w.on_hold, w.migrated, w.decommissioned, w.not_started,
             "" if w.percent_complete is None else f"{w.percent_complete:.1f}%")
            for w in self.by_wave
        )
        columns = ("wave", "planned", "migrating", "on hold", "migrated", "decommissioned", "not started", "complete")
        waves = Table("Progress by wave: planned against migrated", columns, rows)
        months = tuple(
            (m.month, m.state_changes, m.became_migrated, m.became_decommissioned, m.by_state[State.migrating],
             m.by_state[State.migrated], m.by_state[State.decommissioned], m.registered)
            for m in self.by_month
        )
        columns = ("month", "state changes", "became migrated", "became decommissioned", "migrating at month end", "migrated at month end", "decommissioned at month end", "systems registered")
        return [waves, Table("Progress by month (from the history)", columns, months)]


def build(estate: Estate, params: ReportParams) -> ProgressReport:
    months = params.months_or(12)
    return ProgressReport(today=params.today, months=months, by_wave=per_wave(estate), by_month=monthly(estate, params.today, months))


def per_wave(estate: Estate) -> tuple[WaveProgress, ...]:
    waves: dict[int, list[System]] = defaultdict(list)
    for system in estate.systems:
        if system.wave is not None:
            waves[system.wave].append(system)
    rows = []
    for wave in sorted(waves):
        c = count_states(waves[wave])
        rows.append(WaveProgress(
            wave=wave, planned=c.systems, migrating=c.migrating, on_hold=c.on_hold, migrated=c.migrated,
            decommissioned=c.decommissioned, not_started=c.not_started, percent_complete=_percent(c.done, c.systems),
        ))
    return tuple(rows)


def _percent(part: int, whole: int) -> float | None:
    """Rounded half-up on the exact ratio, so 2/3 is 66.7 whatever the float arithmetic does."""
    if not whole:
        return None
    return float((Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


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


def _day_key(at: dt.datetime) -> int:
    if at.tzinfo is not None:
        at = at.astimezone(dt.timezone.utc)
    return at.date().toordinal()


class _Replay:
    """One field of one system period by period (months, or days with ``key=_day_key``), from the
    events that changed it: before its first change the field held that change's old value."""

    def __init__(self, field: str, current: Any, events: list[Event], parse: Callable[[Any], Any], key: Callable[[dt.datetime], int]) -> None:
        self.current = current
        changes = sorted(
            ((key(e.at), i, parse(e.changes[field][0]), parse(e.changes[field][1])) for i, e in enumerate(events) if field in e.changes),
        )
        self.keys = [c[0] for c in changes]
        self.changes = changes

    def at_end_of(self, key: int) -> Any:
        index = bisect.bisect_right(self.keys, key)
        if index:
            return self.changes[index - 1][3]
        return self.changes[0][2] if self.changes else self.current


class _Timeline(_Replay):
    """One system's state period by period, from its state-change events (None: not yet registered)."""

    def __init__(self, current: State, events: list[Event], key: Callable[[dt.datetime], int] = _month_key) -> None:
        super().__init__("state", current, events, _state, key)
        self.first_seen = min((key(e.at) for e in events), default=None)

    def at_end_of(self, key: int) -> State | None:
        if not self.changes and self.first_seen is not None and self.first_seen > key:
            return None
        return super().at_end_of(key)


def _money(value: Any) -> Decimal:
    return Decimal(0) if value is None else Decimal(str(value))


def _events_by_system(estate: Estate) -> dict[str, list[Event]]:
    by_system: dict[str, list[Event]] = defaultdict(list)
    for event in estate.events:
        by_system[event.system_id].append(event)
    return by_system


def states_on(estate: Estate, day: dt.date) -> dict[str, State | None]:
    """Each system's state at the end of ``day``, replayed from the history (None: not yet registered)."""
    by_system = _events_by_system(estate)
    return {s.id: _Timeline(s.state, by_system.get(s.id, []), _day_key).at_end_of(day.toordinal()) for s in estate.systems}


def monthly(estate: Estate, today: dt.date, months: int) -> tuple[MonthProgress, ...]:
    by_system = _events_by_system(estate)
    timelines = [_Timeline(s.state, by_system.get(s.id, [])) for s in estate.systems]
    costs = [_Replay("annual_cost", _money(s.annual_cost), by_system.get(s.id, []), _money, _month_key) for s in estate.systems]
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
        at_end = [t.at_end_of(key) for t in timelines]
        states = Counter(at_end)
        live_cost = sum((c.at_end_of(key) for c, st in zip(costs, at_end) if st is not None and st is not State.decommissioned), Decimal(0))
        rows.append(MonthProgress(
            month=_label(key),
            state_changes=changes[key],
            became_migrated=moved[key][State.migrated],
            became_decommissioned=moved[key][State.decommissioned],
            registered=sum(n for s, n in states.items() if s is not None),
            by_state={state: states[state] for state in State},
            live_annual_cost=live_cost,
        ))
    return tuple(rows)
