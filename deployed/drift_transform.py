"""Stack drift, step 2 of 3 (transform): both sides as ARM resources, ready to compare.

The desired side is each resource of the stack rendered with ``arm.render_resource`` (the same
rendering compliance checks use); the live side is what ``deployed.drift_get`` read, as
``inventory.live.azure.transform_resource`` makes it, with the properties only a child GET returns
put back in place. Pure functions over data.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from deployed.drift_get import LiveRead
from inventory.live.model import LiveResource
from synth.graph import GraphResource, ResourceGraph

ID_PATH = re.compile(r"^/subscriptions/([^/]+)/resourcegroups/([^/]+)", re.IGNORECASE)

Render = Callable[[GraphResource], "dict[str, Any] | None"]


def _render() -> Render:
    from arm import render_resource

    return render_resource


def desired_resources(graph: ResourceGraph, render: Render | None = None) -> tuple[list[tuple[GraphResource, dict[str, Any]]], list[GraphResource]]:
    """(resource, ARM) pairs that can be compared, and the azure-native resources that cannot."""
    render = render or _render()
    comparable, skipped = [], []
    for resource in graph.custom_resources():
        if not resource.type.startswith("azure-native:"):
            continue
        arm = render(resource) if resource.id else None
        if arm is None:
            skipped.append(resource)
        else:
            comparable.append((resource, arm))
    return comparable, skipped


def resource_groups_of(ids: list[str]) -> dict[str, list[str]]:
    """Subscription -> resource groups named in these ARM ids (what stack drift reads)."""
    out: dict[str, set[str]] = {}
    for resource_id in ids:
        match = ID_PATH.match(resource_id)
        if match:
            out.setdefault(match.group(1).lower(), set()).add(match.group(2).lower())
    return {sub: sorted(groups) for sub, groups in sorted(out.items())}


def transform_live(read: LiveRead) -> list[LiveResource]:
    """The live resources drift compares: Resource Graph's rows and the ARM GETs, supplemented."""
    from inventory.live.azure import transform_resource

    child_bodies = {target.lower() for target, _ in read.supplements.values()}
    extra = [transform_resource(body) for key, body in read.bodies.items() if body and key not in child_bodies]
    return [_supplemented(r, read.supplements, read.bodies) for r in [*read.snapshot.resources, *extra]]


def _supplemented(resource: LiveResource, supplements: dict[str, tuple[str, str]], bodies: dict[str, Any]) -> LiveResource:
    import dataclasses

    from inventory.live.azure import supplement_of

    target = supplements.get(resource.key)
    supplement = supplement_of(resource.type)
    body = bodies.get(target[0].lower()) if target else None
    if not body or not supplement:
        return resource
    properties = {**(resource.arm.get("properties") or {}), supplement[1]: body.get("properties")}
    return dataclasses.replace(resource, arm={**resource.arm, "properties": properties})
