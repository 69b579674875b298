"""Benchmark what resolving ARM template expressions costs `borough check --template`.

For N storage accounts (default 100 and 1,000) it writes three templates that deploy the same
resources: one with every value written out literally (the baseline), one with the same N
resources written with expressions (parameters, variables, concat, format, toLower: the
resolver's cost at the same file size), and one declaring them through copy loops (how
quickstarts write it; a much smaller file for checkov to parse). Each is checked as a fresh
process (`borough check --template FILE --format json`) and timed as a ratio of the literal one's,
measured in the same run.

    .venv/bin/python bench/bench_template_expressions.py [--sizes 100,1000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
TAGS = {"system-id": "bench", "owner": "platform@example.gov.uk", "environment": "bench",
        "data-classification": "OFFICIAL", "cost-centre": "CC-0000"}
PROPERTIES = {"minimumTlsVersion": "TLS1_2", "supportsHttpsTrafficOnly": True, "allowBlobPublicAccess": False,
              "allowSharedKeyAccess": False, "publicNetworkAccess": "Disabled"}


def literal(n: int) -> dict:
    resources = [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": f"stbench{i + 1}",
                  "location": "uksouth", "tags": TAGS, "sku": {"name": "Standard_GRS"}, "kind": "StorageV2",
                  "properties": dict(PROPERTIES)} for i in range(n)]
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}


def _declarations() -> tuple[dict, dict]:
    parameters = {"location": {"type": "string", "defaultValue": "uksouth"},
                  "prefix": {"type": "string", "defaultValue": "STBENCH"},
                  "tags": {"type": "object", "defaultValue": TAGS}}
    variables = {"name": "[toLower(parameters('prefix'))]", "sku": {"name": "Standard_GRS"},
                 "tls": "[format('TLS{0}_{1}', 1, 2)]", "https": "[not(equals(parameters('location'), 'none'))]"}
    return parameters, variables


def written_out(n: int) -> dict:
    """The same accounts, one resource each, every value an expression."""
    parameters, variables = _declarations()
    resources = [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01",
                  "name": f"[concat(variables('name'), '{i + 1}')]", "location": "[parameters('location')]",
                  "tags": "[parameters('tags')]", "sku": "[variables('sku')]", "kind": "StorageV2",
                  "properties": {**PROPERTIES, "minimumTlsVersion": "[variables('tls')]",
                                 "supportsHttpsTrafficOnly": "[variables('https')]"}} for i in range(n)]
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": parameters, "variables": variables,
            "resources": resources}


def with_expressions(n: int) -> dict:
    """The same accounts, 800 per copy loop as ARM allows."""
    parameters = {"location": {"type": "string", "defaultValue": "uksouth"},
                  "prefix": {"type": "string", "defaultValue": "STBENCH"},
                  "tags": {"type": "object", "defaultValue": TAGS}}
    variables = {"name": "[toLower(parameters('prefix'))]", "sku": {"name": "Standard_GRS"},
                 "tls": "[format('TLS{0}_{1}', 1, 2)]", "https": "[not(equals(parameters('location'), 'none'))]"}
    resources, done = [], 0
    while done < n:
        count = min(800, n - done)
        resources.append({
            "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01",
            "name": f"[concat(variables('name'), copyIndex({done + 1}))]", "location": "[parameters('location')]",
            "tags": "[parameters('tags')]", "sku": "[variables('sku')]", "kind": "StorageV2",
            "copy": {"name": f"loop{done}", "count": count},
            "properties": {**PROPERTIES, "minimumTlsVersion": "[variables('tls')]",
                           "supportsHttpsTrafficOnly": "[variables('https')]"},
        })
        done += count
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": parameters, "variables": variables,
            "resources": resources}


def timed(path: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "borough"), "check", "--template", str(path), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{path.name}: exit {done.returncode}: {done.stderr.strip()}")
    return elapsed, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            plain = Path(tmp) / f"literal-{n}.json"
            plain.write_text(json.dumps(literal(n), indent=2))
            base, base_report = min((timed(plain) for _ in range(args.repeat)), key=lambda r: r[0])
            wanted = {f["resource"] for f in base_report["findings"]}
            print(f"N={n:>5}: literal          {base:6.2f} s   1.00x")
            for label, build in (("expressions", written_out), ("copy loops", with_expressions)):
                path = Path(tmp) / f"{label.replace(' ', '-')}-{n}.json"
                path.write_text(json.dumps(build(n), indent=2))
                best, report = min((timed(path) for _ in range(args.repeat)), key=lambda r: r[0])
                same = {f["resource"] for f in report["findings"]} == wanted and not report["unresolved"]
                print(f"         {label:<16} {best:6.2f} s   {best / base:4.2f}x   "
                      f"{'all resolved, same resources' if same else 'MISMATCH'}")


if __name__ == "__main__":
    main()
