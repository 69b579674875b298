"""Who still depends on a system: the facts the decommissioning guard reads, in the caller's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inventory.db import tables as t
from inventory.register.model import State

if TYPE_CHECKING:
    from sqlalchemy import Connection


def live_dependents(conn: Connection, targets: list[str]) -> dict[str, list[str]]:
    """target -> the systems not decommissioned that depend on it (sorted), for targets that have any."""
    from sqlalchemy import select

    d, s = t.dependencies.c, t.systems.c
    found: dict[str, list[str]] = {}
    for start in range(0, len(targets), 500):
        query = (
            select(d.target, d.source)
            .join(t.systems, s.id == d.source)
            .where(d.target.in_(targets[start:start + 500]), s.state != State.decommissioned.value, d.source != d.target)
            .order_by(d.target, d.source)
        )
        for target, source in conn.execute(query):
            found.setdefault(target, []).append(source)
    return found
