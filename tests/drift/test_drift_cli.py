"""`borough drift stack` and `borough drift inventory` as a user runs them: formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cli.main import app
from drift_fixtures import SUB, rid
from fake_arm import TOKEN, Fault, arm_resource, resource_group

SCHEMA = json.loads((Path(__file__).parent / "sarif-2.1.0.json").read_text(encoding="utf-8"))
RECORD_SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
STORAGE = rid("Microsoft.Storage/storageAccounts/stresidentdev")


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BOROUGH_AZURE_ACCESS_TOKEN", TOKEN)
    return CliRunner()


@pytest.fixture
def state_file(tmp_path: Path, export_data: dict) -> Path:
    path = tmp_path / "state.json"
    path.write_text(json.dumps(export_data), encoding="utf-8")
    return path


def drift(runner: CliRunner, *args: str):
    return runner.invoke(app, ["drift", *args], catch_exceptions=False)


def assert_documented(report: dict, command: str) -> None:
    """``--format json`` is the records docs/schemas/drift-COMMAND.schema.json documents."""
    schema = json.loads((RECORD_SCHEMAS / f"drift-{command}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(report)]
    assert not errors, errors[:5]


def test_clean_stack_exits_zero_with_a_table(runner, arm, state_file):
    result = drift(runner, "stack", "--state", str(state_file), "--azure-endpoint", arm.endpoint, "--retry-backoff", "0")
    assert result.exit_code == 0, result.output
    assert "clean" in result.stdout and "in sync" in result.stdout


def test_changed_stack_json_names_path_desired_and_live(runner, arm, state_file, tmp_path):
    arm.state.get(STORAGE)["properties"]["allowBlobPublicAccess"] = True
    out = tmp_path / "drift.json"
    result = drift(runner, "stack", "--state", str(state_file), "--azure-endpoint", arm.endpoint, "--format", "json", "--output", str(out))
    assert result.exit_code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["status"] == "drift"
    [finding] = report["findings"]
    assert (finding["path"], finding["desired"], finding["live"]) == ("properties.allowBlobPublicAccess", False, True)


def test_sarif_is_valid_2_1_0_and_lists_each_finding(runner, arm, state_file):
    arm.state.remove(rid("Microsoft.KeyVault/vaults/kv-resident-dev"))
    arm.state.add(arm_resource(SUB, "rg-resident-dev", "Microsoft.Storage/storageAccounts", "stbyhand", location="uksouth"))
    result = drift(runner, "stack", "--state", str(state_file), "--azure-endpoint", arm.endpoint, "--format", "sarif")
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, SCHEMA)
    rules = sorted(r["ruleId"] for r in sarif["runs"][0]["results"])
    assert rules == ["BDRIFT002", "BDRIFT003"]
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_a_failed_read_exits_3_and_names_it_in_every_format(runner, arm, state_file):
    arm.state.faults.append(Fault(method="POST", page=1, status=500, times=None))
    args = ["stack", "--state", str(state_file), "--azure-endpoint", arm.endpoint, "--retries", "1", "--retry-backoff", "0"]
    table = drift(runner, *args)
    assert table.exit_code == 3
    assert f"subscription {SUB}" in table.stdout and "page 1" in table.stdout
    sarif = json.loads(drift(runner, *args, "--format", "sarif").stdout)
    jsonschema.validate(sarif, SCHEMA)
    notes = sarif["runs"][0]["invocations"][0]
    assert notes["executionSuccessful"] is False
    assert any("Resource Graph query 'resources' page 1" in n["message"]["text"] for n in notes["toolExecutionNotifications"])
    markdown = drift(runner, *args, "--format", "markdown")
    assert markdown.exit_code == 3 and "| azure | subscription" in markdown.stdout
    as_json = drift(runner, *args, "--format", "json")
    assert as_json.exit_code == 3
    report = json.loads(as_json.stdout)
    assert_documented(report, "stack")
    assert report["status"] == "incomplete"
    assert any(n["cloud"] == "azure" and "page 1" in n["what"] for n in report["not_read"])


def test_output_is_byte_identical_across_runs(runner, arm, state_file):
    arm.state.get(STORAGE)["tags"]["owner"] = "someone"
    args = ["stack", "--state", str(state_file), "--azure-endpoint", arm.endpoint, "--format", "json"]
    assert drift(runner, *args).stdout == drift(runner, *args).stdout


def test_bad_input_exits_2_with_one_line(runner, tmp_path, arm):
    missing = drift(runner, "stack", "--state", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "nope.json: no such file" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert drift(runner, "stack", "--state", str(broken)).exit_code == 2
    both = drift(runner, "stack")
    assert both.exit_code == 2
    insecure = drift(runner, "inventory", "--azure-subscription", SUB, "--azure-endpoint", "http://example.org")
    assert insecure.exit_code == 2 and "https" in insecure.output
    bad_sub = drift(runner, "inventory", "--azure-subscription", "not-a-guid")
    assert bad_sub.exit_code == 2 and "not-a-guid" in bad_sub.output
    bad_region = drift(runner, "inventory", "--aws-region", "Mars")
    assert bad_region.exit_code == 2 and "Mars" in bad_region.output
    nothing = drift(runner, "inventory")
    assert nothing.exit_code == 2
    wrong_format = drift(runner, "stack", "--state", str(broken), "--format", "csv")
    assert wrong_format.exit_code == 2


def test_stack_by_name_without_the_pulumi_cli_points_to_stack_export(runner, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    result = drift(runner, "stack", "--stack", "resident-services-dev")
    assert result.exit_code == 2
    assert "Pulumi CLI is not installed" in result.output and "pulumi stack export" in result.output


def test_inventory_command_reads_the_register_database(runner, arm, tmp_path, monkeypatch):
    from inventory.register.model import Hosting, State, System
    from inventory.store import open_store

    url = f"sqlite:///{tmp_path / 'inventory.db'}"
    with open_store(url) as store:
        store.add(System(id="resident-portal", name="Resident portal", hosting=Hosting.azure, state=State.migrated,
                         target_hosting=Hosting.azure, target_stack="resident-services-dev"))
        store.add(System(id="old-crm", name="Old CRM", hosting=Hosting.azure, state=State.decommissioned))
    arm.state.add(resource_group(SUB, "rg-legacy", tags={"system-id": "old-crm"}))
    monkeypatch.setenv("BOROUGH_ROOT", str(tmp_path))
    result = drift(runner, "inventory", "--db", url, "--azure-subscription", SUB, "--azure-endpoint", arm.endpoint,
                   "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    kinds = {(f["rule"], f["resource"].rsplit("/", 1)[-1]) for f in report["findings"]}
    assert ("decommissioned-system-running", "rg-legacy") in kinds
    assert not any(rule == "migrated-system-without-resources" for rule, _ in kinds)
    assert report["live_resources"] == 6  # two groups and four indexed resources (blob services are not in Resource Graph)
    sarif = drift(runner, "inventory", "--db", url, "--azure-subscription", SUB, "--azure-endpoint", arm.endpoint,
                  "--format", "sarif")
    assert sarif.exit_code == 1
    document = json.loads(sarif.stdout)
    jsonschema.validate(document, SCHEMA)
    assert "BDRIFT101" in {r["ruleId"] for r in document["runs"][0]["results"]}


def test_stack_report_says_which_subscription_and_groups_were_read(runner, arm, state_file):
    result = drift(runner, "stack", "--state", str(state_file), "--azure-endpoint", arm.endpoint, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert f"| read azure subscription {SUB} (resource groups rg-resident-dev): 6 live resource(s) seen |" in result.stdout
    report = json.loads(drift(runner, "stack", "--state", str(state_file), "--azure-endpoint", arm.endpoint, "--format", "json").stdout)
    assert report["scopes"] == [f"azure subscription {SUB} (resource groups rg-resident-dev)"]


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "sarif"])
def test_every_format_drift_inventory_lists_renders_its_finding(runner, arm, tmp_path, monkeypatch, fmt):
    """`drift inventory --help` lists table|json|markdown|sarif: each renders the report, none is refused."""
    from inventory.register.model import Hosting, State, System
    from inventory.store import open_store

    url = f"sqlite:///{tmp_path / 'inventory.db'}"
    with open_store(url) as store:
        store.add(System(id="old-crm", name="Old CRM", hosting=Hosting.azure, state=State.decommissioned))
    arm.state.add(resource_group(SUB, "rg-legacy", tags={"system-id": "old-crm"}))
    monkeypatch.setenv("BOROUGH_ROOT", str(tmp_path))
    result = drift(runner, "inventory", "--db", url, "--azure-subscription", SUB, "--azure-endpoint", arm.endpoint,
                   "--format", fmt)
    assert result.exit_code == 1, result.output
    assert "rg-legacy" in result.stdout
    if fmt == "json":
        report = json.loads(result.stdout)
        assert_documented(report, "inventory")
        assert report["counts"]["decommissioned-system-running"] == 1 and report["matched_resources"] == 1
        assert report["resources"] == [], "inventory drift lists no managed resources"
    elif fmt == "sarif":
        json.loads(result.stdout)


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "sarif"])
def test_every_format_drift_stack_lists_renders_its_finding(runner, arm, state_file, fmt):
    arm.state.get(STORAGE)["properties"]["allowBlobPublicAccess"] = True
    result = drift(runner, "stack", "--state", str(state_file), "--azure-endpoint", arm.endpoint, "--format", fmt)
    assert result.exit_code == 1, result.output
    assert "stresidentdev" in result.stdout
    if fmt == "json":
        report = json.loads(result.stdout)
        assert_documented(report, "stack")
        assert report["counts"] == {"modified": 1} and report["matched_resources"] is None
        assert {"modified", "in sync"} <= {r["state"] for r in report["resources"]}
    elif fmt == "sarif":
        json.loads(result.stdout)
