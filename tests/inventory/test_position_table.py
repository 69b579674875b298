"""The table that finds names by position: every entry with a key is offered, others checked away."""

from __future__ import annotations

import pytest

from inventory.importing.compact import PositionTable


def test_every_position_added_with_a_key_is_offered_for_it_even_when_keys_share_a_slot() -> None:
    names = [f"system {i % 500}" for i in range(2_000)]  # each name four times
    table = PositionTable(len(names))
    for position, name in enumerate(names):
        table.add(hash(name) if position % 7 else 3, position)  # every seventh crowds slot 3
    for name in ("system 0", "system 7", "system 499"):
        offered = set(table.candidates(hash(name)))
        assert {p for p, n in enumerate(names) if n == name and p % 7} <= offered
    crowded = [p for p in table.candidates(3)]
    assert {p for p in range(len(names)) if p % 7 == 0} <= set(crowded)


def test_a_table_refuses_more_entries_than_it_was_sized_for() -> None:
    table = PositionTable(2)
    table.add(1, 0)
    table.add(1, 1)
    with pytest.raises(ValueError, match="sized for fewer"):
        table.add(1, 2)
