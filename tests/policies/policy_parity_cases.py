"""For every built-in checkov check the baseline relies on: a Pulumi resource (wire-name inputs,
as synthesis records them) that passes and one that fails, each beside the ARM a person would
write by hand for the same settings. Rendering is right when checkov gives both the same result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policy_builders import TAGS


@dataclass
class Case:
    logical: str
    token: str
    inputs: dict[str, Any]
    arm: dict[str, Any]
    passes: list[str] = field(default_factory=list)
    fails: list[str] = field(default_factory=list)


def arm(type_: str, name: str, api: str, properties: dict[str, Any], **top: Any) -> dict[str, Any]:
    located = not type_.count("/") > 1
    resource = {"type": type_, "apiVersion": api, "name": name, "properties": properties, **top}
    if located and "location" not in top:
        resource["location"] = "uksouth"
        resource.setdefault("tags", dict(TAGS))
    return resource


SUBSCRIPTION_TENANT = "11111111-1111-1111-1111-111111111111"
COSMOS_LOCATIONS = [{"locationName": "uksouth", "failoverPriority": 0}]
SA = "Microsoft.Storage/storageAccounts"
KV = "Microsoft.KeyVault/vaults"
WEB = "Microsoft.Web/sites"
NSG = "Microsoft.Network/networkSecurityGroups"

GOOD_SITE_CONFIG = {"minTlsVersion": "1.2", "http20Enabled": True, "ftpsState": "Disabled", "remoteDebuggingEnabled": False,
                    "healthCheckPath": "/health", "cors": {"allowedOrigins": ["https://www.example.gov.uk"]}}
BAD_SITE_CONFIG = {"minTlsVersion": "1.0", "http20Enabled": False, "ftpsState": "AllAllowed", "remoteDebuggingEnabled": True,
                   "cors": {"allowedOrigins": ["*"]}}
GOOD_RULE = {"protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": 100,
             "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "*",
             "destinationPortRange": "443"}


def _open_rule(name: str, port: str, priority: int) -> dict[str, Any]:
    return {"name": name, "protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": priority,
            "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": port}


def _wrapped(rule: dict[str, Any]) -> dict[str, Any]:
    return {"name": rule["name"], "properties": {k: v for k, v in rule.items() if k != "name"}}


BAD_RULES = [_open_rule("ssh", "22", 100), _open_rule("rdp", "3389", 110), _open_rule("http", "80", 120)]
VM_GOOD_OS = {"computerName": "vm1", "adminUsername": "azureuser",
              "linuxConfiguration": {"disablePasswordAuthentication": True,
                                     "ssh": {"publicKeys": [{"path": "/home/azureuser/.ssh/authorized_keys",
                                                             "keyData": "ssh-rsa AAAA"}]}}}
VM_BAD_OS = {"computerName": "vm2", "adminUsername": "azureuser", "adminPassword": "[secret]",
             "linuxConfiguration": {"disablePasswordAuthentication": False},
             "customData": "export AZURE_CLIENT_SECRET=1a2b-3c4d-5e6f-7a8b-9c0d1e2f3a4b"}

CASES: list[Case] = [
    Case("st-good", "storage:StorageAccount",
         dict(accountName="stgood", kind="StorageV2", sku={"name": "Standard_GRS"}, enableHttpsTrafficOnly=True,
              minimumTlsVersion="TLS1_2", networkRuleSet={"defaultAction": "Deny", "bypass": "AzureServices"},
              publicNetworkAccess="Disabled", allowSharedKeyAccess=False, allowBlobPublicAccess=False),
         arm(SA, "stgood", "2024-01-01", {"supportsHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2",
                                           "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"},
                                           "publicNetworkAccess": "Disabled", "allowSharedKeyAccess": False,
                                           "allowBlobPublicAccess": False},
             kind="StorageV2", sku={"name": "Standard_GRS"}),
         passes=["CKV_AZURE_3", "CKV_AZURE_35", "CKV_AZURE_36", "CKV_AZURE_44", "CKV_AZURE_59", "CKV_AZURE_206"]),
    Case("st-open", "storage:StorageAccount",
         dict(accountName="stopen", kind="StorageV2", sku={"name": "Standard_LRS"}, enableHttpsTrafficOnly=False,
              minimumTlsVersion="TLS1_0", networkRuleSet={"defaultAction": "Allow"}, publicNetworkAccess="Enabled"),
         arm(SA, "stopen", "2024-01-01", {"supportsHttpsTrafficOnly": False, "minimumTlsVersion": "TLS1_0",
                                           "networkAcls": {"defaultAction": "Allow"}, "publicNetworkAccess": "Enabled"},
             kind="StorageV2", sku={"name": "Standard_LRS"}),
         fails=["CKV_AZURE_3", "CKV_AZURE_35", "CKV_AZURE_44", "CKV_AZURE_59", "CKV_AZURE_206"]),
    Case("st-nobypass", "storage:StorageAccount",
         dict(accountName="stnobypass", kind="StorageV2", sku={"name": "Standard_GRS"},
              networkRuleSet={"defaultAction": "Deny", "bypass": "None"}),
         arm(SA, "stnobypass", "2024-01-01", {"networkAcls": {"defaultAction": "Deny", "bypass": "None"}},
             kind="StorageV2", sku={"name": "Standard_GRS"}),
         fails=["CKV_AZURE_36"]),
    Case("container-good", "storage:BlobContainer",
         dict(accountName="stgood", containerName="reports", publicAccess="None"),
         arm(f"{SA}/blobServices/containers", "stgood/default/reports", "2024-01-01", {"publicAccess": "None"}),
         passes=["CKV_AZURE_34"]),
    Case("container-public", "storage:BlobContainer",
         dict(accountName="stgood", containerName="public", publicAccess="Blob"),
         arm(f"{SA}/blobServices/containers", "stgood/default/public", "2024-01-01", {"publicAccess": "Blob"}),
         fails=["CKV_AZURE_34"]),
    Case("kv-good", "keyvault:Vault",
         dict(vaultName="kv-good", properties={"tenantId": SUBSCRIPTION_TENANT, "sku": {"family": "A", "name": "standard"},
                                               "enableRbacAuthorization": True, "enableSoftDelete": True,
                                               "enablePurgeProtection": True, "publicNetworkAccess": "Disabled",
                                               "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}}),
         arm(KV, "kv-good", "2024-11-01", {"tenantId": SUBSCRIPTION_TENANT, "sku": {"family": "A", "name": "standard"},
                                           "enableRbacAuthorization": True, "enableSoftDelete": True,
                                           "enablePurgeProtection": True, "publicNetworkAccess": "Disabled",
                                           "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}}),
         passes=["CKV_AZURE_42", "CKV_AZURE_109", "CKV_AZURE_110", "CKV_AZURE_111"]),
    Case("kv-open", "keyvault:Vault",
         dict(vaultName="kv-open", properties={"tenantId": SUBSCRIPTION_TENANT, "sku": {"family": "A", "name": "standard"},
                                               "enableSoftDelete": False, "networkAcls": {"defaultAction": "Allow"}}),
         arm(KV, "kv-open", "2024-11-01", {"tenantId": SUBSCRIPTION_TENANT, "sku": {"family": "A", "name": "standard"},
                                           "enableSoftDelete": False, "networkAcls": {"defaultAction": "Allow"}}),
         fails=["CKV_AZURE_42", "CKV_AZURE_109", "CKV_AZURE_110", "CKV_AZURE_111"]),
    Case("secret-good", "keyvault:Secret",
         dict(vaultName="kv-good", secretName="db-password",
              properties={"value": "[secret]", "contentType": "text/plain", "attributes": {"expires": 1893456000}}),
         arm(f"{KV}/secrets", "kv-good/db-password", "2024-11-01",
             {"value": "[secret]", "contentType": "text/plain", "attributes": {"exp": 1893456000}}),
         passes=["CKV_AZURE_41", "CKV_AZURE_114"]),
    Case("secret-bad", "keyvault:Secret",
         dict(vaultName="kv-good", secretName="api-key", properties={"value": "[secret]"}),
         arm(f"{KV}/secrets", "kv-good/api-key", "2024-11-01", {"value": "[secret]"}),
         fails=["CKV_AZURE_41", "CKV_AZURE_114"]),
    Case("key-good", "keyvault:Key",
         dict(vaultName="kv-good", keyName="cmk", properties={"kty": "RSA", "keySize": 4096,
                                                                "rotationPolicy": {"attributes": {"expiryTime": "P2Y"}}}),
         arm(f"{KV}/keys", "kv-good/cmk", "2024-11-01", {"kty": "RSA", "keySize": 4096,
                                                          "rotationPolicy": {"attributes": {"expiryTime": "P2Y"}}}),
         passes=["CKV_AZURE_40"]),
    Case("key-bad", "keyvault:Key",
         dict(vaultName="kv-good", keyName="old", properties={"kty": "RSA"}),
         arm(f"{KV}/keys", "kv-good/old", "2024-11-01", {"kty": "RSA"}),
         fails=["CKV_AZURE_40"]),
    Case("app-good", "web:WebApp",
         dict(name="app-good", serverFarmId="/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan",
              httpsOnly=True, identity={"type": "SystemAssigned"}, siteConfig=GOOD_SITE_CONFIG),
         arm(WEB, "app-good", "2024-04-01",
             {"serverFarmId": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan",
              "httpsOnly": True, "siteConfig": GOOD_SITE_CONFIG}, identity={"type": "SystemAssigned"}),
         passes=["CKV_AZURE_14", "CKV_AZURE_15", "CKV_AZURE_18", "CKV_AZURE_57", "CKV_AZURE_71", "CKV_AZURE_72",
                 "CKV_AZURE_78", "CKV_AZURE_213"]),
    Case("app-bad", "web:WebApp",
         dict(name="app-bad", httpsOnly=False, siteConfig=BAD_SITE_CONFIG),
         arm(WEB, "app-bad", "2024-04-01", {"httpsOnly": False, "siteConfig": BAD_SITE_CONFIG}),
         fails=["CKV_AZURE_14", "CKV_AZURE_15", "CKV_AZURE_18", "CKV_AZURE_57", "CKV_AZURE_71", "CKV_AZURE_72",
                "CKV_AZURE_78", "CKV_AZURE_213"]),
    Case("nsg-good", "network:NetworkSecurityGroup",
         dict(networkSecurityGroupName="nsg-good", securityRules=[{"name": "https-from-vnet", **GOOD_RULE}]),
         arm(NSG, "nsg-good", "2024-05-01", {"securityRules": [_wrapped({"name": "https-from-vnet", **GOOD_RULE})]}),
         passes=["CKV_AZURE_9", "CKV_AZURE_10", "CKV_AZURE_160"]),
    Case("nsg-open", "network:NetworkSecurityGroup",
         dict(networkSecurityGroupName="nsg-open", securityRules=BAD_RULES),
         arm(NSG, "nsg-open", "2024-05-01", {"securityRules": [_wrapped(r) for r in BAD_RULES]}),
         fails=["CKV_AZURE_9", "CKV_AZURE_10", "CKV_AZURE_160"]),
    Case("rule-open", "network:SecurityRule",
         dict(networkSecurityGroupName="nsg-good", **_open_rule("ssh-anywhere", "22", 200)),
         arm(f"{NSG}/securityRules", "nsg-good/ssh-anywhere", "2024-05-01",
             _wrapped(_open_rule("ssh-anywhere", "22", 200))["properties"]),
         fails=["CKV_AZURE_10"]),
    Case("sql-good", "sql:Server",
         dict(serverName="sql-good", minimalTlsVersion="1.2", publicNetworkAccess="Disabled", version="12.0"),
         arm("Microsoft.Sql/servers", "sql-good", "2023-08-01",
             {"minimalTlsVersion": "1.2", "publicNetworkAccess": "Disabled", "version": "12.0"},
             resources=[
                 {"type": "auditingSettings", "apiVersion": "2023-08-01", "name": "default",
                  "properties": {"state": "Enabled", "retentionDays": 90, "isAzureMonitorTargetEnabled": True}},
                 {"type": "firewallRules", "apiVersion": "2023-08-01", "name": "office",
                  "properties": {"startIpAddress": "10.1.0.1", "endIpAddress": "10.1.0.9"}},
             ]),
         passes=["CKV_AZURE_11", "CKV_AZURE_23", "CKV_AZURE_24", "CKV_AZURE_52", "CKV_AZURE_113"]),
    Case("sql-good-audit", "sql:ServerBlobAuditingPolicy",
         dict(serverName="sql-good", blobAuditingPolicyName="default", state="Enabled", retentionDays=90,
              isAzureMonitorTargetEnabled=True), {}),
    Case("sql-good-office", "sql:FirewallRule",
         dict(serverName="sql-good", firewallRuleName="office", startIpAddress="10.1.0.1", endIpAddress="10.1.0.9"), {}),
    Case("sql-open", "sql:Server",
         dict(serverName="sql-open", minimalTlsVersion="1.0", publicNetworkAccess="Enabled", version="12.0"),
         arm("Microsoft.Sql/servers", "sql-open", "2023-08-01",
             {"minimalTlsVersion": "1.0", "publicNetworkAccess": "Enabled", "version": "12.0"},
             resources=[{"type": "Microsoft.Sql/servers/firewallRules", "apiVersion": "2023-08-01",
                         "name": "sql-open/anywhere",
                         "properties": {"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}}]),
         fails=["CKV_AZURE_11", "CKV_AZURE_23", "CKV_AZURE_24", "CKV_AZURE_52", "CKV_AZURE_113"]),
    Case("sql-open-anywhere", "sql:FirewallRule",
         dict(serverName="sql-open", firewallRuleName="anywhere", startIpAddress="0.0.0.0",
              endIpAddress="255.255.255.255"), {}),
    Case("mysql-good", "dbformysql:Server",
         dict(serverName="mysql-good", version="8.0.21", network={"publicNetworkAccess": "Disabled"}),
         arm("Microsoft.DBforMySQL/flexibleServers", "mysql-good", "2023-12-30",
             {"version": "8.0.21", "network": {"publicNetworkAccess": "Disabled"}}),
         passes=["CKV_AZURE_53"]),
    Case("mysql-open", "dbformysql:Server",
         dict(serverName="mysql-open", version="8.0.21", network={"publicNetworkAccess": "Enabled"}),
         arm("Microsoft.DBforMySQL/flexibleServers", "mysql-open", "2023-12-30",
             {"version": "8.0.21", "network": {"publicNetworkAccess": "Enabled"}}),
         fails=["CKV_AZURE_53"]),
    Case("acr-good", "containerregistry:Registry",
         dict(registryName="acrgood", sku={"name": "Premium"}, adminUserEnabled=False, anonymousPullEnabled=False,
              publicNetworkAccess="Disabled"),
         arm("Microsoft.ContainerRegistry/registries", "acrgood", "2023-07-01",
             {"adminUserEnabled": False, "anonymousPullEnabled": False, "publicNetworkAccess": "Disabled"},
             sku={"name": "Premium"}),
         passes=["CKV_AZURE_137", "CKV_AZURE_138", "CKV_AZURE_139"]),
    Case("acr-open", "containerregistry:Registry",
         dict(registryName="acropen", sku={"name": "Standard"}, adminUserEnabled=True, anonymousPullEnabled=True,
              publicNetworkAccess="Enabled"),
         arm("Microsoft.ContainerRegistry/registries", "acropen", "2023-07-01",
             {"adminUserEnabled": True, "anonymousPullEnabled": True, "publicNetworkAccess": "Enabled"},
             sku={"name": "Standard"}),
         fails=["CKV_AZURE_137", "CKV_AZURE_138", "CKV_AZURE_139"]),
    Case("aks-good", "containerservice:ManagedCluster",
         dict(resourceName="aks-good", enableRBAC=True, disableLocalAccounts=True,
              addonProfiles={"omsagent": {"enabled": True}, "kubeDashboard": {"enabled": False}},
              apiServerAccessProfile={"authorizedIPRanges": ["10.0.0.0/16"]},
              networkProfile={"networkPlugin": "azure", "networkPolicy": "azure"}),
         arm("Microsoft.ContainerService/managedClusters", "aks-good", "2024-10-01",
             {"enableRBAC": True, "disableLocalAccounts": True,
              "addonProfiles": {"omsagent": {"enabled": True}, "kubeDashboard": {"enabled": False}},
              "apiServerAccessProfile": {"authorizedIPRanges": ["10.0.0.0/16"]},
              "networkProfile": {"networkPlugin": "azure", "networkPolicy": "azure"}}),
         passes=["CKV_AZURE_4", "CKV_AZURE_5", "CKV_AZURE_6", "CKV_AZURE_7", "CKV_AZURE_8", "CKV_AZURE_141"]),
    Case("aks-open", "containerservice:ManagedCluster",
         dict(resourceName="aks-open", enableRBAC=False, disableLocalAccounts=False,
              networkProfile={"networkPlugin": "kubenet"}),
         arm("Microsoft.ContainerService/managedClusters", "aks-open", "2024-10-01",
             {"enableRBAC": False, "disableLocalAccounts": False, "networkProfile": {"networkPlugin": "kubenet"}}),
         fails=["CKV_AZURE_4", "CKV_AZURE_5", "CKV_AZURE_6", "CKV_AZURE_7", "CKV_AZURE_8", "CKV_AZURE_141"]),
    Case("cosmos-good", "cosmosdb:DatabaseAccount",
         dict(accountName="cosmos-good", kind="GlobalDocumentDB", databaseAccountOfferType="Standard", locations=COSMOS_LOCATIONS, publicNetworkAccess="Disabled",
              disableLocalAuth=True, isVirtualNetworkFilterEnabled=True,
              virtualNetworkRules=[{"id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"}]),
         arm("Microsoft.DocumentDB/databaseAccounts", "cosmos-good", "2024-11-15",
             {"databaseAccountOfferType": "Standard", "locations": COSMOS_LOCATIONS, "publicNetworkAccess": "Disabled",
              "disableLocalAuth": True,
              "isVirtualNetworkFilterEnabled": True,
              "virtualNetworkRules": [{"id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"}]},
             kind="GlobalDocumentDB"),
         passes=["CKV_AZURE_99", "CKV_AZURE_101", "CKV_AZURE_140"]),
    Case("cosmos-open", "cosmosdb:DatabaseAccount",
         dict(accountName="cosmos-open", kind="GlobalDocumentDB", databaseAccountOfferType="Standard", locations=COSMOS_LOCATIONS, publicNetworkAccess="Enabled",
              disableLocalAuth=False),
         arm("Microsoft.DocumentDB/databaseAccounts", "cosmos-open", "2024-11-15",
             {"databaseAccountOfferType": "Standard", "locations": COSMOS_LOCATIONS, "publicNetworkAccess": "Enabled",
              "disableLocalAuth": False},
             kind="GlobalDocumentDB"),
         fails=["CKV_AZURE_99", "CKV_AZURE_101", "CKV_AZURE_140"]),
]
def _simple(token: str, arm_type: str, api: str, name_key: str, name: str, good: dict[str, Any], bad: dict[str, Any],
            checks: list[str], top: dict[str, Any] | None = None, path: dict[str, Any] | None = None) -> list[Case]:
    """``top``: ARM top-level keys (same name in Pulumi); ``path``: Pulumi-only path parameters."""
    top, path = top or {}, path or {}
    return [
        Case(f"{name}-good", token, {name_key: f"{name}-good", **path, **top, **good},
             arm(arm_type, f"{name}-good", api, dict(good), **top), passes=checks),
        Case(f"{name}-bad", token, {name_key: f"{name}-bad", **path, **top, **bad},
             arm(arm_type, f"{name}-bad", api, dict(bad), **top), fails=checks),
    ]


CASES += _simple("redis:Redis", "Microsoft.Cache/redis", "2024-11-01", "name", "redis",
                 {"publicNetworkAccess": "Disabled"}, {"publicNetworkAccess": "Enabled"}, ["CKV_AZURE_89"],
                 top={"sku": {"name": "Premium", "family": "P", "capacity": 1}})
CASES += _simple("datafactory:Factory", "Microsoft.DataFactory/factories", "2018-06-01", "factoryName", "adf",
                 {"publicNetworkAccess": "Disabled"}, {"publicNetworkAccess": "Enabled"}, ["CKV_AZURE_104"])
CASES += _simple("eventhub:Namespace", "Microsoft.EventHub/namespaces", "2024-01-01", "namespaceName", "evh",
                 {"minimumTlsVersion": "1.2"}, {"minimumTlsVersion": "1.0"}, ["CKV_AZURE_223"])
CASES += _simple("eventgrid:Topic", "Microsoft.EventGrid/topics", "2025-02-15", "topicName", "egt",
                 {"publicNetworkAccess": "Disabled", "disableLocalAuth": True},
                 {"publicNetworkAccess": "Enabled", "disableLocalAuth": False}, ["CKV_AZURE_192", "CKV_AZURE_193"])
CASES += _simple("apimanagement:ApiManagementService", "Microsoft.ApiManagement/service", "2022-08-01", "serviceName", "apim",
                 {"publisherEmail": "a@example.gov.uk", "publisherName": "Council", "publicNetworkAccess": "Disabled"},
                 {"publisherEmail": "a@example.gov.uk", "publisherName": "Council", "publicNetworkAccess": "Enabled",
                  "customProperties": {"Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10": "True"}},
                 ["CKV_AZURE_173", "CKV_AZURE_174"], top={"sku": {"name": "Developer", "capacity": 1}})
CASES += _simple("compute:Disk", "Microsoft.Compute/disks", "2024-03-02", "diskName", "disk",
                 {"creationData": {"createOption": "Empty"}, "diskSizeGB": 64,
                  "encryption": {"type": "EncryptionAtRestWithPlatformKey"}},
                 {"creationData": {"createOption": "Empty"}, "diskSizeGB": 64}, ["CKV_AZURE_2"])
CASES += _simple("security:Pricing", "Microsoft.Security/pricings", "2024-01-01", "pricingName", "pricing",
                 {"pricingTier": "Standard"}, {"pricingTier": "Free"}, ["CKV_AZURE_19", "CKV_AZURE_84"],
                 path={"scopeId": "subscriptions/00000000-0000-0000-0000-000000000000"})
CASES += [
    Case("cog-good", "cognitiveservices:Account",
         dict(accountName="cog-good", kind="TextAnalytics", sku={"name": "S"},
              properties={"publicNetworkAccess": "Disabled", "disableLocalAuth": True}),
         arm("Microsoft.CognitiveServices/accounts", "cog-good", "2024-10-01",
             {"publicNetworkAccess": "Disabled", "disableLocalAuth": True}, kind="TextAnalytics", sku={"name": "S"}),
         passes=["CKV_AZURE_134", "CKV_AZURE_236"]),
    Case("cog-bad", "cognitiveservices:Account",
         dict(accountName="cog-bad", kind="TextAnalytics", sku={"name": "S"},
              properties={"publicNetworkAccess": "Enabled", "disableLocalAuth": False}),
         arm("Microsoft.CognitiveServices/accounts", "cog-bad", "2024-10-01",
             {"publicNetworkAccess": "Enabled", "disableLocalAuth": False}, kind="TextAnalytics", sku={"name": "S"}),
         fails=["CKV_AZURE_134", "CKV_AZURE_236"]),
    Case("vm-good", "compute:VirtualMachine",
         dict(vmName="vm-good", hardwareProfile={"vmSize": "Standard_B2s"}, osProfile=VM_GOOD_OS,
              storageProfile={"osDisk": {"createOption": "FromImage", "managedDisk": {"storageAccountType": "Premium_LRS"}}}),
         arm("Microsoft.Compute/virtualMachines", "vm-good", "2024-11-01",
             {"hardwareProfile": {"vmSize": "Standard_B2s"}, "osProfile": VM_GOOD_OS,
              "storageProfile": {"osDisk": {"createOption": "FromImage", "managedDisk": {"storageAccountType": "Premium_LRS"}}}}),
         passes=["CKV_AZURE_1", "CKV_AZURE_45", "CKV_AZURE_92", "CKV_AZURE_149", "CKV_AZURE_178"]),
    Case("vm-bad", "compute:VirtualMachine",
         dict(vmName="vm-bad", hardwareProfile={"vmSize": "Standard_B2s"}, osProfile=VM_BAD_OS,
              storageProfile={"osDisk": {"createOption": "FromImage", "name": "os",
                                         "vhd": {"uri": "https://st.blob.core.windows.net/vhds/os.vhd"}}}),
         arm("Microsoft.Compute/virtualMachines", "vm-bad", "2024-11-01",
             {"hardwareProfile": {"vmSize": "Standard_B2s"}, "osProfile": VM_BAD_OS,
              "storageProfile": {"osDisk": {"createOption": "FromImage", "name": "os",
                                            "vhd": {"uri": "https://st.blob.core.windows.net/vhds/os.vhd"}}}}),
         fails=["CKV_AZURE_1", "CKV_AZURE_45", "CKV_AZURE_92", "CKV_AZURE_149", "CKV_AZURE_178"]),
    Case("var-encrypted", "automation:Variable",
         dict(automationAccountName="aa-ops", variableName="var-encrypted", name="var-encrypted", isEncrypted=True, value='"x"'),
         arm("Microsoft.Automation/automationAccounts/variables", "aa-ops/var-encrypted", "2024-10-23",
             {"name": "var-encrypted", "isEncrypted": True, "value": '"x"'}),
         passes=["CKV_AZURE_73"]),
    Case("var-plain", "automation:Variable",
         dict(automationAccountName="aa-ops", variableName="var-plain", name="var-plain", isEncrypted=False, value='"x"'),
         arm("Microsoft.Automation/automationAccounts/variables", "aa-ops/var-plain", "2024-10-23",
             {"name": "var-plain", "isEncrypted": False, "value": '"x"'}),
         fails=["CKV_AZURE_73"]),
    Case("adx-encrypted", "kusto:Cluster",
         dict(clusterName="adx-encrypted", sku={"name": "Standard_E2ads_v5", "tier": "Standard"}, enableDiskEncryption=True),
         arm("Microsoft.Kusto/clusters", "adx-encrypted", "2024-04-13", {"enableDiskEncryption": True},
             sku={"name": "Standard_E2ads_v5", "tier": "Standard"}),
         passes=["CKV_AZURE_74"]),
    Case("adx-plain", "kusto:Cluster",
         dict(clusterName="adx-plain", sku={"name": "Standard_E2ads_v5", "tier": "Standard"}, enableDiskEncryption=False),
         arm("Microsoft.Kusto/clusters", "adx-plain", "2024-04-13", {"enableDiskEncryption": False},
             sku={"name": "Standard_E2ads_v5", "tier": "Standard"}),
         fails=["CKV_AZURE_74"]),
]
