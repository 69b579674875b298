"""The posture fake taught subscription-level reads: Defender for Cloud security contacts (an ARM
list under the subscription) and Azure Policy's compliance states (``PolicyResources`` rows of
type ``microsoft.policyinsights/policystates``), in the shapes of the Azure REST reference."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from live_fake import PostureArm, PostureServer, _PostureHandler

COUNCIL_TAGS = {"system-id": "security-monitoring", "owner": "security@example.gov.uk", "environment": "platform",
                "data-classification": "OFFICIAL", "cost-centre": "CC-0001"}


@dataclass
class SubscriptionArm(PostureArm):
    policy_states: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Subscription id -> policy state rows (``properties`` as Resource Graph returns them)."""

    def table_rows(self, subscription: str, table: str, groups: set[str] | None) -> list[dict[str, Any]]:
        if table == "policyresources-states":
            return list(self.policy_states.get(subscription.lower(), []))
        rows = super().table_rows(subscription, table, groups)
        # Resource Graph indexes no security contacts: they are read with an ARM list call
        return [r for r in rows if r["type"].lower() != "microsoft.security/securitycontacts"]


class _SubscriptionHandler(_PostureHandler):
    state: SubscriptionArm

    def _query_rows(self, query: str, subscription: str, groups: set[str] | None) -> list[dict[str, Any]]:
        if "microsoft.policyinsights/policystates" in query.lower():
            return self.state.table_rows(subscription, "policyresources-states", groups)
        return super()._query_rows(query, subscription, groups)


class SubscriptionServer(PostureServer):
    handler = _SubscriptionHandler

    def __init__(self, state: SubscriptionArm | None = None) -> None:
        super().__init__(state or SubscriptionArm())


def security_contact(subscription: str, emails: str, severity: str = "High", on: bool = True) -> dict[str, Any]:
    """A ``Microsoft.Security/securityContacts`` body (API 2023-12-01-preview)."""
    return {"id": f"/subscriptions/{subscription}/providers/Microsoft.Security/securityContacts/default",
            "name": "default", "type": "Microsoft.Security/securityContacts",
            "properties": {"emails": emails, "phone": "", "isEnabled": True,
                           "notificationsByRole": {"state": "On", "roles": ["Owner"]},
                           "notificationsSources": [{"sourceType": "Alert", "minimalSeverity": severity}] if on else []}}


def activity_log_alert(subscription: str, name: str, operations: list[str], enabled: bool = True) -> dict[str, Any]:
    """A ``Microsoft.Insights/activityLogAlerts`` body (API 2020-10-01)."""
    return {"id": f"/subscriptions/{subscription}/resourceGroups/rg-monitor/providers/Microsoft.Insights/activityLogAlerts/{name}",
            "name": name, "type": "Microsoft.Insights/activityLogAlerts", "location": "Global",
            "tags": dict(COUNCIL_TAGS), "properties": {
                "enabled": enabled, "scopes": [f"/subscriptions/{subscription}"],
                "condition": {"allOf": [{"field": "category", "equals": "Administrative"},
                                        {"anyOf": [{"field": "operationName", "equals": op} for op in operations]}]},
                "actions": {"actionGroups": [{"actionGroupId": f"/subscriptions/{subscription}/resourceGroups/rg-monitor/"
                                                               "providers/Microsoft.Insights/actionGroups/security"}]}}}


def pricing(subscription: str, plan: str, tier: str) -> dict[str, Any]:
    """A ``Microsoft.Security/pricings`` body (API 2024-01-01)."""
    return {"id": f"/subscriptions/{subscription}/providers/Microsoft.Security/pricings/{plan}", "name": plan,
            "type": "Microsoft.Security/pricings", "properties": {"pricingTier": tier, "freeTrialRemainingTime": "PT0S"}}


def policy_state(subscription: str, resource_id: str, definition: str, initiative: str, state: str) -> dict[str, Any]:
    """A Resource Graph ``policystates`` row (properties as in the Policy Insights reference)."""
    return {"id": f"/subscriptions/{subscription}/providers/Microsoft.PolicyInsights/policyStates/latest/{definition}-{len(resource_id)}",
            "type": "microsoft.policyinsights/policystates", "properties": {
                "resourceId": resource_id, "complianceState": state, "timestamp": "2026-12-06T02:00:00Z",
                "policyAssignmentId": f"/subscriptions/{subscription}/providers/Microsoft.Authorization/policyAssignments/uk-ncsc",
                "policyDefinitionId": f"/providers/Microsoft.Authorization/policyDefinitions/{definition}",
                "policySetDefinitionId": f"/providers/Microsoft.Authorization/policySetDefinitions/{initiative}",
                "policyDefinitionAction": "audit"}}
