"""The register's system ids, for callers that only need to know whether an id is registered.

``borough check --live`` labels a resource tagged with a registered ``system-id`` as
``system:<id>``. A machine without a register (no ``--db``, no ``BOROUGH_DB`` and no default
``.borough/inventory.db``) is fine there: it gets ``None`` and nothing is created on disk.
"""

from __future__ import annotations

import os


def registered_system_ids(url: str | None = None) -> frozenset[str] | None:
    """Every system id in the register at ``url`` (else ``BOROUGH_DB``, else the default file);
    None when none is named and the default file does not exist. A register that is named but
    cannot be opened raises the store's own error (bad input or incomplete)."""
    from inventory.db.engine import DEFAULT_SQLITE
    from inventory.store import open_store

    url = url or os.environ.get("BOROUGH_DB") or None
    if url is None and not DEFAULT_SQLITE.exists():
        return None
    with open_store(url, create=False) as store:
        return frozenset(store.iter_ids())
