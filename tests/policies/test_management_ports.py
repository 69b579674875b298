"""Management and database ports from the internet (issue 8, item 9): CKV_BOROUGH_021 reads NSG
rules as Azure applies them, and checkov's own SSH/RDP checks are fed the source as they compare
it, so SSH from Azure's own spelling ``Internet`` is found by both, with a message saying where."""

from __future__ import annotations

import pytest
from checkov.common.models.enums import CheckResult

from policies.checks.base import MESSAGES, resource_key
from policies.checks.management_ports import check
from policies.engine.run import run_checks
from policies.output.report import Outcome
from policies.targets import TargetKind, from_graph
from policy_builders import graph, resource, urn

NSG = "Microsoft.Network/networkSecurityGroups"


def _rule(name="r", **body):
    base = {"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "priority": 100, "sourcePortRange": "*",
            "destinationAddressPrefix": "*"}
    return {"name": name, "properties": {**base, **body}}


def _nsg(*rules):
    return {"type": NSG, "name": "nsg", "properties": {"securityRules": list(rules)}, "__startline__": 1}


OPEN = [
    ("ssh-from-Internet", _rule(sourceAddressPrefix="Internet", destinationPortRange="22"), "port 22 (SSH)"),
    ("rdp-from-internet", _rule(sourceAddressPrefix="internet", destinationPortRange="3389"), "port 3389 (RDP)"),
    ("winrm-from-Any", _rule(sourceAddressPrefix="Any", destinationPortRange="5985"), "port 5985"),
    ("winrms-from-0/0", _rule(sourceAddressPrefix="0.0.0.0/0", destinationPortRange="5986"), "port 5986"),
    ("sql-from-ipv6-any", _rule(sourceAddressPrefix="::/0", destinationPortRange="1433"), "port 1433 (SQL Server)"),
    ("range-covering-ssh", _rule(sourceAddressPrefix="*", destinationPortRange="20-25"), "port 22 (SSH)"),
    ("list-with-mysql", _rule(sourceAddressPrefix="Internet", destinationPortRanges=["443", "3306"]), "port 3306 (MySQL)"),
    ("prefixes-with-0.0.0.0", _rule(sourceAddressPrefixes=["10.0.0.0/8", "0.0.0.0"], destinationPortRange="6379"),
     "port 6379 (Redis)"),
    ("every-port", _rule(sourceAddressPrefix="*", destinationPortRange="*", protocol="*"), "port 27017 (MongoDB)"),
    ("postgres-udp-star", _rule(sourceAddressPrefix="Internet", destinationPortRange="5432", protocol="*"),
     "port 5432 (PostgreSQL)"),
]
CLOSED = [
    ("ssh-from-vnet", _rule(sourceAddressPrefix="VirtualNetwork", destinationPortRange="22")),
    ("ssh-from-office", _rule(sourceAddressPrefix="203.0.113.0/24", destinationPortRange="22")),
    ("deny-from-internet", _rule(sourceAddressPrefix="Internet", destinationPortRange="22", access="Deny")),
    ("outbound", _rule(sourceAddressPrefix="Internet", destinationPortRange="22", direction="Outbound")),
    ("https-only", _rule(sourceAddressPrefix="Internet", destinationPortRanges=["80", "443"])),
    ("range-missing-every-port", _rule(sourceAddressPrefix="*", destinationPortRange="23-1000")),
]


@pytest.mark.parametrize("rule,words", [c[1:] for c in OPEN], ids=[c[0] for c in OPEN])
def test_an_open_management_port_fails_and_says_which(rule, words):
    conf = _nsg(rule)
    MESSAGES.clear()
    assert check.scan_resource_conf(conf) == CheckResult.FAILED
    message = MESSAGES[resource_key(check.id, conf)]
    assert words in message and "rule r" in message


@pytest.mark.parametrize("rule", [c[1] for c in CLOSED], ids=[c[0] for c in CLOSED])
def test_a_rule_that_does_not_open_one_to_the_internet_passes(rule):
    assert check.scan_resource_conf(_nsg(rule)) == CheckResult.PASSED


def test_a_standalone_security_rule_resource_is_judged_too():
    conf = {"type": f"{NSG}/securityRules", "name": "nsg/allow-rdp",
            "properties": _rule(sourceAddressPrefix="Internet", destinationPortRange="3389")["properties"]}
    MESSAGES.clear()
    assert check.scan_resource_conf(conf) == CheckResult.FAILED
    assert "rule allow-rdp" in MESSAGES[resource_key(check.id, conf)]


STACK = "ports-prod"
RULE = dict(priority=100, direction="Inbound", access="Allow", protocol="Tcp", sourcePortRange="*",
            destinationAddressPrefix="*")


@pytest.fixture(scope="module")
def report():
    resources = [
        resource(STACK, "network:NetworkSecurityGroup", "jump-nsg", line=10, networkSecurityGroupName="jump-nsg",
                 securityRules=[{"name": "allow-ssh", **RULE, "sourceAddressPrefix": "Internet", "destinationPortRange": "22"}]),
        resource(STACK, "network:NetworkSecurityGroup", "app-nsg", line=20, networkSecurityGroupName="app-nsg",
                 securityRules=[{"name": "https", **RULE, "sourceAddressPrefix": "Internet", "destinationPortRange": "443"}]),
        resource(STACK, "network:SecurityRule", "app-winrm", line=21, networkSecurityGroupName="app-nsg",
                 securityRuleName="winrm", **{**RULE, "sourceAddressPrefix": "0.0.0.0/0", "destinationPortRange": "5980-5990"}),
        resource(STACK, "network:SecurityRule", "app-rdp", line=22, networkSecurityGroupName="app-nsg",
                 securityRuleName="rdp", **{**RULE, "sourceAddressPrefix": "Internet", "destinationPortRange": "3389"}),
    ]
    return run_checks([from_graph(graph(STACK, resources), TargetKind.program, "ports")])


def _finding(report, check_id, logical, token="azure-native:network:NetworkSecurityGroup"):
    wanted = urn(STACK, token, logical)
    return next(f for f in report.findings if f.check_id == check_id and f.urn == wanted)


def test_checkovs_ssh_check_finds_ssh_from_the_internet_service_tag(report):
    ssh = _finding(report, "CKV_AZURE_10", "jump-nsg")
    assert ssh.outcome is Outcome.failed
    assert ssh.message == "port 22 (SSH) open to Internet in rule allow-ssh"
    assert (ssh.file, ssh.line) == ("stacks/__main__.py", 10)
    assert _finding(report, "CKV_BOROUGH_021", "jump-nsg").outcome is Outcome.failed
    assert _finding(report, "CKV_AZURE_10", "app-nsg").outcome is Outcome.passed


def test_standalone_rules_from_a_program_are_judged_by_both(report):
    token = "azure-native:network:SecurityRule"
    rdp = _finding(report, "CKV_AZURE_9", "app-rdp", token)
    assert rdp.outcome is Outcome.failed and "port 3389 (RDP) open to Internet in rule rdp" == rdp.message
    winrm = _finding(report, "CKV_BOROUGH_021", "app-winrm", token)
    assert winrm.outcome is Outcome.failed and "port 5985" in winrm.message and "port 5986" in winrm.message
    assert _finding(report, "CKV_BOROUGH_021", "app-nsg").outcome is Outcome.passed


def test_what_the_council_checks_and_drift_read_is_not_rewritten():
    """checkov is given the lower-case spelling; the target's own template keeps Azure's."""
    resources = [resource(STACK, "network:NetworkSecurityGroup", "n", networkSecurityGroupName="n",
                          securityRules=[{"name": "s", **RULE, "sourceAddressPrefix": "Internet", "destinationPortRange": "22"}])]
    target = from_graph(graph(STACK, resources), TargetKind.program, "n")
    checked = run_checks([target])
    assert any(f.check_id == "CKV_AZURE_10" and f.outcome is Outcome.failed for f in checked.findings)
    rule = target.render.template["resources"][0]["properties"]["securityRules"][0]
    assert rule["properties"]["sourceAddressPrefix"] == "Internet"
