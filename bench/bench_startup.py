"""Start-up cost of `borough --help` as a ratio against `python -c "import typer"`.

Both run as fresh processes, alternately, several times; medians are compared. Target: <= 1.5x.
Usage: .venv/bin/python bench/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    baseline_cmd = [sys.executable, "-c", "import typer"]
    borough_cmd = [sys.executable, "-m", "cli", "--help"]
    _time(baseline_cmd), _time(borough_cmd)  # warm the OS file cache
    baseline, borough = [], []
    for _ in range(runs):
        baseline.append(_time(baseline_cmd))
        borough.append(_time(borough_cmd))
    b, o = statistics.median(baseline), statistics.median(borough)
    print(f"import typer      median {b * 1000:7.1f} ms over {runs} runs")
    print(f"borough --help    median {o * 1000:7.1f} ms over {runs} runs")
    print(f"ratio             {o / b:.2f}x (target <= 1.50x)")


if __name__ == "__main__":
    main()
