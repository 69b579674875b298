"""`borough policies list`: the baseline as records (the enforced checks, or one framework's
requirements), and the tables people read them as.

The records are what ``--format json`` writes, for scripts: one record per check or requirement,
keyed by field name, never the rows of a rendered table. Their JSON Schemas in ``docs/schemas/``
are generated from these models (``python -m cli.schemas docs/schemas``).
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from policies.catalog import PolicySet, load_policies
from policies.errors import PolicyFileError
from policies.output.formats import Table
from policies.model import FrameworkId, Severity

FRAMEWORK_COLUMNS = {FrameworkId.ncsc: "NCSC CSP", FrameworkId.caf: "NCSC CAF", FrameworkId.cis: "CIS Azure"}


class CheckSource(str, Enum):
    """Where a check's code lives: checkov's own checks, or the council's in policies/checks/."""

    built_in = "built-in"
    council = "council"


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FrameworkMappings(Record):
    """The requirements of each framework a check is evidence for (empty: none of that framework)."""

    ncsc: list[str] = Field(description="NCSC cloud security principles, e.g. \"1\".")
    caf: list[str] = Field(description="NCSC Cyber Assessment Framework outcomes, e.g. \"B3\".")
    cis: list[str] = Field(description="CIS Microsoft Azure Foundations recommendations, e.g. \"3.1\".")


class CheckRecord(Record):
    """One check the baseline enforces."""

    id: str = Field(description="checkov check id, e.g. CKV_AZURE_3 or CKV_BOROUGH_005.")
    title: str
    severity: Severity = Field(description="The council's severity for it (baseline.yaml).")
    source: CheckSource
    remediation: str | None = Field(description="How to fix a failure; null where neither the baseline, the council "
                                                "check nor checkov states one.")
    frameworks: FrameworkMappings


class RequirementRecord(Record):
    """One requirement of a framework and the checks that give evidence for it."""

    id: str = Field(description="The framework's own numbering, e.g. B2.a (a CAF contributing outcome) or 3.1.")
    title: str
    principle: str | None = Field(default=None, description="The principle it rolls up to (CAF: B2 for B2.a); null in a flat framework.")
    checks: list[str] = Field(description="Enforced check ids mapped to it; empty: no check covers it.")


class FrameworkRecord(Record):
    """A framework and its requirements, in the framework's own order."""

    framework: FrameworkId
    name: str
    version: str | None = Field(description="The framework's version, null when the file names none.")
    requirements: list[RequirementRecord]


def check_records(policy_dir: Path | None = None) -> list[CheckRecord]:
    """Every enforced check, ordered by id (CKV_AZURE_2 before CKV_AZURE_10)."""
    from policies.engine.checkov_run import load_checks

    policies = load_policies(policy_dir)
    checks = load_checks(policies)
    return [_check_record(policies, check_id, checks.titles.get(check_id, ""), checks.hints.get(check_id))
            for check_id in sorted(policies.enforced, key=check_order)]


def _check_record(policies: PolicySet, check_id: str, title: str, hint: str | None) -> CheckRecord:
    meta = policies.council.get(check_id)
    mapped = policies.requirements_of(check_id)
    return CheckRecord(
        id=check_id, title=title, severity=policies.baseline.checks[check_id].severity,
        source=CheckSource.council if meta else CheckSource.built_in,
        remediation=policies.remediation_of(check_id, hint),
        frameworks=FrameworkMappings(**{fw.value: sorted(mapped.get(fw, []), key=_natural) for fw in FrameworkId}),
    )


def framework_record(framework: FrameworkId, policy_dir: Path | None = None) -> FrameworkRecord:
    """One framework's requirements, each with the enforced checks mapped to it."""
    policies = load_policies(policy_dir)
    fw = policies.frameworks.get(framework)
    if fw is None:
        raise PolicyFileError(f"{policies.root / 'frameworks'}: no framework file with id: {framework.value}",
                              "add frameworks/<name>.yaml with that id, or choose another --framework")
    return FrameworkRecord(
        framework=fw.id, name=fw.name, version=fw.version or None,
        requirements=[RequirementRecord(id=r.id, title=r.title, principle=r.principle,
                                        checks=sorted(r.checks, key=check_order)) for r in fw.requirements],
    )


def checks_table(records: list[CheckRecord]) -> Table:
    rows = [[r.id, r.source.value, r.severity.value, r.title,
             *(", ".join(getattr(r.frameworks, fw.value)) for fw in FrameworkId)] for r in records]
    return Table("Council baseline (enforced checks)",
                 ["Check", "Source", "Severity", "Title", *(FRAMEWORK_COLUMNS[fw] for fw in FrameworkId)], rows)


def requirements_table(record: FrameworkRecord) -> Table:
    rows = [[r.id, r.title, ", ".join(r.checks) or "(not covered)"] for r in record.requirements]
    # CAF: the principles' roll-ups after their outcomes (their checks are their outcomes' checks)
    for principle in dict.fromkeys(r.principle for r in record.requirements if r.principle):
        checks = dict.fromkeys(c for r in record.requirements if r.principle == principle for c in r.checks)
        rows.append([principle, f"(roll-up of {principle}.*)", ", ".join(checks) or "(not covered)"])
    return Table(f"{record.name} {record.version or ''}".strip(), ["Requirement", "Title", "Checks"], rows)


def check_order(check_id: str) -> tuple[str, int]:
    """CKV_AZURE_2 before CKV_AZURE_10: the prefix, then the number."""
    prefix, _, number = check_id.rpartition("_")
    return prefix, int(number)


def _natural(requirement_id: str) -> tuple[tuple[int, int | str], ...]:
    """Requirement ids in reading order: 2 before 10, 3.2 before 3.10, A2 before B1."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", requirement_id))
