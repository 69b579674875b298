"""The table of links an import makes: each link once, a repeat named at its first place."""

from __future__ import annotations

from inventory.importing.compact import LinkTable, NewLinks, compact_dependency
from inventory.register.model import DependencyKind


def test_every_repeat_is_found_at_its_first_place_as_the_table_grows_past_many_collisions() -> None:
    links = NewLinks()
    pairs = [(f"sys-{i % 97}", f"sys-{i}") for i in range(3_000)]
    for row, (source, target) in enumerate(pairs, start=2):
        assert links.first_place(source, target) is None
        links.add_at(compact_dependency(source, target, DependencyKind.unknown, ""), "a.csv" if row % 2 else "b.csv", row)
    assert [(d.source, d.target) for d in links.links] == pairs
    assert links.first_place("sys-3", "sys-3") == "a.csv:5"
    assert links.first_place("sys-4", "sys-4") == "b.csv:6"
    assert links.first_place("sys-89", "sys-2999") == "a.csv:3001"
    assert links.first_place("sys-2999", "sys-89") is None  # the other way round is another link
    assert links.first_place("sys-0", "sys-3000") is None


def test_a_table_refuses_a_second_link_with_the_same_ends() -> None:
    table = LinkTable()
    assert table.add(compact_dependency("a", "b", DependencyKind.unknown, ""))
    assert table.add(compact_dependency("b", "a", DependencyKind.unknown, ""))
    assert not table.add(compact_dependency("a", "b", DependencyKind.api, "again"))
    assert [(d.source, d.target, d.kind) for d in table.links] == [("a", "b", DependencyKind.unknown), ("b", "a", DependencyKind.unknown)]
    assert table.position("b", "a") == 1 and table.position("a", "c") is None
