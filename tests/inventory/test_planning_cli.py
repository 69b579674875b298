"""`borough inventory waves` on a real register: the plan printed, and --apply writing with history."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.main import app
from inventory.register.model import Dependency, State, Strategy, System
from inventory.store import open_store

runner = CliRunner()


def seed(url: str, on: str | None = None) -> None:
    systems = [
        System(id="identity", name="Identity", strategy=Strategy.rehost, state=State.assessed),
        System(id="crm", name="CRM", strategy=Strategy.replatform, state=State.assessed, wave=7),
        System(id="portal", name="Portal", strategy=Strategy.refactor, state=State.assessed),
        System(id="housing", name="Housing", strategy=Strategy.rehost, state=State.assessed),
        System(id="repairs", name="Repairs", strategy=Strategy.rehost, state=State.assessed),
        System(id="fax", name="Fax", strategy=Strategy.retire, state=State.assessed),
    ]
    deps = [
        Dependency(source="crm", target="identity"),
        Dependency(source="portal", target="crm"),
        Dependency(source="housing", target="repairs"),
        Dependency(source="repairs", target="housing"),
        Dependency(source="housing", target="fax"),
    ]
    with open_store(url) as store:
        from inventory.register.when import parse_on

        store.import_estate(systems, deps, actor="seed", reason="test", on=parse_on(on) if on else None)


def waves(url: str, *args: str):
    return runner.invoke(app, ["inventory", "waves", "--db", url, "--start", "2027-02", *args])


def test_plan_as_json_names_groups_cycles_and_reasons(db_url: str) -> None:
    seed(db_url)
    result = waves(db_url, "--capacity", "2", "--blackout", "03", "--format", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    placed = {s: g["wave"] for g in plan["groups"] for s in g["systems"]}
    assert placed == {"housing": 1, "repairs": 1, "identity": 2, "crm": 3, "portal": 4}
    assert [w["month"] for w in plan["waves"]] == ["2027-02", "2027-04", "2027-05", "2027-06"]
    assert plan["cycles"] == [{"systems": ["housing", "repairs"], "example": ["housing", "repairs", "housing"]}]
    identity = next(g for g in plan["groups"] if g["systems"] == ["identity"])
    assert identity["reasons"] == ["depends on nothing still to migrate", "capacity full in wave 1", "skipped blackout month 2027-03"]
    crm = next(g for g in plan["groups"] if g["systems"] == ["crm"])
    assert crm["reasons"] == ["after identity (wave 2)"]
    assert plan["not_migrating"] == [{"system": "fax", "why": "strategy retire: decommissioned, not migrated"}]
    with open_store(db_url) as store:
        assert store.get("crm").wave == 7, "a plan without --apply writes nothing"


def test_apply_writes_waves_with_history_and_is_idempotent(db_url: str) -> None:
    seed(db_url)
    result = waves(db_url, "--apply")
    assert result.exit_code == 0, result.output
    assert "applied: 5 system(s)" in result.stderr
    with open_store(db_url) as store:
        assert {s.id: s.wave for s in store.list()} == {"identity": 1, "crm": 2, "portal": 3, "housing": 1, "repairs": 1, "fax": None}
        crm_events = [e for e in store.history("crm") if e.action == "waves"]
        assert [e.changes for e in crm_events] == [{"wave": [7, 2]}]
        assert crm_events[0].reason == "waves plan from 2027-02"
    again = waves(db_url, "--apply")
    assert again.exit_code == 0
    assert "applied: 0 system(s)" in again.stderr
    with open_store(db_url) as store:
        assert len([e for e in store.history() if e.action == "waves"]) == 5


def test_apply_stores_the_months_with_the_reason_actor_and_date_given(db_url: str) -> None:
    seed(db_url, on="2026-10-01")
    result = waves(db_url, "--apply", "--blackout", "03", "--reason", "board 12/11/2026", "--actor", "asha", "--on", "12/11/2026")
    assert result.exit_code == 0, result.output
    with open_store(db_url) as store:
        assert store.wave_months() == {1: "2027-02", 2: "2027-04", 3: "2027-05"}
        [event] = [e for e in store.history("crm") if e.action == "waves"]
        assert (event.actor, event.at.date().isoformat()) == ("asha", "2026-11-12")
        assert event.reason == "board 12/11/2026 (waves plan from 2027-02, blackout months 03)"
    report = json.loads(runner.invoke(app, ["report", "waves", "--db", db_url, "--format", "json", "--today", "2027-01-20"]).stdout)
    assert [(w["wave"], w["month"]) for w in report["waves"]] == [(1, "2027-02"), (2, "2027-04"), (3, "2027-05"), (None, None)]


def test_a_future_or_bad_on_date_is_refused_and_nothing_is_written(sqlite_url: str) -> None:
    seed(sqlite_url)
    future = waves(sqlite_url, "--apply", "--on", "2099-01-01")
    assert future.exit_code == 2 and "--on '2099-01-01' is in the future" in future.stderr
    bad = waves(sqlite_url, "--apply", "--on", "31/02/2027")
    assert bad.exit_code == 2 and "--on '31/02/2027' is not a date" in bad.stderr
    with open_store(sqlite_url) as store:
        assert store.wave_months() == {} and store.get("crm").wave == 7
    early = waves(sqlite_url, "--apply", "--on", "2026-01-01")
    assert early.exit_code == 2 and "--on 2026-01-01 is before its last recorded change" in early.stderr
    with open_store(sqlite_url) as store:
        assert store.wave_months() == {} and store.get("crm").wave == 7, "all or nothing"


def test_table_and_markdown_say_why(sqlite_url: str) -> None:
    seed(sqlite_url)
    table = waves(sqlite_url)
    assert table.exit_code == 0
    assert "after identity (wave 1)" in table.stdout
    assert "cycle: housing, repairs move together" in table.stdout
    markdown = waves(sqlite_url, "--format", "markdown")
    assert "### Wave plan" in markdown.stdout
    assert "| 2 | 2027-03 | crm | crm | 7 | after identity (wave 1) |" in markdown.stdout


def test_bad_options_exit_2_with_one_line(sqlite_url: str) -> None:
    seed(sqlite_url)
    bad_start = waves(sqlite_url, "--start", "2027-13")
    assert bad_start.exit_code == 2
    assert "start month '2027-13' is not YYYY-MM" in bad_start.stderr
    bad_blackout = waves(sqlite_url, "--blackout", "Mar")
    assert bad_blackout.exit_code == 2
    assert "blackout month 'Mar'" in bad_blackout.stderr
    assert waves(sqlite_url, "--capacity", "0").exit_code == 2
    assert waves(sqlite_url, "--format", "csv").exit_code == 2
