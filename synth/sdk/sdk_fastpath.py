"""Speed-ups for the Pulumi SDK while a synthesis run is on; each one leaves results unchanged.

Profiling ``borough stacks synth`` on a generated 1,000-resource program showed that almost none
of the time is in our mocks: it is in the SDK's per-resource bookkeeping, which under ``pulumi
up`` hides behind network round trips but offline is the whole cost. ``fast_sdk()`` patches the
few places that cost far more than they need to, for the duration of one run, and puts the SDK
back afterwards (re-entrant: a nested ``fast_sdk()`` shares the outer patches). Runs happen in the
synthesis child (``synth.child``), one program per process, and only on the SDK versions they
were verified on (``synth.sdk.sdk_versions``; any other runs the SDK's own code):

- **Output bookkeeping** (``SETTINGS.outputs``): every ``Output`` appends its future to a deque
  and removes it when it resolves with ``deque.remove``, a linear scan: quadratic in the number
  of outputs (tens of thousands for 1,000 resources). ``OutputQueue`` keeps the deque's order and
  semantics (leftmost occurrence removed, ``ValueError`` when absent) but removes lazily.
- **Type hints**: ``_types._types_from_py_properties(cls)`` re-evaluates every property's type
  annotations (``typing.get_type_hints``) each time a resource or input type is serialized or
  deserialized. The answer depends only on the class and its modules' globals, which do not
  change during a run, so it is memoised per class (callers get their own copy of the dict).
  Evaluation is also serialised (see ``_locked_type_hints``) so threads cannot race it.
- **Debug logs**: the SDK builds a ``LogRequest`` (and, for a resource's logs, a task awaiting its
  URN) for every debug line; our engine hands them to the ``borough.synth`` logger, which drops
  them unless debug logging is on. When it is off, ``log.debug`` returns at once.
- **Stack traces**: each registration takes ``traceback.extract_stack()`` (which also reads every
  frame's source line) and turns every file name into a URI with ``pathlib``. ``stack_trace``
  walks the frames directly and caches each file's URI: the same ``StackTrace`` message.
- **Waiting for outputs**: when the program has returned, the SDK's ``wait_for_rpcs`` waits for
  every outstanding ``Output`` by popping each one and, if it is not done, putting it back after
  an ``asyncio.sleep(0)``: a busy loop (tens of thousands of event-loop turns for one bundled
  stack) that also holds the GIL the mock monitor's worker threads need. ``_quiet_wait_for_rpcs``
  awaits the same tasks in the same order, raising the same errors, but suspends on a pending
  task instead of spinning.
- **Garbage collection**: a run allocates hundreds of thousands of long-lived objects (futures,
  outputs, protobuf messages), and CPython's full collections re-scan everything already loaded
  (pulumi_azure_native's modules alone are hundreds of thousands of objects). The objects alive
  when a run starts are frozen (``gc.freeze``, unless the caller froze some itself), young
  collections are rarer and older ones do not run (most of a run's objects live until it ends:
  re-scanning them there is wasted); both are undone when the run ends. Collection timing
  changes nothing a program can observe.

- **Outputs** (``lean_outputs``, ``lazy_properties``): no task per ``Output``, and a resource's
  ~50 output properties become ``Output`` objects only when something reads them. On a generated
  10,000-resource program the synthesis child's peak memory fell from 2.3 GB to 0.76 GB and its
  time by about a third; the graph is byte-identical.

What is left is the SDK's serialization of inputs and deserialization of outputs, per resource;
``bench/bench_synth.py``, ``bench/bench_check.py`` and ``bench/bench_memory.py`` measure it.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import pathlib
import sys
import threading
from collections import Counter, deque
from typing import Any, Iterator

from synth.sdk import sdk_versions
from synth.sdk.lazy_properties import lazy_properties
from synth.sdk.lean_outputs import lean_outputs

LOGGER = "borough.synth"
_GC_THRESHOLD = (50_000, 1_000, 1_000)
_state_lock = threading.Lock()
_depth = 0
_saved: dict[str, Any] = {}


class OutputQueue:
    """``SETTINGS.outputs`` with O(1) ``remove``: a deque whose removals are applied lazily.

    ``remove(x)`` marks the leftmost occurrence of ``x`` as gone (it stays leftmost: items only
    leave from the left and re-enter on the right) and ``popleft`` skips marked occurrences, so
    ``len``, ``popleft``, ``append`` and ``remove`` behave exactly as on a ``collections.deque``.
    When half the deque is removed items it is compacted (amortised O(1)): a resolved output's
    future, and the value it holds, is not kept until the run ends.
    """

    COMPACT_FROM = 1024

    def __init__(self) -> None:
        self._items: deque[Any] = deque()
        self._present: Counter[Any] = Counter()
        self._removed: Counter[Any] = Counter()
        self._removed_total = 0

    def append(self, item: Any) -> None:
        self._items.append(item)
        self._present[item] += 1

    def remove(self, item: Any) -> None:
        if self._present[item] - self._removed[item] <= 0:
            raise ValueError("OutputQueue.remove(x): x not in queue")
        self._removed[item] += 1
        self._removed_total += 1
        if self._removed_total >= self.COMPACT_FROM and 2 * self._removed_total >= len(self._items):
            self._compact()

    def _compact(self) -> None:
        kept: deque[Any] = deque()
        for item in self._items:
            if self._removed[item]:
                self._drop(item, self._removed)
                self._drop(item, self._present)
            else:
                kept.append(item)
        self._items, self._removed_total = kept, 0
        self._removed = Counter()

    def popleft(self) -> Any:
        while True:
            item = self._items.popleft()  # IndexError when empty, as a deque
            self._drop(item, self._present)
            if self._removed[item]:
                self._drop(item, self._removed)
                self._removed_total -= 1
                continue
            return item

    def clear(self) -> None:
        self._items.clear()
        self._present.clear()
        self._removed.clear()
        self._removed_total = 0

    def __len__(self) -> int:
        return len(self._items) - self._removed_total

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Any]:
        skip = Counter(self._removed)
        for item in self._items:
            if skip[item]:
                skip[item] -= 1
                continue
            yield item

    @staticmethod
    def _drop(item: Any, counts: Counter[Any]) -> None:
        counts[item] -= 1
        if counts[item] <= 0:
            del counts[item]


def _cached_types(original: Any) -> Any:
    cache: dict[type, dict[str, type]] = {}

    def types_from_py_properties(cls: type) -> dict[str, type]:
        found = cache.get(cls)
        if found is None:
            found = cache[cls] = original(cls)
        return dict(found)

    return types_from_py_properties


def _locked_type_hints(original: Any) -> Any:
    """``typing.get_type_hints`` one call at a time: a program may build resources from threads of
    its own besides the event loop, and typing's shared ``ForwardRef`` objects
    (``Optional['outputs.X']`` is one cached object for every module) store the last evaluation
    on themselves, so two threads evaluating the same forward reference can swap answers."""
    lock = threading.RLock()

    def get_type_hints(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return original(*args, **kwargs)

    return get_type_hints


def _quiet_debug(original: Any) -> Any:
    logger = logging.getLogger(LOGGER)

    def debug(msg: str, resource: Any = None, stream_id: Any = None, ephemeral: Any = None) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            original(msg, resource, stream_id, ephemeral)

    return debug


def _fast_stack_trace() -> Any:
    from pulumi.runtime.proto import source_pb2

    uris: dict[str, str | None] = {}

    def uri_of(filename: str) -> str | None:
        if filename not in uris:
            try:
                uris[filename] = pathlib.Path(filename).as_uri()
            except BaseException:  # noqa: BLE001 - as the SDK: no URI, no position
                uris[filename] = None
        return uris[filename]

    def stack_trace() -> Any:
        """``pulumi.runtime.resource._get_stack_trace``: frames above the third ``__init__``
        (the concrete resource class's), topmost first, each as a source position."""
        frames = []
        frame = sys._getframe()
        while frame is not None:
            frames.append(frame)
            frame = frame.f_back
        inits = 0
        for index, frame in enumerate(frames):  # innermost first, as the SDK scans
            if frame.f_code.co_name == "__init__":
                inits += 1
                if inits == 3:
                    break
        else:
            return source_pb2.StackTrace()
        if index == len(frames) - 1:  # the SDK's "i < 1": nothing above the constructor
            return source_pb2.StackTrace()
        out = []
        for frame in frames[index + 1:]:
            lineno, filename = frame.f_lineno, frame.f_code.co_filename
            uri = uri_of(filename) if filename != "" and lineno is not None else None
            position = source_pb2.SourcePosition(uri=uri, line=lineno) if uri is not None else None
            out.append(source_pb2.StackFrame(pc=position))
        return source_pb2.StackTrace(frames=out)

    return stack_trace


def _quiet_wait_for_rpcs(original: Any) -> Any:
    import asyncio

    from pulumi.runtime import stack
    from pulumi.runtime.settings import SETTINGS

    async def wait_for_rpcs(await_all_outstanding_tasks: bool = True) -> None:
        while True:
            await original(await_all_outstanding_tasks=False)
            if not await_all_outstanding_tasks:
                return
            while True:
                with SETTINGS.lock:
                    if len(SETTINGS.outputs) == 0:
                        break
                    task = SETTINGS.outputs.popleft()
                if not task.done():
                    await asyncio.wait({task})
                if task.cancelled() or task.exception() is not None:
                    await task
            if len(stack._get_rpc_manager().rpcs) == 0:
                return

    return wait_for_rpcs


@contextlib.contextmanager
def fast_sdk() -> Iterator[None]:
    """Patch the SDK for one synthesis run (re-entrant: a nested run keeps the outer patches);
    on an SDK outside the verified versions (``sdk_versions``) the SDK runs as it is."""
    global _depth
    if not sdk_versions.fast_path_allowed():
        yield
        return
    with _state_lock:
        _depth += 1
        if _depth == 1:
            _install()
    try:
        yield
    finally:
        with _state_lock:
            _depth -= 1
            if _depth == 0:
                _restore()


def use_output_queue() -> None:
    """Give the current run's SDK settings the lazy-removal output queue (after ``configure``),
    on the SDK versions it was verified on."""
    from pulumi.runtime.settings import SETTINGS

    if not sdk_versions.is_verified(sdk_versions.installed_version()):
        return

    SETTINGS.outputs = OutputQueue()


def _install() -> None:
    from pulumi import _types, log
    from pulumi.runtime import resource, stack

    _saved.update(types=_types._types_from_py_properties, hints=_types.get_type_hints, debug=log.debug,
                  stack=resource._get_stack_trace, wait=stack.wait_for_rpcs, threshold=gc.get_threshold(),
                  freeze=gc.get_freeze_count() == 0)  # a caller's own gc.freeze() is left alone
    _types._types_from_py_properties = _cached_types(_saved["types"])
    _types.get_type_hints = _locked_type_hints(_saved["hints"])
    log.debug = _quiet_debug(_saved["debug"])
    resource._get_stack_trace = _fast_stack_trace()
    stack.wait_for_rpcs = _quiet_wait_for_rpcs(_saved["wait"])
    _saved["lean"] = contextlib.ExitStack()
    _saved["lean"].enter_context(lean_outputs())
    _saved["lean"].enter_context(lazy_properties())
    if _saved["freeze"]:
        gc.freeze()
    gc.set_threshold(*_GC_THRESHOLD)


def _restore() -> None:
    from pulumi import _types, log
    from pulumi.runtime import resource, stack

    _saved["lean"].close()
    stack.wait_for_rpcs = _saved["wait"]
    _types._types_from_py_properties = _saved["types"]
    _types.get_type_hints = _saved["hints"]
    log.debug = _saved["debug"]
    resource._get_stack_trace = _saved["stack"]
    gc.set_threshold(*_saved["threshold"])
    if _saved["freeze"]:
        gc.unfreeze()
    _saved.clear()
