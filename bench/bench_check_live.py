"""`borough check --live` against `borough check --template` and against one GET per resource.

N resources (default 5,000: storage accounts, Key Vaults, NSGs, web apps and the diagnostic
settings that point at the storage accounts, as bench_check.py generates them) are rendered to one
ARM template, then served "as deployed" by the loopback Azure REST server (tests/live/live_fake.py)
with 20 ms added to every request. Each borough run is a fresh process, in the same run:

- template: borough check --template template.json        (the same resources, rendered offline)
- live:     borough check --live --subscription SUB ...    (Resource Graph pages + list calls for
            what no table holds, then the same checks)

and the baseline a per-resource refresh would pay: one ARM GET per resource, timed on a sample of
GETs and extrapolated linearly (as bench_drift.py does). Targets: live/template <= 1.5x,
live/GET-per-resource <= 0.1x. The reading alone (``deployed.live_transform.read_live`` in this process: the
part a per-resource GET would replace) is timed against the same baseline too.

The bundled stacks' ids (which say "managed by stack:<name>") are synthesized once and cached
under .borough/cache/; the cache is filled before timing, so the figure is a steady-state run
(a cold run adds one synthesis of every bundled stack).

    .venv/bin/python bench/bench_check_live.py [--resources 5000] [--latency 0.02] [--sample 200]

With ``--scale 4`` it measures instead what a nightly run over a big estate needs: `check --live`
at N and 4 x N resources (5,000 and 20,000 by default), each a fresh process, printing the time
per resource at 4 x N over that at N (linear growth: <= 1.25x) and the largest process's peak
memory (targets: < 400 MB at 5,000, < 1 GB at 20,000):

    .venv/bin/python bench/bench_check_live.py --resources 5000 --scale 4
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
for extra in (ROOT, ROOT / "tests" / "drift", ROOT / "tests" / "live", ROOT / "bench"):
    sys.path.insert(0, str(extra))

from bench_check import OFFLINE, PROJECT, RG, STACK, TAGS, _kinds  # noqa: E402
from fake_arm import TOKEN, TestCredential  # noqa: E402
from live_fake import PostureServer, deployed_bodies  # noqa: E402

SUB = RG.split("/")[2]


def state_export(n: int) -> dict:
    """bench_check's resources with real ARM ids (diagnostic settings as extension resources)."""
    resources = [{"urn": f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}",
                  "custom": False, "type": "pulumi:pulumi:Stack"},
                 {"urn": f"urn:pulumi:{STACK}::{PROJECT}::azure-native:resources:ResourceGroup::rg", "custom": True,
                  "type": "azure-native:resources:ResourceGroup", "id": RG,
                  "inputs": {"resourceGroupName": "rg-bench", "location": "uksouth", "tags": TAGS}, "outputs": {}}]
    for i in range(n - 1):
        token, name, inputs, path = _kinds(i)
        if token.endswith("DiagnosticSetting"):
            resource_id = f"{inputs['resourceUri']}/providers/Microsoft.Insights/diagnosticSettings/{inputs['name']}"
        else:
            inputs = {"resourceGroupName": "rg-bench", **inputs, "location": "uksouth", "tags": TAGS}
            resource_id = f"{RG}/providers/{path}"
        resources.append({"urn": f"urn:pulumi:{STACK}::{PROJECT}::{token}::{name}", "custom": True, "type": token,
                          "id": resource_id, "inputs": inputs, "outputs": {}})
    return {"version": 3, "deployment": {"manifest": {"version": "v3.223.0"}, "resources": resources}}


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str, float]:
    """Wall time, stdout and the peak resident memory (MB) of the borough process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **OFFLINE, **env}, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}: {stderr.strip()[-600:]}")
    return elapsed, stdout, usage.ru_maxrss / 1024


def live_run(bodies: list[dict], latency: float) -> tuple[float, dict, float, int]:
    """One `borough check --live` on a loopback Azure holding ``bodies``: (seconds, report, peak MB, requests)."""
    with PostureServer() as server:
        for body in bodies:
            server.state.add(body)
        server.state.latency = latency
        elapsed, out, peak = timed([str(BIN / "borough"), "check", "--live", "--subscription", SUB, "--azure-endpoint",
                                    server.endpoint, "--format", "json"], {"BOROUGH_AZURE_ACCESS_TOKEN": TOKEN})
        return elapsed, json.loads(out), peak, len(server.state.seen)


def scale(small: int, factor: int, latency: float) -> int:
    """`check --live` at ``small`` and ``factor`` x ``small`` resources, each a fresh process:
    time per resource should stay flat (linear growth) and the largest process under the limits."""
    from arm import render_graph
    from deployed.state import parse_state

    runs = []
    for n in (small, small * factor):
        bodies = deployed_bodies(render_graph(parse_state(state_export(n))).template)
        elapsed, report, peak, requests = live_run(bodies, latency)
        if report.get("not_read") or report["incomplete"]:
            print(f"live run at {n} incomplete: {report['incomplete'][:3]}", file=sys.stderr)
            return 3
        runs.append((len(bodies), elapsed, peak, requests))
        del bodies, report
    (n1, t1, m1, r1), (n2, t2, m2, r2) = runs
    growth = (t2 / n2) / (t1 / n1)
    print(f"borough check --live at {n1} resources: {t1:.1f} s, {r1} requests, largest process {m1:.0f} MB "
          f"(target < 400 MB: {'met' if m1 < 400 else 'NOT met'})")
    print(f"borough check --live at {n2} resources: {t2:.1f} s, {r2} requests, largest process {m2:.0f} MB "
          f"(target < 1024 MB: {'met' if m2 < 1024 else 'NOT met'})")
    print(f"time per resource at {n2} / at {n1}: {growth:.2f}x (linear: <= 1.25x: {'met' if growth <= 1.25 else 'NOT met'})")
    return 0 if m1 < 400 and m2 < 1024 and growth <= 1.25 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--scale", type=int, default=0, help="Instead: time and memory at N and SCALE x N resources.")
    args = parser.parse_args()
    if args.scale:
        from deployed.live_ownership import bundled_ownership

        bundled_ownership()
        return scale(args.resources, args.scale, args.latency)

    from arm_get_baseline import one_get_each
    from inventory.live.azure import AzureSettings
    from policies.catalog import load_policies
    from policies.live_check import diagnostics_types, judged_types
    from deployed.live_transform import read_live
    from deployed.live_ownership import bundled_ownership
    from arm import dump_template, render_graph
    from deployed.state import parse_state

    bundled_ownership()  # steady state: the bundled stacks' ids are cached, as after any earlier run
    template = render_graph(parse_state(state_export(args.resources))).template
    bodies = deployed_bodies(template)
    with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp, PostureServer() as server:
        path = Path(tmp) / "template.json"
        path.write_text(dump_template(template))
        for body in bodies:
            server.state.add(body)
        server.state.latency = args.latency

        offline, offline_out, offline_peak = timed([str(BIN / "borough"), "check", "--template", str(path), "--format", "json"], {})
        server.state.seen.clear()
        live, live_out, live_peak = timed([str(BIN / "borough"), "check", "--live", "--subscription", SUB, "--azure-endpoint",
                                server.endpoint, "--format", "json"], {"BOROUGH_AZURE_ACCESS_TOKEN": TOKEN})
        requests = len(server.state.seen)
        offline_report, live_report = json.loads(offline_out), json.loads(live_out)
        checked = {t["kind"]: t for t in [*offline_report["targets"], *live_report["targets"]]}
        if live_report.get("not_read") or checked["live"]["evaluations"] != checked["template"]["evaluations"]:
            print(f"live run differs: {checked}, not read: {live_report.get('not_read')}", file=sys.stderr)
            return 3

        settings = AzureSettings(endpoint=server.endpoint, credential=TestCredential())
        policies = load_policies()
        diagnostics, judged = diagnostics_types(policies), judged_types(policies)
        server.state.seen.clear()
        start = time.perf_counter()
        estate = read_live([SUB], [], [], settings, diagnostics, judged)
        read = time.perf_counter() - start
        pages = sum(1 for seen in server.state.seen if seen.method == "POST")
        if estate.not_read or estate.render.rendered != len(bodies):
            print(f"live read incomplete: {estate.render.rendered} of {len(bodies)}, not read: {estate.not_read[:3]}",
                  file=sys.stderr)
            return 3
        gets = one_get_each(settings, [b["id"] for b in bodies], args.sample)
        if gets.missing:
            print(f"GET {gets.missing} found nothing", file=sys.stderr)
            return 3
        baseline = gets.extrapolated(len(bodies))

    vs_template, vs_gets, read_vs_gets = live / offline, live / baseline, read / baseline
    print(f"resources: {len(bodies)} deployed ({checked['live']['evaluations']} check evaluations), "
          f"added latency per request: {args.latency * 1000:.0f} ms")
    print(f"borough check --template (rendered offline): {offline:.2f} s, largest process {offline_peak:.0f} MB")
    print(f"borough check --live ({requests} requests: Resource Graph pages + list calls): {live:.2f} s, "
          f"largest process {live_peak:.0f} MB (target < 400 MB: {'met' if live_peak < 400 else 'NOT met'})")
    print(f"baseline one ARM GET per resource: {gets.per_get * 1000:.1f} ms per GET on {gets.sampled} GETs, "
          f"extrapolated to {len(bodies)}: {baseline:.1f} s")
    print(f"ratio live/template: {vs_template:.2f}x (target <= 1.5x: {'met' if vs_template <= 1.5 else 'NOT met'})")
    print(f"reading alone (in-process, {estate.requests} requests for {len(bodies)} resources: {pages} Resource Graph "
          f"pages, {estate.requests - pages} list calls for children and diagnostic settings): {read:.2f} s")
    print(f"ratio live/GET-per-resource: {vs_gets:.3f}x (target <= 0.1x: {'met' if vs_gets <= 0.1 else 'NOT met'})")
    print(f"ratio reading/GET-per-resource: {read_vs_gets:.3f}x (target <= 0.1x: {'met' if read_vs_gets <= 0.1 else 'NOT met'})")
    return 0 if vs_template <= 1.5 and vs_gets <= 0.1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
