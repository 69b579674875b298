"""What a commit touches, as check targets (``borough check-changed``, the pre-commit hook).

A changed file belongs to the Pulumi Python program whose ``Pulumi.yaml`` is nearest above it (the
program is checked once per ``Pulumi.<stack>.yaml`` beside it); a changed ``.json`` file whose
``$schema`` is an ARM deployment template is checked as a template. Anything else is not ours.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from policies.engine.run import run_checks
from policies.errors import PoliciesError
from policies.output.report import CheckReport
from policies.request import load_baseline
from policies.targets import from_program, from_template

ARM_SCHEMA_MARK = "deploymentTemplate.json"


@dataclass
class ChangedInputs:
    programs: list[tuple[Path, str]] = field(default_factory=list)
    """(program directory, stack) pairs, in path order."""
    templates: list[Path] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.programs and not self.templates


class ProgramWithoutStack(PoliciesError):
    """A changed program has no ``Pulumi.<stack>.yaml``: there is no config to synthesize it with."""


def changed_inputs(files: list[Path]) -> ChangedInputs:
    projects: set[Path] = set()
    templates: set[Path] = set()
    for file in files:
        if file.suffix == ".json" and _is_arm_template(file):
            templates.add(file)
            continue
        project = _project_dir(file)
        if project is not None:
            projects.add(project)
    inputs = ChangedInputs(templates=sorted(templates))
    for project in sorted(projects):
        stacks = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in project.glob("Pulumi.*.yaml"))
        if not stacks:
            raise ProgramWithoutStack(f"{project / 'Pulumi.yaml'}: no Pulumi.<stack>.yaml beside it",
                                      "add the stack's config file (pulumi stack init) so the program can be checked")
        inputs.programs.extend((project, stack) for stack in stacks)
    return inputs


def check_changed(files: list[Path], policy_dir: Path | None = None, suppressions: Path | None = None,
                  today: dt.date | None = None) -> CheckReport:
    """The baseline on every program and template the files belong to (none: an empty report)."""
    from synth.run import SynthOptions

    inputs = changed_inputs(files)
    policies, active = load_baseline(policy_dir, suppressions)
    synth = SynthOptions()
    try:
        targets = [from_program(d, stack, synth) for d, stack in inputs.programs]
    finally:
        synth.cache.stop()
    targets += [from_template(t) for t in inputs.templates]
    return run_checks(targets, policies=policies, suppressions=active, today=today)


def _project_dir(file: Path) -> Path | None:
    """The nearest folder at or above ``file`` with a Pulumi.yaml; None unless its runtime is python."""
    import yaml

    for folder in file.resolve().parents:
        project = folder / "Pulumi.yaml"
        if project.is_file():
            try:
                runtime = (yaml.safe_load(project.read_text(encoding="utf-8")) or {}).get("runtime")
            except (yaml.YAMLError, AttributeError):
                return None
            name = runtime.get("name") if isinstance(runtime, dict) else runtime
            return folder if name == "python" else None
    return None


def _is_arm_template(file: Path) -> bool:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and ARM_SCHEMA_MARK in str(data.get("$schema", ""))
