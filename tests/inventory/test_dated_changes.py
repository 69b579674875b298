"""`--on DATE`: a register brought up to date records when each change really happened, so the
progress month by month shows the year as it passed, not a spike in the month it was typed in."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from inventory.errors import InventoryError
from inventory.register.when import parse_on

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "inventory" / "examples"


def run(url: str, *args: str, code: int = 0):  # noqa: ANN201
    result = runner.invoke(app, ["inventory", *args, "--db", url])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def test_parse_on_reads_iso_and_uk_dates_and_refuses_the_future() -> None:
    now = dt.datetime(2026, 12, 7, 9, tzinfo=dt.timezone.utc)
    assert parse_on("2026-03-31", now=now) == dt.datetime(2026, 3, 31, 12, tzinfo=dt.timezone.utc)
    assert parse_on("31/03/2026", now=now) == parse_on("2026-03-31", now=now)
    with pytest.raises(InventoryError, match="is in the future"):
        parse_on("2026-12-25", now=now)
    with pytest.raises(InventoryError, match="is not a date"):
        parse_on("March", now=now)
    with pytest.raises(InventoryError, match="outside 2000-01-01"):
        parse_on("1999-12-31", now=now)


def test_every_command_that_records_history_takes_on_reason_and_actor(sqlite_url: str) -> None:
    run(sqlite_url, "add", "crm", "CRM", "--set", "strategy=rehost", "--set", "wave=1", "--set", "target_hosting=saas",
        "--on", "2026-01-10", "--actor", "asha", "--reason", "register started")
    run(sqlite_url, "add", "idp", "Identity", "--on", "2026-01-10")
    run(sqlite_url, "link", "crm", "idp", "--on", "2026-01-11", "--reason", "sso")
    run(sqlite_url, "update", "crm", "--set", "notes=x", "--on", "15/01/2026")
    for state, day in (("assessed", "2026-02-01"), ("planned", "2026-03-01"), ("migrating", "2026-05-04"), ("migrated", "2026-07-20")):
        run(sqlite_url, "move", "crm", state, "--on", day, "--actor", "ben", "--reason", f"to {state}")
    run(sqlite_url, "unlink", "crm", "idp", "--on", "2026-08-01")
    events = json.loads(run(sqlite_url, "history", "crm", "--format", "json").stdout)
    assert [(e["action"], e["at"][:10]) for e in events] == [
        ("add", "2026-01-10"), ("link", "2026-01-11"), ("update", "2026-01-15"), ("move", "2026-02-01"), ("move", "2026-03-01"),
        ("move", "2026-05-04"), ("move", "2026-07-20"), ("unlink", "2026-08-01"),
    ]
    assert (events[0]["actor"], events[0]["reason"]) == ("asha", "register started")
    assert (events[6]["actor"], events[6]["reason"]) == ("ben", "to migrated")
    progress = json.loads(runner.invoke(app, ["report", "progress", "--db", sqlite_url, "--format", "json", "--today", "2026-08-31",
                                              "--months", "8"]).stdout)
    became = {m["month"]: m["became_migrated"] for m in progress["by_month"]}
    assert became["2026-07"] == 1 and sum(became.values()) == 1, "the move shows in the month it happened"
    assert {m["month"]: m["by_state"]["migrating"] for m in progress["by_month"]}["2026-05"] == 1


def test_a_date_before_the_last_change_or_in_the_future_is_refused_and_nothing_changes(sqlite_url: str) -> None:
    run(sqlite_url, "add", "crm", "CRM", "--on", "2026-03-01")
    early = run(sqlite_url, "move", "crm", "assessed", "--on", "2026-02-01", code=2)
    assert "crm: --on 2026-02-01 is before its last recorded change (2026-03-01)" in early.stderr
    future = run(sqlite_url, "update", "crm", "--set", "notes=x", "--on", "2100-01-01", code=2)
    assert "is in the future" in future.stderr
    shown = json.loads(run(sqlite_url, "show", "crm", "--format", "json").stdout)["system"]
    assert (shown["state"], shown["notes"], shown["version_no"]) == ("discovered", "", 1)


def test_import_on_dates_the_import(sqlite_url: str) -> None:
    run(sqlite_url, "import", str(EXAMPLES / "northbridge-register.xlsx"), "--mapping", str(EXAMPLES / "northbridge-register-mapping.yaml"),
        "--on", "2025-11-03", "--reason", "register as kept in November 2025")
    events = json.loads(run(sqlite_url, "history", "--format", "json").stdout)
    assert events and {e["at"][:10] for e in events} == {"2025-11-03"}


def _csv(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_an_imported_state_is_dated_on_the_day_the_sheet_gives(sqlite_url: str, tmp_path: Path) -> None:
    """A "Date Done" column (through the mapping) dates each state change; the rest stays on the import's date."""
    sheet = _csv(tmp_path / "register.csv", [
        ["System", "Status", "Date Done", "Where Hosted"],
        ["Payroll", "migrated", "14/03/2026", "saas"],
        ["Parking Permits", "migrated", "2026-06-30", "saas"],
        ["Fax Gateway", "assessed", "", "on prem"],
    ])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  Date Done: state_on\n  Where Hosted: hosting\n", encoding="utf-8")
    run(sqlite_url, "import", str(sheet), "--mapping", str(mapping), "--on", "2026-11-02")
    events = json.loads(run(sqlite_url, "history", "payroll", "--format", "json").stdout)
    landed_on = ["criticality", "data_classification", "hosting", "id", "name", "personal_data", "target_hosting"]  # a migrated row's hosting is where it landed
    assert [(e["at"][:10], sorted(e["changes"])) for e in events] == [("2026-03-14", ["state"]), ("2026-11-02", landed_on)]
    assert "state reached on 2026-03-14" in events[0]["reason"]
    progress = json.loads(runner.invoke(app, ["report", "progress", "--db", sqlite_url, "--format", "json", "--today", "2026-11-30"]).stdout)
    migrated = {m["month"]: m["by_state"]["migrated"] for m in progress["by_month"]}
    assert (migrated["2026-02"], migrated["2026-03"], migrated["2026-06"], migrated["2026-11"]) == (0, 1, 2, 2), "no spike in the month of the import"


def test_a_state_date_in_the_future_or_not_a_date_is_refused_at_its_cell(sqlite_url: str, tmp_path: Path) -> None:
    sheet = _csv(tmp_path / "register.csv", [["System", "Status", "State Date"], ["Payroll", "migrated", "2099-01-01"], ["CRM", "planned", "soon"]])
    result = run(sqlite_url, "import", str(sheet), code=2)
    assert f"{sheet}:2:State Date: 2099-01-01 is in the future" in result.stderr
    assert f"{sheet}:3:State Date:" in result.stderr


def test_an_import_that_brings_a_system_to_migrated_makes_the_move_a_fact(sqlite_url: str, tmp_path: Path) -> None:
    """What the row does not say follows the move (hosting lands on the target, the old support date goes to
    the history); a row whose hosting contradicts the target it landed on is refused, and nothing is imported."""
    run(sqlite_url, "add", "crm", "CRM", "--set", "target_hosting=saas", "--set", "support_end=2024-03-31", "--set", "strategy=repurchase")
    run(sqlite_url, "add", "hr", "HR", "--set", "target_hosting=saas", "--set", "support_end=2024-03-31")
    sheet = _csv(tmp_path / "status.csv", [["id", "name", "state", "hosting"], ["crm", "CRM", "migrated", ""], ["hr", "HR", "migrated", "on prem"]])
    refused = run(sqlite_url, "import", str(sheet), code=2)
    assert f"{sheet}:3:state: hr: hosting on-premises contradicts where a migrated system landed: target_hosting saas" in refused.stderr
    assert "hint: correct the row's hosting or its target;" in refused.stderr
    assert json.loads(run(sqlite_url, "show", "crm", "--format", "json").stdout)["system"]["state"] == "discovered", "nothing was imported"

    sheet = _csv(tmp_path / "status.csv", [["id", "name", "state", "hosting"], ["crm", "CRM", "migrated", ""], ["hr", "HR", "migrated", "saas"]])
    run(sqlite_url, "import", str(sheet))
    crm = json.loads(run(sqlite_url, "show", "crm", "--format", "json").stdout)["system"]
    hr = json.loads(run(sqlite_url, "show", "hr", "--format", "json").stdout)["system"]
    assert (crm["state"], crm["hosting"], crm.get("support_end")) == ("migrated", "saas", None)
    assert (hr["state"], hr["hosting"], hr.get("support_end")) == ("migrated", "saas", None)
    event = json.loads(run(sqlite_url, "history", "crm", "--format", "json").stdout)[-1]
    assert event["changes"]["support_end"] == ["2024-03-31", None] and event["changes"]["hosting"] == ["on-premises", "saas"]
