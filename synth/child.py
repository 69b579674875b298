"""The synthesis child: run one Pulumi program under borough's mocks and write its graph as JSON.

``synth.process`` starts this in a fresh interpreter (the program's own virtualenv, or
``--python``, or borough's), so it must need only the Pulumi SDK and this ``stacks`` package:
nothing here imports borough's other packages or third-party libraries beyond ``pulumi``.

The parent hands over a request file (program, stack, config, where to write the result, and two
pipe descriptors). A ``StackReference`` is answered by the parent over those pipes: the child
writes ``{"ref": name}`` and blocks that one gRPC thread until the parent answers with the
referenced stack's outputs, so the referenced stack is synthesized in its own process, never
inside this program's event loop. The result (the graph, or the program's error described while
its traceback still exists) is written atomically; a child that ends without writing it (the
program called ``os._exit``, crashed, was killed) is reported by the parent.

After writing, the child ends with ``os._exit``: threads the program left running cannot keep it
alive, and tearing down a large run's heap object by object is skipped.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any, Iterator

LOGGER = "borough.synth"
MAX_LOG_RECORDS = 100_000


def main(request_path: str) -> None:
    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    logs = _LogCollector(int(request.get("log_level", logging.WARNING)))
    logging.getLogger(LOGGER).addHandler(logs)
    logging.getLogger(LOGGER).setLevel(logs.level)
    logging.getLogger(LOGGER).propagate = False
    references = _ParentReferences(request.get("ask_fd"), request.get("answer_fd"))
    if "runs" in request:
        result: dict[str, Any] = {"runs": _run_batch(request["runs"], references)}
    else:
        result = _run_one(request, references)
    result["logs"] = logs.records
    gc.disable()  # the child ends right after writing: a collection now scans the whole run for nothing
    target = Path(request["result"])
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    tmp.replace(target)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(0)


def _run_one(request: dict[str, Any], references: Any) -> dict[str, Any]:
    from synth.mocks.engine import UNANSWERED, unanswered_error

    UNANSWERED.clear()
    try:
        result: dict[str, Any] = {"graph": _synthesize(request, references)}
    except BaseException as exc:  # noqa: BLE001 - everything the program raises is reported, not shown
        result = {"error": _error(exc, request)}
    unanswered = unanswered_error()  # an SDK newer than borough: never blamed on the program
    if unanswered is not None:
        result = {"error": unanswered}
    result["unresolved"] = sorted(references.unresolved)
    return result


def _run_batch(runs: list[dict[str, Any]], parent: "_ParentReferences") -> list[dict[str, Any]]:
    """Several stacks of one program, one after another in this process (``synth.batch``):
    the SDK and provider modules are imported once. Each run gets a fresh thread, so a fresh
    ``contextvars`` context for the SDK's settings, and a fresh event loop. A reference to a stack
    this batch already synthesized is answered from its graph, as the parent would answer it."""
    done: dict[str, dict[str, Any]] = {}
    results = []
    for request in runs:
        references = _BatchReferences(parent, done, request["project"])
        box: dict[str, dict[str, Any]] = {}
        worker = threading.Thread(target=lambda: box.setdefault("result", _run_one(request, references)),
                                  name=f"borough-synth-{request['stack']}")
        worker.start()
        worker.join()
        result = box.get("result") or {"error": {"class": "ProgramError", "exit_code": 2, "hint": None,
                                                 "message": f"{request['shown_program']}: the run ended without a result"}}
        if "graph" in result:
            done[request["stack"]] = result["graph"]
        results.append(result)
    return results


class _BatchReferences:
    """A run's stack references within a batch: the batch's own earlier stacks first, then the parent."""

    def __init__(self, parent: "_ParentReferences", done: dict[str, dict[str, Any]], project: str) -> None:
        self.parent, self.done, self.project = parent, done, project
        self.unresolved: set[str] = set()

    def __call__(self, ref: str) -> dict[str, Any]:
        from synth.wire import plain

        parts = ref.split("/")
        if parts[-1] in self.done and (len(parts) < 3 or parts[-2] == self.project):
            return plain(self.done[parts[-1]].get("outputs") or {})
        before = set(self.parent.unresolved)
        outputs = self.parent(ref)
        self.unresolved |= self.parent.unresolved - before
        return outputs


class _LogCollector(logging.Handler):
    """Program warnings and SDK log lines, handed back to the parent's ``borough.synth`` logger."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[list[Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < MAX_LOG_RECORDS:
            self.records.append([record.levelno, record.getMessage()])


class _ParentReferences:
    """A stack reference's outputs, asked of the parent (one question at a time)."""

    def __init__(self, ask_fd: int | None, answer_fd: int | None) -> None:
        self.unresolved: set[str] = set()
        self._lock = threading.Lock()
        self._ask = os.fdopen(ask_fd, "w", encoding="utf-8") if ask_fd is not None else None
        self._answer = os.fdopen(answer_fd, "r", encoding="utf-8") if answer_fd is not None else None

    def __call__(self, ref: str) -> dict[str, Any]:
        from synth.wire import plain

        outputs = None
        if self._ask is not None and self._answer is not None:
            with self._lock:
                self._ask.write(json.dumps({"ref": ref}) + "\n")
                self._ask.flush()
                line = self._answer.readline()
            outputs = json.loads(line).get("outputs") if line else None
        if outputs is None:
            self.unresolved.add(ref)
            return {}
        return plain(outputs)


def _synthesize(request: dict[str, Any], references: _ParentReferences) -> dict[str, Any]:
    from synth.graph import ResourceGraph
    from synth.mocks.monitor import RecordingMonitor

    project_dir = Path(request["project_dir"])
    monitor = RecordingMonitor(project=request["project"], stack=request["stack"], root=project_dir,
                               stack_outputs=references)
    _run(request, monitor)
    # The run's objects are all still alive: a collection now would scan them for nothing (it
    # cost a second at 1,000 resources), and the graph is only copied out before the child ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        resources = monitor.graph_resources()
        root = next((r for r in resources if r.type == "pulumi:pulumi:Stack"), None)
        graph = ResourceGraph(project=request["project"], stack=request["stack"], resources=resources,
                              outputs=dict(root.outputs) if root else {})
        return graph.to_dict()
    finally:
        if collecting:
            gc.enable()


def _run(request: dict[str, Any], monitor: Any) -> None:
    import asyncio
    import runpy

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # before importing pulumi: grpc's aio init wants a loop on this thread

    from pulumi.runtime.stack import register_stack_transformation, run_in_stack

    from synth.sdk.sdk_fastpath import fast_sdk

    try:
        _configure(request, monitor, loop)
    except Exception as exc:  # noqa: BLE001 - the SDK, not the program, failed: never blamed on the program
        if isinstance(exc, ImportError) and getattr(exc, "name", None) == "pulumi":
            raise
        from synth.mocks.engine import OLDEST_SDK, sdk_version
        from synth.errors import UnsupportedSdk

        raise UnsupportedSdk(f"the program's Pulumi SDK {sdk_version()} cannot be run by borough's engine "
                             f"({type(exc).__name__}: {exc}): nothing was checked",
                             f"borough runs programs on pulumi {OLDEST_SDK} and newer; use --install or --python "
                             f"with a newer SDK") from None

    from synth.mocks.classic import install_if_absent
    from synth.program_errors import remember

    install_if_absent()  # a classic azure: program runs; its resources are listed as not rendered

    def program() -> None:
        register_stack_transformation(monitor.note_declared)
        try:
            runpy.run_path(request["program_dir"], run_name="__main__")
        except BaseException as exc:
            remember(exc)
            raise

    with fast_sdk(), _remembering_apply_errors():
        loop.run_until_complete(run_in_stack(program))


def _configure(request: dict[str, Any], monitor: Any, loop: Any) -> None:
    """Point the SDK at borough's engine."""
    import contextvars

    from pulumi.runtime.config import set_all_config
    from pulumi.runtime.settings import SETTINGS, Settings, configure

    from synth.mocks.engine import MockEngine
    from synth.sdk.sdk_fastpath import use_output_queue
    from synth.mocks.transforms import local_callbacks

    loop.set_exception_handler(lambda _loop, _context: None)
    configure(Settings(project=request["project"], stack=request["stack"], monitor=monitor, engine=MockEngine(),
                       dry_run=False, organization="organization", **_since_sdk(Settings, root_directory=request["project_dir"])))
    use_output_queue()  # fenced by SDK version in synth.sdk.sdk_versions, as fast_sdk is
    set_all_config(dict(request["config"]), sorted(request["secret_keys"]))
    try:
        SETTINGS.callbacks = monitor.transforms.callbacks = local_callbacks(monitor)
    except ImportError:  # an SDK from before resource transforms: nothing will call back
        pass
    monitor.transforms.loop = loop
    monitor.transforms.context = contextvars.copy_context()


def _since_sdk(cls: Any, **arguments: Any) -> dict[str, Any]:
    """The keyword arguments ``cls`` takes in this SDK (``root_directory`` came in a 3.1xx release)."""
    import inspect

    accepted = inspect.signature(cls.__init__).parameters
    return {name: value for name, value in arguments.items() if name in accepted}


@contextlib.contextmanager
def _remembering_apply_errors() -> Iterator[None]:
    """Wrap every ``Output.apply`` callback so an exception it raises is located where it was
    raised (see ``synth.program_errors``): the SDK shares that exception object among the outputs
    that depend on it, and its traceback is not reliably the callback's by the time it surfaces."""
    from pulumi import Output

    from synth.program_errors import remember

    original = Output.apply

    def apply(self: Any, func: Any, run_with_unknowns: bool = False) -> Any:
        def recorded(value: Any) -> Any:
            try:
                return func(value)
            except BaseException as exc:
                remember(exc)
                raise

        return original(self, recorded, run_with_unknowns)

    Output.apply = apply  # type: ignore[method-assign]
    try:
        yield
    finally:
        Output.apply = original  # type: ignore[method-assign]


def _error(exc: BaseException, request: dict[str, Any]) -> dict[str, Any]:
    """The error as the parent re-raises it: a ``StacksError`` keeps its class, message and hint
    (the bundled program validates its config with them); anything else is the program's error."""
    from synth.errors import StacksError

    if isinstance(exc, StacksError):
        return {"class": type(exc).__name__, "message": str(exc), "hint": exc.hint, "exit_code": exc.exit_code}
    shown = request["shown_program"]
    if isinstance(exc, SystemExit):
        return {"class": "ProgramError", "message": f"{shown}: the program called exit({exc.code!r}) before it finished",
                "hint": "a Pulumi program declares resources and returns; it must not exit the interpreter",
                "exit_code": 2}
    if isinstance(exc, KeyboardInterrupt):
        return {"class": "ProgramError", "message": f"{shown}: the program was interrupted", "hint": None, "exit_code": 2}
    from synth.program_errors import describe

    failure = describe(exc, Path(request["program_dir"]), Path(request["project_dir"]), request["shown_project"], shown)
    return {"class": "ProgramError", "message": failure.message, "hint": failure.hint, "exit_code": 2,
            "module": failure.module}
