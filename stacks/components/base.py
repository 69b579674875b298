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
