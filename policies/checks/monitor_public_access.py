"""CKV_BOROUGH_026: Log Analytics workspaces and Application Insights components take logs and
queries from private networks only (Azure Monitor Private Link Scope)."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

SETTINGS = ("publicNetworkAccessForIngestion", "publicNetworkAccessForQuery")


class MonitorPublicAccessDisabled(CouncilCheck):
    id = "CKV_BOROUGH_026"
    supported_resources = ("Microsoft.OperationalInsights/workspaces", "Microsoft.Insights/components")

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        found = props(conf)
        open_ = [f"properties/{key} = {found.get(key, 'not set (Enabled by default)')}" for key in SETTINGS
                 if str(found.get(key, "Enabled")).lower() != "disabled"]
        return self.verdict(not open_, "public " + "; ".join(open_),
                            "public ingestion and query are disabled")


check = MonitorPublicAccessDisabled()
