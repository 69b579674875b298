"""A loopback server speaking the Resource Graph and ARM REST wire format the Azure SDK uses.

It holds resources per subscription, pages Resource Graph answers with ``$skipToken``, answers
ARM GETs by id, checks the bearer token, and injects faults (429 with Retry-After, 500s, slow
answers) so the real azure-core retry and paging code runs against it. Shared by the tests and
``bench/bench_drift.py``.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from loopback import LoopbackServer
from urllib.parse import parse_qs, urlparse

TOKEN = "test-token"
WEB_TYPES = {"microsoft.web/sites", "microsoft.web/sites/slots"}
GROUPS_IN = re.compile(r"in~\s*\(([^)]*)\)")


@dataclass
class Fault:
    """Answer matching requests with ``status`` (or stall ``delay`` seconds) ``times`` times."""

    method: str = "POST"
    subscription: str | None = None
    page: int | None = None
    path_contains: str | None = None
    status: int = 500
    times: int | None = 1
    """None: every time."""
    retry_after: str | None = None
    delay: float = 0.0

    def matches(self, method: str, path: str, subscription: str | None, page: int | None) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if method != self.method:
            return False
        if self.subscription and subscription != self.subscription:
            return False
        if self.page is not None and page != self.page:
            return False
        if self.path_contains and self.path_contains.lower() not in path.lower():
            return False
        return True


@dataclass
class Seen:
    method: str
    path: str
    subscription: str | None = None
    page: int | None = None
    status: int = 200


@dataclass
class FakeArm:
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    """id (lower) -> ARM body, including resource groups and child resources."""
    faults: list[Fault] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    latency: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, body: dict[str, Any]) -> None:
        self.resources[body["id"].lower()] = copy.deepcopy(body)

    def remove(self, resource_id: str) -> None:
        self.resources.pop(resource_id.lower(), None)

    def get(self, resource_id: str) -> dict[str, Any]:
        return self.resources[resource_id.lower()]

    def fault_for(self, method: str, path: str, subscription: str | None, page: int | None) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path, subscription, page):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def rows(self, subscription: str, containers: bool, groups: set[str] | None) -> list[dict[str, Any]]:
        out = []
        for key in sorted(self.resources):
            body = self.resources[key]
            parts = key.strip("/").split("/")
            if parts[1] != subscription.lower():
                continue
            is_group = len(parts) == 4 and parts[2] == "resourcegroups"
            if containers != is_group:
                continue
            if not containers and (not _arg_indexed(body["type"]) or key.count("/providers/") > 1):
                continue
            group = parts[3] if len(parts) > 3 else ""
            if groups is not None and group not in groups:
                continue
            out.append(graph_row(body, parts[1], group))
        return out


def graph_row(body: dict[str, Any], subscription: str, group: str) -> dict[str, Any]:
    """A Resource Graph row of an ARM body: lower-case type, subscription and group columns."""
    row = copy.deepcopy(body)
    if row["type"].lower() in WEB_TYPES and isinstance(row.get("properties"), dict):
        row["properties"]["siteConfig"] = None  # as the real service: only <site>/config/web has it
    row.update(type=body["type"].lower(), subscriptionId=subscription, resourceGroup=group)
    return row


def _arg_indexed(arm_type: str) -> bool:
    """The real service's Resources table lacks most child types: mimic that."""
    lowered = arm_type.lower()
    return lowered.count("/") <= 1 or lowered in {
        "microsoft.web/sites/slots", "microsoft.sql/servers/databases", "microsoft.network/networkwatchers/flowlogs",
        "microsoft.network/privatednszones/virtualnetworklinks",
    }


def _page_of(options: dict[str, Any]) -> tuple[int, int]:
    token = options.get("$skipToken")
    offset = int(base64.b64decode(token).decode()) if token else 0
    top = int(options.get("$top") or 1000)
    return offset, top


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    """Headers and body leave in one write (flushed per request), so no delayed-ACK stalls."""
    state: FakeArm

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet test output
        return

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-ms-request-id", "fake")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") == f"Bearer {TOKEN}":
            return True
        self._send(401, {"error": {"code": "AuthenticationFailed", "message": "bad token"}})
        return False

    def _fault(self, method: str, subscription: str | None, page: int | None) -> bool:
        if self.state.latency:
            time.sleep(self.state.latency)
        fault = self.state.fault_for(method, self.path, subscription, page)
        if fault is None:
            return False
        if fault.delay:
            time.sleep(fault.delay)
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        self.state.seen.append(Seen(method, self.path, subscription, page, fault.status))
        self._send(fault.status, {"error": {"code": "Injected", "message": f"injected {fault.status}"}}, headers)
        return True

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if not self._authorised():
            return
        if not urlparse(self.path).path.lower().endswith("/providers/microsoft.resourcegraph/resources"):
            self._send(404, {"error": {"code": "NotFound", "message": self.path}})
            return
        subscriptions, subscription = self._scope(body)
        offset, top = _page_of(body.get("options") or {})
        page = offset // top + 1
        if self._fault("POST", subscription, page):
            return
        query = body.get("query", "")
        match = GROUPS_IN.search(query)
        groups = {g.strip().strip("'").lower() for g in match.group(1).split(",")} if match else None
        rows = [r for sub in subscriptions for r in self._query_rows(query, sub, groups)]
        chunk = rows[offset : offset + top]
        answer: dict[str, Any] = {"totalRecords": len(rows), "count": len(chunk), "data": chunk, "facets": [], "resultTruncated": "false"}
        if offset + top < len(rows):
            answer["$skipToken"] = base64.b64encode(str(offset + top).encode()).decode()
        self.state.seen.append(Seen("POST", self.path, subscription, page))
        self._send(200, answer)

    def do_GET(self) -> None:  # noqa: N802
        if not self._authorised():
            return
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/")
        subscription = parts[1].lower() if len(parts) > 1 else None
        if self._fault("GET", subscription, None):
            return
        if "api-version" not in parse_qs(url.query):
            self._send(400, {"error": {"code": "MissingApiVersionParameter", "message": "api-version"}})
            return
        body = self._answer_get(url, url.path.rstrip("/").lower())
        self.state.seen.append(Seen("GET", self.path, subscription, None, 200 if body is not None else 404))
        if body is None:
            self._send(404, {"error": {"code": "ResourceNotFound", "message": f"{url.path} not found"}})
            return
        self._send(200, body)

    # What a subclass (tests/live/live_fake.py) overrides to answer more of the REST surface.

    def _scope(self, body: dict[str, Any]) -> tuple[list[str], str | None]:
        """The subscriptions a query reads, and the one faults match on (None: several)."""
        subscriptions = [s.lower() for s in body.get("subscriptions") or []]
        return subscriptions, subscriptions[0] if len(subscriptions) == 1 else None

    def _query_rows(self, query: str, subscription: str, groups: set[str] | None) -> list[dict[str, Any]]:
        """One subscription's rows of the table the query names."""
        return self.state.rows(subscription, query.strip().lower().startswith("resourcecontainers"), groups)

    def _answer_get(self, url: Any, path: str) -> Any:
        """The body a GET of ``path`` (lower case, no trailing slash) returns; None: 404."""
        body = self.state.resources.get(path)
        if body is None and path.endswith("/config/web"):
            site = self.state.resources.get(path[: -len("/config/web")])
            if site is not None and site["type"].lower() in WEB_TYPES:
                config = (site.get("properties") or {}).get("siteConfig") or {}
                config = {k: v for k, v in config.items() if k.lower() not in {"appsettings", "connectionstrings"}}
                body = {"id": url.path, "name": "web", "type": "Microsoft.Web/sites/config", "properties": config}
        return body


class FakeArmServer(LoopbackServer):
    """``with FakeArmServer() as server: server.endpoint`` -> ``http://127.0.0.1:<free port>``."""

    handler: type[_Handler] = _Handler

    def __init__(self, state: FakeArm | None = None) -> None:
        super().__init__(self.handler, state or FakeArm())


class TestCredential:
    """What DefaultAzureCredential would be: an object with get_token/get_token_info."""

    __test__ = False

    def __init__(self) -> None:
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        self.calls += 1
        return AccessToken(TOKEN, int(time.time()) + 3600)

    def get_token_info(self, *scopes: str, options: Any = None) -> Any:
        from azure.core.credentials import AccessTokenInfo

        self.calls += 1
        return AccessTokenInfo(TOKEN, int(time.time()) + 3600)


def arm_resource(subscription: str, group: str, provider_type: str, name: str, **body: Any) -> dict[str, Any]:
    """An ARM body with a proper id; ``provider_type`` like ``Microsoft.Storage/storageAccounts``."""
    namespace, *types = provider_type.split("/")
    names = name.split("/")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names))
    resource_id = f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{namespace}/{path}"
    return {"id": resource_id, "name": name.rsplit("/", 1)[-1], "type": provider_type, **body}


def resource_group(subscription: str, name: str, location: str = "uksouth", tags: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{subscription}/resourceGroups/{name}",
        "name": name,
        "type": "Microsoft.Resources/resourceGroups",
        "location": location,
        "tags": tags or {},
        "properties": {"provisioningState": "Succeeded"},
    }
