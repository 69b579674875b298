"""`borough report caf-evidence`: an evidence pack for a CAF assessor, per contributing outcome.

For each outcome (A1.a .. D2.b): what borough judged (the checks mapped to it, on which stacks or
subscriptions, with what result and which findings failed), what Azure Policy recorded for the
UK initiatives' policies grouped under it (from a ``check --live`` run), what the register shows
(A3.a asset records, A4.a supplier contracts), and what remains for people to evidence. Principle
roll-ups are computed from their outcomes. Built from a check run's plain data
(``CheckReport.to_dict()``), so a saved ``check --format json`` (live or not) makes the pack too.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal, Mapping

from pydantic import Field

from policies.catalog import PolicySet
from policies.output.formats import Table
from policies.listing import Record

Status = Literal["met", "not met", "not covered"]
FOR_PEOPLE = {
    "A1": "board direction, named roles and how security decisions are made and recorded",
    "A2": "the risk register, the threat assessment and how assurance is gained",
    "A3": "how the asset register is kept current and reviewed",
    "A4": "security terms in supplier contracts and how suppliers are overseen",
    "B1": "the council's security policies and how they are put into practice",
    "B2": "joiners, movers and leavers, device management and access reviews",
    "B3": "what data is held where, and how media and devices are sanitised",
    "B4": "patching and vulnerability management beyond configuration",
    "B5": "resilience preparation, tested restores and backups held apart",
    "B6": "training records and the security culture",
    "C1": "who watches the alerts, with what tools and skills",
    "C2": "threat hunting and how abnormal behaviour is looked for",
    "D1": "the incident response plan, who does what, and exercise records",
    "D2": "post-incident reviews and the improvements they led to",
}


class FailedFinding(Record):
    anchor: str = Field(description="The finding's id in the HTML pack (links point here).")
    target: str
    resource: str
    message: str
    suppressed: bool


class CheckEvidence(Record):
    check_id: str
    title: str
    targets: list[str] = Field(description="Stacks, programs or 'live' it was evaluated on.")
    passed: int
    failed: int
    suppressed: int
    failures: list[FailedFinding] = Field(description="Failed and suppressed findings, each a link target.")


class RegisterMeasure(Record):
    measure: str
    complete: int
    total: int
    missing: list[str] = Field(description="Ids of the systems that lack it.")


class PolicyStates(Record):
    policy_id: str
    name: str
    initiative: str
    evidence: str = Field(description="How borough evidences it: checked, live-only, azure-policy-state, not-judgeable.")
    azure: dict[str, int] = Field(description="Compliance states Azure Policy recorded (from check --live), by state.")
    disagreements: int = Field(description="Resources where Azure Policy and borough's checks disagree.")


class OutcomeEvidence(Record):
    outcome: str
    principle: str
    title: str
    status: Status
    checks: list[CheckEvidence]
    from_register: list[RegisterMeasure]
    policies: list[PolicyStates]
    for_people: str


class PrincipleEvidence(Record):
    principle: str
    title: str
    status: Status
    outcomes: dict[str, Status]
    policies: list[PolicyStates] = Field(description="UK-initiative policies Microsoft groups under the principle "
                                                      "itself (B4, D1) rather than one of its outcomes.")


class CafEvidence(Record):
    today: dt.date
    framework_version: str
    targets: list[str] = Field(description="What was checked: stacks, programs, files or 'live'.")
    principles: list[PrincipleEvidence]
    outcomes: list[OutcomeEvidence]


def register_measures(estate: Any) -> dict[str, list[RegisterMeasure]]:
    """A3.a: owners, classification and support dates recorded; A4.a: suppliers and contract end
    dates for what a supplier runs. Retired systems are out of scope. Pure."""
    systems = [s for s in estate.systems if str(getattr(s.state, "value", s.state)) != "retired"]

    def measure(name: str, wanted: list[Any], ok: Any) -> RegisterMeasure:
        missing = sorted(s.id for s in wanted if not ok(s))
        return RegisterMeasure(measure=name, complete=len(wanted) - len(missing), total=len(wanted), missing=missing)

    supplied = [s for s in systems if s.supplier or str(getattr(s.hosting, "value", s.hosting)) in ("saas", "supplier-hosted")]
    return {
        "A3.a": [measure("business and technical owner recorded", systems, lambda s: s.business_owner and s.technical_owner),
                 measure("data classification recorded", systems, lambda s: s.data_classification is not None),
                 measure("support end date recorded", systems, lambda s: s.support_end is not None)],
        "A4.a": [measure("supplier named (supplier-run systems)", supplied, lambda s: bool(s.supplier)),
                 measure("contract end date recorded (supplier-run systems)", supplied, lambda s: s.contract_end is not None)],
    }


def build_caf_evidence(run: Mapping[str, Any], policies: PolicySet, estate: Any, today: dt.date) -> CafEvidence:
    """The pack from a check run's data, the policy set and the register. Pure."""
    from policies.model import FrameworkId

    framework = policies.frameworks[FrameworkId.caf]
    findings = list(run.get("findings") or [])
    register = register_measures(estate) if estate is not None else {}
    anchors = {id(f): f"finding-{n}" for n, f in enumerate(findings, start=1)}
    by_check: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        by_check.setdefault(finding["check_id"], []).append(finding)
    states = list(run.get("policy_states") or [])
    outcomes = []
    for requirement in framework.requirements:
        checks = [_check_evidence(c, by_check[c], anchors) for c in requirement.checks if c in by_check]
        measures = register.get(requirement.id, [])
        policy_states = _policy_states(requirement.id, policies, states)
        outcomes.append(OutcomeEvidence(
            outcome=requirement.id, principle=requirement.principle or requirement.id, title=requirement.title,
            status=_status(checks, measures), checks=checks, from_register=measures, policies=policy_states,
            for_people=FOR_PEOPLE.get(requirement.principle or "", "")))
    principles = []
    for principle in framework.principles:
        mine = {o.outcome: o.status for o in outcomes if o.principle == principle.id}
        judged = [s for s in mine.values() if s != "not covered"]
        status: Status = "not covered" if not judged else "not met" if "not met" in judged else "met"
        principles.append(PrincipleEvidence(principle=principle.id, title=principle.title, status=status, outcomes=mine,
                                            policies=_policy_states(principle.id, policies, states, only_if_no=mine)))
    targets = [str(t.get("name")) for t in run.get("targets") or []]
    return CafEvidence(today=today, framework_version=framework.version, targets=targets, principles=principles, outcomes=outcomes)


def _check_evidence(check_id: str, findings: list[dict[str, Any]], anchors: dict[int, str]) -> CheckEvidence:
    count = Counter(f["outcome"] for f in findings)
    failures = [FailedFinding(anchor=anchors[id(f)], target=f["target"], resource=_resource(f), message=f.get("message") or "",
                              suppressed=f["outcome"] == "suppressed")
                for f in findings if f["outcome"] in ("failed", "suppressed", "errored")]
    return CheckEvidence(check_id=check_id, title=findings[0].get("title") or check_id,
                         targets=sorted({f["target"] for f in findings}), passed=count["passed"],
                         failed=count["failed"] + count["errored"], suppressed=count["suppressed"], failures=failures)


def _resource(finding: dict[str, Any]) -> str:
    urn = finding.get("urn") or ""
    return urn.rsplit("::", 1)[-1] if urn.startswith("urn:") else (urn or finding.get("resource") or "")


def _status(checks: list[CheckEvidence], measures: list[RegisterMeasure]) -> Status:
    if not checks and not measures:
        return "not covered"
    if any(c.failed for c in checks) or any(m.complete < m.total for m in measures):
        return "not met"
    return "met"


def _policy_states(group: str, policies: PolicySet, states: list[dict[str, Any]],
                   only_if_no: Mapping[str, Any] | None = None) -> list[PolicyStates]:
    """The initiative policies grouped under ``group``; for a principle, only those grouped under
    none of its outcomes (``only_if_no``), so each shows once."""
    out = []
    for initiative in policies.initiatives.values():
        for policy in initiative.policies:
            if group not in policy.groups or (only_if_no and any(g in only_if_no for g in policy.groups)):
                continue
            mine = [s for s in states if s.get("policy_definition_id") == policy.id]
            out.append(PolicyStates(policy_id=policy.id, name=policy.name, initiative=initiative.id,
                                    evidence=policy.evidence.value, azure=dict(sorted(Counter(s["azure_state"] for s in mine).items())),
                                    disagreements=sum(1 for s in mine if s.get("agreement") == "disagree")))
    return out


def evidence_tables(pack: CafEvidence) -> list[Table]:
    """CSV/Markdown/table: one row per outcome, then one per principle roll-up."""
    rows = []
    for o in pack.outcomes:
        rows.append([o.outcome, o.principle, o.title, o.status,
                     "; ".join(f"{c.check_id} {c.passed} passed {c.failed} failed {c.suppressed} suppressed" for c in o.checks),
                     "; ".join(f"{f.target}/{f.resource}" for c in o.checks for f in c.failures if not f.suppressed),
                     "; ".join(f"{m.measure}: {m.complete} of {m.total}" for m in o.from_register),
                     "; ".join(f"{p.policy_id} ({p.evidence})" + (f" {p.azure}" if p.azure else "") for p in o.policies),
                     o.for_people])
    principles = [[p.principle, p.title, p.status, ", ".join(f"{k} {v}" for k, v in p.outcomes.items())] for p in pack.principles]
    return [Table(f"NCSC CAF {pack.framework_version} evidence by contributing outcome",
                  ["Outcome", "Principle", "Title", "Status", "Checks", "Failing resources", "Register", "Azure Policy",
                   "For people to evidence"], rows),
            Table("Principle roll-ups", ["Principle", "Title", "Status", "Outcomes"], principles)]


class CheckFileError(Exception):
    """A saved check report that cannot be read as one (exit 2)."""

    exit_code = 2
    hint: str | None = "give the JSON that `borough check --format json` wrote"


def read_caf_evidence(check_file: Any, db: str | None, today: dt.date) -> tuple[CafEvidence, list[str]]:
    """The pack from a saved check report (``check --format json``, live or not), else from a fresh
    offline check of every bundled stack, and the register at ``db``; with why the run was incomplete."""
    import json

    from inventory.planning import read_register
    from inventory.store import open_store
    from policies.catalog import load_policies

    with open_store(db, create=False) as store:  # the register first: a missing one fails before synthesis
        estate = read_register(store, with_history=False, with_dependencies=False)
    if check_file is not None:
        try:
            run = json.loads(check_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CheckFileError(f"{check_file}: not a check report: {exc}") from None
        if not isinstance(run, dict) or not isinstance(run.get("findings"), list):
            raise CheckFileError(f"{check_file}: not a check report: no 'findings' list")
    else:
        from policies.request import CheckRequest, check

        run = check(CheckRequest(all_stacks=True)).to_dict()
    return build_caf_evidence(run, load_policies(), estate, today), list(run.get("incomplete") or [])
