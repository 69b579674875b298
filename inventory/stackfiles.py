"""Where this repository's Pulumi stack files are, and which system each one hosts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

from inventory.errors import InventoryError

SYSTEM_ID_KEY = "borough:systemId"


def repo_root() -> Path:
    """``BOROUGH_ROOT``, else the checkout the ``inventory`` package was installed from."""
    env = os.environ.get("BOROUGH_ROOT")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent


def stack_file(stack: str, root: Path | None = None) -> Path:
    return (root or repo_root()) / f"Pulumi.{stack}.yaml"


def read_stacks(root: Path | None = None) -> tuple[dict[str, str], set[str]]:
    """(stack name -> its ``borough:systemId``, every stack name) from ``Pulumi.<stack>.yaml`` files.

    A stack file that cannot be parsed is an error rather than a stack silently left out.
    """
    source = "--root" if root is not None else ("BOROUGH_ROOT" if os.environ.get("BOROUGH_ROOT") else "the checkout")
    root = root or repo_root()
    if not root.is_dir():
        raise InventoryError(
            f"{source} {root} is not a directory: there are no stack files to compare",
            hint="give --root (or BOROUGH_ROOT) the repository holding the Pulumi.<stack>.yaml files",
        )
    ids: dict[str, str] = {}
    names: set[str] = set()
    for name, config in _stack_configs(root):
        names.add(name)
        value = _config_value(config, SYSTEM_ID_KEY)
        if value:
            ids[name] = value
    return ids, names


STAGE_KEY = "borough:stage"


def read_stack_stages(root: Path | None = None) -> dict[str, str]:
    """Stack name -> its ``borough:stage`` (dev, test, prod), which its resources carry as their
    ``environment`` tag: what tells a prod stack's resources from a dev stack sharing its system-id."""
    stages: dict[str, str] = {}
    for name, config in _stack_configs(root or repo_root()):
        value = _config_value(config, STAGE_KEY)
        if value:
            stages[name] = value
    return stages


def _stack_configs(root: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(stack name, its ``config:`` mapping) for each ``Pulumi.<stack>.yaml`` under ``root``; a
    file that cannot be parsed is an error rather than a stack silently left out."""
    from yamlsafe import YamlInputError, load

    for path in sorted(root.glob("Pulumi.*.yaml")):
        try:
            data = load(path) or {}
        except YamlInputError as exc:
            raise InventoryError(str(exc), exc.hint or "fix the stack file: it must be UTF-8 YAML with unique keys") from None
        config = data.get("config") if isinstance(data, dict) else None
        yield path.name[len("Pulumi.") : -len(".yaml")], config if isinstance(config, dict) else {}


def _config_value(config: dict[str, Any], key: str) -> str | None:
    """A plain config value (or the ``value`` of its object form), when it is a non-empty string."""
    value = config.get(key)
    if isinstance(value, dict):
        value = value.get("value")
    return value if isinstance(value, str) and value else None
