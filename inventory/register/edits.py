"""Command-line edits (``--set field=value``) read with the importer's lenient value parsing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inventory.errors import InventoryError
from inventory.importing.values import is_blank, parse_id, parse_value
from inventory.register.model import USER_FIELDS, Dependency, DependencyKind, State, System, check_text
from inventory.validate import Problem, validate

if TYPE_CHECKING:
    from inventory.register.model import Dependency
    from inventory.store import Store

_TEXT_DEFAULTS = {name for name, info in System.model_fields.items() if info.default == ""}


def parse_assignments(items: list[str]) -> dict[str, Any]:
    """``field=value`` pairs; an empty value clears an optional field."""
    changes: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep:
            raise InventoryError(f"--set {item}: expected field=value", hint=f"fields: {', '.join(USER_FIELDS)}")
        if name not in USER_FIELDS:
            raise InventoryError(f"--set {item}: unknown field '{name}'", hint=f"fields: {', '.join(USER_FIELDS)}")
        if is_blank(raw):
            changes[name] = "" if name in _TEXT_DEFAULTS else None
            continue
        try:
            changes[name] = parse_value(name, raw)
        except ValueError as exc:
            raise InventoryError(f"--set {name}: {exc}") from None
    return changes


def add_system(store: Store, system_id: str, name: str, items: list[str], actor: str | None, reason: str, on: dt.datetime | None = None) -> System:
    from pydantic import ValidationError

    data = parse_assignments(items)
    try:
        data["id"] = parse_id(system_id)
        system = System(**{**data, "name": name})
    except (ValueError, ValidationError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else [{"loc": ("id",), "msg": str(exc)}]
        raise InventoryError("; ".join(f"{e['loc'][0] if e['loc'] else '-'}: {str(e['msg']).removeprefix('Value error, ')}" for e in errors)) from None
    return store.add(system, actor=actor, reason=reason, on=on)


def update_system(
    store: Store, system_id: str, items: list[str], expected_version: int | None, actor: str | None, reason: str, on: dt.datetime | None = None
) -> System:
    if not items:
        raise InventoryError("nothing to update", hint="give one or more --set field=value")
    return store.update(system_id, parse_assignments(items), expected_version=expected_version, actor=actor, reason=reason, on=on)


def move_system(store: Store, system_id: str, state: str, actor: str | None, reason: str, force: bool, on: dt.datetime | None = None) -> System:
    try:
        to_state = parse_value("state", state)
    except ValueError as exc:
        raise InventoryError(f"state {exc}") from None
    assert isinstance(to_state, State)
    return store.move(system_id, to_state, actor=actor, reason=reason, force=force, on=on)


def link_systems(
    store: Store, source: str, target: str, kind: str, description: str, actor: str | None, reason: str, on: dt.datetime | None = None
) -> Dependency:
    try:
        dep_kind = parse_value("kind", kind)
    except ValueError as exc:
        raise InventoryError(f"--kind {exc}") from None
    assert isinstance(dep_kind, DependencyKind)
    try:
        check_text(Dependency, "description", description)
    except ValueError as exc:
        raise InventoryError(f"--description: {exc}") from None
    return store.link(source, target, dep_kind, description, actor=actor, reason=reason, on=on)


def validate_repo(store: Store, root: Path | None = None) -> list[Problem]:
    from inventory.stackfiles import read_stacks

    ids, names = read_stacks(root)
    return validate(store.load_estate(), ids, names)


def list_filtered(
    store: Store,
    state: str | None = None,
    strategy: str | None = None,
    service_area: str | None = None,
    hosting: str | None = None,
    wave: int | None = None,
    criticality: str | None = None,
    search: str | None = None,
) -> list[System]:
    """``Store.list`` with its enum filters read as leniently as an import reads them."""
    parsed: dict[str, Any] = {}
    for name, raw in (("state", state), ("strategy", strategy), ("hosting", hosting), ("criticality", criticality)):
        if raw is None:
            continue
        try:
            parsed[name] = parse_value(name, raw)
        except ValueError as exc:
            raise InventoryError(f"--{name} {exc}") from None
    return store.list(service_area=service_area, wave=wave, search=search, **parsed)
