"""CKV_BOROUGH_010: every resource that emits resource logs sends them somewhere.

A diagnostic setting is its own resource (``Microsoft.Insights/diagnosticSettings`` with a
``scope``, or the nested ``<type>/providers/diagnosticSettings`` form), so this rule needs the
whole template: it runs in the engine, not as a checkov resource check.
"""

from __future__ import annotations

from typing import Any, Iterable

from policies.checks.base import CheckResult, CrossResourceCheck, CrossResult, ReferenceIndex

SUPPORTS_DIAGNOSTICS = {
    "Microsoft.ApiManagement/service",
    "Microsoft.App/managedEnvironments",
    "Microsoft.Cache/redis",
    "Microsoft.CognitiveServices/accounts",
    "Microsoft.ContainerRegistry/registries",
    "Microsoft.ContainerService/managedClusters",
    "Microsoft.DBforMySQL/flexibleServers",
    "Microsoft.DBforPostgreSQL/flexibleServers",
    "Microsoft.DataFactory/factories",
    "Microsoft.Databricks/workspaces",
    "Microsoft.DocumentDB/databaseAccounts",
    "Microsoft.EventGrid/topics",
    "Microsoft.EventHub/namespaces",
    "Microsoft.KeyVault/vaults",
    "Microsoft.Network/applicationGateways",
    "Microsoft.Network/azureFirewalls",
    "Microsoft.Network/bastionHosts",
    "Microsoft.Network/networkSecurityGroups",
    "Microsoft.Network/publicIPAddresses",
    "Microsoft.Network/virtualNetworks",
    "Microsoft.OperationalInsights/workspaces",
    "Microsoft.RecoveryServices/vaults",
    "Microsoft.Search/searchServices",
    "Microsoft.ServiceBus/namespaces",
    "Microsoft.Sql/servers/databases",
    "Microsoft.Storage/storageAccounts",
    "Microsoft.Synapse/workspaces",
    "Microsoft.Web/sites",
}
DIAGNOSTIC_TYPE = "microsoft.insights/diagnosticsettings"


def _diagnostic_scopes(resources: list[dict[str, Any]]) -> list[str]:
    scopes: list[str] = []
    for resource in resources:
        arm_type = str(resource.get("type", "")).lower()
        if arm_type == DIAGNOSTIC_TYPE and isinstance(resource.get("scope"), str):
            scopes.append(resource["scope"])
        elif arm_type.endswith("/providers/diagnosticsettings"):
            owner_type = arm_type.rsplit("/providers/", 1)[0]
            owner_name = str(resource.get("name", "")).split("/", 1)[0]
            scopes.append(f"/providers/{owner_type}/{owner_name}")
    return scopes


class DiagnosticSettingsPresent(CrossResourceCheck):
    id = "CKV_BOROUGH_010"

    def evaluate(self, resources: list[dict[str, Any]]) -> Iterable[CrossResult]:
        scopes = ReferenceIndex(_diagnostic_scopes(resources), within=True)
        for resource in resources:
            if resource.get("type") not in SUPPORTS_DIAGNOSTICS:
                continue
            covered = scopes.names(resource)
            yield CrossResult(resource, CheckResult.PASSED if covered else CheckResult.FAILED,
                              "a diagnostic setting targets this resource" if covered
                              else "no diagnostic setting targets this resource")


check = DiagnosticSettingsPresent()
