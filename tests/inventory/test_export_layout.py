"""XLSX exports people can open: the council's own headings through its mapping, a bold frozen
header row with filters, readable widths, and a file that imports back through the same mapping."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from inventory.register.model import USER_FIELDS
from inventory.store import open_store

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "inventory" / "examples"
MAPPING = EXAMPLES / "westmoor-register-mapping.yaml"


def _run(*args: str, code: int = 0):  # noqa: ANN202
    result = runner.invoke(app, ["inventory", *args])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def test_export_under_the_councils_headings_lays_out_and_imports_back(tmp_path: Path) -> None:
    from inventory.importing.yamlio import load

    url = f"sqlite:///{tmp_path / 'a.db'}"
    _run("import", str(EXAMPLES / "westmoor-register.xlsx"), "--mapping", str(MAPPING), "--db", url)
    out = tmp_path / "register.xlsx"
    _run("export", "--format", "xlsx", "--mapping", str(MAPPING), "--output", str(out), "--db", url)
    book = load_workbook(out)
    mapping = load(MAPPING)
    sheet = book[mapping["systems_sheet"]]
    header = [c.value for c in sheet[1]]
    first: dict[str, str] = {}
    for heading, field in mapping["columns"].items():
        first.setdefault(field, str(heading))
    mapped = [f for f in first if f in USER_FIELDS]
    assert mapped and all(first[f] in header for f in mapped), "every mapped field under the council's heading"
    assert header[USER_FIELDS.index(mapped[0])] == first[mapped[0]]
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    widths = {sheet.cell(1, i).value: sheet.column_dimensions[sheet.cell(1, i).column_letter].width for i in range(1, sheet.max_column + 1)}
    assert all(8 <= w <= 60 for w in widths.values()) and max(widths.values()) > 12

    again = f"sqlite:///{tmp_path / 'b.db'}"
    _run("import", str(out), "--mapping", str(MAPPING), "--db", again)
    with open_store(url) as first, open_store(again) as second:
        assert [s.model_dump(exclude={"version_no"}) for s in first.list()] == [s.model_dump(exclude={"version_no"}) for s in second.list()]
        assert first.dependencies() == second.dependencies()


def test_plain_export_is_laid_out_too_and_mapping_needs_xlsx(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    _run("add", "crm", "CRM", "--db", url)
    out = tmp_path / "register.xlsx"
    _run("export", "--format", "xlsx", "--output", str(out), "--db", url)
    sheet = load_workbook(out)["Systems"]
    assert sheet.cell(1, 1).value == "id" and sheet.cell(1, 1).font.bold and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    refused = _run("export", "--format", "csv", "--mapping", str(MAPPING), "--db", url, code=2)
    assert "--mapping applies to --format xlsx" in refused.stderr
