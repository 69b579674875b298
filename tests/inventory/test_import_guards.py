"""`inventory import` is a path into a state: each row's system must meet the guards of the state
it lands in (the table `inventory move --help` prints), or the whole import is refused at that row."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def run(url: str, *args: str, code: int = 0):  # noqa: ANN201
    result = runner.invoke(app, ["inventory", *args, "--db", url])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def _csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    return path


def _states(url: str) -> dict[str, str]:
    return {s["id"]: s["state"] for s in json.loads(run(url, "list", "--format", "json").stdout)}


def test_a_row_that_misses_a_guard_is_refused_at_its_row_naming_only_what_is_missing(sqlite_url: str, tmp_path: Path) -> None:
    run(sqlite_url, "add", "intranet", "Intranet")
    sheet = _csv(tmp_path / "register.csv", [
        ["id", "name", "state", "strategy", "wave", "target_hosting"],
        ["payroll", "Payroll", "planned", "rehost", "", ""],
        ["crm", "CRM", "migrating", "repurchase", "2", ""],
        ["fax", "Fax Gateway", "planned", "retire", "", ""],
        ["intranet", "Intranet", "planned", "rehost", "1", "azure"],
    ])
    assert run(sqlite_url, "import", str(sheet), "--dry-run", code=2).stderr.splitlines()[1].startswith(f"{sheet}:2:state: payroll:")
    result = run(sqlite_url, "import", str(sheet), code=2)
    lines = result.stderr.splitlines()
    assert lines[0] == "borough: error: 2 problems in the input; nothing was imported"
    assert lines[1] == f"{sheet}:2:state: payroll: planned needs a wave; a target: target_hosting, or target_stack (a stack, subscription or SaaS product)"
    assert lines[2] == f"{sheet}:3:state: crm: migrating needs a target: target_hosting, or target_stack (a stack, subscription or SaaS product)"
    assert lines[3].startswith("hint: give the row a wave; give the row a target_hosting or target_stack; or give a state")
    assert "strategy" not in lines[3], "the hint names only what is missing"
    assert _states(sqlite_url) == {"intranet": "discovered"}, "nothing was imported, not even the good rows"

    fixed = _csv(tmp_path / "fixed.csv", [
        ["id", "name", "state", "strategy", "wave", "target_hosting"],
        ["payroll", "Payroll", "planned", "rehost", "1", "azure"],
        ["crm", "CRM", "migrating", "repurchase", "2", "saas"],
        ["fax", "Fax Gateway", "planned", "retire", "", ""],
    ])
    run(sqlite_url, "import", str(fixed))
    assert _states(sqlite_url) == {"crm": "migrating", "fax": "planned", "intranet": "discovered", "payroll": "planned"}


def test_guards_read_the_record_the_import_leaves_not_only_the_row(sqlite_url: str, tmp_path: Path) -> None:
    """A wave and target already in the register count; a row that leaves the state as it was is not a path into it."""
    run(sqlite_url, "add", "crm", "CRM", "--set", "strategy=rehost", "--set", "wave=1", "--set", "target_hosting=azure")
    sheet = _csv(tmp_path / "status.csv", [["id", "name", "state"], ["crm", "CRM", "planned"]])
    run(sqlite_url, "import", str(sheet))
    assert _states(sqlite_url) == {"crm": "planned"}
    notes = _csv(tmp_path / "notes.csv", [["id", "name", "state", "notes"], ["crm", "CRM", "planned", "supplier meeting in May"]])
    run(sqlite_url, "import", str(notes))


def test_a_migrated_row_that_says_where_it_is_hosted_has_landed_there(sqlite_url: str, tmp_path: Path) -> None:
    """A council sheet's "Done" row with a hosting and no target: the hosting is the landing."""
    sheet = _csv(tmp_path / "done.csv", [["id", "name", "state", "hosting"], ["parking", "Parking Permits", "migrated", "saas"],
                                         ["fax", "Fax Gateway", "migrated", ""]])
    result = run(sqlite_url, "import", str(sheet), code=2)
    assert f"{sheet}:3:state: fax: migrated needs where it now runs" in result.stderr
    assert "hint: give the row a target_hosting, or the hosting it now runs on;" in result.stderr
    _csv(sheet, [["id", "name", "state", "hosting"], ["parking", "Parking Permits", "migrated", "saas"]])
    run(sqlite_url, "import", str(sheet))
    parking = json.loads(run(sqlite_url, "show", "parking", "--format", "json").stdout)["system"]
    assert (parking["state"], parking["hosting"], parking["target_hosting"]) == ("migrated", "saas", "saas")


def test_a_system_decommissioned_by_import_must_have_no_live_dependents(sqlite_url: str, tmp_path: Path) -> None:
    systems = _csv(tmp_path / "systems.csv", [["id", "name", "state", "strategy"], ["fax", "Fax Gateway", "decommissioned", "retire"],
                                              ["housing", "Housing", "assessed", ""], ["old-crm", "Old CRM", "assessed", ""]])
    links = _csv(tmp_path / "links.csv", [["source", "target"], ["housing", "fax"], ["old-crm", "fax"]])
    result = run(sqlite_url, "import", str(systems), str(links), code=2)
    assert f"{systems}:2:state: fax: decommissioned needs no live system depending on it: housing, old-crm still do" in result.stderr
    assert "hint: decommission those dependents in the same import, or remove the dependency;" in result.stderr
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists() or _states(sqlite_url) == {}

    _csv(systems, [["id", "name", "state", "strategy"], ["fax", "Fax Gateway", "decommissioned", "retire"],
                   ["housing", "Housing", "assessed", ""], ["old-crm", "Old CRM", "decommissioned", "retire"]])
    _csv(links, [["source", "target"], ["old-crm", "fax"]])
    run(sqlite_url, "import", str(systems), str(links))
    assert _states(sqlite_url) == {"fax": "decommissioned", "housing": "assessed", "old-crm": "decommissioned"}


def test_every_bundled_register_imports_under_the_guards(sqlite_url: str, tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "inventory" / "examples"
    for i, (files, mapping) in enumerate((
        (["northbridge-register.xlsx"], "northbridge-register-mapping.yaml"),
        (["westmoor-register.xlsx"], "westmoor-register-mapping.yaml"),
        (["westmoor-applications.csv", "westmoor-interfaces.csv"], "westmoor-mapping.yaml"),
    )):
        url = f"sqlite:///{tmp_path / f'r{i}.db'}"
        run(url, "import", *[str(examples / f) for f in files], "--mapping", str(examples / mapping))
        assert _states(url)
    sample = Path(__file__).resolve().parents[2] / "inventory" / "sample" / "estate.yaml"
    run(sqlite_url, "import", str(sample))
    assert "migrated" in _states(sqlite_url).values()


def test_a_refused_row_that_others_depend_on_is_refused_at_the_sheets_own_status_column(sqlite_url: str, tmp_path: Path) -> None:
    """Names only, dependencies by name, a mapping for the council's headings: the refusal names the
    sheet's column, not the field, and is never mistaken for a concurrent change."""
    sheet = _csv(tmp_path / "register.csv", [
        ["System Name", "Status", "Approach", "Depends On"],
        ["Council Tax", "Moving", "Rehost", "Document Store"],
        ["Document Store", "", "", ""],
        ["Housing Repairs", "", "", "Council Tax; Document Store"],
    ])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  System Name: name\n  Status: state\n  Approach: strategy\n  Depends On: depends_on\n"
                       "list_separator: \";\"\nvalues:\n  state:\n    Moving: migrating\n", encoding="utf-8")
    result = run(sqlite_url, "import", str(sheet), "--mapping", str(mapping), code=2)
    lines = result.stderr.splitlines()
    assert lines[0] == "borough: error: 1 problem in the input; nothing was imported"
    assert lines[1].startswith(f"{sheet}:2:Status: council-tax: migrating needs a wave; a target")
    assert "changed while importing" not in result.stderr
    assert "creates a new register there" in run(sqlite_url, "list", code=2).stderr, "nothing was written"
