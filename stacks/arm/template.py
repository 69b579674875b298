"""ARM template files: read one a reviewer hands us, write the ones we render for checkov."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stacks.arm.render import RenderResult, render_graph
from stacks.errors import StacksError
from stacks.state import load_state


class TemplateError(StacksError):
    """An ARM template file cannot be read."""


def load_template(path: Path) -> RenderResult:
    """An ARM template file as a render result (its resources have no Pulumi URN)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise TemplateError(f"{path}: not a UTF-8 text file") from None
    except json.JSONDecodeError as exc:
        raise TemplateError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
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
    return RenderResult(template=data, rendered=len(data["resources"]))


def render_state(path: Path) -> RenderResult:
    """A ``pulumi stack export`` file rendered to one ARM template."""
    return render_graph(load_state(path))


def dump_template(template: dict[str, Any]) -> str:
    """Byte-identical text for the same template."""
    return json.dumps(template, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
