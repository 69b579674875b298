"""Output shapes read from a provider's own Python SDK, for the mocks to answer in.

A real provider answers every output property of a resource (and every field of a function's
result), not only the inputs it was given. A program written against the SDK expects that shape:
it reads ``account.primary_endpoints.web``, indexes ``list_storage_account_keys(...).keys[0]``,
and the SDK deserializes what comes back into its own output classes. So the mocks ask the SDK
that the program imported: which class implements a type token (the SDK registers its modules
with the Pulumi runtime), what properties that class's getters declare and with which types
(``pulumi._types`` resolves the annotations, as the SDK does when it deserializes), and build a
value of that shape. Which *values* go in (an ARM id, an endpoint, a key) is for the caller's
``Namer`` to say; this module knows shapes only, for any provider.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import functools
import importlib
import re
import typing
from dataclasses import dataclass
from typing import Any, Callable

MAX_DEPTH = 3
"""Nested output objects filled below the top level: enough for ``a.b.c`` reads, bounded so a
recursive schema (JSON-schema-like types) cannot blow up."""


class _Default(enum.Enum):
    DEFAULT = "default"


DEFAULT = _Default.DEFAULT
"""What a ``Namer`` returns to let the type decide (``""``, ``0``, ``False``, an enum's first value)."""
OMIT = None
"""What a ``Namer`` returns to leave a property out (as Azure does for unset optional fields)."""

Path = tuple[str, ...]
Namer = Callable[[Path, Any], Any]
"""``(wire path, annotated type) -> value | DEFAULT | OMIT`` for one property."""


@dataclass(frozen=True)
class ShapeRules:
    """How a shape is filled. ``list_items``: elements built for a list the caller did not name
    (a resource's lists stay empty, as for a new resource; a function result's lists get one
    element, since programs index them)."""

    namer: Namer
    list_items: int = 0
    max_depth: int = MAX_DEPTH
    certain_only: bool = False
    """Only what the namer knows (and objects holding some of it): used under inputs, where
    the program's value is laid over and a type's default would stand in for Azure's."""


# --- finding the SDK's classes ---------------------------------------------------------------
def _split(token: str) -> tuple[str, str, str] | None:
    parts = token.split(":")
    if len(parts) != 3 or not all(parts):
        return None
    return parts[0], parts[1], parts[2]


@functools.lru_cache(maxsize=None)
def _root_package(pkg: str) -> str:
    from pulumi.runtime import rpc

    for key, modules in rpc._RESOURCE_MODULES.items():  # noqa: SLF001 - the SDK's own registry
        if key.split(":", 1)[0] == pkg and modules:
            fqn = getattr(modules[0], "mod_info", {}).get("fqn")
            if isinstance(fqn, str):
                return fqn.split(".")[0]
    return "pulumi_" + pkg.replace("-", "_")


def _module_fqn(pkg: str, mod: str) -> str:
    """The Python module of a token's module part, as the SDK registered it (or by its rule)."""
    from pulumi.runtime import rpc

    registered = rpc.get_resource_module(pkg, mod, "")
    fqn = getattr(registered, "mod_info", {}).get("fqn") if registered is not None else None
    if isinstance(fqn, str):
        return fqn
    root = _root_package(pkg)
    if mod == "index" or mod.startswith("index/"):
        return root
    return ".".join([root, *mod.split("/")[:1]]).replace("-", "_")


def _import(fqn: str) -> Any | None:
    try:
        return importlib.import_module(fqn)
    except ImportError:
        return None


@functools.lru_cache(maxsize=None)
def resource_class(token: str) -> type | None:
    """The SDK class behind a resource type token, if the SDK that defines it is importable."""
    split = _split(token)
    if split is None:
        return None
    pkg, mod, name = split
    from pulumi.runtime import rpc

    registered = rpc.get_resource_module(pkg, mod, "")
    info = getattr(registered, "mod_info", None) if registered is not None else None
    if isinstance(info, dict):
        module = _import(info.get("fqn", ""))
        cls = getattr(module, info.get("classes", {}).get(token, ""), None) if module else None
        if isinstance(cls, type):
            return cls
    module = _import(_module_fqn(pkg, mod))
    cls = getattr(module, name, None) if module else None
    return cls if isinstance(cls, type) else None


@functools.lru_cache(maxsize=None)
def result_class(token: str) -> type | None:
    """The ``<Function>Result`` output class of a provider function (invoke) token."""
    split = _split(token)
    if split is None:
        return None
    pkg, mod, function = split
    class_name = function[:1].upper() + function[1:] + "Result"
    module = _import(_module_fqn(pkg, mod))
    cls = getattr(module, class_name, None) if module else None
    if cls is None and module is not None:
        submodule = _import(f"{module.__name__}.{_snake(function)}")
        cls = getattr(submodule, class_name, None) if submodule else None
    return cls if isinstance(cls, type) else None


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


@functools.lru_cache(maxsize=None)
def property_types(cls: type) -> dict[str, Any]:
    """Wire name -> annotated type of a resource's or output class's properties."""
    from pulumi import _types

    try:
        if _types.is_output_type(cls):
            return dict(_types.output_type_types(cls))
        return dict(_types.resource_types(cls))
    except Exception:  # noqa: BLE001 - an SDK whose annotations do not resolve: no shape, echo only
        return {}


@functools.lru_cache(maxsize=None)
def input_names(token: str) -> frozenset[str]:
    """Wire names of a resource's inputs (its ``<Class>Args``), e.g. to know it takes ``location``."""
    cls = resource_class(token)
    if cls is None:
        return frozenset()
    args = getattr(importlib.import_module(cls.__module__), f"{cls.__name__}Args", None)
    if not isinstance(args, type):
        return frozenset()
    from pulumi import _types

    try:
        return frozenset(_types.input_type_py_to_pulumi_names(args).values())
    except Exception:  # noqa: BLE001
        return frozenset()


# --- building values -------------------------------------------------------------------------
# A type's shape is worked out once (``_plan``: annotations unwrapped, origins and classes sorted
# out, nested output classes read) and then filled per resource (``_fill``), asking the namer at
# every node as before: a thousand resources of a few types no longer walk the typing machinery a
# thousand times.
_LIST, _EMPTY_DICT, _CONSTANT, _OBJECT, _CERTAIN, _NOTHING = range(6)


@dataclass(frozen=True)
class _Plan:
    typ: Any
    """The annotation as declared (what the namer is asked about)."""
    kind: int
    value: Any = None
    """A constant's value, or a list's item plan."""
    fields: tuple[tuple[str, "_Plan"], ...] = ()


@functools.lru_cache(maxsize=None)
def _plan(typ: Any, certain_only: bool, list_items: int, max_depth: int, depth: int) -> _Plan:
    inner = _unwrap(typ)
    if certain_only:
        return _object_plan(typ, inner, _CERTAIN, certain_only, list_items, max_depth, depth)
    origin = typing.get_origin(inner)
    if origin in (list, collections.abc.Sequence, typing.Sequence):
        (item,) = typing.get_args(inner) or (Any,)
        return _Plan(typ, _LIST, _plan(item, certain_only, list_items, max_depth, depth + 1))
    if origin in (dict, collections.abc.Mapping, typing.Mapping):
        return _Plan(typ, _EMPTY_DICT)
    if isinstance(inner, type):
        if issubclass(inner, enum.Enum):
            return _Plan(typ, _CONSTANT, next(iter(inner)).value)
        for scalar, value in ((bool, False), (int, 0), (float, 0.0), (str, "")):
            if inner is scalar:
                return _Plan(typ, _CONSTANT, value)
        return _object_plan(typ, inner, _OBJECT, certain_only, list_items, max_depth, depth)
    return _Plan(typ, _NOTHING)  # Any, unions of objects, assets: nothing sensible to invent


def _object_plan(typ: Any, inner: Any, kind: int, certain_only: bool, list_items: int, max_depth: int,
                 depth: int) -> _Plan:
    from pulumi import _types

    if not (isinstance(inner, type) and _types.is_output_type(inner)) or depth >= max_depth:
        return _Plan(typ, _NOTHING)
    types = property_types(inner)
    return _Plan(typ, kind, fields=tuple((key, _plan(types[key], certain_only, list_items, max_depth, depth + 1))
                                         for key in sorted(types)))


def _fill(plan: _Plan, path: Path, rules: ShapeRules) -> Any:
    named = rules.namer(path, plan.typ)
    if named is not DEFAULT:
        return named
    kind = plan.kind
    if kind == _CONSTANT:
        return plan.value
    if kind == _EMPTY_DICT:
        return {}
    if kind == _LIST:
        return [v for i in range(rules.list_items) if (v := _fill(plan.value, (*path, str(i)), rules)) is not OMIT]
    if kind in (_OBJECT, _CERTAIN):
        out = _fill_fields(plan.fields, path, rules)
        return out or OMIT if kind == _CERTAIN else out
    return OMIT


def _fill_fields(fields: tuple[tuple[str, _Plan], ...], path: Path, rules: ShapeRules) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, plan in fields:
        value = _fill(plan, (*path, key), rules)
        if value is not OMIT:
            out[key] = value
    return out


def resource_shape(token: str, rules: ShapeRules) -> dict[str, Any]:
    """The read-only output properties of a resource type, filled by ``rules``; ``{}`` for an
    unknown SDK. Properties that are also inputs are left out: the program's value goes there,
    and where it set none, the service's default is not ours to guess (a ``False`` in place of
    Azure's ``true`` would mislead)."""
    cls = resource_class(token)
    if cls is None:
        return {}
    inputs = input_names(token)
    certain = dataclasses.replace(rules, certain_only=True)
    shaped = {}
    for key, typ in sorted(property_types(cls).items()):
        used = certain if key in inputs else rules
        value = _fill(_plan(typ, used.certain_only, used.list_items, used.max_depth, 0), (key,), used)
        if value is not OMIT:
            shaped[key] = value
    return shaped


def result_shape(token: str, rules: ShapeRules) -> dict[str, Any] | None:
    """A provider function's result, filled by ``rules``; None when its SDK has no result class."""
    cls = result_class(token)
    return build_object(property_types(cls), (), rules, 0) if cls is not None else None


def build_object(types: dict[str, Any], path: Path, rules: ShapeRules, depth: int) -> dict[str, Any]:
    fields = tuple((key, _plan(types[key], rules.certain_only, rules.list_items, rules.max_depth, depth))
                   for key in sorted(types))
    return _fill_fields(fields, path, rules)


def build_value(typ: Any, path: Path, rules: ShapeRules, depth: int) -> Any:
    """One value of annotated type ``typ`` at ``path`` (the namer first, then the type's rule)."""
    return _fill(_plan(typ, rules.certain_only, rules.list_items, rules.max_depth, depth), path, rules)


def _unwrap(typ: Any) -> Any:
    """``Optional[T]`` -> ``T``; a union of several types -> its first (SDKs put the main one first)."""
    if typing.get_origin(typ) is typing.Union:
        args = [a for a in typing.get_args(typ) if a is not type(None)]
        return args[0] if args else Any
    return typ
