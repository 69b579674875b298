"""Stack drift: a deployed stack's desired resources against the live ARM resources.

Both sides are ARM: each desired resource is rendered with ``arm.render_resource`` (the
same rendering compliance checks use) and compared with what Resource Graph or ARM returns, one
property path at a time, only on the paths the code sets. ``stack_drift`` is pure; ``check_stack``
is the thin edge that reads Azure, and ``desired_from_stack`` the one that asks Pulumi.

One path, in order: get (``inventory.live.azure``: ``read_azure`` for what Resource Graph indexes,
``read_arm_resources`` for the rest), transform (``inventory.live.azure.transform_resource`` for the
live side, ``desired_resources`` here for the desired side), check (``compare`` per resource,
``stack_drift`` for the stack); ``check_stack`` runs the three.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from inventory.live.model import Cloud, LiveResource, NotRead
from inventory.live.report import DriftFinding, DriftReport, ResourceState, Rule
from synth.errors import StateError
from synth.graph import SECRET, GraphResource, ResourceGraph

COMPARED_TOP_LEVEL = ("location", "tags", "sku", "kind", "identity", "zones", "plan", "extendedLocation", "properties")
SERVER_SET = frozenset(
    k.lower()
    for k in (
        "provisioningState", "creationTime", "createdAt", "createdTime", "changedTime", "lastModifiedTime", "etag", "id",
        "resourceGuid", "primaryEndpoints", "secondaryEndpoints", "statusOfPrimary", "statusOfSecondary", "uniqueId",
        "systemData", "principalId", "tenantId", "fullyQualifiedDomainName", "defaultHostName", "outboundIpAddresses",
        "possibleOutboundIpAddresses", "vaultUri",
    )
)
"""Read-only or server-set properties: never drift, even if a state export happens to carry them."""
WRITE_ONLY = frozenset({"appsettings", "connectionstrings"})
"""Settings ARM does not return on GET (they need a list action that reveals secret values)."""
ENUMISH = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")
ID_PATH = re.compile(r"^/subscriptions/([^/]+)/resourcegroups/([^/]+)", re.IGNORECASE)
RESOURCE_GROUP_TYPE = "microsoft.resources/resourcegroups"
CONTAINER_GROUP_TYPE = "microsoft.resources/subscriptions/resourcegroups"

Render = Callable[[GraphResource], "dict[str, Any] | None"]


class Verdict(str, Enum):
    """What stack drift says about one managed resource."""

    in_sync = "in sync"
    modified = "modified"
    deleted = "deleted outside the code"
    not_read = "not read"
    not_compared = "not compared"


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


def _norm(value: Any, path: str) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in {"true", "false"}:
            return text.lower() == "true"
        if path.startswith("tags."):
            return text
        if path == "location" or path.endswith(".location"):
            return text.replace(" ", "").lower()
        if text.lower().startswith("/subscriptions/") or ENUMISH.match(text):
            return text.lower()
        return text
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _get(mapping: Any, key: str) -> Any:
    if not isinstance(mapping, dict):
        return None
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    for k, v in mapping.items():
        if str(k).lower() == lowered:
            return v
    return None


def compare(desired: Any, live: Any, path: str) -> list[tuple[str, Any, Any]]:
    """(path, desired, live) for every path the desired value sets that the live value contradicts."""
    if isinstance(desired, str) and desired == SECRET:
        return []
    if path.rsplit(".", 1)[-1].split("[", 1)[0].lower() in SERVER_SET | WRITE_ONLY:
        return []
    if isinstance(desired, dict):
        if live is None and not desired:
            return []
        if live is not None and not isinstance(live, dict):
            return [(path, desired, live)]
        out = []
        for key in sorted(desired, key=str):
            out += compare(desired[key], _get(live, str(key)), f"{path}.{key}" if path else str(key))
        return out
    if isinstance(desired, list):
        return _compare_list(desired, live, path)
    if live is None:
        return [] if _empty(desired) else [(path, desired, None)]
    if _norm(desired, path) != _norm(live, path):
        return [(path, desired, live)]
    return []


def _compare_list(desired: list[Any], live: Any, path: str) -> list[tuple[str, Any, Any]]:
    if live is None:
        return [] if not desired else [(path, desired, None)]
    if not isinstance(live, list):
        return [(path, desired, live)]
    if desired and all(isinstance(d, dict) and d.get("name") for d in desired):
        live_named = {str(x.get("name")).lower(): x for x in live if isinstance(x, dict) and x.get("name")}
        out = []
        for item in desired:
            name = str(item["name"])
            out += compare(item, live_named.pop(name.lower(), None), f"{path}[{name}]")
        for name in sorted(live_named):
            out.append((f"{path}[{live_named[name].get('name')}]", None, "added outside the code"))
        return out
    if all(not isinstance(d, (dict, list)) for d in desired) and all(not isinstance(x, (dict, list)) for x in live):
        left = sorted((_norm(d, path) for d in desired), key=repr)
        right = sorted((_norm(x, path) for x in live), key=repr)
        return [] if left == right else [(path, desired, live)]
    if len(desired) != len(live):
        return [(path, desired, live)]
    out = []
    for index, (d, x) in enumerate(zip(desired, live)):
        out += compare(d, x, f"{path}[{index}]")
    return out


def diff_resource(arm: dict[str, Any], live: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    out = []
    for key in COMPARED_TOP_LEVEL:
        if key in arm:
            out += compare(arm[key], _get(live, key), key)
    return out


def _label(resource: GraphResource, arm: dict[str, Any]) -> str:
    return f"{arm.get('type', resource.type)} '{resource.name}'"


def stack_drift(graph: ResourceGraph, live: list[LiveResource], not_read: list[NotRead], *, strict: bool = False,
                render: Render | None = None, scopes: list[str] | None = None) -> DriftReport:
    comparable, skipped = desired_resources(graph, render)
    live_by_id = {r.key: r for r in live if r.cloud is Cloud.azure}
    failed_subs = {n.scope.split(" ", 1)[-1].lower() for n in not_read if n.what.startswith("Resource Graph")}
    failed_ids = {n.what.split(" ", 2)[-1].lower() for n in not_read if n.what.startswith("ARM GET ")}
    findings: list[DriftFinding] = []
    states: list[ResourceState] = []
    managed = {r.id.lower() for r in graph.resources if r.id}
    own_groups = _own_groups(comparable)
    for resource, arm in comparable:
        rid = str(resource.id)
        found = live_by_id.get(rid.lower())
        if found is None:
            match = ID_PATH.match(rid)
            sub = match.group(1).lower() if match else ""
            if rid.lower() in failed_ids or (sub in failed_subs and _indexed(arm)):
                states.append(ResourceState(rid, arm["type"], resource.urn, Verdict.not_read.value))
                continue
            states.append(ResourceState(rid, arm["type"], resource.urn, Verdict.deleted.value))
            findings.append(DriftFinding(Rule.deleted, rid, f"{_label(resource, arm)} is in the stack but not in Azure",
                                         type=arm["type"], urn=resource.urn, desired="present", live="absent"))
            continue
        changes = diff_resource(arm, found.arm)
        states.append(ResourceState(rid, arm["type"], resource.urn, (Verdict.modified if changes else Verdict.in_sync).value))
        for path, desired, actual in changes:
            findings.append(DriftFinding(Rule.modified, rid, f"{_label(resource, arm)}: {path} is {_show(actual)} live, "
                                         f"{_show(desired)} in the code", type=arm["type"], urn=resource.urn,
                                         path=path, desired=desired, live=actual))
    for resource in live:
        if resource.key in managed or resource.arm.get("managedBy") or resource.type.lower() == CONTAINER_GROUP_TYPE:
            continue
        if (resource.scope, (resource.resource_group or "").lower()) not in own_groups:
            continue
        arm_type = _arm_type_name(resource.type)
        findings.append(DriftFinding(Rule.unmanaged, resource.id, f"{arm_type} '{resource.name}' in resource group "
                                     f"{resource.resource_group} is not in the stack (created outside the code)",
                                     type=arm_type, live="present", desired="absent"))
    notes, extra_not_read = [], []
    for resource in skipped:
        states.append(ResourceState(resource.id or resource.urn, resource.type, resource.urn, Verdict.not_compared.value))
        reason = "no ARM mapping for this type" if resource.id else "no id in the state export"
        if strict:
            extra_not_read.append(NotRead(Cloud.azure, f"stack {graph.stack}", f"render {resource.urn}", reason))
        else:
            notes.append(f"{resource.urn}: not compared ({reason}); --strict makes this incomplete")
    for n in not_read:
        if n.what.startswith("Resource Graph"):
            notes.append(f"{n.scope}: resources there that were not found are reported as not read, not deleted")
    return DriftReport(kind="stack", subject=graph.stack or "stack", findings=findings,
                       not_read=[*not_read, *extra_not_read], resources=states, live_count=len(live), notes=notes,
                       scopes=list(scopes or []))


def _own_groups(comparable: list[tuple[GraphResource, dict[str, Any]]]) -> set[tuple[str, str]]:
    """The resource groups the stack creates: where a resource outside the code is its concern.

    A stack that also writes into a group it does not own (a DNS link in the hub's group) must
    not call the hub's resources unmanaged; a stack that creates no group owns all it touches.
    """
    created = [str(r.id) for r, arm in comparable if str(arm.get("type", "")).lower() == RESOURCE_GROUP_TYPE]
    ids = created or [str(r.id) for r, _ in comparable]
    return {(sub, group) for sub, groups in resource_groups_of(ids).items() for group in groups}


def _arm_type_name(live_type: str) -> str:
    """Resource Graph lower-cases types; show the ARM spelling where the type table knows it."""
    from arm import ARM_TYPES

    entry = ARM_TYPES.get(live_type.lower())
    return entry.type if entry else live_type


def _indexed(arm: dict[str, Any]) -> bool:
    from inventory.live.azure import indexed_by_resource_graph

    return indexed_by_resource_graph(str(arm.get("type", "")))


def _show(value: Any) -> str:
    if value is None:
        return "absent"
    if isinstance(value, str):
        return repr(value)
    import json

    return json.dumps(value, sort_keys=True)


def check_stack(graph: ResourceGraph, settings: Any = None, *, strict: bool = False) -> DriftReport:
    """Read the stack's subscriptions and resource groups from Azure, then compare."""
    from inventory.live.azure import AzureSettings, indexed_by_resource_graph, read_arm_resources, read_azure, transform_resource

    settings = settings or AzureSettings()
    comparable, _ = desired_resources(graph)
    ids = [str(r.id) for r, _ in comparable]
    groups = resource_groups_of(ids)
    if not groups:
        raise StateError(f"stack {graph.stack or '?'}: no deployed Azure resources with ARM ids in the state export",
                         "export the state of a deployed stack with `pulumi stack export --file FILE`")
    settings = settings.validated().signed_in()  # one sign-in for the queries and the GETs
    snapshot = read_azure(sorted(groups), settings, groups=groups)
    targets = [(str(r.id), str(arm["apiVersion"])) for r, arm in comparable if not indexed_by_resource_graph(str(arm["type"]))]
    supplements = _supplement_targets(comparable)
    bodies, failed = read_arm_resources([*targets, *supplements.values()], settings)
    extra = [transform_resource(body) for key, body in bodies.items() if body and key not in _lower_keys(supplements)]
    live = [_supplemented(r, supplements, bodies) for r in [*snapshot.resources, *extra]]
    scopes = [f"azure subscription {sub} (resource groups {', '.join(sorted(names))})" for sub, names in sorted(groups.items())]
    return stack_drift(graph, live, [*snapshot.not_read, *failed], strict=strict, scopes=scopes)


def _lower_keys(supplements: dict[str, tuple[str, str]]) -> set[str]:
    return {target.lower() for target, _ in supplements.values()}


def _supplement_targets(comparable: list[tuple[GraphResource, dict[str, Any]]]) -> dict[str, tuple[str, str]]:
    """Resource id (lower) -> (child id, api version) for properties only a child GET returns."""
    from inventory.live.azure import supplement_of

    out = {}
    for resource, arm in comparable:
        supplement = supplement_of(str(arm.get("type", "")))
        if supplement and supplement[1] in (arm.get("properties") or {}):
            out[str(resource.id).lower()] = (f"{resource.id}/{supplement[0]}", str(arm["apiVersion"]))
    return out


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
