"""`borough inventory` as a user runs it: outputs, history, and exit codes 0/1/2/3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "inventory" / "examples"


@pytest.fixture
def run(sqlite_url: str, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setenv("BOROUGH_DB", sqlite_url)
    monkeypatch.setenv("BOROUGH_ACTOR", "asha")
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):  # noqa: ANN202
        result = runner.invoke(app, ["inventory", *args])
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    return invoke


def test_add_show_update_move_and_history(run) -> None:  # noqa: ANN001
    assert "added council-tax (version 1)" in run("add", "council-tax", "Council Tax", "--set", "annual_cost=£12,500", "--set", "hosting=on prem").stderr
    fields = json.loads(run("show", "council-tax", "--format", "json").stdout)["system"]
    assert fields["annual_cost"] == "12500.00" and fields["hosting"] == "on-premises" and fields["version_no"] == 1
    run("update", "council-tax", "--set", "strategy=lift and shift", "--set", "wave=1", "--set", "target_hosting=azure",
        "--expected-version", "1", "--reason", "board approved")
    run("move", "council-tax", "assessed")
    assert "council-tax is planned (version 4)" in run("move", "council-tax", "planned").stderr
    history = json.loads(run("history", "council-tax", "--format", "json").stdout)
    assert [r["action"] for r in history] == ["add", "update", "move", "move"]
    assert history[1]["reason"] == "board approved" and history[1]["actor"] == "asha"
    assert history[1]["changes"]["strategy"] == [None, "rehost"]


def test_refusals_exit_2_with_one_line_reasons(run) -> None:  # noqa: ANN001
    run("add", "crm", "CRM")
    assert "already registered" in run("add", "crm", "CRM", code=2).stderr
    assert "no system 'nope'" in run("show", "nope", code=2).stderr
    run("update", "crm", "--set", "notes=x")
    stale = run("update", "crm", "--set", "notes=y", "--expected-version", "1", code=2).stderr
    assert "changed since version 1 (now version 2)" in stale and "hint:" in stale
    assert "allowed moves: assessed, on-hold" in run("move", "crm", "migrated", code=2).stderr
    run("move", "crm", "assessed")
    refused = run("move", "crm", "planned", code=2).stderr
    assert "planned needs a strategy" in refused and "--set strategy=rehost" in refused
    assert "'sideways' is not one of" in run("move", "crm", "sideways", code=2).stderr
    assert "unknown field 'colour'" in run("update", "crm", "--set", "colour=red", code=2).stderr
    assert "'12.5k' is not an amount in GBP" in run("update", "crm", "--set", "annual_cost=12.5k", code=2).stderr
    assert "Traceback" not in run("update", "crm", "--set", "state=migrated", code=2).stderr


def test_decommission_guard_and_force(run) -> None:  # noqa: ANN001
    run("add", "fax", "Fax", "--set", "strategy=retire", "--set", "wave=1")
    run("add", "portal", "Portal")
    run("link", "portal", "fax", "--kind", "sftp", "--description", "scanned post")
    run("move", "fax", "assessed")
    run("move", "fax", "planned")
    assert "live systems depend on it: portal" in run("move", "fax", "decommissioned", code=2).stderr
    assert "--force needs a note" in run("move", "fax", "decommissioned", "--force", code=2).stderr
    run("move", "fax", "decommissioned", "--force", "--reason", "post now scanned by the portal")
    shown = json.loads(run("show", "portal", "--format", "json").stdout)
    assert shown["dependencies"] == [{"source": "portal", "target": "fax", "kind": "file transfer", "description": "scanned post"}]
    assert shown["dependants"] == []
    assert json.loads(run("show", "fax", "--format", "json").stdout)["dependants"] == shown["dependencies"]
    run("unlink", "portal", "fax")
    assert "does not depend on" in run("unlink", "portal", "fax", code=2).stderr


def test_list_filters_and_formats(run) -> None:  # noqa: ANN001
    run("import", str(EXAMPLES / "westmoor-applications.csv"), str(EXAMPLES / "westmoor-interfaces.csv"),
        "--mapping", str(EXAMPLES / "westmoor-mapping.yaml"))
    rows = json.loads(run("list", "--hosting", "on prem", "--criticality", "mission critical", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["ctax", "hb", "social-care"]
    assert rows[0]["annual_cost"] == "248000.00", "json carries every field"
    assert run("list", "--search", "gazetteer", "--format", "csv").stdout.splitlines()[1].startswith("llpg,")
    assert "| repairs |" in run("list", "--state", "on hold", "--format", "markdown").stdout
    assert "Housing Repairs" in run("list", "--wave", "2", "--service-area", "housing").stdout
    assert "'sarif' is not one of 'table', 'json', 'csv', 'markdown'" in run("list", "--format", "sarif", code=2).stderr
    assert "'sideways' is not one of" in run("list", "--state", "sideways", code=2).stderr


def test_import_reports_every_problem_and_writes_nothing(run, tmp_path: Path) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,users,hosting\ngis,GIS,many,moon\ncrm,,1,aws\n", encoding="utf-8")
    stderr = run("import", str(bad), code=2).stderr
    assert "3 problems in the input; nothing was imported" in stderr
    assert f"{bad}:2:users: 'many' is not a whole number" in stderr and f"{bad}:2:hosting: 'moon'" in stderr
    assert f"{bad}:3:name: name is required" in stderr
    assert "no inventory database at" in run("list", code=2).stderr, "a refused first import leaves no empty register behind"


def test_import_dry_run_then_import_then_reimport(run) -> None:  # noqa: ANN001
    paths = [str(EXAMPLES / "westmoor-applications.csv"), str(EXAMPLES / "westmoor-interfaces.csv"), "--mapping", str(EXAMPLES / "westmoor-mapping.yaml")]
    dry = json.loads(run("import", *paths, "--dry-run", "--format", "json").stdout)
    assert dry["dry_run"] is True and len(dry["added"]) + len(dry["links_added"]) == 26
    assert "no inventory database at" in run("list", code=2).stderr, "a dry run into a new database creates nothing"
    run("import", *paths)
    again = json.loads(run("import", *paths, "--format", "json").stdout)
    assert not again["added"] and not again["changed"] and not again["links_added"] and not again["links_changed"]
    assert len(again["unchanged"]) == len(dry["added"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "yaml", "json"])
def test_export_and_import_round_trip(run, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    run("import", str(EXAMPLES / "westmoor-applications.csv"), str(EXAMPLES / "westmoor-interfaces.csv"),
        "--mapping", str(EXAMPLES / "westmoor-mapping.yaml"))
    out = tmp_path / f"estate.{fmt}"
    run("export", "--format", fmt, "--output", str(out))
    before = run("export", "--format", "json").stdout
    run("import", str(out), "--db", f"sqlite:///{tmp_path / 'copy.db'}")
    assert run("export", "--format", "json", "--db", f"sqlite:///{tmp_path / 'copy.db'}").stdout == before


def test_export_xlsx_needs_an_output_file(run) -> None:  # noqa: ANN001
    assert "give --output" in run("export", "--format", "xlsx", code=2).stderr


def test_validate_against_the_stack_files(run, repo_root: Path) -> None:  # noqa: ANN001
    run("add", "portal", "Portal", "--set", "target_stack=resident-services-test")
    (repo_root / "Pulumi.data-platform-prod.yaml").write_text("config:\n  borough:systemId: data-platform\n", encoding="utf-8")
    (repo_root / "Pulumi.sandbox.yaml").write_text("config:\n  borough:environment: platform\n", encoding="utf-8")
    rows = json.loads(run("validate", "--format", "json", code=1).stdout)
    assert [(r["kind"], r["subject"]) for r in rows] == [
        ("unknown-system", "data-platform-prod"),
        ("unknown-system", "resident-services-prod"),
        ("no-system-id", "sandbox"),
        ("missing-stack", "portal"),
    ]
    for path in repo_root.glob("Pulumi.*.yaml"):
        if path.name != "Pulumi.resident-services-prod.yaml":
            path.unlink()
    run("add", "resident-portal", "Resident Portal", "--set", "target_stack=resident-services-prod")
    run("update", "portal", "--set", "target_stack=")
    assert json.loads(run("validate", "--format", "json").stdout) == []


def test_an_unreachable_database_exits_3(run) -> None:  # noqa: ANN001
    stderr = run("list", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", code=3).stderr
    assert "cannot open the inventory database" in stderr


def test_the_council_walkthrough_on_each_backend(db_url: str, repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Import a council sheet through its mapping, move a system through its guarded lifecycle, export."""
    monkeypatch.setenv("BOROUGH_ACTOR", "asha")
    runner = CliRunner()

    def run(*args: str, code: int = 0):  # noqa: ANN202
        result = runner.invoke(app, ["inventory", *args, "--db", db_url])
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    run("import", str(EXAMPLES / "westmoor-register.xlsx"), "--mapping", str(EXAMPLES / "westmoor-register-mapping.yaml"))
    run("update", "llpg", "--set", "target_stack=resident-services-prod", "--set", "target_hosting=azure")
    run("move", "llpg", "planned")
    run("move", "llpg", "migrating")
    run("move", "llpg", "migrated")
    assert "live systems depend on it" in run("move", "llpg", "decommissioned", code=2).stderr
    rows = json.loads(run("list", "--state", "migrated", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["llpg"]
    moves = [r["changes"] for r in json.loads(run("history", "llpg", "--format", "json").stdout) if r["action"] == "move"]
    assert moves == [{"state": ["assessed", "planned"]}, {"state": ["planned", "migrating"]}, {"state": ["migrating", "migrated"], "hosting": ["on-premises", "azure"]}]
    assert json.loads(run("show", "llpg", "--format", "json").stdout)["system"]["hosting"] == "azure"
    exported = run("export", "--format", "json").stdout
    assert json.loads(exported)["systems"][0]["id"] == "ctax"
