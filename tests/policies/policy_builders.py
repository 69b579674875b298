"""Build resource graphs the way synthesis does: URNs, wire-name inputs, ARM ids, tags."""

from __future__ import annotations

from typing import Any

from pathlib import Path

from stacks.arm import TYPE_TABLE, dump_template
from stacks.graph import GraphResource, ResourceGraph, SourcePosition

PROJECT = "borough"
SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
RESOURCE_GROUP = "rg-test"
TAGS = {
    "system-id": "resident-portal",
    "owner": "platform-team@example.gov.uk",
    "environment": "resident-services",
    "data-classification": "OFFICIAL",
    "cost-centre": "CC-1234",
}


def urn(stack: str, token: str, logical: str) -> str:
    return f"urn:pulumi:{stack}::{PROJECT}::{token}::{logical}"


def arm_id(token: str, inputs: dict[str, Any], logical: str) -> str:
    entry = TYPE_TABLE[token]
    provider, _, type_path = entry.type.partition("/")
    names = [k[1:] if k.startswith("@") else str(inputs.get(k)) for k in entry.parent_keys]
    names.append(str(inputs.get(entry.name_key) or logical))
    path = "/".join(f"{t}/{n}" for t, n in zip(type_path.split("/"), names))
    return f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/{provider}/{path}"


def resource(stack: str, token: str, logical: str, line: int | None = None, default_tags: bool = True,
             **inputs: Any) -> GraphResource:
    """A custom azure-native resource as synthesis records it (tags/location as the stack
    transform would add them, unless the test overrides them)."""
    full_token = token if token.count(":") >= 2 else f"azure-native:{token}"
    entry = TYPE_TABLE.get(full_token)
    if entry is not None:
        inputs.setdefault("resourceGroupName", RESOURCE_GROUP)
        if entry.taggable and default_tags:
            inputs.setdefault("tags", dict(TAGS))
        if entry.located:
            inputs.setdefault("location", "uksouth")
    rid = arm_id(full_token, inputs, logical) if entry else None
    return GraphResource(
        urn=urn(stack, full_token, logical), type=full_token, name=logical, custom=True,
        id=rid, inputs=inputs, outputs={**inputs, "id": rid} if rid else dict(inputs),
        source=SourcePosition(file="stacks/__main__.py", line=line) if line else None,
    )


def graph(stack: str, resources: list[GraphResource]) -> ResourceGraph:
    root = GraphResource(urn=f"urn:pulumi:{stack}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{stack}",
                         type="pulumi:pulumi:Stack", name=f"{PROJECT}-{stack}", custom=False)
    return ResourceGraph(project=PROJECT, stack=stack, resources=[root, *resources])


def write_template(path: Path, resources: list[dict]) -> Path:
    path.write_text(dump_template({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": resources,
    }), encoding="utf-8")
    return path
