"""CKV_BOROUGH_016: Log Analytics workspaces keep logs for at least 90 days."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

MINIMUM_DAYS = 90


class LogRetention(CouncilCheck):
    id = "CKV_BOROUGH_016"
    supported_resources = ("Microsoft.OperationalInsights/workspaces",)
    reads = ("properties/retentionInDays",)

    def evaluate(self, conf: dict[str, Any]) -> CheckResult:
        days = props(conf).get("retentionInDays")
        return self.passed_if(isinstance(days, int) and not isinstance(days, bool) and days >= MINIMUM_DAYS)


check = LogRetention()
