"""What Azure's functions (invokes) answer: keys, kubeconfigs, registry credentials, lookups.

Programs index these results (``keys[0].value``, ``kubeconfigs[0].value``, ``passwords[0]``), so
each answer has the shape of the SDK's ``<Function>Result`` class, every list at least one element
long, and the values Azure would put there, derived from the arguments so runs are repeatable.
Credentials in an answer are tagged secret: the SDK then makes the whole result of an ``_output``
call secret (and hands a plain call the bare value, as it does under the engine).
"""

from __future__ import annotations

import base64
from typing import Any

from synth.mocks.azure import (
    CLIENT_ID,
    CLIENT_OBJECT_ID,
    DEFAULT_LOCATION,
    SUBSCRIPTION_ID,
    TENANT_ID,
    AzureContext,
    arm_identity,
    arm_namespace,
    azure_namer,
    fake_key,
)
from synth.mocks.sdk_shapes import ShapeRules, result_shape
from synth.wire import secret

_KUBECONFIG_USERS = {
    "listManagedClusterAdminCredentials": "clusterAdmin",
    "listManagedClusterUserCredentials": "clusterUser",
    "listManagedClusterMonitoringUserCredentials": "clusterMonitoringUser",
}


def client_config() -> dict[str, Any]:
    """Who the program runs as: the same fake principal for azure-native and azuread."""
    return {"clientId": CLIENT_ID, "objectId": CLIENT_OBJECT_ID, "subscriptionId": SUBSCRIPTION_ID,
            "tenantId": TENANT_ID, "id": f"{CLIENT_ID}-{CLIENT_OBJECT_ID}-{TENANT_ID}"}


def azure_invoke(token: str, args: dict[str, Any], echoed: dict[str, Any] | None = None) -> dict[str, Any]:
    """The answer to one azure-native function call; ``echoed`` are the arguments a result may
    repeat (not the secret ones)."""
    echoed = args if echoed is None else echoed
    function = token.split(":")[-1]
    if function == "getClientConfig":
        return client_config()
    if token == "azure-native:resources:getResourceGroup":
        rg = args.get("resourceGroupName", "rg")
        return {"id": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{rg}", "location": DEFAULT_LOCATION, "name": rg,
                "properties": {"provisioningState": "Succeeded"}, "tags": {}, "type": "Microsoft.Resources/resourceGroups"}
    if token in ("azure-native:authorization:getPolicyDefinition", "azure-native:authorization:getPolicySetDefinition"):
        name = args.get("policyDefinitionName") or args.get("policySetDefinitionName") or "unknown"
        kind = "policySetDefinitions" if "Set" in token else "policyDefinitions"
        return {"id": f"/providers/Microsoft.Authorization/{kind}/{name}", "name": name, "policyType": "BuiltIn"}
    ctx = _context(token, args)
    shaped = result_shape(token, ShapeRules(namer=azure_namer(ctx), list_items=1))
    answer = {**echoed, **shaped} if shaped is not None else dict(echoed)
    if function.startswith("get"):
        answer.setdefault("id", ctx.arm_id)
    answer.update(_specific(function, ctx))
    return _credentials_secret(answer)


_CREDENTIAL_SUFFIXES = ("key", "password", "connectionstring", "secret", "token")
_CREDENTIAL_LISTS = ("keys", "passwords", "kubeconfigs")


def _credentials_secret(value: Any, parent: str = "") -> Any:
    """Keys, passwords, connection strings and kubeconfigs come back secret, so a program that
    passes one on (an app setting, a registry login) never puts it in the graph in clear."""
    if isinstance(value, list):
        return [_credentials_secret(v, parent) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        credential = isinstance(item, str) and (key.lower().endswith(_CREDENTIAL_SUFFIXES)
                                                or (key == "value" and parent in _CREDENTIAL_LISTS))
        out[key] = secret(item) if credential else _credentials_secret(item, key)
    return out


def _context(token: str, args: dict[str, Any]) -> AzureContext:
    _, module, function = token.split(":")
    name = next((str(v) for k, v in sorted(args.items())
                 if k.endswith("Name") and k != "resourceGroupName" and isinstance(v, str)), function)
    resource = function[3:] if function.startswith("get") else function[4:] if function.startswith("list") else function
    identity = arm_identity(f"azure-native:{module}:{resource}", name, args)
    namespace = arm_namespace(module)
    arm_type = identity.arm_type if identity.arm_type.startswith(namespace) else f"{namespace}/{resource}"
    return AzureContext(token=token, name=identity.name, urn=f"invoke:{token}:{sorted(args.items())!r}", arm_id=identity.id,
                        arm_type=arm_type, inputs=args, location=DEFAULT_LOCATION)


def _specific(function: str, ctx: AzureContext) -> dict[str, Any]:
    """Lists whose entries Azure names (key1/key2, password/password2, one kubeconfig per user)."""
    if function == "listStorageAccountKeys":
        return {"keys": [{"keyName": name, "permissions": "FULL", "creationTime": "2024-01-01T00:00:00Z",
                          "value": fake_key(f"{ctx.arm_id}#{name}")} for name in ("key1", "key2")]}
    if function in _KUBECONFIG_USERS:
        user = _KUBECONFIG_USERS[function]
        return {"kubeconfigs": [{"name": user, "value": base64.b64encode(kubeconfig(ctx, user).encode()).decode()}]}
    if function == "listRegistryCredentials":
        return {"username": ctx.name, "passwords": [{"name": name, "value": fake_key(f"{ctx.arm_id}#{name}", 24)}
                                                    for name in ("password", "password2")]}
    if function == "listDatabaseAccountConnectionStrings":
        key = fake_key(f"{ctx.arm_id}#primaryMasterKey")
        return {"connectionStrings": [{
            "connectionString": f"AccountEndpoint=https://{ctx.name}.documents.azure.com:443/;AccountKey={key};",
            "description": "Primary SQL Connection String", "keyKind": "Primary", "type": "Sql"}]}
    return {}


def kubeconfig(ctx: AzureContext, user: str) -> str:
    """A kubeconfig as AKS hands it out (YAML), pointing at the cluster's API server."""
    server = f"https://{ctx.name}-{ctx.short_hash('fqdn')}.hcp.{ctx.location or DEFAULT_LOCATION}.azmk8s.io:443"
    ca = base64.b64encode(f"fake CA of {ctx.arm_id}".encode()).decode()
    token = fake_key(f"{ctx.arm_id}#{user}#token", 32)
    return (
        "apiVersion: v1\n"
        "kind: Config\n"
        f"current-context: {ctx.name}\n"
        f"clusters:\n- name: {ctx.name}\n  cluster:\n    certificate-authority-data: {ca}\n    server: {server}\n"
        f"contexts:\n- name: {ctx.name}\n  context:\n    cluster: {ctx.name}\n    user: {user}_{ctx.name}\n"
        f"users:\n- name: {user}_{ctx.name}\n  user:\n    token: {token}\n"
    )

