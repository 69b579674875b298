"""One call for the CLI: turn what the user asked to check into targets and run the baseline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from policies.catalog import load_policies
from policies.engine import Progress, run_checks
from policies.errors import PoliciesError
from policies.model import FrameworkId
from policies.report import CheckReport
from policies.suppressions import load_suppressions
from policies.targets import Target, all_stack_names, from_program, from_stack, from_state, from_template


class NothingToCheck(PoliciesError):
    """No stack, program, state export or template was named."""


@dataclass
class CheckRequest:
    stacks: list[str] = field(default_factory=list)
    all_stacks: bool = False
    program: Path | None = None
    program_stack: str | None = None
    states: list[Path] = field(default_factory=list)
    templates: list[Path] = field(default_factory=list)
    frameworks: list[FrameworkId] = field(default_factory=list)
    suppressions: Path | None = None
    policy_dir: Path | None = None
    today: dt.date | None = None


def resolve_targets(request: CheckRequest) -> list[Target]:
    if request.program is not None and not request.program_stack:
        raise NothingToCheck("--program needs --stack NAME (the stack whose Pulumi.<stack>.yaml config to use)")
    if request.program_stack and request.program is None:
        raise NothingToCheck("--stack names the stack of --program DIR; to check a bundled stack pass its name as STACK")
    names = list(request.stacks)
    if request.all_stacks:
        names += [n for n in all_stack_names() if n not in names]
    targets = [from_stack(name) for name in names]
    if request.program is not None and request.program_stack:
        targets.append(from_program(request.program, request.program_stack))
    targets += [from_state(path) for path in request.states]
    targets += [from_template(path) for path in request.templates]
    if not targets:
        raise NothingToCheck("nothing to check", "name a STACK, or use --all, --program DIR --stack NAME, --state FILE or --template FILE")
    return targets


def check(request: CheckRequest, progress: Progress | None = None) -> CheckReport:
    """Read every input first (bad input fails before any checking), then run the checks."""
    policies = load_policies(request.policy_dir)
    suppressions_file = request.suppressions or (policies.root / "suppressions.yaml")
    if request.suppressions is not None and not request.suppressions.exists():
        raise NothingToCheck(f"{request.suppressions}: no such suppressions file")
    suppressions = load_suppressions(suppressions_file) if suppressions_file.exists() else []
    targets = resolve_targets(request)
    return run_checks(targets, policies=policies, suppressions=suppressions, frameworks=request.frameworks,
                      today=request.today, progress=progress)
