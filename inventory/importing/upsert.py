"""Upserting a whole estate in one transaction: compare, then write in bulk with history.

Each system the import touches gets one history event carrying its field changes and the
changes to the dependencies it has (``depends_on:<target>``).

Only the fields an imported record was given (pydantic's ``model_fields_set``) are compared,
so a council sheet without a notes column never wipes the notes already in the register.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from inventory.db import tables as t
from inventory.db.rows import dependency_row, diff, event_row, link_change, row_dependency, row_system, system_row
from inventory.errors import ConflictError, InventoryError
from inventory.importing.result import ImportResult
from inventory.register.lifecycle import arrival_by_import
from inventory.register.model import USER_FIELDS, Dependency, State, System

if TYPE_CHECKING:
    from sqlalchemy import Connection


def _link_text(dep: Dependency) -> str:
    return f"{dep.source} -> {dep.target}"


def import_estate(
    conn: Connection, systems: list[System], dependencies: list[Dependency], actor: str, reason: str, at: dt.datetime,
    state_dates: dict[str, dt.date] | None = None,
) -> ImportResult:
    from sqlalchemy import bindparam, select, update

    from collections import Counter

    duplicates = sorted(k for k, n in Counter(s.id for s in systems).items() if n > 1)
    if duplicates:
        raise InventoryError(f"the import names these systems more than once: {', '.join(duplicates)}")
    twice = sorted(f"{a} -> {b}" for (a, b), n in Counter((d.source, d.target) for d in dependencies).items() if n > 1)
    if twice:
        raise InventoryError(f"the import names these dependencies more than once: {', '.join(twice)}")
    seen = {s.id for s in systems}

    existing = {s.id: s for s in (row_system(r) for r in conn.execute(select(t.systems)).mappings())}
    result = ImportResult()
    inserts, updates = [], []
    changes_by_system: dict[str, dict[str, list[Any]]] = {}
    for incoming in sorted(systems, key=lambda s: s.id):
        before = existing.get(incoming.id)
        if before is None:
            landed = arrival_by_import(incoming, set(incoming.model_fields_set)) if incoming.state is State.migrated else {}
            stored = incoming.model_copy(update={**landed, "version_no": 1})
            inserts.append(system_row(stored))
            changes_by_system[incoming.id] = diff(None, stored)
            result.added.append(incoming.id)
            continue
        given = set(incoming.model_fields_set) & set(USER_FIELDS)
        after = before.model_copy(update={name: getattr(incoming, name) for name in given})
        if after.state is State.migrated and before.state is not State.migrated:
            landed = arrival_by_import(after, given)
            after, given = after.model_copy(update=landed), given | set(landed)
        delta = diff(before, after, given)
        if not delta:
            result.unchanged.append(incoming.id)
            continue
        row = system_row(after)
        values = {name: row[name] for name in delta}
        updates.append((before, values))
        changes_by_system[incoming.id] = dict(delta)
        result.changed[incoming.id] = delta

    known = set(existing) | seen
    missing = sorted({f"{d.source} -> {d.target}: no system '{end}'" for d in dependencies for end in (d.source, d.target) if end not in known})
    if missing:
        raise InventoryError("dependencies name systems that are neither in the import nor in the register: " + "; ".join(missing))
    self_links = sorted({d.source for d in dependencies if d.source == d.target})
    if self_links:
        raise InventoryError(f"a system cannot depend on itself: {', '.join(self_links)}")

    current = {(d.source, d.target): d for d in (row_dependency(r) for r in conn.execute(select(t.dependencies)).mappings())}
    dep_inserts, dep_updates = [], []
    wanted: dict[tuple[str, str], Dependency] = {}
    for dep in dependencies:
        wanted[(dep.source, dep.target)] = dep
    for key in sorted(wanted):
        dep = wanted[key]
        old = current.get(key)
        if old is None:
            dep_inserts.append(dependency_row(dep))
            changes_by_system.setdefault(dep.source, {}).update(link_change(None, dep))
            result.links_added.append(_link_text(dep))
        elif old != dep:
            dep_updates.append(dependency_row(dep))
            changes_by_system.setdefault(dep.source, {}).update(link_change(old, dep))
            result.links_changed.append(_link_text(dep))
        else:
            result.links_unchanged.append(_link_text(dep))

    if inserts:
        conn.execute(t.systems.insert(), inserts)
    for before, values in updates:
        values["version_no"] = before.version_no + 1
        done = conn.execute(
            update(t.systems).where(t.systems.c.id == before.id, t.systems.c.version_no == before.version_no).values(**values)
        )
        if done.rowcount != 1:
            raise ConflictError(f"{before.id}: changed by someone else during the import; nothing was imported")
    if dep_inserts:
        conn.execute(t.dependencies.insert(), dep_inserts)
    if dep_updates:
        c = t.dependencies.c
        conn.execute(
            update(t.dependencies)
            .where(c.source == bindparam("b_source"), c.target == bindparam("b_target"))
            .values(kind=bindparam("b_kind"), description=bindparam("b_description")),
            [{f"b_{k}": v for k, v in row.items()} for row in dep_updates],
        )
    if changes_by_system:
        from inventory.importing.dated import import_events

        conn.execute(t.events.insert(), import_events(changes_by_system, actor, reason, at, state_dates or {}))
    return result
