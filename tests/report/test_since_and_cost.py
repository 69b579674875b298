"""Change since a saved snapshot (the figures as the board saw them) and the annual cost month by
month at the cost in force then: the HTML page and `report ... --format json` read back and compared."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from html_tables import PageTables, number, pounds
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()
TODAY = "2026-11-30"


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'inventory.db'}"


def run(*args: str, code: int = 0):  # noqa: ANN201
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def _register(url: str, tmp_path: Path) -> None:
    """Two systems registered in January; payroll's cost cut in June by update, CRM's raised in September by import."""
    run("inventory", "add", "payroll", "Payroll", "--set", "annual_cost=100000", "--on", "2026-01-15", "--db", url)
    run("inventory", "add", "crm", "CRM", "--set", "annual_cost=50000", "--on", "2026-01-20", "--db", url)
    run("inventory", "update", "payroll", "--set", "annual_cost=40000", "--on", "2026-06-10", "--db", url)
    sheet = tmp_path / "costs.csv"
    sheet.write_text("id,name,annual_cost\ncrm,CRM,\"£60,000\"\n", encoding="utf-8")
    run("inventory", "import", str(sheet), "--on", "2026-09-01", "--db", url)


def _json(url: str, report: str, *extra: str) -> dict[str, Any]:
    return json.loads(run("report", report, "--format", "json", "--today", TODAY, "--db", url, *extra).stdout)


def test_each_month_counts_the_cost_in_force_then_in_the_json_the_table_and_the_chart(sqlite_url: str, tmp_path: Path) -> None:
    _register(sqlite_url, tmp_path)
    months = {m["month"]: Decimal(m["live_annual_cost"]) for m in _json(sqlite_url, "progress")["by_month"]}
    assert (months["2025-12"], months["2026-01"], months["2026-05"], months["2026-06"], months["2026-08"], months["2026-09"], months["2026-11"]) == (
        0, 150_000, 150_000, 90_000, 90_000, 100_000, 100_000)

    page_file = tmp_path / "estate.html"
    run("report", "html", "--output", str(page_file), "--today", TODAY, "--db", sqlite_url)
    text = page_file.read_text(encoding="utf-8")
    shown = PageTables(text).records("Annual cost of live systems at each month's end")
    assert [(r["month"], pounds(r["annual cost"])) for r in shown] == [(m, int(v)) for m, v in months.items()]
    assert "cost in the register today" not in text, "the caveat is gone: costs are replayed"
    assert "each system at the cost in force that month" in text
    chart = text[text.index('id="cost'):]
    chart = chart[chart.index("<svg"):chart.index("</svg>")]
    drawn = re.findall(r'<desc class="value">([^<]*)</desc>', chart)  # pygal writes each point's value
    assert [pounds(v) for v in drawn] == [int(v) for v in months.values()]


@pytest.fixture()
def snapshot_register(sqlite_url: str, tmp_path: Path) -> tuple[str, Path, dict[str, Any]]:
    """A report saved on 30 June with its snapshot; then a move recorded later but dated before that day."""
    run("inventory", "add", "payroll", "Payroll", "--on", "2026-01-15", "--db", sqlite_url)
    run("inventory", "add", "crm", "CRM", "--on", "2026-01-20", "--db", sqlite_url)
    run("inventory", "move", "crm", "assessed", "--on", "2026-03-02", "--db", sqlite_url)
    snapshot = tmp_path / "board-june.json"
    june = json.loads(run("report", "outlook", "--format", "json", "--today", "2026-06-30", "--db", sqlite_url,
                          "--save-snapshot", str(snapshot)).stdout)
    run("inventory", "move", "payroll", "assessed", "--on", "2026-06-20", "--db", sqlite_url)
    return sqlite_url, snapshot, june


def test_since_a_snapshot_compares_with_the_figures_the_board_saw(snapshot_register: tuple[str, Path, dict[str, Any]], tmp_path: Path) -> None:
    url, snapshot, june = snapshot_register
    saved = json.loads(snapshot.read_text(encoding="utf-8"))
    assert saved == {"kind": "borough outlook snapshot", "taken": "2026-06-30", "figures": {f["figure"]: f["now"] for f in june["figures"]}}

    replayed = {f["figure"]: f["then"] for f in _json(url, "outlook", "--since", "2026-06-30")["figures"]}
    outlook = _json(url, "outlook", "--since", str(snapshot))
    as_saved = {f["figure"]: f["then"] for f in outlook["figures"]}
    assert as_saved == saved["figures"]
    assert (saved["figures"]["not_assessed"], replayed["not_assessed"]) == (1, 0), "the history now says payroll was assessed by then; the snapshot keeps what the board was told"
    assert (outlook["since"], outlook["since_snapshot"]) == ("2026-06-30", snapshot.name), "the file name only: a board pack never shows a local path"

    page_file = tmp_path / "estate.html"
    run("report", "html", "--output", str(page_file), "--today", TODAY, "--db", url, "--since", str(snapshot), "--save-snapshot", str(tmp_path / "nov.json"))
    shown = PageTables(page_file.read_text(encoding="utf-8")).records(f"Figures now and on 2026-06-30 (as saved in {snapshot.name})")
    assert [(r["figure"], number(r["now"]), number(r["on 2026-06-30"]), int(r["change"])) for r in shown] == [
        (f["label"], f["now"], f["then"], f["change"]) for f in outlook["figures"]]
    november = json.loads((tmp_path / "nov.json").read_text(encoding="utf-8"))
    assert november["taken"] == TODAY and november["figures"] == {f["figure"]: f["now"] for f in outlook["figures"]}


@pytest.mark.parametrize(("content", "says"), [
    ('{"kind": "borough outlook snapshot", "taken": "2026-06-30", "figures": {"registered": -1, "done": 0, "migrating": 0, "planned": 0, "on_hold": 0, "not_assessed": 0}}',
     "figures.registered: -1 is less than the minimum of 0"),
    ('{"kind": "borough outlook snapshot", "taken": "2026-06-30", "figures": {"registered": 1}}', "figures: 'done' is a required property"),
    ('{"kind": "borough outlook snapshot", "taken": "30 June", "figures": {"registered": 1, "done": 0, "migrating": 0, "planned": 0, "on_hold": 0, "not_assessed": 0}}',
     "taken: '30 June' is not a 'date'"),
    ('{"findings": []}', "(top level): 'kind' is a required property"),
    ("not json", "not a JSON snapshot"),
])
def test_a_file_that_is_not_a_snapshot_is_refused_naming_the_file_and_key(
    snapshot_register: tuple[str, Path, dict[str, Any]], tmp_path: Path, content: str, says: str
) -> None:
    url = snapshot_register[0]
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    for report in ("outlook", "html"):
        result = run("report", report, "--today", TODAY, "--db", url, "--since", str(bad), code=2)
        assert f"--since {bad}: {says}" in result.stderr.splitlines()[0]
        assert not result.stdout


def test_a_missing_snapshot_or_one_taken_after_today_is_refused(snapshot_register: tuple[str, Path, dict[str, Any]], tmp_path: Path) -> None:
    url, snapshot, _ = snapshot_register
    result = run("report", "outlook", "--today", TODAY, "--db", url, "--since", str(tmp_path / "missing.json"), code=2)
    assert "missing.json" in result.stderr
    result = run("report", "outlook", "--today", "2026-05-31", "--db", url, "--since", str(snapshot), code=2)
    assert "--since 2026-06-30 is after --today 2026-05-31" in result.stderr
