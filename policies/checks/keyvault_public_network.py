"""CKV_BOROUGH_006: Key Vaults are not reachable from public networks."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class KeyVaultPublicNetworkDisabled(CouncilCheck):
    id = "CKV_BOROUGH_006"
    supported_resources = ("Microsoft.KeyVault/vaults",)
    reads = ("properties/publicNetworkAccess",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        return self.passed_if(str(props(conf).get("publicNetworkAccess", "")).lower() == "disabled")


check = KeyVaultPublicNetworkDisabled()
