"""CKV_BOROUGH_003: storage accounts refuse shared key (account key) authorisation."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class StorageSharedKeyDisabled(CouncilCheck):
    id = "CKV_BOROUGH_003"
    supported_resources = ("Microsoft.Storage/storageAccounts",)
    reads = ("properties/allowSharedKeyAccess",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        return self.passed_if(props(conf).get("allowSharedKeyAccess") is False)


check = StorageSharedKeyDisabled()
