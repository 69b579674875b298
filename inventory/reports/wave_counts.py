"""How far a set of systems has got, by state: the one count every wave figure comes from.

The progress report's table, the waves report and the board pack's wave chart all read a wave
through :func:`count_states`, so "migrating", "on hold" and "not started" mean the same systems
wherever a board reads them (a system's strategy does not move it between these columns).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from inventory.register.model import State, System

DONE = (State.migrated, State.decommissioned)


@dataclass(frozen=True)
class StateCounts:
    systems: int
    migrated: int
    decommissioned: int
    migrating: int
    on_hold: int

    @property
    def done(self) -> int:
        return self.migrated + self.decommissioned

    @property
    def not_started(self) -> int:
        """Discovered, assessed or planned: nothing has happened to them yet."""
        return self.systems - self.done - self.migrating - self.on_hold


def count_states(systems: Iterable[System]) -> StateCounts:
    states = [s.state for s in systems]
    return StateCounts(
        systems=len(states),
        migrated=states.count(State.migrated),
        decommissioned=states.count(State.decommissioned),
        migrating=states.count(State.migrating),
        on_hold=states.count(State.on_hold),
    )
