"""The council checks that evidence Microsoft's UK initiatives: each passes and fails on its own
fixture (a program's graph, or an ARM template for types no Pulumi program declares), says what
it found, and the planted Redis, Service Bus and AKS cases are found through `check --program`."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from policies.catalog import load_policies
from policies.engine.run import run_checks
from policies.output.report import Outcome
from policies.targets import TargetKind, from_graph, from_template
from policy_builders import RESOURCE_GROUP, SUBSCRIPTION, graph, resource, urn, write_template

STACK = "ncsc-prod"
RG = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers"
WORKSPACE = f"{RG}/Microsoft.OperationalInsights/workspaces/log"
NSG_OK = f"{RG}/Microsoft.Network/networkSecurityGroups/nsg-logged"
ADMINS = {"administratorType": "ActiveDirectory", "login": "sql-admins", "sid": "00000000-0000-0000-0000-000000000001",
          "tenantId": "00000000-0000-0000-0000-000000000002", "azureADOnlyAuthentication": True}
CLOSED = {"publicNetworkAccessForIngestion": "Disabled", "publicNetworkAccessForQuery": "Disabled"}


def _resources() -> list:
    lines = itertools.count(10)

    def r(token: str, logical: str, **inputs):
        return resource(STACK, token, logical, line=next(lines), **inputs)

    return [
        r("redis:Redis", "redis-ok", name="redis-ok", sku={"name": "Standard", "family": "C", "capacity": 1},
          enableNonSslPort=False, minimumTlsVersion="1.2"),
        r("redis:Redis", "redis-plain", name="redis-plain", sku={"name": "Standard", "family": "C", "capacity": 1},
          enableNonSslPort=True, minimumTlsVersion="1.0"),
        r("servicebus:Namespace", "sb-ok", namespaceName="sb-ok", sku={"name": "Premium"}, minimumTlsVersion="1.2",
          disableLocalAuth=True),
        r("servicebus:Namespace", "sb-weak", namespaceName="sb-weak", sku={"name": "Standard"}, minimumTlsVersion="1.0"),
        r("eventhub:Namespace", "evh-sas", namespaceName="evh-sas", sku={"name": "Standard"}, minimumTlsVersion="1.2",
          disableLocalAuth=False),
        r("operationalinsights:Workspace", "log-private", workspaceName="log-private", retentionInDays=365, **CLOSED),
        r("operationalinsights:Workspace", "log-public", workspaceName="log-public", retentionInDays=365,
          publicNetworkAccessForIngestion="Enabled"),
        r("applicationinsights:Component", "appi-ok", resourceName="appi-ok", kind="web", applicationType="web",
          workspaceResourceId=WORKSPACE, **CLOSED),
        r("applicationinsights:Component", "appi-classic", resourceName="appi-classic", kind="web", applicationType="web"),
        r("appconfiguration:ConfigurationStore", "appcs-ok", configStoreName="appcs-ok", sku={"name": "standard"},
          publicNetworkAccess="Disabled"),
        r("appconfiguration:ConfigurationStore", "appcs-public", configStoreName="appcs-public", sku={"name": "standard"},
          publicNetworkAccess="Enabled"),
        r("containerservice:ManagedCluster", "aks-ok", resourceName="aks-ok", dnsPrefix="aks-ok",
          apiServerAccessProfile={"authorizedIPRanges": ["198.51.100.0/24"]}),
        r("containerservice:ManagedCluster", "aks-open", resourceName="aks-open", dnsPrefix="aks-open",
          apiServerAccessProfile={"authorizedIPRanges": ["198.51.100.0/24", "0.0.0.0/0"]}),
        r("sql:Server", "sql-entra", serverName="sql-entra", administrators=ADMINS),
        r("sql:Server", "sql-password", serverName="sql-password", administratorLogin="sqladmin"),
        r("synapse:Workspace", "syn-ok", workspaceName="syn-ok", azureADOnlyAuthentication=True),
        r("synapse:Workspace", "syn-sql", workspaceName="syn-sql", azureADOnlyAuthentication=False),
        r("dbforpostgresql:Server", "pg-admin", serverName="pg-admin", version="16"),
        r("dbforpostgresql:Administrator", "pg-admin-group", serverName="pg-admin",
          objectId="00000000-0000-0000-0000-000000000003", principalName="pg-admins", principalType="Group"),
        r("dbforpostgresql:Server", "pg-noadmin", serverName="pg-noadmin", version="16"),
        r("web:WebApp", "app-mtls", name="app-mtls", httpsOnly=True, clientCertEnabled=True, clientCertMode="Required"),
        r("web:WebAppAuthSettingsV2", "app-mtls-auth", name="app-mtls", platform={"enabled": True}),
        r("web:WebApp", "app-open", name="app-open", httpsOnly=True, clientCertEnabled=True, clientCertMode="Optional"),
        r("network:NetworkSecurityGroup", "nsg-logged", networkSecurityGroupName="nsg-logged", securityRules=[]),
        r("network:NetworkSecurityGroup", "nsg-unlogged", networkSecurityGroupName="nsg-unlogged", securityRules=[]),
        r("network:FlowLog", "flowlog", networkWatcherName="nw-uksouth", flowLogName="nsg-logged", enabled=True,
          targetResourceId=NSG_OK, storageId=f"{RG}/Microsoft.Storage/storageAccounts/stflow"),
        r("frontdoor:FrontDoor", "fd-waf", frontDoorName="fd-waf", frontendEndpoints=[
            {"name": "www", "hostName": "fd-waf.azurefd.net",
             "webApplicationFirewallPolicyLink": {"id": f"{RG}/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/waf"}}]),
        r("frontdoor:FrontDoor", "fd-bare", frontDoorName="fd-bare",
          frontendEndpoints=[{"name": "www", "hostName": "fd-bare.azurefd.net"}]),
        r("compute:Disk", "disk-double", diskName="disk-double", creationData={"createOption": "Empty"}, diskSizeGB=32,
          encryption={"type": "EncryptionAtRestWithPlatformAndCustomerKeys",
                      "diskEncryptionSetId": f"{RG}/Microsoft.Compute/diskEncryptionSets/des"}),
        r("compute:Disk", "disk-single", diskName="disk-single", creationData={"createOption": "Empty"}, diskSizeGB=32),
        r("storage:EncryptionScope", "scope-double", accountName="stdata", encryptionScopeName="double",
          source="Microsoft.Storage", requireInfrastructureEncryption=True),
        r("storage:EncryptionScope", "scope-single", accountName="stdata", encryptionScopeName="single",
          source="Microsoft.Storage"),
        r("sql:TransparentDataEncryption", "tde-on", serverName="sql-entra", databaseName="db", tdeName="current",
          state="Enabled"),
        r("sql:TransparentDataEncryption", "tde-off", serverName="sql-entra", databaseName="old", tdeName="current",
          state="Disabled"),
        r("network:VirtualNetwork", "vnet-ddos", virtualNetworkName="vnet-ddos", enableDdosProtection=True,
          ddosProtectionPlan={"id": f"{RG}/Microsoft.Network/ddosProtectionPlans/council"},
          addressSpace={"addressPrefixes": ["10.1.0.0/16"]}),
        r("network:VirtualNetwork", "vnet-basic", virtualNetworkName="vnet-basic",
          addressSpace={"addressPrefixes": ["10.2.0.0/16"]}),
        r("cognitiveservices:Account", "cog-owned", accountName="cog-owned", kind="TextAnalytics", sku={"name": "S"},
          properties={"userOwnedStorage": [{"resourceId": f"{RG}/Microsoft.Storage/storageAccounts/stcog"}]}),
        r("cognitiveservices:Account", "cog-shared", accountName="cog-shared", kind="TextAnalytics", sku={"name": "S"},
          properties={}),
        r("machinelearningservices:Compute", "mlc-entra", workspaceName="mlw", computeName="mlc-entra",
          properties={"computeType": "AmlCompute", "disableLocalAuth": True}),
        r("machinelearningservices:Compute", "mlc-keys", workspaceName="mlw", computeName="mlc-keys",
          properties={"computeType": "AmlCompute", "disableLocalAuth": False}),
        r("network:VirtualNetworkGateway", "vpn-entra", virtualNetworkGatewayName="vpn-entra", gatewayType="Vpn",
          vpnClientConfiguration={"vpnAuthenticationTypes": ["AAD"], "aadTenant": "https://login.microsoftonline.com/t/"}),
        r("network:VirtualNetworkGateway", "vpn-cert", virtualNetworkGatewayName="vpn-cert", gatewayType="Vpn",
          vpnClientConfiguration={"vpnAuthenticationTypes": ["Certificate"]}),
        r("automation:Variable", "var-encrypted", automationAccountName="aa", variableName="var-encrypted", name="var-encrypted", isEncrypted=True,
          value='"x"'),
        r("automation:Variable", "var-plain", automationAccountName="aa", variableName="var-plain", name="var-plain", isEncrypted=False,
          value='"x"'),
        r("kusto:Cluster", "adx-encrypted", clusterName="adx-encrypted", sku={"name": "Standard_E2ads_v5", "tier": "Standard"},
          enableDiskEncryption=True),
        r("kusto:Cluster", "adx-plain", clusterName="adx-plain", sku={"name": "Standard_E2ads_v5", "tier": "Standard"}),
    ]


EXPECTED = [
    ("CKV_BOROUGH_022", "redis-ok", "passed"), ("CKV_BOROUGH_022", "redis-plain", "failed"),
    ("CKV_BOROUGH_023", "redis-ok", "passed"), ("CKV_BOROUGH_023", "redis-plain", "failed"),
    ("CKV_BOROUGH_024", "sb-ok", "passed"), ("CKV_BOROUGH_024", "sb-weak", "failed"),
    ("CKV_BOROUGH_025", "sb-ok", "passed"), ("CKV_BOROUGH_025", "sb-weak", "failed"),
    ("CKV_BOROUGH_025", "evh-sas", "failed"),
    ("CKV_BOROUGH_026", "log-private", "passed"), ("CKV_BOROUGH_026", "log-public", "failed"),
    ("CKV_BOROUGH_026", "appi-ok", "passed"), ("CKV_BOROUGH_026", "appi-classic", "failed"),
    ("CKV_BOROUGH_027", "appcs-ok", "passed"), ("CKV_BOROUGH_027", "appcs-public", "failed"),
    ("CKV_BOROUGH_028", "aks-ok", "passed"), ("CKV_BOROUGH_028", "aks-open", "failed"),
    ("CKV_BOROUGH_029", "sql-entra", "passed"), ("CKV_BOROUGH_029", "sql-password", "failed"),
    ("CKV_BOROUGH_029", "syn-ok", "passed"), ("CKV_BOROUGH_029", "syn-sql", "failed"),
    ("CKV_BOROUGH_030", "sql-entra", "passed"), ("CKV_BOROUGH_030", "sql-password", "failed"),
    ("CKV_BOROUGH_030", "pg-admin", "passed"), ("CKV_BOROUGH_030", "pg-noadmin", "failed"),
    ("CKV_BOROUGH_031", "app-mtls", "passed"), ("CKV_BOROUGH_031", "app-open", "failed"),
    ("CKV_BOROUGH_032", "app-mtls", "passed"), ("CKV_BOROUGH_032", "app-open", "failed"),
    ("CKV_BOROUGH_033", "nsg-logged", "passed"), ("CKV_BOROUGH_033", "nsg-unlogged", "failed"),
    ("CKV_BOROUGH_034", "fd-waf", "passed"), ("CKV_BOROUGH_034", "fd-bare", "failed"),
    ("CKV_BOROUGH_035", "disk-double", "passed"), ("CKV_BOROUGH_035", "disk-single", "failed"),
    ("CKV_BOROUGH_036", "scope-double", "passed"), ("CKV_BOROUGH_036", "scope-single", "failed"),
    ("CKV_BOROUGH_037", "appi-ok", "passed"), ("CKV_BOROUGH_037", "appi-classic", "failed"),
    ("CKV_BOROUGH_038", "tde-on", "passed"), ("CKV_BOROUGH_038", "tde-off", "failed"),
    ("CKV_BOROUGH_040", "vnet-ddos", "passed"), ("CKV_BOROUGH_040", "vnet-basic", "failed"),
    ("CKV_BOROUGH_041", "cog-owned", "passed"), ("CKV_BOROUGH_041", "cog-shared", "failed"),
    ("CKV_BOROUGH_042", "mlc-entra", "passed"), ("CKV_BOROUGH_042", "mlc-keys", "failed"),
    ("CKV_BOROUGH_043", "vpn-entra", "passed"), ("CKV_BOROUGH_043", "vpn-cert", "failed"),
    ("CKV_AZURE_73", "var-encrypted", "passed"), ("CKV_AZURE_73", "var-plain", "failed"),
    ("CKV_AZURE_74", "adx-encrypted", "passed"), ("CKV_AZURE_74", "adx-plain", "failed"),
]
TOKENS = {r.name: r.type for r in _resources()}

TEMPLATE_RESOURCES = [
    {"type": "Microsoft.ClassicStorage/storageAccounts", "apiVersion": "2016-11-01", "name": "legacyfiles",
     "location": "uksouth", "properties": {}},
    {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2024-01-01", "name": "modernfiles", "location": "uksouth",
     "kind": "StorageV2", "sku": {"name": "Standard_GRS"}, "properties": {}},
    {"type": "Microsoft.ServiceFabric/clusters", "apiVersion": "2021-06-01", "name": "sf-entra", "location": "uksouth",
     "properties": {"azureActiveDirectory": {"tenantId": "t", "clusterApplication": "c", "clientApplication": "a"},
                    "fabricSettings": [{"name": "Security", "parameters": [{"name": "ClusterProtectionLevel",
                                                                            "value": "EncryptAndSign"}]}]}},
    {"type": "Microsoft.ServiceFabric/clusters", "apiVersion": "2021-06-01", "name": "sf-certs", "location": "uksouth",
     "properties": {"fabricSettings": [{"name": "Security", "parameters": [{"name": "ClusterProtectionLevel",
                                                                            "value": "None"}]}]}},
]
TEMPLATE_EXPECTED = [
    ("CKV_BOROUGH_039", "Microsoft.ClassicStorage/storageAccounts.legacyfiles", "failed"),
    ("CKV_BOROUGH_039", "Microsoft.Storage/storageAccounts.modernfiles", "absent"),
    ("CKV_BOROUGH_044", "Microsoft.ServiceFabric/clusters.sf-entra", "passed"),
    ("CKV_BOROUGH_044", "Microsoft.ServiceFabric/clusters.sf-certs", "failed"),
    ("CKV_BOROUGH_047", "Microsoft.ServiceFabric/clusters.sf-entra", "passed"),
    ("CKV_BOROUGH_047", "Microsoft.ServiceFabric/clusters.sf-certs", "failed"),
]


@pytest.fixture(scope="module")
def report():
    return run_checks([from_graph(graph(STACK, _resources()), TargetKind.program, "ncsc")])


@pytest.fixture(scope="module")
def template_report(tmp_path_factory):
    path = write_template(tmp_path_factory.mktemp("ncsc") / "legacy.json", TEMPLATE_RESOURCES)
    return run_checks([from_template(path)])


def _finding(report, check_id, logical):
    wanted = urn(STACK, TOKENS[logical], logical)
    found = [f for f in report.findings if f.check_id == check_id and f.urn == wanted]
    return found[0] if found else None


def test_no_new_check_crashed(report, template_report):
    assert report.errored == [] and template_report.errored == []


@pytest.mark.parametrize("check_id,logical,expected", EXPECTED, ids=[f"{c}-{r}" for c, r, _ in EXPECTED])
def test_check_passes_and_fails_on_its_program_fixture(report, check_id, logical, expected):
    finding = _finding(report, check_id, logical)
    assert finding is not None and finding.outcome is Outcome(expected)
    assert finding.message and not finding.message.endswith((": failed", ": passed"))


@pytest.mark.parametrize("check_id,resource_id,expected", TEMPLATE_EXPECTED, ids=[f"{c}-{r}" for c, r, _ in TEMPLATE_EXPECTED])
def test_check_passes_and_fails_on_its_template_fixture(template_report, check_id, resource_id, expected):
    found = [f for f in template_report.findings if f.check_id == check_id and f.resource == resource_id]
    if expected == "absent":  # the resource is not of a type the check flags: its passing case
        assert found == [] and any(f.resource == resource_id for f in template_report.findings)
    else:
        assert found and found[0].outcome is Outcome(expected)


def test_every_check_an_initiative_names_has_a_passing_and_a_failing_fixture():
    from test_council_checks import EXPECTED as COUNCIL_EXPECTED

    policies = load_policies()
    fixtures = {(c, "passed" if o == "absent" else str(o.value if hasattr(o, "value") else o))
                for c, _, o in [*COUNCIL_EXPECTED, *EXPECTED, *TEMPLATE_EXPECTED]}
    named = {c for i in policies.initiatives.values() for p in i.policies for c in p.checks}
    untested = sorted(c for c in named if c.startswith("CKV_BOROUGH_")
                      and not {(c, "passed"), (c, "failed")} <= fixtures)
    assert untested == []
    new_builtins = {"CKV_AZURE_73", "CKV_AZURE_74"}
    assert all({(c, "passed"), (c, "failed")} <= fixtures for c in new_builtins)


def test_findings_name_the_failing_setting(report):
    assert _finding(report, "CKV_BOROUGH_022", "redis-plain").message.startswith("non-TLS port 6379 is enabled")
    assert "TLS 1.0 is allowed" in _finding(report, "CKV_BOROUGH_023", "redis-plain").message
    assert "TLS 1.0 is allowed" in _finding(report, "CKV_BOROUGH_024", "sb-weak").message
    assert "disableLocalAuth = not set" in _finding(report, "CKV_BOROUGH_025", "sb-weak").message
    assert _finding(report, "CKV_BOROUGH_028", "aks-open").message == \
        "authorized IP range 0.0.0.0/0 opens the API server to the internet"
    assert "publicNetworkAccessForIngestion = Enabled" in _finding(report, "CKV_BOROUGH_026", "log-public").message
    assert "clientCertMode = Optional" in _finding(report, "CKV_BOROUGH_031", "app-open").message
    assert "frontend endpoint www" in _finding(report, "CKV_BOROUGH_034", "fd-bare").message


PLANTED = Path(__file__).parent / "programs" / "ncsc_planted"


def test_planted_redis_service_bus_and_aks_cases_are_found_in_a_program():
    result = CliRunner().invoke(app, ["check", "--program", str(PLANTED), "--stack", "review", "--format", "json"])
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    failed = {(f["check_id"], f["urn"].rsplit("::", 1)[-1]): f for f in findings if f["outcome"] == "failed"}
    for expected in [("CKV_BOROUGH_022", "sessions-cache"), ("CKV_BOROUGH_023", "sessions-cache"),
                     ("CKV_BOROUGH_024", "casework-bus"), ("CKV_BOROUGH_025", "casework-bus"),
                     ("CKV_BOROUGH_028", "housing-aks")]:
        assert expected in failed, expected
    aks = failed[("CKV_BOROUGH_028", "housing-aks")]
    assert "0.0.0.0/0" in aks["message"]
    source = (PLANTED / "__main__.py").read_text().splitlines()
    assert source[aks["line"] - 1].startswith("cluster = containerservice.ManagedCluster(")
    passed = {(f["check_id"], f["urn"].rsplit("::", 1)[-1]) for f in findings if f["outcome"] == "passed"}
    assert ("CKV_BOROUGH_022", "reports-cache") in passed and ("CKV_BOROUGH_023", "reports-cache") in passed


def test_app_authentication_is_not_judged_on_a_live_site_whose_auth_settings_were_not_read():
    """check --live reads no auth settings (Azure serves them only to a POST): no verdict, rather than a false failure."""
    from policies.checks.webapp_auth import check

    site = {"type": "Microsoft.Web/sites", "name": "app-live", "properties": {}, "metadata": {"borough:live": True}}
    assert list(check.evaluate([site])) == []
    assert [r.result.name for r in check.evaluate([{**site, "metadata": {}}])] == ["FAILED"]
