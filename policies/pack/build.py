"""Write the council baseline as a Pulumi policy pack directory (``borough policies pack``).

The pack is plain files: ``PulumiPolicy.yaml``, the pack code (``__main__.py``, which imports only
pulumi-policy), its locked ``requirements.txt``, ``borough-pack.json`` (the checks, their
enforcement levels and how to reach borough) and ``policy-config.schema.json`` (what a
``--policy-pack-config`` file may say). It is written beside the target and renamed into place,
so a failed write leaves nothing half-done.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policies.errors import PoliciesError
from policies.model import Severity

TEMPLATE = Path(__file__).parent / "template"
PACK_FILES = ("PulumiPolicy.yaml", "__main__.py", "requirements.txt", "borough-pack.json", "policy-config.schema.json")
RUN_POLICY = "borough-run"
EXPIRED_POLICY = "borough-expired-suppressions"
LEVELS = ("advisory", "mandatory", "disabled")


class PackError(PoliciesError):
    """The output directory cannot take the pack (bad input, exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class PackOptions:
    mandatory: frozenset[Severity] = frozenset({Severity.critical, Severity.high})
    """Severities whose checks block `pulumi up` (mandatory); the rest are advisory."""
    command: str = "borough"
    """How the pack runs borough (a command line; borough must be installed where Pulumi runs)."""
    suppressions: str | None = None
    policy_dir: Path | None = None
    name: str = "borough-council-baseline"
    version: str = "0.1.0"
    not_evaluated: str = "mandatory"
    expired_suppressions: str = "advisory"
    timeout: float = 600.0
    extra: dict[str, Any] = field(default_factory=dict)


def config_schema() -> dict[str, Any]:
    """The settings `borough-run` takes from a policy pack config file (override the pack's)."""
    return {"properties": {
        "command": {"type": "string", "description": "How to run borough, e.g. \"borough\" or \"/opt/borough/bin/borough\"."},
        "suppressions": {"type": "string", "description": "The council's suppressions file (default: the baseline's)."},
        "policies": {"type": "string", "description": "A policy directory other than the bundled baseline."},
        "timeout": {"type": "number", "minimum": 1, "description": "Seconds borough may take to judge the stack."},
    }}


def pack_manifest(options: PackOptions) -> dict[str, Any]:
    """``borough-pack.json``: every enforced check with its enforcement level, and the settings."""
    from policies.listing import check_records

    checks = [{"id": r.id, "title": r.title, "severity": r.severity.value, "remediation": r.remediation,
               "enforcement": "mandatory" if r.severity in options.mandatory else "advisory",
               "frameworks": [f"{fw}:{req}" for fw, reqs in r.frameworks.model_dump().items() for req in reqs]}
              for r in check_records(options.policy_dir)]
    return {
        "name": options.name, "version": options.version,
        "description": "The council's security baseline (NCSC, CIS Azure) judged by borough, with the same check ids "
                       "and suppressions as `borough check`.",
        "settings": {"command": options.command, "suppressions": options.suppressions,
                     "policies": str(options.policy_dir) if options.policy_dir else None, "timeout": options.timeout},
        "not_evaluated": options.not_evaluated, "expired_suppressions": options.expired_suppressions,
        "config_schema": config_schema(), "checks": checks,
    }


def config_file_schema(manifest: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema of a ``pulumi preview --policy-pack-config`` file for this pack."""
    level = {"enum": list(LEVELS)}
    policy = {"oneOf": [level, {"type": "object", "properties": {"enforcementLevel": level}}]}
    run = {"oneOf": [level, {"type": "object", "additionalProperties": False,
                             "properties": {"enforcementLevel": level, **manifest["config_schema"]["properties"]}}]}
    names = [RUN_POLICY, EXPIRED_POLICY, *(c["id"] for c in manifest["checks"])]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"Policy pack config of {manifest['name']}", "type": "object", "additionalProperties": False,
            "properties": {"all": level, **{n: run if n == RUN_POLICY else policy for n in names}}}


def write_pack(output: Path, options: PackOptions) -> dict[str, Any]:
    """Write the pack into ``output`` (new, empty, or an earlier pack of borough's) and return
    its manifest."""
    if output.exists() and not output.is_dir():
        raise PackError(f"--output {output} is a file, not a directory", "name a new or empty directory")
    if output.is_dir() and any(output.iterdir()) and not (output / "borough-pack.json").is_file():
        raise PackError(f"--output {output} is not empty and holds no borough pack",
                        "name a new or empty directory (an earlier pack of borough's is replaced)")
    manifest = pack_manifest(options)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        shutil.copy(TEMPLATE / "__main__.py", staging / "__main__.py")
        shutil.copy(TEMPLATE / "requirements.txt", staging / "requirements.txt")
        (staging / "PulumiPolicy.yaml").write_text(
            f"description: {json.dumps(manifest['description'])}\nversion: {manifest['version']}\n"
            "runtime:\n  name: python\n  options:\n    virtualenv: venv\n", encoding="utf-8")
        (staging / "borough-pack.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        (staging / "policy-config.schema.json").write_text(
            json.dumps(config_file_schema(manifest), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        old = None
        if output.exists():
            old = output.with_name(f".{output.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            output.rename(old)
        staging.rename(output)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest
