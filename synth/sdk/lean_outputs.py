"""A leaner ``Output`` bookkeeping for synthesis runs: the same futures and results, fewer objects.

Measured on a generated 3,000-resource program: when the program returns, the SDK holds about
1,200 Python objects per resource (3.7 million, 550 MB), nearly all of them per *output*: each
``Output`` starts an ``is_value_known`` coroutine as its own ``Task`` (with a context copy, a
handle, a weak reference and two closures) and registers a fresh ``cleanup`` closure, with its
own copy of the context. Under ``pulumi up`` that hides behind the network; offline it is most of
the peak memory of a large program and much of its time.

``lean_outputs()`` replaces, for one run, on the SDK versions the fast path was verified on
(``sdk_versions``):

- ``Output.__init__``: the same attributes, the same ``SETTINGS.outputs`` bookkeeping, but
  ``_is_known`` is built only when something reads it (``_KnownOnDemand``), as a future completed
  by done-callbacks: ``is_known`` first; its own falsy value without waiting for the value, as the
  coroutine's ``and`` short-circuits; else ``not contains_unknowns(value)``. An exception or a
  cancellation is passed on as the coroutine would have raised it.
- The clean-up callback that takes a resolved output out of ``SETTINGS.outputs`` is one function
  per run, run in one shared context instead of a copy of the context per output.

``lazy_properties`` goes further for resources' own outputs; this covers every other ``Output``
(``apply``, ``Output.all``, ``from_input``).

Standard library and the Pulumi SDK only: this runs in the synthesis child.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from typing import Any, Iterator


def _pass_on(source: asyncio.Future, target: asyncio.Future) -> bool:
    """Copy a failure (exception or cancellation) of ``source`` to ``target``; whether there was one."""
    if target.done():
        return True
    if source.cancelled():
        target.cancel()
        return True
    failure = source.exception()
    if failure is not None:
        target.set_exception(failure)
        return True
    return False


def _value_known(is_known: asyncio.Future, value: asyncio.Future) -> asyncio.Future:
    """A future of ``await is_known and not contains_unknowns(await value)``, without a task."""
    from pulumi.output import contains_unknowns

    result: asyncio.Future = asyncio.Future(loop=value.get_loop())

    def on_value(_: asyncio.Future) -> None:
        if not _pass_on(value, result):
            result.set_result(not contains_unknowns(value.result()))

    def on_known(_: asyncio.Future) -> None:
        if _pass_on(is_known, result):
            return
        if not is_known.result():
            result.set_result(is_known.result())
        else:
            value.add_done_callback(on_value)

    is_known.add_done_callback(on_known)
    return result


class _KnownOnDemand:
    """``Output._is_known``, built the first time something reads it: most outputs of a resource
    are never asked whether they are known, and building it for each cost objects that live until
    the program ends. An output that has its own ``_is_known`` (made before the run) keeps it."""

    def __get__(self, output: Any, owner: type | None = None) -> Any:
        if output is None:
            return self
        read = object.__getattribute__  # Output.__getattr__ would lift a missing name into an Output
        try:
            return read(output, "_lean_known")
        except AttributeError:
            pass
        try:
            source = read(output, "_lean_is_known")
        except AttributeError:  # made before the run, by the SDK's own __init__
            return output.__dict__["_is_known"]
        output._lean_known = known = _value_known(source, output._future)
        del output._lean_is_known
        return known

    def __set__(self, output: Any, value: Any) -> None:
        output._lean_known = value


def _output_init(outputs: Any, lock: Any, quiet: contextvars.Context) -> Any:
    """``Output.__init__`` for one run. ``SETTINGS.outputs`` and its lock are the run's (the SDK
    reads them from its context variables when an output resolves; they do not change during a
    run), so the clean-up callback needs no copy of the context per output: it runs in ``quiet``."""

    def remove(fut: asyncio.Future) -> None:
        if fut.cancelled() or fut.exception() is not None:
            return  # left for wait_for_rpcs to report, as the SDK does
        with lock:
            try:
                outputs.remove(fut)
            except ValueError:
                pass

    def init(self: Any, resources: Any, future: Any, is_known: Any, is_secret: Any = None) -> None:
        future = asyncio.ensure_future(future)
        with lock:
            outputs.append(future)
        future.add_done_callback(remove, context=quiet)
        if isinstance(resources, set):
            self._resources = asyncio.Future()
            self._resources.set_result(resources)
        else:
            self._resources = asyncio.ensure_future(resources)
        self._future = future
        self._lean_is_known = asyncio.ensure_future(is_known)
        if is_secret is not None:
            self._is_secret = asyncio.ensure_future(is_secret)
        else:
            self._is_secret = asyncio.Future()
            self._is_secret.set_result(False)

    return init


@contextlib.contextmanager
def lean_outputs() -> Iterator[None]:
    """Use the lean ``Output.__init__`` and ``transfer_properties`` for the duration (the caller
    checks the SDK version: ``sdk_fastpath`` does)."""
    from pulumi import output
    from pulumi.runtime.settings import SETTINGS

    saved = output.Output.__init__
    output.Output.__init__ = _output_init(SETTINGS.outputs, SETTINGS.lock, contextvars.Context())  # type: ignore[method-assign]
    output.Output._is_known = _KnownOnDemand()  # type: ignore[assignment]
    try:
        yield
    finally:
        output.Output.__init__ = saved  # type: ignore[method-assign]
        del output.Output._is_known
