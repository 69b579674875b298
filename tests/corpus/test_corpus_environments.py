"""Corpus programs about the program's own environment: `own-venv` (a virtualenv named in its
Pulumi.yaml, with a requirements.txt that includes an internal package) and `v2-era` (written for
pulumi-azure-native v2). Each is checked as a user would: `borough check --program`."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
ROOT = CORPUS.parents[1]


def _make_venv():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("corpus_synth_venv", ROOT / "tests" / "stacks" / "synth_venv.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_venv


def _check(program: Path, stack: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", "check", "--program", str(program), "--stack", stack,
                           "--format", "json", *extra], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)


def _build_own_venv(program: Path) -> Path:
    """What `pip install -r requirements.txt` does, offline: the Pulumi SDK lines come from
    borough's environment (see synth_venv.py); the internal package's `-e` line becomes what an
    editable install leaves in site-packages, a .pth file naming its source directory."""
    python = _make_venv()(program / "venv")
    editable = [line.split(None, 1)[1] for line in (program / "requirements.txt").read_text().splitlines()
                if line.startswith("-e ")]
    assert editable == ["./vendor/wbc-naming"]
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "__editable__.wbc_naming-1.4.0.pth").write_text(f"{(program / editable[0]).resolve()}\n")
    return python


def test_own_venv_is_synthesized_in_its_own_virtualenv(tmp_path):
    program = shutil.copytree(CORPUS / "own-venv", tmp_path / "own-venv")
    _build_own_venv(program)
    result = _check(program, "dev")
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    (target,) = report["targets"]
    assert target["name"] == "dev" and target["resources"] == 3
    assert any(f["file"].endswith("own-venv/__main__.py") for f in report["findings"])


def test_own_venv_without_its_virtualenv_is_synthesized_in_boroughs_and_names_what_is_missing(tmp_path):
    program = shutil.copytree(CORPUS / "own-venv", tmp_path / "own-venv")
    result = _check(program, "dev")
    assert result.returncode == 2 and result.stdout == ""
    note, error, hint = result.stderr.strip().splitlines()
    assert note.startswith("borough: note: venv/ (Pulumi.yaml runtime.options.virtualenv) does not exist: "
                           "synthesizing in borough's environment")
    # The internal package is missing in borough's environment: named, with --install.
    assert error == f"borough: error: {program}/__main__.py:5: ModuleNotFoundError: No module named 'wbc_naming'"
    assert hint.startswith("hint: borough does not ship wbc-naming: run with --install")
    # --python still wins: the same program in borough's interpreter, named explicitly, says no note.
    result = _check(program, "dev", "--python", sys.executable)
    assert result.returncode == 2
    assert "note:" not in result.stderr
    assert f"{program}/__main__.py:5: ModuleNotFoundError: No module named 'wbc_naming'" in result.stderr
    assert "pip install wbc-naming" in result.stderr
    assert "Traceback" not in result.stderr


def test_v2_era_program_names_the_version_it_asked_for_and_install():
    result = _check(CORPUS / "v2-era", "prod")
    assert result.returncode == 2 and result.stdout == ""
    note, error, hint = result.stderr.strip().splitlines()
    assert "the program asks for pulumi-azure-native>=2.0.0,<3.0.0 (requirements.txt:2), borough has pulumi-azure-native 3." in note
    assert error.startswith("borough: error: ") and "v2-era/__main__.py:7: ImportError: cannot import name 'documentdb'" in error
    assert hint.startswith("hint: the program asks for pulumi-azure-native>=2.0.0,<3.0.0 (requirements.txt:2) and borough has")
    assert hint.endswith("run with --install to check it at the version it asked for")
    assert "Traceback" not in result.stderr
