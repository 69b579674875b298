"""Export then import gives the same data, in every format, and exports are deterministic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from inventory.export.exporting import export_estate
from inventory.importing import import_files
from inventory.register.model import Classification, Criticality, Dependency, DependencyKind, Hosting, State, Strategy, System, TimeCategory
from inventory.store import Store, open_store

from inventory_dbs import make_db_url

SYSTEMS = [
    System(
        id="council-tax",
        name="Council Tax, Business Rates",
        description='Billing; "annual" run (March)',
        service_area="Revenues & Benefits",
        business_owner="Head of Revenues",
        technical_owner="Apps Team A",
        supplier="Northgate",
        product="Revenues",
        version="10.2",
        hosting=Hosting.on_premises,
        criticality=Criticality.mission_critical,
        data_classification=Classification.official_sensitive,
        personal_data=True,
        users=180,
        annual_cost=Decimal("248000.05"),
        contract_end=dt.date(2028, 3, 31),
        support_end=dt.date(2027, 9, 30),
        strategy=Strategy.repurchase,
        time_category=TimeCategory.migrate,
        state=State.planned,
        target_hosting=Hosting.saas,
        target_stack=None,
        wave=3,
        notes="Line one\nline two, with £ and é",
    ),
    System(id="identity", name="Identity", hosting=Hosting.saas, annual_cost=Decimal("0")),
    System(id="portal", name="Resident Portal", hosting=Hosting.azure, target_stack="resident-services-prod", state=State.migrated, wave=0),
]
DEPENDENCIES = [
    Dependency(source="council-tax", target="identity", kind=DependencyKind.authentication, description="staff sign-in (SSO); MFA"),
    Dependency(source="portal", target="council-tax", kind=DependencyKind.api, description="balance (read only)"),
    Dependency(source="portal", target="identity", kind=DependencyKind.authentication),
]


@pytest.fixture
def source(sqlite_store: Store) -> Store:
    sqlite_store.import_estate(SYSTEMS, DEPENDENCIES, actor="t")
    return sqlite_store


def comparable(store: Store) -> tuple[list[dict], list[Dependency]]:
    estate = store.load_estate()
    return [s.model_dump(exclude={"version_no"}) for s in estate.systems], estate.dependencies


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "yaml", "json"])
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_export_then_import_gives_the_same_data(source: Store, tmp_path: Path, fmt: str, backend: str) -> None:
    data = export_estate(source.load_estate(), fmt)
    path = tmp_path / f"estate.{fmt}"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    (tmp_path / "target").mkdir()  # a new register's directory must exist: borough makes none but .borough/
    for url in make_db_url(backend, tmp_path / "target"):
        with open_store(url) as target:
            result = import_files(target, [path], actor="t")
            assert len(result.added) == 3 and len(result.links_added) == 3
            assert comparable(target) == comparable(source)
            assert not import_files(target, [path], actor="t").wrote_anything


@pytest.mark.parametrize("fmt", ["csv", "yaml", "json"])
def test_exports_are_deterministic(source: Store, fmt: str) -> None:
    estate = source.load_estate()
    assert export_estate(estate, fmt) == export_estate(estate.model_copy(update={"systems": estate.systems[::-1]}), fmt)
