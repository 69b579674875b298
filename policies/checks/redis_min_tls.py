"""CKV_BOROUGH_023: Azure Cache for Redis refuses TLS versions older than 1.2."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

from policies.checks.tls import tls_at_least


class RedisMinimumTls(CouncilCheck):
    id = "CKV_BOROUGH_023"
    supported_resources = ("Microsoft.Cache/redis",)

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        return tls_at_least(props(conf).get("minimumTlsVersion"), "1.2")


check = RedisMinimumTls()
