"""`borough policies list`: the baseline as tables (checks, or one framework's requirements)."""

from __future__ import annotations

from pathlib import Path

from policies.catalog import load_policies
from policies.checkov_run import load_checks
from policies.formats import Table
from policies.model import FrameworkId


def list_policies(framework: FrameworkId | None = None, policy_dir: Path | None = None) -> list[Table]:
    policies = load_policies(policy_dir)
    titles = load_checks(policies).titles
    if framework is not None:
        fw = policies.frameworks[framework]
        rows = [[r.id, r.title, ", ".join(r.checks) or "(not covered)"] for r in fw.requirements]
        return [Table(f"{fw.name} {fw.version}".strip(), ["Requirement", "Title", "Checks"], rows)]
    rows = []
    for check_id in sorted(policies.enforced, key=_order):
        mapped = policies.requirements_of(check_id)
        meta = policies.council.get(check_id)
        rows.append([check_id, "council" if meta else "checkov", policies.baseline.checks[check_id].severity,
                     titles.get(check_id, ""), *(", ".join(mapped.get(fw, [])) for fw in FrameworkId)])
    return [Table("Council baseline (enforced checks)",
                  ["Check", "Source", "Severity", "Title", "NCSC CSP", "NCSC CAF", "CIS Azure"], rows)]


def _order(check_id: str) -> tuple[str, int]:
    prefix, _, number = check_id.rpartition("_")
    return prefix, int(number)
