"""borough as another repository's pre-commit hook: `pre-commit` (from PyPI) in a temporary git
repository, using this repository's `.pre-commit-hooks.yaml` from a local clone (nothing is
downloaded), fails a commit that touches an insecure program and passes a clean one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
INSECURE = REPO / "tests" / "policies" / "programs" / "contractor"
CLEAN = REPO / "tests" / "corpus" / "secure-keyvault-baseline"


def _env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"), "GIT_AUTHOR_NAME": "Platform Team",
            "GIT_AUTHOR_EMAIL": "platform@example.gov.uk", "GIT_COMMITTER_NAME": "Platform Team",
            "GIT_COMMITTER_EMAIL": "platform@example.gov.uk", "GIT_CONFIG_GLOBAL": os.devnull}


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory) -> tuple[Path, str]:
    """A clone of this repository's hook manifest, committed, as `repo:` points at one."""
    tmp = tmp_path_factory.mktemp("hooks")
    env = _env(tmp)
    repo = tmp / "borough"
    repo.mkdir()
    _git(repo, env, "init", "-q")
    shutil.copy(REPO / ".pre-commit-hooks.yaml", repo / ".pre-commit-hooks.yaml")
    _git(repo, env, "add", ".")
    _git(repo, env, "commit", "-q", "-m", "hooks")
    return repo, _git(repo, env, "rev-parse", "HEAD")


def _commit_with_hook(tmp: Path, hooks: tuple[Path, str], program: Path) -> subprocess.CompletedProcess:
    env = _env(tmp)
    work = tmp / "service"
    work.mkdir()
    _git(work, env, "init", "-q")
    shutil.copytree(program, work / "infra", ignore=shutil.ignore_patterns("venv", "__pycache__"))
    (work / "docs.md").write_text("Not a program: the hook ignores it.\n")
    repo, rev = hooks
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: borough-check-installed\n")
    subprocess.run([str(BIN / "pre-commit"), "install"], cwd=work, env=env, check=True, capture_output=True)
    _git(work, env, "add", ".")
    return subprocess.run(["git", "commit", "-m", "infra change"], cwd=work, env=env, capture_output=True, text=True)


def test_a_commit_touching_an_insecure_program_is_refused(tmp_path, hooks_repo):
    result = _commit_with_hook(tmp_path, hooks_repo, INSECURE)
    assert result.returncode != 0, result.stdout + result.stderr
    out = result.stdout + result.stderr
    assert "borough council baseline" in out and "Failed" in out
    assert "CKV_AZURE_10" in out and "booking-nsg" in out
    log = subprocess.run(["git", "log", "--oneline"], cwd=tmp_path / "service", capture_output=True, text=True)
    assert log.returncode != 0 or log.stdout.strip() == ""  # nothing was committed


def test_a_commit_touching_a_clean_program_goes_through(tmp_path, hooks_repo):
    result = _commit_with_hook(tmp_path, hooks_repo, CLEAN)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "borough council baseline" in out and "Passed" in out
    log = subprocess.run(["git", "log", "--oneline"], cwd=tmp_path / "service", capture_output=True, text=True)
    assert "infra change" in log.stdout


def test_the_hook_manifest_is_valid_for_pre_commit():
    done = subprocess.run([str(BIN / "pre-commit"), "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["borough-check"]["language"] == "python" and hooks["borough-check-installed"]["language"] == "system"
    assert {h["entry"] for h in hooks.values()} == {"borough check-changed"}
