"""Council sheets often carry a title (and blank rows) above the header row: the header is found
below them, and every problem still names the spreadsheet's own row."""

from __future__ import annotations

from pathlib import Path

from import_problems import problems_of
from test_import_names_only import write_csv, write_xlsx

from inventory.importing import read_file

HEADER = ["Application", "Hosted", "Relies on"]


def test_a_title_and_a_blank_row_above_the_headers_are_passed_over(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "register.xlsx", {"Apps": [
        ["Ashford Vale BC - Application Register", None, None],
        [None, None, None],
        HEADER,
        ["Planning Portal", "on prem", "GIS"],
        ["GIS", "azure", None],
    ]})
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  Application: name\n  Hosted: hosting\n  Relies on: depends_on\n")
    systems, [dep] = read_file(path, mapping)
    assert sorted(s.id for s in systems) == ["gis", "planning-portal"]
    assert (dep.source, dep.target) == ("planning-portal", "gis")


def test_problems_below_a_title_name_the_sheets_own_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "register.csv", [
        ["Application register (exported 01/12/2026)", "", ""],
        ["System", "Hosting", "Colour"],
        ["Planning Portal", "on prem", "blue"],
        ["GIS", "in the cupboard", "green"],
    ])
    assert problems_of(lambda: read_file(path)) == [
        f"{path}:2:Colour: unknown column; map it under columns: or list it under ignore: in a mapping file",
        f"{path}:4:Hosting: 'in the cupboard' is not one of: on-premises, supplier-hosted, aws, azure, saas, other "
        "(add a synonym under values: in the mapping file)",
    ]


def test_a_first_row_of_unknown_headers_is_reported_not_passed_over(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "register.csv", [["Widget", "Colour"], ["System", "Hosting"], ["GIS", "azure"]])
    problems = problems_of(lambda: read_file(path))
    assert f"{path}:1:Widget: unknown column; map it under columns: or list it under ignore: in a mapping file" in problems
