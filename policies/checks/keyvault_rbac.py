"""CKV_BOROUGH_005: Key Vaults use Azure RBAC, not access policies."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class KeyVaultRbac(CouncilCheck):
    id = "CKV_BOROUGH_005"
    supported_resources = ("Microsoft.KeyVault/vaults",)
    reads = ("properties/enableRbacAuthorization",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        return self.passed_if(props(conf).get("enableRbacAuthorization") is True)


check = KeyVaultRbac()
