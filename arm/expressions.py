"""ARM template expressions resolved offline, so a template exported from the portal can be checked.

A template says ``"name": "[parameters('storageName')]"`` or ``"[concat('st', variables('suffix'))]"``;
checkov reads values literally, and its own substitution crashes on a ``variables`` block. We
evaluate what needs no deployment (parameter values from a parameters file or ``defaultValue``,
variables, string/array/logic functions, ``resourceId``, ``copyIndex`` in copy loops) and leave
the rest as written, listing each such value with its path and why (``reference()``, ``list*()``,
``utcNow()``, the resource group's location...). ``uniqueString``/``guid`` and the subscription and
resource group ids answer with deterministic stand-ins: they only name things, and no check
judges a name's hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from arm.expression_functions import DEPLOYMENT_TIME, FUNCTIONS, GROUP_SCOPE, RESOURCE_GROUP, Unresolvable, bounded
from arm.expression_syntax import ExpressionSyntaxError, Literal, Member, Parser, is_expression

__all__ = ["ExpressionSyntaxError", "Resolution", "Unresolvable", "UnresolvedValue", "is_expression", "parameter_values",
           "resolve_template"]

LINE_KEYS = ("__startline__", "__endline__")


@dataclass(frozen=True)
class UnresolvedValue:
    path: str
    """Where in the template, e.g. ``resources[0].properties.location``."""
    expression: str
    reason: str


@dataclass
class Resolution:
    template: dict[str, Any]
    unresolved: list[UnresolvedValue] = field(default_factory=list)


class _Evaluator:
    def __init__(self, template: dict[str, Any], parameter_values: dict[str, Any]) -> None:
        self.parameters = {k: v for k, v in (template.get("parameters") or {}).items() if k not in LINE_KEYS}
        self.values = {k.lower(): v for k, v in parameter_values.items()}
        self.variables = {k.lower(): v for k, v in (template.get("variables") or {}).items() if k not in LINE_KEYS}
        self.resolved_variables: dict[str, Any] = {}
        self.resolving: set[str] = set()
        self.copy_index: dict[str, int] = {}

    def value(self, text: str) -> Any:
        result = self.eval(Parser(text[1:-1]).parse())
        if _has_deferred(result):
            raise Unresolvable("the resource group's location is known only at deployment")
        return _without_lines(result)

    def eval(self, node: Any) -> Any:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Member):
            target = self.eval(node.target)
            key = node.key if isinstance(node.key, str) else self.eval(node.key)
            if isinstance(target, dict):
                found = {k.lower(): v for k, v in target.items() if isinstance(k, str)}.get(str(key).lower(), _MISSING)
                if found is _MISSING:
                    raise Unresolvable(f"no property {key!r}")
                if isinstance(found, _Deferred):
                    raise Unresolvable(found.reason)
                return found
            if isinstance(target, (list, str)) and isinstance(key, int):
                return target[key]
            raise Unresolvable(f"cannot read {key!r} of a {type(target).__name__}")
        name = node.name
        if name == "resourcegroup":
            return {"id": GROUP_SCOPE, "name": RESOURCE_GROUP, "type": "Microsoft.Resources/resourceGroups",
                    "location": _Deferred("the resource group's location is known only at deployment "
                                          "(set the location parameter in --parameters)")}
        if name in DEPLOYMENT_TIME or name.startswith("list"):
            raise Unresolvable(DEPLOYMENT_TIME.get(name, f"{name}() reads secrets or state from Azure"))
        args = [self.eval(a) for a in node.args]
        if name == "parameters":
            return self.parameter(str(args[0]))
        if name == "variables":
            return self.variable(str(args[0]))
        if name == "copyindex":
            return self.copy(args)
        function = FUNCTIONS.get(name)
        if function is None:
            raise Unresolvable(f"{name}() is not evaluated offline")
        try:
            return bounded(function(*args), name)
        except Unresolvable:
            raise
        except Exception as exc:  # noqa: BLE001 - a function applied to values it cannot take
            raise Unresolvable(f"{name}() failed: {type(exc).__name__}: {exc}") from None

    def parameter(self, name: str) -> Any:
        if name.lower() in self.values:
            return self.values[name.lower()]
        spec = next((v for k, v in self.parameters.items() if k.lower() == name.lower()), None)
        if not isinstance(spec, dict):
            raise Unresolvable(f"parameter {name!r} is not declared")
        if "defaultValue" not in spec:
            raise Unresolvable(f"parameter {name!r} has no defaultValue and no value in --parameters")
        key = f"parameter:{name.lower()}"
        if key in self.resolving:
            raise Unresolvable(f"parameter {name!r} refers to itself")
        self.resolving.add(key)
        try:
            return self.resolve(spec["defaultValue"], f"parameters.{name}")
        finally:
            self.resolving.discard(key)

    def variable(self, name: str) -> Any:
        key = name.lower()
        if key in self.resolved_variables:
            return self.resolved_variables[key]
        if key not in self.variables:
            raise Unresolvable(f"variable {name!r} is not declared")
        guard = f"variable:{key}"
        if guard in self.resolving:
            raise Unresolvable(f"variable {name!r} refers to itself")
        self.resolving.add(guard)
        try:
            value = self.resolve(self.variables[key], f"variables.{name}")
        finally:
            self.resolving.discard(guard)
        self.resolved_variables[key] = value
        return value

    def copy(self, args: list[Any]) -> int:
        loop = next((a for a in args if isinstance(a, str)), None)
        offset = next((a for a in args if isinstance(a, int)), 0)
        if loop is not None:
            if loop.lower() not in self.copy_index:
                raise Unresolvable(f"copyIndex('{loop}') outside its copy loop")
            return self.copy_index[loop.lower()] + offset
        if "" not in self.copy_index:
            raise Unresolvable("copyIndex() outside a copy loop")
        return self.copy_index[""] + offset

    def resolve(self, value: Any, path: str) -> Any:
        """A value with every expression in it evaluated; raises Unresolvable for the first that
        cannot be (used for parameter defaults and variables, which are resolved whole)."""
        if is_expression(value):
            return self.value(value)
        if isinstance(value, str) and value.startswith("[["):
            return value[1:]
        if isinstance(value, dict):
            loops = _property_loops(value)
            out = {k: v if k in LINE_KEYS else self.resolve(v, f"{path}.{k}") for k, v in value.items()
                   if not (k == "copy" and loops)}
            for loop in loops:
                out[loop["name"]] = self.copy_loop(loop, path)
            return out
        if isinstance(value, list):
            return [self.resolve(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return value

    def copy_loop(self, loop: dict[str, Any], path: str) -> list[Any]:
        count = self.resolve(loop.get("count"), f"{path}.copy.count")
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COPIES:
            raise Unresolvable(f"copy count {count!r} is not a whole number from 0 to {MAX_COPIES}")
        name = str(loop.get("name", "")).lower()
        items = []
        for index in range(int(count)):
            self.copy_index[name] = index
            items.append(self.resolve(loop.get("input"), f"{path}.{loop.get('name')}[{index}]"))
        self.copy_index.pop(name, None)
        return items


MAX_COPIES = 800
"""ARM's own limit on a copy loop's count."""


def _property_loops(value: dict[str, Any]) -> list[dict[str, Any]]:
    """A ``copy`` array of ``{name, count, input}`` loops (property or variable iteration); any
    other ``copy`` value is an ordinary property."""
    loops = value.get("copy")
    if isinstance(loops, list) and loops and all(isinstance(loop, dict) and isinstance(loop.get("name"), str)
                                                 for loop in loops):
        return loops
    return []


class _Deferred:
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _without_lines(value: Any) -> Any:
    """A value brought in from ``parameters``/``variables`` without the line marks of where it was
    declared (a checkov-parsed template has them): the resource using it keeps its own lines."""
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k not in LINE_KEYS}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


def _has_deferred(value: Any) -> bool:
    if isinstance(value, _Deferred):
        return True
    if isinstance(value, dict):
        return any(_has_deferred(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_deferred(v) for v in value)
    return False


_MISSING = object()


class _Walker:
    """Resolves a template's values in place of a copy, recording what could not be resolved."""

    def __init__(self, evaluator: _Evaluator) -> None:
        self.evaluator = evaluator
        self.unresolved: list[UnresolvedValue] = []

    def walk(self, value: Any, path: str) -> Any:
        if is_expression(value):
            try:
                return self.evaluator.value(value)
            except ExpressionSyntaxError as exc:
                self.unresolved.append(UnresolvedValue(path, value, f"not a valid expression: {exc}"))
            except Unresolvable as exc:
                self.unresolved.append(UnresolvedValue(path, value, str(exc)))
            except RecursionError:
                raise
            except Exception as exc:  # noqa: BLE001 - e.g. an index past the end: the value stays as written
                self.unresolved.append(UnresolvedValue(path, value, f"could not be evaluated: {type(exc).__name__}: {exc}"))
            return value
        if isinstance(value, str) and value.startswith("[["):
            return value[1:]
        if isinstance(value, dict):
            loops = _property_loops(value)
            out = {k: v if k in LINE_KEYS else self.walk(v, f"{path}.{k}") for k, v in value.items()
                   if not (k == "copy" and loops)}
            for loop in loops:
                self.property_loop(out, loop, path)
            return out
        if isinstance(value, list):
            return [self.walk(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return value

    def property_loop(self, out: dict[str, Any], loop: dict[str, Any], path: str) -> None:
        name = loop["name"]
        try:
            out[name] = self.evaluator.copy_loop(loop, path)
        except RecursionError:
            raise
        except Exception as exc:  # noqa: BLE001 - Unresolvable, or a value the loop cannot take
            self.unresolved.append(UnresolvedValue(f"{path}.copy", json.dumps(loop, default=str)[:80],
                                                   f"property copy loop {name!r} not expanded: {exc}"))

    def resources(self, resources: list[Any], within: str = "") -> list[Any]:
        out = []
        for index, resource in enumerate(resources):
            path = f"{within}resources[{index}]"
            if not isinstance(resource, dict):
                out.append(resource)
                continue
            loop = resource.get("copy")
            copies: list[int | None] = [None]
            if isinstance(loop, dict):
                try:
                    count = self.evaluator.resolve(loop.get("count"), f"{path}.copy.count")
                    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COPIES:
                        raise Unresolvable(f"count {count!r} is not a whole number from 0 to {MAX_COPIES}")
                    copies = list(range(count))
                except RecursionError:
                    raise
                except Exception as exc:  # noqa: BLE001 - Unresolvable, or a count that is not a number
                    self.unresolved.append(UnresolvedValue(f"{path}.copy.count", str(loop.get("count")),
                                                           f"copy loop not expanded (checked once): {exc}"))
            for copy_at in copies:
                loop_name = str(loop.get("name", "")).lower() if isinstance(loop, dict) else ""
                if copy_at is not None:
                    self.evaluator.copy_index[loop_name] = copy_at
                    self.evaluator.copy_index[""] = copy_at
                body = {k: v for k, v in resource.items() if k not in ("copy", "resources")}
                where = path if copy_at is None else f"{path}[copy {copy_at}]"
                resolved = self.walk(body, where)
                if isinstance(resource.get("resources"), list):
                    resolved["resources"] = self.resources(resource["resources"], f"{where}.")
                if resolved.get("condition") is False:
                    continue
                out.append(resolved)
            self.evaluator.copy_index.pop(loop_name if isinstance(loop, dict) else "", None)
            self.evaluator.copy_index.pop("", None)
        return out


def resolve_template(template: dict[str, Any], parameter_values: dict[str, Any] | None = None) -> Resolution:
    """The template with what can be evaluated offline evaluated, and what could not be, listed.

    ``parameter_values``: name -> value (a parameters file's ``parameters.<name>.value``).
    Resources whose ``condition`` is false are dropped, as ARM would not deploy them."""
    evaluator = _Evaluator(template, parameter_values or {})
    walker = _Walker(evaluator)
    resolved = dict(template)
    resolved["resources"] = walker.resources(list(template.get("resources") or []))
    # Variables are substituted now; outputs are read after deployment. checkov's own substitution
    # crashes on a variable that is not an object, so neither goes further.
    resolved.pop("variables", None)
    resolved.pop("outputs", None)
    return Resolution(resolved, walker.unresolved)


def parameter_values(data: Any) -> dict[str, Any]:
    """``{"parameters": {"name": {"value": ...}}}`` (an ARM parameters file) -> name -> value.
    A Key Vault reference is left out (its value is a secret fetched at deployment)."""
    if not isinstance(data, dict) or not isinstance(data.get("parameters"), dict):
        raise ValueError("not an ARM parameters file (no 'parameters' object)")
    values = {}
    for name, spec in data["parameters"].items():
        if isinstance(spec, dict) and "value" in spec:
            values[name] = spec["value"]
    return values
