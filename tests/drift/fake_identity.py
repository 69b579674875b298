"""A loopback App Service managed-identity endpoint (``IDENTITY_ENDPOINT`` + ``IDENTITY_HEADER``).

azure-identity's ManagedIdentityCredential (and DefaultAzureCredential's managed identity step)
asks it for tokens, so the credential code runs for real without a cloud: ``status`` 200 hands out
the fake ARM server's token, anything else refuses. Every request is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlparse

from fake_arm import TOKEN
from loopback import LoopbackServer

HEADER_SECRET = "identity-header-secret"


@dataclass
class IdentityState:
    status: int = 200
    requests: list[dict[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: IdentityState

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet test output
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        query = parse_qs(urlparse(self.path).query)
        with self.state.lock:
            self.state.requests.append(query)
        ok = self.state.status == 200 and self.headers.get("X-IDENTITY-HEADER") == HEADER_SECRET
        body: dict[str, Any] = (
            {"access_token": TOKEN, "expires_on": str(int(time.time()) + 3600), "resource": (query.get("resource") or [""])[0],
             "token_type": "Bearer"}
            if ok else {"error": "invalid_request", "error_description": "no identity assigned"}
        )
        payload = json.dumps(body).encode()
        self.send_response(200 if ok else self.state.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class FakeIdentityServer(LoopbackServer):
    def __init__(self, status: int = 200) -> None:
        super().__init__(_Handler, IdentityState(status=status))

    def environment(self) -> dict[str, str]:
        """What App Service sets for a managed identity."""
        return {"IDENTITY_ENDPOINT": self.endpoint + "/msi/token", "IDENTITY_HEADER": HEADER_SECRET}
