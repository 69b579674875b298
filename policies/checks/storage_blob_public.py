"""CKV_BOROUGH_004: storage accounts forbid anonymous (public) blob access."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class StorageBlobPublicAccessDisabled(CouncilCheck):
    id = "CKV_BOROUGH_004"
    supported_resources = ("Microsoft.Storage/storageAccounts",)
    reads = ("properties/allowBlobPublicAccess",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        return self.passed_if(props(conf).get("allowBlobPublicAccess") is False)


check = StorageBlobPublicAccessDisabled()
