"""The migration state machine and its guards, as pure functions over records.

The moves and guards are the rows of :mod:`inventory.register.moves` (the same table ``--help`` and the
README print). The store calls :func:`check_move` inside the write transaction with the facts it
read there (the state a held system came from, who still depends on it, whether the target stack
is bundled), so a guard and the write it protects see the same data, and :func:`arrival` for what
reaching the new state changes on the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from inventory.errors import GuardError, IllegalMoveError
from inventory.register.model import Hosting, State, Strategy, System
from inventory.register.moves import ANY, HELD_FROM, MOVES, REQUIREMENTS, WHO
from inventory.register.moves import ACTIVE as ACTIVE_NAMES

ACTIVE: frozenset[State] = frozenset(State(s) for s in ACTIVE_NAMES)


def _states(text: str) -> list[State]:
    return [State(s) for s in text.split(", ")]


def _takes(who: str, strategy: Strategy | None) -> bool:
    allowed = WHO[who]
    return allowed is None or (strategy is not None and strategy.value in allowed)


def allowed_moves(system: System, held_from: State | None = None) -> list[State]:
    """The states ``system`` may move to next, shaped by its strategy (rows of ``MOVES``)."""
    moves: list[State] = []
    for sources, to, who in MOVES:
        if system.state not in _states(sources) or not _takes(who, system.strategy):
            continue
        if to == HELD_FROM:
            moves.extend([held_from] if held_from in ACTIVE else sorted(ACTIVE, key=_order))
        else:
            moves.append(State(to))
    return sorted(set(moves), key=lambda s: (s is State.on_hold, _order(s)))


def _order(state: State) -> int:
    return list(State).index(state)


@dataclass(frozen=True)
class MoveFacts:
    """What the guards need that is not on the record itself."""

    held_from: State | None = None
    live_dependents: list[str] = field(default_factory=list)
    stack_exists: bool = False
    """``target_stack`` names one of this repository's bundled stacks (so it lands on Azure)."""
    stack_file: str = ""


def landing(system: System, facts: MoveFacts) -> Hosting | None:
    """Where a system runs once migrated: its target hosting, else Azure for a bundled stack."""
    if system.target_hosting is not None:
        return system.target_hosting
    return Hosting.azure if system.target_stack and facts.stack_exists else None


_REQUIRED = [(frozenset(_states(states)), key, what, who) for states, key, what, who in REQUIREMENTS]
"""``REQUIREMENTS`` with its states read once (an import checks every row)."""

MET: dict[str, Callable[[System, MoveFacts], bool]] = {
    "strategy": lambda s, f: s.strategy is not None,
    "wave": lambda s, f: s.wave is not None,
    "target": lambda s, f: s.target_hosting is not None or bool(s.target_stack),
    "landing": lambda s, f: landing(s, f) is not None,
}
SETTING = {
    "strategy": "--set strategy=rehost",
    "wave": "--set wave=1",
    "target": "--set target_hosting=azure (or --set target_stack=NAME)",
    "landing": "--set target_hosting=saas (azure, aws, supplier-hosted...)",
}
"""How to satisfy each guard: the hint names only what is missing."""


def missing(system: System, to: State, facts: MoveFacts) -> list[tuple[str, str]]:
    """(key, what is missing) for every guard on entering ``to`` that ``system`` does not meet."""
    out = []
    for states, key, what, who in _REQUIRED:
        if key not in MET or to not in states:
            continue
        if who != ANY and not _takes(who, system.strategy):
            continue
        if not MET[key](system, facts):
            out.append((key, what))
    return out


def check_move(system: System, to: State, facts: MoveFacts, force: bool = False, reason: str = "") -> None:
    """Raise if ``system`` may not move to ``to``; return quietly when it may."""
    allowed = allowed_moves(system, facts.held_from)
    if to not in allowed:
        listed = ", ".join(s.value for s in allowed) or "none"
        why = ""
        if system.state is State.planned and system.strategy is Strategy.retain:
            why = " (strategy retain: the system stays live)"
        elif system.state is State.planned and system.strategy is None:
            why = " (no strategy set)"
        elif to is State.migrated and system.strategy is Strategy.retire:
            why = " (strategy retire: decommissioned without migrating)"
        elif to is State.decommissioned and system.state in (State.planned, State.migrating):
            why = " (only strategy retire is decommissioned without migrating)"
        raise IllegalMoveError(f"{system.id}: cannot move from {system.state.value} to {to.value}{why}; allowed moves: {listed}")
    gaps = missing(system, to, facts)
    if gaps:
        raise GuardError(
            f"{system.id}: {to.value} needs {'; '.join(what for _, what in gaps)}",
            hint=f"set it first: borough inventory update {system.id} " + " ".join(SETTING[key] for key, _ in gaps),
        )
    if to is State.decommissioned and facts.live_dependents:
        names = ", ".join(facts.live_dependents)
        if not force:
            raise GuardError(
                f"{system.id}: cannot decommission while live systems depend on it: {names}",
                hint="move or unlink those systems first, or use --force with --reason to record why",
            )
        if not reason.strip():
            raise GuardError(f"{system.id}: --force needs a note saying why (--reason) because {names} still depend on it")


def arrival(system: System, to: State, facts: MoveFacts) -> dict[str, Any]:
    """What reaching ``to`` changes on the record besides its state: a migrated system runs where
    it landed, and the old platform's support date becomes history (the event keeps it)."""
    if to is not State.migrated:
        return {}
    changes: dict[str, Any] = {}
    where = landing(system, facts)
    if where is not None and where is not system.hosting:
        changes["hosting"] = where
    if system.support_end is not None:
        changes["support_end"] = None
    return changes


@dataclass(frozen=True)
class Refusal:
    """Why an imported row may not put its system in the state it gives, and the columns that would fix it."""

    message: str
    fixes: tuple[str, ...]


FIXES = {
    "strategy": "give the row a strategy",
    "wave": "give the row a wave",
    "target": "give the row a target_hosting or target_stack",
    "landing": "give the row a target_hosting, or the hosting it now runs on",
}
"""The import's counterpart of ``SETTING``: which column satisfies each guard."""


GUARDED: frozenset[State] = frozenset(s for states, key, _, _ in _REQUIRED if key in MET for s in states)
"""States with a guard a record can meet on its own (the rest need nothing, or the register: dependents)."""


def bundled(system: System) -> MoveFacts:
    """The facts an import can know about a record on its own: whether its target stack is bundled."""
    from inventory.stackfiles import stack_file

    return MoveFacts(stack_exists=bool(system.target_stack) and stack_file(system.target_stack).is_file())


def land_by_import(before: System | None, after: System, given: set[str]) -> tuple[System, set[str], Refusal | None]:
    """An imported row is a path into the state it gives (not a move from the stored state, so the
    adjacency of ``MOVES`` does not apply): the record it leaves must meet the ``REQUIREMENTS`` of
    being in that state, and reaching ``migrated`` has the same effects as a move, for whatever the
    row does not say itself. A row that leaves the state as it was is not checked.

    A migrated row that gives ``hosting`` but no target says where the system landed, so its
    hosting is read as ``target_hosting``; a ``hosting`` that contradicts the target is refused.
    The dependents guard on ``decommissioned`` needs the whole import written: see
    ``inventory.importing.upsert``."""
    to = after.state
    if to not in GUARDED or (before is not None and before.state is to):
        return after, given, None
    facts = bundled(after)
    if to is State.migrated and "hosting" in given and landing(after, facts) is None:
        after, given = after.model_copy(update={"target_hosting": after.hosting}), given | {"target_hosting"}
    gaps = missing(after, to, facts)
    if gaps:
        return after, given, Refusal(f"{to.value} needs {'; '.join(what for _, what in gaps)}", tuple(FIXES[key] for key, _ in gaps))
    if to is not State.migrated:
        return after, given, None
    where = landing(after, facts)
    if "hosting" in given and where is not None and after.hosting is not where:
        said = f"target_hosting {where.value}" if after.target_hosting is not None else f"target_stack {after.target_stack} (Azure)"
        return after, given, Refusal(
            f"hosting {after.hosting.value} contradicts where a migrated system landed: {said}",
            ("correct the row's hosting or its target",)
        )
    landed = {k: v for k, v in arrival(after, to, facts).items() if k not in given}
    return after.model_copy(update=landed), given | set(landed), None
