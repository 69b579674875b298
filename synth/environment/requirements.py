"""What a Pulumi program declares it needs, and where borough's own environment differs from it.

A program that comes out of git has no virtualenv; borough then synthesizes it in its own
environment, which may hold other versions of the providers than the program asked for
(pulumi-azure-native 3 where the program pins ``>=2,<3``). This module reads the declarations the
way ``pulumi install`` and the usual tools find them (``requirements.txt``, ``pyproject.toml``
``[project]`` dependencies as uv and pip use them, Poetry's ``[tool.poetry.dependencies]``) and
compares them with the distributions installed in borough's interpreter. Only the standard
library and ``packaging`` (which pip itself vendors) are used.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REQUIREMENTS_TXT = "requirements.txt"
PYPROJECT = "pyproject.toml"
LOCK_FILES = ("poetry.lock", "uv.lock")
MAX_INCLUDES = 20


@dataclass(frozen=True)
class Declared:
    """One requirement as the program wrote it: ``pulumi-azure-native>=2,<3`` at ``requirements.txt:2``."""

    name: str
    """Canonical distribution name (lower case, ``-``)."""
    spec: str
    """The version range in PEP 440 form (Poetry's ``^2.0`` becomes ``>=2.0,<3``); ``""`` for any."""
    source: str
    """``file:line`` relative to the project directory."""
    text: str
    """The requirement as written (for messages)."""


@dataclass(frozen=True)
class Difference:
    """A declared requirement that borough's environment does not satisfy."""

    declared: Declared
    installed: str | None
    """Borough's version of the distribution, or ``None`` when borough does not ship it."""

    def describe(self) -> str:
        asked = f"{self.declared.text} ({self.declared.source})"
        if self.installed is None:
            return f"the program needs {asked}, which borough does not ship"
        return f"the program asks for {asked}, borough has {self.declared.name} {self.installed}"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project_tool(directory: Path) -> str:
    """``poetry`` or ``uv`` when the project is one of theirs (its lock file or tool table), else ``pip``."""
    if (directory / "poetry.lock").is_file() or "poetry" in _tool_tables(directory):
        return "poetry"
    if (directory / "uv.lock").is_file() or "uv" in _tool_tables(directory):
        return "uv"
    return "pip"


def requirement_files(directory: Path) -> list[Path]:
    """The files that declare the program's requirements (what an install depends on)."""
    found = [directory / name for name in (REQUIREMENTS_TXT, PYPROJECT, *LOCK_FILES) if (directory / name).is_file()]
    return found + [p for p in _included(directory / REQUIREMENTS_TXT, set()) if p not in found]


def declared_requirements(directory: Path) -> list[Declared]:
    """Every requirement the project declares, in file order (requirements.txt first)."""
    declared = list(_from_requirements_txt(directory / REQUIREMENTS_TXT, directory, set()))
    pyproject = directory / PYPROJECT
    if pyproject.is_file():
        declared += _from_pyproject(pyproject, directory)
    return declared


def differences(declared: list[Declared]) -> list[Difference]:
    """Declared requirements borough's environment does not meet: a version outside the range, or
    a distribution borough does not ship (``python`` itself, as Poetry lists it, is skipped)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    found = []
    seen = set()
    for item in declared:
        if item.name in seen or item.name == "python":
            continue
        seen.add(item.name)
        installed = installed_version(item.name)
        if installed is None:
            found.append(Difference(item, None))
            continue
        try:
            wanted = SpecifierSet(item.spec)
        except InvalidSpecifier:
            continue
        if item.spec and not wanted.contains(installed, prereleases=True):
            found.append(Difference(item, installed))
    return found


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def distribution_of(module: str) -> str:
    """The distribution that provides a top-level module, as far as names go (``pulumi_azure_native``
    -> ``pulumi-azure-native``); borough's own environment is asked first."""
    top = module.split(".")[0]
    for dist in metadata.packages_distributions().get(top, []):
        return canonical(dist)
    return canonical(top)


def _tool_tables(directory: Path) -> dict[str, object]:
    data = _read_toml(directory / PYPROJECT)
    tool = data.get("tool") if isinstance(data, dict) else None
    return tool if isinstance(tool, dict) else {}


def _read_toml(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return {}  # a broken pyproject is the install's to report; here it declares nothing


def _included(path: Path, seen: set[Path]) -> list[Path]:
    """``-r other.txt`` / ``-c constraints.txt`` files a requirements file pulls in."""
    if not path.is_file() or path in seen or len(seen) >= MAX_INCLUDES:
        return []
    seen.add(path)
    found = []
    for line in _lines(path):
        option, _, rest = line.partition(" ")
        if option in ("-r", "--requirement", "-c", "--constraint") and rest.strip():
            child = (path.parent / rest.strip()).resolve()
            found += [child, *_included(child, seen)]
    return found


def _lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    joined = text.replace("\\\n", "")
    return [line.split(" #", 1)[0].strip() for line in joined.splitlines()]


def _from_requirements_txt(path: Path, base: Path, seen: set[Path]) -> list[Declared]:
    from packaging.requirements import InvalidRequirement, Requirement

    if not path.is_file() or path in seen or len(seen) >= MAX_INCLUDES:
        return []
    seen.add(path)
    found = []
    for number, line in enumerate(_lines(path), start=1):
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")):
            found += _from_requirements_txt((path.parent / line.split(None, 1)[1]).resolve(), base, seen)
            continue
        if line.startswith("-") or "://" in line or line.startswith((".", "/")):
            continue  # options, editable installs and URLs name no version range to compare
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.marker is not None and not req.marker.evaluate():
            continue
        found.append(Declared(canonical(req.name), str(req.specifier), f"{_relative(path, base)}:{number}", line))
    return found


def _from_pyproject(path: Path, base: Path) -> list[Declared]:
    from packaging.requirements import InvalidRequirement, Requirement

    data = _read_toml(path)
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    shown = _relative(path, base)
    found = []
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    for line in project.get("dependencies") or []:  # type: ignore[union-attr]
        try:
            req = Requirement(str(line))
        except InvalidRequirement:
            continue
        found.append(Declared(canonical(req.name), str(req.specifier), f"{shown}:{_line_of(text, str(line))}", str(line)))
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry") if isinstance(tool, dict) and isinstance(tool.get("poetry"), dict) else {}
    for name, value in (poetry.get("dependencies") or {}).items():  # type: ignore[union-attr]
        version = value.get("version") if isinstance(value, dict) else value
        if not isinstance(version, str):
            continue
        spec = poetry_spec(version)
        found.append(Declared(canonical(name), spec, f"{shown}:{_line_of(text, name)}", f"{name} = \"{version}\""))
    return found


def poetry_spec(version: str) -> str:
    """Poetry's constraint syntax in PEP 440 form: ``^2.1`` -> ``>=2.1,<3``, ``~2.1`` -> ``>=2.1,<2.2``."""
    parts = []
    for piece in (p.strip() for p in version.split(",")):
        if piece in ("", "*"):
            continue
        if piece[0] in "^~" and not piece.startswith("~="):
            release = [int(n) for n in re.findall(r"\d+", piece[1:])[:3]] or [0]
            if piece[0] == "^":
                bump = next((i for i, n in enumerate(release) if n), len(release) - 1)
            else:
                bump = min(1, len(release) - 1) if len(release) > 1 else 0
            upper = release[:bump] + [release[bump] + 1]
            parts += [f">={'.'.join(map(str, release))}", f"<{'.'.join(map(str, upper))}"]
        elif piece[0].isdigit():
            parts.append(f"=={piece}")
        else:
            parts.append(piece)
    return ",".join(parts)


def _line_of(lines: list[str], needle: str) -> int:
    for number, line in enumerate(lines, start=1):
        if needle in line:
            return number
    return 1


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path)
