"""The migration state machine and its guards, as pure functions over records.

The store calls :func:`check_move` inside the write transaction with the facts it read there
(the state a held system came from, who still depends on it, whether the stack file exists),
so a guard and the write it protects see the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inventory.errors import GuardError, IllegalMoveError
from inventory.model import Hosting, State, Strategy, System

ACTIVE: frozenset[State] = frozenset({State.discovered, State.assessed, State.planned, State.migrating})
NO_TARGET_NEEDED: frozenset[Strategy] = frozenset({Strategy.retire, Strategy.retain})


def allowed_moves(system: System, held_from: State | None = None) -> list[State]:
    """The states ``system`` may move to next, shaped by its strategy.

    Retire goes from planned straight to decommissioned; retain stays live (planned is as far as
    it goes); an unknown strategy may reach planned only for its guard to ask for one.
    """
    state, strategy = system.state, system.strategy
    moves: list[State] = []
    if state is State.discovered:
        moves = [State.assessed]
    elif state is State.assessed:
        moves = [State.planned]
    elif state is State.planned:
        if strategy is Strategy.retire:
            moves = [State.decommissioned]
        elif strategy is Strategy.retain or strategy is None:
            moves = []
        else:
            moves = [State.migrating]
    elif state is State.migrating:
        moves = [State.migrated]
    elif state is State.migrated:
        moves = [State.decommissioned]
    elif state is State.on_hold:
        moves = [held_from] if held_from in ACTIVE else sorted(ACTIVE, key=_order)
    if state in ACTIVE:
        moves.append(State.on_hold)
    return moves


def _order(state: State) -> int:
    return list(State).index(state)


@dataclass(frozen=True)
class MoveFacts:
    """What the guards need that is not on the record itself."""

    held_from: State | None = None
    live_dependents: list[str] = field(default_factory=list)
    stack_exists: bool = False
    stack_file: str = ""


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
        elif to is State.migrating and system.strategy is Strategy.retire:
            why = " (strategy retire: decommissioned without migrating)"
        raise IllegalMoveError(
            f"{system.id}: cannot move from {system.state.value} to {to.value}{why}; allowed moves: {listed}"
        )
    if to is State.planned:
        missing = []
        if system.strategy is None:
            missing.append("a strategy")
        if system.wave is None:
            missing.append("a wave")
        if system.strategy not in NO_TARGET_NEEDED and system.target_hosting is None and not system.target_stack:
            missing.append("a target (target_hosting or target_stack)")
        if missing:
            raise GuardError(
                f"{system.id}: planned needs {', '.join(missing)}",
                hint=f"set them first: borough inventory update {system.id} --set strategy=... --set wave=... --set target_hosting=...",
            )
    if to is State.migrated and system.target_hosting is Hosting.azure:
        if not system.target_stack:
            raise GuardError(f"{system.id}: migrated to azure needs a target_stack (a Pulumi stack of this repository)")
        if not facts.stack_exists:
            raise GuardError(
                f"{system.id}: migrated to azure needs its target stack, but {facts.stack_file} does not exist in this repository",
                hint="add the stack file or correct target_stack",
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
