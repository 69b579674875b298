"""Every figure on the HTML board pack is the figure `borough report ... --format json` gives.

The page is written by the CLI (`report html --db ...`) and read back as a person reads it (its
tables and headline list); each number is compared with the JSON report of the same register and
day, on three registers of different shapes: the sample estate, a names-only council register
imported through a mapping and then moved along for a while, and a generated 2,000-system estate
with a year of history.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from html_estates import REPO, TODAY, bench_module
from html_tables import PageTables, number, pounds
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()
REPORTS = ("portfolio", "progress", "risk", "waves", "caf", "time", "outlook")
SINCE = "2026-06-30"


def _sample(url: str) -> None:
    from inventory.sample import load_sample
    from inventory.store import open_store

    with open_store(url) as store:
        load_sample(store)


def _names_only(url: str) -> None:
    """Northbridge's register (names, no ids) through its mapping, then strategies, waves and moves."""
    examples = REPO / "inventory" / "examples"
    result = runner.invoke(app, ["inventory", "import", str(examples / "northbridge-register.xlsx"),
                                 "--mapping", str(examples / "northbridge-register-mapping.yaml"), "--db", url])
    assert result.exit_code == 0, result.output
    from inventory.register.model import State
    from inventory.planning import Month, PlanOptions, plan_register
    from inventory.store import open_store

    with open_store(url) as store:
        ids = list(store.iter_ids())
        for i, system_id in enumerate(ids):
            strategy = ("rehost", "repurchase", "retain", "retire")[i % 4]
            changes: dict[str, Any] = {"strategy": strategy}
            if strategy in ("rehost", "repurchase"):
                changes["target_hosting"] = "azure" if strategy == "rehost" else "saas"
            store.update(system_id, changes)
            store.move(system_id, State.assessed)
    plan_register(url, PlanOptions(start=Month(2026, 6)), apply=True)
    with open_store(url) as store:
        waved = [s.id for s in store.list() if s.wave is not None]
        for i, system_id in enumerate(waved[:12]):
            store.move(system_id, State.planned)
            if i % 3 == 0 and store.get(system_id).strategy.value in ("rehost", "repurchase"):
                store.move(system_id, State.migrating)
            elif i % 3 == 1:
                store.move(system_id, State.on_hold)
        assert store.list(state=State.planned) and store.list(state=State.on_hold)


def _generated(url: str) -> None:
    from inventory.store import open_store

    estate = bench_module().estate(2_000)
    with open_store(url) as store:
        store.import_estate(estate.systems, estate.dependencies, actor="bench")
        store.append_history(estate.events)


REGISTERS = {"sample": _sample, "names-only": _names_only, "generated-2000": _generated}


@pytest.fixture(scope="module", params=sorted(REGISTERS))
def register(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[PageTables, dict[str, Any]]:
    """The page and the six JSON reports of one register, each written by the CLI."""
    folder = tmp_path_factory.mktemp(request.param)
    url = f"sqlite:///{folder / 'inventory.db'}"
    REGISTERS[request.param](url)
    day = ["--today", TODAY.isoformat(), "--db", url, "--since", SINCE]
    page = folder / "estate.html"
    result = runner.invoke(app, ["report", "html", "--output", str(page), *day])
    assert result.exit_code == 0, result.output
    records = {}
    for name in REPORTS:
        result = runner.invoke(app, ["report", name, "--format", "json", *day])
        assert result.exit_code == 0, result.output
        records[name] = json.loads(result.stdout)
    return PageTables(page.read_text(encoding="utf-8")), records


def _money_equal(shown: str, exact: str) -> bool:
    return abs(pounds(shown) - Decimal(exact)) <= Decimal("0.5")


def test_headline_figures_are_the_reports(register: tuple[PageTables, dict[str, Any]]) -> None:
    page, json_ = register
    totals = json_["portfolio"]["totals"]
    head = page.summary
    assert number(head["Systems in the register"]) == totals["systems"]
    assert number(head["Live systems"]) == totals["live_systems"]
    assert number(head["Migrated or decommissioned"].split(" ")[0]) == totals["migrated"] + totals["decommissioned"]
    assert _money_equal(head["Annual cost of live systems"].split(" ")[0], totals["annual_cost"])
    for risk in json_["risk"]["summary"]:
        if risk["title"] in head:
            assert number(head[risk["title"]].split(" ")[0]) == risk["count"], risk["title"]
    assert number(head["Systems in CAF scope"].split(" ")[0]) == len(json_["caf"]["scope"])


def test_the_wave_plan_is_the_waves_report_and_agrees_with_progress(register: tuple[PageTables, dict[str, Any]]) -> None:
    page, json_ = register
    shown = page.records("Each wave's systems by state, with their cost")
    waves = json_["waves"]["waves"]
    assert [r["wave"] for r in shown] == [
        ("no wave yet" if w["wave"] is None else f"Wave {w['wave']}" + (f", {w['month']}" if w["month"] else "")) for w in waves
    ]
    for row, wave in zip(shown, waves):
        for header, field in (("systems", "systems"), ("done", "done"), ("migrating", "migrating"), ("on hold", "on_hold"),
                              ("not started", "not_started"), ("mission-critical", "mission_critical")):
            assert number(row[header]) == wave[field], (row["wave"], header)
        assert number(row["done"]) + number(row["migrating"]) + number(row["on hold"]) + number(row["not started"]) == number(row["systems"])
        assert _money_equal(row["annual cost"], wave["annual_cost"])
    progress = {r["wave"]: r for r in page.records("Each wave: planned against done")}
    assert list(progress) == [str(w["wave"]) for w in json_["progress"]["by_wave"]]
    for wave in json_["progress"]["by_wave"]:
        row = progress[str(wave["wave"])]
        for header, field in (("planned", "planned"), ("migrating", "migrating"), ("on hold", "on_hold"), ("migrated", "migrated"),
                              ("decommissioned", "decommissioned"), ("not started", "not_started")):
            assert number(row[header]) == wave[field], (wave["wave"], header)
        plan_row = next(r for r in shown if r["wave"].split(",")[0] == f"Wave {wave['wave']}")
        assert (plan_row["migrating"], plan_row["on hold"], plan_row["not started"]) == (row["migrating"], row["on hold"], row["not started"]), (
            "the wave chart and the progress table above it count the same systems"
        )


def test_progress_by_month_is_the_progress_report(register: tuple[PageTables, dict[str, Any]]) -> None:
    page, json_ = register
    shown = page.records("Systems in each state at each month's end")
    months = json_["progress"]["by_month"]
    assert [r["month"] for r in shown] == [m["month"] for m in months]
    for row, month in zip(shown, months):
        assert {s: number(row[s]) for s in month["by_state"]} == month["by_state"]
        assert number(row["state changes"]) == month["state_changes"]


def test_risk_portfolio_time_and_caf_tables_are_the_reports(register: tuple[PageTables, dict[str, Any]]) -> None:
    page, json_ = register
    assert [(r["risk"], number(r["systems"])) for r in page.records("Risks by kind")] == [(c["title"], c["count"]) for c in json_["risk"]["summary"]]
    hosting = page.records("Live systems and annual cost by hosting")
    assert [(r["hosting"], number(r["systems"]), number(r["heading there"]), number(r["without a cost"])) for r in hosting] == [
        (h["hosting"], h["systems"], h["heading_there"], h["systems_without_cost"]) for h in json_["portfolio"]["by_hosting"]
    ]
    assert all(_money_equal(r["annual cost"], h["annual_cost"]) for r, h in zip(hosting, json_["portfolio"]["by_hosting"]))
    areas = {r["service area"]: r for r in page.records("Systems and annual cost by service area")}
    assert len(areas) == len(json_["portfolio"]["by_service_area"])
    for area in json_["portfolio"]["by_service_area"]:
        row = areas[area["service_area"] or "(none)"]
        assert (number(row["systems"]), number(row["migrated"])) == (area["systems"], area["migrated"])
        assert _money_equal(row["annual cost"], area["annual_cost"])
    time = page.records("Live systems by TIME category")
    assert [(r["category"], number(r["systems"])) for r in time] == [
        (c["category"] or "unclassified", c["systems"]) for c in json_["time"]["categories"]
    ]
    scope = page.records("Mission- and business-critical systems (CAF scope)")
    assert [r["system"] for r in scope] == [s["system"] for s in json_["caf"]["scope"][: len(scope)]]
    assert len(scope) == min(50, len(json_["caf"]["scope"]))


def test_time_quadrant_says_not_recorded_when_the_register_has_no_time_data(register: tuple[PageTables, dict[str, Any]]) -> None:
    page, json_ = register
    quadrant = page.tables["TIME quadrant of live systems"]
    cells = [cell for row in quadrant for cell in row[1:]]
    recorded = any(c["category"] and c["systems"] for c in json_["time"]["categories"])
    if recorded:
        counts = {c["category"]: c["systems"] for c in json_["time"]["categories"] if c["category"]}
        for cell in cells:
            category = cell.split(" ")[0].lower()
            assert f"{counts.get(category, 0):,} systems" in cell, cell
    else:
        assert all("not recorded" in cell and "£" not in cell for cell in cells), cells


def test_a_register_without_time_data_is_among_those_checked() -> None:
    """The names-only register has no TIME column: the quadrant test above meets both cases."""
    from inventory.importing import read_file

    examples = REPO / "inventory" / "examples"
    systems, _ = read_file(examples / "northbridge-register.xlsx", examples / "northbridge-register-mapping.yaml")
    assert systems and all(s.time_category is None for s in systems)



def test_the_first_page_is_the_outlook_and_risk_reports(register: tuple[PageTables, dict[str, Any]]) -> None:
    page, json_ = register
    outlook = json_["outlook"]
    assert outlook["since"] == SINCE
    shown = page.records(f"Figures now and on {SINCE} (replayed from the history)")
    assert [(r["figure"], number(r["now"]), number(r[f"on {SINCE}"]), int(r["change"].replace(",", ""))) for r in shown] == [
        (f["label"], f["now"], f["then"], f["change"]) for f in outlook["figures"]
    ]
    waves = page.records("Waves against their months (red, amber, green)")
    assert [(r["wave"], r["month"], number(r["systems"]), number(r["done"]), r["status"]) for r in waves] == [
        (f"Wave {w['wave']}", w["month"] or "—", w["systems"], w["done"], w["status"]) for w in outlook["waves"]
    ]
    for nxt in outlook["next_waves"]:
        caption = next(c for c in page.tables if c.startswith(f"Wave {nxt['wave']},"))
        assert [r["system"] for r in page.records(caption)] == nxt["systems"]
        assert caption.endswith(f"{len(nxt['systems'])} systems to move")
    top = page.records("The ten systems most at risk, worst first")
    assert [(r["system"], number(r["score"]), number(r["months past support"])) for r in top] == [
        (p["system"], p["score"], p["months_past_support"]) for p in sorted(json_["risk"]["priorities"], key=lambda p: p["rank"])
    ]
    assert len(top) == min(10, len(top)) and [p["score"] for p in json_["risk"]["priorities"]] == sorted(
        (p["score"] for p in json_["risk"]["priorities"]), reverse=True)
    cost = page.records("Annual cost of live systems at each month's end")
    months = json_["progress"]["by_month"]
    assert [r["month"] for r in cost] == [m["month"] for m in months]
    assert all(_money_equal(r["annual cost"], m["live_annual_cost"]) for r, m in zip(cost, months))
    if outlook["next_waves"] and outlook["next_wave_links"]:
        links = page.records(f"Every dependency touching wave {outlook['next_waves'][0]['wave']}")
        assert [(r["system"], r["depends on"]) for r in links] == [(k["source"], k["target"]) for k in outlook["next_wave_links"]]


def test_the_sample_says_what_moves_next_and_when_and_what_changed() -> None:
    """The sample register's first page: the next wave's month and systems, and change since the last report."""
    import datetime as dt

    from inventory.reports import ReportName, ReportParams, build_records
    from inventory.sample import sample_estate

    outlook = build_records(ReportName.outlook, sample_estate(), ReportParams(today=TODAY, since=dt.date(2026, 6, 30)))
    first = outlook.next_waves[0]
    assert first.month == "2026-10" and "active-directory" in first.systems
    done = next(f for f in outlook.figures if f.figure == "done")
    assert done.change is not None and done.then is not None and done.now == done.then + done.change
    assert outlook.overall.value == "red", "wave 1's month has passed with systems still migrating"
