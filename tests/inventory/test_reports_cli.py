"""`borough report ...` as a user runs it: every report in every format on the sample register."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from inventory.sample import load_sample
from inventory.store import open_store

REPORTS = ["portfolio", "progress", "risk", "waves", "caf", "time"]
runner = CliRunner()


def run(url: str, name: str, *args: str):
    return runner.invoke(app, ["report", name, "--db", url, "--today", "2026-11-27", *args])


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_in_json_is_deterministic(sample_db: str, name: str) -> None:
    first = run(sample_db, name, "--format", "json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["report"] == name and report["today"] == "2026-11-27"
    sections = [key for key, value in report.items() if isinstance(value, list)]
    assert sections and all(isinstance(record, dict) for key in sections for record in report[key]), "named sections of records"
    assert run(sample_db, name, "--format", "json").stdout == first.stdout


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_in_csv_markdown_and_table(sample_db: str, name: str) -> None:
    as_csv = run(sample_db, name, "--format", "csv")
    assert as_csv.exit_code == 0
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    first_title = rows[1][0] if rows[0][0] == "section" else None
    assert first_title or rows[0][0] in {"state", "category"}
    as_markdown = run(sample_db, name, "--format", "markdown")
    assert as_markdown.exit_code == 0
    assert as_markdown.stdout.startswith("### ")
    as_table = run(sample_db, name)
    assert as_table.exit_code == 0
    assert (first_title or rows[0][0]) in as_table.stdout


def test_portfolio_prints_money_in_pounds(sample_db: str) -> None:
    assert "£5,814,500.00" in run(sample_db, "portfolio", "--format", "markdown").stdout
    portfolio = json.loads(run(sample_db, "portfolio", "--format", "json").stdout)
    assert portfolio["totals"]["annual_cost"] == "5814500.00", "JSON money is an exact decimal string"


def test_risk_window_and_as_of_date(sample_db: str) -> None:
    six = json.loads(run(sample_db, "risk", "--format", "json").stdout)
    one = json.loads(run(sample_db, "risk", "--format", "json", "--months", "1").stdout)
    assert six["summary"][0] == {"risk": "support_ending", "title": "Support ended or ending within 6 months", "count": len(six["support_ending"])}
    assert (six["months"], six["horizon"], one["horizon"]) == (6, "2027-05-27", "2026-12-27")
    assert len(one["support_ending"]) < len(six["support_ending"])
    assert all(r["support_end"] <= "2026-12-27" for r in one["support_ending"])
    uk = run(sample_db, "risk", "--format", "json", "--months", "1", "--today", "27/11/2026")
    assert json.loads(uk.stdout) == one


def test_progress_months_of_history(sample_db: str) -> None:
    progress = json.loads(run(sample_db, "progress", "--format", "json", "--months", "3").stdout)
    assert [r["month"] for r in progress["by_month"]] == ["2026-09", "2026-10", "2026-11"]


def test_output_file(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "caf.md"
    result = run(sample_db, "caf", "--format", "markdown", "--output", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("### CAF scope")


def test_bad_input_exits_2(sample_db: str) -> None:
    bad_day = run(sample_db, "risk", "--today", "tomorrow")
    assert bad_day.exit_code == 2
    assert "--today 'tomorrow' is not a date" in bad_day.stderr
    assert run(sample_db, "risk", "--months", "-3").exit_code == 2
    assert run(sample_db, "risk", "--format", "sarif").exit_code == 2


def test_progress_from_history_on_each_backend(db_url: str) -> None:
    with open_store(db_url) as store:
        load_sample(store)
    result = runner.invoke(app, ["report", "progress", "--db", db_url, "--today", "2026-11-27", "--format", "json"])
    assert result.exit_code == 0, result.output
    monthly = {r["month"]: r for r in json.loads(result.stdout)["by_month"]}
    assert monthly["2026-06"]["became_migrated"] == 1
    assert monthly["2026-06"]["by_state"]["migrated"] == 5
    assert monthly["2026-11"]["registered"] == 74 == sum(monthly["2026-11"]["by_state"].values())


def test_csv_names_each_rows_section_or_gives_one_section(sample_db: str) -> None:
    import csv
    import io

    from inventory.reports.table import section_name

    def report(*args: str):  # noqa: ANN202
        return runner.invoke(app, ["report", "risk", "--db", sample_db, "--today", "2026-11-27", *args])

    whole = report("--format", "csv")
    assert whole.exit_code == 0
    rows = [r for r in csv.reader(io.StringIO(whole.stdout)) if r]
    assert not any(r[0].startswith("#") for r in rows), "no comment lines: every line is CSV a spreadsheet reads"
    headers = [r for r in rows if r[0] == "section"]
    sections = {r[0] for r in rows if r[0] != "section"}
    assert len(headers) == 7 and "Risk summary" in sections and "The ten systems most at risk" in sections
    one = report("--format", "csv", "--section", section_name("The ten systems most at risk"))
    assert one.exit_code == 0
    table = list(csv.reader(io.StringIO(one.stdout)))
    assert table[0][:3] == ["rank", "system", "name"] and len(table) == 11
    wrong = report("--format", "csv", "--section", "nope")
    assert wrong.exit_code == 2 and "sections: risk-summary, the-ten-systems-most-at-risk" in wrong.stderr
