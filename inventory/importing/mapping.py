"""The column-mapping file: how a council spreadsheet's own headers and words map to fields.

```yaml
systems_sheet: Applications       # XLSX only; otherwise sheets are recognised by their headers
dependencies_sheet: Interfaces
columns:                          # header in the sheet: field
  App Ref: id
  Application: name
  Depends On: depends_on
ignore: [Comments]                # headers deliberately not imported
values:                           # field: {word in the sheet: value}
  strategy: {"Lift & Shift": rehost}
  hosting: {"Civic Centre DC": on-premises}
list_separator: ";"               # between entries of a depends-on cell (default ; , or a new line)
```

A register that keeps no ids needs nothing more: a systems sheet with a name column and no id
column gets ids made from the names, and depends-on cells and source/target columns may name
systems by name (:mod:`inventory.importing.resolve`). Names often contain commas, so such a
register usually wants ``list_separator: ";"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from inventory.errors import ImportFileError, Problem
from inventory.importing.synonyms import HEADERS, normal
from inventory.importing.yamlio import line_of, load
from inventory.register.model import USER_FIELDS

SYSTEM_COLUMNS: tuple[str, ...] = (*USER_FIELDS, "depends_on", "state_on")
"""``state_on``: the date the row's state was reached (dates the state change in the history)."""
DEPENDENCY_COLUMNS: tuple[str, ...] = ("source", "target", "kind", "description")
KNOWN_KEYS = {"systems_sheet", "dependencies_sheet", "columns", "ignore", "values", "list_separator"}


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    """normalised header -> field."""
    headings: dict[str, str] = field(default_factory=dict)
    """field -> the first header the file gives it, as written (what an XLSX export writes back)."""
    ignore: set[str] = field(default_factory=set)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    """field -> normalised word -> value."""
    systems_sheet: str | None = None
    dependencies_sheet: str | None = None
    list_separator: str | None = None

    def field_for(self, header: str) -> str | None:
        """The field a header feeds: the mapping's word first, then the field's own name, then common synonyms."""
        key = normal(header)
        if key in self.columns:
            return self.columns[key]
        for name in (*SYSTEM_COLUMNS, *DEPENDENCY_COLUMNS):
            if key == normal(name):
                return name
        return HEADERS.get(key)

    def ignored(self, header: str) -> bool:
        return normal(header) in self.ignore


def load_mapping(path: Path | None) -> Mapping:
    if path is None:
        return Mapping()
    label = str(path)
    data = load(path, kind="mapping")
    if data is None:
        return Mapping()
    if not isinstance(data, dict):
        raise ImportFileError([Problem(label, 1, "-", "a mapping file is a YAML mapping with columns:, values:, ignore:")])
    problems: list[Problem] = []
    for key in sorted(set(data) - KNOWN_KEYS, key=str):
        problems.append(Problem(label, line_of(data, key), str(key), f"unknown key; expected one of {', '.join(sorted(KNOWN_KEYS))}"))
    for key in ("systems_sheet", "dependencies_sheet", "list_separator"):
        if isinstance(data.get(key), (list, dict)):
            problems.append(Problem(label, line_of(data, key), key, "expected one value, not a list or mapping"))
            data[key] = None
    mapping = Mapping(
        systems_sheet=_opt_str(data.get("systems_sheet")),
        dependencies_sheet=_opt_str(data.get("dependencies_sheet")),
        list_separator=_opt_str(data.get("list_separator")),
    )
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(Problem(label, line_of(data, "columns"), "columns", "columns: is a mapping of header: field"))
        columns = {}
    allowed = set(SYSTEM_COLUMNS) | set(DEPENDENCY_COLUMNS)
    for header, target in columns.items():
        if not isinstance(target, str) or target not in allowed:
            problems.append(
                Problem(label, line_of(columns, header), str(header), f"'{target}' is not a field; use one of {', '.join(sorted(allowed))}")
            )
        else:
            mapping.columns[normal(str(header))] = target
            mapping.headings.setdefault(target, str(header))
    ignore = data.get("ignore") or []
    if not isinstance(ignore, list):
        problems.append(Problem(label, line_of(data, "ignore"), "ignore", "ignore: is a list of headers"))
        ignore = []
    for header in ignore:
        if isinstance(header, (list, dict)):
            problems.append(Problem(label, line_of(data, "ignore"), "ignore", f"'{header}' is not a header; list one header per item"))
        else:
            mapping.ignore.add(normal(str(header)))
    values = data.get("values") or {}
    if not isinstance(values, dict):
        problems.append(Problem(label, line_of(data, "values"), "values", "values: is a mapping of field: {word: value}"))
        values = {}
    for name, words in values.items():
        if name not in allowed:
            problems.append(Problem(label, line_of(values, name), str(name), f"'{name}' is not a field"))
        elif not isinstance(words, dict):
            problems.append(Problem(label, line_of(values, name), str(name), "expected a mapping of word: value"))
        else:
            for word, value in words.items():
                if isinstance(value, (list, dict)):
                    problems.append(Problem(label, line_of(words, word), f"{name}.{word}", "expected one value, not a list or mapping"))
                else:
                    mapping.values.setdefault(name, {})[normal(str(word))] = str(value)
    if problems:
        raise ImportFileError(problems)
    return mapping


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)
