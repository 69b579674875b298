"""Bad import and mapping files (issue 9 items 3, 4, 8, 9, 10, 12): each refused at its place with
exit 2 and one located line, no traceback, and the register left exactly as it was, on SQLite and
PostgreSQL. Text a spreadsheet would run as a formula is imported with a warning and exported as
text, and export then import still gives the same data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from bad_input_helpers import SEEDED_IDS, assert_refused, borough, snapshot

HEADER = "id,name,notes,users,wave\n"
GOOD = "crm,CRM,fine,10,1\n"
BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi")
)


@dataclass(frozen=True)
class Case:
    """One bad input file: its name and bytes, and what the refusal must name."""

    id: str
    name: str
    content: bytes
    needles: tuple[str, ...]


def csv_case(id: str, bad_row: str, *needles: str) -> Case:
    """A CSV with one good row then the bad one (row 3): the good row must not be imported either."""
    return Case(id, "register.csv", (HEADER + GOOD + bad_row).encode("utf-8"), needles)


def text_case(id: str, name: str, text: str, *needles: str, encoding: str = "utf-8") -> Case:
    return Case(id, name, text.encode(encoding), needles)


YAML_GOOD = "systems:\n  - id: crm\n    name: CRM\n"
CASES = [
    # CSV rows that would lose data (item 3)
    csv_case("csv-cell-beyond-headers", "gis,GIS,x,1,1,surplus\n", "register.csv:3:column 6", "beyond the last header"),
    csv_case("csv-quote-never-closed", 'gis,"GIS,x,1,1\nhr,HR,y,2,2\n', "register.csv:3:name", "never closed"),
    csv_case("csv-quote-swallows-rows", 'gis,"GIS,x,1,1\nhr,HR,y,2,2\nfin,Finance",z,3,3\n', "register.csv:3:name", "unbalanced quote"),
    csv_case("csv-text-after-closing-quote", 'gis,"GIS" Ltd,x,1,1\n', "register.csv:3:", "text after a closing quote"),
    csv_case("csv-5mb-cell", "gis,GIS," + "x" * 5_000_000 + ",1,1\n", "register.csv:3:notes", "5,000,000 characters"),
    # lengths, characters and numbers the model refuses on every database (items 9, 12)
    csv_case("csv-1000-char-name", "gis," + "N" * 1000 + ",x,1,1\n", "register.csv:3:name", "1,000 characters", "at most 200"),
    csv_case("csv-150-char-id", "g" * 150 + ",GIS,x,1,1\n", "register.csv:3:id", "at most 100"),
    csv_case("csv-control-character", "gis,G\x01IS,x,1,1\n", "register.csv:3:name", "control character"),
    csv_case("csv-users-10e20", "gis,GIS,x,100000000000000000000,1\n", "register.csv:3:users", "too large"),
    csv_case("csv-wave-10e20", "gis,GIS,x,1,100000000000000000000\n", "register.csv:3:wave", "too large"),
    text_case("json-nul-in-name", "register.json", json.dumps({"systems": [{"id": "crm", "name": "C\u0000RM"}]}),
              "register.json:", "name", "control character (U+0000)"),
    text_case("yaml-nul-in-notes", "register.yaml", YAML_GOOD + '    notes: "a\\0b"\n', "register.yaml:4:notes", "control character"),
    text_case("yaml-users-10e20", "register.yaml", YAML_GOOD + "    users: 100000000000000000000\n", "register.yaml:4:users", "too large"),
    # encodings and binary (item 12)
    text_case("csv-utf16", "register.csv", HEADER + GOOD, "register.csv", "UTF-16", encoding="utf-16"),
    Case("csv-binary", "register.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("register.csv", "binary")),
    text_case("yaml-utf16", "register.yaml", YAML_GOOD, "register.yaml", "UTF-16", encoding="utf-16"),
    text_case("json-utf16", "register.json", json.dumps({"systems": [{"id": "crm", "name": "CRM"}]}), "register.json", "UTF-16",
              encoding="utf-16"),
    text_case("yaml-latin1", "register.yaml", YAML_GOOD + "    notes: café\n", "register.yaml:4:", "not UTF-8", encoding="latin-1"),
    text_case("json-latin1", "register.json", '{"systems": [{"id": "crm",\n "name": "Café"}]}', "register.json:2:", "not UTF-8",
              encoding="latin-1"),
    Case("yaml-binary", "register.yaml", bytes(range(256)), ("register.yaml", "binary")),
    # YAML structure (items 4, 10, 12)
    text_case("yaml-duplicate-key", "register.yaml", YAML_GOOD + "    name: Customer\n", "register.yaml:4:name", "duplicate key 'name'"),
    text_case("json-duplicate-key", "register.json", '{"systems": [{"id": "crm", "name": "CRM",\n "name": "X"}]}',
              "register.json:2:name", "duplicate key"),
    text_case("yaml-billion-laughs", "register.yaml", BILLION_LAUGHS, "register.yaml:", "aliases expand"),
    text_case("yaml-alias-to-itself", "register.yaml", "systems: &s [*s]\n", "register.yaml:1:", "refers to the node that contains it"),
    text_case("yaml-key-is-a-list", "register.yaml", "systems:\n  - ? [id]\n    : crm\n", "register.yaml:2:", "key that is a list"),
    text_case("yaml-name-is-a-list", "register.yaml", "systems:\n  - id: crm\n    name: [a, b]\n", "register.yaml:3:name", "not a list"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_import_file_is_refused_at_its_place_and_changes_nothing(case: Case, seeded_db_url: str, tmp_path: Path) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.content)
    before = snapshot(seeded_db_url, [tmp_path / "out"])
    run = borough("inventory", "import", str(path), "--db", seeded_db_url, "--output", str(tmp_path / "out" / "result.txt"))
    assert_refused(run, *case.needles)
    after = snapshot(seeded_db_url, [tmp_path / "out"])
    assert after == before and after.counts()["systems"] == len(SEEDED_IDS)


MAPPINGS = [
    Case("mapping-binary", "mapping.yaml", b"\x00\x01\x02columns", ("mapping.yaml", "binary")),
    Case("mapping-utf16", "mapping.yaml", "columns:\n  Ref: id\n".encode("utf-16"), ("mapping.yaml", "UTF-16")),
    Case("mapping-field-is-a-list", "mapping.yaml", b"columns:\n  Ref: [id]\n", ("mapping.yaml:2:Ref", "is not a field")),
    Case("mapping-key-is-a-list", "mapping.yaml", b"columns:\n  ? [Ref]\n  : id\n", ("mapping.yaml:2:", "key that is a list")),
    Case("mapping-columns-is-a-list", "mapping.yaml", b"columns: [Ref, id]\n", ("mapping.yaml:1:columns", "a mapping of header: field")),
    Case("mapping-synonym-is-a-list", "mapping.yaml", b"values:\n  hosting: {DC: [on-premises]}\n",
         ("mapping.yaml:2:hosting.DC", "not a list")),
    Case("mapping-sheet-is-a-list", "mapping.yaml", b"systems_sheet: [Apps]\n", ("mapping.yaml:1:systems_sheet", "not a list")),
    Case("mapping-duplicate-key", "mapping.yaml", b"columns:\n  Ref: id\n  Ref: name\n", ("mapping.yaml:3:Ref", "duplicate key 'Ref'")),
    Case("mapping-billion-laughs", "mapping.yaml", BILLION_LAUGHS.encode(), ("mapping.yaml:", "aliases expand")),
]


@pytest.mark.parametrize("case", MAPPINGS, ids=[c.id for c in MAPPINGS])
def test_bad_mapping_file_is_refused_naming_file_and_key(case: Case, seeded_db_url: str, tmp_path: Path) -> None:
    sheet = tmp_path / "register.csv"
    sheet.write_text("Ref,name\ncrm,CRM\n", encoding="utf-8")
    mapping = tmp_path / case.name
    mapping.write_bytes(case.content)
    before = snapshot(seeded_db_url)
    assert_refused(borough("inventory", "import", str(sheet), "--mapping", str(mapping), "--db", seeded_db_url), *case.needles)
    assert snapshot(seeded_db_url) == before


def test_xlsx_numbers_and_values_beyond_the_headers_are_refused_at_their_cell(seeded_db_url: str, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name", "users"])
    sheet.append(["crm", "CRM", 1e20])
    sheet.append(["gis", "GIS", 3, "surplus"])
    path = tmp_path / "register.xlsx"
    book.save(path)
    before = snapshot(seeded_db_url)
    run = borough("inventory", "import", str(path), "--db", seeded_db_url)
    assert_refused(run, "register.xlsx[Sheet]:2:users", "too large")
    assert_refused(run, "register.xlsx[Sheet]:1:column 4", "values under an empty header")
    assert snapshot(seeded_db_url) == before


FORMULA = '=HYPERLINK("http://evil.example/x","click")'


def test_formula_text_imports_with_a_warning_and_exports_as_text(db_url: str, tmp_path: Path) -> None:
    source = tmp_path / "register.csv"
    source.write_text(f'id,name,notes\ncrm,"{FORMULA.replace(chr(34), chr(34) * 2)}",@SUM(A1)\ngis,GIS,-\n', encoding="utf-8")
    run = borough("inventory", "import", str(source), "--db", db_url)
    assert run.code == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("borough: warning:")]
    assert [w.split(": ")[2] for w in warnings] == [f"{source}:2:name", f"{source}:2:notes"]
    assert "Traceback" not in run.stderr

    exported = borough("inventory", "export", "--format", "csv", "--db", db_url)
    assert exported.code == 0
    assert f"'{FORMULA}".replace('"', '""') in exported.stdout and "'@SUM(A1)" in exported.stdout
    listed = borough("inventory", "list", "--format", "csv", "--db", db_url)
    assert f"'{FORMULA}".replace('"', '""') in listed.stdout

    xlsx = tmp_path / "register.xlsx"
    assert borough("inventory", "export", "--format", "xlsx", "--output", str(xlsx), "--db", db_url).code == 0
    from openpyxl import load_workbook

    cell = load_workbook(xlsx)["Systems"]["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (FORMULA, "s", True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_keeps_formula_like_and_ordinary_text(fmt: str, db_url: str, sqlite_url: str, tmp_path: Path) -> None:
    """The quote export adds is taken off on import: the second register exports to the same bytes."""
    source = tmp_path / "register.yaml"
    source.write_text(
        "systems:\n"
        f"  - {{id: crm, name: '{FORMULA}', notes: \"'=already quoted\"}}\n"
        "  - {id: gis, name: GIS, notes: '- a dash list', supplier: \"O'Brien & Co\"}\n"
        "  - {id: hr, name: HR, version: '-1', description: \"+44 20 7946 0000\"}\n",
        encoding="utf-8",
    )
    assert borough("inventory", "import", str(source), "--db", db_url).code == 0
    first = tmp_path / f"first.{fmt}"
    assert borough("inventory", "export", "--format", fmt, "--output", str(first), "--db", db_url).code == 0
    second_db = sqlite_url.replace("inventory.db", "second.db")
    assert borough("inventory", "import", str(first), "--db", second_db).code == 0
    again = borough("inventory", "export", "--format", "yaml", "--db", second_db)
    original = borough("inventory", "export", "--format", "yaml", "--db", db_url)
    assert again.stdout == original.stdout and FORMULA in original.stdout


EDITS = [
    (("add", "hr", "N" * 1000), ("name", "at most 200")),
    (("add", "h" * 150, "HR"), ("id", "at most 100")),
    (("update", "gis", "--set", "notes=a\x01b"), ("--set notes", "control character")),
    (("update", "gis", "--set", "users=100000000000000000000"), ("--set users", "too large")),
    (("update", "gis", "--set", "supplier=" + "S" * 201), ("--set supplier", "at most 200")),
    (("link", "gis", "council-tax", "--description", "d" * 10_001), ("--description", "at most 10,000")),
]


@pytest.mark.parametrize(("args", "needles"), EDITS, ids=["add-long-name", "add-long-id", "update-control", "update-users", "update-supplier",
                                                         "link-description"])
def test_edits_on_the_command_line_meet_the_same_bounds(args: tuple[str, ...], needles: tuple[str, ...], seeded_db_url: str) -> None:
    before = snapshot(seeded_db_url)
    assert_refused(borough("inventory", *args, "--db", seeded_db_url), *needles)
    assert snapshot(seeded_db_url) == before
