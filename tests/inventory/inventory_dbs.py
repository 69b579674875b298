"""Test databases for the inventory: a SQLite file, or a PostgreSQL schema of its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest


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


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite inventory holding the sample register, filled once per test module: for tests that
    only read it (reports, JSON records, the HTML page), so one load serves them all."""
    from inventory.sample import load_sample
    from inventory.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'inventory.db'}"
    with open_store(url) as store:
        load_sample(store)
    return url
