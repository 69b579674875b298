"""Importing council spreadsheets: lenient parsing, every problem located, all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from import_problems import problems_of

from inventory.importing import import_files, read_file
from inventory.register.model import Classification, Criticality, DependencyKind, Hosting, State, Strategy, System
from inventory.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "inventory" / "examples"
HEADER = "id,name,hosting,annual_cost,contract_end,strategy,personal_data,users,wave,criticality,depends_on"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_lenient_values_are_read_explicitly(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "register.csv",
        HEADER + "\n"
        ' Council Tax ,Council Tax, On Prem ,"£12,500",31/03/2027,Lift and Shift,YES,"1,200",2,Mission Critical,"gis (API: address lookups); idam (sso)"\n'
        "gis,GIS,supplier hosted,12500.5,2027-04-01,REFACTOR,n,0,,business-critical,\n"
        "idam,Identity,Microsoft Azure,GBP 0,,keep,no,,,non critical,\n",
    )
    systems, deps = read_file(path)
    ctax, gis, idam = systems
    assert ctax.id == "council-tax" and ctax.hosting is Hosting.on_premises and ctax.annual_cost == Decimal("12500.00")
    assert ctax.contract_end == dt.date(2027, 3, 31) and ctax.strategy is Strategy.rehost and ctax.personal_data is True
    assert ctax.users == 1200 and ctax.criticality is Criticality.mission_critical
    assert gis.hosting is Hosting.supplier_hosted and gis.annual_cost == Decimal("12500.50") and gis.strategy is Strategy.refactor
    assert idam.hosting is Hosting.azure and idam.strategy is Strategy.retain and idam.criticality is Criticality.non_critical
    assert [(d.source, d.target, d.kind, d.description) for d in deps] == [
        ("council-tax", "gis", DependencyKind.api, "address lookups"),
        ("council-tax", "idam", DependencyKind.authentication, ""),
    ]


BAD_VALUES = [
    ("hosting", "the moon", "'the moon' is not one of: on-premises, supplier-hosted, aws, azure, saas, other"),
    ("annual_cost", "12.5k", "'12.5k' is not an amount in GBP"),
    ("annual_cost", "$500", "'$500' is not an amount in GBP"),
    ("annual_cost", "-5", "'-5' is negative"),
    ("annual_cost", "10.001", "'10.001' is not an amount in GBP"),
    ("contract_end", "31/02/2027", "'31/02/2027' is not a real date"),
    ("contract_end", "03/31/2027", "'03/31/2027' is not a real date"),
    ("contract_end", "next March", "'next March' is not a date (use ISO 2027-03-31 or UK 31/03/2027)"),
    ("strategy", "lift", "'lift' is not one of: retire, retain, rehost"),
    ("personal_data", "maybe", "'maybe' is not yes or no"),
    ("users", "lots", "'lots' is not a whole number"),
    ("users", "-3", "'-3' is not a whole number"),
    ("wave", "2.5", "'2.5' is not a whole number"),
    ("criticality", "high", "'high' is not one of: mission-critical"),
    ("id", "Council Tax!", "'Council Tax!' is not a system id"),
    ("name", "", "name is required"),
    ("depends_on", "ghost", "no system 'ghost' in the file or the register"),
    ("depends_on", "gis (carrier pigeon)", "'carrier pigeon' is not one of: data feed, authentication"),
]


@pytest.mark.parametrize(("column", "value", "message"), BAD_VALUES, ids=[f"{c}={v}" for c, v, _ in BAD_VALUES])
def test_each_kind_of_bad_value_is_located(tmp_path: Path, column: str, value: str, message: str) -> None:
    good = {"id": "crm", "name": "CRM", "hosting": "saas", "annual_cost": "1", "contract_end": "", "strategy": "", "personal_data": "",
            "users": "", "wave": "", "criticality": "", "depends_on": ""}
    good[column] = value
    row = ",".join(f'"{good[c]}"' for c in HEADER.split(","))
    path = write(tmp_path, "register.csv", HEADER + "\ngis,GIS,,,,,,,,,\n" + row + "\n")
    [problem] = problems_of(lambda: read_file(path))
    assert problem.startswith(f"{path}:3:{column}: {message}")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "register.csv",
        "ID,Name,Hosting,Annual cost,Whatever\n"
        "council-tax,Council Tax,moon,12.5k,\n"
        "gis,,azure,1,\n"
        "council-tax,Again,azure,1,\n",
    )
    assert problems_of(lambda: read_file(path)) == [
        f"{path}:1:Whatever: unknown column; map it under columns: or list it under ignore: in a mapping file",
        f"{path}:2:Annual cost: '12.5k' is not an amount in GBP (e.g. £12,500 or 12500.00)",
        f"{path}:2:Hosting: 'moon' is not one of: on-premises, supplier-hosted, aws, azure, saas, other (add a synonym under values: in the mapping file)",
        f"{path}:3:Name: name is required",
        f"{path}:4:ID: 'council-tax' is already on {path}:2",
    ]


def test_one_bad_row_imports_nothing(tmp_path: Path, store: Store) -> None:
    path = write(tmp_path, "register.csv", "id,name,users\ngis,GIS,3\ncrm,CRM,many\nhr,HR,4\n")
    problems = problems_of(lambda: import_files(store, [path], actor="t"))
    assert problems == [f"{path}:3:users: 'many' is not a whole number"]
    assert store.list() == [] and store.history() == []


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, store: Store) -> None:
    path = write(tmp_path, "register.csv", "id,name,depends_on\ngis,GIS,\ncrm,CRM,gis (api)\n")
    first = import_files(store, [path], actor="t")
    assert first.added == ["crm", "gis"] and first.links_added == ["crm -> gis"]
    events = store.history()
    second = import_files(store, [path], actor="t")
    assert second.unchanged == ["crm", "gis"] and not second.wrote_anything
    assert store.history() == events and store.get("crm").version_no == 1


def test_dry_run_shows_changes_without_writing(tmp_path: Path, sqlite_store: Store) -> None:
    import_files(sqlite_store, [write(tmp_path, "a.csv", "id,name,wave\ngis,GIS,1\n")], actor="t")
    result = import_files(sqlite_store, [write(tmp_path, "b.csv", "id,name,wave\ngis,GIS,2\ncrm,CRM,\n")], actor="t", dry_run=True)
    assert result.dry_run and result.added == ["crm"] and result.changed == {"gis": {"wave": [1, 2]}}
    assert sqlite_store.get("gis").wave == 1 and [s.id for s in sqlite_store.list()] == ["gis"]


def test_blank_cells_and_missing_columns_leave_registered_values_alone(tmp_path: Path, sqlite_store: Store) -> None:
    sqlite_store.add(System(id="gis", name="GIS", notes="keep", wave=4, supplier="Esri"), actor="t")
    result = import_files(sqlite_store, [write(tmp_path, "a.csv", "id,name,wave,supplier\ngis,GIS,,Esri UK\n")], actor="t")
    assert result.changed == {"gis": {"supplier": ["Esri", "Esri UK"]}}
    got = sqlite_store.get("gis")
    assert (got.notes, got.wave, got.supplier) == ("keep", 4, "Esri UK")


def test_dependencies_may_target_systems_already_registered(tmp_path: Path, sqlite_store: Store) -> None:
    sqlite_store.add(System(id="idam", name="Identity"), actor="t")
    deps = write(tmp_path, "deps.csv", "source,target,kind\nidam,idam,api\ngis,idam,sso\ngis,nowhere,api\n")
    systems = write(tmp_path, "systems.csv", "id,name\ngis,GIS\n")
    assert problems_of(lambda: import_files(sqlite_store, [systems, deps], actor="t")) == [
        f"{deps}:2:target: 'idam' cannot depend on itself",
        f"{deps}:4:target: no system 'nowhere' in the file or the register",
    ]
    deps.write_text("source,target,kind\ngis,idam,sso\n", encoding="utf-8")
    result = import_files(sqlite_store, [systems, deps], actor="t")
    assert result.links_added == ["gis -> idam"]
    assert sqlite_store.dependencies("gis")[0].kind is DependencyKind.authentication


def test_council_spreadsheet_through_its_mapping_file(sqlite_store: Store) -> None:
    paths = [EXAMPLES / "westmoor-applications.csv", EXAMPLES / "westmoor-interfaces.csv"]
    result = import_files(sqlite_store, paths, EXAMPLES / "westmoor-mapping.yaml", actor="t", reason="Westmoor register")
    assert len(result.added) == 10 and len(result.links_added) == 16
    ctax = sqlite_store.get("ctax")
    assert ctax.hosting is Hosting.on_premises and ctax.strategy is Strategy.repurchase
    assert ctax.criticality is Criticality.mission_critical and ctax.data_classification is Classification.official_sensitive
    assert ctax.annual_cost == Decimal("248000.00") and ctax.support_end == dt.date(2027, 9, 30) and ctax.state is State.assessed
    assert sqlite_store.get("repairs").state is State.on_hold
    social = {d.target: d for d in sqlite_store.dependencies("social-care") if d.source == "social-care"}
    assert social["hb"].kind is DependencyKind.data_feed and social["hb"].description == "Care charges for benefit assessments"
    assert not import_files(sqlite_store, paths, EXAMPLES / "westmoor-mapping.yaml", actor="t").wrote_anything


def test_the_same_spreadsheet_without_its_mapping_names_each_unknown_header() -> None:
    problems = problems_of(lambda: read_file(EXAMPLES / "westmoor-applications.csv"))
    assert any(p.endswith(":1:Cloud Approach: unknown column; map it under columns: or list it under ignore: in a mapping file") for p in problems)


def test_mapping_file_mistakes_are_located(tmp_path: Path) -> None:
    mapping = write(tmp_path, "map.yaml", "columns:\n  Ref: id\n  Colour: colour\nvalues:\n  flavour: {a: b}\nsheet: X\n")
    data = write(tmp_path, "a.csv", "Ref,name\ngis,GIS\n")
    problems = problems_of(lambda: read_file(data, mapping))
    assert problems[0].startswith(f"{mapping}:3:Colour: 'colour' is not a field; use one of annual_cost, business_owner,")
    assert problems[1:] == [
        f"{mapping}:5:flavour: 'flavour' is not a field",
        f"{mapping}:6:sheet: unknown key; expected one of columns, dependencies_sheet, ignore, list_separator, systems_sheet, values",
    ]


def test_ignored_columns_are_skipped(tmp_path: Path) -> None:
    mapping = write(tmp_path, "map.yaml", "ignore: [Last reviewed]\n")
    data = write(tmp_path, "a.csv", "id,name,Last reviewed\ngis,GIS,yesterday\n")
    systems, _ = read_file(data, mapping)
    assert [s.id for s in systems] == ["gis"]


def test_xlsx_problems_name_the_sheet_row_and_header(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Apps"
    sheet.append(["ID", "Name", "Contract end", "Annual cost"])
    sheet.append(["gis", "GIS", dt.datetime(2027, 3, 31), 1500.5])
    sheet.append(["crm", "CRM", "31/13/2027", "£1,000"])
    links = book.create_sheet("Links")
    links.append(["Source", "Target", "Kind"])
    links.append(["crm", "gis", "database"])
    path = tmp_path / "register.xlsx"
    book.save(path)
    assert problems_of(lambda: read_file(path)) == [f"{path}[Apps]:3:Contract end: '31/13/2027' is not a real date"]
    sheet["C3"] = "31/12/2027"
    book.save(path)
    systems, deps = read_file(path)
    assert systems[0].contract_end == dt.date(2027, 3, 31) and systems[0].annual_cost == Decimal("1500.50")
    assert deps[0].kind is DependencyKind.shared_database


def test_yaml_problems_name_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "estate.yaml",
        "systems:\n"
        "  - id: gis\n"
        "    name: GIS\n"
        "    annual_cost: £1,000\n"
        "  - id: crm\n"
        "    name: CRM\n"
        "    support_end: 30/02/2027\n"
        "    colour: red\n"
        "    depends_on:\n"
        "      - gis\n"
        "      - {target: idam, kind: sso}\n"
        "dependencies:\n"
        "  - {source: gis, target: crm, kind: telepathy}\n",
    )
    assert problems_of(lambda: read_file(path)) == [
        f"{path}:7:support_end: '30/02/2027' is not a real date",
        f"{path}:8:colour: unknown field",
        f"{path}:11:depends_on.target: no system 'idam' in the file or the register",
        f"{path}:13:kind: 'telepathy' is not one of: data feed, authentication, api, file transfer, shared database, unknown (add a synonym under values: in the mapping file)",
    ]


def test_unreadable_inputs_are_reported(tmp_path: Path) -> None:
    bad_yaml = write(tmp_path, "estate.yaml", "systems: [\n")
    assert problems_of(lambda: read_file(bad_yaml))[0].startswith(f"{bad_yaml}:2:-: not valid YAML")
    assert problems_of(lambda: read_file(tmp_path / "missing.csv")) == [f"{tmp_path / 'missing.csv'}:0:-: no such file"]
    assert problems_of(lambda: read_file(write(tmp_path, "notes.txt", "hi"))) == [
        f"{tmp_path / 'notes.txt'}:0:-: cannot import '.txt' files; use .csv, .xlsx, .yaml or .json"
    ]


def test_windows_excel_csv_with_a_pound_sign_reads(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("id,name,annual_cost\r\ngis,GIS,£1,500\r\n".replace("£1,500", '"£1,500"').encode("cp1252"))
    systems, _ = read_file(path)
    assert systems[0].annual_cost == Decimal("1500.00")


def test_council_workbook_with_named_sheets_matches_the_csv_export(sqlite_store: Store) -> None:
    workbook = import_files(sqlite_store, [EXAMPLES / "westmoor-register.xlsx"], EXAMPLES / "westmoor-register-mapping.yaml", actor="t")
    assert len(workbook.added) == 10 and len(workbook.links_added) == 16, "the Read me sheet is not data and is skipped"
    csvs = [EXAMPLES / "westmoor-applications.csv", EXAMPLES / "westmoor-interfaces.csv"]
    assert not import_files(sqlite_store, csvs, EXAMPLES / "westmoor-mapping.yaml", actor="t").wrote_anything


def test_a_sheet_the_mapping_names_must_exist(tmp_path: Path) -> None:
    mapping = write(tmp_path, "map.yaml", (EXAMPLES / "westmoor-register-mapping.yaml").read_text().replace("Interfaces", "Links"))
    problems = problems_of(lambda: read_file(EXAMPLES / "westmoor-register.xlsx", mapping))
    assert problems == [f"{EXAMPLES / 'westmoor-register.xlsx'}:0:-: no sheet named 'Links' (the mapping file names it)"]


def test_an_empty_file_is_reported_not_silently_imported(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.csv", "")
    assert problems_of(lambda: read_file(empty)) == [f"{empty}:0:-: no systems or dependencies found"]


def test_what_careful_councils_write_still_reads(tmp_path: Path) -> None:
    """The refusals of issue 9 do not catch ordinary files: Excel's trailing empty cells, a notes
    cell over several lines, a quote inside a quoted cell, YAML anchors and merge keys, long text
    within the bounds, a lone '-' placeholder."""
    csv_path = write(
        tmp_path,
        "register.csv",
        'id,name,notes\n'
        'crm,"Acme ""CRM""","first line\nsecond line, with a comma",,\n'
        f'gis,{"G" * 200},-\n',
    )
    systems, _ = read_file(csv_path)
    assert [s.name for s in systems] == ['Acme "CRM"', "G" * 200]
    assert systems[0].notes == "first line\nsecond line, with a comma" and systems[1].notes == "-"
    yaml_path = write(
        tmp_path,
        "register.yaml",
        "systems:\n"
        "  - &base {id: crm, name: CRM, hosting: saas, supplier: Civica}\n"
        "  - <<: *base\n"
        "    id: gis\n"
        "    name: GIS\n",
    )
    systems, _ = read_file(yaml_path)
    assert [(s.id, s.hosting.value, s.supplier) for s in systems] == [("crm", "saas", "Civica"), ("gis", "saas", "Civica")]


def test_formula_like_text_is_kept_and_warned_about_at_its_cell(tmp_path: Path, sqlite_store: Store) -> None:
    path = write(tmp_path, "register.csv", "id,name,notes\ncrm,CRM,=1+1\ngis,GIS,'=quoted by our export\n")
    result = import_files(sqlite_store, [path], actor="t")
    assert result.warnings == [
        f"{path}:2:notes: '=1+1' starts like a spreadsheet formula; it is imported as text and exported with a leading quote",
        f"{path}:3:notes: '=quoted by our export' starts like a spreadsheet formula; it is imported as text and exported with a leading quote",
    ]
    assert [s.notes for s in sqlite_store.list()] == ["=1+1", "=quoted by our export"]
