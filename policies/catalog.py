"""Load and cross-check the policy directory: baseline, council check metadata, frameworks.

A broken or inconsistent policy file stops the run (exit 2) naming the file and key: a baseline
that silently lost a check would look like a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from policies.errors import PolicyFileError
from policies.compliance.initiatives import Evidence, Initiative, initiative_files
from policies.model import Baseline, CheckMeta, Framework, FrameworkId

POLICY_DIR = Path(__file__).resolve().parent
M = TypeVar("M", bound=BaseModel)


@dataclass
class PolicySet:
    root: Path
    baseline: Baseline
    council: dict[str, CheckMeta] = field(default_factory=dict)
    modules: dict[str, Path] = field(default_factory=dict)
    """Council check ID -> the Python file that implements it."""
    frameworks: dict[FrameworkId, Framework] = field(default_factory=dict)
    initiatives: dict[str, Initiative] = field(default_factory=dict)
    """Azure Policy initiative id (``ncsc-caf-v3.2``) -> its policies and how borough evidences them."""

    @property
    def enforced(self) -> list[str]:
        return sorted(self.baseline.checks)

    @property
    def builtin_ids(self) -> list[str]:
        return sorted(c for c in self.baseline.checks if c not in self.council)

    def remediation_of(self, check_id: str, hint: str | None = None) -> str | None:
        """How to fix a failure of ``check_id``: the baseline's word, else the council check's,
        else ``hint`` (what checkov states the check wants); None when none says."""
        meta = self.council.get(check_id)
        return self.baseline.checks[check_id].remediation or (meta.remediation if meta else None) or hint or None

    def requirements_of(self, check_id: str) -> dict[FrameworkId, list[str]]:
        found: dict[FrameworkId, list[str]] = {}
        for fw in self.frameworks.values():
            ids = [r.id for r in fw.requirements if check_id in r.checks]
            if ids:
                found[fw.id] = ids
        return found


def read_yaml(path: Path, model: type[M]) -> M:
    """A policy or suppressions file through the project's safe YAML reader, validated as ``model``.

    Duplicate keys, alias bombs and non-UTF-8 files are refused at their line; a value the model
    refuses is named by its key path and, where known, its line."""
    from yamlsafe import YamlInputError, load

    if not path.is_file():
        raise PolicyFileError(f"{path}: no such file")
    try:
        data: Any = load(path)
    except YamlInputError as exc:
        raise PolicyFileError(str(exc), exc.hint) from None
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        line = _line_at(data, first["loc"])
        raise PolicyFileError(f"{path}:{line}: {key}: {first['msg']}" if line else f"{path}: {key}: {first['msg']}") from None


def _line_at(data: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest key of ``loc`` that the YAML reader located (0 when none)."""
    from yamlsafe import line_of

    line = 0
    for part in loc:
        if isinstance(data, dict) and part in data:
            line = line_of(data, part) or line
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
            line = line_of(data) or line
        else:
            break
    return line


def load_policies(root: Path | None = None) -> PolicySet:
    root = (root or POLICY_DIR).resolve()
    baseline = read_yaml(root / "baseline.yaml", Baseline)
    policies = PolicySet(root=root, baseline=baseline)
    for meta_path in sorted((root / "checks").glob("*.yaml")):
        meta = read_yaml(meta_path, CheckMeta)
        module = meta_path.with_suffix(".py")
        if not module.exists():
            raise PolicyFileError(f"{meta_path}: no check module {module.name} beside it")
        if meta.id in policies.council:
            raise PolicyFileError(f"{meta_path}: id: {meta.id} is already defined by {policies.modules[meta.id].name}")
        policies.council[meta.id] = meta
        policies.modules[meta.id] = module
    for fw_path in sorted((root / "frameworks").glob("*.yaml")):
        framework = read_yaml(fw_path, Framework)
        policies.frameworks[framework.id] = framework
        _in_baseline(fw_path, [(req.id, req.checks) for req in framework.requirements], baseline)
    for path in initiative_files(root):
        initiative = read_yaml(path, Initiative)
        policies.initiatives[initiative.id] = initiative
        _in_baseline(path, [(policy.id, policy.checks) for policy in initiative.policies], baseline)
    _cross_check(root, policies)
    _cross_check_initiatives(policies)
    return policies


def _in_baseline(path: Path, named: list[tuple[str, list[str]]], baseline: Baseline) -> None:
    """Every check a framework requirement or initiative policy names is enforced."""
    for owner, checks in named:
        for check_id in checks:
            if check_id not in baseline.checks:
                raise PolicyFileError(f"{path}: {owner}: {check_id} is not in the baseline",
                                      "add it to baseline.yaml or name another check")


def _cross_check_initiatives(policies: PolicySet) -> None:
    """A council check's ``azure_policy`` lists exactly the initiative policies that name it."""
    named: dict[str, set[str]] = {}
    listed: set[str] = set()
    for initiative in policies.initiatives.values():
        for policy in initiative.policies:
            listed.add(policy.id)
            if policy.evidence in (Evidence.checked, Evidence.live_only):
                for check_id in policy.evidenced_by:
                    named.setdefault(check_id, set()).add(policy.id)
    for check_id, meta in policies.council.items():
        declared = {p for p in meta.azure_policy if p in listed}
        if declared != named.get(check_id, set()):
            raise PolicyFileError(
                f"{policies.modules[check_id].with_suffix('.yaml')}: azure_policy: {sorted(declared)} disagrees with "
                f"the initiative files, which name {check_id} for {sorted(named.get(check_id, set()))}")


def _cross_check(root: Path, policies: PolicySet) -> None:
    for check_id in policies.baseline.checks:
        if check_id.startswith("CKV_BOROUGH_") and check_id not in policies.council:
            raise PolicyFileError(f"{root / 'baseline.yaml'}: checks.{check_id}: no council check has this id")
    for check_id, meta in policies.council.items():
        if check_id not in policies.baseline.checks:
            raise PolicyFileError(f"{root / 'baseline.yaml'}: checks: council check {check_id} is not in the baseline")
        mapped = policies.requirements_of(check_id)
        declared = {fw: sorted(ids) for fw, ids in meta.frameworks.items() if ids}
        if {fw: sorted(ids) for fw, ids in mapped.items()} != declared:
            raise PolicyFileError(
                f"{policies.modules[check_id].with_suffix('.yaml')}: frameworks: {declared} "
                f"disagrees with the framework files ({ {k.value: v for k, v in mapped.items()} })"
            )
