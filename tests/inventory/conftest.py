"""Inventory fixtures: a database URL for each backend, each test with its own database.

PostgreSQL comes from ``BOROUGH_TEST_PG_URL`` (``scripts/with-postgres`` sets it); each test gets
its own schema, so tests running in parallel never see each other's rows. Without the variable
the PostgreSQL cases are skipped locally and fail under CI, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from inventory.store import Store, open_store

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_admin_url() -> str:
    url = os.environ.get("BOROUGH_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("BOROUGH_TEST_PG_URL is not set under CI: run the tests through scripts/with-postgres")
        pytest.skip("PostgreSQL tests need BOROUGH_TEST_PG_URL (run through scripts/with-postgres)")
    return url


def make_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'inventory.db'}"
        return
    from sqlalchemy import create_engine, text

    admin_url = _pg_admin_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        joiner = "&" if "?" in admin_url else "?"
        yield f"{admin_url}{joiner}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


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
