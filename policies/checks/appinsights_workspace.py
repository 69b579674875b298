"""CKV_BOROUGH_037: Application Insights components keep their logs in a Log Analytics workspace."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props


class AppInsightsWorkspace(CouncilCheck):
    id = "CKV_BOROUGH_037"
    supported_resources = ("Microsoft.Insights/components",)

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        # ARM spells it WorkspaceResourceId; Pulumi and Resource Graph workspaceResourceId
        found = {k.lower(): v for k, v in props(conf).items()}.get("workspaceresourceid")
        return self.verdict(bool(str(found or "").strip()), "not linked to a Log Analytics workspace "
                            "(properties/WorkspaceResourceId not set): classic telemetry store",
                            f"linked to workspace {found}")


check = AppInsightsWorkspace()
