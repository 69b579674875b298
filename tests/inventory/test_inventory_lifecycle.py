"""The lifecycle: every path a strategy allows, every illegal move, and every guard's message."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.errors import GuardError, IllegalMoveError
from inventory.register.lifecycle import allowed_moves
from inventory.register.model import Hosting, State, Strategy, System
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
    walk(sqlite_store, "fax", S.assessed, S.planned, S.decommissioned)
    assert sqlite_store.get("fax").state is S.decommissioned


def test_a_retirement_under_way_is_decommissioned_not_migrated(sqlite_store: Store) -> None:
    ready(sqlite_store, "fax", strategy=Strategy.retire, target_hosting=None, wave=None)
    walk(sqlite_store, "fax", S.assessed, S.planned, S.migrating)
    with pytest.raises(IllegalMoveError, match=r"retire: decommissioned without migrating\); allowed moves: decommissioned, on-hold"):
        sqlite_store.move("fax", S.migrated)
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
    (S.migrating, S.planned, "migrated, on-hold"),
    (S.migrated, S.migrating, "decommissioned"),
    (S.migrated, S.on_hold, "decommissioned"),
    (S.decommissioned, S.migrated, "none"),
    (S.decommissioned, S.on_hold, "none"),
]


@pytest.mark.parametrize(("start", "to", "allowed"), ILLEGAL, ids=[f"{a.value}->{b.value}" for a, b, _ in ILLEGAL])
def test_illegal_moves_are_refused_with_the_allowed_moves(start: State, to: State, allowed: str) -> None:
    from inventory.register.lifecycle import MoveFacts, check_move

    system = System(id="crm", name="CRM", state=start, strategy=Strategy.rehost, wave=1, target_hosting=Hosting.aws)
    with pytest.raises(IllegalMoveError) as caught:
        check_move(system, to, MoveFacts())
    assert str(caught.value) == f"crm: cannot move from {start.value} to {to.value}; allowed moves: {allowed}"
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("start", [S.planned, S.migrating])
def test_only_retire_is_decommissioned_without_migrating(start: State) -> None:
    from inventory.register.lifecycle import MoveFacts, check_move

    system = System(id="crm", name="CRM", state=start, strategy=Strategy.rehost, wave=1, target_hosting=Hosting.aws)
    with pytest.raises(IllegalMoveError, match=r"\(only strategy retire is decommissioned without migrating\)"):
        check_move(system, S.decommissioned, MoveFacts())


def test_a_refused_move_changes_nothing(sqlite_store: Store) -> None:
    ready(sqlite_store, "crm")
    with pytest.raises(IllegalMoveError):
        sqlite_store.move("crm", S.migrated)
    assert sqlite_store.get("crm").state is S.discovered and sqlite_store.get("crm").version_no == 1
    assert [e.action for e in sqlite_store.history("crm")] == ["add"]


@pytest.mark.parametrize(
    ("fields", "missing", "hint"),
    [
        ({"strategy": None}, "a strategy", "--set strategy=rehost"),
        ({"wave": None}, "a wave", "--set wave=1"),
        ({"target_hosting": None}, "a target: target_hosting, or target_stack (a stack, subscription or SaaS product)",
         "--set target_hosting=azure (or --set target_stack=NAME)"),
        ({"wave": None, "target_hosting": None}, "a wave; a target: target_hosting, or target_stack (a stack, subscription or SaaS product)",
         "--set wave=1 --set target_hosting=azure (or --set target_stack=NAME)"),
    ],
)
def test_planned_needs_strategy_wave_and_target_and_the_hint_names_only_what_is_missing(
    sqlite_store: Store, fields: dict, missing: str, hint: str
) -> None:
    ready(sqlite_store, "crm", **fields)
    walk(sqlite_store, "crm", S.assessed)
    with pytest.raises(GuardError) as caught:
        sqlite_store.move("crm", S.planned)
    assert str(caught.value) == f"crm: planned needs {missing}"
    assert caught.value.hint == f"set it first: borough inventory update crm {hint}"
    for setting in ("strategy=", "wave=", "target_hosting="):
        assert (setting in caught.value.hint) == (setting in hint), "the hint names only what is missing"
    assert sqlite_store.get("crm").state is S.assessed


def test_migrating_has_the_same_guards_as_planned(sqlite_store: Store) -> None:
    """A planned system whose wave was cleared is not let into migrating (and refused only at migrated)."""
    ready(sqlite_store, "crm")
    walk(sqlite_store, "crm", S.assessed, S.planned)
    sqlite_store.update("crm", {"wave": None})
    with pytest.raises(GuardError, match="^crm: migrating needs a wave$"):
        sqlite_store.move("crm", S.migrating)


def test_a_return_from_on_hold_meets_the_same_guards(sqlite_store: Store) -> None:
    ready(sqlite_store, "crm")
    walk(sqlite_store, "crm", S.assessed, S.planned, S.on_hold)
    sqlite_store.update("crm", {"target_hosting": None})
    with pytest.raises(GuardError, match="^crm: planned needs a target"):
        sqlite_store.move("crm", S.planned)


@pytest.mark.parametrize("strategy", [Strategy.retire, Strategy.retain])
def test_retire_and_retain_are_planned_without_a_target_or_a_wave(sqlite_store: Store, strategy: Strategy) -> None:
    ready(sqlite_store, "crm", strategy=strategy, target_hosting=None, wave=None)
    walk(sqlite_store, "crm", S.assessed, S.planned)
    assert sqlite_store.get("crm").state is S.planned


def test_a_target_stack_alone_is_a_target(sqlite_store: Store) -> None:
    ready(sqlite_store, "crm", target_hosting=None, target_stack="resident-services-prod")
    walk(sqlite_store, "crm", S.assessed, S.planned)
    assert sqlite_store.get("crm").state is S.planned


def test_migrated_to_a_bundled_stack_lands_on_azure(sqlite_store: Store, repo_root: Path) -> None:
    ready(sqlite_store, "portal", target_hosting=None, target_stack="resident-services-prod")
    walk(sqlite_store, "portal", S.assessed, S.planned, S.migrating, S.migrated)
    assert sqlite_store.get("portal").hosting is Hosting.azure


def test_migrated_to_any_named_stack_or_subscription_is_allowed(sqlite_store: Store, repo_root: Path) -> None:
    """Councils migrate to stacks and subscriptions this repository does not hold."""
    ready(sqlite_store, "portal", target_hosting=Hosting.azure, target_stack="sub-housing-prod")
    walk(sqlite_store, "portal", S.assessed, S.planned, S.migrating, S.migrated)
    assert sqlite_store.get("portal").hosting is Hosting.azure


def test_migrated_needs_to_know_where_it_runs(sqlite_store: Store, repo_root: Path) -> None:
    ready(sqlite_store, "portal", target_hosting=None, target_stack="Salesforce Service Cloud")
    walk(sqlite_store, "portal", S.assessed, S.planned, S.migrating)
    with pytest.raises(GuardError) as caught:
        sqlite_store.move("portal", S.migrated)
    assert str(caught.value).startswith("portal: migrated needs where it now runs")
    assert caught.value.hint == "set it first: borough inventory update portal --set target_hosting=saas (azure, aws, supplier-hosted...)"
    sqlite_store.update("portal", {"target_hosting": Hosting.saas})
    walk(sqlite_store, "portal", S.migrated)
    assert sqlite_store.get("portal").hosting is Hosting.saas


def test_a_move_to_saas_is_a_fact_about_the_system(sqlite_store: Store, repo_root: Path) -> None:
    """Hosting becomes the target; the old product's support date goes into the history, out of the record."""
    import datetime as dt

    ready(sqlite_store, "crm", target_hosting=Hosting.saas, support_end=dt.date(2025, 3, 31), hosting=Hosting.on_premises)
    walk(sqlite_store, "crm", S.assessed, S.planned, S.migrating, S.migrated)
    crm = sqlite_store.get("crm")
    assert (crm.hosting, crm.support_end) == (Hosting.saas, None)
    event = sqlite_store.history("crm")[-1]
    assert event.changes == {"state": ["migrating", "migrated"], "hosting": ["on-premises", "saas"], "support_end": ["2025-03-31", None]}


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
    assert moves(S.planned, Strategy.retire) == ["migrating", "decommissioned", "on-hold"]
    assert moves(S.migrating, Strategy.retire) == ["decommissioned", "on-hold"]
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


def test_a_system_migrated_to_saas_leaves_the_on_premises_and_support_risk_lists(sqlite_store: Store, repo_root: Path) -> None:
    import datetime as dt

    from inventory.register.model import Classification, Criticality
    from inventory.reports import ReportName, ReportParams, build_records

    ready(sqlite_store, "crm", target_hosting=Hosting.saas, support_end=dt.date(2025, 3, 31), criticality=Criticality.mission_critical,
          data_classification=Classification.official_sensitive)
    params = ReportParams(today=dt.date(2026, 11, 27))

    def at_risk() -> dict[str, list[str]]:
        risk = build_records(ReportName.risk, sqlite_store.load_estate(), params)
        kinds = ("support_ending", "sensitive_on_unsupported", "mission_critical_on_premises")
        return {kind: [r.system for r in getattr(risk, kind)] for kind in kinds}

    assert at_risk() == {"support_ending": ["crm"], "sensitive_on_unsupported": ["crm"], "mission_critical_on_premises": ["crm"]}
    walk(sqlite_store, "crm", S.assessed, S.planned, S.migrating, S.migrated)
    assert at_risk() == {"support_ending": [], "sensitive_on_unsupported": [], "mission_critical_on_premises": []}


def test_the_allowed_moves_are_in_move_help_and_the_readme() -> None:
    from typer.testing import CliRunner

    from cli.main import app
    from inventory.register.moves import MOVES, moves_markdown

    help_text = CliRunner().invoke(app, ["inventory", "move", "--help"], terminal_width=200).stdout
    for source, to, _ in MOVES:
        assert f"{source} -> {to}" in help_text
    assert "planned, migrating: a wave" in help_text
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert moves_markdown() in readme, "regenerate the README table: python -c 'import inventory.register.moves as m; print(m.moves_markdown())'"
