"""A hand-made deployment-v3 export of a small resident-services stack, and its live twin.

The export is what `pulumi stack export` writes for a deployed stack (inputs with wire names,
outputs = inputs + id, ARM ids, one secret); ``live_bodies`` turns each resource into the ARM body
Azure would return for it, so tests start from "in sync" and change one thing at a time.
"""

from __future__ import annotations

import copy
from typing import Any

SUB = "11111111-2222-3333-4444-555555555555"
OTHER_SUB = "99999999-8888-7777-6666-555555555555"
RG = "rg-resident-dev"
PROJECT = "borough"
STACK = "resident-services-dev"
SECRET_SIG = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}
TAGS = {
    "system-id": "resident-portal",
    "owner": "platform-team",
    "environment": "resident-services",
    "data-classification": "OFFICIAL",
    "cost-centre": "CC-1001",
}


def rid(provider_path: str) -> str:
    return f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/{provider_path}"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


def _resource(type_: str, name: str, resource_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    outputs = {k: v for k, v in inputs.items() if k != "administratorLoginPassword"}
    return {
        "urn": urn(type_, name),
        "custom": True,
        "id": resource_id,
        "type": type_,
        "inputs": inputs,
        "outputs": {**outputs, "id": resource_id, "provisioningState": "Succeeded"},
        "parent": urn("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}"),
        "provider": urn("pulumi:providers:azure-native", "default") + "::provider-id",
        "dependencies": [],
    }


def state_export() -> dict[str, Any]:
    resources = [
        {"urn": urn("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}"), "custom": False, "type": "pulumi:pulumi:Stack",
         "outputs": {"dbPassword": SECRET_SIG}},
        {"urn": urn("pulumi:providers:azure-native", "default"), "custom": True, "id": "provider-id",
         "type": "pulumi:providers:azure-native", "inputs": {}, "outputs": {}},
        _resource("azure-native:resources:ResourceGroup", "rg", f"/subscriptions/{SUB}/resourceGroups/{RG}",
                  {"resourceGroupName": RG, "location": "uksouth", "tags": dict(TAGS)}),
        _resource("azure-native:storage:StorageAccount", "storage", rid("Microsoft.Storage/storageAccounts/stresidentdev"), {
            "accountName": "stresidentdev", "resourceGroupName": RG, "location": "uksouth", "kind": "StorageV2",
            "sku": {"name": "Standard_ZRS"}, "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
            "enableHttpsTrafficOnly": True, "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices"},
            "tags": dict(TAGS),
        }),
        _resource("azure-native:storage:BlobServiceProperties", "storage-blobs",
                  rid("Microsoft.Storage/storageAccounts/stresidentdev/blobServices/default"), {
            "accountName": "stresidentdev", "resourceGroupName": RG, "blobServicesName": "default",
            "deleteRetentionPolicy": {"enabled": True, "days": 14},
        }),
        _resource("azure-native:keyvault:Vault", "vault", rid("Microsoft.KeyVault/vaults/kv-resident-dev"), {
            "vaultName": "kv-resident-dev", "resourceGroupName": RG, "location": "uksouth", "tags": dict(TAGS),
            "properties": {"tenantId": "00000000-0000-0000-0000-00000000aaaa", "sku": {"family": "A", "name": "standard"},
                           "enableRbacAuthorization": True, "enablePurgeProtection": True, "publicNetworkAccess": "Disabled"},
        }),
        _resource("azure-native:network:NetworkSecurityGroup", "nsg", rid("Microsoft.Network/networkSecurityGroups/nsg-app"), {
            "networkSecurityGroupName": "nsg-app", "resourceGroupName": RG, "location": "uksouth", "tags": dict(TAGS),
            "securityRules": [
                {"name": "allow-https", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                 "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*",
                 "destinationPortRange": "443"},
            ],
        }),
        _resource("azure-native:dbforpostgresql:Server", "db", rid("Microsoft.DBforPostgreSQL/flexibleServers/psql-resident-dev"), {
            "serverName": "psql-resident-dev", "resourceGroupName": RG, "location": "uksouth", "tags": dict(TAGS),
            "version": "16", "administratorLogin": "borough", "administratorLoginPassword": SECRET_SIG,
            "sku": {"name": "Standard_B1ms", "tier": "Burstable"},
        }),
        {"urn": urn("random:index/randomPassword:RandomPassword", "db-password"), "custom": True, "id": "none",
         "type": "random:index/randomPassword:RandomPassword", "inputs": {"length": 32}, "outputs": {"result": SECRET_SIG}},
    ]
    return {"version": 3, "deployment": {"manifest": {"time": "2026-11-20T10:00:00Z", "version": "v3.223.0"},
                                         "resources": resources}}


def live_bodies(export: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """What ARM returns for each deployed Azure resource: rendered ARM plus server-set fields.

    Casing differs as it does in real life (lower-case types from Resource Graph, "UK South",
    lower-cased enum values) so a clean comparison proves normalisation.
    """
    from arm import render_resource
    from deployed.state import parse_state

    graph = parse_state(copy.deepcopy(export or state_export()))
    out = []
    for resource in graph.custom_resources():
        if not resource.type.startswith("azure-native:"):
            continue
        arm = render_resource(resource)
        if arm is None or not resource.id:
            continue
        body = {k: v for k, v in arm.items() if k not in {"apiVersion", "metadata"}}
        body["id"] = resource.id
        body["name"] = str(resource.id).rsplit("/", 1)[-1]
        body["properties"] = {**body.get("properties", {}), "provisioningState": "Succeeded"}
        body["properties"].pop("administratorLoginPassword", None)
        if body.get("location") == "uksouth" and resource.type.endswith("ResourceGroup"):
            body["location"] = "UK South"
        if body.get("sku", {}).get("name") == "Standard_ZRS":
            body["sku"] = {"name": "standard_zrs", "tier": "Standard"}
        out.append(body)
    return out


def _as_state_secret(value: Any) -> Any:
    if value == "[secret]":
        return dict(SECRET_SIG)
    if isinstance(value, dict):
        return {k: _as_state_secret(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_state_secret(v) for v in value]
    return value


def export_from_graph(graph: Any) -> dict[str, Any]:
    """A deployment-v3 export of a synthesized stack: inputs as given, outputs = inputs + id."""
    resources = []
    for r in graph.resources:
        raw: dict[str, Any] = {"urn": r.urn, "custom": r.custom, "type": r.type,
                               "inputs": _as_state_secret(r.inputs), "dependencies": list(r.dependencies)}
        if r.custom:
            raw["id"] = r.id or ""
            raw["outputs"] = {**_as_state_secret(r.inputs), "id": r.id or ""}
        if r.parent:
            raw["parent"] = r.parent
        if r.provider:
            raw["provider"] = r.provider
        resources.append(raw)
    return {"version": 3, "deployment": {"manifest": {"time": "2026-11-20T10:00:00Z", "version": "v3.223.0"},
                                         "resources": resources}}
