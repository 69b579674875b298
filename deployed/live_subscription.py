"""Subscription-level evidence ``check --live`` reads beside the resources: Defender for Cloud
security contacts (one ARM list call per subscription) and the compliance states Azure Policy
recorded (Resource Graph ``PolicyResources``, type ``microsoft.policyinsights/policystates``).

Defender plans (``SecurityResources``) and activity-log alert rules (``Resources``) already come
with the posture read. ``read_*`` record what could not be read so the run says so (exit 3);
``transform_policy_states`` is pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inventory.live.azure import AzureSettings
from deployed.live_get import ListCall, PostureScope, get_graph_pages, read_lists
from inventory.live.errors import LiveReadError
from inventory.live.model import NotRead

CONTACTS_API = "2023-12-01-preview"
CONTACTS = "Microsoft.Security/securityContacts"
POLICY_STATES_QUERY = ("PolicyResources | where type =~ 'microsoft.policyinsights/policystates' "
                       "| project id, type, properties | order by id asc")


@dataclass(frozen=True)
class PolicyState:
    """One resource's compliance with one policy definition, as Azure Policy last evaluated it."""

    resource_id: str
    definition_id: str
    """The definition's name (its GUID), lower case."""
    set_definition_id: str
    """The initiative's name (its GUID), lower case; empty when the policy was assigned alone."""
    compliance: str
    """``Compliant``, ``NonCompliant``, ``Exempt``, ``Unknown``..."""
    timestamp: str = ""


@dataclass
class SubscriptionRead:
    contacts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Subscription id (lower case) -> its security contact bodies."""
    policy_rows: list[dict[str, Any]] = field(default_factory=list)
    not_read: list[NotRead] = field(default_factory=list)
    requests: int = 0


def contact_calls(subscriptions: list[str]) -> list[ListCall]:
    return [ListCall(f"/subscriptions/{s}/providers/{CONTACTS}", CONTACTS_API, CONTACTS) for s in subscriptions]


def read_subscription_level(subscriptions: list[str], settings: AzureSettings) -> SubscriptionRead:
    """Security contacts and policy states of each subscription; failures are recorded, not raised."""
    from inventory.live.azure import make_graph_client

    out = SubscriptionRead()
    lists = read_lists(contact_calls(subscriptions), settings)
    out.requests += lists.requests
    out.not_read.extend(lists.not_read)
    for call in contact_calls(subscriptions):
        found = lists.lists.get(call.url.lower())
        if found is not None:
            out.contacts[call.url.split("/")[2].lower()] = found
    client = make_graph_client(settings)
    with client:
        for subscription in subscriptions:
            scope = PostureScope(subscription=subscription)
            try:
                for page in get_graph_pages(client, settings, scope, POLICY_STATES_QUERY, "policy states"):
                    out.requests += 1
                    out.policy_rows.extend(row for row in page if isinstance(row, dict))
            except LiveReadError as exc:
                out.requests += 1
                out.not_read.append(exc.not_read)
    return out


def _guid(definition: Any) -> str:
    return str(definition or "").rstrip("/").rsplit("/", 1)[-1].lower()


def transform_policy_states(rows: list[dict[str, Any]]) -> list[PolicyState]:
    """Resource Graph policy state rows as records (rows without a resource or definition are dropped). Pure."""
    out = []
    for row in rows:
        props = row.get("properties") if isinstance(row.get("properties"), dict) else {}
        resource_id, definition = str(props.get("resourceId") or ""), _guid(props.get("policyDefinitionId"))
        if not resource_id or not definition:
            continue
        out.append(PolicyState(resource_id=resource_id, definition_id=definition,
                               set_definition_id=_guid(props.get("policySetDefinitionId")),
                               compliance=str(props.get("complianceState") or "Unknown"),
                               timestamp=str(props.get("timestamp") or "")))
    return sorted(out, key=lambda s: (s.resource_id.lower(), s.definition_id, s.set_definition_id))
