"""CSV and XLSX sheets: headers mapped to fields, rows handed on as located cells.

Row numbers are the spreadsheet's own (the header is row 1), and columns are named by the
header the council wrote, so ``file:row:column`` points at the very cell to fix.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inventory.errors import ImportFileError, Problem
from inventory.importing.mapping import DEPENDENCY_COLUMNS, SYSTEM_COLUMNS, Mapping
from inventory.importing.records import Cell, Collected, add_dependency, add_system
from inventory.importing.values import is_blank


@dataclass
class Sheet:
    label: str
    name: str
    headers: list[Any]
    rows: list[tuple[int, list[Any]]]


def read_csv(path: Path) -> list[Sheet]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError([Problem(str(path), 0, "-", f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on a UK Windows desktop
    records = list(csv.reader(io.StringIO(content, newline="")))
    if not records:
        return [Sheet(str(path), path.stem, [], [])]
    return [Sheet(str(path), path.stem, records[0], [(i + 2, r) for i, r in enumerate(records[1:])])]


def read_xlsx(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ImportFileError([Problem(str(path), 0, "-", f"not a readable XLSX workbook: {exc}")]) from None
    sheets = []
    try:
        for ws in book.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            headers = list(rows[0]) if rows else []
            sheets.append(Sheet(f"{path}[{ws.title}]", ws.title, headers, [(i + 2, list(r)) for i, r in enumerate(rows[1:])]))
    finally:
        book.close()
    return sheets


def collect_sheets(sheets: list[Sheet], mapping: Mapping, out: Collected, workbook: bool = False) -> None:
    """Read every sheet, or, in a workbook whose sheets the mapping names, only those."""
    named = {s for s in (mapping.systems_sheet, mapping.dependencies_sheet) if s} if workbook else set()
    for sheet in sheets:
        if named and sheet.name not in named:
            continue
        if not sheet.headers and not sheet.rows:
            continue
        _collect_sheet(sheet, mapping, out)
    missing = sorted(named - {s.name for s in sheets})
    for name in missing:
        label = sheets[0].label.split("[")[0] if sheets else "-"
        out.problems.append(Problem(label, 0, "-", f"no sheet named '{name}' (the mapping file names it)"))


def _collect_sheet(sheet: Sheet, mapping: Mapping, out: Collected) -> None:
    fields: dict[int, str] = {}
    labels: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, header in enumerate(sheet.headers):
        label = "" if header is None else str(header).strip()
        if not label:
            if any(index < len(r) and not is_blank(r[index]) for _, r in sheet.rows):
                out.problems.append(Problem(sheet.label, 1, f"column {index + 1}", "values under an empty header"))
            continue
        if mapping.ignored(label):
            continue
        name = mapping.field_for(label)
        if name is None:
            out.problems.append(Problem(sheet.label, 1, label, "unknown column; map it under columns: or list it under ignore: in a mapping file"))
            continue
        if name in seen:
            out.problems.append(Problem(sheet.label, 1, label, f"'{seen[name]}' already fills {name}"))
            continue
        seen[name] = label
        fields[index] = name
        labels[index] = label

    names = set(fields.values())
    if "id" in names or sheet.name == mapping.systems_sheet:
        kind, allowed = "systems", set(SYSTEM_COLUMNS)
    elif {"source", "target"} <= names or sheet.name == mapping.dependencies_sheet:
        kind, allowed = "dependencies", set(DEPENDENCY_COLUMNS)
    elif "name" in names:  # a register of names only: ids are made from the names
        kind, allowed = "systems", set(SYSTEM_COLUMNS)
    else:
        out.problems.append(
            Problem(sheet.label, 1, "-", "neither a systems sheet (no id or name column) nor a dependencies sheet (no source and target columns)")
        )
        return
    for index, name in list(fields.items()):
        if name not in allowed:
            out.problems.append(Problem(sheet.label, 1, labels[index], f"{name} is not a column of a {kind} sheet"))
            del fields[index]

    for row_no, values in sheet.rows:
        if all(is_blank(v) for v in values):
            continue
        cells = {name: Cell(values[i] if i < len(values) else None, labels[i], row_no) for i, name in fields.items()}
        if kind == "systems":
            add_system(out, sheet.label, row_no, cells, mapping)
        else:
            add_dependency(out, sheet.label, row_no, cells, mapping)
