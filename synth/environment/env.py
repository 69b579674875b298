"""Which Python interpreter runs a program: ``--python``, else one built by ``--install``, else
the program's own virtualenv, else borough's (with a note on what differs from the program's
declared requirements).

The Pulumi CLI runs a Python program in the virtualenv its ``Pulumi.yaml`` names
(``runtime: {name: python, options: {virtualenv: venv}}``, relative to the project directory),
so that is where the program's requirements are installed; borough does the same.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from synth.errors import ConfigError
from synth.project import Project, read_yaml
from synth.environment.requirements import Difference, declared_requirements, differences, requirement_files


CLASSIC_PACKAGE = "pulumi-azure"
"""Not installing it is no difference: its resources are listed as not rendered either way
(``synth.mocks.classic`` runs the program without it)."""


class EnvironmentKind(str, Enum):
    given = "given"
    """``--python PATH``."""
    own = "own"
    """The virtualenv ``Pulumi.yaml`` names, present."""
    installed = "installed"
    """Built from the program's requirements (``--install``, see ``synth.environment.install``)."""
    borough = "borough"
    """Borough's own interpreter: the program names no virtualenv, or the one it names is absent."""


@dataclass(frozen=True)
class Environment:
    """The interpreter a program runs in and, in borough's own, how it differs from what the
    program declared (``note`` is one line for stderr, ``None`` when nothing is worth saying)."""

    python: Path
    kind: EnvironmentKind
    differences: tuple[Difference, ...] = ()
    note: str | None = None
    declares: bool = False
    """The program has requirement files (so ``--install`` can build what it needs)."""


def choose_environment(project: Project, python: Path | None = None, install: bool = False) -> Environment:
    """``--python``, else ``--install``, else the program's virtualenv, else borough's own (a fresh
    clone has no virtualenv: the program is checked anyway, with a note on what differs)."""
    if python is not None:
        return Environment(Path(os.path.abspath(python)), EnvironmentKind.given)
    if install:
        from synth.environment.install import install_environment

        return Environment(install_environment(project.directory, project_toolchain(project)), EnvironmentKind.installed)
    venv = project_virtualenv(project)
    found = venv_python(venv) if venv is not None else None
    if found is not None:
        return Environment(found, EnvironmentKind.own)
    found_differences = tuple(d for d in differences(declared_requirements(project.directory))
                              if not (d.declared.name == CLASSIC_PACKAGE and d.installed is None))
    parts = []
    if venv is not None:
        parts.append(f"{_shown(venv, project.directory)}/ (Pulumi.yaml runtime.options.virtualenv) does not exist: "
                     f"synthesizing in borough's environment")
    parts += [d.describe() for d in found_differences]
    note = "; ".join(parts) if parts else None
    if note and found_differences:
        note += " (--install checks it in its own environment)"
    declares = bool(requirement_files(project.directory))
    return Environment(Path(sys.executable), EnvironmentKind.borough, found_differences, note, declares)


def _shown(venv: Path, base: Path) -> str:
    try:
        return venv.relative_to(base).as_posix()
    except ValueError:
        return str(venv)


def project_toolchain(project: Project) -> str | None:
    """``runtime.options.toolchain`` (``pip``, ``poetry`` or ``uv``), as ``pulumi install`` reads it."""
    _, options = _runtime_options(project)
    value = options.get("toolchain")
    return value if value in ("pip", "poetry", "uv") else None


def project_virtualenv(project: Project) -> Path | None:
    """The virtualenv directory ``Pulumi.yaml`` names, or ``None``."""
    path, options = _runtime_options(project)
    venv = options.get("virtualenv")
    if venv is None:
        return None
    if not isinstance(venv, str) or not venv.strip():
        raise ConfigError(f"{path}: key 'runtime.options.virtualenv': expected a directory name")
    return (project.directory / os.path.expanduser(venv)).resolve() if not os.path.isabs(venv) else Path(venv)


def _runtime_options(project: Project) -> tuple[Path | None, dict[str, object]]:
    """The project file and its ``runtime.options`` mapping ({} when it has none)."""
    for name in ("Pulumi.yaml", "Pulumi.yml"):
        path = project.directory / name
        if path.is_file():
            data = read_yaml(path)
            runtime = data.get("runtime") if isinstance(data, dict) else None
            options = runtime.get("options") if isinstance(runtime, dict) else None
            return path, options if isinstance(options, dict) else {}
    return None, {}


def venv_python(venv: Path) -> Path | None:
    for candidate in (venv / "bin" / "python", venv / "bin" / "python3", venv / "Scripts" / "python.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None
