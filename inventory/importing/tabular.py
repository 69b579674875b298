"""CSV and XLSX sheets: headers mapped to fields, rows handed on as located cells.

Row numbers are the spreadsheet's own (the header is row 1), and columns are named by the
header the council wrote, so ``file:row:column`` points at the very cell to fix.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
    rows: Iterable[tuple[int, list[Any]]]
    """(row number, cells), read once and as they are needed: a sheet may be hundreds of MB."""
    header_row: int = 1
    hidden: str = ""
    """``hidden`` or ``veryHidden`` for a workbook's sheet Excel does not show."""


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
    The whole file is checked before any row is handed on; the rows are then parsed one at a
    time as they are used, so only the text of the file is held, never all its rows.
    """
    from yamlsafe import YamlInputError, decode
    from yamlsafe.inputs import InputFileError, read_input

    label = str(path)
    try:
        raw = read_input(path, "sheet")
    except InputFileError as exc:
        raise ImportFileError([Problem(label, 0, "-", exc.message.removeprefix(f"{label}: "))], exc.hint) from None
    try:
        content = decode(raw, label, fallback="cp1252")
    except YamlInputError as exc:
        raise ImportFileError([Problem(label, exc.line, "-", exc.message)], exc.hint) from None
    del raw
    delimiter = separator(content)
    headers = _checked_csv(content, label, delimiter)
    if headers is None:
        return [Sheet(label, path.stem, [], [])]
    return [Sheet(label, path.stem, headers, _csv_rows(content, delimiter))]


def _csv_rows(content: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The records after the header, one at a time (``_checked_csv`` has read them all once)."""
    reader = csv.reader(_lines(content), strict=True, delimiter=delimiter)
    previous = csv.field_size_limit(len(content) + 1)
    try:
        next(reader, None)
        for row_no, cells in enumerate(reader, start=2):
            yield row_no, [unescaped(c) if c[:1] == "'" else c for c in cells]
    finally:
        csv.field_size_limit(previous)


SEPARATORS = (",", ";", "\t")


def separator(content: str) -> str:
    """The CSV's separator: ``,``, or ``;`` (Excel's "CSV" where the decimal mark is a comma) or a
    tab, whichever the first lines (the header, past any title) hold most of outside quotes."""
    best, most = ",", 0
    head = _head(content, TITLE_ROWS_MAX + 1)
    lines = [line for line in itertools.islice(io.StringIO(head, newline=""), TITLE_ROWS_MAX + 1) if line.strip()]
    for candidate in SEPARATORS:
        count = max((_unquoted(line).count(candidate) for line in lines), default=0)
        if count > most:
            best, most = candidate, count
    return best


def _head(content: str, lines: int) -> str:
    """The start of ``content`` holding its first ``lines`` lines whole (``io.StringIO`` would copy
    the whole text at four bytes a character to read them)."""
    ends = 0
    for match in _LINE_END.finditer(content):
        ends += 1
        if ends > 2 * lines + 1:  # a line ends at one or two of these characters
            return content[:match.start()]
    return content


_LINE_END = re.compile(r"[\r\n]")


def _unquoted(line: str) -> str:
    return "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)


def _lines(content: str) -> Iterator[str]:
    """The lines of ``content`` with their endings, as csv wants them (``newline=""``), without
    the copy of the whole text ``io.StringIO`` makes (four bytes a character)."""
    end_of_line = "\n" if "\n" in content or "\r" not in content else "\r"
    start = 0
    while start < len(content):
        end = content.find(end_of_line, start)
        if end < 0:
            yield content[start:]
            return
        yield content[start:end + 1]
        start = end + 1


def _checked_csv(content: str, label: str, delimiter: str = ",") -> list[str] | None:
    """The header of a CSV whose every record reads, or None for an empty file: a malformed
    record, or rows a stray quote swallowed, are refused at their row before any row is used.
    Records are read and let go: only the header is kept."""
    reader = csv.reader(_lines(content), strict=True, delimiter=delimiter)
    headers: list[str] | None = None
    problems: list[Problem] = []
    count = 0
    line = 1
    previous = csv.field_size_limit(len(content) + 1)  # never csv's own 128 KiB error: cells are bounded below
    try:
        for cells in reader:
            count += 1
            if headers is None:
                headers = cells
            if reader.line_num > line:
                problems += _swallowed_rows(label, count, line, cells, headers, delimiter)
            line = reader.line_num + 1
    except csv.Error as exc:
        reason, column = str(exc), "-"
        if "unexpected end of data" in reason:
            reason = f"a quote opened on line {line} is never closed (it swallows the rest of the file)"
            column = _unclosed_column(content, line, headers or [], delimiter)
        elif "expected after" in reason:
            reason = "text after a closing quote"
        raise ImportFileError(
            [Problem(label, count + 1, column, f"not valid CSV: {reason}")],
            "quote the whole cell, and write a quote inside it twice",
        ) from None
    finally:
        csv.field_size_limit(previous)
    if problems:
        raise ImportFileError(problems, "close the quote, or quote the whole cell (a quote inside a cell is written twice)")
    return headers


def _unclosed_column(content: str, line: int, headers: list[str], delimiter: str = ",") -> str:
    """The header of the cell whose quote is never closed: the last cell of the record from ``line``."""
    rest = "".join(itertools.islice(io.StringIO(content, newline=""), line - 1, None))
    cells = next(csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter), [])
    index = len(cells) - 1
    return str(headers[index]) if 0 <= index < len(headers) and headers[index] and line > 1 else f"column {index + 1}"


def _swallowed_rows(label: str, row: int, line: int, cells: list[str], headers: list[str], delimiter: str = ",") -> list[Problem]:
    """A quoted cell running over lines that hold as many separators as a whole row: rows lost to a stray quote."""
    if len(headers) < 2:
        return []
    problems = []
    for index, cell in enumerate(cells):
        if "\n" not in cell:
            continue
        inner = cell.split("\n")[1:]
        if any(part.count(delimiter) >= len(headers) - 1 for part in inner):
            column = headers[index] if index < len(headers) and row > 1 else f"column {index + 1}"
            problems.append(Problem(label, row, column or f"column {index + 1}",
                                    f"a quoted cell from line {line} runs over {len(inner) + 1} lines holding what look like "
                                    "whole rows: an unbalanced quote?"))
    return problems


EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!"})
"""What Excel shows (and caches, and exports to CSV) where a formula failed."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")


def _not_a_zip(path: Path) -> str | None:
    """Why an .xlsx that is an OLE2 file cannot be read: Excel saves a password-protected workbook
    as an encrypted OLE2 container (with an ``EncryptionInfo`` stream), and 97-2003 workbooks
    are OLE2 too."""
    try:
        with open(path, "rb") as handle:
            if handle.read(8) != _OLE_MAGIC:
                return None
            handle.seek(0)
            head = handle.read(4 * 1024 * 1024)
    except OSError:
        return None
    if _ENCRYPTED_STREAM in head:
        return "the workbook is password-protected (encrypted): borough cannot read it; save a copy without the password"
    return "an Excel 97-2003 workbook (.xls), not .xlsx: save it as an Excel Workbook (.xlsx)"


@contextmanager
def open_xlsx(path: Path) -> Iterator[list[Sheet]]:
    """The workbook's sheets, their rows read from the file as they are used (openpyxl's
    read-only mode), while the ``with`` block lasts."""
    from openpyxl import load_workbook

    ole = _not_a_zip(path)
    if ole:
        raise ImportFileError([Problem(str(path), 0, "-", ole)]) from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ImportFileError([Problem(str(path), 0, "-", f"not a readable XLSX workbook: {exc}")]) from None
    try:
        sheets = []
        for ws in book.worksheets:
            rows = ws.iter_rows(values_only=True)
            first = next(rows, None)
            state = ws.sheet_state if ws.sheet_state in ("hidden", "veryHidden") else ""
            numbered = ((row_no, list(r)) for row_no, r in enumerate(rows, start=2)) if first is not None else iter(())
            sheets.append(Sheet(f"{path}[{ws.title}]", ws.title, list(first or ()), numbered, hidden=state))
        yield sheets
    finally:
        book.close()


def collect_sheets(sheets: list[Sheet], mapping: Mapping, out: Collected, workbook: bool = False,
                   chosen: frozenset[str] = frozenset()) -> None:
    """Read every sheet, or, in a workbook whose sheets ``--sheet`` (``chosen``) or the mapping
    names, only those. A hidden sheet (often last year's or retired systems) is read only when
    named; otherwise it is skipped with a warning naming it."""
    named = ({s for s in (mapping.systems_sheet, mapping.dependencies_sheet) if s} | set(chosen)) if workbook else set()
    for sheet in sheets:
        if named and sheet.name not in named:
            continue
        if sheet.hidden and sheet.name not in named:
            state = "very hidden" if sheet.hidden == "veryHidden" else "hidden"
            out.warnings.append(Problem(sheet.label, 0, "-", f"the sheet '{sheet.name}' is {state} in Excel: skipped; "
                                        f"import it with --sheet '{sheet.name}'"))
            continue
        if not sheet.headers and not _has_rows(sheet):
            continue
        _collect_sheet(sheet, mapping, out)
    missing = sorted(named - {s.name for s in sheets})
    for name in missing:
        label = sheets[0].label.split("[")[0] if sheets else "-"
        by = "--sheet names it" if name in chosen else "the mapping file names it"
        out.problems.append(Problem(label, 0, "-", f"no sheet named '{name}' ({by})"))


def _has_rows(sheet: Sheet) -> bool:
    """Whether any row is left, without losing it."""
    rows = iter(sheet.rows)
    first = next(rows, None)
    if first is None:
        return False
    sheet.rows = itertools.chain([first], rows)
    return True


def _below_titles(sheet: Sheet, mapping: Mapping) -> Sheet:
    """The sheet read from its header row: councils often put a title (and blank rows) above the
    headers. Used only when row 1 names no known column, and only past rows holding one cell at
    most, so a data row is never mistaken for a title."""
    def known(cells: list[Any]) -> int:
        labels = [str(c).strip() for c in cells if not is_blank(c)]
        return sum(1 for label in labels if mapping.field_for(label) is not None or mapping.ignored(label))

    if known(sheet.headers) or sum(not is_blank(c) for c in sheet.headers) > 1:
        return sheet
    rows = iter(sheet.rows)
    head = list(itertools.islice(rows, TITLE_ROWS_MAX))
    sheet.rows = itertools.chain(head, rows)
    for index, (row_no, values) in enumerate(head):
        if known(values) >= 2:
            sheet.rows = itertools.chain(head[index + 1:], rows)
            sheet.headers, sheet.header_row = values, row_no
            return sheet
        if sum(not is_blank(c) for c in values) > 1:
            break
    return sheet


def _collect_sheet(sheet: Sheet, mapping: Mapping, out: Collected) -> None:
    sheet = _below_titles(sheet, mapping)
    fields: dict[int, str] = {}
    labels: dict[int, str] = {}
    seen: dict[str, str] = {}
    unnamed: list[tuple[int, int]] = []
    """(place in ``out.problems``, column) of each empty header: reported there if any row has a
    value under it, which is known only once the rows are read."""
    for index, header in enumerate(sheet.headers):
        label = "" if header is None else str(header).strip()
        if not label:
            unnamed.append((len(out.problems), index))
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
        filled = _filled_columns(sheet.rows, {index for _, index in unnamed})
        _report_unnamed(sheet, out, unnamed, filled)
        out.problems.append(
            Problem(sheet.label, sheet.header_row, "-", "neither a systems sheet (no id or name column) nor a dependencies sheet (no source and target columns)")
        )
        return
    for index, name in list(fields.items()):
        if name not in allowed:
            out.problems.append(Problem(sheet.label, sheet.header_row, labels[index], f"{name} is not a column of a {kind} sheet"))
            del fields[index]

    empty = {index for _, index in unnamed}
    filled: set[int] = set()
    for row_no, values in sheet.rows:
        if empty:
            filled |= _filled_columns([(row_no, values)], empty - filled)
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
    _report_unnamed(sheet, out, unnamed, filled)


def _filled_columns(rows: Iterable[tuple[int, list[Any]]], columns: set[int]) -> set[int]:
    """Which of ``columns`` hold a value in some row."""
    filled: set[int] = set()
    for _, values in rows:
        filled |= {i for i in columns - filled if i < len(values) and not is_blank(values[i])}
    return filled


def _report_unnamed(sheet: Sheet, out: Collected, unnamed: list[tuple[int, int]], filled: set[int]) -> None:
    """Report "values under an empty header" at the place among the header's problems it was found."""
    for place, index in reversed([(place, index) for place, index in unnamed if index in filled]):
        out.problems.insert(place, Problem(sheet.label, sheet.header_row, f"column {index + 1}", "values under an empty header"))


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
        if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
            header = sheet.headers[index] if index < len(sheet.headers) and sheet.headers[index] else f"column {index + 1}"
            out.problems.append(Problem(sheet.label, row_no, str(header),
                                        f"the Excel error value {value.strip()}: the formula behind this cell failed; "
                                        "fix it in the workbook, or type the value"))
            refused = True
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            header = sheet.headers[index] if index < len(sheet.headers) and sheet.headers[index] else f"column {index + 1}"
            out.problems.append(Problem(sheet.label, row_no, str(header),
                                        f"a cell of {len(value):,} characters; a cell holds at most {MAX_CELL_CHARS:,}"))
            refused = True
    return refused
