"""``check --install``: programs checked in an environment built from their own requirements, as
``pulumi install`` builds it, through the real CLI.

The virtualenvs come from the package registry (slow the first time) and are cached under
``.borough/test-envs`` (or ``BOROUGH_ENV_CACHE``), keyed by the requirement files, so later runs
reuse them; the same cache serves every test here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from synth.environment.install import CACHE_ENV, environment_key

CORPUS = Path(__file__).resolve().parent
ROOT = CORPUS.parents[1]
CACHE = Path(os.environ.get(CACHE_ENV) or ROOT / ".borough" / "test-envs")

pytestmark = pytest.mark.slow


def _check(program: Path | str, stack: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", "check", "--program", str(program), "--stack", stack,
                           "--format", "json", "--install", *extra], capture_output=True, text=True, cwd=ROOT,
                          timeout=1800, check=False, env={**os.environ, CACHE_ENV: str(CACHE)})


def _sdk_of(program: str, package: str) -> str:
    python = CACHE / environment_key(CORPUS / program, "pip") / "bin" / "python"
    return subprocess.run([str(python), "-c", f"from importlib.metadata import version; print(version('{package}'))"],
                          capture_output=True, text=True, check=True).stdout.strip()


def test_a_program_pinned_to_azure_native_v2_checks_at_v2_on_the_newest_sdk():
    result = _check("tests/corpus/pinned-v2-public-ip", "prod")
    assert result.returncode == 1, result.stderr
    assert "note:" not in result.stderr  # its own environment: nothing differs
    report = json.loads(result.stdout)
    assert report["targets"][0]["resources"] == 2
    assert any(f["file"] == "tests/corpus/pinned-v2-public-ip/__main__.py" for f in report["findings"])
    assert _sdk_of("pinned-v2-public-ip", "pulumi-azure-native").startswith("2.")
    assert int(_sdk_of("pinned-v2-public-ip", "pulumi").split(".")[1]) >= 272  # the newest SDK the index offers


def test_a_pyproject_program_for_azuread_5_checks_in_its_own_environment():
    result = _check("tests/corpus/pyproject-entra-app", "dev", "--allow-empty")  # Entra ID only: no ARM resource
    assert result.returncode == 0, result.stderr
    assert "application_id is deprecated" in result.stderr  # azuread 5 still has it (and says so)
    report = json.loads(result.stdout)
    assert report["targets"][0]["resources"] == 2
    assert _sdk_of("pyproject-entra-app", "pulumi-azuread").startswith("5.")


def test_a_program_needing_pulumi_kubernetes_checks_and_lists_what_is_not_azure():
    result = _check("tests/corpus/needs-kubernetes", "dev")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["targets"][0]["resources"] == 2


def test_a_poetry_program_is_installed_from_its_declared_ranges():
    result = _check("tests/corpus/poetry-library-archive", "prod")
    assert result.returncode == 1, result.stderr
    failed = {f["check_id"] for f in json.loads(result.stdout)["findings"] if f["outcome"] == "failed"}
    assert failed, "TLS 1.0 on the archive's storage account must be found"


def test_a_requirement_that_cannot_be_installed_is_bad_input_naming_it_and_leaves_nothing(tmp_path):
    program = shutil.copytree(CORPUS / "fresh-clone-parking", tmp_path / "parking")
    (program / "requirements.txt").write_text("pulumi==99.0.0\n")
    cache = tmp_path / "cache"
    result = subprocess.run([sys.executable, "-m", "cli", "check", "--program", str(program), "--stack", "dev",
                             "--install"], capture_output=True, text=True, cwd=ROOT, timeout=600, check=False,
                            env={**os.environ, CACHE_ENV: str(cache)})
    assert result.returncode == 2 and result.stdout == ""
    error = result.stderr.strip().splitlines()[0]
    assert error.startswith(f"borough: error: {program}/requirements.txt: cannot install pulumi==99.0.0: ERROR: ")
    assert "pulumi==99.0.0" in error.split(": ERROR: ", 1)[1]
    assert [p.name for p in cache.iterdir() if not p.name.endswith(".lock")] == []


def test_a_program_needing_an_azure_management_sdk_checks_with_it_installed():
    result = _check("tests/corpus/mgmt-sdk-enums", "prod")
    assert result.returncode == 1, result.stderr
    failed = [f for f in json.loads(result.stdout)["findings"] if f["outcome"] == "failed"]
    assert any("TLS1_0" in f["message"] for f in failed), "the TLS the management SDK's enum gave must be judged"
