"""Inventory fixtures: a database URL for each backend, each test with its own database.

PostgreSQL comes from ``BOROUGH_TEST_PG_URL`` (``scripts/with-postgres`` sets it); each test gets
its own schema, so tests running in parallel never see each other's rows. Without the variable
the PostgreSQL cases are skipped locally and fail under CI, so CI can never pass by skipping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from inventory_dbs import make_db_url, sample_db  # noqa: F401 - sample_db: a fixture shared with tests/report

from inventory.store import Store, open_store

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend."""
    yield from make_db_url(request.param, tmp_path)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'inventory.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


@pytest.fixture
def sqlite_store(sqlite_url: str) -> Iterator[Store]:
    with open_store(sqlite_url) as opened:
        yield opened


@pytest.fixture
def repo_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with one stack file, Pulumi.resident-services-prod.yaml, as BOROUGH_ROOT."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "Pulumi.resident-services-prod.yaml").write_text(
        "config:\n  borough:environment: resident-services\n  borough:systemId: resident-portal\n", encoding="utf-8"
    )
    monkeypatch.setenv("BOROUGH_ROOT", str(root))
    return root
