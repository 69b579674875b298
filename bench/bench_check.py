"""Benchmark `borough check` against checkov's own CLI on the same resources, in the same run.

For N azure-native resources (default 100, 1,000, 5,000) it generates a Pulumi stack export and
a Pulumi program that declare them, renders the ARM template once (what checkov is given), then
times, each as a fresh process:

- checkov:          .venv/bin/checkov -f template.json --framework arm --quiet --skip-download
- borough state:    borough check --state export.json   (read state, render, built-in + council checks)
- borough program:  borough check --program DIR --stack bench   (adds offline synthesis; N <= 1,000)

and prints each borough time as a ratio of checkov's (target: <= 1.0x at N = 1,000) and the
cost per resource (flat as N grows when the cost is linear).

    .venv/bin/python bench/bench_check.py [--sizes 100,1000,5000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

STACK, PROJECT = "bench", "bench"
RG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-bench"
TAGS = {"system-id": "bench", "owner": "platform@example.gov.uk", "environment": "bench",
        "data-classification": "OFFICIAL", "cost-centre": "CC-0000"}
OFFLINE = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE", "LOG_LEVEL": "ERROR"}


def _kinds(i: int) -> tuple[str, str, dict, str]:
    """(type token, logical name, inputs, ARM provider path) for resource number ``i``."""
    n = f"{i:05d}"
    kind = i % 5
    if kind == 0:
        return ("azure-native:storage:StorageAccount", f"st{n}", {
            "accountName": f"stbench{n}", "kind": "StorageV2", "sku": {"name": "Standard_GRS"},
            "enableHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
            "allowSharedKeyAccess": i % 10 != 0, "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices"},
        }, f"Microsoft.Storage/storageAccounts/stbench{n}")
    if kind == 1:
        return ("azure-native:keyvault:Vault", f"kv{n}", {"vaultName": f"kv-bench-{n}", "properties": {
            "tenantId": "t", "sku": {"family": "A", "name": "standard"}, "enableRbacAuthorization": True,
            "enableSoftDelete": True, "enablePurgeProtection": True, "publicNetworkAccess": "Disabled",
            "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}}}, f"Microsoft.KeyVault/vaults/kv-bench-{n}")
    if kind == 2:
        return ("azure-native:network:NetworkSecurityGroup", f"nsg{n}", {
            "networkSecurityGroupName": f"nsg-bench-{n}", "securityRules": [{
                "name": "https", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "VirtualNetwork" if i % 7 else "*", "sourcePortRange": "*",
                "destinationAddressPrefix": "*", "destinationPortRange": "443" if i % 7 else "22"}]},
            f"Microsoft.Network/networkSecurityGroups/nsg-bench-{n}")
    if kind == 3:
        return ("azure-native:web:WebApp", f"app{n}", {
            "name": f"app-bench-{n}", "httpsOnly": True, "identity": {"type": "SystemAssigned"},
            "siteConfig": {"minTlsVersion": "1.2", "http20Enabled": True, "ftpsState": "Disabled",
                           "remoteDebuggingEnabled": False, "healthCheckPath": "/health"}},
            f"Microsoft.Web/sites/app-bench-{n}")
    return ("azure-native:monitor:DiagnosticSetting", f"diag{n}", {
        "name": f"diag-{n}", "resourceUri": f"{RG}/providers/Microsoft.Storage/storageAccounts/stbench{i - 4:05d}",
        "workspaceId": f"{RG}/providers/Microsoft.OperationalInsights/workspaces/log",
        "logs": [{"categoryGroup": "allLogs", "enabled": True}]}, "")


def state_export(n: int) -> dict:
    resources = [{"urn": f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}",
                  "custom": False, "type": "pulumi:pulumi:Stack"}]
    for i in range(n):
        token, name, inputs, path = _kinds(i)
        if not token.endswith("DiagnosticSetting"):
            inputs = {"resourceGroupName": "rg-bench", **inputs, "location": "uksouth", "tags": TAGS}
        resources.append({"urn": f"urn:pulumi:{STACK}::{PROJECT}::{token}::{name}", "custom": True, "type": token,
                          "id": f"{RG}/providers/{path}" if path else f"diag-{i}", "inputs": inputs, "outputs": {}})
    return {"version": 3, "deployment": {"manifest": {"version": "v3.223.0"}, "resources": resources}}


PROGRAM = '''"""Generated: {n} azure-native resources for bench_check.py."""
import json
import pulumi
from pulumi_azure_native import keyvault, monitor, network, storage, web

MODULES = {{"storage": storage, "keyvault": keyvault, "network": network, "web": web, "monitor": monitor}}
SNAKE = lambda s: "".join("_" + c.lower() if c.isupper() else c for c in s)

for token, name, inputs in json.load(open(__file__.replace("__main__.py", "resources.json"))):
    _, module, cls = token.split(":")
    getattr(MODULES[module], cls)(name, **{{SNAKE(k): v for k, v in inputs.items()}})
'''


def write_program(directory: Path, n: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n")
    (directory / f"Pulumi.{STACK}.yaml").write_text("config: {}\n")
    (directory / "__main__.py").write_text(PROGRAM.format(n=n))
    items = []
    for i in range(n):
        token, name, inputs, _ = _kinds(i)
        if not token.endswith("DiagnosticSetting"):
            inputs = {"resourceGroupName": "rg-bench", **inputs, "location": "uksouth", "tags": TAGS}
        items.append([token, name, inputs])
    (directory / "resources.json").write_text(json.dumps(items))


def timed(command: list[str]) -> tuple[float, int]:
    env = {**os.environ, **OFFLINE}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-400:]}")
    return elapsed, done.returncode


def interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """The best of ``repeat`` runs of each command, the commands taken in turn each round, so a
    change in the machine's load falls on all of them alike rather than on one."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, command in commands.items():
            elapsed = timed(command)[0]
            best[name] = min(elapsed, best.get(name, elapsed))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=1, help="take the best of this many runs")
    parser.add_argument("--program-max", type=int, default=1000, help="largest N for the --program path")
    args = parser.parse_args()

    from arm import dump_template, render_graph
    from deployed.state import parse_state

    print(f"{'N':>6} {'checkov s':>10} {'state s':>9} {'ratio':>6} {'ms/res':>7} {'program s':>10} {'ratio':>6}")
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            base = Path(tmp) / str(n)
            base.mkdir()
            export = state_export(n)
            (base / "export.json").write_text(json.dumps(export))
            (base / "template.json").write_text(dump_template(render_graph(parse_state(export)).template))
            commands = {
                "checkov": [str(BIN / "checkov"), "-f", str(base / "template.json"), "--framework", "arm",
                            "--quiet", "--skip-download", "--compact"],
                "state": [str(BIN / "borough"), "check", "--state", str(base / "export.json"), "--format", "json"],
            }
            if n <= args.program_max:
                write_program(base / "program", n)
                commands["program"] = [str(BIN / "borough"), "check", "--program", str(base / "program"), "--stack",
                                       STACK, "--format", "json"]
            times = interleaved(commands, args.repeat)
            checkov, state = times["checkov"], times["state"]
            program_cell, program_ratio = "-", "-"
            if "program" in times:
                program = times["program"]
                program_cell, program_ratio = f"{program:10.2f}", f"{program / checkov:5.2f}x"
            print(f"{n:>6} {checkov:10.2f} {state:9.2f} {state / checkov:5.2f}x {1000 * state / n:7.2f} "
                  f"{program_cell:>10} {program_ratio:>6}", flush=True)
    print("ratio = borough time / checkov CLI time on the pre-rendered template (target <= 1.0x at N = 1000); "
          "runs interleaved, best of --repeat")


if __name__ == "__main__":
    main()
