"""The bundled stacks: one ``Pulumi.<stack>.yaml`` per stack at the repository root.

The root is found from this package's location (the install is editable); ``BOROUGH_ROOT``
points elsewhere, e.g. a checkout with different stack files.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from synth.errors import ConfigError
from synth.project import find_project, read_stack_config


@dataclass(frozen=True)
class StackInfo:
    """One bundled stack: the record ``stacks list --format json`` writes (schema generated from
    this class into docs/schemas/stacks-list.schema.json). A value the stack file leaves out is
    null, not an empty string."""

    name: Annotated[str, Field(description="The stack name: Pulumi.<name>.yaml.")]
    environment: Annotated[str | None, Field(description="borough:environment, the environment it deploys.")]
    location: Annotated[str | None, Field(description="borough:location, the Azure region.")]
    system_id: Annotated[str | None, Field(description="borough:systemId, the register's system it belongs to.")]
    stage: Annotated[str | None, Field(description="borough:stage, e.g. prod or dev.")]
    file: Annotated[str, Field(description="The stack file, relative to the checkout (BOROUGH_ROOT).")]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def repo_root() -> Path:
    override = os.environ.get("BOROUGH_ROOT")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parent.parent


def program_dir() -> Path:
    return repo_root() / "stacks"


def list_stacks() -> list[StackInfo]:
    root = repo_root()
    if not (root / "Pulumi.yaml").is_file():
        raise ConfigError(f"{root}: no Pulumi.yaml here", "set BOROUGH_ROOT to the borough checkout")
    project = find_project(root)
    stacks = []
    for path in sorted(root.glob("Pulumi.*.yaml")):
        name = path.name.removeprefix("Pulumi.").removesuffix(".yaml")
        values = read_stack_config(project, name).values
        stacks.append(StackInfo(
            name=name,
            environment=_text(values.get("borough:environment")),
            location=_text(values.get("borough:location")),
            system_id=_text(values.get("borough:systemId")),
            stage=_text(values.get("borough:stage")),
            file=path.name,
        ))
    return stacks


def _text(value: Any) -> str | None:
    """A config value as text; missing or empty is None."""
    return None if value is None or value == "" else str(value)


def get_stack(name: str) -> StackInfo:
    stacks = list_stacks()
    for info in stacks:
        if info.name == name:
            return info
    known = ", ".join(s.name for s in stacks) or "none"
    raise ConfigError(f"no stack named '{name}' (Pulumi.{name}.yaml not found in {repo_root()})",
                      f"known stacks: {known}")
