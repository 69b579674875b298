"""What every component shares: where it lives and where its logs go."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import pulumi


@dataclass(frozen=True)
class Placement:
    """Resource group, region and (optionally) the Log Analytics workspace for diagnostics."""

    resource_group_name: pulumi.Input[str]
    location: str
    workspace_id: pulumi.Input[str] | None = None


@dataclass(frozen=True)
class PrivateLink:
    """Where a component's private endpoints go and which private DNS zones they register in."""

    subnet_id: pulumi.Input[str]
    zone_ids: pulumi.Input[dict[str, str]]
    """Private DNS zone name -> zone id (the platform stack's ``privateDnsZoneIds`` output)."""


def child(parent: pulumi.Resource, **extra: Any) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(parent=parent, **extra)


def stable_guid(*parts: str) -> str:
    """Role assignment names must be GUIDs; derive them so re-runs don't replace them."""
    return str(uuid.UUID(hashlib.sha256("/".join(parts).encode()).hexdigest()[:32]))


@dataclass(frozen=True)
class RoleGrant:
    """A built-in role a component's managed identity needs on one resource (and nothing wider)."""

    name: str
    scope: pulumi.Input[str]
    role_definition: str


# Built-in role definition ids (the same in every tenant).
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
EVENT_HUBS_DATA_RECEIVER = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"
EVENT_GRID_DATA_SENDER = "d5a91429-5739-47e2-a06b-3470a27159e7"
COGNITIVE_SERVICES_USER = "a97b65f3-24c7-4388-baec-2e87135dc908"


def grant(name: str, parent: pulumi.Resource, *, scope: pulumi.Input[str], principal_id: pulumi.Input[str],
          role_definition: str, subscription_id: pulumi.Input[str], seed: str) -> pulumi.CustomResource:
    """A role assignment of a built-in role to a managed identity, named by a stable GUID."""
    from pulumi_azure_native import authorization

    return authorization.RoleAssignment(
        name,
        role_assignment_name=stable_guid(seed, role_definition),
        scope=scope,
        principal_id=principal_id,
        principal_type="ServicePrincipal",
        role_definition_id=pulumi.Output.from_input(subscription_id).apply(
            lambda sub: f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{role_definition}"),
        opts=child(parent),
    )
