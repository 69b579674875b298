"""What Azure would answer for an azure-native resource: its ARM id and its read-only outputs.

Ids sit under one fake subscription so graphs are deterministic and look like the real thing:
``/subscriptions/0000.../resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>``.
The shape of the outputs comes from the SDK (``synth.mocks.sdk_shapes``); this module says which
values Azure puts in the fields programs read: endpoints, host names, ids, principal ids, keys.
Every value is derived from the resource's URN or name, so the same program gives the same graph.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from synth.mocks.sdk_shapes import DEFAULT, OMIT, Namer, Path, ShapeRules, resource_shape

SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
TENANT_ID = "11111111-1111-1111-1111-111111111111"
CLIENT_OBJECT_ID = "22222222-2222-2222-2222-222222222222"
CLIENT_ID = "33333333-3333-3333-3333-333333333333"
DEFAULT_LOCATION = "uksouth"
STORAGE_SERVICES = ("blob", "dfs", "file", "queue", "table", "web")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _plural(text: str) -> str:
    if text.endswith("y") and not text.endswith("ey"):
        return text[:-1] + "ies"
    return text if text.endswith("s") else text + "s"


# Pulumi module -> ARM namespace, where the mechanical rule (Microsoft.<Module>) is wrong.
_NAMESPACES = {
    "dbforpostgresql": "Microsoft.DBforPostgreSQL",
    "dbformysql": "Microsoft.DBforMySQL",
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
    "applicationinsights": "Microsoft.Insights",
    "authorization": "Microsoft.Authorization",
    "resources": "Microsoft.Resources",
    "sql": "Microsoft.Sql",
    "compute": "Microsoft.Compute",
    "containerregistry": "Microsoft.ContainerRegistry",
    "containerservice": "Microsoft.ContainerService",
    "containerinstance": "Microsoft.ContainerInstance",
    "cosmosdb": "Microsoft.DocumentDB",
    "documentdb": "Microsoft.DocumentDB",
    "app": "Microsoft.App",
    "cache": "Microsoft.Cache",
    "servicebus": "Microsoft.ServiceBus",
    "eventhub": "Microsoft.EventHub",
    "cdn": "Microsoft.Cdn",
    "apimanagement": "Microsoft.ApiManagement",
    "cognitiveservices": "Microsoft.CognitiveServices",
    "signalrservice": "Microsoft.SignalRService",
    "synapse": "Microsoft.Synapse",
}
# Class -> (ARM type path under the namespace, input holding its own name).
_TYPES: dict[str, tuple[str, str]] = {
    "storage:StorageAccount": ("storageAccounts", "accountName"),
    "storage:BlobContainer": ("storageAccounts/{accountName}/blobServices/default/containers", "containerName"),
    "storage:Blob": ("storageAccounts/{accountName}/blobServices/default/containers/{containerName}/blobs", "blobName"),
    "storage:StorageAccountStaticWebsite": ("storageAccounts/{accountName}/staticWebsite", "accountName"),
    "keyvault:Vault": ("vaults", "vaultName"),
    "keyvault:Secret": ("vaults/{vaultName}/secrets", "secretName"),
    "keyvault:Key": ("vaults/{vaultName}/keys", "keyName"),
    "network:NatGateway": ("natGateways", "natGatewayName"),
    "eventhub:EventHub": ("namespaces/{namespaceName}/eventhubs", "eventHubName"),
    "sql:ServerBlobAuditingPolicy": ("servers/{serverName}/auditingSettings", "blobAuditingPolicyName"),
    "sql:ServerSecurityAlertPolicy": ("servers/{serverName}/securityAlertPolicies", "securityAlertPolicyName"),
    "sql:DatabaseBlobAuditingPolicy": ("servers/{serverName}/databases/{databaseName}/auditingSettings", "blobAuditingPolicyName"),
    "network:Subnet": ("virtualNetworks/{virtualNetworkName}/subnets", "subnetName"),
    "network:VirtualNetworkPeering": ("virtualNetworks/{virtualNetworkName}/virtualNetworkPeerings", "virtualNetworkPeeringName"),
    "network:PrivateDnsZoneGroup": ("privateEndpoints/{privateEndpointName}/privateDnsZoneGroups", "privateDnsZoneGroupName"),
    "network:SecurityRule": ("networkSecurityGroups/{networkSecurityGroupName}/securityRules", "securityRuleName"),
    "network:PublicIPAddress": ("publicIPAddresses", "publicIpAddressName"),
    "privatedns:PrivateZone": ("privateDnsZones", "privateZoneName"),
    "privatedns:VirtualNetworkLink": ("privateDnsZones/{privateZoneName}/virtualNetworkLinks", "virtualNetworkLinkName"),
    "web:WebApp": ("sites", "name"),
    "web:WebAppApplicationSettings": ("sites/{name}/config", "name"),
    "web:AppServicePlan": ("serverfarms", "name"),
    "dbforpostgresql:Server": ("flexibleServers", "serverName"),
    "dbforpostgresql:Database": ("flexibleServers/{serverName}/databases", "databaseName"),
    "dbforpostgresql:Configuration": ("flexibleServers/{serverName}/configurations", "configurationName"),
    "dbforpostgresql:Administrator": ("flexibleServers/{serverName}/administrators", "objectId"),
    "sql:Database": ("servers/{serverName}/databases", "databaseName"),
    "sql:FirewallRule": ("servers/{serverName}/firewallRules", "firewallRuleName"),
    "operationalinsights:Workspace": ("workspaces", "workspaceName"),
    "datafactory:Factory": ("factories", "factoryName"),
    "monitor:DiagnosticSetting": ("diagnosticSettings", "name"),
    "network:PrivateEndpoint": ("privateEndpoints", "privateEndpointName"),
    "network:NetworkSecurityGroup": ("networkSecurityGroups", "networkSecurityGroupName"),
    "network:VirtualNetwork": ("virtualNetworks", "virtualNetworkName"),
    "authorization:PolicyAssignment": ("policyAssignments", "policyAssignmentName"),
    "authorization:RoleAssignment": ("roleAssignments", "roleAssignmentName"),
    "managedidentity:UserAssignedIdentity": ("userAssignedIdentities", "resourceName"),
    "containerservice:ManagedCluster": ("managedClusters", "resourceName"),
    "containerregistry:Registry": ("registries", "registryName"),
    "containerinstance:ContainerGroup": ("containerGroups", "containerGroupName"),
    "cosmosdb:DatabaseAccount": ("databaseAccounts", "accountName"),
    "cosmosdb:SqlResourceSqlDatabase": ("databaseAccounts/{accountName}/sqlDatabases", "databaseName"),
    "cosmosdb:SqlResourceSqlContainer": ("databaseAccounts/{accountName}/sqlDatabases/{databaseName}/containers", "containerName"),
    "app:ContainerApp": ("containerApps", "containerAppName"),
    "app:ManagedEnvironment": ("managedEnvironments", "environmentName"),
    "applicationinsights:Component": ("components", "resourceName"),
    "insights:Component": ("components", "resourceName"),
    "compute:VirtualMachine": ("virtualMachines", "vmName"),
}
_EXTENSION_SCOPE_KEYS = ("resourceUri", "scope")
# Where each service's host names live (``<name>.<suffix>``).
_HOST_SUFFIX = {
    "Microsoft.Web": "azurewebsites.net",
    "Microsoft.Sql": "database.windows.net",
    "Microsoft.DBforPostgreSQL": "postgres.database.azure.com",
    "Microsoft.DBforMySQL": "mysql.database.azure.com",
    "Microsoft.DocumentDB": "documents.azure.com",
    "Microsoft.ContainerRegistry": "azurecr.io",
    "Microsoft.KeyVault": "vault.azure.net",
    "Microsoft.Cache": "redis.cache.windows.net",
    "Microsoft.ServiceBus": "servicebus.windows.net",
    "Microsoft.EventHub": "servicebus.windows.net",
    "Microsoft.Cdn": "azureedge.net",
    "Microsoft.ApiManagement": "azure-api.net",
    "Microsoft.Search": "search.windows.net",
    "Microsoft.SignalRService": "service.signalr.net",
    "Microsoft.CognitiveServices": "cognitiveservices.azure.com",
    "Microsoft.Synapse": "sql.azuresynapse.net",
    "Microsoft.Storage": "blob.core.windows.net",
}


@dataclass(frozen=True)
class ArmIdentity:
    arm_type: str
    name: str
    id: str


def arm_namespace(module: str) -> str:
    module_base = module.split("/")[0]
    return _NAMESPACES.get(module_base, f"Microsoft.{module_base[:1].upper()}{module_base[1:]}")


def arm_identity(token: str, logical_name: str, inputs: dict[str, Any]) -> ArmIdentity:
    """A realistic ARM id for an azure-native resource, from its type token and inputs."""
    _, module, cls = (token.split(":") + ["", ""])[:3]
    module_base = module.split("/")[0]
    namespace = arm_namespace(module)
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


def fake_key(seed: str, size: int = 64) -> str:
    """A base64 access key the size Azure hands out (64 bytes -> 88 characters), from ``seed``."""
    digest = b"".join(hashlib.sha512(f"{seed}#{i}".encode()).digest() for i in range(size // 64 + 1))
    return base64.b64encode(digest[:size]).decode()


def fake_ip(seed: str, private: bool = False) -> str:
    a, b, c = hashlib.sha256(seed.encode()).digest()[:3]
    return f"10.{a % 250}.{b % 250}.{c % 250 + 4}" if private else f"20.{a % 250 + 1}.{b % 250}.{c % 250 + 4}"


@dataclass(frozen=True)
class AzureContext:
    """What the values of one resource's (or function's) outputs are derived from."""

    token: str
    name: str
    urn: str
    arm_id: str
    arm_type: str
    inputs: dict[str, Any] = field(default_factory=dict)
    location: str | None = None

    @property
    def namespace(self) -> str:
        return self.arm_type.split("/")[0]

    def host(self) -> str:
        return f"{self.name}.{_HOST_SUFFIX.get(self.namespace, 'azure.net')}"

    def short_hash(self, salt: str = "") -> str:
        return hashlib.sha256(f"{self.urn}#{salt}".encode()).hexdigest()[:8]


def azure_namer(ctx: AzureContext) -> Namer:
    """The values Azure puts in the fields programs read; ``DEFAULT`` leaves the rest to the type."""

    def namer(path: Path, typ: Any) -> Any:
        key = path[-1]
        lower = key.lower()
        if len(path) == 1:
            top = {"id": ctx.arm_id, "name": ctx.name, "type": ctx.arm_type, "location": ctx.location or OMIT}
            if key in top:
                return top[key]
            if key == "identity" and "identity" not in ctx.inputs:
                return OMIT  # Azure answers null for a resource without a managed identity
        if key == "provisioningState":
            return "Succeeded"
        if lower.endswith("principalid") or lower == "objectid":
            return stable_uuid(f"{ctx.urn}#{'/'.join(path)}")
        if key == "tenantId":
            return TENANT_ID
        if key == "subscriptionId":
            return SUBSCRIPTION_ID
        if lower.endswith("clientid") or lower in ("appid", "applicationid", "customerid", "instrumentationkey"):
            return stable_uuid(f"{ctx.urn}#{'/'.join(path)}")
        return _endpoint(ctx, path, key, lower, typ)

    return namer


def _endpoint(ctx: AzureContext, path: Path, key: str, lower: str, typ: Any) -> Any:
    """Host names, URLs, addresses and keys, where each service puts them."""
    endpoints = next((p for p in path[:-1] if p in ("primaryEndpoints", "secondaryEndpoints")), None)
    if endpoints and key in STORAGE_SERVICES:
        suffix = "-secondary" if endpoints == "secondaryEndpoints" else ""
        if key == "web":
            return f"https://{ctx.name}{suffix}.z33.web.core.windows.net/"
        return f"https://{ctx.name}{suffix}.{key}.core.windows.net/"
    location = ctx.location or DEFAULT_LOCATION
    if key in ("fqdn", "fullyQualifiedDomainName", "defaultHostName", "loginServer", "latestRevisionFqdn", "privateFQDN"):
        return _host_name(ctx, path, key, location)
    if key == "hostName" and len(path) == 1:
        return ctx.host()
    if key == "containerName" and ctx.token == "azure-native:storage:StorageAccountStaticWebsite":
        return "$web"
    if key in ("hostNames", "enabledHostNames"):
        return [f"{ctx.name}.azurewebsites.net"]
    if key == "url" and ctx.token == "azure-native:storage:Blob":
        inputs = ctx.inputs
        return f"https://{inputs.get('accountName')}.blob.core.windows.net/{inputs.get('containerName')}/{ctx.name}"
    if key == "identityProfile" and ctx.namespace == "Microsoft.ContainerService":
        kubelet = f"{ctx.urn}#kubelet"
        return {"kubeletidentity": {"clientId": stable_uuid(kubelet + "#client"), "objectId": stable_uuid(kubelet + "#object"),
                                    "resourceId": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/MC_{ctx.name}/providers/"
                                                  f"Microsoft.ManagedIdentity/userAssignedIdentities/{ctx.name}-agentpool"}}
    if key == "vaultUri":
        return f"https://{ctx.name}.vault.azure.net/"
    if key == "documentEndpoint":
        return f"https://{ctx.name}.documents.azure.com:443/"
    if key in ("ip", "ipAddress") and typ is str:
        return fake_ip(ctx.urn)
    if lower in ("privateipaddress", "privateip"):
        return fake_ip(f"{ctx.urn}#{'/'.join(path)}", private=True)
    if key in ("outboundIpAddresses", "possibleOutboundIpAddresses"):
        return ",".join(fake_ip(f"{ctx.urn}#out{i}") for i in range(2))
    if key == "connectionString" and ctx.namespace == "Microsoft.Insights":
        ikey = stable_uuid(f"{ctx.urn}#instrumentationKey")
        return f"InstrumentationKey={ikey};IngestionEndpoint=https://{location}-1.in.applicationinsights.azure.com/"
    if typ is str and lower.endswith("key") and ("primary" in lower or "secondary" in lower):
        return fake_key(f"{ctx.urn}#{'/'.join(path)}")
    if typ is str and (lower.endswith("uri") or lower.endswith("url") or lower.endswith("endpoint")):
        return f"https://{ctx.host()}/"
    return DEFAULT


def _host_name(ctx: AzureContext, path: Path, key: str, location: str) -> str:
    inputs = ctx.inputs
    if ctx.namespace == "Microsoft.ContainerService":
        prefix = inputs.get("dnsPrefix") or ctx.name
        zone = f"privatelink.{location}" if key == "privateFQDN" else f"hcp.{location}"
        return f"{prefix}-{ctx.short_hash('fqdn')}.{zone}.azmk8s.io"
    if ctx.namespace == "Microsoft.ContainerInstance":
        address = inputs.get("ipAddress") if isinstance(inputs.get("ipAddress"), dict) else {}
        return f"{address.get('dnsNameLabel') or ctx.name}.{location}.azurecontainer.io"
    if ctx.namespace == "Microsoft.Network":
        settings = inputs.get("dnsSettings") if isinstance(inputs.get("dnsSettings"), dict) else {}
        return f"{settings.get('domainNameLabel') or ctx.name}.{location}.cloudapp.azure.com"
    if ctx.namespace == "Microsoft.App":
        return f"{ctx.name}.{ctx.short_hash('env')}.{location}.azurecontainerapps.io"
    return ctx.host()


def resource_outputs(ctx: AzureContext) -> dict[str, Any]:
    """Every output of an azure-native resource, shaped by its SDK, before the program's inputs
    are laid over it (see ``settle`` for what Azure then rewrites)."""
    outputs: dict[str, Any] = {"id": ctx.arm_id, "name": ctx.name, "type": ctx.arm_type}
    outputs.update(resource_shape(ctx.token, ShapeRules(namer=azure_namer(ctx))))
    if ctx.location:
        outputs["location"] = ctx.location
    return outputs


def settle(ctx: AzureContext, outputs: dict[str, Any]) -> dict[str, Any]:
    """What Azure answers differently from what it was given: identities gain their ids."""
    identity = ctx.inputs.get("identity")
    if isinstance(identity, dict):
        outputs["identity"] = _identity_output(outputs.get("identity") or {}, identity, ctx.urn)
    if ctx.token == "azure-native:managedidentity:UserAssignedIdentity":
        outputs.update(principalId=stable_uuid(f"{ctx.arm_id}#principal"),
                       clientId=stable_uuid(f"{ctx.arm_id}#client"), tenantId=TENANT_ID)
    elif ctx.token == "azure-native:operationalinsights:Workspace":
        outputs["customerId"] = stable_uuid(ctx.urn + "#customer")
    return outputs


def _identity_output(shaped: dict[str, Any], identity: dict[str, Any], urn: str) -> dict[str, Any]:
    """Azure answers a list of user-assigned identity ids with a map of id -> principal and client
    ids (the SDK's output types insist on that map); only a system-assigned identity has a
    principal id of its own."""
    out = {**shaped, **identity}
    if "SystemAssigned" in str(identity.get("type", "")):
        out.update(principalId=stable_uuid(urn + "#identity"), tenantId=TENANT_ID)
    else:
        out.pop("principalId", None)
        out.pop("tenantId", None)
    assigned = identity.get("userAssignedIdentities")
    if isinstance(assigned, (list, dict)):
        out["userAssignedIdentities"] = {
            str(key): {"principalId": stable_uuid(f"{key}#principal"), "clientId": stable_uuid(f"{key}#client")}
            for key in sorted(assigned, key=str)
            if isinstance(key, str)
        }
    return out
