"""Find a Pulumi project and read a stack's config the way the Pulumi CLI hands it to a program.

The CLI gives the language host a flat map of ``namespace:key`` -> string (objects as JSON) plus
the set of secret keys. We do the same so programs behave as under ``pulumi preview``; encrypted
values cannot be decrypted offline and stand in as ``[secret]`` (still marked secret).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth.errors import ConfigError
from synth.graph import SECRET


@dataclass
class Project:
    name: str
    directory: Path
    """Where ``Pulumi.yaml`` (and the ``Pulumi.<stack>.yaml`` files) live."""


@dataclass
class RawConfig:
    values: dict[str, str] = field(default_factory=dict)
    secret_keys: set[str] = field(default_factory=set)
    source: str = "<config>"


def find_project(program_dir: Path) -> Project:
    """The nearest ``Pulumi.yaml`` at or above the program; a bare directory is its own project."""
    for directory in [program_dir, *program_dir.parents]:
        for name in ("Pulumi.yaml", "Pulumi.yml"):
            path = directory / name
            if path.is_file():
                data = read_yaml(path)
                if data is not None and not isinstance(data, dict):
                    raise ConfigError(f"{path}: not a Pulumi project file (expected a mapping with name:, runtime:)")
                project = data.get("name") if isinstance(data, dict) else None
                if not isinstance(project, str) or not project:
                    raise ConfigError(f"{path}: key 'name': a Pulumi project needs a name")
                return Project(name=project, directory=directory)
    return Project(name=program_dir.name, directory=program_dir)


def program_entry(directory: Path) -> Path:
    """A project directory whose ``Pulumi.yaml`` says ``main: sub/`` runs ``sub/``, as the CLI does."""
    if (directory / "__main__.py").is_file():
        return directory
    for name in ("Pulumi.yaml", "Pulumi.yml"):
        path = directory / name
        if path.is_file():
            data = read_yaml(path)
            main = data.get("main") if isinstance(data, dict) else None
            if isinstance(main, str) and main.strip():
                return (directory / main).resolve()
    return directory


def read_stack_config(project: Project, stack: str) -> RawConfig:
    """Project defaults from ``Pulumi.yaml`` overlaid with ``Pulumi.<stack>.yaml`` (if present)."""
    raw = RawConfig(source=str(project.directory / f"Pulumi.{stack}.yaml"))
    project_file = project.directory / "Pulumi.yaml"
    if project_file.is_file():
        data = read_yaml(project_file)
        if data is not None and not isinstance(data, dict):
            raise ConfigError(f"{project_file}: not a Pulumi project file (expected a mapping with name:, runtime:)")
        declared = _mapping_at(data, "config", project_file, "a mapping of key: value or key: {default: value}")
        for key, spec in declared.items():
            value = spec.get("value", spec.get("default")) if isinstance(spec, dict) else spec
            if value is not None:
                _put(raw, project.name, str(key), value, str(project_file))
    stack_file = project.directory / f"Pulumi.{stack}.yaml"
    if stack_file.is_file():
        data = read_yaml(stack_file)
        if data is not None and not isinstance(data, dict):
            raise ConfigError(f"{stack_file}: not a Pulumi stack file (expected a mapping with config:)")
        config = _mapping_at(data, "config", stack_file, "a mapping of key: value")
        for key, value in config.items():
            _put(raw, project.name, str(key), value, str(stack_file))
    return raw


def config_from_dict(project: Project, config: dict[str, Any]) -> RawConfig:
    raw = RawConfig(source="<config>")
    for key, value in config.items():
        _put(raw, project.name, key, value, raw.source)
    return raw


OVERRIDDEN_KEY = "borough-cli:overridden"
"""Config key listing (as JSON) the keys ``--config`` set. It travels with the config into the
program, in a namespace no program reads, so a program that validates its config
(:func:`stacks.stackconfig.load_from_pulumi`) blames ``--config`` rather than the stack file."""


def apply_overrides(raw: RawConfig, project: Project, overrides: dict[str, str] | None) -> None:
    """``--config KEY=VALUE``: like ``pulumi config set``, a bare key joins the project namespace."""
    overridden: set[str] = set()
    for key, value in (overrides or {}).items():
        if not key or key.startswith(":") or key.endswith(":"):
            raise ConfigError(f"--config {key}={value}: key must be KEY or NAMESPACE:KEY")
        full = _full_key(project.name, key)
        raw.values[full] = value  # a key the stack file keeps secret stays secret
        overridden.add(full)
    if overridden:
        raw.values[OVERRIDDEN_KEY] = json.dumps(sorted(overridden))


def parse_override(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"--config {text!r}: expected KEY=VALUE")
    return key.strip(), value


def _full_key(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _put(raw: RawConfig, project: str, key: str, value: Any, source: str) -> None:
    full = _full_key(project, key)
    if isinstance(value, dict) and set(value) == {"secure"}:
        raw.values[full] = SECRET
        raw.secret_keys.add(full)
        return
    if _has_secure(value):
        raw.secret_keys.add(full)
        value = _redact_secure(value)
    if isinstance(value, (dict, list)):
        raw.values[full] = json.dumps(value, sort_keys=True)
    elif isinstance(value, bool):
        raw.values[full] = "true" if value else "false"
    elif value is None:
        raw.values[full] = ""
    else:
        raw.values[full] = str(value)


def _has_secure(value: Any) -> bool:
    if isinstance(value, dict):
        return set(value) == {"secure"} or any(_has_secure(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_secure(v) for v in value)
    return False


def _redact_secure(value: Any) -> Any:
    if isinstance(value, dict):
        return SECRET if set(value) == {"secure"} else {k: _redact_secure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_secure(v) for v in value]
    return value


def read_yaml(path: Path) -> Any:
    """The project's safe YAML reader: duplicate keys, alias bombs and non-UTF-8 files are refused at their line."""
    from yamlsafe import YamlInputError, load

    try:
        return load(path)
    except YamlInputError as exc:
        raise ConfigError(str(exc), exc.hint) from None


def _mapping_at(data: Any, key: str, path: Path, shape: str) -> dict[Any, Any]:
    """``data[key]`` as a mapping ({} when absent); anything else is refused naming the file, line and key."""
    from yamlsafe import line_of

    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        line = line_of(data, key)
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"{where}: key '{key}' must be {shape}, not a {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return "list" if isinstance(value, list) else type(value).__name__
