"""Benchmark the Pulumi policy pack against `borough check --state` on the same resources, in the
same run: what `pulumi preview --policy-pack` adds to a preview is one AnalyzeStack call.

For N azure-native resources (default 100 and 1,000; the stack export of bench_check.py with the
inputs as outputs, as the engine holds them) it times, best of --repeat:

- check:  borough check --state export.json          (a fresh process)
- pack:   AnalyzeStack over gRPC to the running pack (started once, as the engine starts it,
          in .venv-policy), which hands the stack to `borough policies evaluate-stack`

and prints the pack's time as a ratio of check's (the overhead of gRPC, the Struct round trip and
the JSON hand-over; target: <= 1.3x at N = 1,000) and checks both report the same violations.

    .venv/bin/python bench/bench_policy_pack.py [--sizes 100,1000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "policies"))

from bench_check import best, state_export  # noqa: E402

BOROUGH = ROOT / ".venv" / "bin" / "borough"


def _after_up(export: dict) -> dict:
    for resource in export["deployment"]["resources"]:
        resource["outputs"] = resource.pop("inputs", None) or resource.get("outputs") or {}
    return export


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from pulumi.runtime.proto import analyzer_pb2

    from pack_harness import POLICY_PYTHON, stack_resources, start_pack, violations

    if not POLICY_PYTHON.exists():
        raise SystemExit("no .venv-policy: run `make policy-venv` first")
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        pack_dir = Path(tmp) / "pack"
        subprocess.run([str(BOROUGH), "policies", "pack", "--output", str(pack_dir), "--command", str(BOROUGH)],
                       check=True, capture_output=True)
        pack = start_pack(pack_dir)
        try:
            print(f"{'N':>6} {'check s':>9} {'pack s':>9} {'pack/check':>11} {'violations':>11}")
            for n in (int(s) for s in args.sizes.split(",")):
                export = _after_up(state_export(n))
                path = Path(tmp) / f"export-{n}.json"
                path.write_text(json.dumps(export))
                check = best([str(BOROUGH), "check", "--state", str(path), "--format", "json"], args.repeat)
                times, found = [], []
                for attempt in range(args.repeat):
                    export["deployment"]["resources"][0]["outputs"] = {"attempt": attempt}  # no cache between runs
                    start = time.perf_counter()
                    response = pack.analyzer.AnalyzeStack(
                        analyzer_pb2.AnalyzeStackRequest(resources=stack_resources(export)), timeout=1800)
                    times.append(time.perf_counter() - start)
                    found = [v for v in violations(response) if not v["policy"].startswith("borough-")]
                checked = json.loads(subprocess.run([str(BOROUGH), "check", "--state", str(path), "--format", "json"],
                                                    capture_output=True, text=True).stdout)
                failed = sorted((f["check_id"], f["urn"]) for f in checked["findings"] if f["outcome"] == "failed")
                same = "same" if sorted((v["policy"], v["urn"]) for v in found) == failed else "DIFFER"
                print(f"{n:>6} {check:>9.2f} {min(times):>9.2f} {min(times) / check:>10.2f}x {len(found):>6} {same}")
        finally:
            pack.stop()


if __name__ == "__main__":
    main()
