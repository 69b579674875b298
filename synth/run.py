"""Offline synthesis: run a Pulumi Python program under mocks and return its resource graph.

No Pulumi CLI and no cloud. Every run happens in a child interpreter (``synth.process``
starts it, ``synth.child`` runs the program): the program's own virtualenv when its
``Pulumi.yaml`` names one (``runtime.options.virtualenv``), else ``--python PATH`` when given
(which wins over the virtualenv), else borough's interpreter. A run has a time limit, and what the
program prints never reaches borough's stdout.

Stack references are answered by this (parent) process, in order: from the ``stack_outputs``
argument, from the config key ``synth:stackOutputs`` (a JSON object: referenced stack name ->
outputs; the name may be the full ``org/project/stack`` or just ``stack``), or by synthesizing the
referenced stack when a ``Pulumi.<stack>.yaml`` for it sits in the same project (so a spoke sees
the platform stack's real synthesized outputs). That synthesis is a run of its own, in its own
child, while the asking program waits; its graph goes into the ``SynthCache`` of the call, so a
stack is synthesized once however many stacks read it (``check --all`` and ``demo`` pass one cache
for the whole command).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from synth.errors import ConfigError, ProgramError, StacksError
from synth.graph import ResourceGraph
from synth.cache import SynthCache
from synth.environment.env import Environment, choose_environment
from synth.environment.drift_hint import explain_difference
from synth.project import (
    Project,
    RawConfig,
    apply_overrides,
    config_from_dict,
    find_project,
    program_entry,
    read_stack_config,
)

STACK_OUTPUTS_KEY = "synth:stackOutputs"
CLASSIC_PREFIX = "azure:"
DEFAULT_TIMEOUT = 300.0
MAX_TIMEOUT = 3600.0
_STACK_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


@dataclass
class SynthOptions:
    """How to run syntheses: ``python`` (``--python``), ``timeout`` seconds per program run
    (``--timeout``), and the cache shared by the runs of one command."""

    python: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    cache: SynthCache = field(default_factory=SynthCache)
    install: bool = False
    """``--install``: run each program in a virtualenv built from its requirements (``synth.environment.install``)."""
    note: Callable[[str], None] = field(default_factory=lambda: _stderr_note)
    """Where a one-line note goes (a program synthesized in borough's environment, say)."""
    _noted: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not 1 <= float(self.timeout) <= MAX_TIMEOUT:
            raise ConfigError(f"--timeout {self.timeout:g}: give between 1 and {MAX_TIMEOUT:g} seconds")
        if self.python is not None and self.install:
            raise ConfigError("--python and --install both choose the interpreter: give one of them")
        if self.python is not None and not (Path(self.python).is_file() and os.access(self.python, os.X_OK)):
            raise ConfigError(f"--python {self.python}: no such Python interpreter (not an executable file)",
                              "point --python at the python of the program's virtualenv, e.g. venv/bin/python")


def synthesize(
    program_dir: Path,
    stack: str,
    config: dict[str, Any] | None = None,
    overrides: dict[str, str] | None = None,
    stack_outputs: dict[str, dict[str, Any]] | None = None,
    options: SynthOptions | None = None,
) -> ResourceGraph:
    """Run the program in ``program_dir`` (a directory with ``__main__.py``, or a project whose
    ``Pulumi.yaml`` names one with ``main``) as ``stack``.

    ``config`` replaces the stack file's config when given; ``overrides`` are ``--config``
    KEY=VALUE pairs applied on top. Raises ``ConfigError`` for bad input, ``ProgramError`` when
    the program raises or ends without a graph, ``SynthesisTimeout`` (exit 3) when it runs out of
    time.
    """
    own = options is None
    options = options or SynthOptions()
    try:
        return _synthesize(program_dir, stack, config, overrides, stack_outputs or {}, options, chain=())
    finally:
        if own:
            options.cache.stop()  # a speculative run of a sibling (see _speculate) must not outlive the call


def synthesize_stack(stack: str, overrides: dict[str, str] | None = None,
                     options: SynthOptions | None = None) -> ResourceGraph:
    """Synthesize one of the bundled stacks (see ``synth.catalog``)."""
    from synth.catalog import get_stack, program_dir

    info = get_stack(stack)
    return synthesize(program_dir(), info.name, overrides=overrides, options=options)


def synthesize_target(stack: str, program: Path | None = None, config_pairs: list[str] | None = None,
                      options: SynthOptions | None = None) -> ResourceGraph:
    """What ``borough stacks synth`` does: a bundled stack, or ``program`` as ``stack``,
    with ``KEY=VALUE`` config overrides."""
    from synth.project import parse_override

    overrides = dict(parse_override(pair) for pair in config_pairs or [])
    options = options or SynthOptions()
    try:
        if program is None:
            return synthesize_stack(stack, overrides, options)
        return synthesize(program, stack, overrides=overrides, options=options)
    finally:
        options.cache.stop()  # the command ends: no child outlives it


@dataclass(frozen=True)
class Program:
    """A program resolved to run: where it is, its project, its config and its interpreter."""

    directory: Path
    shown: str
    project: Project
    stack: str
    raw: RawConfig
    environment: Environment

    @property
    def python(self) -> Path:
        return self.environment.python


def _synthesize(program_dir: Path, stack: str, config: dict[str, Any] | None, overrides: dict[str, str] | None,
                stack_outputs: dict[str, dict[str, Any]], options: SynthOptions, chain: tuple[str, ...],
                waiter: str | None = None) -> ResourceGraph:
    program = resolve_program(program_dir, stack, config, overrides, options)
    references = References(program, stack_outputs, options, (*chain, stack))
    where = f"{program.project.directory / f'Pulumi.{stack}.yaml'}: "
    return options.cache.get(references.key, stack, lambda: run_program(program, references, options), waiter, where)


def resolve_program(program_dir: Path, stack: str, config: dict[str, Any] | None, overrides: dict[str, str] | None,
                    options: SynthOptions) -> Program:
    if not _STACK_NAME.match(stack):
        raise ConfigError(f"stack name {stack!r}: use letters, digits, '-', '_' or '.'")
    shown = str(program_dir)
    program_dir = Path(program_dir).resolve()
    if not program_dir.is_dir():
        raise ConfigError(f"{shown}: no such program directory")
    program_dir = program_entry(program_dir)
    if not (program_dir / "__main__.py").is_file():
        raise ConfigError(f"{shown}: not a Pulumi Python program (no __main__.py)",
                          "point --program at the directory that holds the program's __main__.py")
    project = find_project(program_dir)
    raw = config_from_dict(project, config) if config is not None else read_stack_config(project, stack)
    apply_overrides(raw, project, overrides)
    environment = choose_environment(project, options.python, options.install)
    if environment.note and str(project.directory) not in options._noted:
        options._noted.add(str(project.directory))
        options.note(environment.note)
    return Program(program_dir, _shown(program_dir), project, stack, raw, environment)


def run_program(program: Program, references: "References", options: SynthOptions) -> ResourceGraph:
    from synth.process import ChildRun, run_child

    _speculate(program, references, options)

    request = child_request(program)
    # The Pulumi CLI runs a program in its own directory (``main`` when Pulumi.yaml names one).
    result = run_child(ChildRun(python=program.python, request=request, cwd=program.directory,
                                timeout=float(options.timeout), shown_program=program.shown,
                                group=options.cache.children), references)
    error = result.get("error")
    if error is not None:
        raise explain_difference(rebuild_error(error, result.get("unresolved") or []), error.get("module"), program.environment)
    graph = ResourceGraph.from_dict(result["graph"])
    classic = sum(1 for r in graph.resources if r.type.startswith(CLASSIC_PREFIX))
    if classic:
        options.note(f"{program.shown}: {classic} resource(s) of the classic azure provider: borough renders azure-native "
                     f"resources to ARM, so these are listed as not rendered (exit 3 unless --allow-unrendered)")
    return graph


def child_request(program: Program) -> dict[str, Any]:
    """What the synthesis child needs to run ``program`` (see ``synth.child``)."""
    return {
        "program_dir": str(program.directory), "project": program.project.name,
        "project_dir": str(program.project.directory), "stack": program.stack,
        "config": dict(program.raw.values), "secret_keys": sorted(program.raw.secret_keys),
        "shown_project": _shown(program.project.directory), "shown_program": program.shown,
    }


def _speculate(program: Program, references: "References", options: SynthOptions) -> None:
    """Start synthesizing, alongside this program, the sibling stacks its config names in full
    (``org/<this project>/<stack>``, the form a ``StackReference`` takes from config, as the
    bundled spokes' ``borough:platformStack``), so the graph is ready, or nearly, when the
    program asks. The run goes into the cache: the real question waits for it rather than
    starting another. A guess that turns out wrong costs CPU, never correctness."""
    for sibling, full in sorted(named_siblings(program).items()):
        if references(full, lookup_only=True) is not None:
            continue

        def run(name: str = sibling) -> None:
            try:
                _synthesize(program.directory, name, None, None, {}, options, references.chain)
            except BaseException:  # noqa: BLE001 - the program's own question raises it, if it asks
                pass

        threading.Thread(target=run, name=f"borough-synth-{sibling}", daemon=True).start()


def named_siblings(program: Program) -> dict[str, str]:
    """Sibling stack -> the full name the config gives it."""
    found = {}
    for value in program.raw.values.values():
        parts = value.split("/") if isinstance(value, str) and value.count("/") == 2 else []
        if len(parts) == 3 and parts[1] == program.project.name and parts[2] != program.stack \
                and _STACK_NAME.match(parts[2]) and (program.project.directory / f"Pulumi.{parts[2]}.yaml").is_file():
            found[parts[2]] = value
    return found


def rebuild_error(error: dict[str, Any], unresolved: list[str]) -> StacksError:
    """The child's error as the exception class it was (ConfigError from the bundled program's
    config validation stays a ConfigError)."""
    from synth import errors

    cls = getattr(errors, str(error.get("class")), None)
    if not (isinstance(cls, type) and issubclass(cls, StacksError)):
        cls = ProgramError
    exc = cls(str(error.get("message")), error.get("hint"))
    if isinstance(error.get("exit_code"), int):
        exc.exit_code = error["exit_code"]
    if unresolved and exc.hint is None and isinstance(exc, ProgramError):
        exc.hint = (f"stack reference {', '.join(unresolved)} had no outputs offline; give them with the config key "
                    f"{STACK_OUTPUTS_KEY} (JSON: stack -> outputs)")
    return exc


class References:
    """Answers the child's stack-reference questions (see the module docstring for the order)."""

    def __init__(self, program: Program, given: dict[str, dict[str, Any]], options: SynthOptions,
                 chain: tuple[str, ...]) -> None:
        self.program, self.options, self.chain = program, options, chain
        self.given = dict(given)
        fixture = program.raw.values.get(STACK_OUTPUTS_KEY)
        if fixture:
            try:
                loaded = json.loads(fixture)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{program.raw.source}: key '{STACK_OUTPUTS_KEY}': not a JSON object: {exc.msg}") from None
            if not isinstance(loaded, dict):
                raise ConfigError(f"{program.raw.source}: key '{STACK_OUTPUTS_KEY}': expected an object of stack -> outputs")
            self.given = {**loaded, **self.given}
        self.key = _cache_key(program, self.given)

    def __call__(self, ref: str, lookup_only: bool = False) -> dict[str, Any] | None:
        """The outputs of stack ``ref``; ``lookup_only``: only what was given, no synthesis."""
        short = ref.rsplit("/", 1)[-1]
        for key in (ref, "/".join(ref.split("/")[-2:]), short):
            if key in self.given:
                return self.given[key]
        if lookup_only:
            return None
        stack_file = self.program.project.directory / f"Pulumi.{short}.yaml"
        if not _STACK_NAME.match(short) or not stack_file.is_file():
            return None
        if short in self.chain:
            raise ConfigError(f"{stack_file}: stack references form a cycle: {' -> '.join((*self.chain, short))}")
        return _synthesize(self.program.directory, short, None, None, {}, self.options, self.chain, self.key).outputs


def _cache_key(program: Program, given: dict[str, Any]) -> str:
    data = {"python": str(program.python), "program": str(program.directory), "stack": program.stack,
            "config": program.raw.values, "secret": sorted(program.raw.secret_keys), "given": given}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _stderr_note(text: str) -> None:
    import sys

    sys.stderr.write(f"borough: note: {text}\n")
    sys.stderr.flush()


def _shown(path: Path) -> str:
    """``path`` as the user reads it: relative to the working directory when inside it."""
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return str(path)
    return relative.as_posix() or "."
