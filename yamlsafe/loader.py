"""The safe loader: decode strictly, compose, check aliases, construct with duplicate keys refused."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_ALIAS_NODES = 10_000
"""How many nodes aliases may add to a document once expanded. Merge keys (``<<: *defaults``) on a
few hundred records stay far below it; "billion laughs" passes it in its third level."""

_MERGE_TAG = "tag:yaml.org,2002:merge"
_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


class YamlInputError(ValueError):
    """A YAML file that cannot be read as asked: bad input (exit 2), located at ``file:line``."""

    exit_code = 2
    hint: str | None = None

    def __init__(self, file: str, line: int, message: str, hint: str | None = None, key: str | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        self.key = key
        """The mapping key at fault, where there is one (a duplicate key)."""
        if hint is not None:
            self.hint = hint
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


class LinedDict(dict):  # type: ignore[type-arg]
    """A mapping with the line it starts on and the line of each key (1-based; 0 when unknown)."""

    line: int = 0
    lines: dict[Any, int]


def line_of(data: Any, key: Any = None) -> int:
    """The line of ``key`` in ``data`` (or of ``data`` itself), 0 when ``data`` was not read from YAML."""
    if isinstance(data, LinedDict):
        return data.lines.get(key, data.line) if key is not None else data.line
    return 0


def read_text(path: Path, label: str | None = None, kind: str = "config") -> str:
    """A file's text, refusing anything that is not UTF-8 text with a message a person can act on,
    and anything that is not a regular file within ``kind``'s bound (yamlsafe.inputs)."""
    from yamlsafe.inputs import InputFileError, read_input, shown_path

    label = label or shown_path(path)
    try:
        raw = read_input(Path(path), kind)
    except InputFileError as exc:
        raise YamlInputError(label, 0, exc.message.removeprefix(f"{shown_path(path)}: "), hint=exc.hint) from None
    return decode(raw, label)


def decode(raw: bytes, label: str, fallback: str | None = None) -> str:
    """UTF-8 (with or without a byte-order mark) to text; binary and UTF-16/32 refused by name.

    Text that is not UTF-8 is refused too, unless ``fallback`` names an encoding to read it in
    strictly (CSV passes ``cp1252``: Excel's "CSV" on a UK Windows desktop)."""
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            raise YamlInputError(label, 0, f"the file is {name} text, not UTF-8", hint="save it as UTF-8")
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise YamlInputError(label, line, "the file is binary (it holds NUL bytes), not UTF-8 text",
                             hint="give a text file saved as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, byte = raw.count(b"\n", 0, exc.start) + 1, raw[exc.start]
    if fallback:
        try:
            return raw.decode(fallback)
        except UnicodeDecodeError as exc:
            line, byte = raw.count(b"\n", 0, exc.start) + 1, raw[exc.start]
        raise YamlInputError(label, line, f"the file is neither UTF-8 nor {fallback} text (byte 0x{byte:02X})", hint="save it as UTF-8")
    raise YamlInputError(label, line, f"the file is not UTF-8 text (byte 0x{byte:02X}; Latin-1 or Windows-1252?)", hint="save it as UTF-8")


def load(path: Path, label: str | None = None, kind: str = "config") -> Any:
    """The one YAML document in ``path`` (``None`` for an empty file); ``kind`` bounds its size."""
    label = label or str(path)
    return loads(read_text(path, label, kind), label)


def loads(text: str, label: str) -> Any:
    """The one YAML document in ``text``; ``label`` names it in errors."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:  # an alias needs one; without, the walk is skipped (most files)
            _check_aliases(node, label)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _located(exc, text, label) from None
    finally:
        loader.dispose()


def _located(exc: yaml.YAMLError, text: str, label: str) -> YamlInputError:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        return YamlInputError(label, line, f"not valid YAML: character #x{exc.character:04X} is not allowed in YAML text")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 0
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    if context:
        reason = f"{reason} ({context})"
    return YamlInputError(label, line, f"not valid YAML: {reason}", key=getattr(exc, "key", None))


class _KeyRefused(yaml.constructor.ConstructorError):
    """A mapping key refused while constructing, remembered so the error can name it."""

    def __init__(self, message: str, key_node: Node, key: str | None = None) -> None:
        super().__init__(None, None, message, key_node.start_mark)
        self.key = key


def _check_aliases(root: Node, label: str) -> None:
    """Refuse a document whose aliases expand beyond :data:`MAX_ALIAS_NODES` nodes, or refer to themselves.

    The composed graph shares one node per anchor, so this walk costs the size of the file, not of
    its expansion. Iterative, so a deep document cannot exhaust the stack.
    """
    sizes: dict[int, int] = {}
    owned: set[int] = set()
    open_nodes: set[int] = set()
    expanded = 0
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        children = _children(node)
        if finished:
            open_nodes.discard(key)
            total = 1
            for child in children:
                child_size = sizes[id(child)]
                total += child_size
                if id(child) in owned:  # a second reference to the same node: an alias
                    expanded += child_size
                    if expanded > MAX_ALIAS_NODES:
                        raise YamlInputError(
                            label, node.start_mark.line + 1,
                            f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes (a 'billion laughs' document?)",
                            hint="write the values out instead of nesting aliases",
                        )
                owned.add(id(child))
            sizes[key] = total
            continue
        if key in sizes:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                raise YamlInputError(label, node.start_mark.line + 1, "not valid YAML: an alias refers to the node that contains it")
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser where installed (ten times faster on a large estate), PyYAML's safe constructors."""


def _construct_mapping(loader: _Loader, node: MappingNode) -> LinedDict:
    """A mapping as a :class:`LinedDict`; a repeated or unhashable key is refused at its line.

    Keys written in the mapping itself must be unique; keys brought in by a merge (``<<: *base``)
    may be overridden by them, as YAML's merge rule says.
    """
    own = [pair for pair in node.value if pair[0].tag != _MERGE_TAG]
    loader.flatten_mapping(node)
    merged = node.value[: len(node.value) - len(own)]
    result = LinedDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    first_line: dict[Any, int] = {}
    for index, (key_node, value_node) in enumerate([*merged, *own]):
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise _KeyRefused("found a key that is a list or a mapping; keys are plain values", key_node) from None
        if index >= len(merged):
            if key in first_line:
                raise _KeyRefused(f"found duplicate key '{key}' (first on line {first_line[key]})", key_node, str(key))
            first_line[key] = line
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]
