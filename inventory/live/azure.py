"""Live Azure reader: Azure Resource Graph for everything it indexes, ARM GET for the rest.

Resource Graph answers a whole subscription in pages of up to 1,000 resources, where ARM (and a
``pulumi refresh``) would need one GET per resource; per-resource GETs are kept for the child
types Resource Graph does not index. Retries (429 and 5xx, honouring ``Retry-After``) are the
azure-core ``RetryPolicy`` configured on the client (an endpoint that refuses the connection is
not retried: that fails in milliseconds instead of minutes); ``get_*`` raise ``LiveReadError`` naming the
subscription, query and page once those retries are spent.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import urlparse

from inventory.live.azure_credentials import AzureCredential, CachedTokenCredential, azure_credential, verify_azure_credential
from inventory.live.errors import LiveCredentialError, LiveInputError, LiveReadError
from inventory.live.model import Cloud, LiveResource, LiveSnapshot, NotRead
from inventory.live.paging import MAX_PAGES, PageGuard
from inventory.live.throttle import PROBE, Throttle

PUBLIC_ENDPOINT = "https://management.azure.com"
SUBSCRIPTION_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
RESOURCE_GROUP = re.compile(r"^[-\w.()]{1,90}$")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}

PROJECTION = "id, name, type, location, resourceGroup, subscriptionId, tags, sku, kind, identity, plan, zones, managedBy, properties"
RESOURCES_QUERY = "Resources{where} | project " + PROJECTION + " | order by id asc"
GROUPS_QUERY = (
    "ResourceContainers | where type =~ 'microsoft.resources/subscriptions/resourcegroups'{where}"
    " | project id, name, type, location, resourceGroup, subscriptionId, tags, managedBy, properties | order by id asc"
)

QUERY_RETRY_METHODS = frozenset({"HEAD", "GET", "PUT", "DELETE", "OPTIONS", "TRACE", "POST"})
"""azure-core retries timeouts and dropped responses only for idempotent methods; a Resource Graph
query is a POST that only reads, so it is retried like a GET."""

ARG_INDEXED_CHILD_TYPES = frozenset(
    t.lower()
    for t in (
        "Microsoft.Web/sites/slots",
        "Microsoft.Sql/servers/databases",
        "Microsoft.Network/networkWatchers/flowLogs",
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    )
)
EXTENSION_TYPES = frozenset(
    t.lower() for t in ("Microsoft.Insights/diagnosticSettings", "Microsoft.Authorization/roleAssignments", "Microsoft.Security/pricings")
)


SUPPLEMENTS: dict[str, tuple[str, str]] = {
    "microsoft.web/sites": ("config/web", "siteConfig"),
    "microsoft.web/sites/slots": ("config/web", "siteConfig"),
}
"""Types whose Resource Graph (and plain GET) body leaves a property empty: the child to GET
for it, and the property it fills (a web app's ``siteConfig`` lives at ``<site>/config/web``)."""


def supplement_of(arm_type: str) -> tuple[str, str] | None:
    return SUPPLEMENTS.get(arm_type.lower())


def indexed_by_resource_graph(arm_type: str) -> bool:
    """Whether the Resources/ResourceContainers tables hold this type (else: one ARM GET each)."""
    lowered = arm_type.lower()
    if lowered in EXTENSION_TYPES:
        return False
    if lowered.count("/") <= 1:
        return True
    return lowered in ARG_INDEXED_CHILD_TYPES


@dataclass(frozen=True)
class AzureSettings:
    """How to reach ARM. Defaults suit the public cloud; tests shrink backoff and timeouts."""

    endpoint: str = PUBLIC_ENDPOINT
    credential: Any = None
    """Any azure-core ``TokenCredential``; default: ``azure_credentials.azure_credential()`` (env, az CLI, managed identity)."""
    retry_total: int = 5
    retry_backoff_factor: float = 0.8
    retry_backoff_max: float = 60.0
    retry_connect: int = 0
    """Retries when the endpoint cannot be connected to (refused, unresolvable): none by default,
    so a dead endpoint fails that call at once; 429, 5xx and dropped responses are retried."""
    connection_timeout: float = 10.0
    read_timeout: float = 60.0
    page_size: int = 1000
    max_workers: int = 4
    max_pages: int = MAX_PAGES
    """Pages one query or list may have before the read is stopped as a loop (``paging.PageGuard``)."""
    throttle: Any = None
    """``throttle.Throttle`` shared by every client of a run (set by ``signed_in``): quota and read budget."""

    def validated(self) -> "AzureSettings":
        url = urlparse(self.endpoint)
        if url.scheme not in {"https", "http"} or not url.hostname:
            raise LiveInputError(f"--azure-endpoint {self.endpoint!r} is not an http(s) URL")
        if url.scheme == "http" and url.hostname not in LOOPBACK_HOSTS:
            raise LiveInputError(
                f"--azure-endpoint {self.endpoint!r}: bearer tokens are only sent over https (plain http is allowed on loopback only)"
            )
        return self

    def with_timeout(self, seconds: float) -> "AzureSettings":
        """``--timeout``: how long one request may wait for an answer; connecting never waits longer."""
        return dataclasses.replace(self, read_timeout=seconds, connection_timeout=min(self.connection_timeout, seconds))

    @property
    def call_options(self) -> dict[str, Any]:
        """Per-call options: azure-core refuses bearer tokens over http unless told it is loopback."""
        return {"enforce_https": False} if self.endpoint.startswith("http://") else {}

    @property
    def scope(self) -> str:
        return self.endpoint.rstrip("/") + "/.default"

    def client_kwargs(self) -> dict[str, Any]:
        return {
            "retry_total": self.retry_total,
            "retry_status": self.retry_total,
            "retry_read": self.retry_total,
            "retry_backoff_factor": self.retry_backoff_factor,
            "retry_backoff_max": self.retry_backoff_max,
            "retry_connect": self.retry_connect,
            "connection_timeout": self.connection_timeout,
            "read_timeout": self.read_timeout,
        }

    def resolve_credential(self) -> Any:
        if self.credential is not None:
            return self.credential
        return azure_credential().credential

    def signed_in(self) -> "AzureSettings":
        """These settings with the environment's credential built and one token fetched.

        Called once before any reader starts, so no credential fails in one line naming what was
        tried (not once per request, subscription and retry). A credential given explicitly is
        the caller's and is used as is.
        """
        settings = self if self.throttle is not None else dataclasses.replace(
            self, throttle=Throttle(probe=min(PROBE, self.read_timeout)))
        if settings.credential is not None:
            return settings
        resolved = azure_credential()
        cached = CachedTokenCredential(resolved.credential)
        verify_azure_credential(AzureCredential(cached, resolved.source), self.scope)
        return dataclasses.replace(settings, credential=cached)

    def hooks(self) -> dict[str, Any]:
        return self.throttle.hooks() if self.throttle is not None else {}


def validate_subscriptions(subscriptions: list[str]) -> list[str]:
    for sub in subscriptions:
        if not SUBSCRIPTION_ID.match(sub):
            raise LiveInputError(f"--azure-subscription {sub!r} is not a subscription id (a GUID)")
    return sorted({s.lower() for s in subscriptions})


def make_graph_client(settings: AzureSettings) -> Any:
    from azure.mgmt.resourcegraph import ResourceGraphClient

    return ResourceGraphClient(
        settings.resolve_credential(),
        base_url=settings.endpoint,
        credential_scopes=[settings.scope],
        **settings.client_kwargs(),
        **settings.hooks(),
    )


def make_arm_client(settings: AzureSettings, credential: Any = None) -> Any:
    """A bare ARM pipeline (retry then auth, like the generated clients) for per-resource GETs."""
    from azure.core.pipeline import policies
    from azure.mgmt.core import ARMPipelineClient
    from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy

    pipeline = [
        policies.RequestIdPolicy(),
        policies.HeadersPolicy(),
        policies.UserAgentPolicy(sdk_moniker="borough-drift"),
        policies.RetryPolicy(**{k: v for k, v in settings.client_kwargs().items() if k.startswith("retry_")}),
        ARMChallengeAuthenticationPolicy(credential or settings.resolve_credential(), settings.scope),
        policies.CustomHookPolicy(**settings.hooks()),
    ]
    return ARMPipelineClient(
        base_url=settings.endpoint,
        policies=pipeline,
        connection_timeout=settings.connection_timeout,
        read_timeout=settings.read_timeout,
    )


REFUSED_HINT = ("the token may have expired, or be for another tenant or audience: sign in again (`az login`), "
                "or fetch a new BOROUGH_AZURE_ACCESS_TOKEN for " + PUBLIC_ENDPOINT)


def refused(scope: str, what: str, reason: str) -> LiveCredentialError:
    """HTTP 401: the API refused the credential. Every other read would be refused too, so the run
    stops here with one line, not one not-read entry per table and subscription."""
    return LiveCredentialError(f"Azure refused the credential: {what} in {scope}: {reason}", hint=REFUSED_HINT)


def status_of(exc: Exception) -> int | None:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def failure_reason(exc: Exception) -> str:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"HTTP {status}: {text}" if status else f"{type(exc).__name__}: {text}"


def _where_groups(groups: list[str] | None) -> str:
    if not groups:
        return ""
    for group in groups:
        if not RESOURCE_GROUP.match(group):
            raise LiveInputError(f"resource group {group!r} is not a valid resource group name")
    names = ", ".join(f"'{g}'" for g in sorted(set(groups)))
    return f" | where resourceGroup in~ ({names})"


def resources_query(groups: list[str] | None = None) -> str:
    return RESOURCES_QUERY.format(where=_where_groups(groups))


def groups_query(groups: list[str] | None = None) -> str:
    where = _where_groups(groups).replace("resourceGroup in~", "name in~")
    return GROUPS_QUERY.format(where=where)


def get_query_pages(client: Any, settings: AzureSettings, subscription: str, query: str, label: str) -> Iterator[list[dict[str, Any]]]:
    """Yield Resource Graph pages, following ``$skipToken`` until the last page."""
    from azure.core.exceptions import AzureError
    from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions, ResultFormat

    skip_token: str | None = None
    page = 1
    guard = PageGuard(f"subscription {subscription}", f"Resource Graph query '{label}'", settings.max_pages)
    while True:
        request = QueryRequest(
            subscriptions=[subscription],
            query=query,
            options=QueryRequestOptions(skip_token=skip_token, top=settings.page_size, result_format=ResultFormat.OBJECT_ARRAY),
        )
        what = f"Resource Graph query '{label}' page {page}"
        try:
            response = client.resources(request, retry_on_methods=QUERY_RETRY_METHODS, **settings.call_options)
        except AzureError as exc:
            if status_of(exc) == 401:
                raise refused(f"subscription {subscription}", what, failure_reason(exc)) from None
            raise LiveReadError(Cloud.azure, f"subscription {subscription}", what, failure_reason(exc)) from exc
        data = response.data
        if not isinstance(data, list):
            raise LiveReadError(Cloud.azure, f"subscription {subscription}", what, "the response has no objectArray data")
        yield data
        skip_token = response.skip_token
        if not skip_token:
            if str(response.result_truncated).lower() == "true":
                raise LiveReadError(Cloud.azure, f"subscription {subscription}", what, "result truncated without a skip token")
            return
        guard.follow(skip_token, response.total_records, settings.page_size)
        page += 1


def get_arm_resource(client: Any, settings: AzureSettings, resource_id: str, api_version: str) -> dict[str, Any] | None:
    """One ARM GET; None when ARM says the resource does not exist (404)."""
    from azure.core.exceptions import AzureError
    from azure.core.rest import HttpRequest

    subscription = _subscription_of(resource_id)
    what = f"ARM GET {resource_id}"
    request = HttpRequest("GET", client.format_url(resource_id), params={"api-version": api_version})
    try:
        response = client.send_request(request, **settings.call_options)
    except AzureError as exc:
        raise LiveReadError(Cloud.azure, f"subscription {subscription}", what, failure_reason(exc)) from exc
    if response.status_code == 404:
        return None
    if response.status_code == 401:
        raise refused(f"subscription {subscription}", what, "HTTP 401")
    if response.status_code >= 400:
        raise LiveReadError(Cloud.azure, f"subscription {subscription}", what, f"HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise LiveReadError(Cloud.azure, f"subscription {subscription}", what, "the response is not JSON") from None


def _subscription_of(resource_id: str) -> str:
    parts = resource_id.strip("/").split("/")
    if len(parts) >= 2 and parts[0].lower() == "subscriptions":
        return parts[1].lower()
    return "unknown"


RESOURCE_GROUP_TYPES = {"microsoft.resources/subscriptions/resourcegroups", "microsoft.resources/resourcegroups"}


@functools.lru_cache(maxsize=1)
def _known_types() -> dict[str, str]:
    from arm import ARM_TYPES

    return {key: entry.type for key, entry in ARM_TYPES.items()}


def type_from_id(resource_id: str) -> str | None:
    """``.../providers/Microsoft.Web/sites/a/slots/b`` -> ``Microsoft.Web/sites/slots``: ARM ids
    keep the resource provider's spelling even where Resource Graph lower-cases the type."""
    parts = resource_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    if "providers" not in lowered:
        return None
    index = len(lowered) - 1 - lowered[::-1].index("providers")
    rest = parts[index + 1 :]
    if len(rest) < 3:
        return None
    return "/".join([rest[0], *rest[1::2]])


def canonical_type(arm_type: str, resource_id: str = "") -> str:
    """The ARM type as Azure documents it (``Microsoft.Storage/storageAccounts``): Resource Graph
    answers in lower case. From the bundled ARM type table, else from the resource id's spelling."""
    lowered = arm_type.lower()
    if lowered in RESOURCE_GROUP_TYPES:
        return "Microsoft.Resources/resourceGroups"
    known = _known_types().get(lowered)
    if known:
        return known
    from_id = type_from_id(resource_id)
    if from_id and from_id.lower() == lowered:
        return from_id
    return arm_type


def transform_resource(row: dict[str, Any]) -> LiveResource:
    """A Resource Graph row (or an ARM GET body) as a live resource. Pure."""
    resource_id = str(row.get("id") or "")
    tags = row.get("tags") or {}
    subscription = str(row.get("subscriptionId") or _subscription_of(resource_id)).lower()
    group = row.get("resourceGroup")
    if group is None:
        group = _group_of(resource_id)
    arm = {k: v for k, v in row.items() if v is not None and k not in {"subscriptionId", "resourceGroup"}}
    return LiveResource(
        cloud=Cloud.azure,
        id=resource_id,
        type=canonical_type(str(row.get("type") or ""), resource_id),
        name=str(row.get("name") or resource_id.rsplit("/", 1)[-1]),
        location=str(row.get("location") or ""),
        scope=subscription,
        tags={str(k): "" if v is None else str(v) for k, v in tags.items()} if isinstance(tags, dict) else {},
        resource_group=str(group) if group else None,
        arm=arm,
    )


def _group_of(resource_id: str) -> str | None:
    parts = resource_id.strip("/").split("/")
    for index, part in enumerate(parts[:-1]):
        if part.lower() == "resourcegroups":
            return parts[index + 1]
    return None


def transform_pages(pages: list[list[dict[str, Any]]]) -> list[LiveResource]:
    return [transform_resource(row) for page in pages for row in page if isinstance(row, dict) and row.get("id")]


def _read_subscription(settings: AzureSettings, subscription: str, groups: list[str] | None) -> LiveSnapshot:
    snapshot = LiveSnapshot(scopes=[(Cloud.azure, f"subscription {subscription}")])
    client = make_graph_client(settings)
    with client:
        for label, query in (("resources", resources_query(groups)), ("resource groups", groups_query(groups))):
            pages: list[list[dict[str, Any]]] = []
            try:
                for page in get_query_pages(client, settings, subscription, query, label):
                    snapshot.requests += 1
                    pages.append(page)
            except LiveReadError as exc:
                snapshot.requests += 1
                snapshot.not_read.append(exc.not_read)
            snapshot.resources.extend(transform_pages(pages))
    return snapshot


def read_azure(subscriptions: list[str], settings: AzureSettings, groups: dict[str, list[str]] | None = None) -> LiveSnapshot:
    """Every subscription read concurrently; a failure is recorded for that subscription only.

    ``groups`` narrows a subscription to resource groups (stack drift); None reads it all.
    """
    settings = settings.validated()
    subs = validate_subscriptions(subscriptions)
    result = LiveSnapshot()
    if not subs:
        return result
    settings = settings.signed_in()
    with ThreadPoolExecutor(max_workers=max(1, min(settings.max_workers, len(subs)))) as pool:
        futures = [pool.submit(_read_subscription, settings, sub, (groups or {}).get(sub)) for sub in subs]
        for sub, future in zip(subs, futures):
            try:
                result = result.merge(future.result())
            except LiveCredentialError:
                raise
            except LiveReadError as exc:
                result = result.merge(LiveSnapshot(not_read=[exc.not_read], scopes=[(Cloud.azure, f"subscription {sub}")]))
            except Exception as exc:  # noqa: BLE001 - e.g. no credential at all: this subscription was not read
                result = result.merge(
                    LiveSnapshot(
                        not_read=[NotRead(Cloud.azure, f"subscription {sub}", "Resource Graph queries", failure_reason(exc))],
                        scopes=[(Cloud.azure, f"subscription {sub}")],
                    )
                )
    return result


def read_arm_resources(targets: list[tuple[str, str]], settings: AzureSettings) -> tuple[dict[str, dict[str, Any] | None], list[NotRead]]:
    """Per-resource ARM GETs (id, api version) for types Resource Graph lacks, a few at a time."""
    settings = settings.validated()
    if not targets:
        return {}, []
    settings = settings.signed_in()
    client = make_arm_client(settings)
    found: dict[str, dict[str, Any] | None] = {}
    failed: list[NotRead] = []

    def one(target: tuple[str, str]) -> tuple[str, dict[str, Any] | None, NotRead | None]:
        try:
            return target[0], get_arm_resource(client, settings, *target), None
        except LiveReadError as exc:
            return target[0], None, exc.not_read

    with client, ThreadPoolExecutor(max_workers=max(1, settings.max_workers)) as pool:
        for resource_id, body, problem in pool.map(one, sorted(set(targets))):
            if problem is not None:
                failed.append(problem)
            else:
                found[resource_id.lower()] = body
    return found, failed
