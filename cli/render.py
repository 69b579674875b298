"""Generic renderers for tabular results (table, json, csv, markdown).

Core packages return their own records; anything with ``title``, ``columns`` and ``rows``
(a sequence of sequences) can be rendered here. Domain formats (SARIF, JUnit) live with the
domain that owns them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from cli.common import OutputFormat, dumps_json


class TableLike(Protocol):
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


@dataclass
class Table:
    """A table the CLI assembles itself (core packages return their own records)."""

    title: str
    columns: list[str]
    rows: list[list[Any]]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def _csv_cell(value: Any) -> str:
    """Text (names, notes: data people typed) that a spreadsheet would run as a formula gets a
    leading quote, as OWASP advises; numbers are ours and stay numbers."""
    from inventory.formulas import escaped

    text = _cell(value)
    return escaped(text) if isinstance(value, str) else text


def render_tables(tables: Sequence[TableLike], fmt: OutputFormat) -> str:
    if fmt is OutputFormat.json:
        return dumps_json([
            {"title": t.title, "rows": [dict(zip(t.columns, [_json_value(v) for v in row])) for row in t.rows]}
            for t in tables
        ])
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        for index, t in enumerate(tables):
            if len(tables) > 1:
                if index:
                    buf.write("\n")
                writer.writerow([f"# {t.title}"])
            writer.writerow(t.columns)
            writer.writerows([[_csv_cell(v) for v in row] for row in t.rows])
        return buf.getvalue()
    if fmt is OutputFormat.markdown:
        parts = []
        for t in tables:
            parts.append(f"### {t.title}\n")
            parts.append("| " + " | ".join(t.columns) + " |")
            parts.append("|" + "|".join("---" for _ in t.columns) + "|")
            for row in t.rows:
                parts.append("| " + " | ".join(_cell(v).replace("|", "\\|") for v in row) + " |")
            parts.append("")
        return "\n".join(parts) + "\n"
    return _rich_tables(tables)


def _json_value(value: Any) -> Any:
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def table_width() -> int:
    """The width tables are laid out in: ``COLUMNS`` if set, else the terminal's when stdout is
    one, else 160 (a file or a pipe: wide enough for a review; ids are never cut anyway)."""
    import os
    import sys

    raw = os.environ.get("COLUMNS", "").strip()
    if raw.isdigit() and int(raw) > 0:
        return max(40, int(raw))
    try:
        if sys.stdout.isatty():
            return max(40, os.get_terminal_size(sys.stdout.fileno()).columns)
    except (AttributeError, ValueError, OSError):
        pass
    return 160


_ID_WORDS = {"id", "ids", "urn", "check", "rule", "stack", "system"}
_WHOLE_WORD = 24
"""Other columns keep words up to this long whole (a stack's environment, a state), wrapping between words."""


def _is_id(column: str) -> bool:
    """An identifier column (``id``, ``system id``, ``check``): its values are never cut or split;
    other text wraps instead."""
    words = column.lower().replace("_", " ").replace("-", " ").split()
    return bool(words) and (words[-1] in _ID_WORDS or words[0] == "id")


def _least_width(column: str, values: list[str]) -> int:
    """An id column's longest value; another column's longest word (up to ``_WHOLE_WORD``)."""
    if _is_id(column):
        return max([len(column)] + [len(v) for v in values])
    return min(_WHOLE_WORD, max([len(w) for w in column.split()] + [len(w) for v in values for w in v.split()]))


def _unicode_stdout() -> bool:
    import sys

    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8", "utf-16", "utf-32")


def _rich_tables(tables: Sequence[TableLike]) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(file=io.StringIO(), width=table_width(), force_terminal=False, color_system=None,
                      legacy_windows=False)
    frame = box.HEAVY_HEAD if _unicode_stdout() else box.ASCII2
    for t in tables:
        table = Table(title=t.title, title_justify="left", box=frame)
        cells = [[_cell(v) for v in row] for row in t.rows]
        widths = [_least_width(column, [row[index] for row in cells if index < len(row)]) for index, column in enumerate(t.columns)]
        whole_words = sum(widths) + 3 * len(widths) + 1 <= console.width  # else words fold to fit the terminal
        for column, width in zip(t.columns, widths):
            if _is_id(column):
                table.add_column(column, no_wrap=True, min_width=width, overflow="ignore")
            else:
                table.add_column(column, overflow="fold", min_width=width if whole_words else None)
        for row in cells:
            table.add_row(*row)
        console.print(table, crop=False)  # a table wider than the terminal loses no column
    return console.file.getvalue()  # type: ignore[attr-defined]


def render_sections_csv(tables: Sequence[TableLike]) -> str:
    """Several tables as one CSV that names each row's section in its first column (a spreadsheet
    filters on it); each table starts with its own header row, after a blank line."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for index, t in enumerate(tables):
        if index:
            buf.write("\n")
        writer.writerow(["section", *t.columns])
        writer.writerows([[t.title, *[_csv_cell(v) for v in row]] for row in t.rows])
    return buf.getvalue()

