"""Every report on a small hand-built estate, with the exact figures a board would read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inventory.register.model import (
    Classification,
    Criticality,
    Dependency,
    DependencyKind,
    Estate,
    Event,
    Hosting,
    State,
    Strategy,
    System,
    TimeCategory,
)
from inventory.reports import ReportError, ReportName, ReportParams, build_report

TODAY = dt.date(2027, 1, 15)
UTC = dt.timezone.utc


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def estate() -> Estate:
    systems = [
        System(
            id="council-tax", name="Council Tax", service_area="Revenues", business_owner="Head of Revenues",
            technical_owner="Apps Team", hosting=Hosting.on_premises, criticality=Criticality.mission_critical,
            data_classification=Classification.official_sensitive, personal_data=True, annual_cost=Decimal("12500"),
            support_end=dt.date(2026, 12, 31), contract_end=dt.date(2029, 3, 31), strategy=Strategy.repurchase,
            time_category=TimeCategory.migrate, state=State.planned, target_hosting=Hosting.saas, wave=2,
        ),
        System(
            id="payroll", name="Payroll", service_area="HR", supplier="Paysoft", hosting=Hosting.supplier_hosted,
            criticality=Criticality.business_critical, personal_data=True, annual_cost=Decimal("40000.50"),
            contract_end=dt.date(2027, 3, 31), support_end=dt.date(2028, 1, 1), strategy=Strategy.retire,
            time_category=TimeCategory.eliminate, state=State.assessed,
        ),
        System(
            id="portal", name="Resident Portal", service_area="Customer", business_owner="Head of Digital",
            hosting=Hosting.azure, criticality=Criticality.business_critical, strategy=Strategy.refactor,
            time_category=TimeCategory.invest, state=State.migrated, wave=1, annual_cost=Decimal("9999.99"),
        ),
        System(
            id="gis", name="GIS", service_area="Planning", hosting=Hosting.on_premises, criticality=Criticality.mission_critical,
            support_end=dt.date(2027, 6, 30), contract_end=dt.date(2027, 2, 1), time_category=TimeCategory.tolerate,
            state=State.discovered, wave=1,
        ),
        System(
            id="fax-gateway", name="Fax Gateway", service_area="Customer", hosting=Hosting.on_premises,
            criticality=Criticality.non_critical, strategy=Strategy.retire, state=State.decommissioned,
            annual_cost=Decimal("1000"), support_end=dt.date(2020, 1, 1), time_category=TimeCategory.eliminate,
        ),
    ]
    dependencies = [
        Dependency(source="council-tax", target="payroll", kind=DependencyKind.api, description="staff recharge"),
        Dependency(source="portal", target="council-tax", kind=DependencyKind.api),
        Dependency(source="council-tax", target="gis", kind=DependencyKind.data_feed),
        Dependency(source="gis", target="fax-gateway", kind=DependencyKind.file_transfer),
    ]
    events = [
        Event(at=at("2026-10-01T09:00:00"), actor="a", system_id=s.id, action="import", changes={"state": [None, first]})
        for s, first in zip(systems, ["assessed", "assessed", "planned", "discovered", "planned"])
    ] + [
        Event(at=at("2026-11-03T10:00:00"), actor="a", system_id="portal", action="move", changes={"state": ["planned", "migrating"]}),
        Event(at=at("2026-12-20T10:00:00"), actor="a", system_id="portal", action="move", changes={"state": ["migrating", "migrated"]}),
        Event(at=at("2026-12-21T10:00:00"), actor="a", system_id="fax-gateway", action="move", changes={"state": ["planned", "decommissioned"]}),
        Event(at=at("2027-01-05T10:00:00"), actor="a", system_id="council-tax", action="move", changes={"state": ["assessed", "planned"]}),
        Event(at=at("2027-01-06T10:00:00"), actor="a", system_id="council-tax", action="update", changes={"wave": [None, 2]}),
    ]
    return Estate(systems=systems, dependencies=dependencies, events=events)


def report(estate: Estate, name: str, months: int | None = None) -> dict[str, list[tuple]]:
    tables = build_report(ReportName(name), estate, ReportParams(today=TODAY, months=months))
    return {t.title: list(t.rows) for t in tables}


def test_portfolio_counts_and_costs(estate: Estate) -> None:
    tables = report(estate, "portfolio")
    grid = {row[0]: row[1:] for row in tables["Systems by state and strategy"]}
    #               retire retain rehost relocate repurchase replatform refactor (none) total
    assert grid["planned"] == (0, 0, 0, 0, 1, 0, 0, 0, 1)
    assert grid["decommissioned"] == (1, 0, 0, 0, 0, 0, 0, 0, 1)
    assert grid["discovered"] == (0, 0, 0, 0, 0, 0, 0, 1, 1)
    assert grid["total"] == (2, 0, 0, 0, 1, 0, 1, 1, 5)
    assert tables["Live systems by service area"] == [
        ("Customer", 1, 1, "£9,999.99"),
        ("HR", 1, 0, "£40,000.50"),
        ("Planning", 1, 0, "£0.00"),
        ("Revenues", 1, 0, "£12,500.00"),
    ]
    hosting = {row[0]: row[1:] for row in tables["Live systems by hosting"]}
    assert hosting["on-premises"] == (2, 0)
    assert hosting["saas"] == (0, 1)
    assert hosting["total"] == (4, 1)
    cost = {row[0]: row[1:] for row in tables["Annual cost of live systems by hosting (GBP)"]}
    assert cost["on-premises"] == ("£12,500.00", 1)
    assert cost["total"] == ("£62,500.49", 1)


def test_progress_per_wave(estate: Estate) -> None:
    assert report(estate, "progress")["Progress by wave: planned against migrated"] == [
        # wave, planned, migrating, on hold, migrated, decommissioned, not started, complete
        (1, 2, 0, 0, 1, 0, 1, "50.0%"),
        (2, 1, 0, 0, 0, 0, 1, "0.0%"),
    ]


def test_progress_by_month_replays_the_history(estate: Estate) -> None:
    rows = report(estate, "progress", months=5)["Progress by month (from the history)"]
    # month, state changes, became migrated, became decommissioned, migrating, migrated, decommissioned, registered
    assert rows == [
        ("2026-09", 0, 0, 0, 0, 0, 0, 0),
        ("2026-10", 0, 0, 0, 0, 0, 0, 5),
        ("2026-11", 1, 0, 0, 1, 0, 0, 5),
        ("2026-12", 2, 1, 1, 0, 1, 1, 5),
        ("2027-01", 1, 0, 0, 0, 1, 1, 5),
    ]


def test_risk_lists_each_kind_of_risk(estate: Estate) -> None:
    tables = report(estate, "risk", months=6)
    assert [(r[0], r[2], r[3]) for r in tables["Support ended or ending within 6 months"]] == [
        ("council-tax", "2026-12-31", "ended 15 days ago"),
        ("gis", "2027-06-30", "ends in 166 days"),
    ]
    assert [(r[0], r[2], r[3], r[4]) for r in tables["Contracts ending within 6 months with no plan"]] == [
        ("gis", "", "2027-02-01", "ends in 17 days"),
        ("payroll", "Paysoft", "2027-03-31", "ends in 75 days"),
    ]
    assert tables["OFFICIAL-SENSITIVE or personal data on unsupported platforms"] == [
        ("council-tax", "Council Tax", "OFFICIAL-SENSITIVE", True, "2026-12-31", "on-premises"),
    ]
    assert [r[0] for r in tables["Mission-critical systems still on-premises"]] == ["council-tax", "gis"]
    assert tables["Dependencies on systems due for retirement"] == [
        ("council-tax", "payroll", "api", "assessed", None, "staff recharge"),
    ]
    assert tables["Risk summary"][0] == ("Support ended or ending within 6 months", 2)


def test_risk_window_follows_months(estate: Estate) -> None:
    tables = report(estate, "risk", months=1)
    assert [r[0] for r in tables["Support ended or ending within 1 months"]] == ["council-tax"]
    assert [r[0] for r in tables["Contracts ending within 1 months with no plan"]] == ["gis"]


def test_waves_report_flags_order_problems(estate: Estate) -> None:
    tables = report(estate, "waves")
    # wave, month, systems, done, migrating, on hold, not started, still to move, mission-critical, cost
    assert tables["Waves"] == [
        (1, "", 2, 1, 0, 0, 1, 1, 1, "£9,999.99"), (2, "", 1, 0, 0, 0, 1, 1, 1, "£12,500.00"), ("none yet", "", 0, 0, 0, 0, 0, 0, 0, "£0.00"),
    ]
    assert [(r[0], r[1]) for r in tables["Systems by wave"]] == [(1, "gis"), (1, "portal"), (2, "council-tax")]
    assert tables["Wave order problems"] == []


def test_waves_report_flags_a_system_moving_before_its_dependency(estate: Estate) -> None:
    systems = [s.model_copy(update={"wave": 3}) if s.id == "gis" else s for s in estate.systems]
    systems += [System(id="crm", name="CRM", wave=1), System(id="webchat", name="Web chat")]
    deps = [
        *estate.dependencies,
        Dependency(source="crm", target="council-tax"),
        Dependency(source="crm", target="fax-gateway"),
        Dependency(source="crm", target="webchat"),
    ]
    tables = report(Estate(systems=systems, dependencies=deps), "waves")
    assert tables["Wave order problems"] == [
        ("crm", 1, "council-tax", 2, "moves before council-tax (wave 2), which it depends on"),
        ("crm", 1, "webchat", None, "depends on webchat, which has no wave"),
        ("council-tax", 2, "gis", 3, "moves before gis (wave 3), which it depends on"),
    ]


def test_caf_scope_names_critical_systems_owners_and_dependencies(estate: Estate) -> None:
    tables = report(estate, "caf")
    scope = tables["CAF scope: mission- and business-critical systems"]
    assert [(r[0], r[2], r[4], r[6], r[9], r[10]) for r in scope] == [
        ("council-tax", "mission-critical", "Head of Revenues", "on-premises", "gis, payroll", "portal"),
        ("gis", "mission-critical", "", "on-premises", "fax-gateway", "council-tax"),
        ("payroll", "business-critical", "", "supplier-hosted", "", "council-tax"),
        ("portal", "business-critical", "Head of Digital", "azure", "council-tax", ""),
    ]
    assert ("gis", "fax-gateway", "file transfer", "non-critical", "on-premises", False) in tables["Dependencies of critical systems"]
    assert tables["Critical systems without a named owner"] == [
        ("gis", "business owner, technical owner"),
        ("payroll", "business owner, technical owner"),
        ("portal", "technical owner"),
    ]


def test_time_quadrant(estate: Estate) -> None:
    tables = report(estate, "time")
    assert tables["TIME quadrant (live systems)"] == [
        ("high", "migrate: 1", "invest: 1"),
        ("low", "eliminate: 1", "tolerate: 1"),
    ]
    assert tables["TIME categories"] == [
        ("tolerate", 1, "£0.00", "gis"),
        ("invest", 1, "£9,999.99", "portal"),
        ("migrate", 1, "£12,500.00", "council-tax"),
        ("eliminate", 1, "£40,000.50", "payroll"),
    ]


def test_negative_months_is_bad_input(estate: Estate) -> None:
    with pytest.raises(ReportError) as info:
        report(estate, "risk", months=-1)
    assert info.value.exit_code == 2
