"""CKV_BOROUGH_024: Service Bus and Event Hubs namespaces refuse TLS versions older than 1.2."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

from policies.checks.tls import tls_at_least


class MessagingMinimumTls(CouncilCheck):
    id = "CKV_BOROUGH_024"
    supported_resources = ("Microsoft.ServiceBus/namespaces", "Microsoft.EventHub/namespaces")

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        return tls_at_least(props(conf).get("minimumTlsVersion"), "1.2")


check = MessagingMinimumTls()
