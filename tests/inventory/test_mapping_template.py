"""`borough inventory mapping --template`: a starter mapping naming every field and value, that loads and imports."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from inventory.importing.mapping import DEPENDENCY_COLUMNS, SYSTEM_COLUMNS, load_mapping
from inventory.register.model import Classification, Criticality, DependencyKind, Hosting, State, Strategy, TimeCategory
from inventory.store import open_store

runner = CliRunner()


def test_the_template_lists_every_field_and_value_and_loads(tmp_path: Path) -> None:
    out = tmp_path / "mapping.yaml"
    result = runner.invoke(app, ["inventory", "mapping", "--template", "--output", str(out)])
    assert result.exit_code == 0, result.output
    mapping = load_mapping(out)
    assert set(mapping.columns.values()) == set(SYSTEM_COLUMNS) | set(DEPENDENCY_COLUMNS)
    for field, enum in (("hosting", Hosting), ("target_hosting", Hosting), ("criticality", Criticality), ("strategy", Strategy),
                        ("data_classification", Classification), ("time_category", TimeCategory), ("state", State), ("kind", DependencyKind)):
        assert set(mapping.values[field].values()) == {m.value for m in enum}, field


def test_a_sheet_with_the_templates_headings_imports_through_it(tmp_path: Path) -> None:
    template = tmp_path / "mapping.yaml"
    runner.invoke(app, ["inventory", "mapping", "--template", "--output", str(template)])
    text = template.read_text(encoding="utf-8").replace('"Where Hosted"', '"x"').replace('"Hosting": hosting', '"Where Hosted": hosting')
    text = text.replace('"on-premises": "on-premises"', '"Town Hall": "on-premises"')
    template.write_text(text, encoding="utf-8")
    sheet = tmp_path / "register.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["Name", "Where Hosted", "Annual Cost", "State On", "State"], ["Payroll", "Town Hall", "£1,200", "", "assessed"]])
    url = f"sqlite:///{tmp_path / 'inventory.db'}"
    result = runner.invoke(app, ["inventory", "import", str(sheet), "--mapping", str(template), "--db", url])
    assert result.exit_code == 0, result.stderr
    with open_store(url) as store:
        payroll = store.get("payroll")
    assert payroll.hosting is Hosting.on_premises and payroll.state is State.assessed and str(payroll.annual_cost) == "1200.00"


def test_mapping_without_template_is_exit_2_with_a_hint() -> None:
    result = runner.invoke(app, ["inventory", "mapping"])
    assert result.exit_code == 2 and "--template" in result.stderr
