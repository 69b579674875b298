"""CSV and XLSX sheets: headers mapped to fields, rows handed on as located cells.

Row numbers are the spreadsheet's own (the header is row 1), and columns are named by the
header the council wrote, so ``file:row:column`` points at the very cell to fix.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inventory.errors import ImportFileError, Problem
from inventory.formulas import unescaped
from inventory.importing.mapping import DEPENDENCY_COLUMNS, SYSTEM_COLUMNS, Mapping
from inventory.importing.records import Cell, Collected, add_dependency, add_system
from inventory.importing.values import is_blank, warn_formulas


@dataclass
class Sheet:
    label: str
    name: str
    headers: list[Any]
    rows: list[tuple[int, list[Any]]]
    header_row: int = 1


TITLE_ROWS_MAX = 10
"""How far down a sheet its header row is looked for, past title and blank rows."""


MAX_CELL_CHARS = 100_000
"""The longest cell read at all; the model bounds each field far lower (see inventory.register.model)."""


def read_csv(path: Path) -> list[Sheet]:
    """A CSV file as one sheet, refusing at its row what would silently lose data.

    UTF-8, or Windows-1252 (Excel's "CSV" on a UK Windows desktop); binary and UTF-16 are refused.
    csv's strict mode refuses text after a closing quote and a quote never closed; a quoted
    cell that swallowed what look like whole rows (a stray quote closed rows later) is refused too.
    A cell export wrote with a quote before a formula character is read back as it was.
    """
    from yamlsafe import YamlInputError, decode

    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError([Problem(label, 0, "-", f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        content = decode(raw, label, fallback="cp1252")
    except YamlInputError as exc:
        raise ImportFileError([Problem(label, exc.line, "-", exc.message)], exc.hint) from None
    records, multiline = _csv_records(content, label)
    if not records:
        return [Sheet(label, path.stem, [], [])]
    headers = records[0][1]
    problems = [p for i in multiline for p in _swallowed_rows(label, i + 1, records[i][0], records[i][1], headers)]
    if problems:
        raise ImportFileError(problems, "close the quote, or quote the whole cell (a quote inside a cell is written twice)")
    rows = [(i + 2, [unescaped(c) if c[:1] == "'" else c for c in r]) for i, (_, r) in enumerate(records[1:])]
    return [Sheet(label, path.stem, headers, rows)]


def _csv_records(content: str, label: str) -> tuple[list[tuple[int, list[str]]], list[int]]:
    """(first physical line, cells) of each record, and the indexes of records over several lines;
    a malformed record is refused at its row."""
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    multiline: list[int] = []
    line = 1
    previous = csv.field_size_limit(len(content) + 1)  # never csv's own 128 KiB error: cells are bounded below
    try:
        for cells in reader:
            records.append((line, cells))
            if reader.line_num > line:
                multiline.append(len(records) - 1)
            line = reader.line_num + 1
    except csv.Error as exc:
        reason, column = str(exc), "-"
        if "unexpected end of data" in reason:
            reason = f"a quote opened on line {line} is never closed (it swallows the rest of the file)"
            column = _unclosed_column(content, line, records[0][1] if records else [])
        elif "expected after" in reason:
            reason = "text after a closing quote"
        raise ImportFileError(
            [Problem(label, len(records) + 1, column, f"not valid CSV: {reason}")],
            "quote the whole cell, and write a quote inside it twice",
        ) from None
    finally:
        csv.field_size_limit(previous)
    return records, multiline


def _unclosed_column(content: str, line: int, headers: list[str]) -> str:
    """The header of the cell whose quote is never closed: the last cell of the record from ``line``."""
    rest = "".join(itertools.islice(io.StringIO(content, newline=""), line - 1, None))
    cells = next(csv.reader(io.StringIO(rest, newline="")), [])
    index = len(cells) - 1
    return str(headers[index]) if 0 <= index < len(headers) and headers[index] and line > 1 else f"column {index + 1}"


def _swallowed_rows(label: str, row: int, line: int, cells: list[str], headers: list[str]) -> list[Problem]:
    """A quoted cell running over lines that hold as many separators as a whole row: rows lost to a stray quote."""
    if len(headers) < 2:
        return []
    problems = []
    for index, cell in enumerate(cells):
        if "\n" not in cell:
            continue
        inner = cell.split("\n")[1:]
        if any(part.count(",") >= len(headers) - 1 for part in inner):
            column = headers[index] if index < len(headers) and row > 1 else f"column {index + 1}"
            problems.append(Problem(label, row, column or f"column {index + 1}",
                                    f"a quoted cell from line {line} runs over {len(inner) + 1} lines holding what look like "
                                    "whole rows: an unbalanced quote?"))
    return problems


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


def _below_titles(sheet: Sheet, mapping: Mapping) -> Sheet:
    """The sheet read from its header row: councils often put a title (and blank rows) above the
    headers. Used only when row 1 names no known column, and only past rows holding one cell at
    most, so a data row is never mistaken for a title."""
    def known(cells: list[Any]) -> int:
        labels = [str(c).strip() for c in cells if not is_blank(c)]
        return sum(1 for label in labels if mapping.field_for(label) is not None or mapping.ignored(label))

    if known(sheet.headers) or sum(not is_blank(c) for c in sheet.headers) > 1:
        return sheet
    for index, (row_no, values) in enumerate(sheet.rows[:TITLE_ROWS_MAX]):
        if known(values) >= 2:
            return Sheet(sheet.label, sheet.name, values, sheet.rows[index + 1:], header_row=row_no)
        if sum(not is_blank(c) for c in values) > 1:
            break
    return sheet


def _collect_sheet(sheet: Sheet, mapping: Mapping, out: Collected) -> None:
    sheet = _below_titles(sheet, mapping)
    fields: dict[int, str] = {}
    labels: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, header in enumerate(sheet.headers):
        label = "" if header is None else str(header).strip()
        if not label:
            if any(index < len(r) and not is_blank(r[index]) for _, r in sheet.rows):
                out.problems.append(Problem(sheet.label, sheet.header_row, f"column {index + 1}", "values under an empty header"))
            continue
        if mapping.ignored(label):
            continue
        name = mapping.field_for(label)
        if name is None:
            out.problems.append(Problem(sheet.label, sheet.header_row, label, "unknown column; map it under columns: or list it under ignore: in a mapping file"))
            continue
        if name in seen:
            out.problems.append(Problem(sheet.label, sheet.header_row, label, f"'{seen[name]}' already fills {name}"))
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
            Problem(sheet.label, sheet.header_row, "-", "neither a systems sheet (no id or name column) nor a dependencies sheet (no source and target columns)")
        )
        return
    for index, name in list(fields.items()):
        if name not in allowed:
            out.problems.append(Problem(sheet.label, sheet.header_row, labels[index], f"{name} is not a column of a {kind} sheet"))
            del fields[index]

    for row_no, values in sheet.rows:
        if all(is_blank(v) for v in values):
            continue
        if _refused_cells(sheet, row_no, values, out):
            continue
        warn_formulas(out, sheet.label, [(row_no, labels[i], values[i]) for i in fields if i < len(values)])
        cells = {name: Cell(values[i] if i < len(values) else None, labels[i], row_no) for i, name in fields.items()}
        if kind == "systems":
            add_system(out, sheet.label, row_no, cells, mapping)
        else:
            add_dependency(out, sheet.label, row_no, cells, mapping)


def _refused_cells(sheet: Sheet, row_no: int, values: list[Any], out: Collected) -> bool:
    """A row with a value beyond the last header, or a cell too long to be a value, is refused
    rather than cut: either way data would be lost without a word."""
    refused = False
    for index in range(len(sheet.headers), len(values)):
        if not is_blank(values[index]):
            out.problems.append(Problem(sheet.label, row_no, f"column {index + 1}",
                                        f"a value beyond the last header ({len(sheet.headers)} headers): "
                                        f"'{str(values[index])[:40]}'; a separator too many?"))
            refused = True
            break
    for index, value in enumerate(values):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            header = sheet.headers[index] if index < len(sheet.headers) and sheet.headers[index] else f"column {index + 1}"
            out.problems.append(Problem(sheet.label, row_no, str(header),
                                        f"a cell of {len(value):,} characters; a cell holds at most {MAX_CELL_CHARS:,}"))
            refused = True
    return refused
