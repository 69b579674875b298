"""CKV_BOROUGH_039: no classic (Azure Service Manager) storage accounts or virtual machines."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class NoClassicResources(CouncilCheck):
    id = "CKV_BOROUGH_039"
    supported_resources = ("Microsoft.ClassicStorage/storageAccounts", "Microsoft.ClassicCompute/virtualMachines")

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        return CheckResult.FAILED, f"{conf.get('type')} is a classic (Service Manager) resource, retired by Azure"


check = NoClassicResources()
