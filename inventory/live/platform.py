"""Whose resource it is: the objects Azure's platform manages in a council subscription.

Some resources in a subscription belong to a service, not to the council: the managed resource
group a Databricks workspace, an AKS cluster or a managed application creates (Azure sets the
group's ``managedBy`` to the owning resource and usually puts a deny assignment on it), everything
inside such a group, and a SQL server's ``master`` database (``kind`` ``...,system``). Nobody can
change them, so a finding on them is one nobody can fix and "untagged" drift on them is noise.
They are listed apart as ``platform-managed``, with the reason, and counted, never judged.

Pure: ARM-shaped rows (``id``, ``type``, ``kind``, ``managedBy``) in, reasons by id out. Used by
``check --live`` (Resource Graph rows) and inventory drift (``LiveResource.arm``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

GROUP_TYPES = {"microsoft.resources/subscriptions/resourcegroups", "microsoft.resources/resourcegroups"}
SYSTEM_DATABASE = "microsoft.sql/servers/databases"


@dataclass(frozen=True)
class PlatformManaged:
    id: str
    type: str
    reason: str
    owner: str = ""
    """The resource the platform manages it for (a group's ``managedBy``), when Azure says."""


def system_database(row: dict[str, Any]) -> bool:
    """Azure's own database on a SQL server (``master``: kind ``v12.0,system``)."""
    return str(row.get("type") or "").lower() == SYSTEM_DATABASE and "system" in str(row.get("kind") or "").lower()


def _name(resource_id: str) -> str:
    return resource_id.rstrip("/").rsplit("/", 1)[-1]


def managed_groups(rows: Iterable[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Resource group id (lower case) -> (its name, the ``managedBy`` resource id)."""
    out = {}
    for row in rows:
        owner = str(row.get("managedBy") or "").strip()
        if owner and str(row.get("type") or "").lower() in GROUP_TYPES and row.get("id"):
            out[str(row["id"]).lower().rstrip("/")] = (_name(str(row["id"])), owner)
    return out


def platform_managed(rows: Iterable[dict[str, Any]]) -> dict[str, PlatformManaged]:
    """Id (lower case) -> why the platform manages it, for every such row. Pure."""
    rows = [r for r in rows if isinstance(r, dict) and r.get("id")]
    groups = managed_groups(rows)
    out: dict[str, PlatformManaged] = {}
    for row in rows:
        resource_id = str(row["id"])
        key = resource_id.lower().rstrip("/")
        kind = str(row.get("type") or "")
        if key in groups:
            name, owner = groups[key]
            out[key] = PlatformManaged(resource_id, kind, f"resource group managed by {_owner(owner)}", owner)
            continue
        group_key = _group_key(key)
        if group_key in groups:
            name, owner = groups[group_key]
            out[key] = PlatformManaged(resource_id, kind, f"in resource group {name}, managed by {_owner(owner)}", owner)
        elif system_database(row):
            out[key] = PlatformManaged(resource_id, kind, "Azure's system database of its SQL server", _parent(resource_id))
    return out


def _group_key(key: str) -> str:
    parts = key.strip("/").split("/")
    if len(parts) >= 4 and parts[0] == "subscriptions" and parts[2] == "resourcegroups":
        return "/" + "/".join(parts[:4])
    return ""


def _parent(resource_id: str) -> str:
    return resource_id.rsplit("/", 2)[0]


def _owner(owner: str) -> str:
    """``Microsoft.Databricks/workspaces dbw-analytics`` from the owner's ARM id."""
    from inventory.live.azure import type_from_id

    owner_type = type_from_id(owner)
    return f"{owner_type} {_name(owner)}" if owner_type else owner
