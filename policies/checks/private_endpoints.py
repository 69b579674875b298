"""CKV_BOROUGH_012: OFFICIAL-SENSITIVE data is reachable only through private endpoints.

Needs two resources (the service and its private endpoint), so it runs in the engine. A
PostgreSQL flexible server injected into a delegated subnet is private without an endpoint.
"""

from __future__ import annotations

from typing import Any, Iterable

from policies.checks.base import CheckResult, CrossResourceCheck, CrossResult, ReferenceIndex, props

PRIVATE_LINK_TYPES = {
    "Microsoft.Cache/redis",
    "Microsoft.CognitiveServices/accounts",
    "Microsoft.ContainerRegistry/registries",
    "Microsoft.DBforMySQL/flexibleServers",
    "Microsoft.DBforPostgreSQL/flexibleServers",
    "Microsoft.DataFactory/factories",
    "Microsoft.DocumentDB/databaseAccounts",
    "Microsoft.EventHub/namespaces",
    "Microsoft.KeyVault/vaults",
    "Microsoft.Search/searchServices",
    "Microsoft.ServiceBus/namespaces",
    "Microsoft.Sql/servers",
    "Microsoft.Storage/storageAccounts",
    "Microsoft.Synapse/workspaces",
    "Microsoft.Web/sites",
}


def _sensitive(resource: dict[str, Any]) -> bool:
    tags = resource.get("tags") if isinstance(resource.get("tags"), dict) else {}
    return str(tags.get("data-classification", "")).strip().upper() == "OFFICIAL-SENSITIVE"


def _endpoint_targets(resources: list[dict[str, Any]]) -> list[str]:
    targets: list[str] = []
    for resource in resources:
        if str(resource.get("type", "")).lower() != "microsoft.network/privateendpoints":
            continue
        properties = props(resource)
        for key in ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections"):
            for connection in properties.get(key) or []:
                if isinstance(connection, dict):
                    inner = connection.get("properties") if isinstance(connection.get("properties"), dict) else connection
                    targets.append(str(inner.get("privateLinkServiceId", "")))
    return targets


def _public_access_disabled(resource: dict[str, Any]) -> bool:
    properties = props(resource)
    network = properties.get("network") if isinstance(properties.get("network"), dict) else {}
    value = properties.get("publicNetworkAccess", network.get("publicNetworkAccess", ""))
    return str(value).lower() == "disabled"


class PrivateEndpointsOnly(CrossResourceCheck):
    id = "CKV_BOROUGH_012"

    def evaluate(self, resources: list[dict[str, Any]]) -> Iterable[CrossResult]:
        targets = ReferenceIndex(_endpoint_targets(resources))
        for resource in resources:
            if resource.get("type") not in PRIVATE_LINK_TYPES or not _sensitive(resource):
                continue
            network = props(resource).get("network")
            injected = isinstance(network, dict) and bool(network.get("delegatedSubnetResourceId"))
            endpoint = injected or targets.names(resource)
            closed = _public_access_disabled(resource)
            if endpoint and closed:
                yield CrossResult(resource, CheckResult.PASSED, "reached through a private endpoint (or subnet), "
                                                                "public network access disabled")
            else:
                missing = [m for m, ok in (("no private endpoint", endpoint), ("public network access not disabled", closed)) if not ok]
                yield CrossResult(resource, CheckResult.FAILED, "; ".join(missing))


check = PrivateEndpointsOnly()
