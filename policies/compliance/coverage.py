"""`borough policies coverage`: how far borough evidences each Azure Policy initiative.

Per initiative: its policies, how many in each evidence class, how many ``checked`` policies an
enforced check covers, and every policy not covered by a check (with its class and reason), so a
reviewer sees what is left to Azure Policy's own state, to the live read, or to people.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from policies.catalog import PolicySet, load_policies
from policies.output.formats import Table
from policies.listing import Record
from policies.compliance.initiatives import Evidence, Initiative, InitiativePolicy


class UncoveredPolicy(Record):
    """A policy no enforced check judges."""

    id: str = Field(description="Azure Policy definition id (its GUID).")
    name: str
    evidence: Evidence
    groups: list[str] = Field(description="The initiative's controls it evidences (CAF outcomes or CSP ids).")
    why: str = Field(description="What evidences it instead, or why nothing does.")


class InitiativeCoverage(Record):
    """One initiative's coverage."""

    initiative: str = Field(description="borough's id of the initiative file, e.g. ncsc-caf-v3.2.")
    name: str
    azure_id: str = Field(description="The policy set definition's GUID.")
    version: str
    policies: int = Field(description="Policy definitions in the initiative.")
    by_evidence: dict[str, int] = Field(description="Policies per evidence class (every class, zero included).")
    checked_covered: int = Field(description="`checked` policies at least one enforced check judges.")
    uncovered: list[UncoveredPolicy] = Field(description="Every policy not covered by a check, in file order.")


def initiative_coverage(initiative: Initiative, policies: PolicySet) -> InitiativeCoverage:
    counts = {e.value: 0 for e in Evidence}
    covered = 0
    uncovered: list[UncoveredPolicy] = []
    for policy in initiative.policies:
        counts[policy.evidence.value] += 1
        enforced = [c for c in policy.checks if c in policies.baseline.checks]
        if policy.evidence is Evidence.checked and enforced:
            covered += 1
            continue
        uncovered.append(UncoveredPolicy(id=policy.id, name=policy.name, evidence=policy.evidence,
                                         groups=list(policy.groups), why=_why(policy)))
    return InitiativeCoverage(initiative=initiative.id, name=initiative.name, azure_id=initiative.azure_id,
                              version=initiative.version, policies=len(initiative.policies), by_evidence=counts,
                              checked_covered=covered, uncovered=uncovered)


def _why(policy: InitiativePolicy) -> str:
    if policy.evidence is Evidence.checked:
        return "no enforced check judges it yet"
    if policy.evidence is Evidence.live_only:
        return "check --live reads " + ", ".join(e.value for e in policy.live) + (f": {policy.detail}" if policy.detail else "")
    return policy.reason


def coverage(policy_dir: Path | None = None) -> list[InitiativeCoverage]:
    policies = load_policies(policy_dir)
    return [initiative_coverage(i, policies) for _, i in sorted(policies.initiatives.items())]


def coverage_tables(records: list[InitiativeCoverage]) -> list[Table]:
    classes = [e.value for e in Evidence]
    summary = Table("Azure Policy initiatives: how borough evidences them",
                    ["Initiative", "Version", "Policies", *classes, "checked covered by a check"],
                    [[r.name, r.version, r.policies, *(r.by_evidence[c] for c in classes),
                      f"{r.checked_covered} of {r.by_evidence[Evidence.checked.value]}"] for r in records])
    rest = [Table(f"{r.name}: not covered by a check ({len(r.uncovered)})", ["Policy", "Name", "Evidence", "Controls", "Why"],
                  [[u.id, u.name, u.evidence.value, ", ".join(u.groups), u.why] for u in r.uncovered])
            for r in records]
    return [summary, *rest]
