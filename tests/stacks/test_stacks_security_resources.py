"""The security resources of the platform and data platform set their protections explicitly."""

from __future__ import annotations

import pytest

from stacks_graph_helpers import of_type, one

OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
CONTRIBUTOR = "b24988ac-6180-42dd-ab5f-fe3c2f4b6fa1"


def _role(assignment) -> str:
    return assignment.inputs["roleDefinitionId"].rsplit("/", 1)[-1]


def _named(graph, token: str, name: str):
    found = [r for r in of_type(graph, token) if r.name == name]
    assert len(found) == 1, f"expected one {token} named {name}"
    return found[0]


def _endpoint_groups(graph, target_id: str) -> set[str]:
    return {group
            for pe in of_type(graph, "azure-native:network:PrivateEndpoint")
            for conn in pe.inputs["privateLinkServiceConnections"] if conn["privateLinkServiceId"] == target_id
            for group in conn["groupIds"]}


def _diagnosed(graph, target_id: str) -> bool:
    return any(d.inputs["resourceUri"] == target_id and d.inputs.get("workspaceId")
               for d in of_type(graph, "azure-native:monitor:DiagnosticSetting"))


# --- platform ---------------------------------------------------------------------------------

def test_defender_plans_are_standard_and_enforced_for_every_resource_type_the_stacks_use(graph_of):
    plans = {p.inputs["pricingName"]: p.inputs for p in of_type(graph_of("platform-prod"), "azure-native:security:Pricing")}
    assert {"StorageAccounts", "KeyVaults", "AppServices", "OpenSourceRelationalDatabases", "SqlServers", "Containers",
            "VirtualMachines", "Arm", "CloudPosture"} <= set(plans)
    for name, plan in plans.items():
        assert plan["pricingTier"] == "Standard", name
        assert plan["enforce"] == "True", name
        assert plan["scopeId"] == "/subscriptions/00000000-0000-0000-0000-000000000000", name
    storage = plans["StorageAccounts"]
    assert storage["subPlan"] == "DefenderForStorageV2"
    assert {e["name"]: e["isEnabled"] for e in storage["extensions"]} == {
        "OnUploadMalwareScanning": "True", "SensitiveDataDiscovery": "True"}


def test_platform_audit_archive_is_private_entra_only_and_geo_zone_redundant(graph_of):
    graph = graph_of("platform-prod")
    account = next(a for a in of_type(graph, "azure-native:storage:StorageAccount") if a.inputs["accountName"] == "stplatlogproduks")
    i = account.inputs
    assert i["publicNetworkAccess"] == "Disabled" and i["networkRuleSet"]["defaultAction"] == "Deny"
    assert i["allowSharedKeyAccess"] is False and i["allowBlobPublicAccess"] is False
    assert i["minimumTlsVersion"] == "TLS1_2" and i["encryption"]["requireInfrastructureEncryption"] is True
    assert i["sku"]["name"] == "Standard_GZRS"
    assert _endpoint_groups(graph, account.outputs["id"]) == {"blob"}
    container = _named(graph, "azure-native:storage:BlobContainer", "audit-audit-archive")
    assert container.inputs["publicAccess"] == "None"
    assert graph.outputs["auditStorageAccountId"] == account.outputs["id"]


def test_container_registry_is_private_with_no_admin_user_anonymous_pull_or_export(graph_of):
    graph = graph_of("platform-prod")
    registry = one(graph, "azure-native:containerregistry:Registry")
    i = registry.inputs
    assert i["registryName"] == "crplatproduks" and i["sku"]["name"] == "Premium"
    assert i["adminUserEnabled"] is False
    assert i["anonymousPullEnabled"] is False
    assert i["publicNetworkAccess"] == "Disabled" and i["networkRuleSet"]["defaultAction"] == "Deny"
    assert i["policies"]["exportPolicy"]["status"] == "disabled"
    assert i["policies"]["azureADAuthenticationAsArmPolicy"]["status"] == "enabled"
    assert i["zoneRedundancy"] == "Enabled"
    assert _endpoint_groups(graph, registry.outputs["id"]) == {"registry"}
    assert _diagnosed(graph, registry.outputs["id"])


def test_build_agent_is_hardened_keys_only_and_unreachable_from_the_internet(graph_of):
    graph = graph_of("platform-prod")
    vm = one(graph, "azure-native:compute:VirtualMachine").inputs
    linux = vm["osProfile"]["linuxConfiguration"]
    assert linux["disablePasswordAuthentication"] is True
    assert "adminPassword" not in vm["osProfile"] and "customData" not in vm["osProfile"]
    assert linux["ssh"]["publicKeys"][0]["keyData"].startswith("ssh-rsa AAAA")
    assert linux["patchSettings"]["patchMode"] == "AutomaticByPlatform"
    security = vm["securityProfile"]
    assert security["securityType"] == "TrustedLaunch" and security["encryptionAtHost"] is True
    assert security["uefiSettings"] == {"secureBootEnabled": True, "vTpmEnabled": True}
    assert "vhd" not in vm["storageProfile"]["osDisk"] and vm["storageProfile"]["osDisk"]["managedDisk"]
    assert vm["identity"]["type"] == "SystemAssigned"
    nic = one(graph, "azure-native:network:NetworkInterface").inputs
    assert all("publicIPAddress" not in c for c in nic["ipConfigurations"])
    assert nic["enableIPForwarding"] is False
    disk = one(graph, "azure-native:compute:Disk").inputs
    assert disk["encryption"]["type"] == "EncryptionAtRestWithPlatformKey"
    assert disk["networkAccessPolicy"] == "DenyAll" and disk["publicNetworkAccess"] == "Disabled"


def test_only_the_build_subnet_reaches_the_internet_and_only_outbound_through_nat(graph_of):
    graph = graph_of("platform-prod")
    gateway = one(graph, "azure-native:network:NatGateway")
    with_nat = {s.inputs["subnetName"] for s in of_type(graph, "azure-native:network:Subnet") if s.inputs.get("natGateway")}
    assert with_nat == {"snet-build"}
    build = next(s for s in of_type(graph, "azure-native:network:Subnet") if s.inputs["subnetName"] == "snet-build")
    assert build.inputs["natGateway"]["id"] == gateway.outputs["id"]
    pip = one(graph, "azure-native:network:PublicIPAddress")
    assert pip.inputs["sku"]["name"] == "Standard" and pip.inputs["publicIPAllocationMethod"] == "Static"
    assert _diagnosed(graph, pip.outputs["id"])


def test_image_signing_key_is_hsm_backed_non_exportable_expiring_and_used_only_by_the_build_agent(graph_of):
    graph = graph_of("platform-prod")
    key = one(graph, "azure-native:keyvault:Key")
    props = key.inputs["properties"]
    assert props["kty"] == "EC-HSM" and props["curveName"] == "P-256"
    assert props["keyOps"] == ["sign", "verify"]
    assert props["attributes"]["exportable"] is False
    assert props["rotationPolicy"]["attributes"]["expiryTime"] == "P1Y"
    assert {a["action"]["type"] for a in props["rotationPolicy"]["lifetimeActions"]} == {"notify"}
    vm = one(graph, "azure-native:compute:VirtualMachine")
    agent = vm.outputs["identity"]["principalId"]
    key_scope = f"{one(graph, 'azure-native:keyvault:Vault').outputs['id']}/keys/image-signing"
    on_key = [a for a in of_type(graph, "azure-native:authorization:RoleAssignment") if a.inputs["scope"] == key_scope]
    assert [(a.inputs["principalId"], _role(a)) for a in on_key] == [(agent, "12338af0-0e69-4776-bea7-57ae8d297424")]
    registry = one(graph, "azure-native:containerregistry:Registry").outputs["id"]
    on_registry = [a for a in of_type(graph, "azure-native:authorization:RoleAssignment") if a.inputs["scope"] == registry]
    assert [(a.inputs["principalId"], _role(a)) for a in on_registry] == [(agent, "8311e382-0749-4cb8-b61a-304f252e45ec")]


# --- data platform --------------------------------------------------------------------------

def test_curated_sql_is_entra_only_private_tls12_and_audited_to_the_platform_archive(graph_of):
    graph, platform = graph_of("data-platform-prod"), graph_of("platform-prod")
    server = one(graph, "azure-native:sql:Server")
    i = server.inputs
    assert i["publicNetworkAccess"] == "Disabled" and i["minimalTlsVersion"] == "1.2"
    assert i["administrators"]["azureADOnlyAuthentication"] is True
    assert i["administrators"]["principalType"] == "Group"
    assert "administratorLoginPassword" not in i
    assert _endpoint_groups(graph, server.outputs["id"]) == {"sqlServer"}
    policies = [*of_type(graph, "azure-native:sql:ServerBlobAuditingPolicy"),
                *of_type(graph, "azure-native:sql:DatabaseBlobAuditingPolicy")]
    assert len(policies) == 2
    for policy in policies:
        p = policy.inputs
        assert p["state"] == "Enabled" and p["isAzureMonitorTargetEnabled"] is True
        assert p["retentionDays"] >= 90 and p["isManagedIdentityInUse"] is True
        assert p["storageEndpoint"] == platform.outputs["auditStorageBlobEndpoint"]
        assert "storageAccountAccessKey" not in p
    writer = [a for a in of_type(graph, "azure-native:authorization:RoleAssignment")
              if a.inputs["principalId"] == server.outputs["identity"]["principalId"]]
    assert [(a.inputs["scope"], _role(a)) for a in writer] == [
        (platform.outputs["auditStorageAccountId"], "ba92f5b4-2d11-453d-a403-e96b0029c9fe")]
    assert one(graph, "azure-native:sql:ServerSecurityAlertPolicy").inputs["state"] == "Enabled"
    database = one(graph, "azure-native:sql:Database")
    assert database.inputs["zoneRedundant"] is True and database.inputs["requestedBackupStorageRedundancy"] == "Geo"
    assert _diagnosed(graph, database.outputs["id"])


def test_event_hubs_event_grid_and_language_are_private_and_entra_only(graph_of):
    graph = graph_of("data-platform-prod")
    namespace = one(graph, "azure-native:eventhub:Namespace")
    assert namespace.inputs["disableLocalAuth"] is True and namespace.inputs["minimumTlsVersion"] == "1.2"
    assert namespace.inputs["publicNetworkAccess"] == "Disabled"
    topic = one(graph, "azure-native:eventgrid:Topic")
    assert topic.inputs["disableLocalAuth"] is True and topic.inputs["minimumTlsVersionAllowed"] == "1.2"
    assert topic.inputs["publicNetworkAccess"] == "Disabled" and topic.inputs["dataResidencyBoundary"] == "WithinRegion"
    language = one(graph, "azure-native:cognitiveservices:Account")
    props = language.inputs["properties"]
    assert props["disableLocalAuth"] is True and props["publicNetworkAccess"] == "Disabled"
    assert props["restrictOutboundNetworkAccess"] is True and props["networkAcls"]["defaultAction"] == "Deny"
    assert props["customSubDomainName"] == language.inputs["accountName"]
    for resource, group in ((namespace, "namespace"), (topic, "topic"), (language, "account")):
        assert _endpoint_groups(graph, resource.outputs["id"]) == {group}
        assert _diagnosed(graph, resource.outputs["id"])


def test_data_factory_gets_narrow_data_roles_and_the_only_use_of_the_column_master_key(graph_of):
    graph = graph_of("data-platform-prod")
    factory = one(graph, "azure-native:datafactory:Factory")
    principal = factory.outputs["identity"]["principalId"]
    grants = {(a.inputs["scope"].rsplit("/", 1)[-1], _role(a)) for a in of_type(graph, "azure-native:authorization:RoleAssignment")
              if a.inputs["principalId"] == principal}
    assert grants == {
        ("stdatadataproduks", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),      # Storage Blob Data Contributor
        ("evhns-data-prod-uks", "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"),    # Event Hubs Data Receiver
        ("evgt-data-datasets-prod-uks", "d5a91429-5739-47e2-a06b-3470a27159e7"),  # Event Grid Data Sender
        ("lang-data-prod-uks", "a97b65f3-24c7-4388-baec-2e87135dc908"),     # Cognitive Services User
        ("sql-always-encrypted-cmk", "12338af0-0e69-4776-bea7-57ae8d297424"),  # Key Vault Crypto User
    }
    key = one(graph, "azure-native:keyvault:Key").inputs["properties"]
    assert key["kty"] == "RSA-HSM" and key["keySize"] == 3072 and key["attributes"]["exportable"] is False
    assert key["rotationPolicy"]["attributes"]["expiryTime"] == "P2Y"


@pytest.mark.parametrize("stack", ["platform-prod", "resident-services-dev", "resident-services-prod", "data-platform-prod"])
def test_no_stack_assigns_owner_user_access_administrator_or_contributor(graph_of, stack):
    for assignment in of_type(graph_of(stack), "azure-native:authorization:RoleAssignment"):
        assert _role(assignment) not in {OWNER, USER_ACCESS_ADMINISTRATOR, CONTRIBUTOR}, assignment.name
        assert assignment.inputs["principalType"] == "ServicePrincipal"
        assert assignment.inputs["principalId"], assignment.name


@pytest.mark.parametrize("stack", ["platform-prod", "resident-services-dev", "resident-services-prod", "data-platform-prod"])
def test_every_private_endpoint_registers_in_a_hub_zone(graph_of, stack):
    zones = {r.outputs["id"] for r in of_type(graph_of("platform-prod"), "azure-native:privatedns:PrivateZone")}
    for group in of_type(graph_of(stack), "azure-native:network:PrivateDnsZoneGroup"):
        for config in group.inputs["privateDnsZoneConfigs"]:
            assert config["privateDnsZoneId"] in zones, group.name
