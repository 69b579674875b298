"""The resource graph: what a Pulumi program declares (synthesis) or a stack holds (state export).

It is the hand-off between stacks and the rest: policies render it to ARM, drift compares it with
the live cloud. Secret values never enter it: they are replaced by ``SECRET``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SECRET = "[secret]"
ROOT_STACK_TYPE = "pulumi:pulumi:Stack"


def engine_urn(stack: str, project: str, parent_urn: str | None, type_: str, name: str) -> str:
    """The URN the Pulumi engine gives a resource (``resource.NewURN`` in the engine's Go SDK):
    ``urn:pulumi:STACK::PROJECT::[PARENT_QUALIFIED_TYPE$]TYPE::NAME``, where the parent's
    qualified type is its whole ``$`` chain and the root stack is never part of it, so a
    top-level resource's URN is the same whether or not it was parented to the stack."""
    parent_type = parent_urn.split("::")[2] if parent_urn and parent_urn.count("::") >= 3 else ""
    qualified = f"{parent_type}${type_}" if parent_type and parent_type != ROOT_STACK_TYPE else type_
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


@dataclass(frozen=True)
class SourcePosition:
    file: str
    line: int


@dataclass
class GraphResource:
    urn: str
    type: str
    """Pulumi type token, e.g. ``azure-native:storage:StorageAccount``."""
    name: str
    """Logical (Pulumi) name."""
    custom: bool = True
    parent: str | None = None
    provider: str | None = None
    id: str | None = None
    """Physical id (ARM id for azure-native) where known: from the mocks or the deployed state."""
    inputs: dict[str, Any] = field(default_factory=dict)
    """Inputs with their wire (camelCase) names, as the provider receives them."""
    outputs: dict[str, Any] = field(default_factory=dict)
    dependencies: list[str] = field(default_factory=list)
    source: SourcePosition | None = None

    @property
    def is_component(self) -> bool:
        return not self.custom

    @property
    def is_provider(self) -> bool:
        return self.type.startswith("pulumi:providers:")


@dataclass
class ResourceGraph:
    project: str
    stack: str
    resources: list[GraphResource] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    """Stack outputs (secrets shown as ``SECRET``)."""

    def by_urn(self) -> dict[str, GraphResource]:
        return {r.urn: r for r in self.resources}

    def custom_resources(self) -> list[GraphResource]:
        """Cloud resources: not components, not providers, not the stack itself."""
        return [r for r in self.resources if r.custom and not r.is_provider and not r.type.startswith("pulumi:")]

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "stack": self.stack,
            "outputs": self.outputs,
            "resources": [_resource_dict(r) for r in self.resources],
        }

    def to_json(self) -> str:
        """Byte-identical for the same graph: sorted keys, resources in registration order."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ResourceGraph":
        resources = []
        for raw in data.get("resources", []):
            raw = dict(raw)
            source = raw.pop("source", None)
            resources.append(GraphResource(**raw, source=SourcePosition(**source) if source else None))
        return cls(project=data["project"], stack=data["stack"], resources=resources, outputs=data.get("outputs", {}))


def _resource_dict(resource: GraphResource) -> dict[str, Any]:
    """The fields as ``asdict`` gives them, without its deep copy of every value (a 1,000-resource
    graph spent a tenth of its synthesis there): the dict is serialized, never kept."""
    data = {f.name: getattr(resource, f.name) for f in fields(resource)}
    data.update(inputs=dict(resource.inputs), outputs=dict(resource.outputs), dependencies=list(resource.dependencies),
                source=asdict(resource.source) if resource.source is not None else None)
    return data
