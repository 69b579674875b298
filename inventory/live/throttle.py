"""Pacing the live readers by what Azure says is left, so a big estate is read without a 429 storm.

Resource Graph gives each user a quota of queries per window and says what is left on every
answer (``x-ms-user-quota-remaining``) and when the window resets (``x-ms-user-quota-resets-after``,
``hh:mm:ss``). ARM gives each subscription a budget of reads and says what is left
(``x-ms-ratelimit-remaining-subscription-reads``). Every reader thread of one run shares one
``Throttle``: when the quota is spent, requests wait for the reset instead of being refused;
when a subscription's reads run low, its requests are spaced out while the budget refills.
A 429 that still comes is retried by azure-core, honouring ``Retry-After``.

The hooks run inside azure-core's pipeline (``CustomHookPolicy``), once per attempt.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

GRAPH_REMAINING = "x-ms-user-quota-remaining"
GRAPH_RESETS_AFTER = "x-ms-user-quota-resets-after"
ARM_REMAINING_READS = "x-ms-ratelimit-remaining-subscription-reads"
ARM_REFILL_PER_SECOND = 25.0
"""ARM refills a subscription's read bucket at about 25 requests a second (per region instance)."""
MAX_WAIT = 60.0
GRAPH_PATH = "/providers/microsoft.resourcegraph/resources"
SUBSCRIPTION = re.compile(r"/subscriptions/([0-9a-fA-F-]{36})", re.IGNORECASE)


def parse_resets_after(value: str) -> float | None:
    """``00:00:04`` -> 4.0 seconds; None when the header is not in that form."""
    match = re.fullmatch(r"\s*(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*", value or "")
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


PROBE = 2.0
"""While the first request of a budget is out (what is left is not known yet), the others wait
this long at most for its answer."""
POLL = 0.05


@dataclass
class Budget:
    """What is left of one quota (Resource Graph's, or one subscription's ARM reads), as the last
    answer said, less the requests sent since (reserved before they go)."""

    refill: float = 0.0
    """Tokens a second (ARM's bucket); 0: the whole quota comes back at ``reset_at`` (Resource Graph)."""
    remaining: float | None = None
    reset_at: float = 0.0
    noted_at: float = 0.0
    probe_until: float = 0.0
    probe: float = PROBE
    metered: bool | None = None
    """None until the first answer; False when answers carry no quota header (nothing to pace by)."""

    def take(self, now: float) -> float:
        """0 and one request reserved, or the seconds to wait before asking again."""
        if self.metered is False:
            return 0.0
        if self.remaining is None:
            if self.probe_until > now:
                return min(self.probe_until - now, POLL)
            self.probe_until = now + self.probe
            return 0.0
        available = self.remaining + (now - self.noted_at) * self.refill if self.refill else self.remaining
        if available >= 1:
            self.remaining, self.noted_at = available - 1, now
            return 0.0
        if self.refill:
            return (1 - available) / self.refill
        if self.reset_at > now:
            return self.reset_at - now
        self.remaining = None  # the window has passed: what is left is unknown until the next answer
        return self.take(now)

    def note(self, remaining: int, now: float, resets_after: float | None = None) -> None:
        """What an answer said is left (``resets_after``: seconds to the quota window's end)."""
        local = None
        if self.remaining is not None:
            local = self.remaining + (now - self.noted_at) * self.refill if self.refill else self.remaining
        if resets_after is not None:
            reset_at = now + resets_after
            same_window = local is not None and abs(reset_at - self.reset_at) < 1.0
            self.reset_at = reset_at
            if not same_window:
                local = None
        self.remaining = float(remaining) if local is None else min(local, float(remaining))
        self.noted_at, self.probe_until, self.metered = now, 0.0, True

    def unmetered(self) -> None:
        """An answer without the quota header: the waiting probe is over, and unless an earlier
        answer said otherwise, this API does not say what is left (then nothing is paced)."""
        self.probe_until = 0.0
        if self.metered is None:
            self.metered = False


@dataclass
class Throttle:
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    budgets: dict[str, Budget] = field(default_factory=dict)
    """``graph`` and each subscription id."""
    waited: float = 0.0
    """Seconds spent waiting for quota (the figure a benchmark reports)."""
    probe: float = PROBE
    """How long the others wait for a budget's first answer (no longer than a request may take)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _budget(self, key: str) -> Budget:
        if key not in self.budgets:
            self.budgets[key] = Budget(refill=0.0 if key == "graph" else ARM_REFILL_PER_SECOND, probe=self.probe)
        return self.budgets[key]

    def before(self, request: Any) -> None:
        """``raw_request_hook``: wait until the quota this request draws on has room for it."""
        key = _key(str(getattr(getattr(request, "http_request", request), "url", "")))
        if not key:
            return
        waited = 0.0
        while waited < MAX_WAIT:
            with self.lock:
                delay = self._budget(key).take(self.clock())
                if delay > 0:
                    self.waited += delay
            if delay <= 0:
                return
            self.sleep(delay)
            waited += delay

    def after(self, response: Any) -> None:
        """``raw_response_hook``: note what the answer says is left."""
        http = getattr(response, "http_response", response)
        headers = getattr(http, "headers", None) or {}
        url = str(getattr(getattr(response, "http_request", None), "url", "") or "")
        key = _key(url)
        if not key:
            return
        remaining = _int(headers.get(GRAPH_REMAINING)) if key == "graph" else _int(headers.get(ARM_REMAINING_READS))
        if remaining is None:
            if 200 <= int(getattr(http, "status_code", 0) or 0) < 300:
                with self.lock:
                    self._budget(key).unmetered()
            else:
                with self.lock:
                    self._budget(key).probe_until = 0.0  # an error answer ends the probe; the next request probes
            return
        resets = parse_resets_after(str(headers.get(GRAPH_RESETS_AFTER) or "")) if key == "graph" else None
        with self.lock:
            self._budget(key).note(remaining, self.clock(), resets if key == "graph" else None)

    def hooks(self) -> dict[str, Any]:
        """Keyword arguments for an azure-core client (its ``CustomHookPolicy``)."""
        return {"raw_request_hook": self.before, "raw_response_hook": self.after}


def _key(url: str) -> str:
    if GRAPH_PATH in url.lower():
        return "graph"
    return _subscription(url)


def _subscription(url: str) -> str:
    match = SUBSCRIPTION.search(url)
    return match.group(1).lower() if match else ""


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
