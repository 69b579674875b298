"""The loopback Azure REST server of tests/drift, taught what live posture reads.

On top of ``fake_arm`` (Resource Graph paging, ARM GETs, bearer token, fault injection) it answers:

- the Resource Graph tables posture queries: ``Resources`` (with a virtual network's subnets and
  peerings inside its properties, as Azure returns them, and without extension resources),
  ``ResourceContainers``, ``AuthorizationResources``, ``PolicyResources``, ``SecurityResources``;
- queries scoped to a management group (``managementGroups``), mapped to its subscriptions;
- ARM list calls (``<parent id>/<collection>`` -> ``{"value": [...]}``) for children no table holds.

``deployed_bodies`` turns a rendered ARM template into what Azure would return for each resource,
so a test serves a bundled stack "as deployed" and tampers with it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from fake_arm import FakeArm, FakeArmServer, _arg_indexed, _Handler, graph_row

EXTENSION_TABLES = {
    "authorizationresources": "microsoft.authorization/roleassignments",
    "policyresources": "microsoft.authorization/policyassignments",
    "securityresources": "microsoft.security/pricings",
}
EXTENSION_TYPES = {*EXTENSION_TABLES.values(), "microsoft.insights/diagnosticsettings"}
EMBEDDED = {"microsoft.network/virtualnetworks": {"subnets": "microsoft.network/virtualnetworks/subnets",
                                                  "virtualNetworkPeerings": "microsoft.network/virtualnetworks/virtualnetworkpeerings"}}
TABLE = re.compile(r"^\s*(\w+)")


@dataclass
class PostureArm(FakeArm):
    management_groups: dict[str, list[str]] = field(default_factory=dict)
    """Management group id -> the subscriptions under it."""
    list_page: int | None = None
    """Items per ARM list page (then ``nextLink`` pages them, as ARM does); None: one page."""
    collections: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Collection path (an id without its last segment) -> id -> body: list calls at any scale."""

    def add(self, body: dict[str, Any]) -> None:
        super().add(body)
        key = body["id"].lower()
        self.collections.setdefault(key.rsplit("/", 1)[0], {})[key] = self.resources[key]

    def remove(self, resource_id: str) -> None:
        super().remove(resource_id)
        key = resource_id.lower()
        self.collections.get(key.rsplit("/", 1)[0], {}).pop(key, None)

    def table_rows(self, subscription: str, table: str, groups: set[str] | None) -> list[dict[str, Any]]:
        if table == "resourcecontainers":
            return self.rows(subscription, True, groups)
        wanted = EXTENSION_TABLES.get(table)
        out = []
        for key in sorted(self.resources):
            body = self.resources[key]
            parts = key.strip("/").split("/")
            lowered = body["type"].lower()
            if parts[1] != subscription.lower() or (len(parts) == 4 and parts[2] == "resourcegroups"):
                continue
            if wanted is not None and lowered != wanted:
                continue
            if wanted is None and (lowered in EXTENSION_TYPES or not _arg_indexed(lowered) or key.count("/providers/") > 1):
                continue
            group = parts[3] if len(parts) > 3 and parts[2] == "resourcegroups" else ""
            if groups is not None and group not in groups:
                continue
            row = graph_row(body, parts[1], group)
            for prop, child_type in EMBEDDED.get(lowered, {}).items():
                row.setdefault("properties", {})[prop] = [
                    {"id": c["id"], "name": c["name"], "type": c["type"], "properties": copy.deepcopy(c.get("properties", {}))}
                    for c in self.children(key, child_type)]
            out.append(row)
        return out

    def children(self, parent_id: str, child_type: str) -> list[dict[str, Any]]:
        segment = child_type.rsplit("/", 1)[-1]
        found = self.collections.get(f"{parent_id.lower()}/{segment}", {})
        return [found[k] for k in sorted(found) if found[k]["type"].lower() == child_type]

    def listed(self, collection: str) -> list[dict[str, Any]] | None:
        """Children directly under ``collection``; None when no parent exists there (404)."""
        found = self.collections.get(collection, {})
        if found:
            return [found[k] for k in sorted(found)]
        parent = collection.rsplit("/", 1)[0]
        while parent.count("/") > 3:
            if parent in self.resources:
                return []
            parent = parent.rsplit("/", 1)[0]
        return None


class _PostureHandler(_Handler):
    state: PostureArm

    def _scope(self, body: dict[str, Any]) -> tuple[list[str], str | None]:
        """Also the subscriptions under the queried management groups (faults then match none)."""
        subscriptions, subscription = super()._scope(body)
        for group in body.get("managementGroups") or []:
            subscriptions += [s.lower() for s in self.state.management_groups.get(group, [])]
        return subscriptions, subscription if len(subscriptions) == 1 else None

    def _query_rows(self, query: str, subscription: str, groups: set[str] | None) -> list[dict[str, Any]]:
        return self.state.table_rows(subscription, TABLE.match(query).group(1).lower(), groups)

    def _answer_get(self, url: Any, path: str) -> Any:
        """A resource (or a site's web config) as before, else an ARM list of the children there."""
        body = super()._answer_get(url, path)
        if body is None:
            items = self.state.listed(path)
            body = None if items is None else self._page(url, items)
        return body

    def _page(self, url: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
        size = self.state.list_page
        if not size:
            return {"value": items}
        query = parse_qs(url.query)
        offset = int((query.get("$skiptoken") or ["0"])[0])
        page: dict[str, Any] = {"value": items[offset : offset + size]}
        if offset + size < len(items):
            host, port = self.server.server_address[:2]
            version = query["api-version"][0]
            page["nextLink"] = f"http://{host}:{port}{url.path}?api-version={version}&$skiptoken={offset + size}"
        return page


class PostureServer(FakeArmServer):
    """``with PostureServer() as server: server.endpoint``; ``server.state`` is a ``PostureArm``."""

    handler = _PostureHandler

    def __init__(self, state: PostureArm | None = None) -> None:
        super().__init__(state or PostureArm())


def deployed_bodies(template: dict[str, Any]) -> list[dict[str, Any]]:
    """What ARM returns for each resource of a rendered template (nested children flattened):
    no apiVersion, metadata or scope, a provisioning state, the id the synthesis gave it."""
    out = []

    def walk(resources: list[dict[str, Any]]) -> None:
        for arm in resources:
            walk(arm.get("resources") or [])
            resource_id = (arm.get("metadata") or {}).get("pulumi:id")
            if not resource_id:
                continue
            body = {k: copy.deepcopy(v) for k, v in arm.items() if k not in {"apiVersion", "metadata", "resources", "scope"}}
            body.update(id=resource_id, name=resource_id.rsplit("/", 1)[-1])
            body["properties"] = {**body.get("properties", {}), "provisioningState": "Succeeded"}
            out.append(body)

    walk(template.get("resources", []))
    for server in [b for b in out if b["type"] == "Microsoft.Sql/servers"]:  # Azure adds its own master database
        out.append({"id": f"{server['id']}/databases/master", "name": "master", "type": "Microsoft.Sql/servers/databases",
                    "location": server.get("location"), "kind": "v12.0,system", "sku": {"name": "System", "tier": "System"},
                    "properties": {"status": "Online", "provisioningState": "Succeeded"}})
    return out
