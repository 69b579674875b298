"""CKV_BOROUGH_015: storage accounts cannot replicate objects to other tenants."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class StorageCrossTenantReplicationDisabled(CouncilCheck):
    id = "CKV_BOROUGH_015"
    supported_resources = ("Microsoft.Storage/storageAccounts",)
    reads = ("properties/allowCrossTenantReplication",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        return self.passed_if(props(conf).get("allowCrossTenantReplication") is False)


check = StorageCrossTenantReplicationDisabled()
