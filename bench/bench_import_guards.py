"""What the lifecycle guards cost an import (issue 17b): importing a generated 20,000-system estate
(every state, planned systems with waves and targets) with the guards, against the same import
with ``land_by_import`` replaced by a pass-through, as a CPU-time ratio measured in the same run.

    .venv/bin/python bench/bench_import_guards.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_inventory import generate  # noqa: E402

import inventory.importing.upsert as upsert  # noqa: E402
from inventory.store import open_store  # noqa: E402

SYSTEMS = 20_000
REPEAT = 3


def _unguarded(before: Any, after: Any, given: set[str]) -> tuple[Any, set[str], None]:
    return after, given, None


def best_cpu(guards: bool, systems: list, deps: list) -> float:
    real = upsert.land_by_import
    best = float("inf")
    for _ in range(REPEAT):
        upsert.land_by_import = real if guards else _unguarded
        try:
            with tempfile.TemporaryDirectory() as folder, open_store(f"sqlite:///{folder}/inventory.db") as store:
                start = time.process_time()
                store.import_estate(systems, deps, actor="bench")
                best = min(best, time.process_time() - start)
        finally:
            upsert.land_by_import = real
    return best


def main() -> None:
    systems, deps = generate(SYSTEMS)
    without = best_cpu(False, systems, deps)
    with_guards = best_cpu(True, systems, deps)
    print(f"import of {SYSTEMS:,} systems, guards against none (CPU, best of {REPEAT}): {with_guards / without:.2f}x")


if __name__ == "__main__":
    main()
