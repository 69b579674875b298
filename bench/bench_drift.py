"""Batched Resource Graph reads against one ARM GET per resource, same server, same run.

5,000 live resources sit behind the loopback ARM server (tests/drift/fake_arm.py) with 20 ms
added to every request, as a stand-in for the round trip to management.azure.com. borough reads
them all with paged Resource Graph queries; the baseline reads them one ARM GET at a time (what
a per-resource refresh does). The baseline is timed on a sample of GETs and extrapolated
linearly to all resources (each GET is independent and the server's cost per GET is constant).

    .venv/bin/python bench/bench_drift.py [--resources 5000] [--latency 0.02] [--sample 300]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "drift"))

from fake_arm import FakeArmServer, TestCredential, arm_resource, resource_group  # noqa: E402

from arm_get_baseline import one_get_each  # noqa: E402
from inventory.live.azure import AzureSettings, read_azure  # noqa: E402

SUB = "55555555-0000-0000-0000-000000000000"
TYPES = ("Microsoft.Storage/storageAccounts", "Microsoft.Web/sites", "Microsoft.Network/networkSecurityGroups",
         "Microsoft.KeyVault/vaults", "Microsoft.Compute/virtualMachines")


def populate(server: FakeArmServer, count: int) -> list[str]:
    ids = []
    groups = max(1, count // 250)
    for g in range(groups):
        server.state.add(resource_group(SUB, f"rg-{g:03d}", tags={"system-id": "bench"}))
    for i in range(count - groups):
        body = arm_resource(SUB, f"rg-{i % groups:03d}", TYPES[i % len(TYPES)], f"res-{i:05d}", location="uksouth",
                            tags={"system-id": f"system-{i % 40}", "owner": "platform-team"},
                            properties={"provisioningState": "Succeeded", "minimumTlsVersion": "TLS1_2", "index": i})
        server.state.add(body)
        ids.append(body["id"])
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()

    with FakeArmServer() as server:
        ids = populate(server, args.resources)
        server.state.latency = args.latency
        settings = AzureSettings(endpoint=server.endpoint, credential=TestCredential())

        start = time.perf_counter()
        snapshot = read_azure([SUB], settings)
        batched = time.perf_counter() - start
        if snapshot.not_read or len(snapshot.resources) != args.resources:
            print(f"batched read incomplete: {len(snapshot.resources)} resources, not read: {snapshot.not_read}", file=sys.stderr)
            return 3

        gets = one_get_each(settings, ids, args.sample)
        if gets.missing:
            print(f"GET {gets.missing} found nothing", file=sys.stderr)
            return 3
        baseline = gets.extrapolated(args.resources)

    ratio = batched / baseline
    print(f"resources: {args.resources}, added latency per request: {args.latency * 1000:.0f} ms")
    print(f"borough (Resource Graph, {snapshot.requests} paged requests): {batched:.2f} s")
    print(f"baseline (one ARM GET per resource): {gets.per_get * 1000:.1f} ms per GET measured on {gets.sampled} GETs, "
          f"extrapolated linearly to {args.resources}: {baseline:.1f} s")
    print(f"ratio borough/baseline: {ratio:.3f} (target <= 0.1: {'met' if ratio <= 0.1 else 'NOT met'})")
    return 0 if ratio <= 0.1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
