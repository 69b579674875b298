"""The YAML (and JSON) estate form: ``systems:`` with optional ``depends_on:``, and ``dependencies:``.

The same form is what ``borough inventory export --format yaml|json`` writes. Problems name the
line of the offending key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inventory.errors import ImportFileError, Problem
from inventory.importing.mapping import Mapping
from inventory.importing.records import Cell, Collected, add_dependency, add_system
from inventory.importing.values import warn_formulas
from inventory.importing.yamlio import line_of, load

TOP_LEVEL = {"systems", "dependencies"}


def collect_yaml(path: Path, mapping: Mapping, out: Collected) -> None:
    label = str(path)
    data = load(path, label)
    if data is None:
        return
    if not isinstance(data, dict):
        raise ImportFileError([Problem(label, 1, "-", "expected a mapping with systems: and dependencies:")])
    for key in sorted(set(data) - TOP_LEVEL, key=str):
        out.problems.append(Problem(label, line_of(data, key), str(key), "unknown key; expected systems: or dependencies:"))
    for section, handler in (("systems", _system), ("dependencies", _dependency)):
        items = data.get(section) or []
        if not isinstance(items, list):
            out.problems.append(Problem(label, line_of(data, section), section, "expected a list"))
            continue
        for item in items:
            if not isinstance(item, dict):
                out.problems.append(Problem(label, line_of(data, section), section, f"expected a mapping, got '{item}'"))
                continue
            handler(out, label, item, mapping)


def _cells(item: dict[str, Any], allowed: set[str], label: str, out: Collected) -> dict[str, Cell]:
    cells = {}
    for key, value in item.items():
        name = str(key)
        if name not in allowed:
            out.problems.append(Problem(label, line_of(item, key), name, "unknown field"))
            continue
        cells[name] = Cell(value, name, line_of(item, key))
    warn_formulas(out, label, [(cell.row, cell.column, cell.value) for cell in cells.values()])
    return cells


def _system(out: Collected, label: str, item: dict[str, Any], mapping: Mapping) -> None:
    from inventory.importing.mapping import SYSTEM_COLUMNS

    cells = _cells(item, set(SYSTEM_COLUMNS), label, out)
    add_system(out, label, line_of(item), cells, mapping)


def _dependency(out: Collected, label: str, item: dict[str, Any], mapping: Mapping) -> None:
    from inventory.importing.mapping import DEPENDENCY_COLUMNS

    cells = _cells(item, set(DEPENDENCY_COLUMNS), label, out)
    add_dependency(out, label, line_of(item), cells, mapping)
