"""CKV_BOROUGH_018: a diagnostic setting sends all resource logs to a Log Analytics workspace."""

from __future__ import annotations

from typing import Any

from policies.checks.base import CheckResult, CouncilCheck, props

ALL = {"alllogs", "audit"}


class DiagnosticSettingDestination(CouncilCheck):
    id = "CKV_BOROUGH_018"
    supported_resources = ("Microsoft.Insights/diagnosticSettings",)

    def evaluate(self, conf: dict[str, Any]) -> tuple[CheckResult, str]:
        properties = props(conf)
        logs = [entry for entry in properties.get("logs") or [] if isinstance(entry, dict) and entry.get("enabled") is True]
        all_logs = any(str(entry.get("categoryGroup", "")).lower() in ALL for entry in logs)
        metrics_only = not properties.get("logs") and bool(properties.get("metrics"))
        workspace = bool(properties.get("workspaceId"))
        problems = [p for p, ok in (("no Log Analytics workspace (workspaceId)", workspace),
                                    ("not every log category (categoryGroup allLogs)", all_logs or metrics_only)) if not ok]
        return self.verdict(not problems, "; ".join(problems),
                            "sends " + ("metrics" if metrics_only else "all resource logs") + " to Log Analytics")


check = DiagnosticSettingDestination()
