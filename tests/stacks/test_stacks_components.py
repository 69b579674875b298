"""Every component sets its security properties explicitly (checked on the synthesized graphs)."""

from __future__ import annotations

import pytest

from stacks_graph_helpers import of_type, one

SPOKES = ["resident-services-dev", "resident-services-prod", "data-platform-prod"]


def test_log_analytics_keeps_logs_a_year_in_prod_and_is_private(graph_of):
    workspace = one(graph_of("platform-prod"), "azure-native:operationalinsights:Workspace").inputs
    assert workspace["retentionInDays"] == 365
    assert workspace["publicNetworkAccessForIngestion"] == "Disabled"
    assert workspace["publicNetworkAccessForQuery"] == "Disabled"
    assert workspace["features"]["disableLocalAuth"] is True


@pytest.mark.parametrize("stack", ["platform-prod", *SPOKES])
def test_every_subnet_has_an_nsg_that_denies_internet_inbound(graph_of, stack):
    graph = graph_of(stack)
    nsgs = {r.outputs["id"]: r for r in of_type(graph, "azure-native:network:NetworkSecurityGroup")}
    subnets = of_type(graph, "azure-native:network:Subnet")
    assert subnets
    for subnet in subnets:
        nsg = nsgs[subnet.inputs["networkSecurityGroup"]["id"]]
        rules = nsg.inputs["securityRules"]
        deny = [r for r in rules if r["direction"] == "Inbound" and r["access"] == "Deny" and r["sourceAddressPrefix"] == "Internet"]
        assert deny, f"{subnet.name}: no deny-Internet-inbound rule"
        allows = [r for r in rules if r["direction"] == "Inbound" and r["access"] == "Allow"]
        assert all(r["priority"] < deny[0]["priority"] for r in allows)
        assert subnet.inputs["defaultOutboundAccess"] is False


def test_hub_has_private_dns_zones_linked_without_auto_registration(graph_of):
    graph = graph_of("platform-prod")
    zones = {r.inputs["privateZoneName"] for r in of_type(graph, "azure-native:privatedns:PrivateZone")}
    assert {"privatelink.blob.core.windows.net", "privatelink.vaultcore.azure.net",
            "privatelink.postgres.database.azure.com"} <= zones
    links = of_type(graph, "azure-native:privatedns:VirtualNetworkLink")
    assert len(links) == len(zones)
    assert all(link.inputs["registrationEnabled"] is False for link in links)


@pytest.mark.parametrize("stack", SPOKES)
def test_spokes_peer_both_ways_with_the_hub_from_the_platform_stack(graph_of, stack):
    platform = graph_of("platform-prod")
    peerings = of_type(graph_of(stack), "azure-native:network:VirtualNetworkPeering")
    assert len(peerings) == 2
    to_hub = next(p for p in peerings if p.inputs["virtualNetworkPeeringName"] == "peer-to-hub")
    assert to_hub.inputs["remoteVirtualNetwork"]["id"] == platform.outputs["hubVnetId"]
    assert all(p.inputs["useRemoteGateways"] is False for p in peerings)


@pytest.mark.parametrize("stack", ["platform-prod", *SPOKES])
def test_key_vaults_are_rbac_purge_protected_private(graph_of, stack):
    for vault in of_type(graph_of(stack), "azure-native:keyvault:Vault"):
        props = vault.inputs["properties"]
        assert props["enableRbacAuthorization"] is True
        assert props["enablePurgeProtection"] is True
        assert props["enableSoftDelete"] is True
        assert props["softDeleteRetentionInDays"] == 90
        assert props["publicNetworkAccess"] == "Disabled"
        assert props["networkAcls"]["defaultAction"] == "Deny"
        assert not props["enabledForDeployment"] and not props["enabledForDiskEncryption"]
        assert props["enabledForTemplateDeployment"] is False
        assert props["tenantId"] == "11111111-1111-1111-1111-111111111111"


@pytest.mark.parametrize("stack", SPOKES)
def test_storage_accounts_are_private_tls12_entra_only_double_encrypted(graph_of, stack):
    accounts = of_type(graph_of(stack), "azure-native:storage:StorageAccount")
    assert accounts
    for account in accounts:
        i = account.inputs
        assert i["enableHttpsTrafficOnly"] is True
        assert i["minimumTlsVersion"] == "TLS1_2"
        assert i["allowBlobPublicAccess"] is False
        assert i["allowSharedKeyAccess"] is False
        assert i["publicNetworkAccess"] == "Disabled"
        assert i["networkRuleSet"]["defaultAction"] == "Deny"
        assert i["encryption"]["requireInfrastructureEncryption"] is True
        assert i["sku"]["name"] in {"Standard_GRS", "Standard_GZRS"}
    for container in of_type(graph_of(stack), "azure-native:storage:BlobContainer"):
        assert container.inputs["publicAccess"] == "None"


def test_data_lake_variant_has_hierarchical_namespace_and_dfs_endpoint(graph_of):
    graph = graph_of("data-platform-prod")
    lake = one(graph, "azure-native:storage:StorageAccount")
    assert lake.inputs["isHnsEnabled"] is True
    groups = {pe.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for pe in of_type(graph, "azure-native:network:PrivateEndpoint")}
    assert {"blob", "dfs", "vault", "dataFactory"} <= groups


@pytest.mark.parametrize("stack", ["resident-services-dev", "resident-services-prod"])
def test_web_app_is_https_tls12_no_ftp_no_debug_identity_vnet_private(graph_of, stack):
    graph = graph_of(stack)
    app = one(graph, "azure-native:web:WebApp").inputs
    site = app["siteConfig"]
    assert app["httpsOnly"] is True
    assert app["publicNetworkAccess"] == "Disabled"
    assert app["identity"]["type"] == "SystemAssigned"
    assert app["virtualNetworkSubnetId"].endswith("/subnets/snet-app")
    assert app["clientCertEnabled"] is True
    assert site["minTlsVersion"] == "1.2" and site["scmMinTlsVersion"] == "1.2"
    assert site["ftpsState"] == "Disabled"
    assert site["remoteDebuggingEnabled"] is False
    assert site["http20Enabled"] is True
    settings = {s["name"]: s["value"] for s in site["appSettings"]}
    assert settings["SESSION_SECRET"].startswith("@Microsoft.KeyVault(SecretUri=https://kv-res-")
    role = one(graph, "azure-native:authorization:RoleAssignment").inputs
    assert role["roleDefinitionId"].endswith("4633458b-17de-408a-b874-0445c86b69e6")
    assert role["principalType"] == "ServicePrincipal" and role["principalId"]


def test_postgres_is_entra_only_private_tls_and_resilient_in_prod(graph_of):
    for stack, prod in [("resident-services-dev", False), ("resident-services-prod", True)]:
        graph = graph_of(stack)
        server = one(graph, "azure-native:dbforpostgresql:Server").inputs
        assert server["authConfig"]["passwordAuth"] == "Disabled"
        assert server["authConfig"]["activeDirectoryAuth"] == "Enabled"
        assert server["network"]["publicNetworkAccess"] == "Disabled"
        assert "administratorLoginPassword" not in server
        assert (server["backup"]["geoRedundantBackup"] == "Enabled") is prod
        assert (server["highAvailability"]["mode"] == "ZoneRedundant") is prod
        params = {c.inputs["configurationName"]: c.inputs["value"]
                  for c in of_type(graph, "azure-native:dbforpostgresql:Configuration")}
        assert params["require_secure_transport"] == "ON"
        assert params["ssl_min_protocol_version"] == "TLSv1.2"


def test_data_factory_is_private_with_identity_and_git(graph_of):
    factory = one(graph_of("data-platform-prod"), "azure-native:datafactory:Factory").inputs
    assert factory["publicNetworkAccess"] == "Disabled"
    assert factory["identity"]["type"] == "SystemAssigned"
    assert factory["repoConfiguration"]["type"] == "FactoryGitHubConfiguration"


def test_policy_assigns_uk_official_nhs_and_ncsc_caf_initiatives_at_subscription(graph_of):
    assignments = of_type(graph_of("platform-prod"), "azure-native:authorization:PolicyAssignment")
    by_name = {a.inputs["policyAssignmentName"]: a.inputs for a in assignments}
    assert set(by_name) == {"pa-uk-official-uk-nhs", "pa-ncsc-caf"}
    uk = by_name["pa-uk-official-uk-nhs"]
    assert uk["policyDefinitionId"].endswith("/policySetDefinitions/3937f550-eedd-4639-9c5e-294358be442e")
    assert uk["scope"] == "/subscriptions/00000000-0000-0000-0000-000000000000"
    assert uk["enforcementMode"] == "Default"


@pytest.mark.parametrize("stack", ["platform-prod", *SPOKES])
def test_every_resource_that_supports_diagnostics_sends_them_to_log_analytics(graph_of, stack):
    graph = graph_of(stack)
    workspace = graph_of("platform-prod").outputs["logAnalyticsWorkspaceId"]
    targets = {d.inputs["resourceUri"] for d in of_type(graph, "azure-native:monitor:DiagnosticSetting")}
    assert all(d.inputs["workspaceId"] == workspace for d in of_type(graph, "azure-native:monitor:DiagnosticSetting"))
    diagnosable = ("VirtualNetwork", "NetworkSecurityGroup", "Vault", "StorageAccount", "WebApp", "AppServicePlan",
                   "dbforpostgresql:Server", "Factory", "Workspace")
    for resource in graph.custom_resources():
        if resource.type.endswith(diagnosable):
            assert resource.id in targets, f"{resource.name} has no diagnostic setting"


@pytest.mark.parametrize("stack", SPOKES)
def test_every_data_store_has_a_private_endpoint_registered_in_dns(graph_of, stack):
    graph = graph_of(stack)
    targets = {pe.inputs["privateLinkServiceConnections"][0]["privateLinkServiceId"]
               for pe in of_type(graph, "azure-native:network:PrivateEndpoint")}
    stores = [r for r in graph.custom_resources() if r.type.split(":")[-1] in {"Vault", "StorageAccount", "Server", "Factory", "WebApp"}]
    assert stores
    for store in stores:
        assert store.id in targets, f"{store.name} has no private endpoint"
    zone_groups = of_type(graph, "azure-native:network:PrivateDnsZoneGroup")
    assert len(zone_groups) == len(of_type(graph, "azure-native:network:PrivateEndpoint"))
