"""Offline synthesis time per bundled stack, as a ratio against a trivial program synthesized
the same way (the fixed cost of a run: a child interpreter importing the Pulumi SDK, an event loop).

Each stack is synthesized --runs times, each run in a fresh child with a fresh cache; medians are
printed. The spokes read the platform stack's outputs: its graph is put in the run's cache first
(not timed), so a spoke's figure is its own synthesis, as in `check --all`. Then the program that
bench_check.py generates (--generated N azure-native resources, 0 to skip) shows the cost at scale:
its ms per resource should stay flat as N grows.
Usage: .venv/bin/python bench/bench_synth.py [--runs N] [--generated N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def _median(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--generated", type=int, default=1000, help="resources in the generated program (0: skip)")
    args = parser.parse_args()
    runs = args.runs
    from synth.catalog import list_stacks
    from synth.run import SynthOptions, synthesize, synthesize_stack

    with tempfile.TemporaryDirectory() as tmp:
        program = Path(tmp)
        (program / "__main__.py").write_text(
            "from pulumi_azure_native import resources\n"
            "resources.ResourceGroup('rg', resource_group_name='rg-bench', location='uksouth')\n")
        synthesize(program, "bench")
        baseline = _median(lambda: synthesize(program, "bench"), runs)
    print(f"{'one resource group (baseline)':32} {baseline * 1000:8.0f} ms  1.0x")
    names = sorted((s.name for s in list_stacks()), key=lambda n: (n != "platform-prod", n))
    def timed(name: str) -> float:
        options = SynthOptions()
        if name != "platform-prod":
            synthesize_stack("platform-prod", options=options)  # what a spoke reads, already there
        start = time.perf_counter()
        synthesize_stack(name, options=options)
        return time.perf_counter() - start

    for name in names:
        resources = len(synthesize_stack(name).resources)
        took = statistics.median(timed(name) for _ in range(runs))
        print(f"{name:32} {took * 1000:8.0f} ms  {took / baseline:5.1f}x  ({resources} resources, "
              f"{took / resources * 1000:.0f} ms each)")
    if args.generated:
        from bench_check import write_program  # the same generated program `borough check --program` is timed on

        with tempfile.TemporaryDirectory() as tmp:
            write_program(Path(tmp), args.generated)
            took = _median(lambda: synthesize(Path(tmp), "bench"), runs)
        label = f"generated, {args.generated} resources"
        print(f"{label:32} {took * 1000:8.0f} ms  {took / baseline:5.1f}x  ({took / args.generated * 1000:.1f} ms each)")


if __name__ == "__main__":
    main()
