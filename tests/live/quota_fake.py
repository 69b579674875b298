"""The loopback Azure REST server of tests/live with Azure's throttling, as documented:

- Resource Graph: a per-user quota of queries per window; every answer carries
  ``x-ms-user-quota-remaining`` and ``x-ms-user-quota-resets-after`` (``hh:mm:ss``), and a query
  past the quota is refused with 429 and ``Retry-After``;
- ARM: a per-subscription bucket of reads refilled at a steady rate; every answer carries
  ``x-ms-ratelimit-remaining-subscription-reads``, and a read from an empty bucket is refused
  with 429 and ``Retry-After``.

``refused`` counts the 429s served: a reader that honours the headers is never refused.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from live_fake import PostureArm, PostureServer, _PostureHandler


@dataclass
class QuotaArm(PostureArm):
    graph_quota: int = 3
    graph_window: float = 1.0
    graph_used: int = 0
    graph_reset_at: float = 0.0
    arm_bucket: float = 12.0
    arm_capacity: float = 12.0
    arm_refill: float = 40.0
    """Reads a second the ARM bucket refills by."""
    arm_at: float = 0.0
    refused: int = 0

    def take_graph(self) -> tuple[bool, int, float]:
        """(allowed, remaining after this query, seconds to the reset)."""
        with self.lock:
            now = time.monotonic()
            if now >= self.graph_reset_at:
                self.graph_used, self.graph_reset_at = 0, now + self.graph_window
            if self.graph_used >= self.graph_quota:
                self.refused += 1
                return False, 0, self.graph_reset_at - now
            self.graph_used += 1
            return True, self.graph_quota - self.graph_used, self.graph_reset_at - now

    def take_read(self) -> tuple[bool, int]:
        with self.lock:
            now = time.monotonic()
            self.arm_bucket = min(self.arm_capacity, self.arm_bucket + (now - (self.arm_at or now)) * self.arm_refill)
            self.arm_at = now
            if self.arm_bucket < 1:
                self.refused += 1
                return False, 0
            self.arm_bucket -= 1
            return True, int(self.arm_bucket)


def _clock(seconds: float) -> str:
    seconds = max(0.0, seconds)
    return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}:{seconds % 60:06.3f}"


class _QuotaHandler(_PostureHandler):
    state: QuotaArm

    def do_POST(self) -> None:  # noqa: N802
        allowed, remaining, resets = self.state.take_graph()
        self._quota = {"x-ms-user-quota-remaining": str(remaining), "x-ms-user-quota-resets-after": _clock(resets)}
        if not allowed:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._send(429, {"error": {"code": "RateLimiting", "message": "quota exceeded"}}, {"Retry-After": "1"})
            return
        super().do_POST()

    def do_GET(self) -> None:  # noqa: N802
        allowed, remaining = self.state.take_read()
        self._quota = {"x-ms-ratelimit-remaining-subscription-reads": str(remaining)}
        if not allowed:
            self._send(429, {"error": {"code": "TooManyRequests", "message": "reads exhausted"}}, {"Retry-After": "1"})
            return
        super().do_GET()

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super()._send(status, body, {**getattr(self, "_quota", {}), **(headers or {})})


class QuotaServer(PostureServer):
    handler = _QuotaHandler

    def __init__(self, state: QuotaArm | None = None) -> None:
        super().__init__(state or QuotaArm())
