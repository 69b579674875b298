"""Registers without ids: systems known by name, dependencies named by name, all through import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_problems import problems_of
from typer.testing import CliRunner

from cli.main import app
from inventory.importing import import_files, read_file
from inventory.importing.slugs import slug
from inventory.register.model import DependencyKind, Hosting, System
from inventory.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "inventory" / "examples"
runner = CliRunner()

REGISTER = [
    ["System", "Hosting", "Depends On"],
    ["Children's Social Care", "on prem", "council TAX; Identity  Service (sso)"],
    ["Council Tax", "supplier hosted", "identity-service (api: address checks)"],
    ["Identity Service", "azure", ""],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_slugs_are_readable_and_stable() -> None:
    assert slug("Children's Social Care") == "childrens-social-care" == slug("Childrens Social Care")
    assert slug("Revenues & Benefits (Capita)") == "revenues-and-benefits-capita"
    assert slug("  Café  Bookings ") == "cafe-bookings"
    assert slug("Children’s Services") == "childrens-services", "a typographic apostrophe too"
    assert slug("???") == ""
    long = slug("Integrated " * 20)
    assert len(long) <= 63 and not long.endswith("-") and long.startswith("integrated-integrated")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_names_only_sheet_imports_with_ids_from_names(tmp_path: Path, store: Store, kind: str) -> None:
    path = write_csv(tmp_path / "register.csv", REGISTER) if kind == "csv" else write_xlsx(tmp_path / "register.xlsx", {"Register": REGISTER})
    result = import_files(store, [path], actor="t")
    assert result.added == ["childrens-social-care", "council-tax", "identity-service"]
    label = str(path) if kind == "csv" else f"{path}[Register]"
    assert [(d.file, d.row, d.name, d.id) for d in result.derived_ids] == [
        (label, 2, "Children's Social Care", "childrens-social-care"),
        (label, 3, "Council Tax", "council-tax"),
        (label, 4, "Identity Service", "identity-service"),
    ]
    assert store.get("council-tax").hosting is Hosting.supplier_hosted
    assert [(d.source, d.target, d.kind, d.description) for d in store.dependencies()] == [
        ("childrens-social-care", "council-tax", DependencyKind.unknown, ""),  # the sheet says nothing of what flows
        ("childrens-social-care", "identity-service", DependencyKind.authentication, ""),
        ("council-tax", "identity-service", DependencyKind.api, "address checks"),
    ]


def test_the_summary_shows_the_ids_to_add_to_the_sheet(tmp_path: Path, sqlite_url: str) -> None:
    path = write_csv(tmp_path / "register.csv", REGISTER)
    table = runner.invoke(app, ["inventory", "import", str(path), "--db", sqlite_url, "--dry-run"])
    assert table.exit_code == 0, table.stderr
    assert "Ids made from names: add them to your sheet as an id column" in table.stdout
    assert "childrens-social-care" in table.stdout and "Children's Social Care" in table.stdout
    data = json.loads(runner.invoke(app, ["inventory", "import", str(path), "--db", sqlite_url, "--format", "json"]).stdout)
    assert {d["name"]: d["id"] for d in data["derived_ids"]} == {
        "Children's Social Care": "childrens-social-care", "Council Tax": "council-tax", "Identity Service": "identity-service",
    }


def test_colliding_names_are_reported_at_both_rows_and_nothing_is_imported(tmp_path: Path, sqlite_url: str) -> None:
    seed = write_csv(tmp_path / "seed.csv", [["Name"], ["Identity"]])
    assert runner.invoke(app, ["inventory", "import", str(seed), "--db", sqlite_url]).exit_code == 0
    path = write_csv(tmp_path / "register.csv", [["Name"], ["Children's Social Care"], ["Payroll"], ["Childrens Social Care"]])
    result = runner.invoke(app, ["inventory", "import", str(path), "--db", sqlite_url])
    assert result.exit_code == 2
    assert "2 problems in the input; nothing was imported" in result.stderr
    assert (
        f"{path}:2:Name: 'Children's Social Care' makes the id 'childrens-social-care', as does 'Childrens Social Care' on {path}:4" in result.stderr
    )
    assert f"{path}:4:Name: 'Childrens Social Care' makes the id 'childrens-social-care', as does 'Children's Social Care' on {path}:2" in result.stderr
    assert "Traceback" not in result.stderr
    assert [s["id"] for s in json.loads(runner.invoke(app, ["inventory", "list", "--db", sqlite_url, "--format", "json"]).stdout)] == ["identity"]


def test_a_derived_id_taken_by_an_explicit_id_is_a_collision(tmp_path: Path) -> None:
    systems = write_csv(tmp_path / "a.csv", [["id", "name"], ["payroll", "Payroll (Schools)"]])
    names = write_csv(tmp_path / "b.csv", [["name"], ["Payroll"]])
    result = runner.invoke(app, ["inventory", "import", str(systems), str(names), "--db", f"sqlite:///{tmp_path / 'inventory.db'}"])
    assert result.exit_code == 2
    assert (
        f"{names}:2:name: 'Payroll' makes the id 'payroll', as does the id on {systems}:2; give these rows ids of their own in an id column"
        in result.stderr
    )


def test_a_name_given_an_id_elsewhere_in_the_import_is_reported(tmp_path: Path) -> None:
    systems = write_csv(tmp_path / "a.csv", [["id", "name"], ["ctax", "Council Tax"]])
    names = write_csv(tmp_path / "b.csv", [["name", "depends on"], ["council  tax", ""], ["Payments", "Council Tax"]])
    result = runner.invoke(app, ["inventory", "import", str(systems), str(names), "--db", f"sqlite:///{tmp_path / 'inventory.db'}"])
    assert result.exit_code == 2
    assert f"{names}:2:name: 'council  tax' is also the name of ctax on {systems}:2; give this row its id, or drop it if it is the same system" in result.stderr
    assert "1 problem in the input" in result.stderr


def test_a_yaml_estate_may_leave_ids_out_too(tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(
        "systems:\n"
        "- name: Children's Social Care\n"
        "  depends_on:\n"
        "  - target: identity service\n"
        "    kind: authentication\n"
        "- name: Identity Service\n"
        "dependencies:\n"
        "- source: Children's Social Care\n"
        "  target: Nowhere\n",
        encoding="utf-8",
    )
    assert problems_of(lambda: read_file(path)) == [f"{path}:9:target: no system 'Nowhere' in the file or the register"]
    path.write_text(path.read_text(encoding="utf-8").split("dependencies:")[0], encoding="utf-8")
    systems, [dep] = read_file(path)
    assert [s.id for s in systems] == ["childrens-social-care", "identity-service"]
    assert (dep.source, dep.target, dep.kind) == ("childrens-social-care", "identity-service", DependencyKind.authentication)


def test_unknown_and_ambiguous_names_are_reported_at_their_cell(tmp_path: Path, store: Store) -> None:
    store.import_estate([System(id="gis", name="Mapping"), System(id="geo", name="GIS")], [], actor="t")
    path = write_csv(
        tmp_path / "register.csv",
        [["Name", "Depends On"], ["Planning", "Mapping; Ghost System"], ["Highways", "gis"], ["Parking", "planning (carrier pigeon)"]],
    )
    assert problems_of(lambda: import_files(store, [path], actor="t")) == [
        f"{path}:2:Depends On: no system 'Ghost System' in the file or the register",
        f"{path}:3:Depends On: 'gis' could be any of geo, gis; write the id instead",
        f"{path}:4:Depends On: 'carrier pigeon' is not one of: data feed, authentication, api, file transfer, shared database, unknown"
        " (add a synonym under values: in the mapping file)",
    ]
    assert [s.id for s in store.list()] == ["geo", "gis"], "nothing imported"


def test_names_resolve_against_the_register_too(tmp_path: Path, store: Store) -> None:
    store.import_estate([System(id="idam", name="Identity  Service")], [], actor="t")
    path = write_csv(tmp_path / "register.csv", [["Name", "Depends On"], ["Planning", "IDENTITY SERVICE (sso)"]])
    import_files(store, [path], actor="t")
    [dep] = store.dependencies("planning")
    assert (dep.source, dep.target, dep.kind) == ("planning", "idam", DependencyKind.authentication)


def test_a_dependencies_sheet_may_name_both_ends(tmp_path: Path, store: Store) -> None:
    path = write_xlsx(
        tmp_path / "register.xlsx",
        {
            "Systems": [["Application"], ["Planning Portal"], ["Document Store"]],
            "Interfaces": [["From", "To", "Dependency Type"], ["planning portal", "Document  Store", "SFTP"], ["Planning Portal", "Nowhere", "api"]],
        },
    )
    assert problems_of(lambda: import_files(store, [path], actor="t")) == [
        f"{path}[Interfaces]:3:To: no system 'Nowhere' in the file or the register"
    ]


def test_a_bracketed_supplier_is_part_of_the_name_when_a_system_has_it(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "register.csv",
        [["Name", "Depends On"], ["Council Tax (Capita)", ""], ["Payments", "Council Tax (Capita); Council Tax (Capita) (api)"]],
    )
    assert problems_of(lambda: read_file(path)) == [
        f"{path}:3:Depends On: payments -> council-tax-capita is already on {path}:3"
    ], "both forms name the same system"
    path.write_text("Name,Depends On\nCouncil Tax (Capita),\nPayments,Council Tax (Capita) (api: card payments)\n", encoding="utf-8")
    _, [dep] = read_file(path)
    assert (dep.target, dep.kind, dep.description) == ("council-tax-capita", DependencyKind.api, "card payments")


def test_reimporting_the_same_names_only_sheet_updates_the_same_systems(tmp_path: Path, store: Store) -> None:
    path = write_csv(tmp_path / "register.csv", REGISTER)
    import_files(store, [path], actor="t")
    again = import_files(store, [path], actor="t")
    assert again.added == [] and not again.wrote_anything
    assert again.unchanged == ["childrens-social-care", "council-tax", "identity-service"]
    write_csv(path, [[*REGISTER[0], "Wave"], *[[*row, "2"] for row in REGISTER[1:]]])
    changed = import_files(store, [path], actor="t")
    assert changed.added == [] and sorted(changed.changed) == ["childrens-social-care", "council-tax", "identity-service"]
    assert len(store.list()) == 3 and store.get("council-tax").wave == 2 and store.get("council-tax").version_no == 2


def test_a_sheet_that_gains_an_id_column_keeps_its_systems(tmp_path: Path, store: Store) -> None:
    path = write_csv(tmp_path / "register.csv", REGISTER)
    first = import_files(store, [path], actor="t")
    ids = {d.row: d.id for d in first.derived_ids}
    with_ids = [["Id", *REGISTER[0]], *[[ids[number], *row] for number, row in enumerate(REGISTER[1:], start=2)]]
    again = import_files(store, [write_csv(tmp_path / "register-with-ids.csv", with_ids)], actor="t")
    assert again.added == [] and again.derived_ids == [] and not again.wrote_anything
    assert len(store.list()) == 3


def test_a_row_without_an_id_matches_a_system_registered_under_its_name(tmp_path: Path, store: Store) -> None:
    store.import_estate([System(id="ctax", name="Council Tax"), System(id="idam", name="Identity Service")], [], actor="t")
    path = write_csv(tmp_path / "register.csv", REGISTER)
    result = import_files(store, [path], actor="t")
    assert result.added == ["childrens-social-care"]
    assert {d.name: (d.id, d.registered_by_name) for d in result.derived_ids} == {
        "Children's Social Care": ("childrens-social-care", False), "Council Tax": ("ctax", True), "Identity Service": ("idam", True),
    }
    assert sorted(s.id for s in store.list()) == ["childrens-social-care", "ctax", "idam"]
    assert store.get("ctax").hosting is Hosting.supplier_hosted
    assert {(d.source, d.target) for d in store.dependencies()} == {("childrens-social-care", "ctax"), ("childrens-social-care", "idam"), ("ctax", "idam")}


def test_a_name_shared_by_registered_systems_needs_an_id(tmp_path: Path, store: Store) -> None:
    store.import_estate([System(id="payroll-a", name="Payroll"), System(id="payroll-b", name="payroll")], [], actor="t")
    path = write_csv(tmp_path / "register.csv", [["Name"], ["Payroll"]])
    assert problems_of(lambda: import_files(store, [path], actor="t")) == [
        f"{path}:2:Name: 'Payroll' is the name of 2 registered systems (payroll-a, payroll-b); give this row its id"
    ]


def test_a_name_with_nothing_to_make_an_id_from(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "register.csv", [["Name", "Users"], ["???", "5"], ["Payroll", "many"], ["", "7"]])
    assert problems_of(lambda: read_file(path)) == [
        f"{path}:2:Name: cannot make an id from the name '???' (no letters or digits); give this row an id",
        f"{path}:3:Users: 'many' is not a whole number",
        f"{path}:4:Name: name is required",
    ]


def test_the_northbridge_register_imports_through_its_mapping_alone(sqlite_url: str) -> None:
    args = ["inventory", "import", str(EXAMPLES / "northbridge-register.xlsx"), "--mapping", str(EXAMPLES / "northbridge-register-mapping.yaml"),
            "--db", sqlite_url, "--format", "json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    result = json.loads(first.stdout)
    assert len(result["added"]) == 8 and len(result["derived_ids"]) == 8
    assert "childrens-social-care" in result["added"] and "revenues-and-benefits-document-store" in result["added"]
    assert "adults-social-care -> childrens-social-care" in result["links_added"]
    assert "planning-portal -> document-store" in result["links_added"], "from the Interfaces sheet, by name"
    shown = json.loads(runner.invoke(app, ["inventory", "show", "council-tax-capita", "--db", sqlite_url, "--format", "json"]).stdout)
    assert shown["system"]["criticality"] == "mission-critical" and shown["system"]["annual_cost"] == "248000.00"
    assert [d["source"] for d in shown["dependants"]] == ["childrens-social-care"]
    again = json.loads(runner.invoke(app, args).stdout)
    assert again["added"] == [] and again["changed"] == {} and len(again["unchanged"]) == 8


def test_the_northbridge_workbook_is_what_its_script_writes(tmp_path: Path) -> None:
    """The committed example is reproducible from the script (same sheets, same cells)."""
    import importlib.util

    from openpyxl import load_workbook

    spec = importlib.util.spec_from_file_location("make_northbridge", EXAMPLES / "make_northbridge_register.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    fresh = module.build(tmp_path / "fresh.xlsx")

    def cells(path: Path) -> dict[str, list[tuple]]:
        book = load_workbook(path, read_only=True)
        try:
            return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
        finally:
            book.close()

    assert cells(fresh) == cells(EXAMPLES / "northbridge-register.xlsx")
