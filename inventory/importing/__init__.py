"""Reading council spreadsheets and estate files into records, all problems reported at once.

``read_file`` reads one CSV, XLSX, YAML or JSON file; ``import_files`` reads several (say a
systems sheet and a separate dependencies sheet), resolves every name against the files and the
register (ids made from names for rows without one, dependency ends written as ids or names:
:mod:`inventory.importing.resolve`), and imports all of it in one transaction, or nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from inventory.errors import ImportFileError, Problem, StateRefusedError, refusal_hint
from inventory.importing.mapping import Mapping, load_mapping
from inventory.importing.records import Collected
from inventory.importing.resolve import resolve
from inventory.register.model import Dependency, System

if TYPE_CHECKING:
    from inventory.importing.result import DerivedId, ImportResult
    from inventory.store import Store

SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".yaml": "yaml", ".yml": "yaml", ".json": "yaml"}


def collect(paths: list[Path], mapping: Path | None = None, sheets: frozenset[str] = frozenset()) -> Collected:
    """Every record and every problem in ``paths`` (problems are not raised here); ``sheets``
    (``--sheet``) names the only sheets of a workbook to read, hidden ones included."""
    from inventory.bulk import paused_gc

    rules = load_mapping(mapping)
    out = Collected()
    with paused_gc():
        _collect_all(paths, rules, out, sheets)
    if not out.problems and not out.systems and not out.refs and not out.derived:
        out.problems += [Problem(str(p), 0, "-", "no systems or dependencies found") for p in paths]
    return out


def _collect_all(paths: list[Path], rules: Mapping, out: Collected, sheets: frozenset[str] = frozenset()) -> None:
    from inventory.importing.tabular import collect_sheets, open_xlsx, read_csv
    from inventory.importing.yaml_reader import collect_yaml
    from yamlsafe.inputs import InputFileError, check_input, shown_path

    for path in paths:
        kind = SUFFIXES.get(path.suffix.lower())
        if kind is None:
            out.problems.append(Problem(shown_path(path), 0, "-", f"cannot import '{path.suffix}' files; use .csv, .xlsx, .yaml or .json"))
            continue
        try:
            check_input(path, "sheet")
        except InputFileError as exc:
            reason = exc.message.removeprefix(f"{shown_path(path)}: ")
            out.problems.append(Problem(shown_path(path), 0, "-", f"{reason}; {exc.hint}" if exc.hint else reason))
            continue
        if kind == "yaml":
            try:
                collect_yaml(path, rules, out)
            except ImportFileError as exc:
                out.problems.extend(exc.problems)
        else:
            try:
                if kind == "csv":
                    collect_sheets(read_csv(path), rules, out)
                else:
                    with open_xlsx(path) as book:
                        collect_sheets(book, rules, out, workbook=True, chosen=sheets)
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
    return list(out.systems), out.dependencies


def import_files(
    store: Store,
    paths: list[Path],
    mapping: Path | None = None,
    actor: str | None = None,
    reason: str = "",
    dry_run: bool = False,
    on: dt.datetime | None = None,
    before_commit: Callable[[ImportResult], None] | None = None,
    sheets: frozenset[str] = frozenset(),
) -> ImportResult:
    """Read, check against the register, then import everything in one transaction (or nothing);
    ``on`` dates the import's history events (default: now). ``before_commit`` gets the result just before the commit (to write ``--output`` first)."""
    out = collect([Path(p) for p in paths], mapping, sheets)
    derived = resolve(out, store.names())
    if out.problems:
        raise ImportFileError(out.problems)
    out.derived.clear()  # what resolving needed, about 200 bytes a row: let go before the writing starts
    out.refs.clear()
    out.system_places.clear()  # a guard's refusal reads the rows' places again (below)
    extra = {"derived_ids": derived, "warnings": [str(w) for w in out.warnings]}
    hook = None if before_commit is None else (lambda staged: before_commit(staged.model_copy(update=extra)))
    try:
        result = store.import_estate(out.systems, out.dependencies, actor=actor, reason=reason, dry_run=dry_run, on=on,
                                     state_dates=out.dated_states(), before_commit=hook)
    except StateRefusedError as exc:
        # The rows' places were let go before writing; a refusal (nothing was written) reads them again.
        del out
        places = collect([Path(p) for p in paths], mapping, sheets).system_places
        column = load_mapping(mapping).headings.get("state", "state")  # the sheet's own heading, when mapped
        raise _at_rows(exc, places, derived, column) from None
    return result.model_copy(update=extra)


def _at_rows(refused: StateRefusedError, system_places: dict[str, tuple[str, int]], derived: list[DerivedId],
             column: str) -> ImportFileError:
    """The lifecycle guards' refusals, each at the row and column that gave the state."""
    places = {**system_places, **{d.id: (d.file, d.row) for d in derived}}
    located = sorted(((places.get(r.system_id, ("-", 0)), r) for r in refused.refusals), key=lambda pair: pair[0])
    problems = [Problem(file, row, column, f"{r.system_id}: {r.message}") for (file, row), r in located]
    return ImportFileError(problems, refusal_hint([fix for _, r in located for fix in r.fixes]))


__all__ = ["read_file", "import_files", "collect", "ImportFileError"]
