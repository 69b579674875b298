"""ARM template files: read one a reviewer hands us, write the ones we render for checkov."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from arm.expressions import parameter_values, resolve_template
from arm.render import RenderResult
from synth.errors import StacksError
from synth.jsonfile import read_json


class TemplateError(StacksError):
    """An ARM template file cannot be read."""


def load_template(path: Path, parameters: Path | None = None) -> RenderResult:
    """An ARM template file as a render result (its resources have no Pulumi URN), with its
    expressions resolved where that is possible offline (``parameters``: an ARM parameters file)."""
    data = read_json(path, TemplateError)
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise TemplateError(f"{path}: not an ARM template (no 'resources' list)",
                            "pass a deploymentTemplate JSON file, or use --state for a Pulumi stack export")
    missing = [key for key in ("$schema", "contentVersion") if key not in data]
    if missing:
        raise TemplateError(f"{path}: not an ARM deployment template (no {' or '.join(repr(k) for k in missing)})",
                            "checkov skips such files, so they would pass unchecked; add the keys or fix the file")
    for index, resource in enumerate(data["resources"]):
        if not isinstance(resource, dict) or not resource.get("type") or not resource.get("name"):
            raise TemplateError(f"{path}: resources[{index}] has no 'type' or 'name'")
        if not isinstance(resource["type"], str) or not isinstance(resource["name"], str):
            raise TemplateError(f"{path}: resources[{index}]: 'type' and 'name' must be strings")
    for section in ("parameters", "variables"):
        if section in data and not isinstance(data[section], dict):
            raise TemplateError(f"{path}: '{section}' must be an object, not {type(data[section]).__name__}")
    for name, spec in (data.get("parameters") or {}).items():
        if not isinstance(spec, dict):
            raise TemplateError(f"{path}: parameters.{name} must be an object (type, defaultValue...)")
    values = template_parameters(parameters) if parameters is not None else {}
    try:
        resolution = resolve_template(data, values)
    except RecursionError:
        raise TemplateError(f"{path}: nested too deeply to evaluate its expressions") from None
    return RenderResult(template=resolution.template, rendered=len(resolution.template["resources"]),
                        unresolved=resolution.unresolved, parameter_values=values)


def template_parameters(path: Path) -> dict[str, Any]:
    """Values from an ARM parameters file (``{"parameters": {"name": {"value": ...}}}``)."""
    data = read_json(path, TemplateError, kind="parameters")
    try:
        return parameter_values(data)
    except ValueError as exc:
        raise TemplateError(f"{path}: {exc}", "pass a deploymentParameters JSON file") from None


def dump_template(template: dict[str, Any]) -> str:
    """Byte-identical text for the same template."""
    return json.dumps(template, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
