"""A loopback proxy in front of moto that fails or throttles requests for chosen regions.

moto answers every region from one endpoint, so a region outage is injected on the wire: the
SigV4 ``Authorization`` header names the region (``Credential=KEY/date/<region>/<service>/...``).
Errors are written in each service's own protocol (query XML, S3 XML, JSON) so botocore parses
the code (``AccessDenied``, ``Throttling``...) exactly as it would from AWS.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from loopback import LoopbackServer
from urllib.parse import urlparse

SCOPE = re.compile(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/")
JSON_SERVICES = {"tagging", "lambda"}


@dataclass
class AwsFault:
    region: str
    service: str | None = None
    status: int = 500
    code: str = "ServiceUnavailable"
    """Query-protocol error code, e.g. ``Throttling`` (what RDS answers when rate-limited)."""
    times: int | None = None
    delay: float = 0.0
    path_contains: str | None = None
    """Only requests whose path (with query) contains this, e.g. ``my-bucket?location``."""


@dataclass
class ProxyState:
    upstream: str
    faults: list[AwsFault] = field(default_factory=list)
    hits: list[tuple[str, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fault(self, region: str, service: str, path: str = "") -> AwsFault | None:
        with self.lock:
            for fault in self.faults:
                if fault.path_contains and fault.path_contains not in path:
                    continue
                if fault.region == region and fault.service in (None, service) and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None


class _Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: ProxyState

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        match = SCOPE.search(self.headers.get("Authorization", ""))
        region, service = (match.group(1), match.group(2)) if match else ("", "")
        fault = self.state.fault(region, service, self.path)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            content_type, payload = _error_body(service, fault.code)
            self.state.hits.append((region, service, fault.status))
            self.send_response(fault.status)
            self.send_header("Content-Type", content_type)
            if service in JSON_SERVICES:
                self.send_header("x-amzn-ErrorType", fault.code)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        self.state.hits.append((region, service, 200))
        upstream = urlparse(self.state.upstream)
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in {"connection", "keep-alive"}}
        conn.request(self.command, self.path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in {"transfer-encoding", "connection", "content-length", "server", "date"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test): nothing to answer

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


def _error_body(service: str, code: str) -> tuple[str, bytes]:
    if service in JSON_SERVICES:
        return "application/x-amz-json-1.1", json.dumps({"__type": code, "message": "injected"}).encode()
    if service == "s3":
        return "application/xml", (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
                                   f'<Message>injected</Message><RequestId>proxy</RequestId></Error>').encode()
    return "text/xml", (f'<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>'
                        f'<Message>injected</Message></Error><RequestId>proxy</RequestId></ErrorResponse>').encode()


class AwsProxy(LoopbackServer):
    def __init__(self, upstream: str) -> None:
        super().__init__(_Proxy, ProxyState(upstream=upstream))
