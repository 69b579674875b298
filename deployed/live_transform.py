"""Live posture, step 2 of 3 (transform): what is deployed in Azure, as the ARM template a program renders to.

Resource Graph returns ARM bodies, but not quite in the shape ``arm`` renders a program
to: types are lower-cased, read-only fields are mixed in, children that a program declares as
resources of their own sit inside the parent (a virtual network's subnets) or are not indexed at
all (Key Vault keys, SQL auditing settings, diagnostic settings). The ``transform_*`` functions
here are pure and undo exactly that, so a live resource meets the same checks, with the same
keys, as the resource rendered from a program would:

- types back to their canonical ARM spelling and the API version the renderer uses;
- ARM ``parent/child`` names from the id, ``scope`` for extension resources;
- subnets and peerings out of their virtual network into resources of their own;
- children read with one ARM list call per parent added beside (or, for SQL auditing, inside)
  their parent, web app ``siteConfig`` filled from ``<site>/config/web``;
- each resource's ARM id in its metadata, where a rendered resource carries its URN, so a finding
  names the live resource.

``read_live`` is the thin edge that calls the reader in ``deployed.live_get``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Iterable

from arm import ARM_TYPES, URN_KEY, NotRendered, RenderResult
from arm.render import SCHEMA, nest_children
from arm.types import NESTED_CHILDREN, SCOPE_KEYS
from synth.errors import StacksError
from deployed.live_generic import GENERIC_KEY, generic_types, transform_generic, with_row_body

LIVE_KEY = "borough:live"
CONTAINER_TYPES = {"microsoft.resources/subscriptions/resourcegroups": "microsoft.resources/resourcegroups"}
"""Resource Graph's ResourceContainers spelling of a type -> the ARM template spelling."""
DIAGNOSTICS = ("providers/Microsoft.Insights/diagnosticSettings", "Microsoft.Insights/diagnosticSettings")
WEB_CONFIG = ("config/web", "Microsoft.Web/sites/config")
WEB_TYPES = {"microsoft.web/sites", "microsoft.web/sites/slots"}
DIAGNOSED_SERVICES: dict[str, tuple[str, ...]] = {"microsoft.storage/storageaccounts": ("/blobServices/default",)}
"""Sub-services with diagnostic settings of their own (a storage account's blob logs are set on
``<account>/blobServices/default``), read with their parent's. File, queue and table services'
settings are not read (three more calls per account); their destinations go unjudged."""
NESTED = {child.lower() for children in NESTED_CHILDREN.values() for child in children}


@dataclass(frozen=True)
class ChildList:
    """Children of ``parent`` that no Resource Graph table holds: one list call per parent."""

    path: str
    """Appended to the parent id: ``keys``, ``blobServices/default/containers``."""
    child_type: str


CHILD_LISTS: dict[str, tuple[ChildList, ...]] = {
    "microsoft.keyvault/vaults": (ChildList("keys", "Microsoft.KeyVault/vaults/keys"),
                                  ChildList("secrets", "Microsoft.KeyVault/vaults/secrets")),
    "microsoft.storage/storageaccounts": (
        ChildList("blobServices", "Microsoft.Storage/storageAccounts/blobServices"),
        ChildList("blobServices/default/containers", "Microsoft.Storage/storageAccounts/blobServices/containers"),
        ChildList("managementPolicies", "Microsoft.Storage/storageAccounts/managementPolicies"),
    ),
    "microsoft.sql/servers": (
        ChildList("auditingSettings", "Microsoft.Sql/servers/auditingSettings"),
        ChildList("securityAlertPolicies", "Microsoft.Sql/servers/securityAlertPolicies"),
        ChildList("firewallRules", "Microsoft.Sql/servers/firewallRules"),
        ChildList("administrators", "Microsoft.Sql/servers/administrators"),
    ),
    "microsoft.sql/servers/databases": (ChildList("auditingSettings", "Microsoft.Sql/servers/databases/auditingSettings"),),
    "microsoft.dbforpostgresql/flexibleservers": (
        ChildList("configurations", "Microsoft.DBforPostgreSQL/flexibleServers/configurations"),
        ChildList("firewallRules", "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules"),
        ChildList("administrators", "Microsoft.DBforPostgreSQL/flexibleServers/administrators"),
        ChildList("databases", "Microsoft.DBforPostgreSQL/flexibleServers/databases"),
    ),
    "microsoft.network/privateendpoints": (
        ChildList("privateDnsZoneGroups", "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"),),
    "microsoft.eventhub/namespaces": (ChildList("eventhubs", "Microsoft.EventHub/namespaces/eventhubs"),),
    "microsoft.servicebus/namespaces": (ChildList("queues", "Microsoft.ServiceBus/namespaces/queues"),),
}
"""Parent type (lower case) -> the child collections checks judge. Types Resource Graph does index
(SQL databases, DNS zone links, web app slots, flow logs) come with the pages instead."""

EMBEDDED: dict[str, dict[str, str]] = {
    "microsoft.network/virtualnetworks": {"subnets": "Microsoft.Network/virtualNetworks/subnets",
                                          "virtualNetworkPeerings": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"},
}
"""Children Azure returns inside the parent's properties that a program declares (and the
renderer emits) as resources of their own."""


@dataclass(frozen=True)
class ListRequest:
    """One list call ``read_live`` should make (``deployed.live_get.ListCall``'s data)."""

    url: str
    api_version: str
    what: str


@dataclass
class LiveRender:
    """A live estate as one ARM template, and what reading it missed."""

    render: RenderResult
    scopes: list[str] = field(default_factory=list)
    not_read: list[Any] = field(default_factory=list)
    """``inventory.live.model.NotRead`` records: each makes the check incomplete (exit 3)."""
    requests: int = 0
    resources: int = 0
    platform: list[Any] = field(default_factory=list)
    """``inventory.live.platform.PlatformManaged``: read, listed apart, never judged."""


def canonical_type(arm_type: str) -> str | None:
    """The ARM template spelling of a Resource Graph type, or None when the type table lacks it."""
    lowered = CONTAINER_TYPES.get(arm_type.lower(), arm_type.lower())
    entry = ARM_TYPES.get(lowered)
    return entry.type if entry else None


def arm_name_from_id(resource_id: str) -> str:
    """``parent/child`` ARM name: the name segments after the last provider namespace."""
    parts = resource_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    if "providers" not in lowered:
        return parts[-1]
    at = len(lowered) - 1 - lowered[::-1].index("providers")
    return "/".join(parts[at + 3 :: 2])


def scope_from_id(resource_id: str) -> str:
    """What an extension resource attaches to: the id before its own ``/providers/...``."""
    lowered = resource_id.lower()
    at = lowered.rfind("/providers/")
    return resource_id[:at] if at > 0 else resource_id


def transform_row(row: dict[str, Any], fallback_type: str = "") -> dict[str, Any] | None:
    """One Resource Graph row (or ARM GET body) as the ARM resource the renderer would emit.

    None when the type table does not know the type (its canonical spelling is unknown, so no
    check could match it). Pure.
    """
    resource_id = str(row.get("id") or "")
    arm_type = canonical_type(str(row.get("type") or fallback_type))
    if arm_type is None or not resource_id:
        return None
    arm: dict[str, Any] = {"type": arm_type, "apiVersion": ARM_TYPES[arm_type.lower()].api_version,
                           "name": arm_name_from_id(resource_id)}
    if arm_type in SCOPE_KEYS:
        arm["scope"] = scope_from_id(resource_id)
    arm = with_row_body(arm, row)
    arm["metadata"] = {URN_KEY: resource_id, LIVE_KEY: True}
    return arm


def explode_embedded(arm: dict[str, Any]) -> list[dict[str, Any]]:
    """Take subnets and peerings out of a virtual network: resources of their own, as rendered."""
    kinds = EMBEDDED.get(str(arm["type"]).lower())
    if not kinds:
        return []
    out = []
    parent_id = str(arm["metadata"][URN_KEY])
    for key, child_type in kinds.items():
        items = arm["properties"].pop(key, None)
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not item.get("name"):
                continue
            body = {"id": item.get("id") or f"{parent_id}/{key}/{item['name']}", "type": child_type,
                    "properties": item.get("properties") or {}}
            child = transform_row(body)
            if child is not None:
                out.append(child)
    return out


def system_managed(row: dict[str, Any]) -> bool:
    """Azure's own resources in a subscription (a SQL server's ``master`` database, kind
    ``v12.0,system``): nobody can configure them, so they are not judged; their diagnostic
    settings, which people do set, are read and judged."""
    from inventory.live.platform import system_database

    return system_database(row)


def plan_lists(resources: Iterable[dict[str, Any]], diagnostics_for: set[str],
               judged: set[str] | None = None, children: bool = True) -> list[ListRequest]:
    """The list calls for children no table indexes, per transformed resource. Pure.

    ``diagnostics_for``: ARM types whose diagnostic settings the enforced checks judge;
    ``judged``: the child types any enforced check judges (None: all), so no call is made for
    children nothing would look at; children a parent's checks read nested (SQL auditing) always are.
    """
    wanted = {t.lower() for t in diagnostics_for}
    judged_lower = None if judged is None else {t.lower() for t in judged} | NESTED
    calls = []
    for arm in resources:
        resource_id = str(arm["metadata"][URN_KEY])
        lowered = str(arm["type"]).lower()
        for child in CHILD_LISTS.get(lowered, ()) if children else ():
            if judged_lower is not None and child.child_type.lower() not in judged_lower:
                continue
            calls.append(ListRequest(f"{resource_id}/{child.path}", ARM_TYPES[child.child_type.lower()].api_version,
                                     child.child_type))
        if lowered in wanted:
            for sub in ("", *DIAGNOSED_SERVICES.get(lowered, ())):
                calls.append(ListRequest(f"{resource_id}{sub}/{DIAGNOSTICS[0]}",
                                         ARM_TYPES[DIAGNOSTICS[1].lower()].api_version, DIAGNOSTICS[1]))
        if lowered in WEB_TYPES:
            calls.append(ListRequest(f"{resource_id}/{WEB_CONFIG[0]}", arm["apiVersion"], WEB_CONFIG[1]))
    return calls


def transform_estate(rows: list[dict[str, Any]], lists: dict[str, list[dict[str, Any]]] | None = None,
                     calls: list[ListRequest] | None = None, apart: set[str] | frozenset[str] = frozenset()) -> RenderResult:
    """Rows and list bodies as one deterministic ARM template (resources ordered by id). Pure.

    ``lists`` maps a list call's URL (lower case) to its bodies; ``calls`` says what each was;
    ``apart``: ids (lower case) listed apart (platform-managed), never rendered or judged.
    """
    by_id: dict[str, dict[str, Any]] = {}
    not_rendered: list[NotRendered] = []
    for row in rows:
        _add(by_id, not_rendered, row, "", apart)
    whats = {c.url.lower(): c for c in calls or []}
    for url, bodies in sorted((lists or {}).items()):
        call = whats.get(url)
        what = call.what if call else ""
        if what == WEB_CONFIG[1]:
            site = by_id.get(url[: -len(WEB_CONFIG[0]) - 1])
            if site is not None and bodies:
                site["properties"]["siteConfig"] = copy.deepcopy(bodies[0].get("properties") or {})
            continue
        for body in bodies:
            _add(by_id, not_rendered, body, what, apart)
    resources = [by_id[key] for key in sorted(by_id)]
    urns = {}
    for arm in resources:
        urns.setdefault(f"{arm['type']}.{arm['name']}", arm["metadata"][URN_KEY])
    template = {"$schema": SCHEMA, "contentVersion": "1.0.0.0",
                "metadata": {LIVE_KEY: True, GENERIC_KEY: generic_types(resources)},
                "resources": nest_children(resources)}
    not_rendered.sort(key=lambda n: n.urn)
    return RenderResult(template=template, not_rendered=not_rendered, urns=urns, rendered=len(resources))


def _add(by_id: dict[str, dict[str, Any]], not_rendered: list[NotRendered], row: dict[str, Any], fallback: str,
         apart: set[str] | frozenset[str] = frozenset()) -> None:
    key = str(row.get("id") or "").lower()
    if not key or key in by_id or key in apart or system_managed(row):
        return
    arm = transform_row(row, fallback)
    if arm is None:
        arm = transform_generic(row, arm_name_from_id(str(row.get("id"))), LIVE_KEY, URN_KEY)
    if arm is None:
        not_rendered.append(NotRendered(str(row.get("id")), str(row.get("type") or fallback),
                                        "its id names no resource type: no check can match it", blocking=True))
        return
    by_id[key] = arm
    for child in explode_embedded(arm):
        by_id.setdefault(str(child["metadata"][URN_KEY]).lower(), child)


class LiveScopeError(StacksError):
    """``check --live`` has no scope to read (no subscription, management group or ARM_SUBSCRIPTION_ID)."""


def live_scope(subscriptions: list[str], management_groups: list[str], resource_groups: list[str],
               settings: Any = None) -> tuple[list[str], Any]:
    """The subscriptions to read (``ARM_SUBSCRIPTION_ID`` when no scope is given) and the reader
    settings signed in once (a missing sign-in fails in one line naming the sources tried).

    Every scope is validated first: bad input is exit 2, named, before anything is read.
    """
    from inventory.live.azure import AzureSettings
    from inventory.live.azure_credentials import default_subscription
    from deployed.live_get import posture_scopes, validate_groups

    subscriptions = list(subscriptions)
    if not subscriptions and not management_groups:
        default = default_subscription()
        if not default:
            raise LiveScopeError("--live needs a scope: no --subscription, no --management-group and ARM_SUBSCRIPTION_ID "
                                 "is not set", "pass --subscription ID (repeatable) or --management-group ID, or set "
                                 "ARM_SUBSCRIPTION_ID")
        subscriptions = [default]
    posture_scopes(subscriptions, management_groups)
    validate_groups(resource_groups)
    return subscriptions, (settings or AzureSettings()).validated().signed_in()


def read_live(subscriptions: list[str], management_groups: list[str], resource_groups: list[str], settings: Any,
              diagnostics_for: set[str], judged: set[str] | None = None) -> LiveRender:
    """Read the scopes (pages, then list calls for what no table holds) and transform them."""
    from deployed.live_get import ListCall, posture_scopes, read_lists, read_posture

    from inventory.live.platform import platform_managed

    scopes = posture_scopes(subscriptions, management_groups)
    pages = read_posture(scopes, settings, resource_groups or None)
    platform = platform_managed(pages.rows)
    calls = plan_lists(_planned(pages.rows, set(platform)), diagnostics_for, judged)
    system = [arm for arm in (transform_row(row) for row in pages.rows if system_managed(row)) if arm is not None]
    calls += plan_lists(system, diagnostics_for, children=False)
    lists = read_lists([ListCall(c.url, c.api_version, c.what) for c in calls], settings)
    render = transform_estate(pages.rows, lists.lists, calls, apart=set(platform))
    return LiveRender(render=render, scopes=pages.scopes, not_read=[*pages.not_read, *lists.not_read],
                      requests=pages.requests + lists.requests, resources=render.rendered + len(render.not_rendered),
                      platform=sorted(platform.values(), key=lambda p: p.id.lower()))


def _planned(rows: list[dict[str, Any]], apart: set[str]) -> Iterable[dict[str, Any]]:
    """What ``plan_lists`` reads of each resource the estate will render (type, api version, id),
    without rendering it twice: the rows are transformed once, after the list calls."""
    seen: set[str] = set()
    for row in rows:
        key = str(row.get("id") or "").lower()
        arm_type = canonical_type(str(row.get("type") or ""))
        if not key or key in seen or key in apart or arm_type is None or system_managed(row):
            continue
        seen.add(key)
        yield {"type": arm_type, "apiVersion": ARM_TYPES[arm_type.lower()].api_version,
               "metadata": {URN_KEY: str(row["id"])}}
