"""Peak memory (RSS of borough and every process under it, sampled from /proc) of:

- ``inventory import`` of a ~100 MB CSV (about 720,000 systems), against a 50,000-row import
  measured in the same run (the ratio says whether memory grows with the sheet);
- ``check --program`` of a Pulumi program declaring 10,000 resources, against one declaring 100.

Targets (issue 20): the 100 MB import under 1 GB, the 10,000-resource program under 1.2 GB.

    .venv/bin/python bench/bench_memory.py [--rows N] [--resources N] [--skip-import] [--skip-program]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "id,name,service_area,owner,annual_cost,criticality,hosting,notes\n"
AREAS = ["Revenues and Benefits", "Adult Social Care", "Children's Services", "Housing", "Environment", "Planning"]


def write_csv(path: Path, rows: int) -> int:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        for i in range(rows):
            handle.write(f"sys-{i:07d},System {i} of the estate,{AREAS[i % len(AREAS)]},team-{i % 97}@council.gov.uk,"
                         f"{1000 + i % 50000}.00,business-supporting,on-premises,"
                         f"Reviewed in the {2020 + i % 6} assurance round\n")
    return path.stat().st_size


def write_program(folder: Path, resources: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text("name: wide\nruntime: python\n")
    (folder / "Pulumi.dev.yaml").write_text("config: {}\n")
    (folder / "__main__.py").write_text(textwrap.dedent(f"""\
        import pulumi
        from pulumi_azure_native import resources, storage

        rg = resources.ResourceGroup("rg", location="uksouth", tags={{"owner": "platform"}})
        for i in range({resources - 1}):
            storage.StorageAccount(
                f"st{{i}}", resource_group_name=rg.name, location="uksouth",
                sku=storage.SkuArgs(name="Standard_LRS"), kind="StorageV2",
                enable_https_traffic_only=True, minimum_tls_version="TLS1_2",
                allow_blob_public_access=False, tags={{"owner": "platform", "system-id": f"s{{i}}"}})
        """))
    return folder


def _tree_rss(root: int) -> int:
    """Sum of the resident sets of ``root`` and its descendants, in bytes."""
    from synth.reaper import descendants

    total = 0
    for pid in (root, *descendants(root)):
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[-1].split()
        except OSError:
            continue
        total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    return total


def peak_rss(args: list[str], env: dict[str, str] | None = None) -> tuple[int, int, float]:
    """(peak RSS of the process tree in bytes, exit code, seconds) of running ``args``."""
    started = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return peak, proc.returncode, time.monotonic() - started


def mb(value: int) -> str:
    return f"{value / 1048576:,.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=720_000)
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-program", action="store_true")
    options = parser.parse_args()
    borough = [sys.executable, "-m", "cli"]
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        work = Path(tmp)
        if not options.skip_import:
            figures = {}
            for rows in (50_000, options.rows):
                sheet = work / f"estate-{rows}.csv"
                size = write_csv(sheet, rows)
                db = work / f"register-{rows}.db"
                peak, code, seconds = peak_rss([*borough, "inventory", "import", str(sheet), "--db", f"sqlite:///{db}",
                                                "--format", "json", "--output", str(work / "import.json")])
                figures[rows] = peak
                print(f"import {rows:,} rows ({size / 1048576:,.0f} MB CSV): peak RSS {mb(peak)}, exit {code}, {seconds:,.0f} s")
                ok = ok and code == 0
                sheet.unlink()
            big = figures[options.rows]
            print(f"import: {options.rows:,} rows / 50,000 rows peak ratio {big / figures[50_000]:.2f}; "
                  f"target under 1 GB: {'met' if big < 1024 ** 3 else 'NOT met'}")
        if not options.skip_program:
            figures = {}
            for count in (100, options.resources):
                program = write_program(work / f"program-{count}", count)
                peak, code, seconds = peak_rss([*borough, "check", "--program", str(program), "--stack", "dev",
                                                "--format", "json", "--output", str(work / "check.json"), "--timeout", "3600"])
                figures[count] = peak
                print(f"check --program with {count:,} resources: peak RSS {mb(peak)}, exit {code}, {seconds:,.0f} s")
                ok = ok and code in (0, 1)
            big = figures[options.resources]
            print(f"program: {options.resources:,} / 100 resources peak ratio {big / figures[100]:.2f}; "
                  f"target under 1.2 GB: {'met' if big < 1.2 * 1024 ** 3 else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
