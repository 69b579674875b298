"""Domain renderers of a check report: SARIF 2.1.0, JUnit XML and the tables behind
table/markdown/csv. Each takes the report and returns data or text; nothing is printed here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from policies.model import Severity
from policies.output.report import CheckReport, Finding, Outcome
from policies.output.sarif_locations import SarifLocations, repository_root

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {Severity.critical: "error", Severity.high: "error", Severity.medium: "warning", Severity.low: "note"}
SECURITY_SEVERITY = {Severity.critical: "9.5", Severity.high: "8.0", Severity.medium: "5.5", Severity.low: "2.0"}


@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


def _where(finding: Finding) -> str:
    if not finding.file:
        return ""
    return f"{finding.file}:{finding.line}" if finding.line else finding.file


def report_tables(report: CheckReport, include_passed: bool = False, detailed: bool = False) -> list[Table]:
    """Summary, findings, not-evaluated, expired suppressions and framework coverage tables;
    ``detailed`` adds URN and remediation columns (CSV, Markdown)."""
    tables = [Table(
        "Targets",
        ["Target", "Kind", "Resources", "Rendered", "Not rendered", "Distinct checks", "Checks evaluated", "Passed",
         "Failed", "Suppressed", "Errored"],
        [[t.name, t.kind, t.resources, t.rendered, t.not_rendered, t.checks_evaluated, t.evaluations, t.passed,
          t.failed, t.suppressed, t.errored]
         for t in report.targets],
    )]
    shown = [f for f in report.findings if include_passed or f.outcome is not Outcome.passed]
    title = "Findings" if include_passed else "Findings (failed, errored, suppressed)"
    live = any(f.managed_by is not None for f in report.findings)
    managed = ["Subscription", "Resource group", "Managed by"] if live else []
    if detailed:
        tables.append(Table(
            title, ["Outcome", "Severity", "Check", "Title", "Target", "Resource", *managed, "URN", "Location", "Found",
                    "Remediation"],
            [[f.outcome, f.severity, f.check_id, f.title, f.target, f.resource_name, *_managed(f, live),
              f.urn or f.resource, _where(f), f.message, f.remediation if f.outcome is not Outcome.passed else ""]
             for f in shown],
        ))
    else:
        tables.append(Table(
            title, ["Outcome", "Severity", "Check", "Target", "Resource", *managed, "Found", "Location"],
            [[f.outcome, f.severity, f.check_id, f.target, f.resource_name, *_managed(f, live),
              f.message or f.title, _where(f)] for f in shown],
        ))
    tables += live_tables(report)
    if report.not_read:
        tables.append(Table("Not read (the run is incomplete)", ["Target", "Scope", "What", "Reason"],
                            [[n.target, n.scope, n.what, n.reason] for n in report.not_read]))
    if report.not_evaluated:
        tables.append(Table("Not evaluated", ["Target", "URN", "Type", "Blocks the run", "Reason"],
                            [[n.target, n.urn, n.type, "yes" if n.blocking else "no", n.reason]
                             for n in report.not_evaluated]))
    if report.unresolved:
        tables.append(Table("Template values not resolved offline (checked as written)",
                            ["Target", "Path", "Expression", "Why"],
                            [[u.target, u.path, u.expression, u.reason] for u in report.unresolved]))
    incomplete = report.incomplete()
    if incomplete:
        tables.append(Table("Incomplete (exit 3)", ["Reason"], [[reason] for reason in incomplete]))
    if report.expired_suppressions:
        tables.append(Table("Expired suppressions (no longer applied)", ["Check", "Resource", "Approver", "Expired"],
                            [[s.check, s.resource, s.approver, s.expires.isoformat()] for s in report.expired_suppressions]))
    if report.frameworks:
        tables.append(Table("Framework coverage",
                            ["Framework", "Requirement", "Title", "Status", "Failing checks", "Evaluated checks", "Mapped checks"],
                            [[s.framework, s.requirement, s.title, s.status, ", ".join(s.failed_checks),
                              ", ".join(s.evaluated_checks), ", ".join(s.checks)] for s in report.frameworks]))
    return tables


def _managed(finding: Finding, live: bool) -> list[str]:
    """A live run's where and whose cells: subscription, resource group and who manages it
    (stack:<name>, system:<id> or unmanaged)."""
    return [finding.subscription, finding.resource_group, finding.managed_by or ""] if live else []


def live_tables(report: CheckReport) -> list[Table]:
    """What a live run lists apart: platform-managed resources (not judged) and resources of
    unmapped types judged generically (with what that leaves uncovered)."""
    from policies.output.report import arm_id_part

    tables = []
    if report.platform_managed:
        tables.append(Table("Platform-managed (listed, not judged)",
                            ["Target", "Subscription", "Resource group", "Resource", "Type", "Managed by", "Why"],
                            [[p.target, arm_id_part(p.urn, "subscriptions"), arm_id_part(p.urn, "resourcegroups"),
                              p.urn.rsplit("/", 1)[-1], p.type, p.managed_by, p.reason] for p in report.platform_managed]))
    if report.generic:
        tables.append(Table("Generic (unmapped types: judged by the checks for every resource only)",
                            ["Target", "Subscription", "Resource group", "Resource", "Type", "Managed by", "Checks",
                             "Not covered"],
                            [[g.target, arm_id_part(g.urn, "subscriptions"), arm_id_part(g.urn, "resourcegroups"),
                              g.urn.rsplit("/", 1)[-1], g.type, g.managed_by, ", ".join(g.checks), g.not_covered]
                             for g in report.generic]))
    return tables


def to_sarif(report: CheckReport, tool_version: str = "0", root: Path | None = None) -> dict[str, Any]:
    """SARIF 2.1.0: one rule per check with a result, results for failed and suppressed findings;
    crashes and unrendered resources as tool notifications (and the run marked unsuccessful).
    Locations are relative to ``root`` (default: the repository holding the working directory)."""
    where = SarifLocations(root.resolve() if root is not None else repository_root())
    reported = [f for f in report.findings if f.outcome in (Outcome.failed, Outcome.suppressed)]
    rule_ids = sorted({f.check_id for f in report.findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    first = {}
    for f in report.findings:
        first.setdefault(f.check_id, f)
    rules = [{
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": first[rule_id].title},
        "help": {"text": first[rule_id].remediation or first[rule_id].title},
        "defaultConfiguration": {"level": SARIF_LEVEL[first[rule_id].severity]},
        "properties": {"security-severity": SECURITY_SEVERITY[first[rule_id].severity],
                       "severity": first[rule_id].severity.value, "tags": ["security", "compliance"]},
    } for rule_id in rule_ids]
    results = []
    for f in reported:
        location: dict[str, Any] = {"logicalLocations": [{"name": f.resource_name, "fullyQualifiedName": f.urn or f.resource,
                                                          "kind": "resource"}]}
        if f.file:
            physical: dict[str, Any] = {"artifactLocation": where.artifact_location(f.file)}
            if f.line and f.line > 0:
                physical["region"] = {"startLine": f.line}
            location["physicalLocation"] = physical
        result: dict[str, Any] = {
            "ruleId": f.check_id,
            "ruleIndex": index[f.check_id],
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": _sarif_text(f)},
            "locations": [location],
            "partialFingerprints": where.fingerprint(f),
            "properties": {"target": f.target, "resource": f.resource, "severity": f.severity.value},
        }
        if f.managed_by is not None:
            result["properties"]["managedBy"] = f.managed_by
        if f.outcome is Outcome.suppressed and f.suppression:
            result["suppressions"] = [{"kind": "external", "status": "accepted",
                                       "justification": f"{f.suppression['justification']} (approved by "
                                                        f"{f.suppression['approver']}, expires {f.suppression['expires']})"}]
        results.append(result)
    notifications = [{"level": "error", "message": {"text": f"{f.check_id} crashed on {f.urn or f.resource}: {f.message}"}}
                     for f in report.errored]
    notifications += [{"level": "error" if n.blocking else "warning",
                       "message": {"text": f"not evaluated: {n.urn} ({n.type}): {n.reason}"}}
                      for n in report.not_evaluated]
    notifications += [{"level": "warning", "message": {"text": f"not resolved offline: {u.file} {u.path} = "
                                                               f"{u.expression}: {u.reason}"}}
                      for u in report.unresolved]
    notifications += [{"level": "error", "message": {"text": f"incomplete: {reason}"}} for reason in report.incomplete()]
    notifications += [{"level": "error", "message": {"text": f"not read: {n.scope}: {n.what}: {n.reason}"}}
                      for n in report.not_read]
    notifications += [{"level": "note", "message": {"text": f"platform-managed, not judged: {p.urn} ({p.type}): {p.reason}"}}
                      for p in report.platform_managed]
    notifications += [{"level": "note", "message": {"text": f"generic: {g.urn} ({g.type}): {g.not_covered}"}}
                      for g in report.generic]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "originalUriBaseIds": where.original_uri_base_ids(),
            "tool": {"driver": {"name": "borough", "version": tool_version, "rules": rules,
                                "informationUri": "https://github.com/bridgecrewio/checkov"}},
            "invocations": [{"executionSuccessful": not report.incomplete(),
                             "toolExecutionNotifications": notifications}],
            "results": results,
        }],
    }


def _sarif_text(f: Finding) -> str:
    """What was found, on what, and what to do: ``port 22 (SSH) open to internet in rule allow-ssh
    (urn:...; platform-prod). Fix: ...``"""
    found = f.message or f.title
    fix = f" Fix: {f.remediation}" if f.remediation else ""
    return f"{found} ({f.urn or f.resource}; {f.target}).{fix}"


def to_junit(report: CheckReport) -> str:
    """JUnit XML (one suite per target, one case per check and resource) through an
    autoescaping Jinja template, so names and messages cannot break the XML."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["xml", "j2"]),
                      keep_trailing_newline=True)
    suites = []
    for target in report.targets:
        findings = [f for f in report.findings if f.target == target.name]
        cases = [{
            "classname": f.check_id, "name": f"{f.check_id} {f.urn or f.resource}", "file": f.file or "",
            "outcome": f.outcome.value, "severity": f.severity.value, "title": f.title,
            "detail": (f.suppression or {}).get("justification", "") if f.outcome is Outcome.suppressed
            else f"{f.message or f.title}. Fix: {f.remediation} ({_where(f)})", "managed_by": f.managed_by or "",
        } for f in findings]
        cases += [{"classname": "platform-managed", "name": p.urn, "file": "", "outcome": "suppressed", "severity": "",
                   "title": "platform-managed", "detail": f"platform-managed, not judged: {p.reason}",
                   "managed_by": p.managed_by}
                  for p in report.platform_managed if p.target == target.name]
        not_evaluated = [n for n in report.not_evaluated if n.target == target.name]
        cases += [{"classname": "not-read", "name": f"{n.scope}: {n.what}", "file": "", "outcome": "errored",
                   "severity": "", "title": "not read", "detail": n.reason}
                  for n in report.not_read if n.target == target.name]
        suites.append({
            "name": target.name, "cases": cases, "not_evaluated": not_evaluated,
            "tests": len(cases) + len(not_evaluated),
            "failures": sum(1 for c in cases if c["outcome"] == "failed"),
            "errors": sum(1 for c in cases if c["outcome"] == "errored"),
            "skipped": sum(1 for c in cases if c["outcome"] == "suppressed") + len(not_evaluated),
        })
    totals = {k: sum(s[k] for s in suites) for k in ("tests", "failures", "errors", "skipped")}
    return env.get_template("junit.xml.j2").render(suites=suites, totals=totals)
