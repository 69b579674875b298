"""Turning located cells into records, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from inventory.errors import Problem
from inventory.importing.mapping import Mapping
from inventory.importing.yamlio import line_of
from inventory.importing.values import is_blank, parse_id, parse_value, text
from inventory.model import Dependency, DependencyKind, System


@dataclass(slots=True)
class Cell:
    value: Any
    column: str
    """The header (or YAML key) as the user wrote it."""
    row: int


@dataclass
class Collected:
    """Records read so far, where each came from, and every problem found."""

    systems: list[System] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    places: dict[tuple[str, str], Problem] = field(default_factory=dict)
    """(source, target) -> where the dependency was written (message empty)."""
    system_places: dict[str, tuple[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, file: str, cell: Cell | None, row: int, message: str, column: str = "-") -> None:
        self.problems.append(Problem(file, cell.row if cell else row, cell.column if cell else column, message))


_DEP_ITEM = re.compile(r"^\s*([^()]+?)\s*(?:\((.*)\))?\s*$", re.DOTALL)


def split_items(raw: str, separator: str | None) -> list[str]:
    """Split a depends-on cell at separators outside parentheses."""
    seps = {separator} if separator else {";", ",", "\n"}
    items, depth, current = [], 0, ""
    for char in raw:
        depth += char == "("
        depth -= char == ")" and depth > 0
        if depth == 0 and char in seps:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [item.strip() for item in items if item.strip()]


def add_system(out: Collected, file: str, row: int, cells: dict[str, Cell], mapping: Mapping) -> None:
    """One system from its cells (blank cells are left unset), plus its depends-on entries."""
    data: dict[str, Any] = {}
    bad = False
    depends = cells.pop("depends_on", None)
    for name, cell in cells.items():
        if is_blank(cell.value):
            continue
        try:
            data[name] = parse_value(name, cell.value, mapping.values.get(name))
        except ValueError as exc:
            out.problem(file, cell, row, str(exc))
            bad = True
    if "id" in data and depends is not None and not is_blank(depends.value):
        values = depends.value if isinstance(depends.value, list) else split_items(text(depends.value), mapping.list_separator)
        for item in values:
            add_depends_on(out, file, row, data["id"], item, depends, mapping)
    if "id" not in data or "name" not in data:
        for name in ("id", "name"):
            if name not in data and not (name in cells and not is_blank(cells[name].value)):
                out.problem(file, cells.get(name), row, f"{name} is required", column=name)
        if "id" in data:
            out.system_places.setdefault(data["id"], (file, row))
        return
    try:
        system = System(**data)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "-"
            msg = str(error["msg"]).removeprefix("Value error, ")
            out.problem(file, cells.get(name), row, msg, column=name)
        out.system_places.setdefault(data["id"], (file, row))
        return
    if system.id in out.system_places:
        first_file, first_row = out.system_places[system.id]
        out.problem(file, cells["id"], row, f"'{system.id}' is already on {first_file}:{first_row}")
        return
    out.system_places[system.id] = (file, row)
    if not bad:
        out.systems.append(system)


def add_depends_on(out: Collected, file: str, row: int, source: str, item: Any, cell: Cell, mapping: Mapping) -> None:
    """A depends-on entry: ``target``, ``target (kind)`` or ``target (kind: description)``, or a YAML mapping."""
    if isinstance(item, dict):
        cells = {k: Cell(v, f"{cell.column}.{k}", line_of(item, k) or cell.row) for k, v in item.items()}
        cells["source"] = Cell(source, cell.column, cell.row)
        add_dependency(out, file, row, cells, mapping)
        return
    match = _DEP_ITEM.match(text(item))
    if not match:
        out.problem(file, cell, row, f"'{item}' is not 'id', 'id (kind)' or 'id (kind: description)'")
        return
    kind, _, description = (match[2] or "").partition(":")
    cells = {"source": Cell(source, cell.column, cell.row), "target": Cell(match[1], cell.column, cell.row)}
    if kind.strip():
        cells["kind"] = Cell(kind.strip(), cell.column, cell.row)
    if description.strip():
        cells["description"] = Cell(description.strip(), cell.column, cell.row)
    add_dependency(out, file, row, cells, mapping)


def add_dependency(out: Collected, file: str, row: int, cells: dict[str, Cell], mapping: Mapping) -> None:
    data: dict[str, Any] = {}
    for name, cell in cells.items():
        if name not in ("source", "target", "kind", "description"):
            out.problem(file, cell, row, f"unknown dependency field '{name}'; use target, kind, description")
            continue
        if is_blank(cell.value):
            continue
        try:
            data[name] = parse_value(name, cell.value, mapping.values.get(name))
        except ValueError as exc:
            out.problem(file, cell, row, str(exc))
    for name in ("source", "target"):
        if name not in data:
            if name not in cells or is_blank(cells[name].value):
                out.problem(file, cells.get(name), row, f"{name} is required", column=name)
            return
    if data["source"] == data["target"]:
        out.problem(file, cells["target"], row, f"'{data['source']}' cannot depend on itself")
        return
    key = (data["source"], data["target"])
    if key in out.places:
        first = out.places[key]
        out.problem(file, cells["target"], row, f"{key[0]} -> {key[1]} is already on {first.file}:{first.row}")
        return
    data.setdefault("kind", DependencyKind.data_feed)
    out.dependencies.append(Dependency(**data))
    out.places[key] = Problem(file, cells["target"].row, cells["target"].column, "")


def check_ends(out: Collected, registered: set[str]) -> None:
    """Every dependency's ends must be in the import or already registered."""
    known = registered | {s.id for s in out.systems} | set(out.system_places)
    for dep in out.dependencies:
        place = out.places[(dep.source, dep.target)]
        for end in (dep.source, dep.target):
            if end not in known:
                out.problems.append(Problem(place.file, place.row, place.column, f"no system '{end}' in the file or the register"))


__all__ = ["Cell", "Collected", "add_system", "add_dependency", "check_ends", "parse_id", "split_items"]
