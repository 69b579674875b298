"""Render Pulumi azure-native resources as ARM resources.

pulumi-azure-native resources are ARM resources with the ``properties`` envelope flattened away
and path parameters (``resourceGroupName``, ``accountName``...) as inputs. Putting the envelope
back, renaming the few SDK names that differ from ARM's and re-nesting sub-resources is enough for
checkov's ARM checks to find the keys they read. Every rendered resource carries its Pulumi URN in
``metadata`` so a finding names the Pulumi resource to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from arm.types import (
    NESTED_CHILDREN,
    NESTED_RENAMES,
    RENAMES,
    SCOPE_KEYS,
    SUB_RESOURCE_PASSTHROUGH_KEYS,
    SUBRESOURCE_TYPES,
    SUBRESOURCES,
    TOP_LEVEL_KEYS,
    NOT_ARM,
    ArmType,
    lookup,
)
from arm.expressions import UnresolvedValue
from synth.graph import GraphResource, ResourceGraph

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
URN_KEY = "pulumi:urn"
TYPE_KEY = "pulumi:type"


@dataclass(frozen=True)
class NotRendered:
    urn: str
    type: str
    reason: str
    blocking: bool = False
    """An Azure resource the baseline would judge (tags, location, its type's checks) that could
    not be rendered: the run is incomplete unless the user accepts it. A random password or a
    blob (data-plane) is not blocking: checkov's ARM checks have nothing to judge there."""

    def __iter__(self) -> Iterator[str]:  # lets callers unpack (urn, type, reason)
        return iter((self.urn, self.type, self.reason))


@dataclass
class RenderResult:
    template: dict[str, Any]
    not_rendered: list[NotRendered] = field(default_factory=list)
    urns: dict[str, str] = field(default_factory=dict)
    """``<ARM type>.<ARM name>`` (checkov's resource id) -> Pulumi URN."""
    rendered: int = 0
    unresolved: list[UnresolvedValue] = field(default_factory=list)
    """Template values whose expressions could not be evaluated offline (ARM template input)."""
    parameter_values: dict[str, Any] = field(default_factory=dict)
    """Parameter values the template was resolved with (from ``--parameters``)."""


def render_resource(resource: GraphResource) -> dict[str, Any] | None:
    """One ARM resource for one Pulumi resource, or None when its type has no ARM mapping."""
    entry = lookup(resource.type)
    if entry is None:
        return None
    inputs = resource.inputs or _outputs_as_inputs(resource.outputs)
    if "{" in entry.type:
        entry = _fill_type(entry, inputs, resource.outputs)
    arm: dict[str, Any] = {
        "type": entry.type,
        "apiVersion": entry.api_version,
        "name": arm_name(entry, resource, inputs),
    }
    skip = {"resourceGroupName", entry.name_key, *entry.parent_keys}
    scope_key = SCOPE_KEYS.get(entry.type)
    renames = RENAMES.get(entry.type, {})
    properties: dict[str, Any] = {}
    for key, value in inputs.items():
        if key in skip:
            continue
        if key == scope_key:
            arm["scope"] = value
        elif key in TOP_LEVEL_KEYS:
            arm[key] = value
        elif key == "properties" and isinstance(value, dict):
            properties.update(value)
        else:
            properties[renames.get(key, key)] = value
    for (outer, inner), arm_key in NESTED_RENAMES.get(entry.type, {}).items():
        block = properties.get(outer)
        if isinstance(block, dict) and inner in block:
            properties[outer] = {arm_key if k == inner else k: v for k, v in block.items()}
    arm["properties"] = _nest_subresources(entry.type, properties)
    metadata = {URN_KEY: resource.urn, TYPE_KEY: resource.type}
    if resource.id:
        metadata["pulumi:id"] = resource.id
    arm["metadata"] = metadata
    return arm


def _fill_type(entry: ArmType, inputs: dict[str, Any], outputs: dict[str, Any]) -> ArmType:
    """``Microsoft.Network/dnsZones/{recordType}`` -> ``.../A`` from the resource's own input."""
    from dataclasses import replace

    def value(match: re.Match[str]) -> str:
        found = inputs.get(match.group(1)) or outputs.get(match.group(1))
        return str(found) if found else match.group(0)

    return replace(entry, type=re.sub(r"\{(\w+)\}", value, entry.type))


def arm_name(entry: ArmType, resource: GraphResource, inputs: dict[str, Any]) -> str:
    """ARM's ``parent/child`` name from the path parameters; Pulumi's name when none is set."""
    own = inputs.get(entry.name_key) or resource.outputs.get("name") or resource.name
    if entry.name_key.startswith("@"):  # a fixed child name: sites/config "authsettingsV2"
        own = entry.name_key[1:]
    if entry.name_key == "resourceGroupName":
        own = inputs.get("resourceGroupName") or resource.outputs.get("name") or resource.name
    segments = []
    for key in entry.parent_keys:
        segments.append(key[1:] if key.startswith("@") else str(inputs.get(key) or "unknown"))
    if entry.type.endswith("/blobServices") and not inputs.get(entry.name_key):
        own = "default"
    return "/".join([*segments, str(own)])


def render_graph(graph: ResourceGraph) -> RenderResult:
    """One deterministic ARM template for a whole stack (resources in registration order)."""
    result = RenderResult(template={})
    rendered: list[dict[str, Any]] = []
    group_locations = _resource_group_locations(graph)
    for resource in graph.custom_resources():
        arm = render_resource(resource)
        if arm is None:
            result.not_rendered.append(_not_rendered(resource))
            continue
        arm["metadata"]["pulumi:stack"] = graph.stack
        entry = lookup(resource.type)
        if entry is not None and entry.located and "location" not in arm:
            location = group_locations.get(str(resource.inputs.get("resourceGroupName")))
            if location:
                arm["location"] = location
        rendered.append(arm)
        result.urns.setdefault(f"{arm['type']}.{arm['name']}", resource.urn)
    result.rendered = len(rendered)
    result.template = {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {"pulumi:project": graph.project, "pulumi:stack": graph.stack},
        "resources": nest_children(rendered),
    }
    return result


def _not_rendered(resource: GraphResource) -> NotRendered:
    token = resource.type
    if token in NOT_ARM:
        return NotRendered(resource.urn, token, f"not an ARM resource: {NOT_ARM[token]}")
    if token.startswith("azure-native:"):
        return NotRendered(resource.urn, token, "no ARM mapping for this azure-native type: its checks did not run",
                           blocking=True)
    if token.startswith("azure:"):
        return NotRendered(resource.urn, token, "a pulumi-azure (classic provider) resource: borough renders only "
                           "azure-native resources to ARM, so its checks did not run", blocking=True)
    return NotRendered(resource.urn, token, "not an azure-native resource: checkov's ARM checks cannot judge it")


def _outputs_as_inputs(outputs: dict[str, Any]) -> dict[str, Any]:
    """A state export without inputs still has ARM-shaped outputs; drop read-only fields."""
    return {k: v for k, v in outputs.items() if k not in {"id", "name", "type", "azureApiVersion", "systemData", "etag"}}


def _resource_group_locations(graph: ResourceGraph) -> dict[str, str]:
    locations: dict[str, str] = {}
    for resource in graph.resources:
        if resource.type != "azure-native:resources:ResourceGroup":
            continue
        location = resource.inputs.get("location") or resource.outputs.get("location")
        if not location:
            continue
        for name in (resource.inputs.get("resourceGroupName"), resource.outputs.get("name"), resource.name):
            if name:
                locations.setdefault(str(name), str(location))
    return locations


def _nest_subresources(arm_type: str, properties: dict[str, Any]) -> dict[str, Any]:
    for key in SUBRESOURCES.get(arm_type, ()):
        items = properties.get(key)
        if isinstance(items, list):
            sub_type = SUBRESOURCE_TYPES.get((arm_type, key), f"{arm_type}/{key}")
            properties[key] = [_wrap_subresource(sub_type, item) for item in items]
    return properties


def _wrap_subresource(sub_type: str, item: Any) -> Any:
    if not isinstance(item, dict) or "properties" in item:
        return item
    wrapped = {k: item[k] for k in SUB_RESOURCE_PASSTHROUGH_KEYS if k in item}
    inner = {k: v for k, v in item.items() if k not in SUB_RESOURCE_PASSTHROUGH_KEYS}
    wrapped["properties"] = _nest_subresources(sub_type, inner)
    return wrapped


def nest_children(rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Move the children checks look for into their parent's ``resources``."""
    child_types = {child: parent for parent, children in NESTED_CHILDREN.items() for child in children}
    index = {(r["type"], r["name"]): r for r in rendered}
    top: list[dict[str, Any]] = []
    for arm in rendered:
        parent_type = child_types.get(arm["type"])
        parent = index.get((parent_type, arm["name"].rsplit("/", 1)[0])) if parent_type else None
        if parent is None:
            top.append(arm)
        else:
            parent.setdefault("resources", []).append(arm)
    return top
