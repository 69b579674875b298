"""Each council check has a passing and a failing fixture, and its findings name the Pulumi
resource (URN) and the program line a reviewer must change."""

from __future__ import annotations

import pytest

from policies.catalog import load_policies
from policies.engine.run import run_checks
from policies.output.report import Outcome
from policies.targets import TargetKind, from_graph
from policy_builders import TAGS, graph, resource, urn

PROD, DEV = "council-prod", "council-dev"
SENSITIVE = {**TAGS, "data-classification": "OFFICIAL-SENSITIVE"}
SUBNET = "/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pg"
GOOD_KV = {"tenantId": "t", "sku": {"family": "A", "name": "standard"}, "enableRbacAuthorization": True,
           "publicNetworkAccess": "Disabled", "enableSoftDelete": True, "enablePurgeProtection": True}
GOOD_PG = dict(version="16", sku={"name": "Standard_D2ds_v5", "tier": "GeneralPurpose"},
               authConfig={"passwordAuth": "Disabled", "activeDirectoryAuth": "Enabled"},
               network={"publicNetworkAccess": "Disabled", "delegatedSubnetResourceId": SUBNET},
               backup={"geoRedundantBackup": "Enabled", "backupRetentionDays": 35})
GOOD_ST = dict(kind="StorageV2", sku={"name": "Standard_GRS"}, allowSharedKeyAccess=False, allowBlobPublicAccess=False,
               publicNetworkAccess="Disabled", allowCrossTenantReplication=False)
WORKSPACE = "/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.OperationalInsights/workspaces/log"
ROLE = "/subscriptions/0/providers/Microsoft.Authorization/roleDefinitions/"
RULE = dict(priority=100, direction="Inbound", access="Allow", protocol="*", sourcePortRange="*",
            destinationAddressPrefix="*")


def _resources(stack: str) -> list:
    kv_ok = resource(stack, "keyvault:Vault", "kv-ok", line=10, vaultName="kv-ok", tags=SENSITIVE, properties=GOOD_KV)
    return [
        resource(stack, "resources:ResourceGroup", "rg", line=5, resourceGroupName="rg-test"),
        kv_ok,
        resource(stack, "monitor:DiagnosticSetting", "kv-ok-diag", line=11, name="kv-ok-diag", resourceUri=kv_ok.id,
                 workspaceId="/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.OperationalInsights/workspaces/log",
                 logs=[{"categoryGroup": "allLogs", "enabled": True}]),
        resource(stack, "network:PrivateEndpoint", "kv-ok-pe", line=12, privateEndpointName="kv-ok-pe",
                 subnet={"id": SUBNET}, privateLinkServiceConnections=[{"name": "kv", "privateLinkServiceId": kv_ok.id,
                                                                         "groupIds": ["vault"]}]),
        resource(stack, "keyvault:Vault", "kv-policies", line=20, vaultName="kv-policies",
                 properties={**GOOD_KV, "enableRbacAuthorization": False}),
        resource(stack, "keyvault:Vault", "kv-public", line=21, vaultName="kv-public",
                 properties={**GOOD_KV, "publicNetworkAccess": "Enabled"}),
        resource(stack, "storage:StorageAccount", "st-ok", line=30, accountName="stok", **GOOD_ST),
        resource(stack, "storage:StorageAccount", "st-sharedkey", line=31, accountName="stsharedkey",
                 **{**GOOD_ST, "allowSharedKeyAccess": True}),
        resource(stack, "storage:StorageAccount", "st-publicblob", line=32, accountName="stpublicblob",
                 **{**GOOD_ST, "allowBlobPublicAccess": True}),
        resource(stack, "storage:StorageAccount", "st-paris", line=33, accountName="stparis", location="francecentral",
                 **GOOD_ST),
        resource(stack, "storage:StorageAccount", "st-sensitive", line=34, accountName="stsensitive", tags=SENSITIVE,
                 **GOOD_ST),
        resource(stack, "network:VirtualNetwork", "vnet-untagged", line=40, virtualNetworkName="vnet-untagged",
                 tags={**TAGS, "owner": " ", "cost-centre": ""}, addressSpace={"addressPrefixes": ["10.0.0.0/16"]}),
        resource(stack, "dbforpostgresql:Server", "pg-ok", line=50, serverName="pg-ok", **GOOD_PG),
        resource(stack, "dbforpostgresql:Server", "pg-password", line=51, serverName="pg-password",
                 **{**GOOD_PG, "authConfig": {"passwordAuth": "Enabled", "activeDirectoryAuth": "Enabled"},
                    "backup": {"geoRedundantBackup": "Disabled"}}),
        resource(stack, "dbforpostgresql:Server", "pg-public", line=52, serverName="pg-public",
                 **{**GOOD_PG, "network": {"publicNetworkAccess": "Enabled"}}),
        resource(stack, "network:NetworkSecurityGroup", "nsg-ok", line=70, networkSecurityGroupName="nsg-ok",
                 securityRules=[{"name": "https", **RULE, "sourceAddressPrefix": "VirtualNetwork", "destinationPortRange": "443"}]),
        resource(stack, "network:NetworkSecurityGroup", "nsg-wide-open", line=71, networkSecurityGroupName="nsg-wide-open",
                 securityRules=[{"name": "everything", **RULE, "sourceAddressPrefix": "*", "destinationPortRange": "*"}]),
        resource(stack, "network:NetworkSecurityGroup", "nsg-ssh", line=74, networkSecurityGroupName="nsg-ssh",
                 securityRules=[{"name": "allow-ssh", **RULE, "sourceAddressPrefix": "Internet", "destinationPortRange": "22"}]),
        resource(stack, "network:Subnet", "subnet-ok", line=72, virtualNetworkName="vnet", subnetName="apps",
                 addressPrefix="10.0.1.0/24", networkSecurityGroup={"id": "/nsg-ok"}),
        resource(stack, "network:Subnet", "subnet-bare", line=73, virtualNetworkName="vnet", subnetName="bare",
                 addressPrefix="10.0.2.0/24"),
        resource(stack, "storage:StorageAccount", "st-replicating", line=35, accountName="streplicating",
                 **{**GOOD_ST, "allowCrossTenantReplication": True}),
        resource(stack, "operationalinsights:Workspace", "log-ok", line=80, workspaceName="log-ok", retentionInDays=365),
        resource(stack, "operationalinsights:Workspace", "log-short", line=81, workspaceName="log-short", retentionInDays=30),
        resource(stack, "authorization:RoleAssignment", "ra-reader", line=90, scope="/subscriptions/0", principalId="p",
                 roleDefinitionId=ROLE + "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
        resource(stack, "authorization:RoleAssignment", "ra-owner", line=91, scope="/subscriptions/0", principalId="p",
                 roleDefinitionId=ROLE + "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
        resource(stack, "monitor:DiagnosticSetting", "diag-partial", line=92, name="diag-partial",
                 resourceUri="/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.Storage/storageAccounts/stok",
                 storageAccountId="/st", logs=[{"category": "StorageRead", "enabled": True}]),
        resource(stack, "dbforpostgresql:Configuration", "pg-ok-tls", line=53, serverName="pg-ok",
                 configurationName="require_secure_transport", value="ON", source="user-override"),
        resource(stack, "dbforpostgresql:Configuration", "pg-ok-old-tls", line=54, serverName="pg-ok",
                 configurationName="ssl_min_protocol_version", value="TLSv1", source="user-override"),
        resource(stack, "keyvault:Vault", "kv-short", line=22, vaultName="kv-short",
                 properties={**GOOD_KV, "softDeleteRetentionInDays": 7}),
        resource(stack, "web:WebApp", "app-ok", line=60, name="app-ok", identity={"type": "SystemAssigned"}, httpsOnly=True),
        resource(stack, "web:WebApp", "app-noid", line=61, name="app-noid", httpsOnly=True),
        resource(stack, "dbforpostgresql:FirewallRule", "pg-ok-office", line=55, serverName="pg-ok",
                 firewallRuleName="office", startIpAddress="198.51.100.0", endIpAddress="198.51.100.255"),
        resource(stack, "dbforpostgresql:FirewallRule", "pg-ok-allowall", line=56, serverName="pg-ok",
                 firewallRuleName="AllowAll", startIpAddress="0.0.0.0", endIpAddress="255.255.255.255"),
    ]


EXPECTED = [
    ("CKV_BOROUGH_001", "st-ok", Outcome.passed), ("CKV_BOROUGH_001", "vnet-untagged", Outcome.failed),
    ("CKV_BOROUGH_002", "rg", Outcome.passed), ("CKV_BOROUGH_002", "st-paris", Outcome.failed),
    ("CKV_BOROUGH_003", "st-ok", Outcome.passed), ("CKV_BOROUGH_003", "st-sharedkey", Outcome.failed),
    ("CKV_BOROUGH_004", "st-ok", Outcome.passed), ("CKV_BOROUGH_004", "st-publicblob", Outcome.failed),
    ("CKV_BOROUGH_005", "kv-ok", Outcome.passed), ("CKV_BOROUGH_005", "kv-policies", Outcome.failed),
    ("CKV_BOROUGH_006", "kv-ok", Outcome.passed), ("CKV_BOROUGH_006", "kv-public", Outcome.failed),
    ("CKV_BOROUGH_007", "pg-ok", Outcome.passed), ("CKV_BOROUGH_007", "pg-password", Outcome.failed),
    ("CKV_BOROUGH_008", "pg-ok", Outcome.passed), ("CKV_BOROUGH_008", "pg-public", Outcome.failed),
    ("CKV_BOROUGH_009", "pg-ok", Outcome.passed), ("CKV_BOROUGH_009", "pg-password", Outcome.failed),
    ("CKV_BOROUGH_010", "kv-ok", Outcome.passed), ("CKV_BOROUGH_010", "kv-public", Outcome.failed),
    ("CKV_BOROUGH_011", "app-ok", Outcome.passed), ("CKV_BOROUGH_011", "app-noid", Outcome.failed),
    ("CKV_BOROUGH_012", "kv-ok", Outcome.passed), ("CKV_BOROUGH_012", "st-sensitive", Outcome.failed),
    ("CKV_BOROUGH_013", "nsg-ok", Outcome.passed), ("CKV_BOROUGH_013", "nsg-wide-open", Outcome.failed),
    ("CKV_BOROUGH_014", "subnet-ok", Outcome.passed), ("CKV_BOROUGH_014", "subnet-bare", Outcome.failed),
    ("CKV_BOROUGH_015", "st-ok", Outcome.passed), ("CKV_BOROUGH_015", "st-replicating", Outcome.failed),
    ("CKV_BOROUGH_016", "log-ok", Outcome.passed), ("CKV_BOROUGH_016", "log-short", Outcome.failed),
    ("CKV_BOROUGH_017", "ra-reader", Outcome.passed), ("CKV_BOROUGH_017", "ra-owner", Outcome.failed),
    ("CKV_BOROUGH_018", "kv-ok-diag", Outcome.passed), ("CKV_BOROUGH_018", "diag-partial", Outcome.failed),
    ("CKV_BOROUGH_019", "pg-ok-tls", Outcome.passed), ("CKV_BOROUGH_019", "pg-ok-old-tls", Outcome.failed),
    ("CKV_BOROUGH_020", "kv-ok", Outcome.passed), ("CKV_BOROUGH_020", "kv-short", Outcome.failed),
    ("CKV_BOROUGH_021", "nsg-ok", Outcome.passed), ("CKV_BOROUGH_021", "nsg-ssh", Outcome.failed),
    ("CKV_BOROUGH_048", "pg-ok-office", Outcome.passed), ("CKV_BOROUGH_048", "pg-ok-allowall", Outcome.failed),
]
TOKENS = {r.name: r.type for r in _resources(PROD)}
LINES = {r.name: r.source.line for r in _resources(PROD)}


@pytest.fixture(scope="module")
def report():
    return run_checks([from_graph(graph(PROD, _resources(PROD)), TargetKind.program, "prod"),
                       from_graph(graph(DEV, _resources(DEV)), TargetKind.program, "dev")])


def _outcome(report, stack, check_id, logical):
    wanted = urn(stack, TOKENS[logical], logical)
    found = [f for f in report.findings if f.check_id == check_id and f.urn == wanted]
    return found[0] if found else None


def test_there_are_at_least_twelve_council_checks_each_with_metadata_and_fixtures():
    council = load_policies().council
    assert len(council) >= 12
    from test_ncsc_checks import EXPECTED as NCSC, TEMPLATE_EXPECTED

    subscription_level = {"CKV_BOROUGH_045", "CKV_BOROUGH_046"}  # judged on live subscriptions: tests/live/test_live_subscription.py
    fixtures = {check_id for check_id, _, _ in [*EXPECTED, *NCSC, *TEMPLATE_EXPECTED] if check_id.startswith("CKV_BOROUGH_")}
    assert fixtures | subscription_level == set(council)
    for meta in council.values():
        assert meta.remediation and meta.title and meta.frameworks


@pytest.mark.parametrize("check_id,logical,expected", EXPECTED, ids=[f"{c}-{r}" for c, r, _ in EXPECTED])
def test_council_check_passes_and_fails_on_its_fixtures(report, check_id, logical, expected):
    finding = _outcome(report, PROD, check_id, logical)
    assert finding is not None and finding.outcome is expected
    assert (finding.file, finding.line) == ("stacks/__main__.py", LINES[logical])
    assert finding.target == PROD


def test_no_council_check_crashed(report):
    assert report.errored == []


def test_geo_redundant_backup_is_only_required_in_production(report):
    assert _outcome(report, DEV, "CKV_BOROUGH_009", "pg-password") is None
    assert _outcome(report, DEV, "CKV_BOROUGH_007", "pg-password").outcome is Outcome.failed


def test_a_failing_finding_names_the_fix(report):
    finding = _outcome(report, PROD, "CKV_BOROUGH_012", "st-sensitive")
    assert "no private endpoint" in finding.message
    assert "private endpoint" in finding.remediation


def test_every_enforced_check_tells_the_reviewer_what_to_set():
    from policies.engine.checkov_run import load_checks

    policies = load_policies()
    hints = load_checks(policies).hints
    vague = [check_id for check_id, entry in policies.baseline.checks.items()
             if not (entry.remediation or check_id in policies.council or check_id in hints)]
    assert vague == []


def test_every_council_finding_says_what_it_found(report):
    """Not just a verdict: the value read, the port and rule, the tags missing..."""
    for check_id, logical, expected in EXPECTED:
        finding = _outcome(report, PROD, check_id, logical)
        assert finding.message and not finding.message.endswith((": failed", ": passed")), (check_id, finding.message)
    assert _outcome(report, PROD, "CKV_BOROUGH_001", "vnet-untagged").message == "missing or empty tags: owner, cost-centre"
    assert _outcome(report, PROD, "CKV_BOROUGH_013", "nsg-wide-open").message == "every port open to * in rule everything"
    assert _outcome(report, PROD, "CKV_BOROUGH_014", "subnet-bare").message == "subnet bare has no network security group"
    assert _outcome(report, PROD, "CKV_BOROUGH_016", "log-short").message == "properties/retentionInDays = 30"
