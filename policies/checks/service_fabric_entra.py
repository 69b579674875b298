"""CKV_BOROUGH_044: Service Fabric clusters authenticate clients with Microsoft Entra ID."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class ServiceFabricEntra(CouncilCheck):
    id = "CKV_BOROUGH_044"
    supported_resources = ("Microsoft.ServiceFabric/clusters",)
    reads = ("properties/azureActiveDirectory/tenantId",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        aad = props(conf).get("azureActiveDirectory")
        return self.passed_if(isinstance(aad, dict) and bool(aad.get("tenantId")))


check = ServiceFabricEntra()
