"""The engine speaks every Pulumi SDK a program may bring: the oldest borough supports, the one
borough locks, and the newest on PyPI when this matrix was last raised.

Each SDK is installed with ``pulumi-random`` into a virtualenv built from the package registry by
``synth.environment.install`` (as ``check --install`` builds one) and cached under ``.borough/test-envs``
(or ``BOROUGH_ENV_CACHE``), so only the first run downloads. The program is synthesized through
the real CLI with ``--python`` pointing at that virtualenv.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from synth.mocks.engine import OLDEST_SDK, MockEngine
from synth.mocks.monitor import RecordingMonitor

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LOCKED = re.search(r"^pulumi==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M).group(1)  # type: ignore[union-attr]
OLDEST = OLDEST_SDK
NEWEST = "3.272.0"
"""The newest SDK on PyPI when this matrix was last raised; raise it with each release borough follows."""
SDKS = {"oldest": OLDEST, "locked": LOCKED, "newest": NEWEST}

pytestmark = pytest.mark.slow


def sdk_environment(version: str, tmp_path_factory) -> Path:
    """The python of a cached virtualenv holding ``pulumi==version`` and pulumi-random."""
    from synth.environment.install import CACHE_ENV, install_environment

    project = tmp_path_factory.mktemp(f"sdk-{version}")
    (project / "requirements.txt").write_text(f"pulumi=={version}\npulumi-random>=4.16,<5\n")
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = previous or str(ROOT / ".borough" / "test-envs")
    try:
        return install_environment(project)
    finally:
        if previous is None:
            del os.environ[CACHE_ENV]


@pytest.fixture(scope="module", params=sorted(SDKS), ids=lambda name: f"{name}-{SDKS[name]}")
def sdk(request, tmp_path_factory) -> tuple[str, Path]:
    return SDKS[request.param], sdk_environment(SDKS[request.param], tmp_path_factory)


def _run(python: Path, *code: str) -> str:
    return subprocess.run([str(python), "-c", "\n".join(code)], capture_output=True, text=True, check=True).stdout


def test_the_virtualenv_holds_the_sdk_asked_for(sdk):
    version, python = sdk
    assert _run(python, "from importlib.metadata import version", "print(version('pulumi'))").strip() == version


def test_the_engine_answers_every_method_the_sdks_services_define(sdk):
    version, python = sdk
    listed = json.loads(_run(
        python, "import json",
        "from pulumi.runtime.proto import resource_pb2_grpc as r, engine_pb2_grpc as e",
        "names = lambda cls: sorted(n for n in vars(cls) if n[:1].isupper())",
        "print(json.dumps({'monitor': names(r.ResourceMonitorServicer), 'engine': names(e.EngineServicer)}))"))
    assert "RegisterResource" in listed["monitor"] and "Log" in listed["engine"]
    assert [m for m in listed["monitor"] if not hasattr(RecordingMonitor, m)] == [], version
    assert [m for m in listed["engine"] if not hasattr(MockEngine, m)] == [], version


def test_a_program_synthesizes_the_same_on_every_sdk(sdk):
    version, python = sdk
    result = subprocess.run([sys.executable, "-m", "cli", "stacks", "synth", "spring", "--program", str(HERE / "lottery_program"),
                             "--python", str(python)], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert result.returncode == 0, f"SDK {version}: {result.stderr}"
    graph = json.loads(result.stdout)
    by_type = {r["type"]: r for r in graph["resources"]}
    draw = by_type["lottery:index:Draw"]
    assert {r["parent"] for r in graph["resources"] if r["type"].startswith("random:")} == {draw["urn"]}
    winner = by_type["random:index/randomInteger:RandomInteger"]
    assert winner["inputs"]["max"] == 250 and 1 <= winner["outputs"]["result"] <= 250
    outputs = graph["outputs"]
    assert outputs["seed"] == "[secret]"
    assert outputs["announcement"] == f"The {outputs['label']} draw is won by ticket {outputs['winner']}"


def test_an_engine_method_no_known_sdk_defines_is_incomplete_naming_sdk_and_method(tmp_path, tmp_path_factory):
    version, python = NEWEST, sdk_environment(NEWEST, tmp_path_factory)
    program = tmp_path / "future"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: future\nruntime: python\n")
    # What a future SDK does on start-up: ask the engine something borough has never heard of.
    (program / "__main__.py").write_text(
        "import pulumi\nfrom pulumi.runtime.settings import get_monitor\n"
        "get_monitor().NegotiateStackPolicy(None)\npulumi.export('x', 1)\n")
    result = subprocess.run([sys.executable, "-m", "cli", "check", "--program", str(program), "--stack", "dev",
                             "--python", str(python)], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert result.returncode == 3, result.stderr
    error = result.stderr.strip().splitlines()[0]
    assert error.startswith(f"borough: error: the program's Pulumi SDK {version} called the engine method "
                            "ResourceMonitor.NegotiateStackPolicy")
    assert "__main__.py" not in error
