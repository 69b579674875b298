"""The component/resource tree of a synthesized graph, for people (``borough stacks show``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from synth.graph import GraphResource, ResourceGraph


@dataclass
class TreeNode:
    label: str
    type: str
    component: bool
    children: list["TreeNode"] = field(default_factory=list)

    def count(self) -> int:
        return sum(1 + c.count() for c in self.children)


def resource_tree(graph: ResourceGraph) -> TreeNode:
    """Nodes by parent URN, in declaration order; providers and the stack resource are not shown."""
    by_parent: dict[str | None, list[GraphResource]] = {}
    root_urn = None
    for resource in graph.resources:
        if resource.type == "pulumi:pulumi:Stack":
            root_urn = resource.urn
            continue
        if resource.is_provider:
            continue
        by_parent.setdefault(resource.parent, []).append(resource)

    def build(resource: GraphResource) -> TreeNode:
        return TreeNode(label=_label(resource), type=resource.type, component=resource.is_component,
                        children=[build(c) for c in by_parent.get(resource.urn, [])])

    top = by_parent.get(root_urn, []) + (by_parent.get(None, []) if root_urn is not None else [])
    return TreeNode(label=f"{graph.project}/{graph.stack}", type="pulumi:pulumi:Stack", component=True,
                    children=[build(r) for r in top])


def _label(resource: GraphResource) -> str:
    name = resource.outputs.get("name") if resource.custom else None
    physical = f" ({name})" if isinstance(name, str) and name != resource.name else ""
    return f"{resource.name}{physical}"
