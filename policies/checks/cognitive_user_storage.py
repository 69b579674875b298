"""CKV_BOROUGH_041: Cognitive Services (Azure AI) accounts store customer data in council-owned storage."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class CognitiveUserOwnedStorage(CouncilCheck):
    id = "CKV_BOROUGH_041"
    supported_resources = ("Microsoft.CognitiveServices/accounts",)
    reads = ("properties/userOwnedStorage",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        storage = props(conf).get("userOwnedStorage")
        return self.passed_if(isinstance(storage, list) and any(isinstance(s, dict) and s.get("resourceId") for s in storage))


check = CognitiveUserOwnedStorage()
