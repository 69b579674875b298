"""Pulumi type token -> ARM resource type, API version and naming keys.

The table is what lets checkov judge a Pulumi resource at all: an azure-native resource whose
token is not here cannot be rendered and is reported as not evaluated. API versions are the
ones pulumi-azure-native 3.x uses by default (its docstrings), so checks that look at
``apiVersion`` see what would really be deployed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArmType:
    type: str
    """ARM resource type, e.g. ``Microsoft.Storage/storageAccounts``."""
    api_version: str
    name_key: str
    """Input that holds the resource's own name (a path parameter, not a property)."""
    parent_keys: tuple[str, ...] = ()
    """Inputs naming the parents, outermost first; ``@x`` is the literal segment ``x``."""
    taggable: bool = False
    located: bool = False


TYPE_TABLE: dict[str, ArmType] = {
    "azure-native:resources:ResourceGroup": ArmType("Microsoft.Resources/resourceGroups", "2024-03-01", "resourceGroupName", (), taggable=True, located=True),
    "azure-native:storage:StorageAccount": ArmType("Microsoft.Storage/storageAccounts", "2024-01-01", "accountName", (), taggable=True, located=True),
    "azure-native:storage:BlobServiceProperties": ArmType("Microsoft.Storage/storageAccounts/blobServices", "2024-01-01", "blobServicesName", ('accountName',), taggable=False, located=False),
    "azure-native:storage:BlobContainer": ArmType("Microsoft.Storage/storageAccounts/blobServices/containers", "2024-01-01", "containerName", ('accountName', '@default'), taggable=False, located=False),
    "azure-native:storage:FileShare": ArmType("Microsoft.Storage/storageAccounts/fileServices/shares", "2024-01-01", "shareName", ('accountName', '@default'), taggable=False, located=False),
    "azure-native:storage:Queue": ArmType("Microsoft.Storage/storageAccounts/queueServices/queues", "2024-01-01", "queueName", ('accountName', '@default'), taggable=False, located=False),
    "azure-native:storage:Table": ArmType("Microsoft.Storage/storageAccounts/tableServices/tables", "2024-01-01", "tableName", ('accountName', '@default'), taggable=False, located=False),
    "azure-native:storage:ManagementPolicy": ArmType("Microsoft.Storage/storageAccounts/managementPolicies", "2024-01-01", "managementPolicyName", ('accountName',), taggable=False, located=False),
    "azure-native:keyvault:Vault": ArmType("Microsoft.KeyVault/vaults", "2024-11-01", "vaultName", (), taggable=True, located=True),
    "azure-native:keyvault:Secret": ArmType("Microsoft.KeyVault/vaults/secrets", "2024-11-01", "secretName", ('vaultName',), taggable=True, located=False),
    "azure-native:keyvault:Key": ArmType("Microsoft.KeyVault/vaults/keys", "2024-11-01", "keyName", ('vaultName',), taggable=True, located=False),
    "azure-native:network:VirtualNetwork": ArmType("Microsoft.Network/virtualNetworks", "2024-05-01", "virtualNetworkName", (), taggable=True, located=True),
    "azure-native:network:Subnet": ArmType("Microsoft.Network/virtualNetworks/subnets", "2024-05-01", "subnetName", ('virtualNetworkName',), taggable=False, located=False),
    "azure-native:network:VirtualNetworkPeering": ArmType("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "2024-05-01", "virtualNetworkPeeringName", ('virtualNetworkName',), taggable=False, located=False),
    "azure-native:network:NetworkSecurityGroup": ArmType("Microsoft.Network/networkSecurityGroups", "2024-05-01", "networkSecurityGroupName", (), taggable=True, located=True),
    "azure-native:network:SecurityRule": ArmType("Microsoft.Network/networkSecurityGroups/securityRules", "2024-05-01", "securityRuleName", ('networkSecurityGroupName',), taggable=False, located=False),
    "azure-native:network:PublicIPAddress": ArmType("Microsoft.Network/publicIPAddresses", "2024-05-01", "publicIpAddressName", (), taggable=True, located=True),
    "azure-native:network:PrivateEndpoint": ArmType("Microsoft.Network/privateEndpoints", "2024-05-01", "privateEndpointName", (), taggable=True, located=True),
    "azure-native:network:PrivateDnsZoneGroup": ArmType("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "2024-05-01", "privateDnsZoneGroupName", ('privateEndpointName',), taggable=False, located=False),
    "azure-native:network:NetworkInterface": ArmType("Microsoft.Network/networkInterfaces", "2024-05-01", "networkInterfaceName", (), taggable=True, located=True),
    "azure-native:network:RouteTable": ArmType("Microsoft.Network/routeTables", "2024-05-01", "routeTableName", (), taggable=True, located=True),
    "azure-native:network:Route": ArmType("Microsoft.Network/routeTables/routes", "2024-05-01", "routeName", ('routeTableName',), taggable=False, located=False),
    "azure-native:network:ApplicationGateway": ArmType("Microsoft.Network/applicationGateways", "2024-05-01", "applicationGatewayName", (), taggable=True, located=True),
    "azure-native:network:WebApplicationFirewallPolicy": ArmType("Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "2024-05-01", "policyName", (), taggable=True, located=True),
    "azure-native:network:AzureFirewall": ArmType("Microsoft.Network/azureFirewalls", "2024-05-01", "azureFirewallName", (), taggable=True, located=True),
    "azure-native:network:BastionHost": ArmType("Microsoft.Network/bastionHosts", "2024-05-01", "bastionHostName", (), taggable=True, located=True),
    "azure-native:network:NatGateway": ArmType("Microsoft.Network/natGateways", "2024-05-01", "natGatewayName", (), taggable=True, located=True),
    "azure-native:network:LoadBalancer": ArmType("Microsoft.Network/loadBalancers", "2024-05-01", "loadBalancerName", (), taggable=True, located=True),
    "azure-native:network:NetworkWatcher": ArmType("Microsoft.Network/networkWatchers", "2024-05-01", "networkWatcherName", (), taggable=True, located=True),
    "azure-native:network:FlowLog": ArmType("Microsoft.Network/networkWatchers/flowLogs", "2024-05-01", "flowLogName", ('networkWatcherName',), taggable=True, located=True),
    "azure-native:network:DdosProtectionPlan": ArmType("Microsoft.Network/ddosProtectionPlans", "2024-05-01", "ddosProtectionPlanName", (), taggable=True, located=True),
    "azure-native:privatedns:PrivateZone": ArmType("Microsoft.Network/privateDnsZones", "2024-06-01", "privateZoneName", (), taggable=True, located=True),
    "azure-native:privatedns:VirtualNetworkLink": ArmType("Microsoft.Network/privateDnsZones/virtualNetworkLinks", "2024-06-01", "virtualNetworkLinkName", ('privateZoneName',), taggable=True, located=True),
    "azure-native:web:AppServicePlan": ArmType("Microsoft.Web/serverfarms", "2025-05-01", "name", (), taggable=True, located=True),
    "azure-native:web:WebApp": ArmType("Microsoft.Web/sites", "2025-05-01", "name", (), taggable=True, located=True),
    "azure-native:web:WebAppSlot": ArmType("Microsoft.Web/sites/slots", "2025-05-01", "slot", ('name',), taggable=True, located=True),
    "azure-native:dbforpostgresql:Server": ArmType("Microsoft.DBforPostgreSQL/flexibleServers", "2025-08-01", "serverName", (), taggable=True, located=True),
    "azure-native:dbforpostgresql:Database": ArmType("Microsoft.DBforPostgreSQL/flexibleServers/databases", "2025-08-01", "databaseName", ('serverName',), taggable=False, located=False),
    "azure-native:dbforpostgresql:FirewallRule": ArmType("Microsoft.DBforPostgreSQL/flexibleServers/firewallRules", "2025-08-01", "firewallRuleName", ('serverName',), taggable=False, located=False),
    "azure-native:dbforpostgresql:Configuration": ArmType("Microsoft.DBforPostgreSQL/flexibleServers/configurations", "2025-08-01", "configurationName", ('serverName',), taggable=False, located=False),
    "azure-native:dbforpostgresql:Administrator": ArmType("Microsoft.DBforPostgreSQL/flexibleServers/administrators", "2025-01-01-preview", "objectId", ('serverName',), taggable=False, located=False),
    "azure-native:dbformysql:Server": ArmType("Microsoft.DBforMySQL/flexibleServers", "2024-02-01-preview", "serverName", (), taggable=True, located=True),
    "azure-native:sql:Server": ArmType("Microsoft.Sql/servers", "2023-08-01", "serverName", (), taggable=True, located=True),
    "azure-native:sql:Database": ArmType("Microsoft.Sql/servers/databases", "2023-08-01", "databaseName", ('serverName',), taggable=True, located=True),
    "azure-native:sql:FirewallRule": ArmType("Microsoft.Sql/servers/firewallRules", "2023-08-01", "firewallRuleName", ('serverName',), taggable=False, located=False),
    "azure-native:sql:ServerBlobAuditingPolicy": ArmType("Microsoft.Sql/servers/auditingSettings", "2023-08-01", "blobAuditingPolicyName", ('serverName',), taggable=False, located=False),
    "azure-native:sql:ServerSecurityAlertPolicy": ArmType("Microsoft.Sql/servers/securityAlertPolicies", "2023-08-01", "securityAlertPolicyName", ('serverName',), taggable=False, located=False),
    "azure-native:sql:DatabaseBlobAuditingPolicy": ArmType("Microsoft.Sql/servers/databases/auditingSettings", "2023-08-01", "blobAuditingPolicyName", ('serverName', 'databaseName'), taggable=False, located=False),
    "azure-native:operationalinsights:Workspace": ArmType("Microsoft.OperationalInsights/workspaces", "2023-09-01", "workspaceName", (), taggable=True, located=True),
    "azure-native:monitor:DiagnosticSetting": ArmType("Microsoft.Insights/diagnosticSettings", "2021-05-01-preview", "name", (), taggable=False, located=False),
    "azure-native:monitor:ActionGroup": ArmType("Microsoft.Insights/actionGroups", "2024-10-01-preview", "actionGroupName", (), taggable=True, located=True),
    "azure-native:applicationinsights:Component": ArmType("Microsoft.Insights/components", "2020-02-02", "resourceName", (), taggable=True, located=True),
    "azure-native:containerregistry:Registry": ArmType("Microsoft.ContainerRegistry/registries", "2023-01-01-preview", "registryName", (), taggable=True, located=True),
    "azure-native:containerservice:ManagedCluster": ArmType("Microsoft.ContainerService/managedClusters", "2025-09-01", "resourceName", (), taggable=True, located=True),
    "azure-native:containerservice:AgentPool": ArmType("Microsoft.ContainerService/managedClusters/agentPools", "2025-09-01", "agentPoolName", ('resourceName',), taggable=True, located=False),
    "azure-native:cosmosdb:DatabaseAccount": ArmType("Microsoft.DocumentDB/databaseAccounts", "2025-10-15", "accountName", (), taggable=True, located=True),
    "azure-native:eventhub:Namespace": ArmType("Microsoft.EventHub/namespaces", "2024-01-01", "namespaceName", (), taggable=True, located=True),
    "azure-native:servicebus:Namespace": ArmType("Microsoft.ServiceBus/namespaces", "2024-01-01", "namespaceName", (), taggable=True, located=True),
    "azure-native:redis:Redis": ArmType("Microsoft.Cache/redis", "2024-11-01", "name", (), taggable=True, located=True),
    "azure-native:datafactory:Factory": ArmType("Microsoft.DataFactory/factories", "2018-06-01", "factoryName", (), taggable=True, located=True),
    "azure-native:synapse:Workspace": ArmType("Microsoft.Synapse/workspaces", "2021-06-01", "workspaceName", (), taggable=True, located=True),
    "azure-native:databricks:Workspace": ArmType("Microsoft.Databricks/workspaces", "2026-01-01", "workspaceName", (), taggable=True, located=True),
    "azure-native:managedidentity:UserAssignedIdentity": ArmType("Microsoft.ManagedIdentity/userAssignedIdentities", "2023-01-31", "resourceName", (), taggable=True, located=True),
    "azure-native:authorization:RoleAssignment": ArmType("Microsoft.Authorization/roleAssignments", "2022-04-01", "roleAssignmentName", (), taggable=False, located=False),
    "azure-native:compute:VirtualMachine": ArmType("Microsoft.Compute/virtualMachines", "2024-11-01", "vmName", (), taggable=True, located=True),
    "azure-native:compute:Disk": ArmType("Microsoft.Compute/disks", "2024-03-02", "diskName", (), taggable=True, located=True),
    "azure-native:cognitiveservices:Account": ArmType("Microsoft.CognitiveServices/accounts", "2025-06-01", "accountName", (), taggable=True, located=True),
    "azure-native:apimanagement:ApiManagementService": ArmType("Microsoft.ApiManagement/service", "2024-05-01", "serviceName", (), taggable=True, located=True),
    "azure-native:app:ManagedEnvironment": ArmType("Microsoft.App/managedEnvironments", "2025-02-02-preview", "environmentName", (), taggable=True, located=True),
    "azure-native:app:ContainerApp": ArmType("Microsoft.App/containerApps", "2025-02-02-preview", "containerAppName", (), taggable=True, located=True),
    "azure-native:security:Pricing": ArmType("Microsoft.Security/pricings", "2024-01-01", "pricingName", (), taggable=False, located=False),
    "azure-native:recoveryservices:Vault": ArmType("Microsoft.RecoveryServices/vaults", "2024-10-01", "vaultName", (), taggable=True, located=True),
    "azure-native:search:Service": ArmType("Microsoft.Search/searchServices", "2025-05-01", "searchServiceName", (), taggable=True, located=True),
    "azure-native:eventgrid:Topic": ArmType("Microsoft.EventGrid/topics", "2025-02-15", "topicName", (), taggable=True, located=True),
    "azure-native:authorization:PolicyAssignment": ArmType("Microsoft.Authorization/policyAssignments", "2025-01-01", "policyAssignmentName", (), taggable=False, located=True),
    "azure-native:authorization:PolicyDefinition": ArmType("Microsoft.Authorization/policyDefinitions", "2025-01-01", "policyDefinitionName", (), taggable=False, located=False),
    "azure-native:authorization:PolicySetDefinition": ArmType("Microsoft.Authorization/policySetDefinitions", "2025-01-01", "policySetDefinitionName", (), taggable=False, located=False),
    "azure-native:authorization:RoleDefinition": ArmType("Microsoft.Authorization/roleDefinitions", "2022-05-01-preview", "roleDefinitionId", (), taggable=False, located=False),
    "azure-native:authorization:ManagementLockAtResourceGroupLevel": ArmType("Microsoft.Authorization/locks", "2020-05-01", "lockName", (), taggable=False, located=False),
    "azure-native:network:ApplicationSecurityGroup": ArmType("Microsoft.Network/applicationSecurityGroups", "2024-05-01", "applicationSecurityGroupName", (), taggable=True, located=True),
    "azure-native:network:PrivateLinkService": ArmType("Microsoft.Network/privateLinkServices", "2024-05-01", "serviceName", (), taggable=True, located=True),
    "azure-native:network:VirtualNetworkGateway": ArmType("Microsoft.Network/virtualNetworkGateways", "2024-05-01", "virtualNetworkGatewayName", (), taggable=True, located=True),
    "azure-native:privatedns:PrivateRecordSet": ArmType("Microsoft.Network/privateDnsZones/A", "2024-06-01", "relativeRecordSetName", ('privateZoneName',), taggable=False, located=False),
    "azure-native:storage:BlobServiceProperties": ArmType("Microsoft.Storage/storageAccounts/blobServices", "2024-01-01", "blobServicesName", ('accountName',), taggable=False, located=False),
    "azure-native:monitor:MetricAlert": ArmType("Microsoft.Insights/metricAlerts", "2018-03-01", "ruleName", (), taggable=True, located=True),
    "azure-native:monitor:ScheduledQueryRule": ArmType("Microsoft.Insights/scheduledQueryRules", "2025-01-01-preview", "ruleName", (), taggable=True, located=True),
    "azure-native:monitor:DataCollectionRule": ArmType("Microsoft.Insights/dataCollectionRules", "2022-06-01", "dataCollectionRuleName", (), taggable=True, located=True),
    "azure-native:dataprotection:BackupVault": ArmType("Microsoft.DataProtection/backupVaults", "2025-01-01", "vaultName", (), taggable=True, located=True),
    "azure-native:servicebus:Queue": ArmType("Microsoft.ServiceBus/namespaces/queues", "2024-01-01", "queueName", ('namespaceName',), taggable=False, located=False),
    "azure-native:eventhub:EventHub": ArmType("Microsoft.EventHub/namespaces/eventhubs", "2024-01-01", "eventHubName", ('namespaceName',), taggable=False, located=False),
    "azure-native:sql:ServerAzureADAdministrator": ArmType("Microsoft.Sql/servers/administrators", "2023-08-01", "administratorName", ('serverName',), taggable=False, located=False),
    "azure-native:cdn:Profile": ArmType("Microsoft.Cdn/profiles", "2025-06-01", "profileName", (), taggable=True, located=True),
    "azure-native:dns:Zone": ArmType("Microsoft.Network/dnsZones", "2023-07-01-preview", "zoneName", (), taggable=True, located=True),
}
TYPE_TABLE["azure-native:insights:DiagnosticSetting"] = TYPE_TABLE["azure-native:monitor:DiagnosticSetting"]

ARM_TYPES: dict[str, ArmType] = {}
for _entry in TYPE_TABLE.values():
    ARM_TYPES.setdefault(_entry.type.lower(), _entry)

TOP_LEVEL_KEYS = ("location", "tags", "sku", "kind", "identity", "zones", "extendedLocation", "plan")
"""Inputs that sit beside ``properties`` in ARM rather than inside it."""

SCOPE_KEYS: dict[str, str] = {
    "Microsoft.Insights/diagnosticSettings": "resourceUri",
    "Microsoft.Authorization/roleAssignments": "scope",
    "Microsoft.Authorization/policyAssignments": "scope",
    "Microsoft.Security/pricings": "scopeId",
}
"""Extension resources: the input that names the resource they attach to (ARM ``scope``)."""

RENAMES: dict[str, dict[str, str]] = {
    "Microsoft.Storage/storageAccounts": {
        "enableHttpsTrafficOnly": "supportsHttpsTrafficOnly",
        "networkRuleSet": "networkAcls",
    },
}
"""SDK wire name -> ARM property name, where the two differ."""

_KEY_VAULT_ATTRIBUTES = {("attributes", "expires"): "exp", ("attributes", "notBefore"): "nbf"}
NESTED_RENAMES: dict[str, dict[tuple[str, str], str]] = {
    "Microsoft.KeyVault/vaults/secrets": _KEY_VAULT_ATTRIBUTES,
    "Microsoft.KeyVault/vaults/keys": _KEY_VAULT_ATTRIBUTES,
}
"""(property, SDK name inside it) -> ARM name: Key Vault's ``attributes.expires`` is ``exp`` in ARM."""

SUBRESOURCES: dict[str, tuple[str, ...]] = {
    "Microsoft.Network/networkSecurityGroups": ("securityRules", "defaultSecurityRules"),
    "Microsoft.Network/virtualNetworks": ("subnets", "virtualNetworkPeerings"),
    "Microsoft.Network/virtualNetworks/subnets": ("delegations",),
    "Microsoft.Network/privateEndpoints": (
        "privateLinkServiceConnections", "manualPrivateLinkServiceConnections", "ipConfigurations",
    ),
    "Microsoft.Network/privateEndpoints/privateDnsZoneGroups": ("privateDnsZoneConfigs",),
    "Microsoft.Network/networkInterfaces": ("ipConfigurations",),
    "Microsoft.Network/routeTables": ("routes",),
    "Microsoft.Network/azureFirewalls": ("ipConfigurations",),
    "Microsoft.Network/bastionHosts": ("ipConfigurations",),
    "Microsoft.Network/loadBalancers": (
        "frontendIPConfigurations", "backendAddressPools", "loadBalancingRules", "probes", "inboundNatRules",
    ),
    "Microsoft.Network/applicationGateways": (
        "gatewayIPConfigurations", "frontendIPConfigurations", "frontendPorts", "backendAddressPools",
        "backendHttpSettingsCollection", "httpListeners", "requestRoutingRules", "probes", "sslCertificates",
    ),
}
"""Flattened sub-resources (lists of ``{name, ...}``) that ARM nests as ``{name, properties}``.

A sub-resource list's items take the sub-type ``<type>/<key>`` for their own nesting
(``subnets`` inside a virtual network get the subnet rules)."""

SUBRESOURCE_TYPES: dict[tuple[str, str], str] = {
    ("Microsoft.Network/virtualNetworks", "subnets"): "Microsoft.Network/virtualNetworks/subnets",
}

NESTED_CHILDREN: dict[str, tuple[str, ...]] = {
    "Microsoft.Sql/servers": (
        "Microsoft.Sql/servers/auditingSettings",
        "Microsoft.Sql/servers/firewallRules",
        "Microsoft.Sql/servers/securityAlertPolicies",
    ),
    "Microsoft.Sql/servers/databases": ("Microsoft.Sql/servers/databases/auditingSettings",),
}
"""Child resources that checks look for in the parent's ``resources`` list (e.g. CKV_AZURE_23
reads a SQL server's auditing settings there), so they are rendered nested, not beside it."""

SUB_RESOURCE_PASSTHROUGH_KEYS = ("name", "id", "etag", "type")
