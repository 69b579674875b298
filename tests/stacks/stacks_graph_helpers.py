"""Finding resources in a synthesized graph (shared by the stacks tests)."""

from __future__ import annotations

from synth.graph import GraphResource, ResourceGraph


def of_type(graph: ResourceGraph, token: str) -> list[GraphResource]:
    return [r for r in graph.resources if r.type == token]


def one(graph: ResourceGraph, token: str) -> GraphResource:
    found = of_type(graph, token)
    assert len(found) == 1, f"expected one {token}, found {len(found)}"
    return found[0]
