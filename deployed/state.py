"""Read a ``pulumi stack export`` file (deployment version 3) into a resource graph.

Secrets (values carrying Pulumi's secret signature) become ``[secret]`` on the way in, so
nothing downstream can print or write them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from synth.errors import StateError
from synth.graph import SECRET, GraphResource, ResourceGraph
from synth.jsonfile import read_json
from synth.wire import SECRET_SIG, SIG_KEY


def redact_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return SECRET
        return {k: redact_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_secrets(v) for v in value]
    return value


def load_state(path: Path) -> ResourceGraph:
    if not path.exists():
        raise StateError(f"{path}: no such file", "export one with `pulumi stack export --file FILE`")
    return parse_state(read_json(path, StateError, kind="state"), source=str(path))


def parse_state(data: Any, source: str = "<state>") -> ResourceGraph:
    if not isinstance(data, dict) or "deployment" not in data:
        raise StateError(f"{source}: not a Pulumi stack export (no 'deployment' key)",
                         "export one with `pulumi stack export --file FILE`")
    version = data.get("version")
    if version != 3:
        raise StateError(f"{source}: deployment version {version!r} is not supported (expected 3)")
    deployment = data["deployment"]
    if not isinstance(deployment, dict):
        raise StateError(f"{source}: deployment: expected an object, found {type(deployment).__name__}")
    raw_resources = deployment.get("resources") or []
    if not isinstance(raw_resources, list):
        raise StateError(f"{source}: deployment.resources: expected a list, found {type(raw_resources).__name__}")
    resources: list[GraphResource] = []
    project, stack, outputs = "", "", {}
    for index, raw in enumerate(raw_resources):
        try:
            urn, type_ = raw["urn"], raw["type"]
        except (KeyError, TypeError):
            raise StateError(f"{source}: deployment.resources[{index}] has no 'urn' or 'type'") from None
        if not isinstance(urn, str) or not urn.startswith("urn:pulumi:") or not isinstance(type_, str):
            raise StateError(f"{source}: deployment.resources[{index}]: 'urn' must be a Pulumi URN string "
                             f"and 'type' a string (found {urn!r}, {type_!r})")
        for key in ("inputs", "outputs"):
            if raw.get(key) is not None and not isinstance(raw[key], dict):
                raise StateError(f"{source}: deployment.resources[{index}].{key}: expected an object")
        if type_ == "pulumi:pulumi:Stack":
            stack, project = _stack_and_project(urn)
            outputs = redact_secrets(raw.get("outputs") or {})
        resources.append(
            GraphResource(
                urn=urn,
                type=type_,
                name=urn.rsplit("::", 1)[-1],
                custom=bool(raw.get("custom", False)),
                parent=raw.get("parent"),
                provider=raw.get("provider"),
                id=raw.get("id"),
                inputs=redact_secrets(raw.get("inputs") or {}),
                outputs=redact_secrets(raw.get("outputs") or {}),
                dependencies=list(raw.get("dependencies") or []),
            )
        )
    if not project and resources:
        stack, project = _stack_and_project(resources[0].urn)
    return ResourceGraph(project=project, stack=stack, resources=resources, outputs=outputs)


def _stack_and_project(urn: str) -> tuple[str, str]:
    """``urn:pulumi:<stack>::<project>::<type>::<name>``."""
    parts = urn.split("::")
    stack = parts[0].split(":")[-1] if parts else ""
    project = parts[1] if len(parts) > 1 else ""
    return stack, project
