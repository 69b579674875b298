"""Register data as titled tables (title, columns, rows) for the CLI's renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from inventory.db.rows import jsonable
from inventory.importing.result import ImportResult
from inventory.model import USER_FIELDS, Dependency, Event, System
from inventory.validate import Problem

LIST_COLUMNS = ("id", "name", "service_area", "hosting", "criticality", "strategy", "state", "wave", "target_stack")


@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)


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


def import_table(result: ImportResult) -> Table:
    title = "Import (dry run: nothing written)" if result.dry_run else "Import"
    rows: list[Sequence[Any]] = [["added", "system", s, ""] for s in result.added]
    rows += [["changed", "system", s, _change(c)] for s, c in sorted(result.changed.items())]
    rows += [["added", "dependency", d, ""] for d in result.links_added]
    rows += [["changed", "dependency", d, ""] for d in result.links_changed]
    rows.append(["unchanged", "systems", str(len(result.unchanged)), ""])
    rows.append(["unchanged", "dependencies", str(len(result.links_unchanged)), ""])
    return Table(title, ["result", "record", "id", "changes"], rows)


def problems_table(problems: list[Problem]) -> Table:
    return Table("Register and stacks", ["kind", "subject", "problem"], [[p.kind, p.subject, p.message] for p in problems])
