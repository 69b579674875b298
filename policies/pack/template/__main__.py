"""The council baseline as a Pulumi policy pack (written by `borough policies pack`).

One stack validation policy per enforced check, named by its check id, so `pulumi preview` and
`pulumi up` report exactly what `borough check` reports: the stack's resources are sent once to
borough (its own environment: this pack's pins protobuf 5, borough's protobuf 6), rendered to ARM
and judged by the same engine, checks and suppressions. `borough-run` reports what could not be
evaluated (values unknown during preview, types borough cannot render, checks that crashed, borough
itself failing): never a pass. `borough-expired-suppressions` reports suppressions past their expiry.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
import threading
from pathlib import Path
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import serialize_properties

HERE = Path(__file__).resolve().parent
PACK = json.loads((HERE / "borough-pack.json").read_text(encoding="utf-8"))
RUN_POLICY = "borough-run"
EXPIRED_POLICY = "borough-expired-suppressions"
LEVELS = {"advisory": EnforcementLevel.ADVISORY, "mandatory": EnforcementLevel.MANDATORY,
          "disabled": EnforcementLevel.DISABLED}
SEVERITIES = {"low": Severity.LOW, "medium": Severity.MEDIUM, "high": Severity.HIGH, "critical": Severity.CRITICAL}

_lock = threading.Lock()
_results: dict[str, Any] = {}
_run_config: dict[str, Any] = {}


def _settings() -> dict[str, Any]:
    """The pack's defaults (borough-pack.json), overridden by `borough-run`'s policy config."""
    settings = dict(PACK["settings"])
    settings.update({k: v for k, v in _run_config.items() if k in settings and v is not None})
    return settings


def _export(args: StackValidationArgs) -> dict[str, Any]:
    """The engine's resources as a `pulumi stack export` (deployment v3): unknown values stay as
    Pulumi's sentinels, so borough can tell them from real ones."""
    resources = []
    for r in args.resources:
        entry: dict[str, Any] = {
            "urn": r.urn, "type": r.resource_type,
            "custom": r.provider is not None or r.resource_type.startswith("azure-native:"),
            "outputs": serialize_properties(r.props),
            "dependencies": [d.urn for d in r.dependencies],
        }
        if r.parent is not None:
            entry["parent"] = r.parent.urn
        resources.append(entry)
    return {"version": 3, "deployment": {"manifest": {}, "resources": resources}}


def _evaluate(args: StackValidationArgs, fresh: bool = False) -> dict[str, Any]:
    """borough's verdict on this stack, computed once per AnalyzeStack. `borough-run`, the first
    policy of every call, asks afresh; the check policies after it in the same call reuse its
    verdict (same thread, same resources and settings) instead of serializing the stack again.
    Without `borough-run` each policy compares the whole stack, and borough still runs once."""
    settings = _settings()
    cheap = (threading.get_ident(), tuple(r.urn for r in args.resources), json.dumps(settings, sort_keys=True))
    with _lock:
        if not fresh and _results.get("by_run") and _results.get("cheap") == cheap:
            return _results["verdict"]
        payload = json.dumps({"export": _export(args), "settings": settings}, sort_keys=True)
        key = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        if _results.get("key") != key:
            _results.clear()
            _results.update(key=key, verdict=_run_borough(payload, settings))
        _results.update(cheap=cheap, by_run=fresh)
        return _results["verdict"]


def _run_borough(payload: str, settings: dict[str, Any]) -> dict[str, Any]:
    command = settings["command"]
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    argv += ["policies", "evaluate-stack", "--input", "-"]
    if settings.get("suppressions"):
        argv += ["--suppressions", str(settings["suppressions"])]
    if settings.get("policies"):
        argv += ["--policies", str(settings["policies"])]
    try:
        done = subprocess.run(argv, input=json.dumps(json.loads(payload)["export"]), capture_output=True, text=True,
                              timeout=float(settings.get("timeout") or 600))
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"failed": f"could not run {shlex.join(argv[:len(argv) - 4])}: {exc}"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        return {"failed": f"borough exited {done.returncode}: {last}"}
    try:
        return json.loads(done.stdout)
    except ValueError:
        return {"failed": "borough wrote no JSON verdict"}


def _text(finding: dict[str, Any]) -> str:
    found = finding.get("message") or finding["title"]
    fix = f" Fix: {finding['remediation']}" if finding.get("remediation") else ""
    return f"[{finding['check_id']}, {finding['severity']}] {found} ({finding['resource']}).{fix}"


def _check_policy(check: dict[str, Any]) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        verdict = _evaluate(args)
        for finding in verdict.get("violations", []):
            if finding["check_id"] == check["id"]:
                report_violation(_text(finding), finding["urn"] or None)

    return StackValidationPolicy(name=check["id"], description=check["title"], validate=validate,
                                 enforcement_level=LEVELS[check["enforcement"]], severity=SEVERITIES[check["severity"]],
                                 remediation_steps=check.get("remediation") or None,
                                 tags=["borough", *check.get("frameworks", [])])


def _run(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    _run_config.clear()
    _run_config.update(args.get_config() or {})
    verdict = _evaluate(args, fresh=True)
    if "failed" in verdict:
        report_violation(f"not evaluated: {verdict['failed']}; no check of the baseline ran on this stack")
        return
    for item in verdict.get("not_evaluated", []):
        report_violation(f"not evaluated: {item['type']}: {item['reason']}", item["urn"] or None)
    for finding in verdict.get("errored", []):
        report_violation(f"not evaluated: {finding['check_id']} {finding['message']}", finding["urn"] or None)


def _expired(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    for item in _evaluate(args).get("expired_suppressions", []):
        report_violation(f"suppression of {item['check']} on {item['resource']} (approved by {item['approver']}) "
                         f"expired on {item['expires']}: it no longer applies; renew or remove it")


POLICIES = [
    StackValidationPolicy(
        name=RUN_POLICY, description="borough judged every resource (reports what it could not evaluate)",
        validate=_run, enforcement_level=LEVELS[PACK["not_evaluated"]], severity=Severity.HIGH,
        config_schema=PolicyConfigSchema(properties=PACK["config_schema"]["properties"]),
    ),
    StackValidationPolicy(
        name=EXPIRED_POLICY, description="Suppressions of the council baseline past their expiry date",
        validate=_expired, enforcement_level=LEVELS[PACK["expired_suppressions"]], severity=Severity.LOW,
    ),
    *(_check_policy(check) for check in PACK["checks"]),
]

PolicyPack(name=PACK["name"], policies=POLICIES, description=PACK["description"], provider="azure-native",
           tags=["borough", "ncsc", "cis"])
