"""Wave planning on small hand-built estates: cycles, dependency order, capacity, blackouts."""

from __future__ import annotations

import pytest

from inventory.register.model import Dependency, Estate, State, Strategy, System
from inventory.planning import Month, PlanningError, PlanOptions, parse_blackout, plan_waves


def system(system_id: str, **fields: object) -> System:
    """An assessed system (the planner leaves never-assessed ones out unless asked)."""
    return System(id=system_id, name=system_id.replace("-", " ").title(), **{"state": State.assessed, **fields})


def dep(source: str, target: str) -> Dependency:
    return Dependency(source=source, target=target)


def estate(ids: list[str], edges: list[tuple[str, str]], **overrides: dict) -> Estate:
    return Estate(
        systems=[system(i, **overrides.get(i.replace("-", "_"), {})) for i in ids],
        dependencies=[dep(s, t) for s, t in edges],
    )


def options(start: str = "2027-01", capacity: int | None = None, blackout: list[str] | None = None) -> PlanOptions:
    return PlanOptions(start=Month.parse(start), capacity=capacity, blackout=parse_blackout(blackout or []))


def reasons_of(plan, system_id: str) -> list[str]:
    return next(g.reasons for g in plan.groups if system_id in g.systems)


def test_dependencies_migrate_before_their_dependents() -> None:
    plan = plan_waves(estate(["crm", "portal", "identity"], [("portal", "crm"), ("crm", "identity")]), options())
    assert plan.assignments == {"identity": 1, "crm": 2, "portal": 3}
    assert reasons_of(plan, "identity") == ["depends on nothing still to migrate"]
    assert reasons_of(plan, "crm") == ["after identity (wave 1)"]
    assert reasons_of(plan, "portal") == ["after crm (wave 2)"]


def test_every_placement_respects_dependency_order() -> None:
    ids = [f"s{i:02d}" for i in range(30)]
    edges = [(ids[i], ids[j]) for i in range(30) for j in (i // 2, i // 3) if j < i]
    plan = plan_waves(estate(ids, edges), options(capacity=4))
    waves = plan.assignments
    assert all(waves[s] >= waves[t] for s, t in edges)
    assert all(len(w.systems) <= 4 for w in plan.waves)


def test_a_cycle_is_reported_and_moves_as_one_group() -> None:
    plan = plan_waves(
        estate(["housing", "repairs", "finance", "gis"], [("housing", "repairs"), ("repairs", "housing"), ("housing", "finance"), ("gis", "gis")]),
        options(),
    )
    assert [c.systems for c in plan.cycles] == [("gis",), ("housing", "repairs")]
    assert plan.cycles[1].example[0] == plan.cycles[1].example[-1]
    group = next(g for g in plan.groups if "housing" in g.systems)
    assert group.systems == ("housing", "repairs")
    assert plan.assignments["housing"] == plan.assignments["repairs"] == 2
    assert group.reasons[:2] == ["cycle: housing, repairs move together", "after finance (wave 1)"]


def test_systems_that_do_not_migrate_take_no_slot_but_are_noted() -> None:
    overrides = {
        "old_payroll": {"strategy": Strategy.retire},
        "ledger": {"strategy": Strategy.retain},
        "fax": {"state": State.decommissioned},
        "portal": {"state": State.migrated},
    }
    plan = plan_waves(
        estate(["old-payroll", "ledger", "fax", "portal", "hr"], [("hr", "old-payroll"), ("hr", "ledger")], **overrides),
        options(capacity=1),
    )
    assert plan.assignments == {"hr": 1}
    assert plan.not_migrating == [
        ("fax", "decommissioned"),
        ("ledger", "strategy retain: stays where it is"),
        ("old-payroll", "strategy retire: decommissioned, not migrated"),
        ("portal", "already migrated"),
    ]
    assert "still depends on old-payroll (due for retirement)" in reasons_of(plan, "hr")


def test_capacity_pushes_groups_to_later_waves_and_says_so() -> None:
    plan = plan_waves(estate(["a", "b", "c", "d", "e"], []), options(capacity=2))
    assert plan.assignments == {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3}
    assert reasons_of(plan, "e") == ["depends on nothing still to migrate", "capacity full in waves 1 to 2"]
    assert [len(w.systems) for w in plan.waves] == [2, 2, 1]


def test_a_group_larger_than_capacity_gets_a_wave_of_its_own() -> None:
    plan = plan_waves(estate(["a", "b", "c", "x"], [("a", "b"), ("b", "c"), ("c", "a")]), options(capacity=2))
    assert plan.assignments == {"a": 1, "b": 1, "c": 1, "x": 2}
    assert "move group of 3 exceeds capacity 2: a wave of its own" in reasons_of(plan, "a")


def test_blackout_months_get_no_wave() -> None:
    plan = plan_waves(estate(["a", "b", "c"], [("b", "a"), ("c", "b")]), options(start="2027-02", blackout=["03", "5"]))
    assert [(w.number, w.month) for w in plan.waves] == [(1, "2027-02"), (2, "2027-04"), (3, "2027-06")]
    assert "skipped blackout month 2027-03" in reasons_of(plan, "b")
    assert "skipped blackout month 2027-05" in reasons_of(plan, "c")


def test_blackouts_carry_over_the_new_year() -> None:
    plan = plan_waves(estate(["a", "b"], [("b", "a")]), options(start="2026-12", blackout=["01"]))
    assert [w.month for w in plan.waves] == ["2026-12", "2027-02"]


def test_changes_are_only_the_waves_that_differ_from_the_register() -> None:
    plan = plan_waves(estate(["a", "b"], [("b", "a")], a={"wave": 1}, b={"wave": 5}), options())
    assert plan.changes() == {"b": 2}
    assert plan.to_dict()["changes"] == [{"system": "b", "from": 5, "to": 2}]


def test_plan_is_deterministic() -> None:
    ids = [f"s{i}" for i in range(12)]
    edges = [(ids[i], ids[(i * 7) % 12]) for i in range(12) if (i * 7) % 12 != i]
    first = plan_waves(estate(ids, edges), options(capacity=3)).to_dict()
    second = plan_waves(estate(list(reversed(ids)), list(reversed(edges))), options(capacity=3)).to_dict()
    assert first == second


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Month.parse("2027-13"), "start month '2027-13' is not YYYY-MM"),
        (lambda: Month.parse("March"), "start month 'March' is not YYYY-MM"),
        (lambda: parse_blackout(["13"]), "blackout month '13' is not a month number 01-12"),
        (lambda: parse_blackout([f"{m:02d}" for m in range(1, 13)]), "every month is a blackout month"),
        (lambda: options(capacity=0), "capacity 0 must be at least 1"),
    ],
)
def test_bad_parameters_are_refused_with_exit_code_2(make, message: str) -> None:
    with pytest.raises(PlanningError, match=message) as info:
        make()
    assert info.value.exit_code == 2


def test_discovered_and_on_hold_systems_are_left_out_unless_asked_and_the_plan_says_why() -> None:
    register = estate(["crm", "portal", "fax"], [("portal", "crm")], crm={"state": State.discovered}, fax={"state": State.on_hold})
    plan = plan_waves(register, options())
    assert plan.assignments == {"portal": 1}
    why = dict(plan.not_migrating)
    assert why["crm"].startswith("discovered: never assessed") and "--include discovered" in why["crm"]
    assert why["fax"].startswith("on hold") and "--include on-hold" in why["fax"]
    from inventory.planning import parse_include

    both = PlanOptions(start=Month.parse("2027-01"), include=parse_include(["discovered", "On Hold"]))
    assert plan_waves(register, both).assignments == {"crm": 1, "fax": 1, "portal": 2}
    with pytest.raises(PlanningError, match="--include 'migrated' is not one of: discovered, on-hold"):
        parse_include(["migrated"])
