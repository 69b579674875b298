"""`borough check STACK` for each bundled stack and `borough demo`, timed as a user runs them.

Each command runs as a subprocess (a fresh interpreter, as in CI) --repeats times; medians are
printed, with the ratios issue 8 sets targets for, all against `check platform-prod` measured in
the same run (these machines are shared and noisy, so only ratios mean anything):

- each stack against platform-prod;
- the stack that reads another through a StackReference (resident-services-prod) against the
  stack it reads (platform-prod): target <= 1.5x;
- `borough demo` (synthesize and check every stack, load the sample estate, two reports) against
  `check platform-prod`: target <= 2x.

`--root DIR` (repeatable) times other checkouts of borough with this interpreter (e.g. an export
of an older commit, to compare before and after a change: `git archive COMMIT | tar -x -C DIR`);
each command runs with DIR as the working directory, so DIR's own `cli`, `stacks` and `policies`
are imported. Several roots are timed interleaved, command by command, so they share the load.
Usage: .venv/bin/python bench/bench_stacks_check.py [--repeats N] [--root DIR ...] [--no-demo]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REFERENCE = "platform-prod"
READER = "resident-services-prod"
STACKS = ["platform-prod", "resident-services-dev", "resident-services-prod", "data-platform-prod"]


def _time(argv: list[str], root: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds of the command and every process it waited for (its
    synthesis children): on a machine other work keeps busy, CPU time is the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cli", *argv], cwd=root, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"borough {' '.join(argv)} exited {done.returncode}: {done.stderr.strip()[-400:]}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--root", type=Path, action="append", help="a borough checkout (default: this one)")
    parser.add_argument("--no-demo", action="store_true", help="skip `borough demo` (the slowest command)")
    args = parser.parse_args()
    roots = [r.resolve() for r in args.root or [Path(__file__).resolve().parent.parent]]
    commands = {f"check {s}": ["check", s, "--format", "json"] for s in STACKS}
    if not args.no_demo:
        commands["demo"] = ["demo"]
    samples: dict[tuple[Path, str], list[float]] = {(root, label): [] for root in roots for label in commands}
    cpu: dict[tuple[Path, str], list[float]] = {(root, label): [] for root in roots for label in commands}
    with tempfile.TemporaryDirectory(prefix="borough-bench-") as tmp:
        for _ in range(args.repeats):  # interleaved, so a burst of load elsewhere hits every command alike
            for label, argv in commands.items():
                for index, root in enumerate(roots):
                    env = {**os.environ, "BOROUGH_ROOT": str(root), "BOROUGH_DB": f"sqlite:///{tmp}/inventory-{index}.db"}
                    wall, used = _time(argv, root, env)
                    samples[(root, label)].append(wall)
                    cpu[(root, label)].append(used)
    for root in roots:
        medians = {label: statistics.median(samples[(root, label)]) for label in commands}
        cpus = {label: statistics.median(cpu[(root, label)]) for label in commands}
        base, cpu_base = medians[f"check {REFERENCE}"], cpus[f"check {REFERENCE}"]
        print(f"root: {root}  repeats: {args.repeats}  (wall, then CPU of the command and its children)")
        for label, took in medians.items():
            print(f"  {label:36} {took:7.2f} s  {took / base:5.2f}x   cpu {cpus[label]:7.2f} s  {cpus[label] / cpu_base:5.2f}x")
        print(f"  {READER} (reads {REFERENCE}) / {REFERENCE}: {medians[f'check {READER}'] / base:.2f}x wall, "
              f"{cpus[f'check {READER}'] / cpu_base:.2f}x cpu  (target <= 1.5x)")
        if "demo" in medians:
            print(f"  demo / check {REFERENCE}: {medians['demo'] / base:.2f}x wall, {cpus['demo'] / cpu_base:.2f}x cpu  (target <= 2x)")
    if len(roots) > 1:
        first = roots[0]
        for root in roots[1:]:
            print(f"{root} against {first}:")
            for label in commands:
                ratio = statistics.median(samples[(root, label)]) / statistics.median(samples[(first, label)])
                print(f"  {label:36} {ratio:5.2f}x")


if __name__ == "__main__":
    main()
