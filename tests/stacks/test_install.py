"""``--install``'s environment cache, time bound and failures, without the package registry (the
real builds are in tests/corpus/test_corpus_install.py and tests/sdk_matrix)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from synth.environment import install
from synth.environment.install import CACHE_ENV, TIMEOUT_ENV, InstallError, InstallTimeout, environment_key, install_environment


def _project(root: Path, requirements: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "requirements.txt").write_text(requirements)
    return root


@pytest.fixture
def builds(monkeypatch, tmp_path):
    """Count builds; a "build" makes a virtualenv-shaped directory whose python is ours."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    done: list[Path] = []

    def fake_build(venv: Path, project_dir: Path, tool: str, base_python: str) -> None:
        (venv / "bin").mkdir(parents=True)
        (venv / "bin" / "python").symlink_to(sys.executable)
        done.append(project_dir)

    monkeypatch.setattr(install, "_build", fake_build)
    return done


def test_the_cache_is_keyed_by_requirement_contents_not_place(builds, tmp_path):
    first = install_environment(_project(tmp_path / "a", "pulumi>=3\n"))
    again = install_environment(_project(tmp_path / "b", "pulumi>=3\n"))  # another clone, same requirements
    other = install_environment(_project(tmp_path / "c", "pulumi>=3\npulumi-random\n"))
    assert first == again != other
    assert builds == [tmp_path / "a", tmp_path / "c"]
    assert first.parent.parent.name == environment_key(tmp_path / "a", "pip")
    assert environment_key(tmp_path / "a", "pip") != environment_key(tmp_path / "a", "uv")


def test_a_failed_build_leaves_no_environment_behind(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))

    def failing(venv: Path, *_args: object) -> None:
        (venv / "bin").mkdir(parents=True)
        raise InstallError("requirements.txt: cannot install x")

    monkeypatch.setattr(install, "_build", failing)
    with pytest.raises(InstallError):
        install_environment(_project(tmp_path / "p", "x\n"))
    assert [p.name for p in (tmp_path / "cache").iterdir() if not p.name.endswith(".lock")] == []


def test_no_requirements_is_bad_input(tmp_path):
    (tmp_path / "p").mkdir()
    with pytest.raises(Exception, match="--install needs the program's requirements") as caught:
        install_environment(tmp_path / "p")
    assert caught.value.exit_code == 2


def test_a_silent_install_that_hangs_is_stopped_at_the_time_bound(monkeypatch, tmp_path):
    monkeypatch.setenv(TIMEOUT_ENV, "1")
    with pytest.raises(InstallTimeout, match="pip install did not finish within 1 s") as caught:
        install._run([sys.executable, "-c", "import time; time.sleep(120)"], tmp_path, "pip install")
    assert caught.value.exit_code == 3


def test_a_requirement_that_cannot_be_installed_is_named_with_pips_last_line(tmp_path):
    _project(tmp_path, "pulumi-nothing==1\n")
    script = ("print('Collecting pulumi-nothing==1'); "
              "print('ERROR: Could not find a version that satisfies the requirement pulumi-nothing==1 (from versions: none)'); "
              "print('ERROR: No matching distribution found for pulumi-nothing==1'); raise SystemExit(1)")
    with pytest.raises(InstallError) as caught:
        install._run([sys.executable, "-c", script], tmp_path, "pip install")
    assert str(caught.value) == (f"{tmp_path}/requirements.txt: cannot install pulumi-nothing==1: "
                                 "ERROR: No matching distribution found for pulumi-nothing==1")
    assert caught.value.exit_code == 2


def test_pip_gets_the_users_pip_settings_but_no_cloud_credentials(monkeypatch, tmp_path):
    monkeypatch.setenv("PIP_INDEX_URL", "https://pypi.example.gov.uk/simple")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.gov.uk:3128")
    monkeypatch.setenv("ARM_CLIENT_SECRET", "s3cret")
    calls: list[tuple[list[str], dict[str, str] | None]] = []
    monkeypatch.setattr(install, "_run", lambda command, cwd, what, env=None: calls.append((command, env)))
    install._build(tmp_path / "venv", _project(tmp_path / "p", "pulumi\n"), "pip", sys.executable)
    command, env = calls[-1]
    assert command[1:4] == ["-m", "pip", "install"] and command[-1].endswith("requirements.txt")
    assert env is not None and "--isolated" not in command
    assert env["PIP_INDEX_URL"] == os.environ["PIP_INDEX_URL"] and env["HTTPS_PROXY"].startswith("http://proxy")
    assert "ARM_CLIENT_SECRET" not in env
