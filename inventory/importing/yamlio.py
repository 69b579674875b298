"""YAML for import and mapping files: the project's safe loader (:mod:`yamlsafe`), refusals as import problems.

Duplicate keys, alias bombs, unhashable keys and text that is not UTF-8 are refused by
:mod:`yamlsafe` at their line; here they become a :class:`Problem` so they are listed with every
other problem of the import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inventory.errors import ImportFileError, Problem
from yamlsafe import LinedDict, YamlInputError, line_of
from yamlsafe import load as _load


def load(path: Path, label: str | None = None, kind: str = "sheet") -> Any:
    try:
        return _load(path, label or str(path), kind)
    except YamlInputError as exc:
        raise ImportFileError([Problem(exc.file, exc.line, exc.key or "-", exc.message)], exc.hint) from None


__all__ = ["LinedDict", "line_of", "load"]
