"""Fixtures of the bad-input catalogue; the helpers are in bad_input_helpers.py (see its docstring).

- ``db_url``: a fresh, empty database on SQLite and, marked ``postgres``, on PostgreSQL (run
  through ``scripts/with-postgres``; skipped without it locally, a failure under CI).
- ``seeded_db_url``: the same holding ``SEEDED_IDS`` (two systems) and one dependency, so
  "nothing changed" means something.
- ``sqlite_url``: a SQLite file only (not created until used).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bad_input_helpers import ROOT, SEEDED_IDS

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _load_inventory_dbs() -> Any:
    """tests/inventory/inventory_dbs.py (not a package: loaded by path, not put on sys.path)."""
    spec = importlib.util.spec_from_file_location("bad_input_inventory_dbs", ROOT / "tests" / "inventory" / "inventory_dbs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_dbs = _load_inventory_dbs()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend."""
    yield from _dbs.make_db_url(request.param, tmp_path)


@pytest.fixture
def seeded_db_url(db_url: str) -> str:
    """``db_url`` holding two systems and one dependency, so 'nothing changed' means something."""
    from inventory.register.model import Dependency, System
    from inventory.store import open_store

    with open_store(db_url) as store:
        store.import_estate(
            [System(id=SEEDED_IDS[0], name="Council Tax"), System(id=SEEDED_IDS[1], name="GIS")],
            [Dependency(source=SEEDED_IDS[0], target=SEEDED_IDS[1])],
            actor="seed",
        )
    return db_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'inventory.db'}"
