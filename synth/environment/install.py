"""``--install``: the program's own environment, built as ``pulumi install`` builds it.

A virtualenv is created from the program's declared requirements (``requirements.txt``; else the
``pyproject.toml`` dependencies) with pip, or with Poetry or uv when the project is one of theirs
and the tool is installed. It lives in a cache keyed by the requirement files' contents, the tool
and the Python version, so a second run of the same program, or of another program with the same
requirements, reuses it (the check costs a hash of a few small files). The build happens in a
temporary directory beside the cache entry and is renamed into place only when it succeeded, under
a file lock, so concurrent runs never see half an environment. pip runs with the user's own
environment and configuration (index URL, proxy, certificates: ``PIP_*`` and ``pip.conf``). The
mock engine runs in that environment without borough being installed into it (see
``synth.process``): only the program's requirements go in.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections import deque
from pathlib import Path
from typing import Iterator

from synth.errors import ConfigError, StacksError
from synth.environment.requirements import (
    PYPROJECT,
    REQUIREMENTS_TXT,
    declared_requirements,
    project_tool,
    requirement_files,
)

CACHE_ENV = "BOROUGH_ENV_CACHE"
TIMEOUT_ENV = "BOROUGH_INSTALL_TIMEOUT"
DEFAULT_INSTALL_TIMEOUT = 900.0
COMPLETE = ".borough-complete"
_CREDENTIALS = ("ARM_", "AZURE_CLIENT", "AZURE_TENANT", "AZURE_SUBSCRIPTION", "AWS_", "PULUMI_ACCESS_TOKEN")
"""Cloud credentials an install never needs (pip's index, proxy and certificate settings pass)."""
_FAILED_REQUIREMENT = (
    re.compile(r"No matching distribution found for ([^\s]+)"),
    re.compile(r"Could not find a version that satisfies the requirement ([^\s]+)"),
    re.compile(r"Failed to build ([^\s]+)"),
    re.compile(r"Because ([^\s]+) was not found"),
    re.compile(r"No solution found when resolving dependencies:.*?([a-z0-9][a-z0-9._-]*)", re.I),
)


_COLLECTING = re.compile(r"^Collecting (\S+)")


class InstallError(StacksError):
    """A requirement could not be installed (exit 2: the program's requirements are the input)."""


class InstallTimeout(StacksError):
    """Building the environment ran out of time (exit 3: nothing was checked)."""

    exit_code = 3


def cache_root() -> Path:
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "borough" / "envs"


def environment_key(project_dir: Path, tool: str) -> str:
    """What the environment depends on: the requirement files, the tool and the Python version."""
    digest = hashlib.sha256()
    digest.update(f"{tool}\n{sys.implementation.name}\n{sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    for path in requirement_files(project_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def install_environment(project_dir: Path, toolchain: str | None = None, python: str | None = None) -> Path:
    """The python of the program's environment, built now unless the cache already holds it.
    ``toolchain``: what ``Pulumi.yaml`` names (``runtime.options.toolchain``), else the project's
    own files decide."""
    files = requirement_files(project_dir)
    if not files:
        raise ConfigError(f"{project_dir}: --install needs the program's requirements "
                          f"({REQUIREMENTS_TXT} or {PYPROJECT} with dependencies); found neither",
                          "add a requirements.txt listing pulumi and the providers the program imports")
    tool = _usable_tool(toolchain or project_tool(project_dir))
    root = cache_root()
    target = root / environment_key(project_dir, tool)
    ready = target / "bin" / "python"
    if (target / COMPLETE).is_file() and ready.exists():
        return ready
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root / f"{target.name}.lock"):
        if (target / COMPLETE).is_file() and ready.exists():
            return ready  # another run built it while this one waited
        shutil.rmtree(target, ignore_errors=True)
        building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=root))
        try:
            _build(building, project_dir, tool, python or sys.executable)
            (building / COMPLETE).write_text(f"{tool}\n", encoding="utf-8")
            building.rename(target)
        finally:
            shutil.rmtree(building, ignore_errors=True)
    _progress(f"built the program's environment in {target}")
    return ready


def _usable_tool(tool: str) -> str:
    """Poetry or uv only when installed: otherwise pip installs the same declared requirements."""
    return tool if tool != "pip" and shutil.which(tool) else "pip"


def _build(venv: Path, project_dir: Path, tool: str, base_python: str) -> None:
    shutil.rmtree(venv, ignore_errors=True)
    _run([base_python, "-m", "venv", str(venv)], project_dir, "creating the virtualenv")
    python = str(venv / "bin" / "python")
    env = {k: v for k, v in os.environ.items() if not k.startswith(_CREDENTIALS)}  # pip's own settings stay
    if tool == "poetry":
        env.update(VIRTUAL_ENV=str(venv), POETRY_VIRTUALENVS_CREATE="false")
        _run(["poetry", "install", "--no-root", "--no-interaction"], project_dir, "poetry install", env)
        return
    source = _requirements_source(project_dir, venv)
    if tool == "uv":
        _run(["uv", "pip", "install", "--python", python, "-r", str(source)], project_dir, "uv pip install", env)
        return
    _run([python, "-m", "pip", "install", "--disable-pip-version-check", "-r", str(source)], project_dir,
         "pip install", env)


def _requirements_source(project_dir: Path, venv: Path) -> Path:
    """``requirements.txt`` as it is; else the pyproject's declarations written as one."""
    given = project_dir / REQUIREMENTS_TXT
    if given.is_file():
        return given
    lines = [item.name + item.spec for item in declared_requirements(project_dir) if item.name != "python"]
    if not lines:
        raise ConfigError(f"{project_dir / PYPROJECT}: declares no dependencies to install",
                          "list pulumi and the providers the program imports in [project] dependencies")
    written = venv / "borough-requirements.txt"
    written.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written


def _run(command: list[str], cwd: Path, what: str, env: dict[str, str] | None = None) -> None:
    """Run one step with a time limit; its output goes to a terminal as progress, and its last
    lines are kept to say what failed."""
    timeout = float(os.environ.get(TIMEOUT_ENV) or DEFAULT_INSTALL_TIMEOUT)
    tty = sys.stderr.isatty()
    tail: deque[str] = deque(maxlen=40)
    collecting = ""
    _progress(f"{what} for {cwd.name} ...")
    try:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace", start_new_session=True)
    except OSError as exc:
        raise ConfigError(f"{command[0]}: cannot run it to install the program's requirements: {exc.strerror or exc}") from None
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, stop)  # a silent, hanging install is stopped too
    timer.daemon = True
    timer.start()
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            tail.append(line.rstrip())
            if _COLLECTING.match(line.strip()):
                collecting = line.strip()
            if tty and line.strip():
                sys.stderr.write(f"\r\x1b[2K  {line.strip()[:100]}")
                sys.stderr.flush()
        proc.wait()
    finally:
        timer.cancel()
        if proc.poll() is None:
            stop()
            proc.wait()
        if tty:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
    if expired.is_set():
        raise InstallTimeout(f"{cwd}: {what} did not finish within {timeout:g} s; stopped it",
                             f"set {TIMEOUT_ENV} to allow longer, or build the virtualenv yourself and pass --python")
    if proc.returncode != 0:
        raise InstallError(*_failure([collecting, *tail], cwd, what))


def _failure(lines: list[str], cwd: Path, what: str) -> tuple[str, str]:
    """``(message, hint)`` naming the requirement that failed and the tool's own last line."""
    meaningful = [line.strip() for line in lines if line.strip()]
    errors = [line for line in meaningful if line.startswith(("ERROR:", "error:"))]
    last = (errors or meaningful or [f"{what} failed with no output"])[-1]
    text = "\n".join(meaningful)
    requirement = next((m.group(1) for pattern in _FAILED_REQUIREMENT for m in [pattern.search(text)] if m), None)
    if requirement is None:  # a build that failed: the last package pip was collecting
        collecting = [m.group(1) for line in meaningful for m in [_COLLECTING.match(line)] if m]
        requirement = collecting[-1] if collecting else None
    source = REQUIREMENTS_TXT if (cwd / REQUIREMENTS_TXT).is_file() else PYPROJECT
    if requirement:
        message = f"{cwd / source}: cannot install {requirement.rstrip(':,')}: {last}"
    else:
        message = f"{cwd / source}: {what} failed: {last}"
    return message, "fix the requirement (name or version range) or the package index settings pip uses"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _progress(text: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"borough: {text}\n")
        sys.stderr.flush()
