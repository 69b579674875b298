"""Writing the register out as CSV, XLSX, YAML or JSON, in the forms the importer reads back.

CSV carries dependencies in a ``depends_on`` column (``target (kind: description)``, separated by
``;``); XLSX has a Systems and a Dependencies sheet; YAML and JSON have ``systems:`` and
``dependencies:``. Output is ordered by id, so the same register exports to the same bytes.
Text a spreadsheet would run as a formula is written as text (:mod:`inventory.formulas`).

JSON and YAML are :class:`ExportRecord` (the type ``docs/schemas/inventory-export.schema.json`` is
generated from, :mod:`cli.schemas`): a system is the record ``inventory list`` writes, less the
store's ``version_no``, so scripts meet one system shape everywhere.
"""

from __future__ import annotations

import csv
import io
import json
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import Field, TypeAdapter
from pydantic.json_schema import SkipJsonSchema

from inventory.formulas import escaped, formula_like
from inventory.register.model import USER_FIELDS, Dependency, Estate, System
from inventory.reports.records import Record
from inventory.views import DependencyRecord, SystemRecord, as_record


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    yaml = "yaml"
    json = "json"


class ExportedSystem(SystemRecord):
    """A system as export writes it: every field ``inventory list`` writes but ``version_no`` (the
    store's counter, not register data)."""

    version_no: SkipJsonSchema[int] = Field(default=0, exclude=True)


class ExportRecord(Record):
    """The whole register in the form ``inventory import`` reads back."""

    systems: tuple[ExportedSystem, ...]
    """By id."""
    dependencies: tuple[DependencyRecord, ...]
    """By source, then target."""


EXPORT = TypeAdapter(ExportRecord)


def _records(estate: Estate) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Systems and dependencies as JSON values, dumped through :class:`ExportRecord` (no second validation)."""
    systems = [as_record(ExportedSystem, s) for s in sorted(estate.systems, key=lambda s: s.id)]
    deps = [as_record(DependencyRecord, d) for d in sorted(estate.dependencies, key=lambda d: (d.source, d.target))]
    dumped = EXPORT.dump_python(ExportRecord.model_construct(systems=tuple(systems), dependencies=tuple(deps)), mode="json")
    return dumped["systems"], dumped["dependencies"]


def _depends_on(deps: list[Dependency]) -> str:
    items = []
    for dep in deps:
        inner = dep.kind.value + (f": {dep.description}" if dep.description else "")
        items.append(f"{dep.target} ({inner})")
    return "; ".join(items)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def _csv_cell(value: Any) -> Any:
    cell = _cell(value)
    return escaped(cell) if isinstance(cell, str) else cell


def export_estate(estate: Estate, fmt: ExportFormat | str, mapping: Path | None = None) -> str | bytes:
    """The estate in ``fmt``: text for csv/yaml/json, bytes for xlsx (under the mapping's headings when given)."""
    from inventory.bulk import paused_gc

    with paused_gc():
        return _export(estate, ExportFormat(fmt), mapping)


def _export(estate: Estate, fmt: ExportFormat, mapping: Path | None = None) -> str | bytes:
    systems, deps = _records(estate)
    if fmt is ExportFormat.json:
        return json.dumps({"systems": systems, "dependencies": deps}, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    if fmt is ExportFormat.yaml:
        import yaml

        compact = [{k: v for k, v in s.items() if v not in (None, "")} for s in systems]
        deps_compact = [{k: v for k, v in d.items() if v != ""} for d in deps]
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return yaml.dump({"systems": compact, "dependencies": deps_compact}, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)
    ordered = sorted(estate.systems, key=lambda s: s.id)
    all_deps = sorted(estate.dependencies, key=lambda d: (d.source, d.target))
    if fmt is ExportFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([*USER_FIELDS, "depends_on"])
        by_source: dict[str, list[Dependency]] = {}
        for dep in all_deps:
            by_source.setdefault(dep.source, []).append(dep)
        for record, system in zip(systems, ordered):
            writer.writerow([_csv_cell(record[name]) for name in USER_FIELDS] + [_csv_cell(_depends_on(by_source.get(system.id, [])))])
        return buf.getvalue()
    return _xlsx(ordered, all_deps, mapping)


def _xlsx(systems: list[System], deps: list[Dependency], mapping: Path | None = None) -> bytes:
    from openpyxl import Workbook

    from inventory.export.export_layout import council_headings, lay_out

    headings, systems_sheet, deps_sheet = council_headings(mapping) if mapping else ({}, None, None)
    book = Workbook()
    sheet = book.active
    sheet.title = systems_sheet or "Systems"
    sheet.append([headings.get(name, name) for name in USER_FIELDS])
    for system in systems:
        row = []
        for name in USER_FIELDS:
            value = getattr(system, name)
            if name == "annual_cost" and value is not None:
                value = float(value)
            elif isinstance(value, Enum):
                value = value.value
            row.append(_cell(value))
        sheet.append(row)
    cost_col = USER_FIELDS.index("annual_cost") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=cost_col, max_col=cost_col):
        cell.number_format = "£#,##0.00"
    for name in ("contract_end", "support_end"):
        col = USER_FIELDS.index(name) + 1
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "yyyy-mm-dd"
    dep_sheet = book.create_sheet(deps_sheet or "Dependencies")
    dep_sheet.append([headings.get(name, name) for name in ("source", "target", "kind", "description")])
    for dep in deps:
        dep_sheet.append([dep.source, dep.target, dep.kind.value, dep.description])
    for ws in (sheet, dep_sheet):
        _text_not_formulas(ws)
        lay_out(ws)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _text_not_formulas(sheet: Any) -> None:
    """openpyxl stores a string starting with ``=`` as a formula: store it as text, and mark every
    formula-like text cell with Excel's quote prefix so it stays text when someone edits it."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if formula_like(cell.value) or (isinstance(cell.value, str) and cell.value.startswith("=")):
                cell.data_type = "s"
                cell.quotePrefix = True
