"""Findings say what was found (issue 8, item 7), in every format: a built-in check gives its title
and the key it read with the value it found, a council check its own words, an NSG check the
port, source and rule."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from policies.engine.messages import evaluated

STATE = Path(__file__).parent / "fixtures" / "resident-services-prod.state.json"
TEMPLATE = Path(__file__).parent / "fixtures" / "templates" / "portal-export.json"
BLOB = "properties/allowBlobPublicAccess = true"                       # CKV_BOROUGH_004 on the documents account
PASSWORD = 'properties/authConfig/passwordAuth = "Enabled"'           # CKV_BOROUGH_007 on the database
SSH = "port 22 (SSH) open to Internet in rule SSH"                    # CKV_AZURE_10 on the portal export


def borough(*args: str) -> str:
    return CliRunner().invoke(app, ["check", *args]).stdout


@pytest.fixture(scope="module")
def findings() -> list[dict]:
    return json.loads(borough("--state", str(STATE), "--format", "json"))["findings"]


def test_every_finding_has_a_message(findings):
    assert findings and all(f["message"] for f in findings)


def test_council_and_builtin_messages_say_what_was_found(findings):
    by = {(f["check_id"], f["resource"].rsplit(".", 1)[-1]): f["message"] for f in findings}
    assert by[("CKV_BOROUGH_004", "stdocsprod")] == BLOB
    assert PASSWORD in by[("CKV_BOROUGH_007", "psql-resident-prod")]
    assert by[("CKV_BOROUGH_012", "stdocsprod")] == "no private endpoint"
    https = by[("CKV_AZURE_3", "stdocsprod")]
    assert https == "Ensure that 'supportsHttpsTrafficOnly' is set to 'true': properties/supportsHttpsTrafficOnly = true"


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_tables_show_the_message(fmt):
    text = borough("--state", str(STATE), "--format", fmt)
    if fmt == "table":  # a terminal table may wrap a cell over lines: look for each word of it
        cells = " ".join(text.replace("│", " ").split())
        assert all(word in cells for word in BLOB.split())
    else:
        assert BLOB in text
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        header = next(r for r in rows if "Found" in r)
        found = header.index("Found")
        assert any(len(r) > found and r[found] == BLOB for r in rows)


def test_sarif_result_text_leads_with_what_was_found():
    sarif = json.loads(borough("--state", str(STATE), "--format", "sarif"))
    texts = {r["ruleId"]: r["message"]["text"] for r in sarif["runs"][0]["results"]}
    assert texts["CKV_BOROUGH_004"].startswith(BLOB + " (urn:pulumi:resident-services-prod::")
    assert "Fix: " in texts["CKV_BOROUGH_004"]


def test_junit_failure_body_carries_the_message():
    root = ET.fromstring(borough("--state", str(STATE), "--format", "junit"))
    bodies = [f.text or "" for f in root.iter("failure")]
    assert any(b.startswith(BLOB) for b in bodies)


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "markdown", "csv", "table"])
def test_an_nsg_finding_names_port_source_and_rule_in_every_format(fmt):
    text = borough("--template", str(TEMPLATE), "--format", fmt)
    flat = " ".join(text.replace("│", " ").split())
    assert SSH in flat or (fmt == "table" and all(word in flat for word in SSH.split()))


def test_evaluated_keys_show_unset_and_nested_values():
    conf = {"properties": {"networkAcls": {"defaultAction": "Allow", "__startline__": 3}, "x": 1}}
    assert evaluated(conf, ["apiVersion", "properties", "properties/networkAcls", "properties/minimumTlsVersion"]) == \
        'properties/networkAcls = {"defaultAction": "Allow"}; properties/minimumTlsVersion not set'


def test_a_message_never_shows_a_secret_value():
    conf = {"properties": {"osProfile": {"adminUsername": "azureuser", "adminPassword": "Hunter2!Hunter2!"},
                           "accessKey": "c2VjcmV0", "storageProfile": {"sasToken": "sv=2024&sig=abc"}}}
    shown = evaluated(conf, ["properties", "properties/osProfile/adminPassword"])
    assert "Hunter2" not in shown and "[secret]" in shown
    shown = evaluated(conf, ["properties/osProfile", "properties/accessKey", "properties/storageProfile"])
    assert "azureuser" in shown and "Hunter2" not in shown and "c2VjcmV0" not in shown and "sig=abc" not in shown
    assert evaluated({"properties": {"authConfig": {"passwordAuth": "Enabled"}}},
                     ["properties/authConfig/passwordAuth"]) == 'properties/authConfig/passwordAuth = "Enabled"'


def test_a_template_default_password_does_not_reach_the_report(tmp_path):
    template = tmp_path / "vm.json"
    template.write_text(json.dumps({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"adminPassword": {"type": "securestring", "defaultValue": "Correct-Horse-9"}},
        "resources": [{"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm1",
                       "location": "uksouth", "properties": {
                           "osProfile": {"computerName": "vm1", "adminUsername": "azureuser",
                                         "adminPassword": "[parameters('adminPassword')]"},
                           "hardwareProfile": {"vmSize": "Standard_B2s"}}}]}))
    for fmt in ("json", "sarif", "junit", "csv", "markdown", "table"):
        assert "Correct-Horse-9" not in borough("--template", str(template), "--format", fmt)
