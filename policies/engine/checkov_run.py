"""checkov in-process and offline: its ARM runner with the built-in checks and the council's.

Offline means nothing downloaded and no calls out: the platform integration is told to skip
downloads (``BC_SKIP_MAPPING``, ``skip_download``), the package update check is off, and only
the ARM runner is used (no SCA, no secrets scanning, no guidelines fetch). The registry is
process-wide in checkov, so the council checks are (re)registered once per run and reused for
every template in it.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from policies.catalog import PolicySet
from policies.errors import CheckovError, PolicyFileError

if TYPE_CHECKING:
    from checkov.common.output.report import Report

OFFLINE_ENV = {
    "BC_SKIP_MAPPING": "TRUE",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "FALSE",
    "LOG_LEVEL": "ERROR",
}
COUNCIL_PREFIX = "CKV_BOROUGH_"
FAILED_CHECK = re.compile(r"Failed to run check (\S+) on (.*):(\S+)$")


def go_offline() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    from checkov.common.bridgecrew.platform_integration import bc_integration

    bc_integration.skip_download = True


@dataclass
class CouncilChecks:
    resource: dict[str, Any] = field(default_factory=dict)
    """ID -> CouncilCheck (a checkov ARM resource check)."""
    cross: dict[str, Any] = field(default_factory=dict)
    """ID -> CrossResourceCheck (run by the engine on the whole template)."""
    titles: dict[str, str] = field(default_factory=dict)
    """Every enforced check ID -> its title (council metadata, or checkov's name)."""
    hints: dict[str, str] = field(default_factory=dict)
    """Built-in check ID -> the ARM key and values it wants, where checkov states them."""
    inspected: dict[str, str] = field(default_factory=dict)
    """Built-in value check ID -> the key it reads, for messages when checkov lists no evaluated keys."""
    ports: dict[str, int] = field(default_factory=dict)
    """Built-in NSG check ID -> the port it guards (CKV_AZURE_10: 22), to say which rule opened it."""


def _import_check(path: Path) -> ModuleType:
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    name = f"borough_policies.p{digest}.{path.stem}"  # dotted: checkov's bicep registry splits on "."
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PolicyFileError(f"{path}: cannot be imported as a check")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - a broken policy file is bad input, never a pass
        raise PolicyFileError(f"{path}: cannot load check: {type(exc).__name__}: {exc}") from None
    sys.modules[name] = module
    return module


def load_checks(policies: PolicySet) -> CouncilChecks:
    """Import the council checks, register them with checkov (replacing any earlier set)."""
    go_offline()
    from checkov.arm.registry import arm_resource_registry

    from policies.checks.base import CouncilCheck, CrossResourceCheck

    loaded = CouncilChecks()
    for check_id, path in sorted(policies.modules.items()):
        check = getattr(_import_check(path), "check", None)
        if not isinstance(check, (CouncilCheck, CrossResourceCheck)):
            raise PolicyFileError(f"{path}: defines no `check` (a CouncilCheck or CrossResourceCheck instance)")
        if check.id != check_id:
            raise PolicyFileError(f"{path}: check id {check.id} differs from its metadata id {check_id}")
        check.name = policies.council[check_id].title
        kind = policies.council[check_id].kind.value
        if isinstance(check, CrossResourceCheck) != (kind == "cross-resource"):
            raise PolicyFileError(f"{path.with_suffix('.yaml')}: kind: {kind} does not match the check's class")
        (loaded.cross if isinstance(check, CrossResourceCheck) else loaded.resource)[check_id] = check
        loaded.titles[check_id] = check.name

    for checks in (arm_resource_registry.checks, arm_resource_registry.wildcard_checks):
        for entity in list(checks):
            checks[entity] = [c for c in checks[entity] if not c.id.startswith(COUNCIL_PREFIX)]
    for check in loaded.resource.values():
        for entity in check.supported_resources:
            arm_resource_registry.checks[entity].append(check)

    known = {c.id: c for _, c in arm_resource_registry.all_checks()}
    for check_id in policies.builtin_ids:
        if check_id not in known:
            raise PolicyFileError(f"{policies.root / 'baseline.yaml'}: checks.{check_id}: checkov has no ARM check with this id")
        loaded.titles[check_id] = known[check_id].name
        hint = _value_hint(known[check_id])
        if hint:
            loaded.hints[check_id] = hint
        key = _inspected_key(known[check_id])
        if key:
            loaded.inspected[check_id] = key
        if isinstance(getattr(known[check_id], "port", None), int):
            loaded.ports[check_id] = known[check_id].port
    return loaded


def _inspected_key(check: Any) -> str | None:
    try:
        key = check.get_inspected_key()
    except Exception:  # noqa: BLE001 - not a value check
        return None
    return key if isinstance(key, str) and key else None


def _value_hint(check: Any) -> str | None:
    """checkov's value checks say which key they read and what they want: tell the reviewer."""
    from checkov.common.models.consts import ANY_VALUE

    try:
        key = check.get_inspected_key()
        if hasattr(check, "get_forbidden_values"):
            return f"{key} must not be {' or '.join(map(str, check.get_forbidden_values()))}."
        wanted = check.get_expected_values()
    except Exception:  # noqa: BLE001 - not a value check: no hint
        return None
    if ANY_VALUE in wanted:
        return f"Set {key}."
    return f"Set {key} to {' or '.join(dict.fromkeys(map(str, wanted)))}."


@dataclass
class BuiltinCrash:
    check_id: str
    resource: str


class _CrashLog(logging.Handler):
    """checkov logs (and swallows) an exception raised in a check: catch that log line."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.crashes: list[BuiltinCrash] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = FAILED_CHECK.match(record.getMessage())
        if match:
            self.crashes.append(BuiltinCrash(match.group(1), match.group(3)))


def annotate(template: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The template as checkov's parser would return it (every mapping with ``__startline__`` and
    ``__endline__``) together with its text, which is exactly ``dump_template``'s.

    checkov parses JSON with a pure-Python YAML loader, which is most of its run time on a large
    template; we wrote the text ourselves, so we know where every mapping starts and ends."""
    lines: list[str] = []
    return _annotated(template, lines, 0, ""), lines


def _annotated(value: Any, lines: list[str], indent: int, head: str) -> Any:
    if isinstance(value, (dict, list)) and not value:
        lines.append(head + ("{}" if isinstance(value, dict) else "[]"))
        return {"__startline__": len(lines), "__endline__": len(lines)} if isinstance(value, dict) else []
    if isinstance(value, dict):
        start = len(lines) + 1
        lines.append(head + "{")
        out: dict[str, Any] = {}
        items = sorted(value.items())
        for index, (key, item) in enumerate(items):
            out[key] = _annotated(item, lines, indent + 2, " " * (indent + 2) + json.dumps(key, ensure_ascii=False) + ": ")
            if index < len(items) - 1:
                lines[-1] += ","
        lines.append(" " * indent + "}")
        out["__startline__"], out["__endline__"] = start, len(lines)
        return out
    if isinstance(value, list):
        lines.append(head + "[")
        result = []
        for index, item in enumerate(value):
            result.append(_annotated(item, lines, indent + 2, " " * (indent + 2)))
            if index < len(value) - 1:
                lines[-1] += ","
        lines.append(" " * indent + "]")
        return result
    lines.append(head + json.dumps(value, ensure_ascii=False))
    return value


@dataclass
class Scan:
    report: "Report"
    crashes: list[BuiltinCrash]
    resources: list[dict[str, Any]]
    """The resources as checkov saw them (nested ones included), for the findings' messages."""
    text: str = ""
    """The template text the line numbers refer to (a template we rendered)."""


def checkov_view(template: dict[str, Any]) -> dict[str, Any]:
    """The template as checkov's built-in checks need it: NSG rule sources that mean the internet
    spelled the way those checks compare them (they test ``"internet"`` case-sensitively and know
    neither ``Internet``, Azure's own spelling, nor ``0.0.0.0/0`` or ``::/0``), and names still
    holding an expression written so checkov does not drop their failures. Only the resources
    changed are copied; what the council's cross-resource checks and drift read is untouched."""
    from policies.checks.netrules import AS_WRITTEN, SECURITY_RULES, internet_sources, rules_of

    nsg_types = {"microsoft.network/networksecuritygroups", SECURITY_RULES.lower()}

    def view(resource: Any) -> Any:
        if not isinstance(resource, dict):
            return resource
        name = resource.get("name")
        if isinstance(name, str) and name.startswith("[") and "(" in name:
            # checkov drops every failed check of a resource whose name holds toLower( trim( join(
            # split( or substring( ("unrendered"): an unresolved name must not make failures vanish.
            resource = {**resource, "name": name.replace("(", "<").replace(")", ">")}
        nested = resource.get("resources")
        if str(resource.get("type", "")).lower() in nsg_types:
            resource = copy.deepcopy(resource)
            for _, body in rules_of(resource):
                written = internet_sources(body)
                if written:
                    body[AS_WRITTEN] = written
                for key in ("sourceAddressPrefix", "sourceAddressPrefixes"):
                    value = body.get(key)
                    if isinstance(value, str) and internet_sources({"sourceAddressPrefix": value}):
                        body[key] = "internet"
                    elif isinstance(value, list):
                        body[key] = ["internet" if internet_sources({"sourceAddressPrefix": v}) else v for v in value]
        elif isinstance(nested, list):
            resource = {**resource, "resources": [view(r) for r in nested]}
        return resource

    return {**template, "resources": [view(r) for r in template.get("resources") or []]}


def flatten_resources(resources: Any) -> list[dict[str, Any]]:
    """Every resource of an ARM ``resources`` list, nested child resources after their parent."""
    out: list[dict[str, Any]] = []
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, dict):
            out.append(resource)
            out.extend(flatten_resources(resource.get("resources")))
    return out


def scan_template(template: dict[str, Any], path: Path, check_ids: list[str]) -> Scan:
    """Run checkov's ARM runner on a template we rendered, skipping its parser; also write the
    text to ``path`` (what the findings' line numbers refer to) and return it."""
    definitions, lines = annotate(checkov_view(template))
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    raw = [(number, line + "\n") for number, line in enumerate(lines, start=1)]
    resources = flatten_resources(definitions.get("resources"))
    report, crashes = _run_definitions(path, definitions, raw, check_ids)
    return Scan(report, crashes, resources, text)


def _run_definitions(path: Path, definitions: dict[str, Any], raw: list[tuple[int, str]],
                     check_ids: list[str]) -> tuple["Report", list[BuiltinCrash]]:
    from checkov.arm.graph_builder.definition_context import build_definitions_context

    key = str(path)
    runner = _runner()
    runner.definitions, runner.definitions_raw = {key: definitions}, {key: raw}
    try:
        runner.context = build_definitions_context(definitions=runner.definitions, definitions_raw=runner.definitions_raw)
    except Exception as exc:  # noqa: BLE001 - checkov failing is an incomplete run
        raise CheckovError(f"{path.name}: checkov failed: {type(exc).__name__}: {exc}") from None
    return _run(runner, path, check_ids, files=None)


def _runner() -> Any:
    from checkov.arm.runner import Runner

    runner = Runner()
    runner.graph_registry = None  # no ARM graph checks are enforced; building the graph costs time
    return runner


def scan_file(path: Path, check_ids: list[str], parameter_values: dict[str, Any] | None = None) -> Scan:
    """Run checkov's ARM runner on a reviewer's template file with only ``check_ids``: parsed by
    checkov (so line numbers are the file's), expressions resolved as ``load_template`` resolves
    them (checkov's own substitution crashes on a ``variables`` block), NSG sources normalised."""
    from checkov.arm.parser.parser import parse

    from arm.expressions import resolve_template

    definitions, raw = parse(str(path))
    if not definitions or raw is None:
        raise CheckovError(f"{path}: checkov could not parse the template")
    resolved = checkov_view(resolve_template(definitions, parameter_values or {}).template)
    resources = flatten_resources(resolved.get("resources"))
    report, crashes = _run_definitions(path, resolved, raw, check_ids)
    return Scan(report, crashes, resources)


def runner_filter(check_ids: list[str]) -> Any:
    """checkov's ``RunnerFilter`` for exactly ``check_ids``. checkov matches every (resource, check)
    pair against the whole allow-list with ``fnmatch`` (about 700,000 calls for 1,000 resources);
    our ids are literal, so a set answers the same question."""
    from checkov.runner_filter import RunnerFilter

    class ExactChecks(RunnerFilter):  # type: ignore[misc]
        def check_matches(self, check_id: str, bc_check_id: str | None, pattern_list: list[str]) -> bool:  # type: ignore[override]
            if pattern_list is self.checks and literal:
                return check_id in wanted or (bool(bc_check_id) and bc_check_id in wanted)
            return RunnerFilter.check_matches(check_id, bc_check_id, pattern_list)

    wanted = frozenset(check_ids)
    literal = not any(ch in check_id for check_id in check_ids for ch in "*?[")
    return ExactChecks(framework=["arm"], checks=list(check_ids), show_progress_bar=False)


def _run(runner: Any, path: Path, check_ids: list[str], files: list[str] | None) -> tuple["Report", list[BuiltinCrash]]:
    crash_log = _CrashLog()
    root = logging.getLogger()
    root.addHandler(crash_log)
    try:
        report = runner.run(root_folder=None, files=files, runner_filter=runner_filter(check_ids))
    except Exception as exc:  # noqa: BLE001 - checkov failing is an incomplete run
        raise CheckovError(f"{path.name}: checkov failed: {type(exc).__name__}: {exc}") from None
    finally:
        root.removeHandler(crash_log)
    if isinstance(report, list):
        report = report[0]
    if report.parsing_errors:
        raise CheckovError(f"{path}: checkov could not parse the template")
    return report, crash_log.crashes
