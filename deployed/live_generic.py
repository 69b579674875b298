"""Live resources of types borough has no mapping for, rendered generically from their row.

A Resource Graph row is already an ARM resource: id, type, location, tags, properties. A type the
ARM type table lacks (a Purview or Automation account) needs no Pulumi mapping to be judged by the
checks that apply to every resource (council tags where the type takes a location, UK location),
so it is rendered as it came, its type spelled as its id spells it, and marked ``generic``. What
borough cannot judge about it (its type-specific settings) is named in the report, not hidden,
and the run is not made incomplete for a type merely unmapped: exit 3 stays for what could not
be *read*.
"""

from __future__ import annotations

import copy
from typing import Any

GENERIC_KEY = "borough:generic"
"""In a resource's metadata: rendered generically. In the template's metadata: generic type ->
whether it takes a location (then council tags are asked of it, as Azure Policy's indexed mode would)."""
GENERIC_API_VERSION = "generic"
TOP_LEVEL = ("location", "tags", "sku", "kind", "identity", "zones", "plan", "extendedLocation")


def transform_generic(row: dict[str, Any], name: str, live_key: str, urn_key: str) -> dict[str, Any] | None:
    """The ARM resource a row of an unmapped type stands for, or None when its id names no
    provider type (nothing to judge it as). Pure."""
    from inventory.live.azure import type_from_id

    resource_id = str(row.get("id") or "")
    arm_type = type_from_id(resource_id)
    if arm_type is None or arm_type.lower() != str(row.get("type") or arm_type).lower():
        return None
    arm = with_row_body({"type": arm_type, "apiVersion": GENERIC_API_VERSION, "name": name}, row)
    arm["metadata"] = {urn_key: resource_id, live_key: True, GENERIC_KEY: True}
    return arm


def with_row_body(arm: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """``arm`` with the row's top-level ARM keys (those it has) and its properties, copied. Pure."""
    for key in TOP_LEVEL:
        value = row.get(key)
        if value not in (None, "", [], {}):
            arm[key] = copy.deepcopy(value)
    properties = row.get("properties")
    arm["properties"] = copy.deepcopy(properties) if isinstance(properties, dict) else {}
    return arm


def generic_types(resources: list[dict[str, Any]]) -> dict[str, bool]:
    """Generic type -> whether any resource of it has a location (it is a tracked resource)."""
    out: dict[str, bool] = {}
    for arm in resources:
        if (arm.get("metadata") or {}).get(GENERIC_KEY):
            located = bool(str(arm.get("location") or "").strip())
            out[arm["type"]] = out.get(arm["type"], False) or located
    return dict(sorted(out.items()))
