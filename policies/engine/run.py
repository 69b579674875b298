"""Run the council baseline on rendered templates and return a report (pure data).

Per target: write its ARM template to a temporary file, run checkov's ARM runner with only the
enforced checks, run the cross-resource council checks on the same template, then map each
result back to the Pulumi URN (the ``pulumi:urn`` metadata line inside the resource's line
range) and to the program file and line. Crashed checks, in checkov's built-ins or ours, are
findings with outcome ``errored``: the run is incomplete (exit 3), never a pass.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from policies.catalog import PolicySet, load_policies
from policies.engine.checkov_run import CouncilChecks, flatten_resources, load_checks, scan_file, scan_template
from policies.model import FrameworkId, Suppression
from policies.output.report import (
    Acceptance,
    CheckReport,
    Coverage,
    Finding,
    NotEvaluated,
    Outcome,
    RequirementStatus,
    TargetSummary,
    UnresolvedRecord,
)
from policies.engine.generic_checks import judging_generic
from policies.engine.live_semantics import apply_live_readings, index_resources
from policies.engine.messages import builtin_message
from policies.suppressions import SuppressionSet
from policies.targets import Target, TargetKind
from arm import URN_KEY

Progress = Callable[[int, int, str], None]
URN_LINE = re.compile(r'^\s*"pulumi:urn": "([^"]+)"')


def run_checks(
    targets: Iterable[Target],
    policies: PolicySet | None = None,
    suppressions: list[Suppression] | None = None,
    frameworks: Iterable[FrameworkId] = (),
    today: dt.date | None = None,
    progress: Progress | None = None,
    acceptance: Acceptance | None = None,
    checks: CouncilChecks | None = None,
) -> CheckReport:
    """``checks``: the council checks already loaded for ``policies`` (see ``policies.request``)."""
    targets = list(targets)
    policies = policies or load_policies()
    checks = checks or load_checks(policies)
    sups = SuppressionSet.split(suppressions or [], today or dt.date.today())
    report = CheckReport(checks_enforced=len(policies.enforced), expired_suppressions=sups.expired_report(),
                         acceptance=acceptance or Acceptance())
    enforced = policies.enforced
    with tempfile.TemporaryDirectory(prefix="borough-check-") as tmp:
        for index, target in enumerate(targets):
            if progress:
                progress(index, len(targets), f"checking {target.name}")
            findings = _check_target(target, Path(tmp) / f"{index:03d}.json", enforced, policies, checks)
            for finding, arm_name in findings:
                _suppress(finding, arm_name, sups)
            report.findings.extend(f for f, _ in findings)
            report.not_evaluated.extend(
                NotEvaluated(target.name, n.urn, n.type, n.reason, n.blocking) for n in target.render.not_rendered
            )
            report.unresolved.extend(UnresolvedRecord(target.name, target.source, u.path, u.expression, u.reason)
                                     for u in target.render.unresolved)
            report.targets.append(_summary(target, [f for f, _ in findings]))
        if progress:
            progress(len(targets), len(targets), "")
    report.findings.sort(key=finding_order)
    report.frameworks = [s for fw in frameworks for s in framework_status(policies, fw, report.findings)]
    return report


@dataclass
class _Context:
    target: Target
    policies: PolicySet
    checks: CouncilChecks
    urn_lines: list[int] = field(default_factory=list)
    urns: list[str] = field(default_factory=list)

    def urn_at(self, start: int, end: int) -> str | None:
        at = bisect.bisect_left(self.urn_lines, start)
        if at < len(self.urn_lines) and self.urn_lines[at] <= end:
            return self.urns[at]
        return None

    def finding(self, check_id: str, outcome: Outcome, resource: str, urn: str | None, line: int | None,
                message: str = "") -> Finding:
        entry = self.policies.baseline.checks[check_id]
        remediation = self.policies.remediation_of(check_id, self.checks.hints.get(check_id)) or \
            f"See checkov's documentation of {check_id} for the ARM property to set."
        file, file_line = self.target.source, line
        position = self.target.positions.get(urn) if urn else None
        if position is not None:
            file, file_line = position.file, position.line
        elif self.target.scan_path is None:
            file_line = None
        return Finding(check_id=check_id, title=self.checks.titles.get(check_id, check_id), severity=entry.severity,
                       outcome=outcome, target=self.target.name, resource=resource, urn=urn, file=file,
                       line=file_line, message=message, remediation=remediation)


def _check_target(target: Target, path: Path, enforced: list[str], policies: PolicySet,
                  checks: CouncilChecks) -> list[tuple[Finding, str]]:
    from checkov.common.models.enums import CheckResult

    from policies.checks.base import CRASHES, MESSAGES

    ctx = _Context(target, policies, checks)
    CRASHES.clear()
    resource_ids = [c for c in enforced if c not in checks.cross]
    out: list[tuple[Finding, str]] = []
    builtin_crashes = []
    with judging_generic(checks.resource, target.render.template):
        for scan in _scans(target, path, resource_ids):
            ctx.urn_lines, ctx.urns = [], []
            for number, line in enumerate(scan.text.splitlines(), start=1) if target.scan_path is None else ():
                match = URN_LINE.match(line)
                if match:
                    ctx.urn_lines.append(number)
                    ctx.urns.append(match.group(1))
            out += _findings(ctx, scan)
            builtin_crashes += scan.crashes
            MESSAGES.clear()
    resources = flatten_resources(target.render.template.get("resources"))
    for check_id, check in sorted(checks.cross.items()):
        for result in check.scan(resources):
            res = result.resource
            metadata = res.get("metadata") if isinstance(res.get("metadata"), dict) else {}
            resource_id = f"{res.get('type')}.{res.get('name')}"
            outcome = Outcome.passed if result.result == CheckResult.PASSED else Outcome.failed
            out.append((ctx.finding(check_id, outcome, resource_id, metadata.get(URN_KEY), None, result.message),
                        str(res.get("name"))))
    for crash in CRASHES:
        out.append((ctx.finding(crash.check_id, Outcome.errored, crash.resource, crash.urn, None,
                                f"check crashed: {crash.error}"), crash.resource.split(".", 1)[-1]))
    for builtin in builtin_crashes:
        if builtin.check_id.startswith("CKV_BOROUGH_"):
            continue
        urn = target.render.urns.get(builtin.resource)
        out.append((ctx.finding(builtin.check_id, Outcome.errored, builtin.resource, urn, None,
                                "checkov could not evaluate this check (it raised an exception)"),
                    builtin.resource.split(".", 1)[-1]))
    if target.kind is TargetKind.live:  # before suppressions and counts, like any verdict
        apply_live_readings([f for f, _ in out], index_resources(target.render.template.get("resources") or []))
    return out


SCAN_CHUNK = 500
"""Top-level resources checkov is handed at once: a live estate of 20,000 resources is scanned in
slices (each with its nested children), so checkov's per-scan structures stay small. Resource
checks see one resource at a time; cross-resource checks still see the whole template."""


def _scans(target: Target, path: Path, resource_ids: list[str]) -> Iterable[Any]:
    from policies.checks.base import MESSAGES

    if target.scan_path is not None:
        MESSAGES.clear()
        yield scan_file(target.scan_path, resource_ids, target.render.parameter_values)
        return
    template = target.render.template
    resources = template.get("resources") or []
    for start in range(0, max(len(resources), 1), SCAN_CHUNK):
        MESSAGES.clear()
        part = template if len(resources) <= SCAN_CHUNK else {**template, "resources": resources[start:start + SCAN_CHUNK]}
        yield scan_template(part, path, resource_ids)


def _findings(ctx: _Context, scan: Any) -> list[tuple[Finding, str]]:
    """One scan's checkov records as findings (URN from the scan's text, message from the check)."""
    from checkov.common.models.enums import CheckResult

    from policies.checks.base import MESSAGES

    confs = _by_start(scan.resources)
    out = []
    for record in [*scan.report.passed_checks, *scan.report.failed_checks]:
        start, end = record.file_line_range
        urn = ctx.urn_at(start, end)
        outcome = Outcome.passed if record.check_result["result"] == CheckResult.PASSED else Outcome.failed
        message = MESSAGES.get((record.check_id, record.resource, start)) or builtin_message(
            record.check_id, ctx.checks.titles.get(record.check_id, record.check_name), outcome,
            confs.get((record.resource, start)),
            record.check_result.get("evaluated_keys") or [ctx.checks.inspected.get(record.check_id, "")],
            ctx.checks.ports.get(record.check_id))
        out.append((ctx.finding(record.check_id, outcome, record.resource, urn, start, message),
                    record.resource.split(".", 1)[-1]))
    return out


def _by_start(resources: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    """checkov's resource id and first line -> the resource it judged."""
    index: dict[tuple[str, int], dict[str, Any]] = {}
    for resource in resources:
        line = resource.get("__startline__")
        if isinstance(line, int):
            index.setdefault((f"{resource.get('type')}.{resource.get('name')}", line), resource)
    return index


def _suppress(finding: Finding, arm_name: str, sups: SuppressionSet) -> None:
    if finding.outcome is not Outcome.failed:
        return
    suppression = sups.match(finding, arm_name)
    if suppression is not None:
        finding.outcome = Outcome.suppressed
        finding.suppression = {"justification": suppression.justification, "approver": suppression.approver,
                               "expires": suppression.expires.isoformat()}


def _summary(target: Target, findings: list[Finding]) -> TargetSummary:
    return TargetSummary(name=target.name, kind=target.kind.value, source=target.source, resources=target.resources,
                         rendered=target.render.rendered, not_rendered=len(target.render.not_rendered),
                         **finding_counts(findings))


def finding_counts(findings: list[Finding]) -> dict[str, int]:
    """A target summary's counts over ``findings`` (the checks evaluated, and each outcome)."""
    counted = {o: sum(1 for f in findings if f.outcome is o) for o in Outcome}
    return dict(checks_evaluated=len({f.check_id for f in findings if f.outcome is not Outcome.errored}),
                evaluations=counted[Outcome.passed] + counted[Outcome.failed] + counted[Outcome.suppressed],
                passed=counted[Outcome.passed], failed=counted[Outcome.failed],
                suppressed=counted[Outcome.suppressed], errored=counted[Outcome.errored])


def finding_order(finding: Finding) -> tuple[Any, ...]:
    rank = {Outcome.errored: 0, Outcome.failed: 1, Outcome.suppressed: 2, Outcome.passed: 3}
    return (rank[finding.outcome], -finding.severity.rank, finding.target, finding.check_id, finding.resource,
            finding.urn or "")


def framework_status(policies: PolicySet, framework_id: FrameworkId, findings: list[Finding]) -> list[RequirementStatus]:
    """Per requirement: met (its checks ran and passed), not met, or not covered (nothing ran)."""
    framework = policies.frameworks.get(framework_id)
    if framework is None:
        return []
    evaluated = {f.check_id for f in findings}
    failing = {f.check_id for f in findings if f.outcome in (Outcome.failed, Outcome.errored)}
    statuses = []
    for req in [*framework.requirements, *framework.rollups()]:  # CAF: outcomes, then principle roll-ups
        ran = [c for c in req.checks if c in evaluated]
        failed = sorted(c for c in req.checks if c in failing)
        status = Coverage.not_covered if not ran else Coverage.not_met if failed else Coverage.met
        statuses.append(RequirementStatus(framework_id, req.id, req.title, status, list(req.checks), failed, ran))
    return statuses
