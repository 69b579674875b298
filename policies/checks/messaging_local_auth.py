"""CKV_BOROUGH_025: Service Bus and Event Hubs namespaces accept Entra ID only, no SAS keys."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class MessagingLocalAuthDisabled(CouncilCheck):
    id = "CKV_BOROUGH_025"
    supported_resources = ("Microsoft.ServiceBus/namespaces", "Microsoft.EventHub/namespaces")

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        value = props(conf).get("disableLocalAuth")
        return self.verdict(str(value).lower() == "true",
                            "local (SAS key) authentication is on (properties/disableLocalAuth = "
                            f"{str(value).lower() if value is not None else 'not set, false by default'})",
                            "local (SAS key) authentication is off (properties/disableLocalAuth = true)")


check = MessagingLocalAuthDisabled()
