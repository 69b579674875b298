"""The systems an import has read, kept compactly until they are written.

A validated ``System`` holds a dict of every field (about 2 KB with its bookkeeping); a 700,000-row
sheet held that way needs gigabytes before the first row is written. Here each system is a tuple
of its field values (defaults and enum members are shared, not copied) and the set of fields the
sheet gave it (shared between rows with the same columns), and is rebuilt on demand without
validating again (it was validated when read). Dependencies share their set of given fields,
and their changes are spelt out for the history only as each batch is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from inventory.db.rows import link_change
from inventory.register.model import Dependency, System

_FIELDS = tuple(System.model_fields)
_REPEATED = frozenset({"service_area", "business_owner", "technical_owner", "supplier", "product", "version", "target_stack"})
"""Fields whose few values recur down a sheet (an area, an owner, a supplier): each value is kept once."""
_DEFAULTS = {name: field.default for name, field in System.model_fields.items() if field.default_factory is None}
"""Every default is immutable (text, numbers, enum members, None), so rows may share them."""


class SystemList:
    """A list of systems (append, index, assign, iterate, ``len``), stored compactly: the values
    of the fields a row was given (the rest are the model's defaults, as when it was read)."""

    def __init__(self) -> None:
        self._rows: list[tuple[object, ...]] = []
        self._shapes: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._texts: dict[str, str] = {}

    def _pack(self, system: System) -> tuple[object, ...]:
        given = tuple(name for name in _FIELDS if name in system.model_fields_set)
        shape = self._shapes.setdefault(given, given)
        return (shape, *(self._shared(name, getattr(system, name)) for name in shape))

    def _shared(self, name: str, value: object) -> object:
        if name in _REPEATED and isinstance(value, str):
            return self._texts.setdefault(value, value)
        return value

    def append(self, system: System) -> None:
        self._rows.append(self._pack(system))

    def __setitem__(self, index: int, system: System) -> None:
        self._rows[index] = self._pack(system)

    def set_id(self, index: int, system_id: str) -> None:
        """Give the system at ``index`` another id (one made from a name settled on a registered one)."""
        shape, *values = self._rows[index]
        assert isinstance(shape, tuple)
        values[shape.index("id")] = system_id
        self._rows[index] = (shape, *values)

    def __getitem__(self, index: int) -> System:
        shape, *values = self._rows[index]
        assert isinstance(shape, tuple)
        return _rebuilt(shape, values)

    def __len__(self) -> int:
        return len(self._rows)

    def __bool__(self) -> bool:
        return bool(self._rows)

    def __iter__(self) -> Iterator[System]:
        for index in range(len(self._rows)):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (SystemList, list)) else NotImplemented


def _rebuilt(shape: tuple[str, ...], values: list[object]) -> System:
    """What ``System.model_construct`` makes (no validation: the values were validated when read),
    an order of magnitude faster: the defaults are shared rather than fetched field by field."""
    system = System.__new__(System)
    data = dict(_DEFAULTS)
    data.update(zip(shape, values))
    object.__setattr__(system, "__dict__", data)
    object.__setattr__(system, "__pydantic_fields_set__", set(shape))
    object.__setattr__(system, "__pydantic_extra__", None)
    object.__setattr__(system, "__pydantic_private__", None)
    return system


_LINK_FIELDS = set(Dependency.model_fields)
"""Shared by every dependency :func:`compact_dependency` makes: a set of its own costs 216 bytes."""


def compact_dependency(source: str, target: str, kind: object, description: str) -> Dependency:
    """A dependency validated as usual, then kept as one whose field values are the ones given
    (the ids the import already holds, not copies) and whose set of given fields is shared
    (a sheet may name 700,000 links). Dependencies are never changed in place, only copied."""
    checked = Dependency(source=source, target=target, kind=kind, description=description)
    return Dependency.model_construct(_LINK_FIELDS, source=source, target=target, kind=checked.kind,
                                      description=checked.description)


_Pair = tuple[Dependency | None, Dependency]


class LinkChanges(Mapping[str, dict[str, list[Any]]]):
    """Each source's dependency changes for its history event (``depends_on:<target>`` -> [from,
    to]), spelt out only when its batch is written: held until then as (old, new) pairs of the
    dependencies the import holds anyway, as a sheet may name 700,000 links."""

    def __init__(self) -> None:
        self._pairs: dict[str, _Pair | list[_Pair]] = {}
        """source -> its one pair, or a list of them (most systems have one link: no list)."""

    def add(self, old: Dependency | None, new: Dependency) -> None:
        have = self._pairs.get(new.source)
        if have is None:
            self._pairs[new.source] = (old, new)
        elif isinstance(have, list):
            have.append((old, new))
        else:
            self._pairs[new.source] = [have, (old, new)]

    def __getitem__(self, source: str) -> dict[str, list[Any]]:
        have = self._pairs[source]
        entries: dict[str, list[Any]] = {}
        for old, new in have if isinstance(have, list) else [have]:
            entries.update(link_change(old, new))
        return entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)
