"""Converting between records and table rows, and values into the history's JSON form."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from enum import Enum
from typing import Any, Mapping

from inventory.model import USER_FIELDS, Dependency, DependencyKind, Event, System


def jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def system_row(system: System) -> dict[str, Any]:
    row = {name: jsonable(getattr(system, name)) for name in USER_FIELDS}
    for name in ("annual_cost", "contract_end", "support_end"):
        row[name] = getattr(system, name)
    row["version_no"] = system.version_no
    return row


def row_system(row: Mapping[str, Any]) -> System:
    return System.model_validate(dict(row))


def dependency_row(dep: Dependency) -> dict[str, Any]:
    return {"source": dep.source, "target": dep.target, "kind": dep.kind.value, "description": dep.description}


def row_dependency(row: Mapping[str, Any]) -> Dependency:
    return Dependency(source=row["source"], target=row["target"], kind=DependencyKind(row["kind"]), description=row["description"])


def row_event(row: Mapping[str, Any]) -> Event:
    return Event(
        at=row["at"],
        actor=row["actor"],
        system_id=row["system_id"],
        action=row["action"],
        changes=json.loads(row["changes"]),
        reason=row["reason"],
    )


def event_row(at: dt.datetime, actor: str, system_id: str, action: str, changes: dict[str, list[Any]], reason: str) -> dict[str, Any]:
    return {
        "at": at,
        "actor": actor,
        "system_id": system_id,
        "action": action,
        "changes": json.dumps(changes, sort_keys=True, ensure_ascii=False),
        "reason": reason,
    }


def diff(before: System | None, after: System, fields: tuple[str, ...] | set[str] = USER_FIELDS) -> dict[str, list[Any]]:
    """field -> [from, to] for the fields that differ (all set fields when there is no before)."""
    changes: dict[str, list[Any]] = {}
    for name in USER_FIELDS:
        if name not in fields:
            continue
        new = jsonable(getattr(after, name))
        old = jsonable(getattr(before, name)) if before is not None else None
        if before is None:
            if new not in (None, ""):
                changes[name] = [None, new]
        elif old != new:
            changes[name] = [old, new]
    return changes
