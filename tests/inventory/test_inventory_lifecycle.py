"""The lifecycle: every path a strategy allows, every illegal move, and every guard's message."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.errors import GuardError, IllegalMoveError
from inventory.lifecycle import allowed_moves
from inventory.model import Hosting, State, Strategy, System
from inventory.store import Store

S = State


def ready(store: Store, system_id: str, **fields: object) -> System:
    """A system registered with enough set to be planned."""
    values: dict[str, object] = {"strategy": Strategy.rehost, "wave": 1, "target_hosting": Hosting.aws}
    values.update(fields)
    return store.add(System(id=system_id, name=system_id.title(), **values), actor="t")


def walk(store: Store, system_id: str, *states: State) -> None:
    for state in states:
        store.move(system_id, state, actor="t", reason=f"to {state.value}")


def test_a_migration_walks_the_whole_path_with_history(sqlite_store: Store) -> None:
    ready(sqlite_store, "crm")
    walk(sqlite_store, "crm", S.assessed, S.planned, S.migrating, S.migrated, S.decommissioned)
    moves = [e.changes["state"] for e in sqlite_store.history("crm") if e.action == "move"]
    assert moves == [["discovered", "assessed"], ["assessed", "planned"], ["planned", "migrating"], ["migrating", "migrated"], ["migrated", "decommissioned"]]


def test_retire_goes_to_decommissioned_without_migrating(sqlite_store: Store) -> None:
    ready(sqlite_store, "fax", strategy=Strategy.retire, target_hosting=None)
    walk(sqlite_store, "fax", S.assessed, S.planned)
    with pytest.raises(IllegalMoveError, match=r"retire: decommissioned without migrating\); allowed moves: decommissioned, on-hold"):
        sqlite_store.move("fax", S.migrating)
    walk(sqlite_store, "fax", S.decommissioned)
    assert sqlite_store.get("fax").state is S.decommissioned


def test_retain_stays_live(sqlite_store: Store) -> None:
    ready(sqlite_store, "payroll", strategy=Strategy.retain, target_hosting=None)
    walk(sqlite_store, "payroll", S.assessed, S.planned)
    for to in (S.migrating, S.decommissioned, S.migrated):
        with pytest.raises(IllegalMoveError, match=r"retain: the system stays live\); allowed moves: on-hold"):
            sqlite_store.move("payroll", to)


ILLEGAL = [
    (S.discovered, S.planned, "assessed, on-hold"),
    (S.discovered, S.migrated, "assessed, on-hold"),
    (S.discovered, S.decommissioned, "assessed, on-hold"),
    (S.discovered, S.discovered, "assessed, on-hold"),
    (S.assessed, S.migrating, "planned, on-hold"),
    (S.assessed, S.discovered, "planned, on-hold"),
    (S.planned, S.migrated, "migrating, on-hold"),
    (S.planned, S.decommissioned, "migrating, on-hold"),
    (S.migrating, S.planned, "migrated, on-hold"),
    (S.migrating, S.decommissioned, "migrated, on-hold"),
    (S.migrated, S.migrating, "decommissioned"),
    (S.migrated, S.on_hold, "decommissioned"),
    (S.decommissioned, S.migrated, "none"),
    (S.decommissioned, S.on_hold, "none"),
]


@pytest.mark.parametrize(("start", "to", "allowed"), ILLEGAL, ids=[f"{a.value}->{b.value}" for a, b, _ in ILLEGAL])
def test_illegal_moves_are_refused_with_the_allowed_moves(start: State, to: State, allowed: str) -> None:
    from inventory.lifecycle import MoveFacts, check_move

    system = System(id="crm", name="CRM", state=start, strategy=Strategy.rehost, wave=1, target_hosting=Hosting.aws)
    with pytest.raises(IllegalMoveError) as caught:
        check_move(system, to, MoveFacts())
    assert str(caught.value) == f"crm: cannot move from {start.value} to {to.value}; allowed moves: {allowed}"
    assert caught.value.exit_code == 2


def test_a_refused_move_changes_nothing(sqlite_store: Store) -> None:
    ready(sqlite_store, "crm")
    with pytest.raises(IllegalMoveError):
        sqlite_store.move("crm", S.migrated)
    assert sqlite_store.get("crm").state is S.discovered and sqlite_store.get("crm").version_no == 1
    assert [e.action for e in sqlite_store.history("crm")] == ["add"]


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"strategy": None}, "a strategy"),
        ({"wave": None}, "a wave"),
        ({"target_hosting": None}, "a target (target_hosting or target_stack)"),
        ({"strategy": None, "wave": None, "target_hosting": None}, "a strategy, a wave, a target (target_hosting or target_stack)"),
    ],
)
def test_planned_needs_strategy_wave_and_target(sqlite_store: Store, fields: dict, missing: str) -> None:
    ready(sqlite_store, "crm", **fields)
    walk(sqlite_store, "crm", S.assessed)
    with pytest.raises(GuardError) as caught:
        sqlite_store.move("crm", S.planned)
    assert str(caught.value) == f"crm: planned needs {missing}"
    assert sqlite_store.get("crm").state is S.assessed


@pytest.mark.parametrize("strategy", [Strategy.retire, Strategy.retain])
def test_retire_and_retain_are_planned_without_a_target(sqlite_store: Store, strategy: Strategy) -> None:
    ready(sqlite_store, "crm", strategy=strategy, target_hosting=None)
    walk(sqlite_store, "crm", S.assessed, S.planned)
    assert sqlite_store.get("crm").state is S.planned


def test_a_target_stack_alone_is_a_target(sqlite_store: Store) -> None:
    ready(sqlite_store, "crm", target_hosting=None, target_stack="resident-services-prod")
    walk(sqlite_store, "crm", S.assessed, S.planned)
    assert sqlite_store.get("crm").state is S.planned


def test_migrated_to_azure_needs_a_target_stack(sqlite_store: Store, repo_root: Path) -> None:
    ready(sqlite_store, "portal", target_hosting=Hosting.azure)
    walk(sqlite_store, "portal", S.assessed, S.planned, S.migrating)
    with pytest.raises(GuardError, match="migrated to azure needs a target_stack"):
        sqlite_store.move("portal", S.migrated)


def test_migrated_to_azure_needs_the_stack_file_in_the_repository(sqlite_store: Store, repo_root: Path) -> None:
    ready(sqlite_store, "portal", target_hosting=Hosting.azure, target_stack="resident-services-test")
    walk(sqlite_store, "portal", S.assessed, S.planned, S.migrating)
    with pytest.raises(GuardError, match="Pulumi.resident-services-test.yaml does not exist in this repository"):
        sqlite_store.move("portal", S.migrated)
    sqlite_store.update("portal", {"target_stack": "resident-services-prod"})
    walk(sqlite_store, "portal", S.migrated)
    assert sqlite_store.get("portal").state is S.migrated


def test_migrated_elsewhere_needs_no_stack(sqlite_store: Store, repo_root: Path) -> None:
    ready(sqlite_store, "crm", target_hosting=Hosting.saas)
    walk(sqlite_store, "crm", S.assessed, S.planned, S.migrating, S.migrated)
    assert sqlite_store.get("crm").state is S.migrated


def _retiring_with_dependent(store: Store) -> None:
    ready(store, "old-crm", strategy=Strategy.retire, target_hosting=None)
    ready(store, "portal")
    ready(store, "gone")
    store.link("portal", "old-crm", actor="t")
    store.link("gone", "old-crm", actor="t")
    walk(store, "gone", S.assessed, S.planned, S.migrating, S.migrated, S.decommissioned)
    walk(store, "old-crm", S.assessed, S.planned)


def test_decommission_refused_while_live_systems_depend_on_it(store: Store) -> None:
    _retiring_with_dependent(store)
    with pytest.raises(GuardError) as caught:
        store.move("old-crm", S.decommissioned)
    assert str(caught.value) == "old-crm: cannot decommission while live systems depend on it: portal"
    assert "--force" in (caught.value.hint or "")
    assert store.get("old-crm").state is S.planned


def test_forced_decommission_needs_a_note_and_records_it(store: Store) -> None:
    _retiring_with_dependent(store)
    with pytest.raises(GuardError, match="--force needs a note"):
        store.move("old-crm", S.decommissioned, force=True, reason="  ")
    store.move("old-crm", S.decommissioned, actor="dana", force=True, reason="portal reads the archive copy now")
    event = store.history("old-crm")[-1]
    assert event.changes == {"state": ["planned", "decommissioned"], "forced_over_dependents": [None, ["portal"]]}
    assert (event.actor, event.reason) == ("dana", "portal reads the archive copy now")


@pytest.mark.parametrize("held", [S.discovered, S.assessed, S.planned, S.migrating])
def test_on_hold_from_any_active_state_and_back_to_it(sqlite_store: Store, held: State) -> None:
    ready(sqlite_store, "crm")
    path = [S.assessed, S.planned, S.migrating]
    walk(sqlite_store, "crm", *path[: path.index(held) + 1] if held in path else [])
    walk(sqlite_store, "crm", S.on_hold)
    others = [s for s in (S.discovered, S.assessed, S.planned, S.migrating) if s is not held]
    for other in others:
        with pytest.raises(IllegalMoveError, match=f"allowed moves: {held.value}$"):
            sqlite_store.move("crm", other)
    walk(sqlite_store, "crm", held)
    assert sqlite_store.get("crm").state is held


def test_allowed_moves_follow_the_strategy() -> None:
    def moves(state: State, strategy: Strategy | None) -> list[str]:
        return [s.value for s in allowed_moves(System(id="x", name="X", state=state, strategy=strategy))]

    assert moves(S.planned, Strategy.refactor) == ["migrating", "on-hold"]
    assert moves(S.planned, Strategy.retire) == ["decommissioned", "on-hold"]
    assert moves(S.planned, Strategy.retain) == ["on-hold"]
    assert moves(S.on_hold, None) == ["discovered", "assessed", "planned", "migrating"]


def test_a_system_registered_on_hold_may_resume_in_any_active_state(sqlite_store: Store) -> None:
    sqlite_store.import_estate([System(id="repairs", name="Repairs", state=S.on_hold)], [], actor="t")
    with pytest.raises(IllegalMoveError, match="allowed moves: discovered, assessed, planned, migrating$"):
        sqlite_store.move("repairs", S.migrated)
    walk(sqlite_store, "repairs", S.assessed)
    walk(sqlite_store, "repairs", S.on_hold)
    with pytest.raises(IllegalMoveError, match="allowed moves: assessed$"):
        sqlite_store.move("repairs", S.discovered)
