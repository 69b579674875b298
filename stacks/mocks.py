"""Pulumi mocks that record the whole program and answer like Azure would.

The stock ``MockMonitor`` drops parent, provider, dependencies and source position before calling
``Mocks.new_resource``, and reads the stack name from a context variable that the gRPC executor
threads do not see. ``RecordingMonitor`` keeps the full ``RegisterResourceRequest`` and carries
its own project/stack, so a graph can be rebuilt from what the program declared.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlparse

from stacks.graph import SECRET, GraphResource, SourcePosition
from stacks.transforms import TransformRunner

SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
TENANT_ID = "11111111-1111-1111-1111-111111111111"
CLIENT_OBJECT_ID = "22222222-2222-2222-2222-222222222222"
CLIENT_ID = "33333333-3333-3333-3333-333333333333"

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
ASSET_SIGS = {"c44067f5952c0a294b673a41bacd8c17", "0def7320c3a5731c473e5ecbe6d01bc7"}
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

StackOutputsResolver = Callable[[str], dict[str, Any]]


def plain(value: Any) -> Any:
    """Protobuf struct (as JSON) -> plain data: secrets redacted, resource refs as URNs, ints kept."""
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == SECRET_SIG:
            return SECRET
        if sig == RESOURCE_SIG:
            return value.get("urn")
        if sig == OUTPUT_SIG:
            return SECRET if value.get("secret") else plain(value.get("value"))
        if sig in ASSET_SIGS:
            return {k: v for k, v in value.items() if k != SIG_KEY}
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == UNKNOWN:
        return None
    return value


def struct_to_plain(struct: Any) -> dict[str, Any]:
    from google.protobuf import json_format

    return plain(json_format.MessageToDict(struct)) if struct is not None else {}


def plain_to_struct(data: dict[str, Any]) -> Any:
    from google.protobuf import struct_pb2

    struct = struct_pb2.Struct()
    struct.update(data)
    return struct


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


def _stable_uuid(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


def _extra_outputs(token: str, name: str, urn: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """The read-only properties programs commonly use (host names, principal ids, endpoints)."""
    extra: dict[str, Any] = {}
    identity = inputs.get("identity")
    if isinstance(identity, dict) and "SystemAssigned" in str(identity.get("type", "")):
        extra["identity"] = {**identity, "principalId": _stable_uuid(urn + "#identity"), "tenantId": TENANT_ID}
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
        extra["customerId"] = _stable_uuid(urn + "#customer")
    return extra


@dataclass
class _Recorded:
    seq: int
    resource: GraphResource


@dataclass
class RecordingMonitor:
    """A resource monitor for ``pulumi.runtime.Settings`` that records every registration."""

    project: str
    stack: str
    root: Path
    stack_outputs: StackOutputsResolver
    records: dict[str, _Recorded] = field(default_factory=dict)
    transforms: TransformRunner = field(default_factory=TransformRunner)
    declared: dict[tuple[str, str], int] = field(default_factory=dict)
    """Program order of (type, name): registrations arrive from a thread pool in any order."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        if parent:
            parent_type = parent.split("::")[2]
            type_ = parent_type + "$" + type_
        return "urn:pulumi:" + "::".join([self.stack, self.project, type_, name])

    def note_declared(self, args: Any) -> Any:
        """A stack transformation that sees resources in program order.

        It also drops aliases: azure-native gives every resource a score of API-version aliases,
        which only matter to a real engine's state and cost most of a synthesis run.
        """
        with self._lock:
            self.declared.setdefault((args.type_, args.name), len(self.declared))
        if not args.opts or not args.opts.aliases:
            return None
        import copy

        import pulumi

        opts = copy.copy(args.opts)
        opts.aliases = None
        return pulumi.ResourceTransformationResult(props=args.props, opts=opts)

    # --- gRPC surface -------------------------------------------------------------------
    def SupportsFeature(self, request: Any) -> Any:
        supported = request.id in {"secrets", "resourceReferences", "deletedWith", "aliasSpecs", "transforms"}
        return type("SupportsFeatureResponse", (), {"hasSupport": supported})

    def RegisterStackTransform(self, callback: Any) -> Any:
        from google.protobuf import empty_pb2

        self.transforms.stack_tokens.append(callback.token)
        return empty_pb2.Empty()

    def RegisterPackage(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        return resource_pb2.RegisterPackageResponse(ref=f"{request.name}@{request.version}")

    def SignalAndWaitForShutdown(self, request: Any) -> Any:
        from google.protobuf import empty_pb2

        return empty_pb2.Empty()

    def RegisterResource(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        urn = self.make_urn(request.parent, request.type, request.name)
        tokens = self.transforms.tokens_for(urn, [t.token for t in request.transforms], self._ancestors(request.parent))
        inputs = struct_to_plain(self.transforms.apply(tokens, request))
        resource_id, outputs = self._new_resource(request.type, request.name, urn, inputs, bool(request.custom))
        deps = set(request.dependencies)
        for prop_deps in request.propertyDependencies.values():
            deps.update(prop_deps.urns)
        resource = GraphResource(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=request.parent or None,
            provider=request.provider.rsplit("::", 1)[0] if request.provider else None,
            id=resource_id,
            inputs=inputs,
            outputs=outputs if request.custom else {},
            dependencies=sorted(d for d in deps if d),
            source=self._source(request),
        )
        with self._lock:
            self.records[urn] = _Recorded(len(self.records), resource)
        if request.type == "pulumi:pulumi:Stack":
            return resource_pb2.RegisterResourceResponse(urn=urn)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id or "", object=plain_to_struct(outputs))

    def RegisterResourceOutputs(self, request: Any) -> Any:
        from google.protobuf import empty_pb2

        outputs = struct_to_plain(request.outputs)
        with self._lock:
            record = self.records.get(request.urn)
            if record is not None:
                record.resource.outputs = outputs
        return empty_pb2.Empty()

    def Invoke(self, request: Any) -> Any:
        from pulumi.runtime.proto import provider_pb2

        args = struct_to_plain(request.args)
        if request.tok == "pulumi:pulumi:getResource":
            with self._lock:
                record = self.records.get(args.get("urn", ""))
            if record is None:
                raise KeyError(f"unknown resource {args.get('urn')}")
            ret = {"urn": record.resource.urn, "id": record.resource.id or "", "state": record.resource.outputs}
        else:
            ret = invoke_result(request.tok, args)
        return provider_pb2.InvokeResponse(**{"return": plain_to_struct(ret)})

    def ReadResource(self, request: Any) -> Any:
        from pulumi.runtime.proto import resource_pb2

        urn = self.make_urn(request.parent, request.type, request.name)
        state = struct_to_plain(request.properties)
        if request.type == "pulumi:pulumi:StackReference":
            state.setdefault("name", request.id)
        resource_id, outputs = self._new_resource(request.type, request.name, urn, state, True)
        resource = GraphResource(
            urn=urn, type=request.type, name=request.name, custom=True, parent=request.parent or None,
            provider=request.provider.rsplit("::", 1)[0] if request.provider else None,
            id=request.id or resource_id, inputs=state, outputs=outputs,
            dependencies=sorted(d for d in request.dependencies if d), source=self._source(request),
        )
        with self._lock:
            self.records[urn] = _Recorded(len(self.records), resource)
        return resource_pb2.ReadResourceResponse(urn=urn, properties=plain_to_struct(outputs))

    def _ancestors(self, parent: str) -> list[str]:
        chain = []
        with self._lock:
            while parent:
                chain.append(parent)
                record = self.records.get(parent)
                parent = record.resource.parent if record and record.resource.parent else ""
        return chain

    # --- answers ---------------------------------------------------------------------------
    def _new_resource(self, token: str, name: str, urn: str, inputs: dict[str, Any], custom: bool) -> tuple[str | None, dict[str, Any]]:
        if not custom or token == "pulumi:pulumi:Stack":
            return None, {}
        if token == "pulumi:pulumi:StackReference":
            ref = str(inputs.get("name") or name)
            return ref, {"name": ref, "outputs": self.stack_outputs(ref), "secretOutputNames": []}
        if token.startswith("pulumi:providers:"):
            return _stable_uuid(urn), dict(inputs)
        if token.startswith("azure-native:"):
            arm = arm_identity(token, name, inputs)
            outputs = {**inputs, "name": arm.name, "id": arm.id, "type": arm.arm_type}
            outputs.update(_extra_outputs(token, arm.name, urn, inputs))
            return arm.id, outputs
        return f"{name}-{hashlib.sha256(urn.encode()).hexdigest()[:8]}", dict(inputs)

    def _source(self, request: Any) -> SourcePosition | None:
        if not request.HasField("sourcePosition") or not request.sourcePosition.uri:
            return None
        path = Path(unquote(urlparse(request.sourcePosition.uri).path))
        if "site-packages" in path.parts:
            return None
        try:
            shown = path.relative_to(self.root).as_posix()
        except ValueError:
            shown = path.as_posix()
        return SourcePosition(file=shown, line=int(request.sourcePosition.line))

    def graph_resources(self) -> list[GraphResource]:
        with self._lock:
            def key(record: _Recorded) -> tuple[int, str]:
                res = record.resource
                if res.type == "pulumi:pulumi:Stack":
                    return (-1, res.urn)
                return (self.declared.get((res.type, res.name), len(self.declared)), res.urn)

            return [r.resource for r in sorted(self.records.values(), key=key)]


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
