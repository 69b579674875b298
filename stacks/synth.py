"""Offline synthesis: run a Pulumi Python program in-process under mocks and return its graph.

No Pulumi CLI and no cloud. Each run gets a fresh thread (so a fresh ``contextvars`` context,
which is where the Pulumi SDK keeps its settings, config and root stack) and a fresh event loop,
so several programs or stacks can be synthesized one after another in one process.

Stack references are answered, in order, from the ``stack_outputs`` argument, from the config
key ``synth:stackOutputs`` (a JSON object: referenced stack name -> outputs; the name may be the
full ``org/project/stack`` or just ``stack``), or by synthesizing the referenced stack when a
``Pulumi.<stack>.yaml`` for it sits in the same project (so a spoke sees the platform stack's
real synthesized outputs).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import re
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from stacks.errors import ConfigError, ProgramError, StacksError
from stacks.graph import ResourceGraph
from stacks.mocks import RecordingMonitor, plain
from stacks.project import (
    Project,
    RawConfig,
    apply_overrides,
    config_from_dict,
    find_project,
    program_entry,
    read_stack_config,
)

STACK_OUTPUTS_KEY = "synth:stackOutputs"
_RUN_LOCK = threading.Lock()
_STACK_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def synthesize(
    program_dir: Path,
    stack: str,
    config: dict[str, Any] | None = None,
    overrides: dict[str, str] | None = None,
    stack_outputs: dict[str, dict[str, Any]] | None = None,
) -> ResourceGraph:
    """Run the program in ``program_dir`` (a directory with ``__main__.py``) as ``stack``.

    ``config`` replaces the stack file's config when given; ``overrides`` are ``--config``
    KEY=VALUE pairs applied on top. Raises ``ConfigError`` for bad input and ``ProgramError``
    when the program itself raises.
    """
    with _RUN_LOCK:  # runs swap process-wide sys.path/sys.stdout; nested stack references run inside
        return _synthesize(program_dir, stack, config, overrides, stack_outputs or {}, chain=())


def _synthesize(program_dir: Path, stack: str, config: dict[str, Any] | None, overrides: dict[str, str] | None,
                stack_outputs: dict[str, dict[str, Any]], chain: tuple[str, ...]) -> ResourceGraph:
    if not _STACK_NAME.match(stack):
        raise ConfigError(f"stack name {stack!r}: use letters, digits, '-', '_' or '.'")
    program_dir = Path(program_dir).resolve()
    if not program_dir.is_dir():
        raise ConfigError(f"{program_dir}: no such program directory")
    program_dir = program_entry(program_dir)
    if not (program_dir / "__main__.py").is_file():
        raise ConfigError(f"{program_dir}: not a Pulumi Python program (no __main__.py)",
                          "point --program at the directory that holds the program's __main__.py")
    project = find_project(program_dir)
    raw = config_from_dict(project, config) if config is not None else read_stack_config(project, stack)
    apply_overrides(raw, project, overrides)
    resolver = _StackReferences(program_dir, project, raw, stack_outputs, (*chain, stack))
    monitor = RecordingMonitor(project=project.name, stack=stack, root=project.directory, stack_outputs=resolver)
    try:
        _isolated(lambda: _run(program_dir, project, stack, raw, monitor))
    except ProgramError as exc:
        if resolver.unresolved and exc.hint is None:
            names = ", ".join(sorted(resolver.unresolved))
            exc.hint = (f"stack reference {names} had no outputs offline; give them with the config key "
                        f"{STACK_OUTPUTS_KEY} (JSON: stack -> outputs)")
        raise
    resources = monitor.graph_resources()
    root = next((r for r in resources if r.type == "pulumi:pulumi:Stack"), None)
    return ResourceGraph(project=project.name, stack=stack, resources=resources,
                         outputs=dict(root.outputs) if root else {})


def synthesize_stack(stack: str, overrides: dict[str, str] | None = None) -> ResourceGraph:
    """Synthesize one of the bundled stacks (see ``stacks.catalog``)."""
    from stacks.catalog import get_stack, program_dir

    info = get_stack(stack)
    return synthesize(program_dir(), info.name, overrides=overrides)


class _StackReferences:
    def __init__(self, program_dir: Path, project: Project, raw: RawConfig, given: dict[str, dict[str, Any]],
                 chain: tuple[str, ...]) -> None:
        self.program_dir, self.project, self.given, self.chain = program_dir, project, dict(given), chain
        self.unresolved: set[str] = set()
        fixture = raw.values.get(STACK_OUTPUTS_KEY)
        if fixture:
            try:
                loaded = json.loads(fixture)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{raw.source}: key '{STACK_OUTPUTS_KEY}': not a JSON object: {exc.msg}") from None
            if not isinstance(loaded, dict):
                raise ConfigError(f"{raw.source}: key '{STACK_OUTPUTS_KEY}': expected an object of stack -> outputs")
            self.given = {**loaded, **self.given}

    def __call__(self, ref: str) -> dict[str, Any]:
        short = ref.rsplit("/", 1)[-1]
        for key in (ref, "/".join(ref.split("/")[-2:]), short):
            if key in self.given:
                return plain(self.given[key])
        stack_file = self.project.directory / f"Pulumi.{short}.yaml"
        if stack_file.is_file():
            if short in self.chain:
                raise ConfigError(f"{stack_file}: stack references form a cycle: {' -> '.join((*self.chain, short))}")
            return _sibling_outputs(self.program_dir, short, _file_digest(stack_file), self.chain)
        self.unresolved.add(ref)
        return {}


_SIBLING_CACHE: dict[tuple[str, str, str], dict[str, Any]] = {}
_SIBLING_LOCK = threading.Lock()


def _sibling_outputs(program_dir: Path, stack: str, digest: str, chain: tuple[str, ...]) -> dict[str, Any]:
    key = (str(program_dir), stack, digest)
    with _SIBLING_LOCK:
        if key in _SIBLING_CACHE:
            return _SIBLING_CACHE[key]
    outputs = _synthesize(program_dir, stack, None, None, {}, chain).outputs
    with _SIBLING_LOCK:
        _SIBLING_CACHE[key] = outputs
    return outputs


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class _Outcome:
    error: BaseException | None = None


def _isolated(fn: Callable[[], None]) -> None:
    """Run ``fn`` on a new thread in an empty context: the Pulumi SDK's state lives in contextvars."""
    outcome = _Outcome()

    def target() -> None:
        try:
            contextvars.Context().run(fn)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the caller's thread
            outcome.error = exc

    thread = threading.Thread(target=target, name="borough-synth", daemon=True)
    thread.start()
    thread.join()
    if outcome.error is not None:
        raise outcome.error


class _Engine:
    """The engine's log endpoint: program warnings go to Python logging, not stdout."""

    def Log(self, request: Any) -> None:
        import logging

        logging.getLogger("borough.synth").log(_LEVELS.get(request.severity, logging.INFO), request.message)


_LEVELS = {0: 10, 1: 20, 2: 30, 3: 40}


def _run(program_dir: Path, project: Project, stack: str, raw: RawConfig, monitor: RecordingMonitor) -> None:
    import asyncio
    import runpy

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # before importing pulumi: grpc's aio init wants a loop on this thread

    from pulumi.runtime.config import set_all_config
    from pulumi.runtime.settings import Settings, configure
    from pulumi.runtime.stack import run_in_stack

    from stacks.sdk_fastpath import fast_sdk, use_output_queue

    loop.set_exception_handler(lambda _loop, _context: None)
    configure(Settings(project=project.name, stack=stack, monitor=monitor, engine=_Engine(), dry_run=False,
                       organization="organization", root_directory=str(project.directory)))
    use_output_queue()
    set_all_config(dict(raw.values), sorted(raw.secret_keys))
    from pulumi.runtime.settings import SETTINGS

    from stacks.transforms import local_callbacks

    SETTINGS.callbacks = monitor.transforms.callbacks = local_callbacks(monitor)
    monitor.transforms.loop = loop
    monitor.transforms.context = contextvars.copy_context()
    before = set(sys.modules)

    def program() -> None:
        from pulumi.runtime.stack import register_stack_transformation

        register_stack_transformation(monitor.note_declared)
        runpy.run_path(str(program_dir), run_name="__main__")

    try:
        with fast_sdk(), contextlib.redirect_stdout(sys.stderr):  # print() must not corrupt JSON on stdout
            loop.run_until_complete(run_in_stack(program))
    except StacksError:
        raise
    except SystemExit as exc:
        raise ProgramError(f"{program_dir}: the program called exit({exc.code})") from None
    except Exception as exc:  # noqa: BLE001 - any program failure becomes a ProgramError
        raise ProgramError(_describe(exc, program_dir, project.directory)) from exc
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        loop.run_until_complete(asyncio.sleep(0))
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
        asyncio.set_event_loop(None)
        _forget_program_modules(before, program_dir)


def _forget_program_modules(before: set[str], program_dir: Path) -> None:
    """Drop the program's own helper modules so another program's same-named modules load fresh."""
    for name in set(sys.modules) - before:
        file = getattr(sys.modules.get(name), "__file__", None)
        if file and Path(file).resolve().is_relative_to(program_dir) and not name.startswith("stacks."):
            sys.modules.pop(name, None)


def _describe(exc: BaseException, program_dir: Path, project_dir: Path) -> str:
    """``file:line: Type: message`` from the deepest traceback frame in the program's own code."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_program_file(f.filename, program_dir, project_dir)]
    cause = exc
    while not frames and cause.__cause__ is not None:
        cause = cause.__cause__
        frames = [f for f in traceback.extract_tb(cause.__traceback__) if _is_program_file(f.filename, program_dir, project_dir)]
    message = f"{type(cause).__name__}: {' '.join(str(cause).split())}"  # one line, as the CLI promises
    if not frames:
        return f"{program_dir}: the program failed: {message}"
    frame = frames[-1]
    path = Path(frame.filename)
    shown = path.relative_to(project_dir).as_posix() if path.is_relative_to(project_dir) else str(path)
    return f"{shown}:{frame.lineno}: {message}"


def _is_program_file(filename: str, program_dir: Path, project_dir: Path) -> bool:
    path = Path(filename)
    if "site-packages" in path.parts or not path.is_absolute():
        return False
    return path.is_relative_to(program_dir) or path.is_relative_to(project_dir)


def synthesize_target(stack: str, program: Path | None = None, config_pairs: list[str] | None = None) -> ResourceGraph:
    """What ``borough stacks synth`` does: a bundled stack, or ``program`` as ``stack``,
    with ``KEY=VALUE`` config overrides."""
    from stacks.project import parse_override

    overrides = dict(parse_override(pair) for pair in config_pairs or [])
    if program is None:
        return synthesize_stack(stack, overrides)
    return synthesize(program, stack, overrides=overrides)
