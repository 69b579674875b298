"""Built-in checks whose own evidence misleads say what they found: CKV_AZURE_11 names the SQL
firewall rule and its range (not "resources/[0]/type not set"), CKV_AZURE_99 the Cosmos DB network
settings (not an unrelated property), CKV_AZURE_23 the auditing settings (not the whole list of nested
resources)."""

from __future__ import annotations

import pytest

from policies.engine.run import run_checks
from policies.output.report import Outcome
from policies.targets import TargetKind, from_graph, from_template
from policy_builders import graph, resource, urn, write_template

STACK = "explain-prod"
COSMOS = {"databaseAccountOfferType": "Standard", "locations": [{"locationName": "uksouth", "failoverPriority": 0}]}


@pytest.fixture(scope="module")
def program_findings():
    resources = [
        resource(STACK, "sql:Server", "sql-open", line=10, serverName="sql-open"),
        resource(STACK, "sql:FirewallRule", "sql-open-all", line=11, serverName="sql-open", firewallRuleName="AllowAll",
                 startIpAddress="0.0.0.0", endIpAddress="255.255.255.255"),
        resource(STACK, "sql:Server", "sql-narrow", line=12, serverName="sql-narrow"),
        resource(STACK, "sql:FirewallRule", "sql-narrow-office", line=13, serverName="sql-narrow", firewallRuleName="Office",
                 startIpAddress="198.51.100.10", endIpAddress="198.51.100.20"),
        resource(STACK, "sql:ServerBlobAuditingPolicy", "sql-narrow-audit", line=14, serverName="sql-narrow",
                 blobAuditingPolicyName="default", state="Disabled"),
    ]
    return run_checks([from_graph(graph(STACK, resources), TargetKind.program, "explain")]).findings


def _message(findings, check_id, logical, token="azure-native:sql:Server"):
    found = [f for f in findings if f.check_id == check_id and f.urn == urn(STACK, token, logical)]
    assert found, (check_id, logical)
    return found[0]


def test_sql_firewall_finding_names_the_rule_and_its_range(program_findings):
    finding = _message(program_findings, "CKV_AZURE_11", "sql-open")
    assert finding.outcome is Outcome.failed
    assert finding.message.endswith("firewall rule AllowAll allows 0.0.0.0 - 255.255.255.255 (every internet address)")
    assert "not set" not in finding.message and "[0]" not in finding.message
    narrow = _message(program_findings, "CKV_AZURE_11", "sql-narrow")
    assert narrow.outcome is Outcome.passed and "Office (198.51.100.10 - 198.51.100.20)" in narrow.message


def test_cosmos_network_finding_names_the_network_settings(tmp_path):
    path = write_template(tmp_path / "cosmos.json", [
        {"type": "Microsoft.DocumentDB/databaseAccounts", "apiVersion": "2024-11-15", "name": "cosmos-open",
         "location": "uksouth", "properties": {**COSMOS, "enableMultipleWriteLocations": True}},
        {"type": "Microsoft.DocumentDB/databaseAccounts", "apiVersion": "2024-11-15", "name": "cosmos-ranged",
         "location": "uksouth", "properties": {**COSMOS, "enableMultipleWriteLocations": True,
                                               "isVirtualNetworkFilterEnabled": True,
                                               "ipRules": [{"ipAddressOrRange": "198.51.100.0/24"}]}},
    ])
    findings = {f.resource: f for f in run_checks([from_template(path)]).findings if f.check_id == "CKV_AZURE_99"}
    opened = findings["Microsoft.DocumentDB/databaseAccounts.cosmos-open"]
    assert opened.outcome is Outcome.failed
    assert "reachable from any network (properties/isVirtualNetworkFilterEnabled = false; ipRules: none" in opened.message
    assert "enableMultipleWriteLocations" not in opened.message
    ranged = findings["Microsoft.DocumentDB/databaseAccounts.cosmos-ranged"]
    assert ranged.outcome is Outcome.passed and "ipRules: 198.51.100.0/24" in ranged.message


def test_sql_auditing_finding_names_the_settings_or_their_absence(program_findings):
    none = _message(program_findings, "CKV_AZURE_23", "sql-open")
    assert none.outcome is Outcome.failed
    assert none.message.endswith("no auditingSettings declared with it (Azure's default is Disabled)")
    disabled = _message(program_findings, "CKV_AZURE_23", "sql-narrow")
    assert disabled.outcome is Outcome.failed
    assert disabled.message.endswith("auditingSettings default: state = Disabled")
