"""The loopback Azure REST server of tests/live, taught to misbehave as real APIs sometimes do.

Resource Graph documents ``$skipToken`` as the continuation of a query and ``totalRecords`` as the
rows it matched (Microsoft.ResourceGraph ``QueryResponse``); ARM list calls continue with
``nextLink`` (``{"value": [...], "nextLink": ...}``). This server answers in that shape but can
loop: the same ``$skipToken`` forever (``repeat``), a cycle of a few tokens (``cycle``), fresh
tokens without end (``endless``), or a ``nextLink`` that points back at itself.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from live_fake import PostureArm, PostureServer, _PostureHandler


@dataclass
class MisbehavingArm(PostureArm):
    skip_tokens: str | None = None
    """None: honest paging; ``repeat``, ``cycle`` or ``endless``: how the continuation loops."""
    report_total: bool = True
    """Whether Resource Graph answers ``totalRecords`` (it always does; ``False`` tests the page bound alone)."""
    self_next_link: bool = False
    """ARM list calls answer a ``nextLink`` to the page just read."""
    arrivals: list[str] = field(default_factory=list)
    """The method of every request, as it arrives."""


class _MisbehavingHandler(_PostureHandler):
    state: MisbehavingArm

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        mode = self.state.skip_tokens
        if self.command == "POST" and status == 200 and mode and isinstance(body, dict) and "data" in body:
            request = json.loads(self._body or b"{}")
            token = (request.get("options") or {}).get("$skipToken")
            body = {**body, "$skipToken": self._next(mode, token)}
        if isinstance(body, dict) and not self.state.report_total:
            body = {k: v for k, v in body.items() if k != "totalRecords"}
        super()._send(status, body, headers)

    def do_POST(self) -> None:  # noqa: N802 - keep the body for _send
        length = int(self.headers.get("Content-Length") or 0)
        self._body, connection = self.rfile.read(length), self.rfile
        self.rfile = _Replay(self._body)  # type: ignore[assignment]
        try:
            super().do_POST()
        finally:
            self.rfile = connection  # the next request on this keep-alive connection

    def _fault(self, method: str, subscription: str | None, page: int | None) -> bool:
        with self.state.lock:
            self.state.arrivals.append(method)  # counted on arrival: a stalled answer is seen late or never
        return super()._fault(method, subscription, page)

    @staticmethod
    def _next(mode: str, token: str | None) -> str:
        number = int(base64.b64decode(token).decode()) if token else 0
        if mode == "repeat":
            return base64.b64encode(b"1").decode()
        if mode == "cycle":
            return base64.b64encode(str(number % 3 + 1).encode()).decode()
        return base64.b64encode(str(number + 1).encode()).decode()

    def _page(self, url: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
        page = super()._page(url, items)
        if self.state.self_next_link:
            host, port = self.server.server_address[:2]
            page["nextLink"] = f"http://{host}:{port}{url.path}?{url.query}"
        return page


class _Replay:
    """The request body, readable once more by the handler it was read for."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = -1) -> bytes:
        data, self._data = self._data, b""
        return data


class MisbehavingServer(PostureServer):
    handler = _MisbehavingHandler

    def __init__(self, state: MisbehavingArm | None = None) -> None:
        super().__init__(state or MisbehavingArm())
