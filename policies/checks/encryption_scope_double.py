"""CKV_BOROUGH_036: storage encryption scopes add infrastructure (double) encryption."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class EncryptionScopeDouble(CouncilCheck):
    id = "CKV_BOROUGH_036"
    supported_resources = ("Microsoft.Storage/storageAccounts/encryptionScopes",)
    reads = ("properties/requireInfrastructureEncryption",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        return self.passed_if(str(props(conf).get("requireInfrastructureEncryption")).lower() == "true")


check = EncryptionScopeDouble()
