"""What the bad-input refusals of issue 9 cost an import of a 10,000-system estate, as CPU-time ratios
against baselines measured in the same run (so the figures do not depend on the machine):

- the safe YAML loader (``yamlsafe``: duplicate keys, alias expansion, non-UTF-8 refused) against
  PyYAML's plain libyaml ``CSafeLoader`` on the same text, and on text that has an alias (so the
  alias walk runs);
- the strict CSV reader (``read_csv``: strict quoting, swallowed rows, formula quotes) against
  decoding plus ``csv.reader``;
- reading a whole CSV import with the model's per-cell text checks against the same read with them
  switched off;
- how long a "billion laughs" document takes to be refused (it must be at once).

    .venv/bin/python bench/bench_import_safety.py
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_inventory import generate  # noqa: E402

from inventory.export.exporting import export_estate  # noqa: E402
from inventory.importing import read_file  # noqa: E402
from inventory.importing import values as cell_values  # noqa: E402
from inventory.importing.tabular import read_csv  # noqa: E402
from inventory.register.model import Estate  # noqa: E402
from yamlsafe import YamlInputError, loads  # noqa: E402

BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi")
)


def cpu(func: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    systems, deps = generate(10_000)
    estate = Estate(systems=systems, dependencies=deps)
    yaml_text = str(export_estate(estate, "yaml"))
    aliased = "x-note: &note '*'\n" + yaml_text + "extra: *note\n"
    work = Path(tempfile.mkdtemp())
    csv_path = work / "estate.csv"
    csv_path.write_text(str(export_estate(estate, "csv")), encoding="utf-8")

    def plain_csv() -> object:
        return list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"), newline="")))

    rows = []
    plain = cpu(lambda: yaml.load(yaml_text, Loader=yaml.CSafeLoader))  # noqa: S506 - a safe loader
    rows.append(("YAML 10k: yamlsafe / plain CSafeLoader", cpu(lambda: loads(yaml_text, "estate.yaml")), plain))
    rows.append(("YAML 10k with an alias (walk runs): yamlsafe / plain", cpu(lambda: loads(aliased, "estate.yaml")),
                 cpu(lambda: yaml.load(aliased, Loader=yaml.CSafeLoader))))  # noqa: S506
    rows.append(("CSV 10k: read_csv / decode + csv.reader", cpu(lambda: [r for sheet in read_csv(csv_path) for r in sheet.rows]),
                 cpu(plain_csv)))
    checked = cpu(lambda: read_file(csv_path))
    original = cell_values.check_text
    cell_values.check_text = lambda model, field, text: text  # type: ignore[assignment]
    try:
        unchecked = cpu(lambda: read_file(csv_path))
    finally:
        cell_values.check_text = original
    rows.append(("CSV 10k read_file: with / without per-cell text checks", checked, unchecked))

    print(f"{'measure':58} {'cpu':>8} {'baseline':>9} {'ratio':>6}")
    for name, value, baseline in rows:
        print(f"{name:58} {value:7.3f}s {baseline:8.3f}s {value / baseline:5.2f}x")

    start = time.process_time()
    try:
        loads(BILLION_LAUGHS, "laughs.yaml")
        refused = False
    except YamlInputError:
        refused = True
    print(f"billion laughs refused: {refused}, in {1000 * (time.process_time() - start):.1f} ms CPU")
    return 0 if refused else 1


if __name__ == "__main__":
    raise SystemExit(main())
