"""Microsoft's UK regulatory-compliance initiatives as data: every policy definition of an Azure
Policy initiative, the CAF outcome or Cloud Security Principle it evidences, and how borough
evidences it. A file per initiative lives in ``frameworks/initiatives/``.

An unclassified policy, a ``checked`` policy without the checks it names in the baseline, or a
``not-judgeable`` policy without its reason is refused when the policy directory loads (exit 2):
an initiative whose policies silently dropped out would look covered.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from pydantic import Field, model_validator

from policies.model import CHECK_ID, POLICY_DEFINITION_ID, Strict


class Evidence(str, Enum):
    """How borough evidences one policy definition."""

    checked = "checked"
    """A borough or checkov check judges the same property from resource configuration."""
    live_only = "live-only"
    """A subscription-level setting that ``check --live`` reads (Defender plans, contacts, alerts)."""
    azure_policy_state = "azure-policy-state"
    """Only in-guest or runtime evidence shows it: borough reports the state Azure Policy recorded."""
    not_judgeable = "not-judgeable"
    """Neither configuration nor a recorded state can show it; ``reason`` says why."""


class LiveEvidence(str, Enum):
    """Subscription-level settings ``check --live`` reads and judges."""

    defender_plans = "defender-plans"
    security_contacts = "security-contacts"
    activity_log_alerts = "activity-log-alerts"


LIVE_CHECKS: dict[LiveEvidence, str] = {
    LiveEvidence.defender_plans: "CKV_AZURE_19",
    LiveEvidence.security_contacts: "CKV_BOROUGH_045",
    LiveEvidence.activity_log_alerts: "CKV_BOROUGH_046",
}
"""The check that judges each subscription-level reading (on the subscription ``check --live`` read)."""


class InitiativePolicy(Strict):
    id: str = Field(pattern=POLICY_DEFINITION_ID)
    name: str = Field(min_length=5)
    category: str = ""
    groups: list[str] = Field(min_length=1)
    """The initiative's control ids: CAF contributing outcomes (B2.a) or principles (CSP_10)."""
    evidence: Evidence
    checks: list[str] = Field(default_factory=list)
    """``checked``: the check ids that judge the property (empty: not covered yet)."""
    live: list[LiveEvidence] = Field(default_factory=list)
    """``live-only``: the subscription-level reading that evidences it."""
    detail: str = ""
    """``live-only``: what is read (the Defender plan name, the alert's operation)."""
    reason: str = ""
    """Why the class fits: required for not-judgeable and azure-policy-state; for checked, how the check reads it."""

    @property
    def evidenced_by(self) -> list[str]:
        """The checks whose findings evidence it: those named, or those judging its live reading."""
        return list(self.checks) if self.evidence is Evidence.checked else [LIVE_CHECKS[e] for e in self.live]

    @model_validator(mode="after")
    def _consistent(self) -> InitiativePolicy:
        import re

        for check_id in self.checks:
            if not re.match(CHECK_ID, check_id):
                raise ValueError(f"{check_id!r} is not a checkov check ID")
        if self.evidence is not Evidence.checked and self.checks:
            raise ValueError(f"{self.id}: checks are named only for evidence: checked")
        if self.evidence is Evidence.live_only and not self.live:
            raise ValueError(f"{self.id}: evidence live-only names what is read (live: [defender-plans, ...])")
        if self.evidence is Evidence.not_judgeable and len(self.reason) < 10:
            raise ValueError(f"{self.id}: evidence not-judgeable needs its reason")
        if self.evidence is Evidence.azure_policy_state and len(self.reason) < 10:
            raise ValueError(f"{self.id}: evidence azure-policy-state says why configuration cannot show it (reason)")
        return self


class Initiative(Strict):
    id: str = Field(pattern=r"^[a-z0-9.-]+$")
    name: str
    azure_id: str = Field(pattern=POLICY_DEFINITION_ID)
    """The policy set definition's name (the GUID in its resource id)."""
    version: str
    framework: str = Field(pattern=r"^(caf|ncsc)$")
    """Which borough framework its groups belong to."""
    source: str = Field(min_length=10)
    policies: list[InitiativePolicy] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Initiative:
        seen: set[str] = set()
        for policy in self.policies:
            if policy.id in seen:
                raise ValueError(f"policy {policy.id} is listed twice")
            seen.add(policy.id)
        return self

    def policy(self, definition_id: str) -> InitiativePolicy | None:
        wanted = definition_id.rsplit("/", 1)[-1].lower()
        return next((p for p in self.policies if p.id == wanted), None)


def initiative_files(root: Path) -> list[Path]:
    return sorted((root / "frameworks" / "initiatives").glob("*.yaml"))


def definition_ids(initiatives: dict[str, Initiative]) -> dict[str, list[tuple[str, InitiativePolicy]]]:
    """Policy definition id -> (initiative id, its entry) in every initiative that lists it."""
    found: dict[str, list[tuple[str, InitiativePolicy]]] = {}
    for initiative in initiatives.values():
        for policy in initiative.policies:
            found.setdefault(policy.id, []).append((initiative.id, policy))
    return found
