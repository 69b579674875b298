"""Stack drift, step 3 of 3 (compare): a deployed stack's desired resources against the live ARM resources.

Both sides are ARM (``deployed.drift_transform``), compared one property path at a time, only on
the paths the code sets. ``stack_drift`` is pure; ``check_stack`` is the thin edge that runs the
three steps: get (``deployed.drift_get``: the live side from Azure, ``desired_from_stack`` the
state from Pulumi), transform (``deployed.drift_transform``), compare (``compare`` per resource,
``stack_drift`` for the stack).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from deployed.drift_get import get_live
from deployed.drift_transform import ID_PATH, Render, desired_resources, resource_groups_of, transform_live
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
RESOURCE_GROUP_TYPE = "microsoft.resources/resourcegroups"
CONTAINER_GROUP_TYPE = "microsoft.resources/subscriptions/resourcegroups"



class Verdict(str, Enum):
    """What stack drift says about one managed resource."""

    in_sync = "in sync"
    modified = "modified"
    deleted = "deleted outside the code"
    not_read = "not read"
    not_compared = "not compared"


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
    """Read the stack's subscriptions and resource groups from Azure, then compare: get, transform, compare."""
    from inventory.live.azure import AzureSettings

    settings = settings or AzureSettings()
    comparable, _ = desired_resources(graph)
    ids = [str(r.id) for r, _ in comparable]
    groups = resource_groups_of(ids)
    if not groups:
        raise StateError(f"stack {graph.stack or '?'}: no deployed Azure resources with ARM ids in the state export",
                         "export the state of a deployed stack with `pulumi stack export --file FILE`")
    read = get_live(comparable, groups, settings)
    live = transform_live(read)
    scopes = [f"azure subscription {sub} (resource groups {', '.join(sorted(names))})" for sub, names in sorted(groups.items())]
    return stack_drift(graph, live, [*read.snapshot.not_read, *read.failed], strict=strict, scopes=scopes)
