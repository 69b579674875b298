"""The HTML estate report at 1,000 and 10,000 systems: CPU time and the 10k/1k ratio.

The estates are bench_inventory's (layered dependencies, cycles every 50 systems), imported into
a SQLite register. Judged as bench_inventory judges every report: the command a user runs
(`python -m cli report html --output ...`, start-up and reading the register included), on CPU
time (what the work costs on a shared machine; wall time printed too). Target: 10,000 systems
within 4x the CPU of 1,000, and under 5 s. Exit 1 if either is missed.

In process it also splits the work, on the same estates plus a year of state-change history
(so the progress chart replays something): building the six reports' records (the report core,
which grows with the estate) and rendering the page (charts and capped lists: it should not).

    .venv/bin/python bench/bench_report_html.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_inventory import TODAY, generate  # noqa: E402

from inventory.register.model import Estate, Event, State  # noqa: E402

SIZES = (1_000, 10_000)
MAX_RATIO = 4.0
MAX_CPU_10K = 5.0

PATH = {State.migrating: (State.planned, State.migrating), State.migrated: (State.planned, State.migrating, State.migrated),
        State.decommissioned: (State.planned, State.migrating, State.migrated, State.decommissioned)}
"""The states a system passed through to reach where it is, one month apart."""


def estate(n: int) -> Estate:
    """bench_inventory's estate of ``n`` systems with a history of their moves over the past year."""
    systems, dependencies = generate(n)
    events = []
    start = dt.datetime(TODAY.year - 1, TODAY.month, 1, 9, 0, tzinfo=dt.timezone.utc)
    for i, system in enumerate(systems):
        steps = PATH.get(system.state, ())
        for step, (before, after) in enumerate(zip(steps, steps[1:])):
            month = min(11, (i % 9) + 2 * step)
            at = start + dt.timedelta(days=31 * month + i % 27)
            events.append(Event(at=at, actor="bench", system_id=system.id, action="move",
                                changes={"state": [before.value, after.value]}, reason="bench"))
    return Estate(systems=systems, dependencies=dependencies, events=events)


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the CLI runs)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def best(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best (wall, CPU) seconds over ``repeat`` runs."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), _cpu()
        func()
        wall, cpu = min(wall, time.perf_counter() - start), min(cpu, _cpu() - start_cpu)
    return wall, cpu


def cli_run(url: str, output: Path) -> Callable[[], object]:
    command = [sys.executable, "-m", "cli", "report", "html", "--db", url, "--today", TODAY.isoformat(), "--output", str(output)]

    def run() -> None:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"report html failed ({done.returncode}): {done.stderr.strip()}")

    return run


def measure(n: int, repeat: int, workdir: Path) -> dict[str, tuple[float, float]]:
    from inventory.reports import ReportParams
    from inventory.reports.html import build_estate_report, render_html
    from inventory.store import open_store

    data = estate(n)
    url = f"sqlite:///{workdir / f'bench-{n}.db'}"
    with open_store(url) as store:
        store.import_estate(data.systems, data.dependencies, actor="bench", reason="bench")
    output = workdir / f"estate-{n}.html"
    params = ReportParams(today=TODAY)
    built = build_estate_report(data, params)
    results = {
        "borough report html (CLI, start-up included)": best(cli_run(url, output), repeat),
        "  build the six reports' records (in process)": best(lambda: build_estate_report(data, params), repeat),
        "  render the page (in process)": best(lambda: render_html(built), repeat),
    }
    print(f"{n:,} systems: page {output.stat().st_size / 1024:,.0f} KiB")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from inventory.reports import ReportParams
    from inventory.reports.html import build_estate_report, render_html

    render_html(build_estate_report(estate(50), ReportParams(today=TODAY)))  # imports and template compilation
    with tempfile.TemporaryDirectory(prefix="bench-report-html-") as tmp:
        small, large = (measure(n, args.repeat, Path(tmp)) for n in SIZES)
    ok = True
    print(f"{'':48} {'1k CPU s':>9} {'10k CPU s':>10} {'10k wall s':>11} {'ratio':>6}")
    for name in small:
        ratio = large[name][1] / small[name][1]
        judged = name.startswith("borough")
        met = ratio <= MAX_RATIO and large[name][1] <= MAX_CPU_10K
        ok = ok and (met or not judged)
        verdict = ("ok" if met else "MISSED") if judged else "(not judged)"
        print(f"{name:48} {small[name][1]:9.3f} {large[name][1]:10.3f} {large[name][0]:11.3f} {ratio:5.2f}x {verdict}")
    print(f"target: the command at 10,000 systems within {MAX_RATIO}x its CPU at 1,000 and under {MAX_CPU_10K} s: {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
