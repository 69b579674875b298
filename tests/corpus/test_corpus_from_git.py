"""Programs as they come out of git: no virtualenv, requirements that may not match borough's.

Each is checked through the real CLI as a new user would, with no flag: it is synthesized in
borough's environment with one note line saying so and naming any declared version borough does
not have; an error that follows from such a difference ends in exit 2 at the program's own line,
naming the version it asked for and ``--install``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
ROOT = CORPUS.parents[1]
NOTE = "borough: note: "


def _check(program: str, stack: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", "check", "--program", f"tests/corpus/{program}", "--stack", stack,
                           "--format", "json", *extra], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)


def _notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(NOTE)]


def test_a_fresh_clone_without_its_venv_is_checked_in_boroughs_environment_with_one_note():
    result = _check("fresh-clone-parking", "dev")
    assert result.returncode == 1, result.stderr
    assert _notes(result.stderr) == [f"{NOTE}venv/ (Pulumi.yaml runtime.options.virtualenv) does not exist: "
                                     "synthesizing in borough's environment"]
    report = json.loads(result.stdout)
    public = [f for f in report["findings"] if f["outcome"] == "failed" and f["file"].endswith("fresh-clone-parking/__main__.py")]
    assert public, "the storage account's public blob access must be found in the program"


def test_a_program_pinned_to_azure_native_v2_using_a_renamed_enum_names_both_versions_and_install():
    result = _check("pinned-v2-public-ip", "prod")
    assert result.returncode == 2 and result.stdout == ""
    (note,) = _notes(result.stderr)
    ours = version("pulumi-azure-native")
    assert f"the program asks for pulumi-azure-native>=2.0.0,<3.0.0 (requirements.txt:2), borough has pulumi-azure-native {ours}" in note
    error, hint = [line for line in result.stderr.splitlines() if not line.startswith(NOTE)]
    assert error == ("borough: error: tests/corpus/pinned-v2-public-ip/__main__.py:11: AttributeError: module "
                     "'pulumi_azure_native.network' has no attribute 'IpAllocationMethod'")
    assert "pulumi-azure-native>=2.0.0,<3.0.0" in hint and ours in hint and "--install" in hint


def test_a_program_needing_a_package_borough_does_not_ship_names_it_and_install():
    result = _check("needs-kubernetes", "dev")
    assert result.returncode == 2 and result.stdout == ""
    (note,) = _notes(result.stderr)
    assert "the program needs pulumi-kubernetes>=4.0.0,<5.0.0 (requirements.txt:3), which borough does not ship" in note
    assert "needs-kubernetes/__main__.py:4: ModuleNotFoundError: No module named 'pulumi_kubernetes'" in result.stderr
    hint = result.stderr.strip().splitlines()[-1]
    assert hint.startswith("hint: borough does not ship pulumi-kubernetes") and "--install" in hint


def test_a_pyproject_program_written_for_azuread_5_names_its_pyproject_line():
    result = _check("pyproject-entra-app", "dev")
    assert result.returncode == 2 and result.stdout == ""
    (note,) = _notes(result.stderr)
    assert note.startswith(f"{NOTE}.venv/ (Pulumi.yaml runtime.options.virtualenv) does not exist")
    assert "pulumi-azuread>=5.47.0,<6.0.0 (pyproject.toml:7)" in note
    assert ("pyproject-entra-app/__main__.py:7: AttributeError: 'Application' object has no attribute 'application_id'"
            in result.stderr)
    hint = result.stderr.strip().splitlines()[-1]
    assert f"pulumi-azuread {version('pulumi-azuread')}" in hint and "--install" in hint


def test_a_poetry_program_checks_with_a_note_on_its_caret_range():
    result = _check("poetry-library-archive", "prod")
    assert result.returncode == 1, result.stderr
    (note,) = _notes(result.stderr)
    assert note == (f'{NOTE}the program asks for pulumi-azure-native = "^2.10.0" (pyproject.toml:11), borough has '
                    f'pulumi-azure-native {version("pulumi-azure-native")} (--install checks it in its own environment)')
    report = json.loads(result.stdout)
    assert report["targets"][0]["resources"] == 2


def test_a_classic_provider_program_lists_its_classic_resources_as_not_rendered_and_checks_the_rest():
    result = _check("classic-provider-library", "dev")
    assert result.returncode == 3, result.stderr
    classic = [line for line in result.stderr.splitlines() if "classic azure provider" in line]
    assert classic == [f"{NOTE}tests/corpus/classic-provider-library: 2 resource(s) of the classic azure provider: borough "
                       "renders azure-native resources to ARM, so these are listed as not rendered (exit 3 unless "
                       "--allow-unrendered)"]
    assert "pip install" not in result.stderr and "pulumi-azure>" not in result.stderr
    report = json.loads(result.stdout)
    assert sorted(n["type"] for n in report["not_evaluated"]) == [
        "azure:appservice/servicePlan:ServicePlan", "azure:core/resourceGroup:ResourceGroup"]
    vault = [f for f in report["findings"] if f["outcome"] == "failed"]
    assert vault and {f["line"] for f in vault} == {17}, "the azure-native vault is still checked at its line"
    accepted = _check("classic-provider-library", "dev", "--allow-unrendered")
    assert accepted.returncode == 1, accepted.stderr
    assert json.loads(accepted.stdout)["findings"] == report["findings"]


def test_the_companions_of_pulumis_azure_templates_answer_like_their_providers():
    synth = subprocess.run([sys.executable, "-m", "cli", "stacks", "synth", "dev", "--program",
                            "tests/corpus/template-site-and-image"], capture_output=True, text=True, cwd=ROOT, timeout=300,
                           check=False)
    assert synth.returncode == 0, synth.stderr
    graph = json.loads(synth.stdout)
    by_type = {r["type"]: r for r in graph["resources"]}
    image = by_type["docker-build:index:Image"]["outputs"]
    assert re.fullmatch(r"leisureacr\.azurecr\.io/bookings-api@sha256:[0-9a-f]{64}", image["ref"])
    assert image["ref"].endswith(image["digest"]) and graph["outputs"]["image"] == image["ref"]
    assert image["registries"][0]["password"] == "[secret]"
    site_config = by_type["azure-native:web:WebApp"]["inputs"]["siteConfig"]
    assert site_config["linuxFxVersion"] == f"DOCKER|{image['ref']}"
    folder = by_type["synced-folder:index:AzureBlobFolder"]
    assert folder["outputs"]["containerName"] == "$web" and folder["outputs"]["path"] == "./www"
    result = _check("template-site-and-image", "dev")
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["targets"][0]["rendered"] >= 5


def test_a_program_importing_an_azure_management_sdk_names_the_distribution_it_declared():
    result = _check("mgmt-sdk-enums", "prod")
    assert result.returncode == 2 and result.stdout == ""
    assert "mgmt-sdk-enums/__main__.py:4: ModuleNotFoundError: No module named 'azure.mgmt.storage'" in result.stderr
    hint = result.stderr.strip().splitlines()[-1]
    assert hint.startswith("hint: borough does not ship azure-mgmt-storage (azure-mgmt-storage>=21.0.0, requirements.txt:3)")
    assert "--install" in hint
