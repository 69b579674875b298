"""One call for the CLI: turn what the user asked to check into targets and run the baseline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable

from policies.catalog import PolicySet, load_policies
from policies.engine.checkov_run import CouncilChecks, load_checks
from policies.engine.run import Progress, run_checks
from policies.errors import PoliciesError
from policies.live_check import LiveRequest, LiveScopeError, check_live
from policies.model import FrameworkId, Suppression
from policies.output.report import Acceptance, CheckReport
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
    template_parameters: Path | None = None
    """An ARM parameters file whose values resolve the templates' parameters."""
    frameworks: list[FrameworkId] = field(default_factory=list)
    suppressions: Path | None = None
    policy_dir: Path | None = None
    today: dt.date | None = None
    acceptance: Acceptance = field(default_factory=Acceptance)
    """What may go unchecked without the run being incomplete (--strict, --allow-unrendered, --allow-empty)."""
    python: Path | None = None
    """``--python``: the interpreter that synthesizes programs (default: each program's virtualenv, else borough's)."""
    install: bool = False
    """``--install``: synthesize programs in virtualenvs built from their own requirements."""
    timeout: float | None = None
    """``--timeout``: seconds each program's synthesis may take (default ``synth.run.DEFAULT_TIMEOUT``)."""
    live: LiveRequest | None = None
    """``check --live``: what is deployed in Azure instead of stacks, programs or templates
    (``states`` then only name deployed resources as managed; see ``policies.live_check``)."""


def resolve_targets(request: CheckRequest, progress: Progress | None = None) -> list[Target]:
    """Read or synthesize every input, in order (stacks, program, states, templates)."""
    if request.program is not None and not request.program_stack:
        raise NothingToCheck("--program needs --stack NAME (the stack whose Pulumi.<stack>.yaml config to use)")
    if request.install and request.program is None:
        raise NothingToCheck("--install builds the environment of --program DIR; name the program with --program")
    if request.program_stack and request.program is None:
        raise NothingToCheck("--stack names the stack of --program DIR; to check a bundled stack pass its name as STACK")
    from synth.batch import prefetch_stacks
    from synth.run import DEFAULT_TIMEOUT, SynthOptions

    synth = SynthOptions(python=request.python, timeout=request.timeout or DEFAULT_TIMEOUT)  # one cache: each stack synthesized once
    names = list(request.stacks)
    if request.all_stacks:
        names += [n for n in all_stack_names() if n not in names]
    loaders: list[tuple[str, Callable[[], Target]]] = [(f"synthesizing {n}", partial(from_stack, n, synth)) for n in names]
    if request.program is not None and request.program_stack:
        own = replace(synth, install=request.install)  # --install is the program's; the bundled stacks are borough's
        loaders.append((f"synthesizing {request.program}", partial(from_program, request.program, request.program_stack, own)))
    loaders += [(f"reading {p.name}", partial(from_state, p)) for p in request.states]
    if request.template_parameters is not None and not request.templates:
        raise NothingToCheck("--parameters gives values for --template; name the template with --template FILE")
    loaders += [(f"reading {p.name}", partial(from_template, p, request.template_parameters)) for p in request.templates]
    targets = []
    prefetch_stacks(names, synth)  # the stacks synthesize at once (grouped: see synth.batch)
    try:
        for index, (label, load) in enumerate(loaders):
            if progress:
                progress(index, len(loaders), label)
            targets.append(load())
    finally:
        synth.cache.stop()  # an input that failed leaves no synthesis running
    if not targets:
        raise NothingToCheck("nothing to check", "name a STACK, or use --all, --program DIR --stack NAME, --state FILE or --template FILE")
    return targets


def load_baseline(policy_dir: Path | None, suppressions: Path | None) -> tuple[PolicySet, list[Suppression]]:
    """The policy set and the suppressions that apply (default: the policy directory's file)."""
    policies = load_policies(policy_dir)
    suppressions_file = suppressions or (policies.root / "suppressions.yaml")
    if suppressions is not None and not suppressions.exists():
        raise NothingToCheck(f"{suppressions}: no such suppressions file")
    return policies, load_suppressions(suppressions_file) if suppressions_file.exists() else []


def check(request: CheckRequest, progress: Progress | None = None) -> CheckReport:
    """Read every input first (bad input fails before any checking), then run the checks."""
    policies, suppressions = load_baseline(request.policy_dir, request.suppressions)
    if request.live is not None:
        return _check_live(request, request.live, policies, suppressions, progress)
    targets, checks = _resolve_while_loading_checks(request, policies, progress)
    return run_checks(targets, policies=policies, suppressions=suppressions, frameworks=request.frameworks,
                      today=request.today, progress=progress,
                      acceptance=request.acceptance, checks=checks)


def _resolve_while_loading_checks(request: CheckRequest, policies: PolicySet,
                                  progress: Progress | None) -> tuple[list[Target], CouncilChecks]:
    """Read or synthesize the inputs while checkov and the council checks load in a thread: a
    synthesis child (interpreter start, SDK import, the program) runs in its own process, so the
    seconds checkov takes to import are no longer added to it. A check that fails to load is
    raised after the inputs, which stay bad input first."""
    import threading

    box: dict[str, object] = {}

    def load() -> None:
        try:
            box["checks"] = load_checks(policies)
        except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread below
            box["error"] = exc

    # A daemon thread: when an input is bad the command ends at once, without waiting for checkov.
    loading = threading.Thread(target=load, name="borough-load-checks", daemon=True)
    loading.start()
    targets = resolve_targets(request, progress)
    loading.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return targets, box["checks"]  # type: ignore[return-value]


def _check_live(request: CheckRequest, live: LiveRequest, policies: PolicySet, suppressions: list[Suppression],
                progress: Progress | None) -> CheckReport:
    if request.stacks or request.all_stacks or request.program is not None or request.templates:
        raise LiveScopeError("--live checks what is deployed; check stacks, programs and templates in a separate run",
                             "drop STACK/--all/--program/--template, or --live")
    live = replace(live, states=[*live.states, *request.states])
    return check_live(live, policies, suppressions, request.frameworks, request.today, progress, request.acceptance)
