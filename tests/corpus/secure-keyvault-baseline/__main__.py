"""A correct, locked-down Key Vault. Location is the stack's (azure-native:location), never repeated."""
import pulumi
from pulumi_azure_native import authorization, keyvault, monitor, network, operationalinsights, resources

config = pulumi.Config()
owner = config.require("owner")
api_key = config.require_secret("apiKey")

tags = {
    "owner": owner,
    "environment": pulumi.get_stack(),
    "data-classification": "OFFICIAL-SENSITIVE",
    "cost-centre": "HSG-001",
    "system-id": "SYS-0420",
}

client = authorization.get_client_config_output()

rg = resources.ResourceGroup("housing-secrets", tags=tags)

logs = operationalinsights.Workspace(
    "housing-logs",
    resource_group_name=rg.name,
    sku={"name": "PerGB2018"},
    retention_in_days=365,
    public_network_access_for_ingestion="Disabled",
    public_network_access_for_query="Disabled",
    tags=tags,
)

vault = keyvault.Vault(
    "housing-kv",
    resource_group_name=rg.name,
    tags=tags,
    properties={
        "tenant_id": client.tenant_id,
        "sku": {"family": "A", "name": "premium"},
        "enable_rbac_authorization": True,
        "enable_soft_delete": True,
        "soft_delete_retention_in_days": 90,
        "enable_purge_protection": True,
        "public_network_access": "Disabled",
        "network_acls": {"default_action": "Deny", "bypass": "AzureServices"},
    },
)

keyvault.Secret(
    "partner-api-key",
    resource_group_name=rg.name,
    vault_name=vault.name,
    properties={
        "value": api_key,
        "content_type": "text/plain",
        "attributes": {"enabled": True, "expires": 1893456000},
    },
    tags=tags,
)

monitor.DiagnosticSetting(
    "housing-kv-audit",
    resource_uri=vault.id,
    workspace_id=logs.id,
    logs=[{"category_group": "audit", "enabled": True}],
    metrics=[{"category": "AllMetrics", "enabled": True}],
)

monitor.DiagnosticSetting(
    "housing-logs-audit",
    resource_uri=logs.id,
    workspace_id=logs.id,
    logs=[{"category_group": "audit", "enabled": True}],
)

vnet = network.VirtualNetwork(
    "housing-vnet",
    resource_group_name=rg.name,
    address_space={"address_prefixes": ["10.42.0.0/24"]},
    enable_ddos_protection=True,
    ddos_protection_plan={"id": pulumi.Output.concat("/subscriptions/", client.subscription_id, "/resourceGroups/rg-connectivity",
                                                     "/providers/Microsoft.Network/ddosProtectionPlans/council-ddos")},
    tags=tags,
)
network.FlowLog(
    "housing-vnet-flowlog",
    resource_group_name="NetworkWatcherRG",
    network_watcher_name="NetworkWatcher_uksouth",
    target_resource_id=vnet.id,
    storage_id=pulumi.Output.concat("/subscriptions/", client.subscription_id, "/resourceGroups/rg-security",
                                    "/providers/Microsoft.Storage/storageAccounts/stcouncilflowlogs"),
    enabled=True,
    tags=tags,
)
monitor.DiagnosticSetting(
    "housing-vnet-audit",
    resource_uri=vnet.id,
    workspace_id=logs.id,
    logs=[{"category_group": "allLogs", "enabled": True}],
)
endpoint_nsg = network.NetworkSecurityGroup("private-endpoints-nsg", resource_group_name=rg.name, tags=tags)
monitor.DiagnosticSetting(
    "private-endpoints-nsg-audit",
    resource_uri=endpoint_nsg.id,
    workspace_id=logs.id,
    logs=[{"category_group": "allLogs", "enabled": True}],
)
endpoints = network.Subnet(
    "private-endpoints",
    resource_group_name=rg.name,
    virtual_network_name=vnet.name,
    address_prefix="10.42.0.0/27",
    private_endpoint_network_policies="Enabled",
    network_security_group={"id": endpoint_nsg.id},
)
network.PrivateEndpoint(
    "housing-kv-pe",
    resource_group_name=rg.name,
    subnet={"id": endpoints.id},
    private_link_service_connections=[{
        "name": "vault",
        "private_link_service_id": vault.id,
        "group_ids": ["vault"],
    }],
    tags=tags,
)

pulumi.export("vault_uri", vault.properties.vault_uri)
