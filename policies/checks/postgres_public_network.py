"""CKV_BOROUGH_008: PostgreSQL flexible servers are not reachable from public networks."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class PostgresPublicNetworkDisabled(CouncilCheck):
    id = "CKV_BOROUGH_008"
    supported_resources = ("Microsoft.DBforPostgreSQL/flexibleServers",)
    reads = ("properties/network/publicNetworkAccess",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        network = props(conf).get("network")
        if not isinstance(network, dict):
            return CheckResult.FAILED
        return self.passed_if(str(network.get("publicNetworkAccess", "")).lower() == "disabled")


check = PostgresPublicNetworkDisabled()
