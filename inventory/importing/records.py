"""Turning located cells into records, collecting every problem instead of stopping at the first.

Systems are built as they are read. A row with no id gets one made from its name
(:mod:`inventory.importing.slugs`), marked as derived. Dependencies are kept as written
(:class:`DependencyRef`: each end an id or a name, with its cell) because a name can only be
resolved once every file has been read and the register is at hand; :mod:`.resolve` does that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from inventory.errors import Problem
from inventory.importing.compact import SystemList
from inventory.importing.mapping import Mapping
from inventory.importing.slugs import slug
from inventory.importing.values import is_blank, parse_date, parse_id, parse_value, text
from inventory.importing.yamlio import line_of
from inventory.register.model import Dependency, DependencyKind, System


@dataclass(slots=True)
class Cell:
    value: Any
    column: str
    """The header (or YAML key) as the user wrote it."""
    row: int


@dataclass(frozen=True, slots=True)
class Place:
    """Where something was written: ``file:row:column``."""

    file: str
    row: int
    column: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}"


@dataclass(slots=True)
class End:
    """One end of a dependency as written: an id or a name, or (``own``) the row's own system."""

    text: str
    place: Place
    own: bool = False
    """The system of the row the depends-on cell is on; ``text`` is then its (provisional) id."""


@dataclass(slots=True)
class DependencyRef:
    """A dependency as written, before its ends are resolved to ids."""

    source: End
    target: End
    kind: DependencyKind | None
    description: str
    whole: str | None = None
    """A depends-on item as written (``Council Tax (Capita)``): tried as a name before reading
    ``(...)`` as the kind, because council system names often carry a supplier in brackets."""
    kind_error: str | None = None
    """Why the bracketed part is not a kind; reported only if ``whole`` names no system."""


@dataclass(slots=True)
class Derived:
    """A system whose id was made from its name (no id was given): its id and name only, not the
    whole system (that is in ``Collected.systems``, kept compactly), as a names-only sheet may
    have hundreds of thousands of rows."""

    id: str
    """The id made from the name (resolving may settle on another: a registered system's)."""
    name: str
    place: Place
    """The name cell."""
    index: int | None
    """Its position in ``Collected.systems`` (file order), or None when another cell of the row is
    bad: its id still counts for resolving names, the row is not imported."""


@dataclass
class Collected:
    """Records read so far, where each came from, and every problem found."""

    systems: SystemList = field(default_factory=SystemList)
    """Kept compactly (inventory.importing.compact): a sheet may hold hundreds of thousands."""
    refs: list[DependencyRef] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    system_places: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Ids given explicitly (including on rows with other problems) -> where."""
    problems: list[Problem] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    """Filled by :func:`inventory.importing.resolve.resolve` from ``refs``."""
    warnings: list[Problem] = field(default_factory=list)
    """Imported as written but worth a look (text a spreadsheet would run as a formula)."""
    state_dates: dict[int, dt.date] = field(default_factory=dict)
    """Index in ``systems`` -> the date its state was reached (a ``state_on`` column); by index,
    as a derived id may still change when names are resolved. See :meth:`dated_states`."""

    def dated_states(self) -> dict[str, dt.date]:
        """id -> the date its state was reached, once ids are final."""
        return {self.systems[i].id: day for i, day in self.state_dates.items() if i < len(self.systems)}

    def problem(self, file: str, cell: Cell | None, row: int, message: str, column: str = "-") -> None:
        self.problems.append(Problem(file, cell.row if cell else row, cell.column if cell else column, message))


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
    """One system from its cells (blank cells are left unset), plus its depends-on entries.

    With no id (no id column, or a blank id cell) the id is made from the name and the system is
    recorded as derived; clashes between derived ids are reported once everything is read.
    """
    data: dict[str, Any] = {}
    bad = False
    depends = cells.pop("depends_on", None)
    reached = _state_on(out, file, row, cells.pop("state_on", None))
    for name, cell in cells.items():
        if is_blank(cell.value):
            continue
        try:
            data[name] = parse_value(name, cell.value, mapping.values.get(name))
        except ValueError as exc:
            out.problem(file, cell, row, str(exc))
            bad = True
    derived = "id" not in data and not ("id" in cells and not is_blank(cells["id"].value)) and "name" in data
    if derived:
        made = slug(data["name"])
        if not made:
            name_cell = cells["name"]
            out.problem(file, name_cell, row, f"cannot make an id from the name '{data['name']}' (no letters or digits); give this row an id")
            return
        data["id"] = made
    if "id" in data and depends is not None and not is_blank(depends.value):
        values = depends.value if isinstance(depends.value, list) else split_items(text(depends.value), mapping.list_separator)
        for item in values:
            add_depends_on(out, file, row, data["id"], item, depends, mapping)
    if "name" not in data:
        if not ("name" in cells and not is_blank(cells["name"].value)):
            out.problem(file, cells.get("name"), row, "name is required", column="name")
        if "id" in data:
            out.system_places.setdefault(data["id"], (file, row))
        return
    if "id" not in data:  # the id cell was there but unreadable (already reported)
        return
    try:
        system = System(**data)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "-"
            msg = str(error["msg"]).removeprefix("Value error, ")
            out.problem(file, cells.get(name), row, msg, column=name)
        if not derived:
            out.system_places.setdefault(data["id"], (file, row))
        return
    if derived:
        name_cell = cells["name"]
        index = None if bad else len(out.systems)
        if not bad:
            if reached is not None:
                out.state_dates[len(out.systems)] = reached
            out.systems.append(system)
        out.derived.append(Derived(system.id, system.name, Place(file, name_cell.row, name_cell.column), index))
        return
    if system.id in out.system_places:
        first_file, first_row = out.system_places[system.id]
        out.problem(file, cells["id"], row, f"'{system.id}' is already on {first_file}:{first_row}")
        return
    out.system_places[system.id] = (file, row)
    if not bad:
        if reached is not None:
            out.state_dates[len(out.systems)] = reached
        out.systems.append(system)


def _state_on(out: Collected, file: str, row: int, cell: Cell | None) -> dt.date | None:
    """The date a row's state was reached: a date, not in the future."""
    if cell is None or is_blank(cell.value):
        return None
    try:
        day = parse_date(cell.value)
    except ValueError as exc:
        out.problem(file, cell, row, str(exc))
        return None
    if day > dt.date.today():
        out.problem(file, cell, row, f"{day.isoformat()} is in the future: a state is dated once it is reached")
        return None
    return day


def add_depends_on(out: Collected, file: str, row: int, source: str, item: Any, cell: Cell, mapping: Mapping) -> None:
    """A depends-on entry: ``target``, ``target (kind)`` or ``target (kind: description)``, or a YAML mapping.

    ``target`` is a system's id or its name.
    """
    place = Place(file, cell.row, cell.column)  # both ends' (one object: a sheet may hold hundreds of thousands)
    own = End(source, place, own=True)
    if isinstance(item, dict):
        cells = {k: Cell(v, f"{cell.column}.{k}", line_of(item, k) or cell.row) for k, v in item.items()}
        _add_ref(out, file, row, own, cells, mapping)
        return
    whole = text(item)
    split = _last_bracket(whole)
    if split is None:
        out.problem(file, cell, row, f"'{item}' is not 'system', 'system (kind)' or 'system (kind: description)'")
        return
    target, bracket = split
    kind_text, _, description = (bracket or "").partition(":")
    kind, kind_error = None, None
    if kind_text.strip():
        try:
            kind = parse_value("kind", kind_text.strip(), mapping.values.get("kind"))
        except ValueError as exc:
            kind_error = str(exc)
    out.refs.append(DependencyRef(own, End(target, place), kind, description.strip(), whole if bracket is not None else None, kind_error))


def _last_bracket(item: str) -> tuple[str, str | None] | None:
    """``Council Tax (Capita) (api: bills)`` -> (``Council Tax (Capita)``, ``api: bills``): the last
    balanced bracket group, if the item ends with one; None when nothing is left before it or the
    brackets do not balance."""
    item = item.strip()
    if not item.endswith(")"):
        return (item, None) if item and "(" not in item and ")" not in item else _named_with_brackets(item)
    depth = 0
    for index in range(len(item) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(item[index], 0)
        if depth == 0:
            before = item[:index].strip()
            return (before, item[index + 1 : -1]) if before else None
    return None


def _named_with_brackets(item: str) -> tuple[str, str | None] | None:
    """A name with brackets inside but not at the end (``Revenues (Capita) Portal``) is just a name."""
    return (item, None) if item and item.count("(") == item.count(")") else None


def add_dependency(out: Collected, file: str, row: int, cells: dict[str, Cell], mapping: Mapping) -> None:
    """A row of a dependencies sheet (or a YAML ``dependencies:`` entry): source and target by id or name."""
    source = cells.pop("source", None)
    for name, cell in (("source", source), ("target", cells.get("target"))):
        if cell is None or is_blank(cell.value):
            out.problem(file, cell, row, f"{name} is required", column=name)
            return
    assert source is not None
    _add_ref(out, file, row, End(text(source.value), Place(file, source.row, source.column)), cells, mapping)


def _add_ref(out: Collected, file: str, row: int, source: End, cells: dict[str, Cell], mapping: Mapping) -> None:
    kind: DependencyKind | None = None
    description = ""
    bad = False
    for name, cell in cells.items():
        if name not in ("target", "kind", "description"):
            out.problem(file, cell, row, f"unknown dependency field '{name}'; use target, kind, description")
            bad = True
            continue
        if is_blank(cell.value) or name == "target":
            continue
        try:
            value = parse_value(name, cell.value, mapping.values.get(name))
        except ValueError as exc:
            out.problem(file, cell, row, str(exc))
            bad = True
            continue
        if name == "kind":
            kind = value
        else:
            description = value
    target = cells.get("target")
    if target is None or is_blank(target.value):
        out.problem(file, target, row, "target is required", column="target")
        return
    if not bad:
        out.refs.append(DependencyRef(source, End(text(target.value), Place(file, target.row, target.column)), kind, description))


__all__ = ["Cell", "Collected", "DependencyRef", "Derived", "End", "Place", "add_system", "add_dependency", "parse_id", "split_items"]
