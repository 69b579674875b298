"""Live posture, step 1 of 3 (get): every resource in a scope, as Resource Graph and ARM return it.

``borough check --live`` judges what is deployed, so it needs the whole resource body (properties,
tags, sku, identity...) of everything in a subscription, resource group or management group, not
only ids and tags as inventory drift does. Resource Graph answers that in pages of up to 1,000
rows from a few tables (Resources, ResourceContainers for resource groups, AuthorizationResources
for role assignments, PolicyResources for policy assignments, SecurityResources for Defender
plans). What no table indexes (Key Vault keys, SQL auditing settings, diagnostic settings...) is
read with one ARM *list* call per parent (``<parent id>/<collection>``), never one GET per resource.

``get_*`` fetch raw pages and raise ``LiveReadError`` naming the scope, query or URL and page
once the client's retries (azure-core ``RetryPolicy``: 429 and 5xx, honouring ``Retry-After``) are
spent; ``read_*`` run them concurrently and record what could not be read, so the caller can say
so and exit 3. Turning rows into ARM templates is ``deployed.live_transform``'s job (it knows the ARM types).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterator

from inventory.live.azure import (
    QUERY_RETRY_METHODS,
    RESOURCE_GROUP,
    AzureSettings,
    failure_reason,
    make_arm_client,
    refused,
    status_of,
    make_graph_client,
    validate_subscriptions,
)
from inventory.live.errors import LiveCredentialError, LiveInputError, LiveReadError
from inventory.live.model import Cloud, NotRead
from inventory.live.paging import PageGuard

MANAGEMENT_GROUP = re.compile(r"^[-\w.()]{1,90}$")
PROJECTION = ("id, name, type, location, resourceGroup, subscriptionId, tags, sku, kind, identity, plan, zones, "
              "extendedLocation, managedBy, properties")
LIST_WORKERS = 16
"""Concurrent ARM list calls: each waits on a round trip, so threads overlap the latency."""


@dataclass(frozen=True)
class GraphTable:
    label: str
    """Names the query in a not-read report, e.g. ``role assignments``."""
    source: str
    """The Resource Graph table and type filter, e.g. ``AuthorizationResources | where type =~ '...'``."""
    group_column: str = "resourceGroup"


TABLES: tuple[GraphTable, ...] = (
    GraphTable("resources", "Resources"),
    GraphTable("resource groups", "ResourceContainers | where type =~ 'microsoft.resources/subscriptions/resourcegroups'",
               group_column="name"),
    GraphTable("role assignments", "AuthorizationResources | where type =~ 'microsoft.authorization/roleassignments'"),
    GraphTable("policy assignments", "PolicyResources | where type =~ 'microsoft.authorization/policyassignments'"),
    GraphTable("Defender plans", "SecurityResources | where type =~ 'microsoft.security/pricings'"),
)
"""Every Resource Graph table posture reads; a scope is complete only when all were read."""


@dataclass(frozen=True)
class PostureScope:
    """One unit Resource Graph is asked about and can fail on: a subscription or a management group."""

    subscription: str | None = None
    management_group: str | None = None

    @property
    def label(self) -> str:
        return f"subscription {self.subscription}" if self.subscription else f"management group {self.management_group}"


@dataclass(frozen=True)
class ListCall:
    """One ARM list call for children no Resource Graph table holds."""

    url: str
    """``<parent id>/<collection>``, e.g. ``.../vaults/kv1/keys``."""
    api_version: str
    what: str
    """What the children are, for a not-read report: ``Microsoft.KeyVault/vaults/keys``."""


@dataclass
class PostureRead:
    """What one read produced: raw rows and list bodies, and everything that could not be read."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """List call URL (lower case) -> the child bodies it returned."""
    not_read: list[NotRead] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    requests: int = 0


def posture_scopes(subscriptions: list[str], management_groups: list[str]) -> list[PostureScope]:
    """Validated scopes, subscriptions first; bad ids are bad input (exit 2), named."""
    for group in management_groups:
        if not MANAGEMENT_GROUP.match(group):
            raise LiveInputError(f"--management-group {group!r} is not a management group id")
    try:
        subs = validate_subscriptions(subscriptions)
    except LiveInputError as exc:
        raise LiveInputError(str(exc).replace("--azure-subscription", "--subscription")) from None
    return [*(PostureScope(subscription=s) for s in subs),
            *(PostureScope(management_group=g) for g in sorted(set(management_groups)))]


def validate_groups(groups: list[str]) -> list[str]:
    for group in groups:
        if not RESOURCE_GROUP.match(group):
            raise LiveInputError(f"--resource-group {group!r} is not a valid resource group name")
    return groups


def posture_query(table: GraphTable, groups: list[str] | None = None) -> str:
    """The KQL for one table, narrowed to resource groups when given."""
    where = ""
    if groups:
        validate_groups(groups)
        names = ", ".join(f"'{g}'" for g in sorted({g.lower() for g in groups}))
        where = f" | where {table.group_column} in~ ({names})"
    return f"{table.source}{where} | project {PROJECTION} | order by id asc"


def get_graph_pages(client: Any, settings: AzureSettings, scope: PostureScope, query: str,
                    label: str) -> Iterator[list[dict[str, Any]]]:
    """Yield Resource Graph pages for one scope, following ``$skipToken`` to the last page."""
    from azure.core.exceptions import AzureError
    from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions, ResultFormat

    skip_token: str | None = None
    page = 1
    guard = PageGuard(scope.label, f"Resource Graph query '{label}'", settings.max_pages)
    while True:
        options = QueryRequestOptions(skip_token=skip_token, top=settings.page_size, result_format=ResultFormat.OBJECT_ARRAY)
        if scope.subscription:
            request = QueryRequest(subscriptions=[scope.subscription], query=query, options=options)
        else:
            request = QueryRequest(management_groups=[str(scope.management_group)], query=query, options=options)
        what = f"Resource Graph query '{label}' page {page}"
        try:
            response = client.resources(request, retry_on_methods=QUERY_RETRY_METHODS, **settings.call_options)
        except AzureError as exc:
            if status_of(exc) == 401:
                raise refused(scope.label, what, failure_reason(exc)) from None
            raise LiveReadError(Cloud.azure, scope.label, what, failure_reason(exc)) from exc
        if not isinstance(response.data, list):
            raise LiveReadError(Cloud.azure, scope.label, what, "the response has no objectArray data")
        yield response.data
        skip_token = response.skip_token
        if not skip_token:
            if str(response.result_truncated).lower() == "true":
                raise LiveReadError(Cloud.azure, scope.label, what, "result truncated without a skip token")
            return
        guard.follow(skip_token, response.total_records, settings.page_size)
        page += 1


def get_list(client: Any, settings: AzureSettings, call: ListCall) -> Iterator[list[dict[str, Any]]]:
    """Yield the pages of one ARM list call (``value`` + ``nextLink``); a 404 parent yields nothing."""
    from azure.core.exceptions import AzureError
    from azure.core.rest import HttpRequest

    scope = _scope_of(call.url)
    url: str | None = client.format_url(call.url)
    params: dict[str, str] | None = {"api-version": call.api_version}
    page = 1
    guard = PageGuard(scope, f"ARM list {call.what} at {call.url}", settings.max_pages)
    while url:
        what = f"ARM list {call.what} at {call.url}" + (f" page {page}" if page > 1 else "")
        try:
            response = client.send_request(HttpRequest("GET", url, params=params), **settings.call_options)
        except AzureError as exc:
            raise LiveReadError(Cloud.azure, scope, what, failure_reason(exc)) from exc
        if response.status_code == 404:
            return
        if response.status_code == 401:
            raise refused(scope, what, _status_reason(response))
        if response.status_code >= 400:
            raise LiveReadError(Cloud.azure, scope, what, _status_reason(response))
        try:
            body = response.json()
        except ValueError:
            raise LiveReadError(Cloud.azure, scope, what, "the response is not JSON") from None
        if isinstance(body, dict) and isinstance(body.get("value"), list):
            yield [item for item in body["value"] if isinstance(item, dict)]
            next_link = body.get("nextLink") or None
            if next_link:
                guard.follow(str(next_link))
            url, params, page = next_link, None, page + 1
        elif isinstance(body, dict) and body.get("id"):
            yield [body]  # a singleton child (e.g. ``.../auditingSettings/default``)
            return
        else:
            raise LiveReadError(Cloud.azure, scope, what, "the response has neither 'value' nor 'id'")


def _status_reason(response: Any) -> str:
    """``HTTP 403: AuthorizationFailed: <ARM's message>``: what a person needs to fix access."""
    reason = f"HTTP {response.status_code}"
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return reason
    code, message = str(error.get("code") or ""), str(error.get("message") or "").splitlines()[0:1]
    return ": ".join([reason, *([code] if code else []), *message])[:300]


def _scope_of(resource_id: str) -> str:
    parts = resource_id.strip("/").split("/")
    if len(parts) >= 2 and parts[0].lower() == "subscriptions":
        return f"subscription {parts[1].lower()}"
    return "tenant"


def _read_table(settings: AzureSettings, scope: PostureScope, table: GraphTable,
                groups: list[str] | None) -> PostureRead:
    out = PostureRead()
    client = make_graph_client(settings)
    with client:
        try:
            for page in get_graph_pages(client, settings, scope, posture_query(table, groups), table.label):
                out.requests += 1
                out.rows.extend(row for row in page if isinstance(row, dict) and row.get("id"))
        except LiveReadError as exc:
            out.requests += 1
            out.not_read.append(exc.not_read)
    return out


def read_posture(scopes: list[PostureScope], settings: AzureSettings, groups: list[str] | None = None) -> PostureRead:
    """Every table of every scope, concurrently; a failed page is recorded for that scope and table.

    Rows already read from a table whose later page failed are kept (they are real resources);
    the not-read entry makes the whole run incomplete.
    """
    result = PostureRead(scopes=[s.label for s in scopes])
    if not scopes:
        return result
    settings = settings.validated().signed_in()
    jobs = [(scope, table) for scope in scopes for table in TABLES]
    with ThreadPoolExecutor(max_workers=max(1, min(settings.max_workers * 2, len(jobs)))) as pool:
        futures = [pool.submit(_read_table, settings, scope, table, groups) for scope, table in jobs]
        for (scope, table), future in zip(jobs, futures):
            try:
                part = future.result()
            except LiveCredentialError:
                raise
            except Exception as exc:  # noqa: BLE001 - e.g. a transport error outside azure-core: this table was not read
                part = PostureRead(not_read=[NotRead(Cloud.azure, scope.label, f"Resource Graph query '{table.label}'",
                                                     failure_reason(exc))])
            result.rows.extend(part.rows)
            result.not_read.extend(part.not_read)
            result.requests += part.requests
    return result


def read_lists(calls: list[ListCall], settings: AzureSettings) -> PostureRead:
    """Every list call, a few at a time; a failure is recorded naming the parent and child type."""
    result = PostureRead()
    unique = sorted({c.url.lower(): c for c in calls}.values(), key=lambda c: c.url.lower())
    if not unique:
        return result
    settings = settings.validated().signed_in()
    client = make_arm_client(settings)

    def one(call: ListCall) -> tuple[ListCall, list[dict[str, Any]], int, NotRead | None]:
        items: list[dict[str, Any]] = []
        pages = 0
        try:
            for page in get_list(client, settings, call):
                pages += 1
                items.extend(page)
        except LiveReadError as exc:
            return call, items, pages + 1, exc.not_read
        return call, items, max(pages, 1), None

    with client, ThreadPoolExecutor(max_workers=LIST_WORKERS) as pool:
        for call, items, requests, problem in pool.map(one, unique):
            result.requests += requests
            if problem is not None:
                result.not_read.append(problem)
            else:
                result.lists[call.url.lower()] = items
    return result
