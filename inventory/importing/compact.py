"""The systems an import has read, kept compactly until they are written.

A validated ``System`` holds a dict of every field (about 2 KB with its bookkeeping); a 700,000-row
sheet held that way needs gigabytes before the first row is written. Here each system is a tuple
of its field values (defaults and enum members are shared, not copied) and the set of fields the
sheet gave it (shared between rows with the same columns), and is rebuilt on demand without
validating again (it was validated when read). Dependencies share their set of given fields,
and their changes are spelt out for the history only as each batch is written.
"""

from __future__ import annotations

from array import array
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


def _pair(have: Dependency | _Pair) -> _Pair:
    return (None, have) if isinstance(have, Dependency) else have


class LinkChanges(Mapping[str, dict[str, list[Any]]]):
    """Each source's dependency changes for its history event (``depends_on:<target>`` -> [from,
    to]), spelt out only when its batch is written: held until then as (old, new) pairs of the
    dependencies the import holds anyway, as a sheet may name 700,000 links."""

    def __init__(self) -> None:
        self._pairs: dict[str, Dependency | _Pair | list[_Pair]] = {}
        """source -> its one pair, or a list of them (most systems have one link: no list); a pair
        whose old side is None (an added link, the usual case) is kept as the new link alone."""

    def add(self, old: Dependency | None, new: Dependency) -> None:
        have = self._pairs.get(new.source)
        if have is None:
            self._pairs[new.source] = new if old is None else (old, new)
        elif isinstance(have, list):
            have.append((old, new))
        else:
            self._pairs[new.source] = [_pair(have), (old, new)]

    def __getitem__(self, source: str) -> dict[str, list[Any]]:
        have = self._pairs[source]
        entries: dict[str, list[Any]] = {}
        for old, new in have if isinstance(have, list) else [_pair(have)]:
            entries.update(link_change(old, new))
        return entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)



class LinkTable:
    """Links, each (source, target) at most once, found by their pair.

    A set or dict of (source, target) tuples costs about 150 bytes a link (the tuple and its slot)
    on top of the link; here the table is an array of positions in ``links`` (8 bytes a slot, open
    addressing keyed by the pair's hash), every hit checked against the link at that position."""

    def __init__(self) -> None:
        self.links: list[Dependency] = []
        self._slots = array("q", bytes(8 * 16))
        """0 for an empty slot, else a position in ``links`` plus one."""

    def position(self, source: str, target: str) -> int | None:
        """Where the link from ``source`` to ``target`` is in ``links``, or None."""
        at = self._slots[self._slot(source, target)]
        return at - 1 if at else None

    def add(self, link: Dependency) -> bool:
        """Add ``link`` unless a link with its ends is already here (then False)."""
        slot = self._slot(link.source, link.target)
        if self._slots[slot]:
            return False
        self.links.append(link)
        self._slots[slot] = len(self.links)
        if 2 * len(self.links) > len(self._slots):
            self._grow()
        return True

    def _slot(self, source: str, target: str) -> int:
        """The slot holding this link, or the empty slot where it would go."""
        mask = len(self._slots) - 1
        slot = hash((source, target)) & mask
        while True:
            at = self._slots[slot]
            if not at:
                return slot
            link = self.links[at - 1]
            if link.source == source and link.target == target:
                return slot
            slot = (slot + 1) & mask

    def _grow(self) -> None:
        self._slots = array("q", bytes(16 * len(self._slots)))
        mask = len(self._slots) - 1
        for position, link in enumerate(self.links, start=1):
            slot = hash((link.source, link.target)) & mask
            while self._slots[slot]:
                slot = (slot + 1) & mask
            self._slots[slot] = position


class NewLinks(LinkTable):
    """The links an import makes, in order, each with where it was first written (its file's
    number and its row, 12 bytes, not a place object), so that a link written twice is reported
    at the second place naming the first."""

    def __init__(self) -> None:
        super().__init__()
        self._rows = array("q")
        self._files = array("l")
        self._file_numbers: dict[str, int] = {}

    def first_place(self, source: str, target: str) -> str | None:
        """``file:row`` where this link was first written, or None when it is new."""
        at = self.position(source, target)
        if at is None:
            return None
        names = list(self._file_numbers)
        return f"{names[self._files[at]]}:{self._rows[at]}"

    def add_at(self, link: Dependency, file: str, row: int) -> None:
        """A link not yet added (``first_place`` is None), written at ``file:row``."""
        if self.add(link):
            self._rows.append(row)
            self._files.append(self._file_numbers.setdefault(file, len(self._file_numbers)))


class PositionTable:
    """Positions in a sequence, found by the hash of a key the caller can make again from the
    item at a position: a multimap for hundreds of thousands of names at 8 bytes or so an entry,
    where a dict or set holding each key (a string of 60 to 100 bytes) and its slot costs 150.
    Every position whose slot is on the key's path is offered; the caller keeps those whose key
    is the one sought (the check on hit). Sized once for ``capacity`` entries."""

    def __init__(self, capacity: int) -> None:
        size = 16
        while size < 2 * capacity:
            size *= 2
        self._slots = array("I", bytes(4 * size))
        """0 for an empty slot, else a position plus one."""
        self._room = capacity

    def add(self, key_hash: int, position: int) -> None:
        if self._room <= 0:
            raise ValueError("the table is full: it was sized for fewer entries")
        self._room -= 1
        mask = len(self._slots) - 1
        slot = key_hash & mask
        while self._slots[slot]:
            slot = (slot + 1) & mask
        self._slots[slot] = position + 1

    def candidates(self, key_hash: int) -> Iterator[int]:
        """The positions that may have this key: every one added with it, and some others."""
        mask = len(self._slots) - 1
        slot = key_hash & mask
        while at := self._slots[slot]:
            yield at - 1
            slot = (slot + 1) & mask
