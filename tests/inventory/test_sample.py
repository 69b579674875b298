"""The sample estate: big and varied enough to demo every report, and consistent with the stacks."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import pytest

from inventory.register.model import (
    Classification,
    Criticality,
    DependencyKind,
    Estate,
    Hosting,
    State,
    Strategy,
    TimeCategory,
)
from inventory.planning import dependency_graph, find_cycles
from inventory.reports import ReportName, ReportParams, build_report
from inventory.sample import load_sample, read_history, sample_estate, sample_path
from inventory.stackfiles import stack_file
from inventory.store import open_store

STACK_SYSTEMS = {"platform-shared-services", "resident-portal", "data-platform"}
STACKS = {"platform-prod", "resident-services-dev", "resident-services-prod", "data-platform-prod"}


@pytest.fixture(scope="module")
def estate() -> Estate:
    return sample_estate()


def test_sample_path_is_the_shipped_yaml() -> None:
    assert sample_path().name == "estate.yaml"
    assert sample_path().is_file()


def test_sample_is_big_enough(estate: Estate) -> None:
    assert len(estate.systems) >= 60
    assert len(estate.dependencies) >= 80


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        (Hosting, lambda e: {s.hosting for s in e.systems} | {s.target_hosting for s in e.systems}),
        (Criticality, lambda e: {s.criticality for s in e.systems}),
        (Classification, lambda e: {s.data_classification for s in e.systems}),
        (Strategy, lambda e: {s.strategy for s in e.systems}),
        (TimeCategory, lambda e: {s.time_category for s in e.systems}),
        (State, lambda e: {s.state for s in e.systems}),
        (DependencyKind, lambda e: {d.kind for d in e.dependencies}),
    ],
)
def test_every_enum_value_appears(estate: Estate, enum: type[Enum], values) -> None:
    assert set(enum) <= values(estate)


def test_stack_systems_are_registered_with_existing_stacks(estate: Estate) -> None:
    by_id = {s.id: s for s in estate.systems}
    assert STACK_SYSTEMS <= set(by_id)
    platform = by_id["platform-shared-services"]
    assert platform.hosting is Hosting.azure and platform.state is State.migrated
    assert by_id["resident-portal"].target_stack == "resident-services-prod"
    assert by_id["data-platform"].target_stack == "data-platform-prod"
    targets = {s.target_stack for s in estate.systems if s.target_stack}
    assert targets <= STACKS
    assert all(stack_file(stack).is_file() for stack in targets)


def test_sample_has_cycles_and_risks_worth_showing(estate: Estate) -> None:
    assert len(find_cycles(dependency_graph(estate))) >= 2
    today = dt.date(2026, 11, 27)
    assert any(s.support_end and s.support_end < today for s in estate.systems)
    assert any(s.contract_end and today < s.contract_end < dt.date(2027, 6, 1) for s in estate.systems)
    summary = build_report(ReportName.risk, estate, ReportParams(today=today))[0]
    assert all(count > 0 for _, count in summary.rows)


def test_history_ends_in_each_systems_current_state(estate: Estate) -> None:
    current = {s.id: s.state for s in estate.systems}
    last: dict[str, State] = {}
    for move in read_history().moves:
        assert move.system in current
        assert last.get(move.system, move.from_state) is move.from_state, f"{move.system} jumps at {move.at.date()}"
        last[move.system] = move.to_state
    assert {s: current[s] for s in last} == last


def test_load_sample_replays_dated_history_once(db_url: str) -> None:
    with open_store(db_url) as store:
        first = load_sample(store)
        assert len(first.added) == len(sample_estate().systems)
        again = load_sample(store)
        assert again.added == [] and again.changed == {}
        loaded = store.load_estate()
    moves = [e for e in loaded.events if e.action == "move"]
    assert len(moves) == len(read_history().moves)
    assert min(e.at for e in loaded.events).date() == dt.date(2025, 9, 1)
    progress = build_report(ReportName.progress, loaded, ReportParams(today=dt.date(2026, 11, 27), months=12))[1]
    by_month = {row[0]: row for row in progress.rows}
    assert by_month["2026-02"][5] == 3, "m365, email-exchange and the platform hub were migrated by February"
    assert by_month["2026-10"][2] == 1, "the data platform went live in October"
