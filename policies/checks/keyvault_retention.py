"""CKV_BOROUGH_020: deleted Key Vault objects stay recoverable for 90 days (Azure's default;
a stack may not shorten it)."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class KeyVaultSoftDeleteRetention(CouncilCheck):
    id = "CKV_BOROUGH_020"
    supported_resources = ("Microsoft.KeyVault/vaults",)
    reads = ("properties/softDeleteRetentionInDays",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        days = props(conf).get("softDeleteRetentionInDays", 90)
        return self.passed_if(isinstance(days, int) and days >= 90)


check = KeyVaultSoftDeleteRetention()
