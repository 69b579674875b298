"""The compliance part of the estate report (`--checks`): per stack and per NCSC principle.

It takes the plain data a compliance run gives (``CheckReport.to_dict()`` from
``policies.request.check``), not the policies package itself, so inventory never imports
policies. A principle is judged per stack as the engine judges it overall: met when its checks
ran there and none failed, not met when one failed or crashed, not covered when none ran.
"""

from __future__ import annotations

from typing import Any, Mapping

from inventory.reports.html.charts import DataTable, Tag, bar_chart
from inventory.reports.html.sections import Section

TONES = {"met": "green", "not met": "red", "not covered": "grey", "passed": "green", "failed": "red", "not checked": "grey"}


def _tag(status: str) -> Tag:
    return Tag(status, TONES.get(status, "grey"))


def _status(checks: list[str], evaluated: set[str], failing: set[str]) -> str:
    ran = [c for c in checks if c in evaluated]
    if not ran:
        return "not covered"
    return "not met" if any(c in failing for c in checks) else "met"


def compliance_section(check: Mapping[str, Any], framework: str = "ncsc") -> Section:
    """Per stack (verdicts and whether the run was complete) and per principle (overall and per stack)."""
    targets = sorted(check.get("targets", []), key=lambda t: t["name"])
    findings = check.get("findings", [])
    evaluated: dict[str, set[str]] = {t["name"]: set() for t in targets}
    failing: dict[str, set[str]] = {t["name"]: set() for t in targets}
    for f in findings:
        evaluated.setdefault(f["target"], set()).add(f["check_id"])
        if f["outcome"] in ("failed", "errored"):
            failing.setdefault(f["target"], set()).add(f["check_id"])
    names = [t["name"] for t in targets]

    stack_table = DataTable(
        "Checks per stack", ("stack", "resources", "distinct checks", "evaluations passed", "evaluations failed",
                             "evaluations suppressed", "evaluations errored", "result"),
        tuple((t["name"], f"{t['resources']:,}", f"{t['checks_evaluated']:,}", f"{t['passed']:,}", f"{t['failed']:,}",
               f"{t['suppressed']:,}", f"{t['errored']:,}",
               _tag("failed" if t["failed"] or t["errored"] else "passed" if t["rendered"] else "not checked")) for t in targets),
        (False, True, True, True, True, True, True, False),
    )
    failed_total = sum(t["failed"] for t in targets)
    summary = (f"{len(targets)} stacks checked against the council baseline. Counting evaluations (one check on one resource): "
               f"{sum(t['passed'] for t in targets):,} passed and {failed_total:,} failed in all.")
    chart = bar_chart("stacks", "Evaluations per stack (one check on one resource)", summary, names,
                      [("passed", [t["passed"] for t in targets]), ("failed", [t["failed"] for t in targets]),
                       ("suppressed", [t["suppressed"] for t in targets])], stack_table, stacked=True)

    requirements = [r for r in check.get("frameworks", []) if r["framework"] == framework]
    principle_rows = tuple(
        (r["requirement"], r["title"], _tag(r["status"]),
         *[_tag(_status(r["checks"], evaluated[n], failing[n])) for n in names])
        for r in requirements
    )
    principles = DataTable(f"{framework.upper()} principles: met, not met or not covered", ("principle", "title", "all stacks", *names),
                           principle_rows)
    counts = {s: sum(1 for r in requirements if r["status"] == s) for s in ("met", "not met", "not covered")}
    incomplete = check.get("incomplete", [])
    intro = (f"NCSC Cloud Security Principles across the bundled stacks: {counts['met']} met, {counts['not met']} not met, "
             f"{counts['not covered']} not covered by any check.")
    if incomplete:
        intro += " The run was incomplete: " + "; ".join(incomplete)
    return Section("compliance", "Compliance of the bundled stacks", intro, (chart,), (principles,))
