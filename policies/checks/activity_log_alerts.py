"""CKV_BOROUGH_046: each subscription has enabled activity-log alert rules for the operations an
assessor expects to be told about: NSG changes, policy assignment changes and security solution
changes (write and delete)."""

from __future__ import annotations

from typing import Any, Iterable

from policies.checks.base import CheckResult, CrossResourceCheck, CrossResult, props
from policies.checks.subscriptions import in_subscription, subscription_id, subscriptions

REQUIRED = (
    "Microsoft.Network/networkSecurityGroups/write", "Microsoft.Network/networkSecurityGroups/delete",
    "Microsoft.Authorization/policyAssignments/write", "Microsoft.Authorization/policyAssignments/delete",
    "Microsoft.Security/securitySolutions/write", "Microsoft.Security/securitySolutions/delete",
)


def alerted_operations(body: dict[str, Any]) -> set[str]:
    """Operation names an enabled alert rule fires on (``allOf`` conditions, ``anyOf`` inside them)."""
    found = props(body)
    if str(found.get("enabled", True)).lower() == "false":
        return set()
    condition = found.get("condition") if isinstance(found.get("condition"), dict) else {}
    leaves: list[dict[str, Any]] = []
    for item in condition.get("allOf") or []:
        if isinstance(item, dict):
            leaves.append(item)
            leaves.extend(i for i in item.get("anyOf") or [] if isinstance(i, dict))
    return {str(leaf.get("equals", "")).lower() for leaf in leaves
            if str(leaf.get("field", "")).lower() == "operationname" and leaf.get("equals")}


class ActivityLogAlerts(CrossResourceCheck):
    id = "CKV_BOROUGH_046"

    def evaluate(self, resources: list[dict[str, Any]]) -> Iterable[CrossResult]:
        for subscription in subscriptions(resources):
            covered: set[str] = set()
            for alert in in_subscription(resources, subscription_id(subscription), "Microsoft.Insights/activityLogAlerts"):
                covered |= alerted_operations(alert)
            missing = [op for op in REQUIRED if op.lower() not in covered]
            yield CrossResult(subscription, CheckResult.FAILED if missing else CheckResult.PASSED,
                              f"no enabled activity-log alert for {', '.join(missing)}" if missing
                              else "activity-log alerts cover NSG, policy assignment and security solution changes")


check = ActivityLogAlerts()
