"""The graphs one command synthesizes, so each stack is synthesized once (and only once at a time).

``check --all`` and ``demo`` synthesize every bundled stack, and the spokes read the platform
stack through a ``StackReference``: without a shared cache the platform stack would be
synthesized once for itself and once per reader. Entries are futures, so a caller asking for a
graph that another thread is synthesizing waits for that run rather than starting its own; an
entry keeps its failure too, so within one command a broken stack fails the same way for every
reader without running again.

Waiting is where a reference cycle between stacks synthesized on different threads would
deadlock (A's run waits for B's while B's waits for A's), so each wait is recorded and a wait
that would close a loop is refused as a cycle. ``stop()`` ends every child still running (a
command that fails early must not leave programs running behind it).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Callable

from synth.errors import ConfigError
from synth.graph import ResourceGraph
from synth.process import ChildGroup


class SynthCache:
    """Graphs keyed by everything that determines one (interpreter, program, stack, config,
    given stack outputs); ``runs`` counts the syntheses actually started."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._graphs: dict[str, Future[ResourceGraph]] = {}
        self._names: dict[str, str] = {}
        self._waits_for: dict[str, str] = {}
        self.children = ChildGroup()
        """Every child this command started; ``stop()`` ends those still running."""
        self.runs = 0

    def get(self, key: str, name: str, synthesize: Callable[[], ResourceGraph], waiter: str | None = None,
            where: str = "") -> ResourceGraph:
        """The graph for ``key`` (stack ``name``), synthesizing it here unless another thread is
        already; ``waiter`` is the key of the run that asks (a stack reference), if any."""
        with self._lock:
            future = self._graphs.get(key)
            owner = future is None
            if owner:
                future = self._graphs[key] = Future()
                self._names[key] = name
                self.runs += 1
            if waiter is not None and not future.done():
                loop = None if owner else self._loop_from(key, waiter)  # a new entry waits on nothing yet
                if loop is not None:
                    raise ConfigError(f"{where}stack references form a cycle: {' -> '.join(loop)}")
                self._waits_for[waiter] = key
        assert future is not None
        if owner:
            try:
                future.set_result(synthesize())
            except BaseException as exc:  # noqa: BLE001 - kept for every reader, re-raised below
                future.set_exception(exc)
        try:
            return future.result()
        finally:
            if waiter is not None:
                with self._lock:
                    self._waits_for.pop(waiter, None)

    def claim(self, key: str, name: str) -> "Future[ResourceGraph] | None":
        """The future for ``key`` if this caller is to produce its graph (no one has started it),
        else ``None``. The claimer must set its result or exception; readers wait for it."""
        with self._lock:
            if key in self._graphs:
                return None
            future = self._graphs[key] = Future()
            self._names[key] = name
            self.runs += 1
            return future

    def stop(self) -> None:
        self.children.stop()

    def _loop_from(self, key: str, waiter: str) -> list[str] | None:
        """The stack names of the loop waiting on ``key`` would close, or ``None``."""
        chain, current = [waiter, key], key
        while current != waiter:
            current = self._waits_for.get(current)
            if current is None or current in chain[1:]:
                return None
            chain.append(current)
        return [self._names.get(k, k) for k in chain]
