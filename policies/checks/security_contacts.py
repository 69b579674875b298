"""CKV_BOROUGH_045: each subscription has a Defender for Cloud security contact with an email
address that is sent high-severity alerts (security contacts are read by ``check --live``)."""

from __future__ import annotations

from typing import Any, Iterable

from policies.checks.base import CheckResult, CrossResourceCheck, CrossResult, props
from policies.checks.subscriptions import in_subscription, subscription_id, subscriptions

HIGH_OR_LOWER = {"high", "medium", "low"}
"""A minimal severity that still sends high-severity alerts."""


def contact_verdict(body: dict[str, Any]) -> tuple[bool, str]:
    """Whether one contact gets high-severity alert emails, and why not (API 2017 to 2023 shapes)."""
    found = props(body)
    emails = str(found.get("emails") or found.get("email") or "").strip()
    if not emails:
        return False, "no email address"
    severity, state = None, None
    for source in found.get("notificationsSources") or []:
        if isinstance(source, dict) and str(source.get("sourceType", "")).lower() == "alert":
            severity, state = source.get("minimalSeverity"), "On"
    alerts = found.get("alertNotifications")
    if isinstance(alerts, dict):
        severity, state = alerts.get("minimalSeverity", severity), alerts.get("state", state)
    elif isinstance(alerts, str):
        state, severity = alerts, severity or "High"
    if str(found.get("isEnabled", True)).lower() == "false":
        return False, f"contact {emails} is disabled (isEnabled = false)"
    if str(state).lower() != "on":
        return False, f"alert notifications to {emails} are off"
    if str(severity).lower() not in HIGH_OR_LOWER:
        return False, f"alert notifications to {emails} have minimal severity {severity}, not High"
    return True, f"{emails} gets alerts of severity {severity} and above"


class SecurityContacts(CrossResourceCheck):
    id = "CKV_BOROUGH_045"

    def evaluate(self, resources: list[dict[str, Any]]) -> Iterable[CrossResult]:
        for subscription in subscriptions(resources):
            contacts = list(in_subscription(resources, subscription_id(subscription), "Microsoft.Security/securityContacts"))
            verdicts = [contact_verdict(c) for c in contacts]
            good = [why for ok, why in verdicts if ok]
            if good:
                yield CrossResult(subscription, CheckResult.PASSED, good[0])
            elif verdicts:
                yield CrossResult(subscription, CheckResult.FAILED, "; ".join(why for _, why in verdicts))
            else:
                yield CrossResult(subscription, CheckResult.FAILED, "no Defender for Cloud security contact")


check = SecurityContacts()
