"""Helpers for the subscription-level checks: the subscriptions a live template holds and the
resources that belong to each. ``check --live`` adds one ``Microsoft.Resources/subscriptions``
resource per subscription it read; a program or template has none, so these checks say nothing
there rather than guess which subscription it deploys to."""

from __future__ import annotations

from typing import Any, Iterable

SUBSCRIPTION = "microsoft.resources/subscriptions"


def subscriptions(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in resources if str(r.get("type", "")).lower() == SUBSCRIPTION]


def subscription_id(resource: dict[str, Any]) -> str:
    metadata = resource.get("metadata") if isinstance(resource.get("metadata"), dict) else {}
    resource_id = str(metadata.get("pulumi:urn") or metadata.get("pulumi:id") or "")
    parts = resource_id.strip("/").split("/")
    return parts[1].lower() if len(parts) > 1 and parts[0].lower() == "subscriptions" else ""


def in_subscription(resources: list[dict[str, Any]], subscription: str, arm_type: str) -> Iterable[dict[str, Any]]:
    wanted = arm_type.lower()
    for resource in resources:
        if str(resource.get("type", "")).lower() == wanted and subscription_id(resource) == subscription:
            yield resource
