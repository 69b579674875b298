"""Reading council spreadsheets and estate files into records, all problems reported at once.

``read_file`` reads one CSV, XLSX, YAML or JSON file; ``import_files`` reads several (say a
systems sheet and a separate dependencies sheet), resolves every name against the files and the
register (ids made from names for rows without one, dependency ends written as ids or names:
:mod:`inventory.importing.resolve`), and imports all of it in one transaction, or nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from inventory.errors import ImportFileError, Problem
from inventory.importing.mapping import Mapping, load_mapping
from inventory.importing.records import Collected
from inventory.importing.resolve import resolve
from inventory.register.model import Dependency, System

if TYPE_CHECKING:
    from inventory.importing.result import ImportResult
    from inventory.store import Store

SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".yaml": "yaml", ".yml": "yaml", ".json": "yaml"}


def collect(paths: list[Path], mapping: Path | None = None) -> Collected:
    """Every record and every problem in ``paths`` (problems are not raised here)."""
    from inventory.bulk import paused_gc

    rules = load_mapping(mapping)
    out = Collected()
    with paused_gc():
        _collect_all(paths, rules, out)
    if not out.problems and not out.systems and not out.refs and not out.derived:
        out.problems += [Problem(str(p), 0, "-", "no systems or dependencies found") for p in paths]
    return out


def _collect_all(paths: list[Path], rules: Mapping, out: Collected) -> None:
    from inventory.importing.tabular import collect_sheets, read_csv, read_xlsx
    from inventory.importing.yaml_reader import collect_yaml

    for path in paths:
        kind = SUFFIXES.get(path.suffix.lower())
        if kind is None:
            out.problems.append(Problem(str(path), 0, "-", f"cannot import '{path.suffix}' files; use .csv, .xlsx, .yaml or .json"))
        elif not path.is_file():
            out.problems.append(Problem(str(path), 0, "-", "no such file"))
        elif kind == "yaml":
            try:
                collect_yaml(path, rules, out)
            except ImportFileError as exc:
                out.problems.extend(exc.problems)
        else:
            try:
                if kind == "csv":
                    collect_sheets(read_csv(path), rules, out)
                else:
                    collect_sheets(read_xlsx(path), rules, out, workbook=True)
            except ImportFileError as exc:
                out.problems.extend(exc.problems)


def read_file(path: Path, mapping: Path | None = None) -> tuple[list[System], list[Dependency]]:
    """Systems and dependencies in one file; raises :class:`ImportFileError` listing every problem.

    Dependency ends are checked only against the file itself, as no register is at hand.
    """
    out = collect([Path(path)], mapping)
    resolve(out, {})
    if out.problems:
        raise ImportFileError(out.problems)
    return out.systems, out.dependencies


def import_files(
    store: Store,
    paths: list[Path],
    mapping: Path | None = None,
    actor: str | None = None,
    reason: str = "",
    dry_run: bool = False,
    on: dt.datetime | None = None,
) -> ImportResult:
    """Read, check against the register, then import everything in one transaction (or nothing);
    ``on`` dates the import's history events (default: now)."""
    out = collect([Path(p) for p in paths], mapping)
    derived = resolve(out, store.names())
    if out.problems:
        raise ImportFileError(out.problems)
    result = store.import_estate(out.systems, out.dependencies, actor=actor, reason=reason, dry_run=dry_run, on=on,
                                 state_dates=out.dated_states())
    return result.model_copy(update={"derived_ids": derived, "warnings": [str(w) for w in out.warnings]})


__all__ = ["read_file", "import_files", "collect", "ImportFileError"]
