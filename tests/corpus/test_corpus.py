"""Programs written the way teams write azure-native Python (not in our stacks' style), checked
through the real CLI as a new user would: ``borough check --program DIR --stack S --format json``.

Each one must synthesize and be checked (exit 0 or 1), or, when it is itself broken, stop with
exit 2 and one line naming its file and line; never a traceback, never a secret in the report.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent
BOROUGH = Path(sys.executable).with_name("borough")


@dataclass(frozen=True)
class Program:
    directory: str
    stack: str
    exit_codes: tuple[int, ...] = (0, 1)

    @property
    def path(self) -> Path:
        return CORPUS / self.directory


PROGRAMS = {p.directory: p for p in [
    Program("static-website", "dev"),
    Program("sql-random-password", "test"),
    Program("vm-ssh-from-internet", "dev"),
    Program("aks-service-principal", "staging"),
    Program("function-app-storage-keys", "prod"),
    Program("acr-container-group", "dev"),
    Program("cosmosdb-webapp", "prod"),
    Program("explicit-provider-component", "dr"),
    Program("secure-keyvault-baseline", "prod", exit_codes=(0,)),
    Program("command-build-upload", "dev"),
    Program("container-app-log-analytics", "prod"),
    Program("postgres-entra-admin", "prod"),
    Program("broken-wrong-argument", "dev", exit_codes=(2,)),
]}


def _borough(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BOROUGH), *args], capture_output=True, text=True, timeout=600, cwd=CORPUS.parent.parent)


@functools.lru_cache(maxsize=None)
def check(directory: str) -> subprocess.CompletedProcess[str]:
    program = PROGRAMS[directory]
    return _borough("check", "--program", str(program.path), "--stack", program.stack, "--format", "json")


@functools.lru_cache(maxsize=None)
def graph(directory: str) -> dict:
    program = PROGRAMS[directory]
    result = _borough("stacks", "synth", program.stack, "--program", str(program.path))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def findings(directory: str) -> list[dict]:
    return json.loads(check(directory).stdout)["findings"]


def failed(directory: str) -> set[tuple[str, str]]:
    """(check id, logical name) of every failed finding."""
    return {(f["check_id"], f["urn"].rsplit("::", 1)[-1]) for f in findings(directory) if f["outcome"] == "failed"}


def urn(program: str, stack: str, qualified_type: str, name: str) -> str:
    return f"urn:pulumi:{stack}::{program}::{qualified_type}::{name}"


@pytest.mark.parametrize("directory", sorted(PROGRAMS))
def test_each_program_is_checked_or_refused_cleanly(directory):
    result = check(directory)
    program = PROGRAMS[directory]
    assert result.returncode in program.exit_codes, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if result.returncode == 2:
        return
    report = json.loads(result.stdout)
    assert report["incomplete"] == [] and report["targets"][0]["rendered"] > 0
    assert not any("pulumi:pulumi:Stack$" in f["urn"] for f in report["findings"])
    # no correct program is told its resources sit outside the UK: the location came from config
    assert not {c for c, _ in failed(directory)} & {"CKV_BOROUGH_002"}


def test_the_broken_program_says_where_it_is_broken_in_one_line():
    result = check("broken-wrong-argument")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and result.stdout == ""
    assert len(lines) == 1 and "broken-wrong-argument/__main__.py:7" in lines[0]
    assert "unexpected keyword argument 'resource_group'" in lines[0]


def test_ssh_from_the_internet_service_tag_is_a_failing_finding():
    nsg = urn("gis-jumpbox", "dev", "azure-native:network:NetworkSecurityGroup", "jumpbox-nsg")
    ssh = [f for f in findings("vm-ssh-from-internet") if f["urn"] == nsg and f["check_id"] == "CKV_AZURE_10"]
    assert [f["outcome"] for f in ssh] == ["failed"]


def test_a_correct_secure_program_checks_clean():
    report = json.loads(check("secure-keyvault-baseline").stdout)
    assert [f for f in report["findings"] if f["outcome"] != "passed"] == []
    assert report["targets"][0]["passed"] >= 20


def test_generated_secrets_never_reach_the_report_or_the_graph():
    from synth.mocks.companions import ANSWERS, random_text
    from synth.mocks.tls_keys import private_key

    password_urn = urn("allotments-db", "test", "random:index/randomPassword:RandomPassword", "sql-admin-password")
    password = random_text(password_urn, {"length": 24, "special": True, "overrideSpecial": "!#%*-_=+", "minLower": 2,
                                          "minUpper": 2, "minNumeric": 2, "minSpecial": 2})
    sql_graph = json.dumps(graph("sql-random-password"))
    assert password not in check("sql-random-password").stdout and password not in sql_graph
    assert '"connection_string": "[secret]"' in sql_graph
    key_urn = urn("gis-jumpbox", "dev", "tls:index/privateKey:PrivateKey", "jumpbox-key")
    key = private_key(key_urn, "RSA", 4096)
    body = key.private_key_pem.splitlines()[1]
    vm_graph = json.dumps(graph("vm-ssh-from-internet"))
    assert body not in check("vm-ssh-from-internet").stdout and body not in vm_graph
    assert key.public_key_openssh.strip() in vm_graph  # the public half is data: the VM's authorized key
    sp_token = "azuread:index/servicePrincipalPassword:ServicePrincipalPassword"
    sp_urn = urn("planning-aks", "staging", sp_token, "planning-aks-sp-password")
    sp_password = ANSWERS[sp_token](sp_urn, "planning-aks-sp-password", {})[1]["value"]
    assert sp_password not in check("aks-service-principal").stdout
    assert sp_password not in json.dumps(graph("aks-service-principal"))


def test_invoke_results_and_sdk_shaped_outputs_reach_the_program():
    site = graph("static-website")["outputs"]
    assert site["static_endpoint"] == "https://noticesite.z33.web.core.windows.net/"
    assert site["cdn_url"] == "https://noticeendpoint.azureedge.net"
    catalogue = graph("acr-container-group")["outputs"]
    assert catalogue["registry"] == "cataloguereg.azurecr.io"
    assert catalogue["url"] == "http://lbh-catalogue-dev.uksouth.azurecontainer.io"
    assert catalogue["image"].startswith("cataloguereg.azurecr.io/catalogue-search@sha256:")
    by_type = {r["type"]: r for r in graph("acr-container-group")["resources"]}
    group = by_type["azure-native:containerinstance:ContainerGroup"]["inputs"]
    assert group["containers"][0]["image"] == catalogue["image"]  # the pushed digest, chained through apply
    # the registry password from listRegistryCredentials stays secret wherever the program passes it
    assert group["imageRegistryCredentials"][0]["password"] == "[secret]"
    assert by_type["docker:index/image:Image"]["inputs"]["registry"]["password"] == "[secret]"
    aks = graph("aks-service-principal")
    assert aks["outputs"]["kubeconfig"] == "[secret]"
    assert aks["outputs"]["cluster_fqdn"].endswith(".hcp.ukwest.azmk8s.io")


def test_an_explicit_provider_places_a_components_children_and_their_urns_carry_the_component():
    resources = {r["name"]: r for r in graph("explicit-provider-component")["resources"]}
    account = resources["wardssa"]
    assert account["inputs"]["location"] == "ukwest" and resources["wards-rg"]["inputs"]["location"] == "ukwest"
    assert account["urn"] == urn("ward-data-hub", "dr", "wardhub:data:DataHub$azure-native:storage:StorageAccount", "wardssa")
    assert resources["wards"]["urn"] == urn("ward-data-hub", "dr", "wardhub:data:DataHub", "wards")


STATE = CORPUS / "vm-ssh-from-internet" / "stack-export.dev.json"
NSG = urn("gis-jumpbox", "dev", "azure-native:network:NetworkSecurityGroup", "jumpbox-nsg")


def test_a_program_and_its_deployed_state_name_the_same_findings():
    state = _borough("check", "--state", str(STATE), "--format", "json")
    assert state.returncode == 1, state.stderr
    from_state = {(f["check_id"], f["urn"]) for f in json.loads(state.stdout)["findings"] if f["outcome"] == "failed"}
    from_program = {(f["check_id"], f["urn"]) for f in findings("vm-ssh-from-internet") if f["outcome"] == "failed"}
    assert ("CKV_AZURE_10", NSG) in from_state
    assert from_state == from_program


def test_one_suppression_by_urn_holds_for_the_program_and_for_its_state(tmp_path):
    suppressions = tmp_path / "suppressions.yaml"
    suppressions.write_text(
        "suppressions:\n"
        "  - check: CKV_AZURE_10\n"
        f"    resource: '{NSG}'\n"
        "    justification: jump box reachable while the bastion is built\n"
        "    approver: security-review\n"
        "    expires: 2099-12-31\n")
    program = PROGRAMS["vm-ssh-from-internet"]
    for target in (["--program", str(program.path), "--stack", "dev"], ["--state", str(STATE)]):
        result = _borough("check", *target, "--format", "json", "--suppressions", str(suppressions))
        assert result.returncode == 1, result.stderr
        ssh = [f for f in json.loads(result.stdout)["findings"] if f["check_id"] == "CKV_AZURE_10" and f["urn"] == NSG]
        assert [f["outcome"] for f in ssh] == ["suppressed"], target
