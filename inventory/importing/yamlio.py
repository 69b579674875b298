"""YAML that remembers where each key was, so problems can name their line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from inventory.errors import ImportFileError, Problem


class LinedDict(dict):  # type: ignore[type-arg]
    """A mapping with the line it starts on and the line of each key."""

    line: int = 0
    lines: dict[Any, int]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser where installed (ten times faster on a large estate), with line numbers."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    result = LinedDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]


def load(path: Path, label: str | None = None) -> Any:
    label = label or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ImportFileError([Problem(label, 0, "-", f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ImportFileError([Problem(label, line, "-", f"not valid YAML: {reason}")]) from None


def line_of(data: Any, key: Any = None) -> int:
    if isinstance(data, LinedDict):
        return data.lines.get(key, data.line) if key is not None else data.line
    return 0
