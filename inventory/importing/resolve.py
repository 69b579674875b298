"""Resolving what an import names, once every file is read and the register is at hand.

Two things are settled here, every problem collected, nothing raised:

- **Ids made from names.** A row without an id is, in order: the registered system whose id is the
  row's slug and whose name matches (the same names-only sheet imported again); else the one
  registered system with that name (a register that already has ids of its own, say ``ctax`` for
  "Council Tax"); else a new system with the slug as its id. Two rows that end up with the same id
  (``Children's Social Care`` and ``Childrens Social Care`` both make ``childrens-social-care``)
  are reported at each row, naming the others; so is a row whose name is that of a row with an
  id in the same import (one system twice, or two that only an id can tell apart).
- **Dependency ends.** An end may be written as an id or as a name, case and spacing ignored,
  and may name a system in the import or in the register. A name that fits no system, or more
  than one, is reported at its cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from inventory.errors import Problem
from inventory.importing.compact import NewLinks, PositionTable, compact_dependency
from inventory.importing.records import Collected, DependencyRef, End, Place
from inventory.importing.result import DerivedId
from inventory.importing.slugs import id_form, name_key
from inventory.register.model import Dependency, DependencyKind, System


def resolve(out: Collected, registered: dict[str, str]) -> list[DerivedId]:
    """Give derived rows their ids and turn ``out.refs`` into ``out.dependencies`` (emptying
    ``out.refs``, and ``out.derived`` when there are links).

    ``registered`` maps each registered id to its name. Returns the ids made for rows without
    one, in file order, for the import summary.
    """
    derived = _derive_ids(out, registered)
    for d, item in zip(out.derived, derived):
        if d.index is not None and item.id != d.id:
            out.systems.set_id(d.index, item.id)
    if out.derived:  # the name maps below cost hundreds of bytes a row: only built when needed
        _report_collisions(out, derived)
    _report_lookalikes(out, derived)
    if out.refs:
        own = {d.id: item.id for d, item in zip(out.derived, derived) if item.id != d.id}
        names = _Names(out, registered, derived)
        out.derived.clear()  # all it told is in ``derived``, ``own`` and ``names``: let go before the links are made
        out.dependencies = _dependencies(out, names, own)
    else:
        out.dependencies = []
    return derived


def _derive_ids(out: Collected, registered: dict[str, str]) -> list[DerivedId]:
    by_name: dict[str, list[str]] = defaultdict(list)
    for system_id, name in sorted(registered.items()):
        by_name[name_key(name)].append(system_id)
    explicit = {name_key(s.name): s.id for s in _explicit(out)} if out.derived else {}
    made = []
    for d in out.derived:
        key, slug = name_key(d.name), d.id
        candidates = by_name.get(key, [])
        if key in explicit:
            final, by_register = slug, False
            file, row = out.system_places[explicit[key]]
            _problem(out, d.place, f"'{d.name}' is also the name of {explicit[key]} on {file}:{row}; give this row its id, or drop it if it is the same system")
        elif slug in registered and name_key(registered[slug]) == key:
            final, by_register = slug, False
        elif len(candidates) == 1:
            final, by_register = candidates[0], candidates[0] != slug
        else:
            final, by_register = slug, False
            if candidates:
                _problem(out, d.place, f"'{d.name}' is the name of {len(candidates)} registered systems ({', '.join(candidates)}); give this row its id")
        made.append(DerivedId(file=d.place.file, row=d.place.row, name=d.name, id=final, registered_by_name=by_register))
    return made


def _report_lookalikes(out: Collected, derived: list[DerivedId]) -> None:
    """Names mixing scripts, or alike but for spaces, case or look-alike letters (lookalikes)."""
    from inventory.importing.lookalikes import NamedRow, problems

    made: list[DerivedId | None] = [None] * len(out.systems)  # by position: a dict would cost 100 bytes a row
    for d, item in zip(out.derived, derived):
        if d.index is not None:
            made[d.index] = item

    def named(index: int, system: System) -> NamedRow | None:
        item = made[index]
        if item is not None:
            return NamedRow(item.id, system.name, item.file, item.row, derived=True)
        if system.id in out.system_places:
            file, row = out.system_places[system.id]
            return NamedRow(system.id, system.name, file, row)
        return None

    def rows() -> Iterator[tuple[int, NamedRow]]:  # one at a time: an import may hold hundreds of thousands
        for index, system in enumerate(out.systems):
            row = named(index, system)
            if row is not None:
                yield index, row

    def row_at(index: int) -> NamedRow:
        row = named(index, out.systems[index])
        assert row is not None
        return row

    for row, message in problems(rows(), row_at, len(out.systems)):
        out.problems.append(Problem(row.file, row.row, "name", message))


def _explicit(out: Collected) -> Iterator[System]:
    """The systems of the import that were given an id (one at a time: they are kept compactly)."""
    derived_rows = {d.index for d in out.derived}
    return (s for i, s in enumerate(out.systems) if i not in derived_rows)


def _report_collisions(out: Collected, derived: list[DerivedId]) -> None:
    """Every row whose id is also another row's, when at least one of them was made from a name
    (two rows giving the same id explicitly were reported as they were read)."""
    from collections import Counter

    counts = Counter(out.system_places.keys())
    counts.update(item.id for item in derived)
    shared = {system_id for system_id, n in counts.items() if n > 1}  # claims are spelt out for these only
    del counts
    claims: dict[str, list[str]] = defaultdict(list)
    for system_id, (file, row) in out.system_places.items():
        if system_id in shared:
            claims[system_id].append(f"the id on {file}:{row}")
    for item in derived:
        if item.id in shared:
            claims[item.id].append(f"'{item.name}' on {item.file}:{item.row}")
    for d, item in zip(out.derived, derived):
        if item.id not in shared:
            continue
        mine = f"'{item.name}' on {item.file}:{item.row}"
        others = [c for c in claims[item.id] if c != mine]
        if others:
            _problem(
                out, d.place,
                f"'{item.name}' makes the id '{item.id}', as does {' and '.join(others)}; give these rows ids of their own in an id column",
            )


class _Names:
    """Every system the import can name, by id and by name (the import's names win over the register's).

    Names are found through a table of positions (:class:`compact.PositionTable`), each hit checked
    against the name at that position: a dict of name keys cost about 130 bytes a system."""

    def __init__(self, out: Collected, registered: dict[str, str], derived: list[DerivedId]) -> None:
        in_file = {s.id: s.name for s in _explicit(out)}
        taken = {name_key(name) for name in in_file.values()}
        # a row without an id whose name a row with an id already has was reported; it names nothing
        in_file.update({item.id: item.name for item in derived if name_key(item.name) not in taken})
        del taken
        self.registered, self.in_file, self.places = registered, in_file, out.system_places
        self.ids = [system_id for system_id in registered if system_id not in in_file]
        """Every id with a name, by position in the name table."""
        self.ids.extend(in_file)
        self.by_name = PositionTable(len(self.ids))
        for position, system_id in enumerate(self.ids):
            self.by_name.add(hash(name_key(self._name(system_id))), position)
        self.made = {d.id: item.id for d, item in zip(out.derived, derived) if item.id in in_file and item.id != d.id}
        """The id a row's name makes -> the id it was given, where they differ (it matched the register by name)."""

    def _name(self, system_id: str) -> str:
        return self.in_file[system_id] if system_id in self.in_file else self.registered[system_id]

    def _known(self, system_id: str) -> bool:
        return system_id in self.registered or system_id in self.in_file or system_id in self.places

    def find(self, written: str) -> set[str]:
        key = name_key(written)
        found = {self.ids[at] for at in self.by_name.candidates(hash(key)) if name_key(self._name(self.ids[at])) == key}
        as_id = id_form(written)
        if self._known(as_id):
            found.add(as_id)
        elif as_id in self.made:
            found.add(self.made[as_id])
        return found


def _end(out: Collected, lookup: _Names, end: End, own: dict[str, str]) -> str | None:
    if end.own:
        return own.get(end.text, end.text)
    found = lookup.find(end.text)
    if len(found) == 1:
        return found.pop()
    if found:
        _problem(out, end.place, f"'{end.text}' could be any of {', '.join(sorted(found))}; write the id instead")
    else:
        _problem(out, end.place, f"no system '{end.text}' in the file or the register")
    return None


def _target(out: Collected, lookup: _Names, ref: DependencyRef, own: dict[str, str]) -> tuple[str | None, DependencyKind | None, str]:
    """A depends-on item's target: the whole item as a name first (``Council Tax (Capita)``), else
    the part before the brackets, with the bracketed kind and description."""
    if ref.whole is not None:
        found = lookup.find(ref.whole)
        if len(found) == 1:
            return found.pop(), None, ""
        if ref.kind_error:
            _problem(out, ref.target.place, ref.kind_error)
            return None, None, ""
    return _end(out, lookup, ref.target, own), ref.kind, ref.description


def _dependencies(out: Collected, lookup: _Names, own: dict[str, str]) -> list[Dependency]:
    made = NewLinks()
    refs, out.refs = out.refs, []
    refs.reverse()
    while refs:
        ref = refs.pop()  # in file order, each let go once resolved: a sheet may name 700,000 links
        source = _end(out, lookup, ref.source, own)
        target, kind, description = _target(out, lookup, ref, own)
        if source is None or target is None:
            continue
        if source == target:
            _problem(out, ref.target.place, f"'{source}' cannot depend on itself")
            continue
        first = made.first_place(source, target)
        if first is not None:
            _problem(out, ref.target.place, f"{source} -> {target} is already on {first}")
            continue
        made.add_at(compact_dependency(source, target, kind or DependencyKind.unknown, description), ref.target.place.file, ref.target.place.row)
    return made.links


def _problem(out: Collected, place: Place, message: str) -> None:
    out.problems.append(Problem(place.file, place.row, place.column, message))
