"""CKV_BOROUGH_027: App Configuration stores are reachable through private endpoints only."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class AppConfigurationPublicDisabled(CouncilCheck):
    id = "CKV_BOROUGH_027"
    supported_resources = ("Microsoft.AppConfiguration/configurationStores",)
    reads = ("properties/publicNetworkAccess",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        return self.passed_if(str(props(conf).get("publicNetworkAccess", "")).lower() == "disabled")


check = AppConfigurationPublicDisabled()
