"""Converting between records and table rows, and values into the history's JSON form."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from enum import Enum
from typing import Any, Mapping

from inventory.register.model import USER_FIELDS, Dependency, DependencyKind, Event, Hosting, Strategy, System, TimeCategory


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


_SYSTEM_ENUMS = {
    name: info.annotation
    for name, info in System.model_fields.items()
    if isinstance(info.annotation, type) and issubclass(info.annotation, Enum)
}
_SYSTEM_ENUMS.update({"strategy": Strategy, "time_category": TimeCategory, "target_hosting": Hosting})


def row_system(row: Mapping[str, Any]) -> System:
    """Rows were validated on the way in, so they are built without validating again (10,000 rows add up)."""
    data = dict(row)
    for name, enum in _SYSTEM_ENUMS.items():
        value = data[name]
        if value is not None:
            data[name] = enum(value)
    return System.model_construct(**data)


def dependency_row(dep: Dependency) -> dict[str, Any]:
    return {"source": dep.source, "target": dep.target, "kind": dep.kind.value, "description": dep.description}


def row_dependency(row: Mapping[str, Any]) -> Dependency:
    return Dependency.model_construct(source=row["source"], target=row["target"], kind=DependencyKind(row["kind"]), description=row["description"])


def row_event(row: Mapping[str, Any]) -> Event:
    return Event.model_construct(
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


def link_change(old: Dependency | None, new: Dependency | None) -> dict[str, list[Any]]:
    """A dependency change in the history: ``depends_on:<target>`` -> [from, to] as ``kind: description``."""
    dep = new or old
    assert dep is not None
    return {f"depends_on:{dep.target}": [_link_value(old), _link_value(new)]}


def _link_value(dep: Dependency | None) -> str | None:
    if dep is None:
        return None
    return dep.kind.value + (f": {dep.description}" if dep.description else "")
