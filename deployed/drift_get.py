"""Stack drift, step 1 of 3 (get): the stack's desired state from Pulumi, and what Azure holds.

``desired_from_stack`` asks Pulumi for the state (Automation API); ``get_live`` reads the stack's
resource groups from Azure (``inventory.live.azure``: ``read_azure`` for what Resource Graph
indexes, ARM GET for the rest and for the properties only a child resource returns). Both fetch and
raise, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth.errors import StateError
from synth.graph import GraphResource, ResourceGraph


@dataclass(frozen=True)
class LiveRead:
    """What ``get_live`` fetched, as Azure returned it."""

    snapshot: Any
    """Resource Graph's answer (``inventory.live.azure.read_azure``)."""
    bodies: dict[str, Any]
    """ARM GET bodies by resource id (lower case)."""
    failed: list[Any]
    """The ARM GETs that could not be read (``NotRead``)."""
    supplements: dict[str, tuple[str, str]]
    """Resource id (lower) -> (child id, api version) fetched for properties only a child GET returns."""


def get_live(comparable: list[tuple[GraphResource, dict[str, Any]]], groups: dict[str, list[str]], settings: Any) -> LiveRead:
    """Read the stack's subscriptions and resource groups from Azure (one sign-in for all of it)."""
    from inventory.live.azure import indexed_by_resource_graph, read_arm_resources, read_azure

    settings = settings.validated().signed_in()  # one sign-in for the queries and the GETs
    snapshot = read_azure(sorted(groups), settings, groups=groups)
    targets = [(str(r.id), str(arm["apiVersion"])) for r, arm in comparable if not indexed_by_resource_graph(str(arm["type"]))]
    supplements = _supplement_targets(comparable)
    bodies, failed = read_arm_resources([*targets, *supplements.values()], settings)
    return LiveRead(snapshot, bodies, failed, supplements)


def _supplement_targets(comparable: list[tuple[GraphResource, dict[str, Any]]]) -> dict[str, tuple[str, str]]:
    """Resource id (lower) -> (child id, api version) for properties only a child GET returns."""
    from inventory.live.azure import supplement_of

    out = {}
    for resource, arm in comparable:
        supplement = supplement_of(str(arm.get("type", "")))
        if supplement and supplement[1] in (arm.get("properties") or {}):
            out[str(resource.id).lower()] = (f"{resource.id}/{supplement[0]}", str(arm["apiVersion"]))
    return out


def desired_from_stack(name: str, root: Path | None = None) -> ResourceGraph:
    """The stack's state through the Automation API (needs the Pulumi CLI and a backend login)."""
    import shutil

    from deployed.state import parse_state

    if shutil.which("pulumi") is None:
        raise StateError(f"--stack {name}: the Pulumi CLI is not installed, so the stack's state cannot be fetched",
                         f"where the CLI is, run `pulumi stack export --stack {name} --file state.json`, then use --state state.json")
    from pulumi import automation as auto

    try:
        from inventory.stackfiles import repo_root

        stack = auto.select_stack(stack_name=name, work_dir=str(root or repo_root()))
        deployment = stack.export_stack()
    except auto.errors.CommandError as exc:
        raise StateError(f"--stack {name}: pulumi could not export the stack: {str(exc).splitlines()[0]}",
                         "check `pulumi login` and the stack name (`pulumi stack ls`)") from None
    return parse_state({"version": deployment.version, "deployment": deployment.deployment}, source=f"stack {name}")
