"""The root command and the README's main job (`borough demo`), as a newcomer runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

REPO = Path(__file__).resolve().parents[2]


def test_help_lists_every_command_group() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for group in ("stacks", "check", "policies", "inventory", "report", "drift", "demo"):
        assert group in result.output


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys; from cli.main import app; "
        "heavy = [m for m in ('pulumi', 'pulumi_azure_native', 'checkov', 'boto3', 'sqlalchemy', 'azure', 'networkx') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == ""


def test_python_dash_m_cli_reports_version() -> None:
    out = subprocess.run([sys.executable, "-m", "cli", "--version"], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0
    assert out.stdout.startswith("borough ")


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["no-such-command"])
    assert result.exit_code == 2


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    workdir = tmp_path_factory.mktemp("demo")
    borough = Path(sys.executable).with_name("borough")
    proc = subprocess.run([str(borough), "demo"], capture_output=True, text=True, cwd=workdir,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(workdir)})
    return proc, workdir


def test_demo_checks_every_bundled_stack_and_they_pass(demo_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    proc, _ = demo_run
    assert proc.returncode == 0, proc.stderr
    for stack in ("platform-prod", "resident-services-dev", "resident-services-prod", "data-platform-prod"):
        line = next(l for l in proc.stdout.splitlines() if f" {stack} " in l)
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        evaluations, passed, failed, suppressed, errored = (int(c) for c in cells[-5:])
        assert failed == 0 and errored == 0, line
        assert evaluations == passed + failed + suppressed + errored, line  # the row adds up for a reader


def test_demo_loads_the_sample_estate_into_the_embedded_database(demo_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    proc, workdir = demo_run
    assert (workdir / ".borough" / "inventory.db").exists()
    assert "Systems by state and strategy" in proc.stdout
    assert "next: borough check" in proc.stderr
    again = subprocess.run([str(Path(sys.executable).with_name("borough")), "demo"], capture_output=True, text=True,
                           cwd=workdir, env={"PATH": "/usr/bin:/bin", "HOME": str(workdir)})
    load_line = next(l for l in again.stdout.splitlines() if "sqlite:///" in l)
    cells = [c.strip() for c in load_line.strip("│ ").split("│")]
    assert cells[1:] == ["0", "0", cells[3], "0"] and int(cells[3]) >= 60
