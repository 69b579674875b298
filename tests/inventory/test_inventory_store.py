"""The store on SQLite and PostgreSQL: reads, writes with history, optimistic concurrency, upsert."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from inventory.errors import ConflictError, ExistsError, InventoryError, NotFoundError, StoreError
from inventory.register.model import Criticality, Dependency, DependencyKind, Hosting, State, Strategy, System
from inventory.store import Store, open_store


def system(system_id: str, **fields: object) -> System:
    return System(id=system_id, name=system_id.replace("-", " ").title(), **fields)


def test_add_then_get_keeps_every_field_exactly(store: Store) -> None:
    added = system(
        "council-tax",
        service_area="Revenues and Benefits",
        hosting=Hosting.on_premises,
        criticality=Criticality.mission_critical,
        personal_data=True,
        users=240,
        annual_cost=Decimal("123456789.05"),
        contract_end=dt.date(2027, 3, 31),
        strategy=Strategy.repurchase,
        wave=2,
        notes="Annual billing in March",
    )
    store.add(added, actor="asha", reason="from the 2026 register")
    got = store.get("council-tax")
    assert got.model_dump(exclude={"version_no"}) == added.model_dump(exclude={"version_no"})
    assert got.annual_cost == Decimal("123456789.05")
    assert got.version_no == 1
    [event] = store.history("council-tax")
    assert (event.actor, event.action, event.reason) == ("asha", "add", "from the 2026 register")
    assert event.changes["annual_cost"] == [None, "123456789.05"]
    assert event.at.tzinfo is not None


def test_adding_an_existing_id_is_refused(store: Store) -> None:
    store.add(system("gis"), actor="a")
    with pytest.raises(ExistsError, match="already registered"):
        store.add(system("gis"), actor="a")
    assert len(store.history()) == 1


def test_unknown_system_is_named(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no system 'nope'"):
        store.get("nope")


def test_list_filters_and_free_text(store: Store) -> None:
    store.add(system("council-tax", service_area="Revenues and Benefits", hosting=Hosting.on_premises, wave=1, supplier="Civica"), actor="a")
    store.add(system("housing-repairs", service_area="Housing", hosting=Hosting.saas, strategy=Strategy.retain, wave=1), actor="a")
    store.add(system("libraries", service_area="Culture", hosting=Hosting.saas, criticality=Criticality.non_critical), actor="a")
    assert [s.id for s in store.list()] == ["council-tax", "housing-repairs", "libraries"]
    assert [s.id for s in store.list(hosting=Hosting.saas)] == ["housing-repairs", "libraries"]
    assert [s.id for s in store.list(hosting=Hosting.saas, wave=1)] == ["housing-repairs"]
    assert [s.id for s in store.list(service_area="revenues AND benefits")] == ["council-tax"]
    assert [s.id for s in store.list(strategy=Strategy.retain)] == ["housing-repairs"]
    assert [s.id for s in store.list(criticality=Criticality.non_critical)] == ["libraries"]
    assert [s.id for s in store.list(search="CIVICA")] == ["council-tax"]
    assert [s.id for s in store.list(state=State.planned)] == []


def test_update_records_from_and_to_and_bumps_the_version(store: Store) -> None:
    store.add(system("crm"), actor="a")
    updated = store.update("crm", {"wave": 3, "notes": "contact centre"}, expected_version=1, actor="ben", reason="board 12 Jan")
    assert updated.version_no == 2 and store.get("crm").wave == 3
    event = store.history("crm")[-1]
    assert event.action == "update" and event.actor == "ben" and event.reason == "board 12 Jan"
    assert event.changes == {"wave": [None, 3], "notes": ["", "contact centre"]}


def test_stale_update_is_refused_and_nothing_is_overwritten(store: Store) -> None:
    store.add(system("crm"), actor="a")
    store.update("crm", {"notes": "first"}, expected_version=1, actor="a")
    with pytest.raises(ConflictError, match="changed since version 1 \\(now version 2\\)"):
        store.update("crm", {"notes": "second"}, expected_version=1, actor="b")
    assert store.get("crm").notes == "first"
    assert [e.actor for e in store.history("crm")] == ["a", "a"]


def test_update_cannot_change_state_or_id_or_invalid_values(store: Store) -> None:
    store.add(system("crm"), actor="a")
    with pytest.raises(InventoryError, match="state cannot be updated"):
        store.update("crm", {"state": State.migrated})
    with pytest.raises(InventoryError, match="wave"):
        store.update("crm", {"wave": -1})
    with pytest.raises(InventoryError, match="unknown field"):
        store.update("crm", {"colour": "red"})
    assert store.get("crm").version_no == 1


def test_update_with_no_real_change_writes_nothing(store: Store) -> None:
    store.add(system("crm", wave=1), actor="a")
    store.update("crm", {"wave": 1})
    assert len(store.history("crm")) == 1 and store.get("crm").version_no == 1


def test_link_and_unlink_with_history(store: Store) -> None:
    store.add(system("portal"), actor="a")
    store.add(system("identity"), actor="a")
    store.link("portal", "identity", DependencyKind.authentication, "sign-in", actor="a", reason="SSO")
    assert store.dependencies("identity") == [Dependency(source="portal", target="identity", kind=DependencyKind.authentication, description="sign-in")]
    store.unlink("portal", "identity", actor="a")
    assert store.dependencies() == []
    assert [e.action for e in store.history("portal")] == ["add", "link", "unlink"]
    with pytest.raises(NotFoundError):
        store.link("portal", "nowhere", actor="a")
    with pytest.raises(NotFoundError, match="does not depend"):
        store.unlink("portal", "identity", actor="a")
    with pytest.raises(InventoryError, match="itself"):
        store.link("portal", "portal", actor="a")


def test_apply_waves_is_all_or_nothing_with_history(store: Store) -> None:
    for name in ("a", "b"):
        store.add(system(name), actor="x")
    with pytest.raises(NotFoundError):
        store.apply_waves({"a": 1, "zz": 2}, actor="planner", reason="plan")
    assert store.get("a").wave is None
    changed = store.apply_waves({"a": 1, "b": 2}, actor="planner", reason="plan v1")
    assert [s.id for s in changed] == ["a", "b"]
    assert (store.get("a").wave, store.get("b").wave) == (1, 2)
    waves = [e for e in store.history() if e.action == "waves"]
    assert [(e.system_id, e.changes, e.reason) for e in waves] == [("a", {"wave": [None, 1]}, "plan v1"), ("b", {"wave": [None, 2]}, "plan v1")]


def test_load_estate_is_ordered(store: Store) -> None:
    for name in ("zeta", "alpha", "mid"):
        store.add(system(name), actor="x")
    store.link("zeta", "alpha", actor="x")
    store.link("alpha", "mid", actor="x")
    estate = store.load_estate()
    assert [s.id for s in estate.systems] == ["alpha", "mid", "zeta"]
    assert [(d.source, d.target) for d in estate.dependencies] == [("alpha", "mid"), ("zeta", "alpha")]
    assert [e.system_id for e in estate.events] == ["zeta", "alpha", "mid", "zeta", "alpha"]


def test_import_upserts_reports_and_is_idempotent(store: Store) -> None:
    store.add(system("crm", notes="keep me"), actor="a")
    incoming = [System(id="crm", name="Crm", wave=2), system("gis")]
    deps = [Dependency(source="crm", target="gis", kind=DependencyKind.api)]
    result = store.import_estate(incoming, deps, actor="loader", reason="register v3")
    assert result.added == ["gis"]
    assert result.changed == {"crm": {"wave": [None, 2]}}
    assert result.links_added == ["crm -> gis"]
    assert store.get("crm").notes == "keep me", "a field the import did not carry is left alone"
    events = len(store.history())
    again = store.import_estate(incoming, deps, actor="loader")
    assert again.unchanged == ["crm", "gis"] and again.links_unchanged == ["crm -> gis"]
    assert not again.wrote_anything and len(store.history()) == events


def test_import_dry_run_writes_nothing(store: Store) -> None:
    result = store.import_estate([system("gis")], [], actor="a", dry_run=True)
    assert result.added == ["gis"] and result.dry_run
    assert store.list() == [] and store.history() == []


def test_import_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(InventoryError, match="no system 'ghost'"):
        store.import_estate([system("gis")], [Dependency(source="gis", target="ghost")], actor="a")
    assert store.list() == [] and store.history() == []


def test_open_store_defaults_to_a_sqlite_file_under_dot_borough(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOROUGH_DB", raising=False)
    with open_store() as opened:
        opened.add(system("gis"), actor="a")
    assert (tmp_path / ".borough" / "inventory.db").is_file()
    monkeypatch.setenv("BOROUGH_DB", f"sqlite:///{tmp_path / 'other.db'}")
    with open_store() as other:
        assert other.list() == []


def test_sqlite_runs_in_wal_mode(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_unreachable_database_is_incomplete_not_bad_input() -> None:
    with pytest.raises(StoreError) as caught:
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=2")
    assert caught.value.exit_code == 3


def test_past_history_can_be_appended_and_state_changes_read_alone(store: Store) -> None:
    from inventory.register.model import Event

    store.add(system("crm", wave=1, strategy=Strategy.rehost, target_hosting=Hosting.aws), actor="a")
    past = dt.datetime(2025, 6, 1, 9, 30, tzinfo=dt.timezone.utc)
    store.append_history([Event(at=past, actor="asha", system_id="crm", action="move", changes={"state": ["discovered", "assessed"]}, reason="2025 review")])
    store.move("crm", State.assessed, actor="b")
    store.update("crm", {"notes": "state of the art"}, actor="b")
    changes = store.state_changes()
    assert [(e.action, e.changes["state"]) for e in changes] == [
        ("add", [None, "discovered"]),
        ("move", ["discovered", "assessed"]),
        ("move", ["discovered", "assessed"]),
    ]
    assert changes[1].at == past and changes[1].reason == "2025 review"
    with pytest.raises(NotFoundError, match="ghost"):
        store.append_history([Event(at=past, actor="a", system_id="ghost", action="move")])
    assert store.load_estate(with_history=False).events == [] and len(store.load_estate().events) == 4


def test_search_text_is_literal(store: Store) -> None:
    store.add(system("a", notes="100% uptime"), actor="x")
    store.add(system("b", notes="1000 users"), actor="x")
    store.add(system("c", notes="under_score"), actor="x")
    assert [s.id for s in store.list(search="100%")] == ["a"]
    assert [s.id for s in store.list(search="0_u")] == [], "_ is not a wildcard ('1000 users' does not match)"
    assert [s.id for s in store.list(search="r_s")] == ["c"]


def test_a_locked_sqlite_database_is_reported_as_incomplete(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import inventory.db.engine as engine_module

    with open_store(sqlite_url) as store:
        store.add(system("gis"), actor="a")
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_S", 0)
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with open_store(sqlite_url) as store:
            with pytest.raises(StoreError, match="did not answer: database is locked") as caught:
                store.update("gis", {"notes": "x"}, actor="b")
            assert caught.value.exit_code == 3
            assert store.get("gis").notes == "", "reads still work while a writer holds the lock"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
