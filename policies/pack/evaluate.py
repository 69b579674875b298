"""Judge the resources a Pulumi policy pack was given, as ``borough check --state`` would.

The pack (its own environment, see ``policies.pack``) sends the engine's resources in the shape of
``pulumi stack export``; here they are rendered to ARM and run through the same engine, checks and
suppressions as ``check``. During a preview some values are unknown (Pulumi's unknown sentinels):
a resource whose rendered ARM holds one is not evaluated, and reported so, never passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policies.engine.checkov_run import flatten_resources
from policies.engine.run import run_checks
from policies.output.report import Acceptance, CheckReport, NotEvaluated, Outcome
from policies.request import load_baseline
from policies.targets import TargetKind, from_graph
from arm import URN_KEY

UNKNOWN_VALUES = frozenset({
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # bool
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
    "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
    "e48ece36-62e2-4504-bad9-02848725956a",  # archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
})
"""Pulumi's wire sentinels for a value not known until the update runs."""


@dataclass(frozen=True)
class StackRequest:
    export: dict[str, Any]
    """``{"version": 3, "deployment": {"resources": [...]}}`` as the pack built it."""
    policy_dir: Path | None = None
    suppressions: Path | None = None
    today: dt.date | None = None


def evaluate_stack(request: StackRequest) -> CheckReport:
    """The check report for one stack as the policy engine sees it. A stack with no Azure
    resource is fine (a pack runs on every stack of an organisation); a resource with unknown
    values is listed as not evaluated (blocking), its findings withheld."""
    from deployed.state import parse_state

    policies, suppressions = load_baseline(request.policy_dir, request.suppressions)
    graph = parse_state(whole_numbers(request.export), source="the stack the policy engine sent")
    target = from_graph(graph, TargetKind.state, source=f"pulumi stack {graph.stack or '(unnamed)'}")
    unknown = unknown_paths(target.render.template)
    report = run_checks([target], policies=policies, suppressions=suppressions, today=request.today,
                        acceptance=Acceptance(allow_empty=True))
    if unknown:
        types = {r.urn: r.type for r in graph.resources}
        report.findings = [f for f in report.findings if f.urn not in unknown]
        report.not_evaluated.extend(
            NotEvaluated(target.name, urn, types.get(urn, ""), f"unknown until the update runs: {', '.join(paths)}",
                         blocking=True)
            for urn, paths in sorted(unknown.items()))
    return report


def whole_numbers(value: Any) -> Any:
    """Pulumi's wire format (a protobuf Struct) carries every number as a double: ``90`` arrives
    as ``90.0``. Whole doubles become ints again, as the program and ``check`` have them."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole_numbers(v) for v in value]
    return value


def unknown_paths(template: dict[str, Any]) -> dict[str, list[str]]:
    """URN -> the ARM paths of each rendered resource that hold an unknown value."""
    found: dict[str, list[str]] = {}
    for resource in flatten_resources(template.get("resources")):
        metadata = resource.get("metadata") if isinstance(resource.get("metadata"), dict) else {}
        urn = metadata.get(URN_KEY)
        paths = [p for key, value in resource.items() if key not in ("metadata", "resources")
                 for p in _unknowns(value, key)]
        if urn and paths:
            found.setdefault(urn, []).extend(paths)
    return found


def _unknowns(value: Any, path: str) -> list[str]:
    if isinstance(value, str):
        return [path] if value in UNKNOWN_VALUES else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _unknowns(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _unknowns(v, f"{path}[{i}]")]
    return []


def pack_record(report: CheckReport) -> dict[str, Any]:
    """What the pack reports, as plain data: violations (failed findings), what was not
    evaluated (unknown, unrenderable, crashed) and expired suppressions."""
    finding = lambda f: {"check_id": f.check_id, "severity": f.severity.value, "urn": f.urn or "",  # noqa: E731
                         "resource": f.resource, "title": f.title, "message": f.message,
                         "remediation": f.remediation}
    return {
        "violations": [finding(f) for f in report.by_outcome(Outcome.failed)],
        "suppressed": [{**finding(f), "suppression": f.suppression} for f in report.by_outcome(Outcome.suppressed)],
        "errored": [finding(f) for f in report.errored],
        "not_evaluated": [{"urn": n.urn, "type": n.type, "reason": n.reason}
                          for n in report.not_evaluated if n.blocking],
        "expired_suppressions": [{"check": s.check, "resource": s.resource, "approver": s.approver,
                                  "expires": s.expires.isoformat()} for s in report.expired_suppressions],
    }
