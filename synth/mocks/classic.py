"""A stand-in for the classic ``pulumi_azure`` package, so a program that uses it still runs.

Borough renders azure-native resources to ARM; a classic ``azure:`` resource has no ARM form here
and is listed as not rendered (``arm.render``). Installing ``pulumi-azure`` would not make
such a resource checkable, so when the package is absent the synthesis child puts this stand-in in
its place: ``azure.storage.Account("x", ...)`` registers a custom resource of type
``azure:storage/account:Account`` with the program's arguments (wire names), functions such as
``azure.core.get_client_config()`` answer with deterministic strings, and ``*Args`` classes are
plain dicts. The program's azure-native resources are then rendered and checked as usual.

Runs inside the synthesis child: only the standard library and ``pulumi``.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import re
import sys
import types
from typing import Any

PACKAGE = "pulumi_azure"


def install_if_absent() -> bool:
    """Put the stand-in on ``sys.meta_path`` unless the real package is importable."""
    if importlib.util.find_spec(PACKAGE) is not None:
        return False
    sys.meta_path.append(_Finder())
    return True


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _stable(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _wire(value: Any) -> Any:
    if isinstance(value, dict):
        return {(_camel(k) if isinstance(k, str) else k): _wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_wire(v) for v in value]
    return value


class _Result:
    """What a classic function returns: any attribute is a deterministic string."""

    def __init__(self, token: str, args: dict[str, Any]) -> None:
        self._token, self._args = token, args

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._args:
            return self._args[name]
        return f"{name.replace('_', '-')}-{_stable(self._token + name)}"


def _resource_class(module: str, name: str) -> type:
    import pulumi

    token = f"azure:{module}/{_lower_first(name)}:{name}"

    def __init__(self: Any, resource_name: str, args: Any = None, opts: Any = None, **kwargs: Any) -> None:
        if isinstance(args, pulumi.ResourceOptions) and opts is None:
            args, opts = None, args
        given = {**(args if isinstance(args, dict) else {}), **kwargs}
        props = {_camel(k): _wire(v) for k, v in given.items() if v is not None}
        props.setdefault("name", given.get("name") or resource_name)
        object.__setattr__(self, "_borough_name", resource_name)
        pulumi.CustomResource.__init__(self, token, resource_name, props, opts)

    def __getattr__(self: Any, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        value = f"{attribute.replace('_', '-')}-{_stable(token + self.__dict__.get('_borough_name', '') + attribute)}"
        return pulumi.Output.from_input(value)

    @staticmethod
    def get(resource_name: str, id: Any, opts: Any = None, **_state: Any) -> Any:
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return cls(resource_name, opts=merged)

    cls = type(name, (pulumi.CustomResource,), {"__init__": __init__, "__getattr__": __getattr__, "get": get,
                                                "__module__": f"{PACKAGE}.{module}"})
    return cls


def _function(module: str, name: str) -> Any:
    import pulumi

    output = name.endswith("_output")
    base = name[: -len("_output")] if output else name
    token = f"azure:{module}/{_camel(base)}:{_camel(base)}"

    def call(*_args: Any, **kwargs: Any) -> Any:
        result = _Result(token, kwargs)
        return pulumi.Output.from_input(result) if output else result

    return call


class _Module(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        module = self.__name__[len(PACKAGE) + 1:] or "index"
        if name[:1].isupper():
            if name.endswith(("Args", "ArgsDict")):
                value: Any = lambda *args, **kwargs: dict(kwargs)  # noqa: E731
            else:
                value = _resource_class(module, name)
        elif name.startswith("get_"):
            value = _function(module, name)
        else:
            value = importlib.import_module(f"{self.__name__}.{name}")
        setattr(self, name, value)
        return value


class _Loader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _Module(spec.name)
        module.__path__ = []  # a package: submodules resolve through the finder
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        module.__doc__ = "borough's stand-in for the classic provider: its resources are listed as not rendered"


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != PACKAGE and not fullname.startswith(PACKAGE + "."):
            return None
        if not re.fullmatch(r"[a-z_][a-z0-9_.]*", fullname):
            return None
        return importlib.machinery.ModuleSpec(fullname, _Loader(), is_package=True)
