"""CKV_BOROUGH_022: Azure Cache for Redis does not listen on its non-TLS port (6379)."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class RedisNonTlsPortDisabled(CouncilCheck):
    id = "CKV_BOROUGH_022"
    supported_resources = ("Microsoft.Cache/redis",)

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        enabled = props(conf).get("enableNonSslPort")
        return self.verdict(str(enabled).lower() != "true",
                            "non-TLS port 6379 is enabled (properties/enableNonSslPort = true)",
                            f"non-TLS port 6379 is closed (properties/enableNonSslPort = {str(enabled).lower() if enabled is not None else 'not set, false by default'})")


check = RedisNonTlsPortDisabled()
