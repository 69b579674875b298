"""Register data for the CLI's renderers: records for JSON, titled tables for table, CSV and Markdown.

JSON is records, documented by the schemas in ``docs/schemas/`` (:mod:`cli.schemas`):
``inventory list`` a list of systems, ``inventory show`` one system with its dependencies and
dependants, ``inventory history`` a list of events. The record types here are what those
schemas are generated from, so the documentation cannot drift from the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterator
from typing import Any, Sequence

from pydantic import ConfigDict, TypeAdapter

from inventory.db.rows import jsonable
from inventory.importing.result import DerivedId, ImportResult
from inventory.register.model import USER_FIELDS, Dependency, Event, System
from inventory.reports.records import Money, Record
from inventory.validate import Problem

LIST_COLUMNS = ("id", "name", "service_area", "hosting", "criticality", "strategy", "state", "wave", "target_stack")


@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)


class SystemRecord(System):
    """A system as JSON shows it: every field, money as an exact "12500.00" string."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True, use_attribute_docstrings=True)

    annual_cost: Money | None = None


class DependencyRecord(Dependency):
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True, use_attribute_docstrings=True)


class EventRecord(Event):
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True, use_attribute_docstrings=True)


class SystemDetail(Record):
    """``inventory show``: one system, what it depends on, and what depends on it."""

    system: SystemRecord
    dependencies: tuple[DependencyRecord, ...]
    """Where this system is the source, by target."""
    dependants: tuple[DependencyRecord, ...]
    """Where this system is the target, by source."""


class ProblemRecord(Record):
    """A disagreement between the register and the stack files (``inventory validate``)."""

    kind: str
    subject: str
    message: str


SYSTEM_LIST = TypeAdapter(list[SystemRecord])
EVENT_LIST = TypeAdapter(list[EventRecord])
PROBLEM_LIST = TypeAdapter(list[ProblemRecord])


def as_record(record_type: type[Any], value: Any) -> Any:
    """The same values under the record type that serialises them (no second validation)."""
    return record_type.model_construct(_fields_set=value.model_fields_set, **dict(value))


def systems_json(systems: list[System]) -> list[dict[str, Any]]:
    return SYSTEM_LIST.dump_python([as_record(SystemRecord, s) for s in systems], mode="json")


def system_json(system: System, deps: list[Dependency]) -> dict[str, Any]:
    detail = SystemDetail(
        system=as_record(SystemRecord, system),
        dependencies=tuple(as_record(DependencyRecord, d) for d in sorted(deps, key=lambda d: d.target) if d.source == system.id),
        dependants=tuple(as_record(DependencyRecord, d) for d in sorted(deps, key=lambda d: d.source) if d.target == system.id),
    )
    return detail.model_dump(mode="json")


def history_json(events: list[Event]) -> list[dict[str, Any]]:
    return EVENT_LIST.dump_python([as_record(EventRecord, e) for e in events], mode="json")


def import_json(result: ImportResult) -> dict[str, Any]:
    """The result as JSON data; the ids made from names are turned into records one at a time as
    the JSON is written (a names-only sheet makes one a row)."""
    data = result.model_dump(mode="json", exclude={"derived_ids"})
    data["derived_ids"] = _RecordsAsWritten(result.derived_ids)
    return data


class _RecordsAsWritten(list):  # a list to dumps_json's (indented, pure-Python) encoder, which only iterates it
    def __init__(self, items: list[DerivedId]) -> None:
        super().__init__()
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for item in self.items:
            yield _DERIVED_ID.dump_python(item, mode="json")


_DERIVED_ID = TypeAdapter(DerivedId)


def problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return PROBLEM_LIST.dump_python([ProblemRecord(kind=p.kind, subject=p.subject, message=p.message) for p in problems], mode="json")


def systems_table(systems: list[System], columns: Sequence[str] = LIST_COLUMNS) -> Table:
    return Table("Systems", list(columns), [[jsonable(getattr(s, c)) for c in columns] for s in systems])


def system_tables(system: System, deps: list[Dependency]) -> list[Table]:
    fields = Table(f"System {system.id} (version {system.version_no})", ["field", "value"])
    fields.rows = [[name, jsonable(getattr(system, name))] for name in USER_FIELDS]
    fields.rows.append(["version_no", system.version_no])
    links = Table("Dependencies", ["source", "target", "kind", "description"])
    links.rows = [[d.source, d.target, d.kind.value, d.description] for d in deps]
    return [fields, links]


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _change(changes: dict[str, list[Any]]) -> str:
    return "; ".join(f"{name}: {_shown(changes[name][0])} -> {_shown(changes[name][1])}" for name in sorted(changes))


def history_table(events: list[Event]) -> Table:
    rows = [[e.at.isoformat(timespec="seconds"), e.actor, e.system_id, e.action, _change(e.changes), e.reason] for e in events]
    return Table("History", ["at", "actor", "system", "action", "changes", "reason"], rows)


def import_tables(result: ImportResult) -> list[Table]:
    """What was added and changed, then any ids the import made from names (for the sheet)."""
    title = "Import (dry run: nothing written)" if result.dry_run else "Import"
    rows: list[Sequence[Any]] = [["added", "system", s, ""] for s in result.added]
    rows += [["changed", "system", s, _change(c)] for s, c in sorted(result.changed.items())]
    rows += [["added", "dependency", d, ""] for d in result.links_added]
    rows += [["changed", "dependency", d, ""] for d in result.links_changed]
    rows.append(["unchanged", "systems", str(len(result.unchanged)), ""])
    rows.append(["unchanged", "dependencies", str(len(result.links_unchanged)), ""])
    tables = [Table(title, ["result", "record", "id", "changes"], rows)]
    if result.derived_ids:
        derived = Table(
            "Ids made from names: add them to your sheet as an id column to keep them",
            ["file", "row", "name", "id", "how"],
            [[d.file, d.row, d.name, d.id, "registered under this name" if d.registered_by_name else "from the name"] for d in result.derived_ids],
        )
        tables.append(derived)
    return tables


def problems_table(problems: list[Problem]) -> Table:
    return Table("Register and stacks", ["kind", "subject", "problem"], [[p.kind, p.subject, p.message] for p in problems])
