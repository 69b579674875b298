"""Subscription-level evidence for ``check --live``: each subscription read becomes a resource of
the live template (with its Defender for Cloud security contacts), so the subscription checks
(CKV_BOROUGH_045 contacts, CKV_BOROUGH_046 activity-log alerts, CKV_AZURE_19 Defender plans) judge
it like any resource; and Azure Policy's recorded compliance states for the UK initiatives'
policies are set beside borough's own verdicts, a disagreement flagged."""

from __future__ import annotations

from typing import Any

from policies.catalog import PolicySet
from policies.output.formats import Table
from policies.compliance.initiatives import Evidence, definition_ids
from policies.output.report import Finding, NotRead, Outcome, PolicyStateRecord
from arm import URN_KEY

SUBSCRIPTION_TYPE = "Microsoft.Resources/subscriptions"
SUBSCRIPTION_LEVEL = "subscription"
"""``managed_by`` of a subscription's own settings: no stack or system owns them, nor are they hand-made resources."""
COMPLIANT = "compliant"
NON_COMPLIANT = "noncompliant"


def subscription_resources(subscription: str, contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The subscription and its security contacts as live template resources. Pure."""
    from deployed.live_transform import LIVE_KEY, transform_row

    resource_id = f"/subscriptions/{subscription.lower()}"
    out = [{"type": SUBSCRIPTION_TYPE, "apiVersion": "2022-12-01", "name": subscription.lower(), "properties": {},
            "metadata": {URN_KEY: resource_id, LIVE_KEY: True}}]
    for body in contacts:
        arm = transform_row({**body, "id": body.get("id") or f"{resource_id}/providers/Microsoft.Security/securityContacts/"
                             f"{body.get('name', 'default')}"}, "Microsoft.Security/securityContacts")
        if arm is not None:
            out.append(arm)
    return out


def subscription_level(resource_id: str) -> bool:
    """A subscription itself, or one of its security contacts."""
    parts = resource_id.strip("/").lower().split("/")
    return len(parts) == 2 and parts[0] == "subscriptions" or "/providers/microsoft.security/securitycontacts/" in resource_id.lower()


def add_subscription_evidence(template: dict[str, Any], subscriptions: list[str], settings: Any) -> tuple[list[Any], list[NotRead]]:
    """Read contacts and policy states, add the subscriptions to ``template``; return the policy
    states and what could not be read (named, so the run is incomplete)."""
    from deployed.live_subscription import read_subscription_level, transform_policy_states

    if not subscriptions:
        return [], []
    read = read_subscription_level(subscriptions, settings)
    resources = template.setdefault("resources", [])
    present = {str((r.get("metadata") or {}).get(URN_KEY, "")).lower() for r in resources}
    for subscription in subscriptions:
        if subscription.lower() in read.contacts or not any(subscription.lower() in n.scope.lower() for n in read.not_read):
            resources.extend(r for r in subscription_resources(subscription, read.contacts.get(subscription.lower(), []))
                             if str(r["metadata"][URN_KEY]).lower() not in present)
    not_read = [NotRead("live", n.scope, n.what, n.reason) for n in read.not_read]
    return transform_policy_states(read.policy_rows), not_read


def compare_policy_states(states: list[Any], findings: list[Finding], policies: PolicySet) -> list[PolicyStateRecord]:
    """One record per recorded state of a policy the UK initiatives list, with borough's verdict
    from the checks classified as judging the same property on the same resource. Pure."""
    listed = definition_ids(policies.initiatives)
    by_resource: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.urn and finding.urn.startswith("/"):
            by_resource.setdefault(finding.urn.lower(), []).append(finding)
    out = []
    for state in states:
        entries = listed.get(state.definition_id)
        if not entries:
            continue
        checks = sorted({c for _, p in entries if p.evidence is Evidence.checked for c in p.checks})
        judged = [f for f in by_resource.get(state.resource_id.lower(), []) if f.check_id in checks]
        outcome = _outcome(judged)
        out.append(PolicyStateRecord(
            resource_id=state.resource_id, policy_definition_id=state.definition_id, policy_name=entries[0][1].name,
            initiatives=sorted({i for i, _ in entries}), controls=sorted({g for _, p in entries for g in p.groups}),
            azure_state=state.compliance, borough_checks=checks, borough_outcome=outcome,
            agreement=_agreement(state.compliance, outcome)))
    return out


def _outcome(findings: list[Finding]) -> str | None:
    if not findings:
        return None
    outcomes = {f.outcome for f in findings}
    for outcome in (Outcome.failed, Outcome.errored, Outcome.suppressed):
        if outcome in outcomes:
            return outcome.value
    return Outcome.passed.value


def _agreement(azure_state: str, outcome: str | None) -> str:
    if outcome is None:
        return "azure-only"
    azure = azure_state.replace("-", "").replace(" ", "").lower()
    if azure not in (COMPLIANT, NON_COMPLIANT):
        return "azure-only"
    borough_ok = outcome in (Outcome.passed.value, Outcome.suppressed.value)
    return "agree" if borough_ok == (azure == COMPLIANT) else "disagree"


def policy_state_table(records: list[PolicyStateRecord]) -> list[Table]:
    if not records:
        return []
    rows = [[r.agreement.upper() if r.agreement == "disagree" else r.agreement, r.resource_id.rsplit("/", 1)[-1],
             r.policy_name, ", ".join(r.controls), r.azure_state, r.borough_outcome or "(not judged)",
             ", ".join(r.borough_checks)] for r in records]
    rows.sort(key=lambda row: (row[0] != "DISAGREE", row[1], row[2]))
    return [Table("Azure Policy compliance states (UK initiatives) beside borough's verdicts",
                  ["Agreement", "Resource", "Policy", "Controls", "Azure Policy", "borough", "Checks"], rows)]
