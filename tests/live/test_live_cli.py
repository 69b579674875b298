"""`borough check --live` as a user runs it against the loopback Azure REST server: who manages each
finding in every format, --unmanaged-only, --state and the register, exit codes and usage errors."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

import jsonschema
import pytest
from typer.testing import CliRunner

from cli.main import app
from drift_fixtures import RG, SUB, live_bodies, state_export
from fake_arm import TOKEN, Fault, arm_resource
from live_fake import PostureServer

SCHEMA = Path(__file__).resolve().parent.parent / "policies" / "sarif-2.1.0.json"
CHECK_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "check.schema.json"
HAND_MADE = "stbyhand002"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials or register of the machine's: the fake server's token, an empty directory."""
    for name in ("ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_TENANT_ID",
                 "ARM_USE_MSI", "ARM_USE_OIDC", "BOROUGH_DB", "BOROUGH_AZURE_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOROUGH_AZURE_ACCESS_TOKEN", TOKEN)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def server() -> Iterator[PostureServer]:
    """A small deployed stack (drift's resident-services export) plus one storage account made by hand."""
    with PostureServer() as running:
        for body in live_bodies(state_export()):
            running.state.add(body)
        running.state.add(arm_resource(SUB, RG, "Microsoft.Storage/storageAccounts", HAND_MADE, location="uksouth",
                                       kind="StorageV2", tags={"system-id": "revenues-council-tax"},
                                       properties={"allowSharedKeyAccess": True, "minimumTlsVersion": "TLS1_0"}))
        yield running


def borough(server: PostureServer, *args: str):
    return CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                    "--retries", "0", *args])


def _state_file(tmp_path: Path) -> Path:
    path = tmp_path / "resident.state.json"
    path.write_text(json.dumps(state_export()), encoding="utf-8")
    return path


def test_json_says_who_manages_each_finding_and_state_ids_count_as_managed(server, tmp_path):
    result = borough(server, "--format", "json", "--state", str(_state_file(tmp_path)))
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    owners = {f["urn"].rsplit("/", 1)[-1]: f["managed_by"] for f in report["findings"]}
    assert owners[HAND_MADE] == "unmanaged"
    assert {owner for name, owner in owners.items() if name not in (HAND_MADE, SUB)} == {"stack:resident-services-dev"}
    assert owners[SUB] == "subscription"  # its security contacts and alert rules: test_live_subscription
    assert report["targets"][0]["kind"] == "live"
    assert report["not_read"] == []
    jsonschema.validate(report, json.loads(CHECK_SCHEMA.read_text(encoding="utf-8")))

    without = json.loads(borough(server, "--format", "json").stdout)
    assert {f["managed_by"] for f in without["findings"]} - {"subscription"} == {"unmanaged"}  # nothing bundled or given owns them


def test_unmanaged_only_keeps_the_hand_made_resource_in_table_csv_markdown_sarif_and_junit(server, tmp_path):
    state = str(_state_file(tmp_path))
    table = borough(server, "--unmanaged-only", "--state", state)
    assert table.exit_code == 1
    assert "Managed by" in table.stdout and HAND_MADE in table.stdout and "stresidentdev" not in table.stdout

    sections = borough(server, "--unmanaged-only", "--state", state, "--format", "csv").stdout.split("\n\n")
    findings = next(s for s in sections if s.startswith("# Findings"))
    rows = list(csv.DictReader(io.StringIO(findings.split("\n", 1)[1])))
    assert rows and {r["Managed by"] for r in rows} == {"unmanaged"}
    assert {r["Resource"] for r in rows} == {HAND_MADE}

    markdown = borough(server, "--unmanaged-only", "--state", state, "--format", "markdown").stdout
    assert "Managed by" in markdown and HAND_MADE in markdown

    sarif = json.loads(borough(server, "--unmanaged-only", "--state", state, "--format", "sarif").stdout)
    jsonschema.validate(sarif, json.loads(SCHEMA.read_text(encoding="utf-8")))
    results = sarif["runs"][0]["results"]
    assert results and {r["properties"]["managedBy"] for r in results} == {"unmanaged"}

    junit = ET.fromstring(borough(server, "--unmanaged-only", "--state", state, "--format", "junit").stdout)
    assert {case.get("name").rsplit("/", 1)[-1] for case in junit.iter("testcase")} == {HAND_MADE}


def test_a_registered_system_id_tag_is_named_and_a_missing_register_is_fine(server, tmp_path):
    from inventory.register.model import System
    from inventory.store import open_store

    db = f"sqlite:///{tmp_path / 'register.db'}"
    with open_store(db) as store:
        store.add(System(id="revenues-council-tax", name="Council tax"))
    registered = json.loads(borough(server, "--format", "json", "--db", db).stdout)
    assert {f["managed_by"] for f in registered["findings"] if f["urn"].endswith(HAND_MADE)} == {"system:revenues-council-tax"}
    unregistered = {f["managed_by"] for f in registered["findings"] if not f["urn"].endswith(HAND_MADE)} - {"subscription"}
    assert unregistered == {"unmanaged"}  # tagged resident-portal, which this register does not hold

    no_register = json.loads(borough(server, "--format", "json").stdout)
    assert {f["managed_by"] for f in no_register["findings"]} - {"subscription"} == {"unmanaged"}
    assert not (tmp_path / ".borough").exists()  # nothing created for a register nobody asked for


def test_a_failed_page_exits_3_naming_the_subscription_and_page(server):
    server.state.faults.append(Fault(method="POST", subscription=SUB, status=500, times=None))
    result = borough(server, "--format", "json")
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads(CHECK_SCHEMA.read_text(encoding="utf-8")))
    assert {(n["scope"], n["what"]) for n in report["not_read"]} >= {
        (f"subscription {SUB}", "Resource Graph query 'resources' page 1")}
    assert any("could not be read" in reason for reason in report["incomplete"])

    sarif = json.loads(borough(server, "--format", "sarif").stdout)
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False
    table = borough(server)
    assert table.exit_code == 3 and "Not read" in table.stdout and "page 1" in table.stdout


def test_the_subscription_defaults_to_arm_subscription_id(server, monkeypatch):
    monkeypatch.setenv("ARM_SUBSCRIPTION_ID", SUB)
    result = CliRunner().invoke(app, ["check", "--live", "--azure-endpoint", server.endpoint, "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["targets"][0]["source"] == f"Azure subscription {SUB}"


@pytest.mark.parametrize("args, message", [
    (["--subscription", SUB], "only apply to --live"),
    (["--unmanaged-only"], "only apply to --live"),
    (["--live", "resident-services-dev", "--subscription", SUB], "--live checks what is deployed"),
    (["--live"], "ARM_SUBSCRIPTION_ID"),
    (["--live", "--subscription", "not-a-guid"], "'not-a-guid' is not a subscription id"),
    (["--live", "--subscription", SUB, "--resource-group", "bad group!"], "is not a valid resource group name"),
])
def test_usage_errors_exit_2_with_one_line(args, message):
    result = CliRunner().invoke(app, ["check", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_resource_of_a_type_borough_cannot_map_is_judged_generically_not_a_blocked_run(server):
    server.state.add(arm_resource(SUB, RG, "Microsoft.DevCenter/devcenters", "dc-by-hand", location="westeurope"))
    result = borough(server, "--format", "json")
    assert result.exit_code == 1  # the findings decide: an unmapped type is not an unread one
    report = json.loads(result.stdout)
    assert report["not_evaluated"] == []
    assert [(g["urn"].rsplit("/", 1)[-1], g["type"]) for g in report["generic"]] == [("dc-by-hand", "Microsoft.DevCenter/devcenters")]
    verdicts = {f["check_id"]: f["outcome"] for f in report["findings"] if f["urn"].endswith("/dc-by-hand")}
    assert verdicts == {"CKV_BOROUGH_001": "failed", "CKV_BOROUGH_002": "failed"}  # no tags, not in the UK


def test_one_unreadable_subscription_is_named_and_the_other_still_judged(server):
    from drift_fixtures import OTHER_SUB

    server.state.add(arm_resource(OTHER_SUB, "rg-other", "Microsoft.Storage/storageAccounts", "stother", location="uksouth"))
    server.state.faults.append(Fault(method="POST", subscription=OTHER_SUB, status=403, times=None))
    result = borough(server, "--subscription", OTHER_SUB, "--format", "json")
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert {n["scope"] for n in report["not_read"]} == {f"subscription {OTHER_SUB}"}
    assert len(report["not_read"]) == 5  # every Resource Graph table of that subscription, each named
    assert {f["urn"].split("/")[2] for f in report["findings"]} == {SUB}


def test_the_same_estate_gives_byte_identical_json(server):
    first, second = (borough(server, "--format", "json").stdout for _ in range(2))
    assert first == second


def test_a_list_call_follows_next_link_to_the_last_page(server):
    vault = next(b for b in live_bodies(state_export()) if b["type"] == "Microsoft.KeyVault/vaults")
    for number in range(3):
        server.state.add({"id": f"{vault['id']}/keys/key-{number}", "name": f"key-{number}", "type": "Microsoft.KeyVault/vaults/keys",
                          "properties": {"attributes": {"enabled": True}}})
    server.state.list_page = 1
    report = json.loads(borough(server, "--format", "json").stdout)
    keys = {f["urn"].rsplit("/", 1)[-1] for f in report["findings"] if f["check_id"] == "CKV_AZURE_40"}
    assert keys == {"key-0", "key-1", "key-2"}
    pages = [s for s in server.state.seen if s.method == "GET" and "/keys" in s.path.split("?")[0][-5:]]
    assert len(pages) == 3


def test_frameworks_are_judged_on_the_findings_shown(server, tmp_path):
    state = str(_state_file(tmp_path))
    everything = json.loads(borough(server, "--format", "json", "--framework", "cis", "--state", state).stdout)
    hand_made = json.loads(borough(server, "--format", "json", "--framework", "cis", "--state", state,
                                   "--unmanaged-only").stdout)
    assert {s["framework"] for s in everything["frameworks"]} == {"cis"}
    evidenced = {c for s in everything["frameworks"] for c in s["evaluated_checks"]}
    only_hand_made = {c for s in hand_made["frameworks"] for c in s["evaluated_checks"]}
    assert only_hand_made == {c for c in evidenced if c in {f["check_id"] for f in hand_made["findings"]}}
    assert only_hand_made < evidenced  # the stack's Key Vault and NSG evidence is not the hand-made account's
