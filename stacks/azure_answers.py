"""What Azure would answer: ARM ids, read-only outputs and provider functions, for the mocks.

Ids sit under one fake subscription so graphs are deterministic and look like the real thing:
``/subscriptions/0000.../resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
TENANT_ID = "11111111-1111-1111-1111-111111111111"
CLIENT_OBJECT_ID = "22222222-2222-2222-2222-222222222222"
CLIENT_ID = "33333333-3333-3333-3333-333333333333"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _plural(text: str) -> str:
    if text.endswith("y") and not text.endswith("ey"):
        return text[:-1] + "ies"
    return text if text.endswith("s") else text + "s"


# Pulumi module -> ARM namespace, where the mechanical rule (Microsoft.<Module>) is wrong.
_NAMESPACES = {
    "dbforpostgresql": "Microsoft.DBforPostgreSQL",
    "keyvault": "Microsoft.KeyVault",
    "operationalinsights": "Microsoft.OperationalInsights",
    "privatedns": "Microsoft.Network",
    "datafactory": "Microsoft.DataFactory",
    "managedidentity": "Microsoft.ManagedIdentity",
    "web": "Microsoft.Web",
    "storage": "Microsoft.Storage",
    "network": "Microsoft.Network",
    "insights": "Microsoft.Insights",
    "monitor": "Microsoft.Insights",
    "authorization": "Microsoft.Authorization",
    "resources": "Microsoft.Resources",
    "sql": "Microsoft.Sql",
    "compute": "Microsoft.Compute",
    "containerregistry": "Microsoft.ContainerRegistry",
    "cache": "Microsoft.Cache",
}
# Class -> (ARM type path under the namespace, input holding its own name).
_TYPES: dict[str, tuple[str, str]] = {
    "storage:StorageAccount": ("storageAccounts", "accountName"),
    "storage:BlobContainer": ("storageAccounts/{accountName}/blobServices/default/containers", "containerName"),
    "keyvault:Vault": ("vaults", "vaultName"),
    "keyvault:Secret": ("vaults/{vaultName}/secrets", "secretName"),
    "network:Subnet": ("virtualNetworks/{virtualNetworkName}/subnets", "subnetName"),
    "network:VirtualNetworkPeering": ("virtualNetworks/{virtualNetworkName}/virtualNetworkPeerings", "virtualNetworkPeeringName"),
    "network:PrivateDnsZoneGroup": ("privateEndpoints/{privateEndpointName}/privateDnsZoneGroups", "privateDnsZoneGroupName"),
    "privatedns:PrivateZone": ("privateDnsZones", "privateZoneName"),
    "privatedns:VirtualNetworkLink": ("privateDnsZones/{privateZoneName}/virtualNetworkLinks", "virtualNetworkLinkName"),
    "web:WebApp": ("sites", "name"),
    "web:AppServicePlan": ("serverfarms", "name"),
    "dbforpostgresql:Server": ("flexibleServers", "serverName"),
    "dbforpostgresql:Database": ("flexibleServers/{serverName}/databases", "databaseName"),
    "dbforpostgresql:Configuration": ("flexibleServers/{serverName}/configurations", "configurationName"),
    "dbforpostgresql:Administrator": ("flexibleServers/{serverName}/administrators", "objectId"),
    "operationalinsights:Workspace": ("workspaces", "workspaceName"),
    "datafactory:Factory": ("factories", "factoryName"),
    "monitor:DiagnosticSetting": ("diagnosticSettings", "name"),
    "network:PrivateEndpoint": ("privateEndpoints", "privateEndpointName"),
    "network:NetworkSecurityGroup": ("networkSecurityGroups", "networkSecurityGroupName"),
    "network:VirtualNetwork": ("virtualNetworks", "virtualNetworkName"),
    "authorization:PolicyAssignment": ("policyAssignments", "policyAssignmentName"),
    "authorization:RoleAssignment": ("roleAssignments", "roleAssignmentName"),
    "managedidentity:UserAssignedIdentity": ("userAssignedIdentities", "resourceName"),
}
_EXTENSION_SCOPE_KEYS = ("resourceUri", "scope")


@dataclass(frozen=True)
class ArmIdentity:
    arm_type: str
    name: str
    id: str


def arm_identity(token: str, logical_name: str, inputs: dict[str, Any]) -> ArmIdentity:
    """A realistic ARM id for an azure-native resource, from its type token and inputs."""
    _, module, cls = (token.split(":") + ["", ""])[:3]
    module_base = module.split("/")[0]
    namespace = _NAMESPACES.get(module_base, f"Microsoft.{module_base[:1].upper()}{module_base[1:]}")
    type_path, name_key = _TYPES.get(f"{module_base}:{cls}", (_plural(_lower_first(cls)), f"{_lower_first(cls)}Name"))
    name = inputs.get(name_key) or inputs.get("name") or logical_name
    if not isinstance(name, str):
        name = logical_name
    subscription = f"/subscriptions/{SUBSCRIPTION_ID}"
    if token == "azure-native:resources:ResourceGroup":
        name = inputs.get("resourceGroupName") or logical_name
        return ArmIdentity("Microsoft.Resources/resourceGroups", name, f"{subscription}/resourceGroups/{name}")
    filled = re.sub(r"\{(\w+)\}", lambda m: str(inputs.get(m.group(1)) or m.group(1)), type_path)
    arm_type = "/".join([namespace] + [s for s in type_path.split("/") if not s.startswith("{") and s != "default"])
    scope = next((inputs[k] for k in _EXTENSION_SCOPE_KEYS if isinstance(inputs.get(k), str)), None)
    if scope is None:
        rg = inputs.get("resourceGroupName")
        scope = f"{subscription}/resourceGroups/{rg}" if isinstance(rg, str) else subscription
    return ArmIdentity(arm_type, name, f"{scope}/providers/{namespace}/{filled}/{name}")


def stable_uuid(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


def extra_outputs(token: str, name: str, urn: str, inputs: dict[str, Any], arm_id: str = "") -> dict[str, Any]:
    """The read-only properties programs commonly use (host names, principal ids, endpoints)."""
    extra: dict[str, Any] = {}
    identity = inputs.get("identity")
    if isinstance(identity, dict):
        extra["identity"] = _identity_output(identity, urn)
    if token == "azure-native:storage:StorageAccount":
        dfs = {"dfs": f"https://{name}.dfs.core.windows.net/"} if inputs.get("isHnsEnabled") else {}
        extra["primaryEndpoints"] = {"blob": f"https://{name}.blob.core.windows.net/", **dfs}
    elif token == "azure-native:keyvault:Vault":
        extra["properties"] = {**(inputs.get("properties") or {}), "vaultUri": f"https://{name}.vault.azure.net/"}
    elif token == "azure-native:web:WebApp":
        extra["defaultHostName"] = f"{name}.azurewebsites.net"
    elif token == "azure-native:dbforpostgresql:Server":
        extra["fullyQualifiedDomainName"] = f"{name}.postgres.database.azure.com"
    elif token == "azure-native:operationalinsights:Workspace":
        extra["customerId"] = stable_uuid(urn + "#customer")
    elif token == "azure-native:managedidentity:UserAssignedIdentity":
        extra.update(principalId=stable_uuid(f"{arm_id}#principal"), clientId=stable_uuid(f"{arm_id}#client"), tenantId=TENANT_ID)
    return extra


def _identity_output(identity: dict[str, Any], urn: str) -> dict[str, Any]:
    """Azure answers a list of user-assigned identity ids with a map of id -> principal and client
    ids; the SDK's output types insist on that map."""
    out = dict(identity)
    if "SystemAssigned" in str(identity.get("type", "")):
        out.update(principalId=stable_uuid(urn + "#identity"), tenantId=TENANT_ID)
    assigned = identity.get("userAssignedIdentities")
    if isinstance(assigned, (list, dict)):
        out["userAssignedIdentities"] = {
            str(key): {"principalId": stable_uuid(f"{key}#principal"), "clientId": stable_uuid(f"{key}#client")}
            for key in sorted(assigned, key=str)
            if isinstance(key, str)
        }
    return out


def invoke_result(token: str, args: dict[str, Any]) -> dict[str, Any]:
    """Answers for the provider functions programs call to find out where they run."""
    if token.endswith(":getClientConfig"):
        return {"clientId": CLIENT_ID, "objectId": CLIENT_OBJECT_ID, "subscriptionId": SUBSCRIPTION_ID, "tenantId": TENANT_ID}
    if token == "azure-native:resources:getResourceGroup":
        rg = args.get("resourceGroupName", "rg")
        return {"id": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{rg}", "location": "uksouth", "name": rg,
                "properties": {"provisioningState": "Succeeded"}, "tags": {}, "type": "Microsoft.Resources/resourceGroups"}
    if token == "azure-native:authorization:getPolicyDefinition" or token == "azure-native:authorization:getPolicySetDefinition":
        name = args.get("policyDefinitionName") or args.get("policySetDefinitionName") or "unknown"
        kind = "policySetDefinitions" if "Set" in token else "policyDefinitions"
        return {"id": f"/providers/Microsoft.Authorization/{kind}/{name}", "name": name, "policyType": "BuiltIn"}
    if token.startswith("azure-native:") and token.split(":")[-1].startswith("get"):
        return {**args, "id": f"/subscriptions/{SUBSCRIPTION_ID}/providers/mock/{token.split(':')[-1]}"}
    return dict(args)
