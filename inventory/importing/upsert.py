"""Upserting a whole estate in one transaction: compare, then write in bulk with history.

Each system the import touches gets one history event carrying its field changes and the
changes to the dependencies it has (``depends_on:<target>``).

Only the fields an imported record was given (pydantic's ``model_fields_set``) are compared,
so a council sheet without a notes column never wipes the notes already in the register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from inventory.db import tables as t
from inventory.db.rows import dependency_row, diff, row_dependency, row_system, system_row
from inventory.errors import ConflictError, InventoryError, StateRefusal, StateRefusedError
from inventory.importing.result import ImportResult
from inventory.register.lifecycle import land_by_import
from inventory.register.model import USER_FIELDS, Dependency, State, System

if TYPE_CHECKING:
    from sqlalchemy import Connection


def _link_key(dep: Dependency) -> tuple[str, str]:
    return dep.source, dep.target


def _link_text(dep: Dependency) -> str:
    return f"{dep.source} -> {dep.target}"


def _insert_links(conn: Connection, dependencies: list[Dependency]) -> None:
    """Rows made a batch at a time: a sheet may name 700,000 links."""
    for start in range(0, len(dependencies), BATCH):
        conn.execute(t.dependencies.insert(), [dependency_row(dep) for dep in dependencies[start:start + BATCH]])


BATCH = 2_000
"""Systems compared and written at a time: the rows, updates and history events of one batch are
all that is held besides the records themselves, so a 700,000-row sheet does not need its
register copied into memory three times over."""


def import_estate(
    conn: Connection, systems: Sequence[System], dependencies: list[Dependency], actor: str, reason: str, at: dt.datetime,
    state_dates: dict[str, dt.date] | None = None,
) -> ImportResult:
    from sqlalchemy import select

    from inventory.importing.compact import LinkTable

    by_id: dict[str, int] = {}  # positions: the systems may be kept compactly
    duplicates: set[str] = set()
    for position, system in enumerate(systems):
        if by_id.setdefault(system.id, position) != position:
            duplicates.add(system.id)
    if duplicates:
        raise InventoryError(f"the import names these systems more than once: {', '.join(sorted(duplicates))}")
    table = LinkTable()  # not a Counter of (source, target) tuples: 150 bytes a link
    repeated = {table.position(d.source, d.target) for d in dependencies if not table.add(d)}
    twice = sorted(_link_text(table.links[at]) for at in repeated if at is not None)
    del table, repeated
    if twice:
        raise InventoryError(f"the import names these dependencies more than once: {', '.join(twice)}")

    registered = {r[0] for r in conn.execute(select(t.systems.c.id))} if dependencies else set()
    missing = sorted({f"{d.source} -> {d.target}: no system '{end}'" for d in dependencies for end in (d.source, d.target)
                      if end not in by_id and end not in registered})
    del registered
    if missing:
        raise InventoryError("dependencies name systems that are neither in the import nor in the register: " + "; ".join(missing))
    self_links = sorted({d.source for d in dependencies if d.source == d.target})
    if self_links:
        raise InventoryError(f"a system cannot depend on itself: {', '.join(self_links)}")

    result = ImportResult()
    link_changes, dep_inserts, dep_updates = _plan_links(conn, dependencies, result) if dependencies else ({}, [], [])
    touched = sorted([*by_id, *(source for source in link_changes if source not in by_id)])  # no set of every id
    guards = _Guards()
    for start in range(0, len(touched), BATCH):
        _write_batch(conn, touched[start:start + BATCH], by_id, systems, link_changes, result, (actor, reason, at),
                     state_dates or {}, guards)
    if guards.refused:  # before the links: a refused system was not written, so links to it cannot be
        raise StateRefusedError(guards.refused)
    if dep_inserts:
        _insert_links(conn, dep_inserts)
    if dep_updates:
        from sqlalchemy import bindparam, update

        c = t.dependencies.c
        conn.execute(
            update(t.dependencies)
            .where(c.source == bindparam("b_source"), c.target == bindparam("b_target"))
            .values(kind=bindparam("b_kind"), description=bindparam("b_description")),
            [{f"b_{k}": v for k, v in row.items()} for row in dep_updates],
        )
    refused = _still_depended_on(conn, guards.ended)
    if refused:
        raise StateRefusedError(refused)
    return result


@dataclass
class _Guards:
    """What the lifecycle guards found while the batches were compared."""

    refused: list[StateRefusal] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    """Systems this import decommissions: their dependents are checked once everything is written."""


def _still_depended_on(conn: Connection, ended: list[str]) -> list[StateRefusal]:
    """The decommissioning guard, read once the whole import is written (in its transaction, so a
    dependent decommissioned or unlinked by the same import counts as gone)."""
    from inventory.db.dependents import live_dependents

    found = live_dependents(conn, ended) if ended else {}
    return [
        StateRefusal(target, f"decommissioned needs no live system depending on it: {', '.join(sources)} still do{'es' if len(sources) == 1 else ''}",
                     ("decommission those dependents in the same import, or remove the dependency",))
        for target, sources in sorted(found.items())
    ]


def _plan_links(conn: Connection, dependencies: list[Dependency], result: ImportResult) -> tuple[dict[str, dict[str, list[Any]]], list, list]:
    """The dependency rows to insert and update, and each source's link changes for its event
    (a mapping that spells each source's out when its batch is written: ``compact.LinkChanges``)."""
    from sqlalchemy import select

    from inventory.importing.compact import LinkChanges

    current = {(d.source, d.target): d for d in (row_dependency(r) for r in conn.execute(select(t.dependencies)).mappings())}
    changes = LinkChanges()
    inserts: list[Dependency] = []
    updates = []
    for dep in sorted(dependencies, key=_link_key):  # each (source, target) once: checked by the caller
        key = (dep.source, dep.target)
        old = current.get(key)
        if old is None:
            inserts.append(dep)
            changes.add(None, dep)
            result.links_added.append(_link_text(dep))
        elif old != dep:
            updates.append(dependency_row(dep))
            changes.add(old, dep)
            result.links_changed.append(_link_text(dep))
        else:
            result.links_unchanged.append(_link_text(dep))
    return changes, inserts, updates


def _write_batch(conn: Connection, ids: list[str], by_id: dict[str, int], systems: Sequence[System], link_changes: dict[str, dict[str, list[Any]]],
                 result: ImportResult, who: tuple[str, str, dt.datetime], state_dates: dict[str, dt.date], guards: _Guards) -> None:
    """Compare and write one batch of systems (sorted ids), with one history event each (two where
    the sheet dates the state change: see ``inventory.importing.dated``)."""
    from sqlalchemy import select, update

    from inventory.importing.dated import import_events

    actor, reason, at = who
    wanted = [i for i in ids if i in by_id]
    existing = {s.id: s for s in (row_system(r) for r in conn.execute(select(t.systems).where(t.systems.c.id.in_(wanted))).mappings())} if wanted else {}
    inserts, updates = [], []
    changes_by_system: dict[str, dict[str, list[Any]]] = {}
    for system_id in ids:
        incoming = systems[by_id[system_id]] if system_id in by_id else None
        changes: dict[str, list[Any]] = {}
        if incoming is not None:
            before = existing.get(system_id)
            given = set(incoming.model_fields_set) & set(USER_FIELDS)
            after = incoming if before is None else before.model_copy(update={name: getattr(incoming, name) for name in given})
            after, given, refusal = land_by_import(before, after, given)
            if refusal is not None:
                guards.refused.append(StateRefusal(system_id, refusal.message, refusal.fixes))
                continue
            if after.state is State.decommissioned and (before is None or before.state is not State.decommissioned):
                guards.ended.append(system_id)
            if before is None:
                stored = after.model_copy(update={"version_no": 1})
                inserts.append(system_row(stored))
                changes = diff(None, stored)
                result.added.append(system_id)
            else:
                delta = diff(before, after, given)
                if delta:
                    row = system_row(after)
                    updates.append((before, {name: row[name] for name in delta}))
                    changes = dict(delta)
                    result.changed[system_id] = delta
                else:
                    result.unchanged.append(system_id)
        changes.update(link_changes.get(system_id, {}))
        if changes:
            changes_by_system[system_id] = changes
    if inserts:
        conn.execute(t.systems.insert(), inserts)
    for before, values in updates:
        values["version_no"] = before.version_no + 1
        done = conn.execute(
            update(t.systems).where(t.systems.c.id == before.id, t.systems.c.version_no == before.version_no).values(**values)
        )
        if done.rowcount != 1:
            raise ConflictError(f"{before.id}: changed by someone else during the import; nothing was imported")
    if changes_by_system:
        conn.execute(t.events.insert(), import_events(changes_by_system, actor, reason, at, state_dates))
