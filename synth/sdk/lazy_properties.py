"""A resource's output properties become ``Output`` objects only when something reads them.

The SDK's ``rpc.transfer_properties`` gives every output property of a resource (an azure-native
resource has ~50) an ``Output`` with four futures, a resolver and a dependency set as the resource
is declared, though a program reads one or two of them (``rg.name``). Offline, with 10,000
resources, that is half a million outputs alive at once: most of a large run's memory and time.

Here ``transfer_properties`` returns the same resolvers (one per property, as the SDK's resolve
and fail them), but each property's result is kept as the plain tuple the resolver was given, and
the ``Output`` is built from it the first time it is read: through ``pulumi.get`` (which every
generated property getter calls), as a plain attribute (``Resource.__getattr__``, which Python
calls only for an attribute the instance does not have: ``StackReference`` and dynamic resources
read their properties so), or when the SDK turns a whole resource into a stack output
(``stack.massage_complex`` reads the resource's ``__dict__``). A property read before it resolves
gets pending futures that its resolver completes. Either way the ``Output`` is the SDK's own,
resolved by the SDK's own rules, and stored on the resource as the SDK stores it, so a second
read returns the same object. A program that reads ``vars(resource)`` directly, without either
path, sees only the properties already read: the one behaviour that differs, and only on the SDK
versions the fast path runs on (``sdk_versions``).

Standard library and the Pulumi SDK only: this runs in the synthesis child.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import threading
from collections.abc import Mapping
from typing import Any, Iterator

_LOCK = threading.RLock()
"""Held while a property's result is stored or read: a program may read outputs from threads of
its own while the event loop's thread resolves them."""

STORE = "_borough_properties"
"""The key of a resource's ``_Properties`` in its ``__dict__`` (a leading underscore: the SDK
leaves such keys out of stack outputs)."""


def resolve_into(resource: Any, value_fut: asyncio.Future, known_fut: asyncio.Future, secret_fut: asyncio.Future,
                 deps_fut: asyncio.Future, value: Any, is_known: bool, is_secret: bool, deps: Any,
                 failed: Exception | None) -> None:
    """The SDK's ``transfer_properties.<locals>.do_resolve``."""
    deps_union = set(deps) if deps else set()
    deps_union.add(resource)
    deps_fut.set_result(deps_union)
    if failed is not None:
        value_fut.set_exception(failed)
        known_fut.set_exception(failed)
        secret_fut.set_exception(failed)
    else:
        value_fut.set_result(value)
        known_fut.set_result(is_known)
        secret_fut.set_result(is_secret)


class _Properties(Mapping[str, Any]):
    """One resource's output properties: results not read yet, and reads not resolved yet.

    It is also the resource's resolvers as ``transfer_properties`` returns them (the SDK only
    calls ``get`` and ``items`` on them): a resolver is made when the SDK asks for it, not kept
    per property while the registration waits."""

    __slots__ = ("resource", "names", "results", "waiting", "deferred")

    def __init__(self, resource: Any, names: frozenset[str] | tuple[str, ...]) -> None:
        self.resource = resource
        self.names = names
        self.results: dict[str, tuple[Any, ...]] = {}
        self.waiting: dict[str, tuple[asyncio.Future, ...]] = {}
        self.deferred: Any = None
        """The SDK's ``resolve_outputs`` for this resource, when nothing had read a property yet."""

    def settle(self) -> None:
        """Run the deferred ``resolve_outputs``; if it fails, every property fails with its error,
        as the SDK's registration fails them."""
        with _LOCK:
            deferred, self.deferred = self.deferred, None
            if deferred is None:
                return
            try:
                deferred()
            except Exception as exn:  # noqa: BLE001 - handed to every property, as the SDK does
                for name in self.names:
                    self.resolve(name, None, False, False, None, exn)

    def __getitem__(self, name: str) -> Any:
        if name not in self.names:
            raise KeyError(name)
        return functools.partial(self.resolve, name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def resolve(self, name: str, value: Any, is_known: bool, is_secret: bool, deps: Any, failed: Exception | None) -> None:
        with _LOCK:
            if name in self.results:  # resolved already (a deferred resolution that failed part-way)
                return
            futures = self.waiting.pop(name, None)
            if futures is None:
                self.results[name] = (value, is_known, is_secret, deps, failed)
                return
        resolve_into(self.resource, *futures, value, is_known, is_secret, deps, failed)

    def output(self, name: str) -> Any:
        """The property's ``Output``, built now and kept on the resource."""
        from pulumi import Output

        self.settle()
        futures = (asyncio.Future(), asyncio.Future(), asyncio.Future(), asyncio.Future())
        with _LOCK:
            result = self.results.pop(name, None)
            if result is None:
                self.waiting[name] = futures
        if result is not None:
            resolve_into(self.resource, *futures, *result)
        value, known, secret, deps = futures
        built = self.resource.__dict__[name] = Output(deps, value, known, secret)
        return built

    def build_all(self) -> None:
        """Every property as an ``Output``, in declaration order after what is already there (as
        the SDK's ``__dict__`` would hold them)."""
        state = self.resource.__dict__
        for name in self.names:
            built = state.pop(name) if name in state else self.output(name)
            state[name] = built


class _Names(dict):
    """The property names of each shape of resource, shared by its resources (a run declares
    thousands of resources of a few types), in declaration order."""

    def of(self, props: Any, custom: bool) -> "_OrderedNames":
        key = tuple(props)
        found = self.get((key, custom))
        if found is None:
            found = self[(key, custom)] = _OrderedNames(n for n in key if not (n == "urn" or (n == "id" and custom)))
        return found


class _OrderedNames(tuple):
    """A tuple of names with a set's ``in``."""

    def __new__(cls, names: Any) -> "_OrderedNames":
        made = super().__new__(cls, names)
        made._set = frozenset(made)
        return made

    def __contains__(self, name: object) -> bool:
        return name in self._set


def _transfer_properties(names: _Names) -> Any:
    def transfer_properties(res: Any, props: Any, custom: bool) -> _Properties:
        store = res.__dict__[STORE] = _Properties(res, names.of(props, custom))
        return store

    return transfer_properties


def _unread(resource: Any, name: str) -> "_Properties | None":
    state = getattr(resource, "__dict__", None)
    if not isinstance(state, dict) or name in state:
        return None
    store = state.get(STORE)
    return store if store is not None and name in store.names else None


def _get(original: Any) -> Any:
    def get(self: Any, name: str) -> Any:
        store = _unread(self, name) if isinstance(name, str) else None
        return store.output(name) if store is not None else original(self, name)

    return get


def _resolve_outputs(original: Any) -> Any:
    """``rpc.resolve_outputs``, put off until a property is read when none has been yet: turning
    the provider's answer into typed values is most of a registration's cost, for properties most
    programs never read. It runs later in a copy of the registration's context (the SDK reads its
    settings from context variables)."""

    def resolve_outputs(res: Any, serialized_props: Any, outputs: Any, deps: Any, resolvers: Any, *rest: Any, **options: Any) -> None:
        if isinstance(resolvers, _Properties) and not resolvers.waiting:
            context = contextvars.copy_context()
            resolvers.deferred = functools.partial(context.run, original, res, serialized_props, outputs, deps,
                                                   resolvers, *rest, **options)
            return
        original(res, serialized_props, outputs, deps, resolvers, *rest, **options)

    return resolve_outputs


def _resource_getattr(resource: Any, name: str) -> Any:
    """``Resource.__getattr__`` (Python calls it only when the attribute is missing): a hand-written
    resource (``StackReference``, a dynamic resource) reads its properties as plain attributes."""
    store = _unread(resource, name)
    if store is None:
        raise AttributeError(f"{type(resource).__name__!r} object has no attribute {name!r}")
    return store.output(name)


def _massage_complex(original: Any) -> Any:
    def massage_complex(attr: Any, seen: list[Any]) -> Any:
        state = getattr(attr, "__dict__", None)
        store = state.get(STORE) if isinstance(state, dict) else None
        if store is not None:
            store.build_all()
        return original(attr, seen)

    return massage_complex


@contextlib.contextmanager
def lazy_properties() -> Iterator[None]:
    """Build resource outputs on demand for the duration (the caller checks the SDK version)."""
    import pulumi
    from pulumi import _types
    from pulumi.runtime import rpc, stack

    saved = rpc.transfer_properties, pulumi.get, _types.get, stack.massage_complex, rpc.resolve_outputs
    get = _get(_types.get)
    rpc.transfer_properties = _transfer_properties(_Names())
    rpc.resolve_outputs = _resolve_outputs(rpc.resolve_outputs)
    pulumi.get = _types.get = get
    stack.massage_complex = _massage_complex(stack.massage_complex)
    pulumi.Resource.__getattr__ = _resource_getattr  # type: ignore[attr-defined]
    try:
        yield
    finally:
        rpc.transfer_properties, pulumi.get, _types.get, stack.massage_complex, rpc.resolve_outputs = saved
        del pulumi.Resource.__getattr__
