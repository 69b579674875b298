"""Spreadsheets as councils keep them (issue 20): hidden sheets, Excel error values, names that
look alike and are not, bidi controls, a password, and a CSV saved with ';' or tabs.

Each is refused (or skipped, for a hidden sheet) at its sheet, row and cell, and a refusal
imports nothing.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from bad_input_helpers import assert_refused, borough, snapshot


def _book(path: Path, sheets: dict[str, list[list[object]]], hidden: dict[str, str] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
        if hidden and title in hidden:
            ws.sheet_state = hidden[title]
    book.save(path)
    return path


def _ids(db: str) -> list[str]:
    run = borough("inventory", "list", "--db", db, "--format", "json")
    assert run.code == 0, run.stderr
    return sorted(s["id"] for s in json.loads(run.stdout))


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_named_and_skipped_unless_asked_for(tmp_path, state):
    book = _book(tmp_path / "estate.xlsx", {
        "Systems": [["id", "name"], ["crm", "CRM"], ["gis", "GIS"]],
        "Retired 2019": [["id", "name"], ["old-payroll", "Old Payroll"]],
    }, hidden={"Retired 2019": state})
    db = f"sqlite:///{tmp_path}/r.db"
    run = borough("inventory", "import", str(book), "--db", db)
    assert run.code == 0, run.stderr
    assert "'Retired 2019' is " + ("very hidden" if state == "veryHidden" else "hidden") in run.stderr
    assert "--sheet 'Retired 2019'" in run.stderr
    assert _ids(db) == ["crm", "gis"]
    asked = borough("inventory", "import", str(book), "--sheet", "Retired 2019", "--db", db)
    assert asked.code == 0, asked.stderr
    assert _ids(db) == ["crm", "gis", "old-payroll"]


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?"])
def test_an_excel_error_value_is_refused_at_its_cell(tmp_path, error):
    book = _book(tmp_path / "errors.xlsx", {"Systems": [["id", "name", "owner"], ["crm", "CRM", "Revenues"], ["hr", error, "HR"]]})
    db = f"sqlite:///{tmp_path}/r.db"
    run = borough("inventory", "import", str(book), "--db", db)
    assert_refused(run, f"{book}[Systems]:3:name", f"Excel error value {error}")
    assert snapshot(db).tables is None  # no register made


def test_an_excel_error_in_a_csv_export_is_refused_too(tmp_path):
    sheet = tmp_path / "export.csv"
    sheet.write_text("id,name,annual_cost\ncrm,CRM,#VALUE!\n")
    run = borough("inventory", "import", str(sheet), "--db", f"sqlite:///{tmp_path}/r.db")
    assert_refused(run, f"{sheet}:2:annual_cost", "#VALUE!")


@pytest.mark.parametrize(("other", "shown"), [
    ("\u0421RM", "\u0421RM"),                   # Cyrillic capital Es
    ("C\u00a0RM", "C\\u00a0RM"),               # a no-break space
    ("C RM", "C RM"),                           # a space
    ("Crm", "Crm"),                             # case only
    ("C\u200bRM", "C\\u200bRM"),                # a zero-width space
])
def test_a_name_that_only_looks_like_another_is_reported_naming_the_other_row(tmp_path, other, shown):
    sheet = tmp_path / "names.csv"
    sheet.write_text(f"id,name\ncrm,CRM\ncrm-2,{other}\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path}/r.db"
    run = borough("inventory", "import", str(sheet), "--db", db)
    line = assert_refused(run, f"{sheet}:3:name", f"'{shown}'", f"looks like 'CRM' (crm) on {sheet}:2")
    assert other not in line or other == shown


def test_a_name_mixing_scripts_is_reported_naming_the_letter(tmp_path):
    sheet = tmp_path / "mixed.csv"
    sheet.write_text("name\nC\u043euncil Tax\n", encoding="utf-8")  # a Cyrillic 'о'
    run = borough("inventory", "import", str(sheet), "--db", f"sqlite:///{tmp_path}/r.db")
    assert_refused(run, f"{sheet}:2:name", "mix scripts", "CYRILLIC SMALL LETTER O")


def test_a_bidi_control_is_refused_in_an_id_and_shown_escaped(tmp_path):
    sheet = tmp_path / "bidi.csv"
    sheet.write_text("id,name\ncrm\u202egnp,CRM\nhr,Pay\u202eroll\n", encoding="utf-8")
    run = borough("inventory", "import", str(sheet), "--db", f"sqlite:///{tmp_path}/r.db")
    assert_refused(run, f"{sheet}:2:id", "crm\\u202egnp")
    assert "\u202e" not in run.stderr


def test_a_password_protected_workbook_says_so(tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = io.BytesIO()
    _book(tmp_path / "plain.xlsx", {"Systems": [["id", "name"], ["crm", "CRM"]]})
    plain.write((tmp_path / "plain.xlsx").read_bytes())
    plain.seek(0)
    locked = tmp_path / "locked.xlsx"
    with open(locked, "wb") as handle:
        msoffcrypto.OOXMLFile(plain).encrypt("Passw0rd!", handle)
    run = borough("inventory", "import", str(locked), "--db", f"sqlite:///{tmp_path}/r.db")
    assert_refused(run, str(locked), "password-protected")
    assert "zip" not in run.stderr


@pytest.mark.parametrize(("sep", "cost"), [(";", "12500,50"), ("\t", "12500.50"), (",", "12500.50")])
def test_the_csv_separator_is_detected(tmp_path, sep, cost):
    sheet = tmp_path / "excel.csv"
    rows = [["id", "name", "annual_cost"], ["crm", "CRM, Zürich", "12500.50"], ["gis", "GIS", "300"]]
    sheet.write_text("Council systems - March 2026\n" + "\n".join(sep.join(f'"{c}"' if "," in c and sep == "," else c for c in r)
                                                          for r in rows) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path}/r.db"
    run = borough("inventory", "import", str(sheet), "--db", db)
    assert run.code == 0, run.stderr
    shown = borough("inventory", "show", "crm", "--db", db, "--format", "json")
    assert json.loads(shown.stdout)["system"]["name"] == "CRM, Zürich"
