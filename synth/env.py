"""Which Python interpreter runs a program: ``--python``, else the program's own virtualenv,
else borough's.

The Pulumi CLI runs a Python program in the virtualenv its ``Pulumi.yaml`` names
(``runtime: {name: python, options: {virtualenv: venv}}``, relative to the project directory),
so that is where the program's requirements are installed; borough does the same.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from synth.errors import ConfigError
from synth.project import Project, read_yaml


def interpreter(project: Project, python: Path | None = None) -> Path:
    if python is not None:
        return Path(python)
    venv = project_virtualenv(project)
    if venv is None:
        return Path(sys.executable)
    found = venv_python(venv)
    if found is None:
        raise ConfigError(
            f"{project.directory / 'Pulumi.yaml'}: key 'runtime.options.virtualenv': {venv} is not a virtualenv (no bin/python)",
            f"create it: python -m venv {venv} && {venv}/bin/pip install -r requirements.txt; or pass --python PATH")
    return found


def project_virtualenv(project: Project) -> Path | None:
    """The virtualenv directory ``Pulumi.yaml`` names, or ``None``."""
    for name in ("Pulumi.yaml", "Pulumi.yml"):
        path = project.directory / name
        if not path.is_file():
            continue
        data = read_yaml(path)
        runtime = data.get("runtime") if isinstance(data, dict) else None
        options = runtime.get("options") if isinstance(runtime, dict) else None
        venv = options.get("virtualenv") if isinstance(options, dict) else None
        if venv is None:
            return None
        if not isinstance(venv, str) or not venv.strip():
            raise ConfigError(f"{path}: key 'runtime.options.virtualenv': expected a directory name")
        return (project.directory / os.path.expanduser(venv)).resolve() if not os.path.isabs(venv) else Path(venv)
    return None


def venv_python(venv: Path) -> Path | None:
    for candidate in (venv / "bin" / "python", venv / "bin" / "python3", venv / "Scripts" / "python.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None
