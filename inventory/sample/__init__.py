"""The sample estate: an invented but realistic London borough, for demos, docs and tests.

``estate.yaml`` is in the ordinary import form, so ``borough inventory import`` reads it like any
council file. ``history.yaml`` holds its past moves; :func:`load_sample` replays them with their
own dates so the progress-over-time report has months of history to show on a fresh database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inventory.register.model import Estate, Event, State

if TYPE_CHECKING:
    from inventory.importing.result import ImportResult
    from inventory.store import Store

HERE = Path(__file__).resolve().parent
ACTOR = "sample-estate"


def sample_path() -> Path:
    return HERE / "estate.yaml"


def history_path() -> Path:
    return HERE / "history.yaml"


@dataclass(frozen=True)
class Move:
    system: str
    at: dt.datetime
    from_state: State
    to_state: State
    reason: str


@dataclass(frozen=True)
class History:
    register_opened: dt.datetime
    actor: str
    moves: tuple[Move, ...]
    wave_months: dict[int, str]

    def first_states(self, current: dict[str, State]) -> dict[str, State]:
        """Each system's state when the register opened: before its first move, else today's."""
        first = dict(current)
        for move in reversed(self.moves):
            first[move.system] = move.from_state
        return first

    def events(self, current: dict[str, State], only: set[str] | None = None) -> list[Event]:
        """The registration and every move, as history events with their own dates."""
        first = self.first_states(current)
        events = [
            Event(at=self.register_opened, actor=self.actor, system_id=system, action="import",
                  changes={"state": [None, first[system].value]}, reason="register opened from the systems spreadsheet")
            for system in sorted(current)
            if only is None or system in only
        ]
        events += [
            Event(at=m.at, actor=self.actor, system_id=m.system, action="move",
                  changes={"state": [m.from_state.value, m.to_state.value]}, reason=m.reason)
            for m in self.moves
            if only is None or m.system in only
        ]
        return events


def _moment(value: Any) -> dt.datetime:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.timezone.utc)


def read_history(path: Path | None = None) -> History:
    from yamlsafe import load

    data = load(path or history_path())
    moves = tuple(
        Move(str(m["system"]), _moment(m["at"]), State(m["from"]), State(m["to"]), str(m.get("reason", "")))
        for m in data["moves"]
    )
    months = {int(w): str(m) for w, m in (data.get("wave_months") or {}).items()}
    return History(_moment(data["register_opened"]), str(data.get("actor", ACTOR)), tuple(sorted(moves, key=lambda m: m.at)), months)


def sample_estate() -> Estate:
    """The sample with its history, in memory: for tests and benchmarks that need no database."""
    from inventory.importing import read_file

    systems, dependencies = read_file(sample_path())
    history = read_history()
    events = history.events({s.id: s.state for s in systems})
    return Estate(systems=systems, dependencies=dependencies, events=events, wave_months=history.wave_months)


def load_sample(store: Store, actor: str = ACTOR) -> ImportResult:
    """Import the sample (an upsert: loading twice changes nothing) and, for the systems this call
    added, replay their history with its own dates."""
    from inventory.importing import read_file

    systems, dependencies = read_file(sample_path())
    result = store.import_estate(systems, dependencies, actor=actor, reason="sample estate")
    added = set(result.added)
    if added:
        history = read_history()
        store.append_history(history.events({s.id: s.state for s in systems}, only=added))
        if not store.wave_months():
            store.apply_waves({}, actor=actor, reason="sample estate", months=history.wave_months)
    return result


__all__ = ["History", "Move", "load_sample", "read_history", "sample_estate", "sample_path"]
