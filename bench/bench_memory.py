"""Peak memory (RSS of borough and every process under it, sampled from /proc) of:

- ``inventory import`` of a ~100 MB sheet, against a 50,000-row sheet of the same kind imported in
  the same run (the ratio says whether memory grows with the sheet). Kinds (``--sheet``, repeatable):

  - ``ids``: a CSV with an id column, 720,000 rows (``--rows``), about 107 MB;
  - ``names``: a CSV of names only, as councils keep their registers: ids are made from the names;
  - ``deps``: names only, plus a "Depends On" column naming one or two other systems by name;
  - ``xlsx``: the names-only sheet as an Excel workbook (``--xlsx-rows``, 300,000 by default);

  ``names`` and ``deps`` get as many rows as make a file the size of the ``ids`` one;
- ``check --program`` of a Pulumi program declaring 10,000 resources, against one declaring 100.

Targets (issue 20): the 100 MB import under 1 GB, the 10,000-resource program under 1.2 GB.

    .venv/bin/python bench/bench_memory.py [--rows N] [--resources N] [--skip-import] [--skip-program]
        [--sheet ids|names|deps|xlsx|all ...] [--xlsx-rows N]
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


KINDS = ("ids", "names", "deps", "xlsx")
NAMES_HEADER = "Name,Service Area,Owner,Annual Cost,Criticality,Hosting,Notes"


def write_csv(path: Path, rows: int) -> int:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        for i in range(rows):
            handle.write(f"sys-{i:07d},System {i} of the estate,{AREAS[i % len(AREAS)]},team-{i % 97}@council.gov.uk,"
                         f"{1000 + i % 50000}.00,business-supporting,on-premises,"
                         f"Reviewed in the {2020 + i % 6} assurance round\n")
    return path.stat().st_size


def system_name(i: int) -> str:
    """Names as councils write them: words, an area, a supplier in brackets now and then."""
    supplier = f" ({SUPPLIERS[i % len(SUPPLIERS)]})" if i % 5 == 0 else ""
    return f"{AREAS[i % len(AREAS)]} System {i}{supplier}"


SUPPLIERS = ["Capita", "Civica", "Northgate", "Idox", "Liquidlogic"]


def depends_on(i: int) -> str:
    """One or two earlier systems by name (none on every fourth row), sometimes with a kind."""
    if i == 0 or i % 4 == 0:
        return ""
    first = system_name(i - 1)
    if i % 3:
        return first
    return f"{first}; {system_name(i // 2)} (api)"


def names_row(i: int, deps: bool) -> list[str]:
    row = [system_name(i), AREAS[i % len(AREAS)], f"team-{i % 97}@council.gov.uk", f"{1000 + i % 50000}.00",
           "business-supporting", "on-premises", f"Reviewed in the {2020 + i % 6} assurance round"]
    return [*row, depends_on(i)] if deps else row


def write_names_csv(path: Path, rows: int | None, deps: bool, size: int = 0) -> tuple[int, int]:
    """(rows, bytes) of a names-only CSV of ``rows`` rows, or of about ``size`` bytes."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        handle.write(NAMES_HEADER + (",Depends On\n" if deps else "\n"))
        i = 0
        while (i < rows) if rows is not None else (handle.tell() < size):
            writer.writerow(names_row(i, deps))
            i += 1
    return i, path.stat().st_size


def write_xlsx(path: Path, rows: int) -> tuple[int, int]:
    """(rows, bytes) of a names-only workbook, written as Excel would (shared strings)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Systems")
    sheet.append(NAMES_HEADER.split(","))
    for i in range(rows):
        row: list[object] = names_row(i, deps=False)
        row[3] = float(row[3])
        sheet.append(row)
    book.save(path)
    return rows, path.stat().st_size


def write_sheet(work: Path, kind: str, rows: int | None, size: int) -> tuple[Path, int, int]:
    """(path, rows, bytes) of a sheet of ``kind``: ``rows`` rows, or (``None``) about ``size`` bytes."""
    if kind == "ids":
        path = work / f"estate-ids-{rows}.csv"
        return path, rows or 0, write_csv(path, rows or 0)
    if kind == "xlsx":
        path = work / f"estate-{rows}.xlsx"
        return (path, *write_xlsx(path, rows or 0))
    path = work / f"estate-{kind}-{rows}.csv"
    return (path, *write_names_csv(path, rows, deps=kind == "deps", size=size))


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


def import_kind(borough: list[str], work: Path, kind: str, options: argparse.Namespace, size: int) -> bool:
    """Import a 50,000-row sheet of ``kind``, then a big one; print both peaks and their ratio."""
    ok = True
    figures = []
    big_rows = {"ids": options.rows, "xlsx": options.xlsx_rows}.get(kind)
    for rows in (50_000, big_rows):
        sheet, count, written = write_sheet(work, kind, rows, size)
        db = work / f"register-{kind}-{count}.db"
        peak, code, seconds = peak_rss([*borough, "inventory", "import", str(sheet), "--db", f"sqlite:///{db}",
                                        "--format", "json", "--output", str(work / "import.json")])
        figures.append(peak)
        label = "XLSX" if kind == "xlsx" else "CSV"
        print(f"import [{kind}] {count:,} rows ({written / 1048576:,.0f} MB {label}): peak RSS {mb(peak)}, exit {code}, "
              f"{seconds:,.0f} s", flush=True)
        ok = ok and code == 0
        sheet.unlink()
        db.unlink(missing_ok=True)
    print(f"import [{kind}]: big / 50,000 rows peak ratio {figures[1] / figures[0]:.2f}; "
          f"target under 1 GB: {'met' if figures[1] < 1024 ** 3 else 'NOT met'}", flush=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=720_000)
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-program", action="store_true")
    parser.add_argument("--sheet", action="append", choices=[*KINDS, "all"],
                        help="kinds of sheet to import (repeatable; default ids)")
    parser.add_argument("--xlsx-rows", type=int, default=300_000)
    options = parser.parse_args()
    borough = [sys.executable, "-m", "cli"]
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        work = Path(tmp)
        if not options.skip_import:
            kinds = KINDS if "all" in (options.sheet or []) else tuple(dict.fromkeys(options.sheet or ["ids"]))
            size = write_csv(work / "size.csv", options.rows) if {"names", "deps"} & set(kinds) else 0
            (work / "size.csv").unlink(missing_ok=True)
            for kind in kinds:
                ok = import_kind(borough, work, kind, options, size) and ok
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
