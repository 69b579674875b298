"""The baseline the live-read benches compare against: one ARM GET per resource.

A per-resource refresh pays one GET per resource. Timing all of them at 5,000 resources and 20 ms
each would dominate the bench, so a spread sample is timed and the cost per GET extrapolated
linearly (each GET is independent and the loopback server's cost per GET is constant).
Shared by bench_drift.py and bench_check_live.py so both measure the baseline the same way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GetBaseline:
    per_get: float
    """Seconds per ARM GET, averaged over the sample."""
    sampled: int
    missing: str | None = None
    """The first sampled id a GET found nothing for (the baseline is then not valid)."""

    def extrapolated(self, resources: int) -> float:
        return self.per_get * resources


def one_get_each(settings: Any, ids: list[str], sample: int, api_version: str = "2024-01-01") -> GetBaseline:
    """Time one ARM GET for each of ``sample`` ids spread evenly over ``ids``."""
    from inventory.live.azure import get_arm_resource, make_arm_client

    chosen = ids[:: max(1, len(ids) // sample)][:sample]
    client = make_arm_client(settings)
    with client:
        start = time.perf_counter()
        for resource_id in chosen:
            if get_arm_resource(client, settings, resource_id, api_version) is None:
                return GetBaseline(0.0, len(chosen), missing=resource_id)
        elapsed = time.perf_counter() - start
    return GetBaseline(elapsed / len(chosen), len(chosen))
