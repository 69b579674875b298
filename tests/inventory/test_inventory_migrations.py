"""A database made by an older borough is upgraded on first use and keeps its data."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from inventory.db.engine import current_revision, head_revision, make_engine, migrate
from inventory.register.model import State
from inventory.store import open_store

OLD_ROWS = [
    "INSERT INTO systems (id, name, description, service_area, business_owner, technical_owner, supplier, product, version, hosting,"
    " criticality, data_classification, personal_data, users, annual_cost, state, wave, notes) VALUES"
    " ('council-tax', 'Council Tax', '', 'Revenues', 'Head of Revenues', '', 'Northgate', '', '', 'on-premises',"
    " 'mission-critical', 'OFFICIAL-SENSITIVE', true, 180, 24800005, 'planned', 2, 'kept')",
    "INSERT INTO systems (id, name, description, service_area, business_owner, technical_owner, supplier, product, version, hosting,"
    " criticality, data_classification, personal_data, state, notes) VALUES"
    " ('identity', 'Identity', '', '', '', '', '', '', '', 'saas', 'business-critical', 'OFFICIAL', false, 'assessed', '')",
    "INSERT INTO dependencies (source, target, kind, description) VALUES ('council-tax', 'identity', 'authentication', 'SSO')",
    "INSERT INTO events (at, actor, system_id, action, changes, reason) VALUES"
    " ('2025-04-01 09:00:00', 'asha', 'council-tax', 'add', '{\"name\": [null, \"Council Tax\"]}', 'first register')",
]


def test_an_older_database_is_upgraded_and_keeps_its_data(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, "0001")
    with engine.begin() as conn:
        for statement in OLD_ROWS:
            conn.execute(text(statement))
        assert current_revision(conn) == "0001"
    engine.dispose()

    with open_store(db_url) as store:
        with store.engine.connect() as conn:
            assert current_revision(conn) == head_revision() == "0003"
        estate = store.load_estate()
        ctax = store.get("council-tax")
        assert [s.id for s in estate.systems] == ["council-tax", "identity"]
        assert ctax.annual_cost == Decimal("248000.05") and ctax.state is State.planned and ctax.notes == "kept"
        assert ctax.version_no == 0
        assert [(d.source, d.target, d.description) for d in estate.dependencies] == [("council-tax", "identity", "SSO")]
        [event] = estate.events
        assert (event.actor, event.reason, event.at.year) == ("asha", "first register", 2025)
        store.update("council-tax", {"wave": 3}, expected_version=0, actor="ben")
        assert store.get("council-tax").version_no == 1

    with open_store(db_url) as again:
        assert again.get("council-tax").wave == 3


def test_a_database_from_a_newer_borough_is_not_touched(sqlite_url: str) -> None:
    import pytest

    from inventory.errors import StoreError

    with open_store(sqlite_url) as store:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(StoreError, match="schema revision 0099, which this borough does not know") as caught:
        open_store(sqlite_url)
    assert caught.value.exit_code == 3
