"""What a compliance run found, as plain data: the CLI only renders it."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from enum import Enum
from typing import Any

from policies.model import FrameworkId, Severity


class Outcome(str, Enum):
    passed = "passed"
    failed = "failed"
    suppressed = "suppressed"
    errored = "errored"


class Coverage(str, Enum):
    met = "met"
    not_met = "not met"
    not_covered = "not covered"


@dataclass
class Finding:
    check_id: str
    title: str
    severity: Severity
    outcome: Outcome
    target: str
    """The stack (or file) checked."""
    resource: str
    """checkov's resource id: ``<ARM type>.<ARM name>``."""
    urn: str | None = None
    """The Pulumi URN; for a live resource (``check --live``) its ARM id."""
    file: str | None = None
    line: int | None = None
    message: str = ""
    remediation: str = ""
    suppression: dict[str, str] | None = None
    managed_by: str | None = None
    """Live resources only: ``stack:<name>`` (in a bundled stack or a given state), ``system:<id>``
    (tagged with a system-id the register holds) or ``unmanaged``."""

    @property
    def subscription(self) -> str:
        """A live resource's subscription id (from its ARM id); empty otherwise."""
        return arm_id_part(self.urn, "subscriptions")

    @property
    def resource_group(self) -> str:
        """A live resource's resource group (from its ARM id); empty otherwise."""
        return arm_id_part(self.urn, "resourcegroups")

    @property
    def resource_name(self) -> str:
        if self.urn and self.urn.startswith("/"):  # a live resource's ARM id: its names, parent first
            names = [name for part in self.urn.split("/providers/")[1:] for name in part.split("/")[2::2]]
            return "/".join(names) or self.urn.rsplit("/", 1)[-1]
        return self.urn.rsplit("::", 1)[-1] if self.urn else self.resource


def arm_id_part(resource_id: str | None, segment: str) -> str:
    """The value after ``segment`` (case-insensitive) in an ARM id: its subscription or group."""
    if not resource_id or not resource_id.startswith("/"):
        return ""
    parts = resource_id.strip("/").split("/")
    for index, part in enumerate(parts[:-1]):
        if part.lower() == segment:
            return parts[index + 1]
    return ""


@dataclass
class PlatformManagedRecord:
    """A live resource the platform manages (in a managed resource group, a system database):
    listed and counted, never judged, since nobody in the council can change it."""

    target: str
    urn: str
    """Its ARM id."""
    type: str
    reason: str
    managed_by: str = "platform-managed"


@dataclass
class GenericRecord:
    """A live resource of a type borough has no mapping for, rendered from its Resource Graph
    row and judged by the checks that apply to every resource only."""

    target: str
    urn: str
    """Its ARM id."""
    type: str
    checks: list[str] = field(default_factory=list)
    """The checks that judged it (those for every resource)."""
    not_covered: str = ""
    """What is not judged: the type-specific checks borough lacks for this type."""
    managed_by: str = ""
    """``stack:<name>``, ``system:<id>`` or ``unmanaged``, as for a finding."""


@dataclass
class NotEvaluated:
    target: str
    urn: str
    type: str
    reason: str
    blocking: bool = False
    """An Azure resource left unchecked: the run is incomplete unless the user accepts it."""


@dataclass
class NotRead:
    """Something ``check --live`` could not read from the cloud (a page, a child list): the
    resources there were not checked, so the run is incomplete (exit 3)."""

    target: str
    scope: str
    """e.g. ``subscription 0000...`` or ``management group borough``."""
    what: str
    reason: str


@dataclass
class UnresolvedRecord:
    """A template value left as written: its expression needs the deployment (or is not
    evaluated offline). Checks saw the expression text, not a value."""

    target: str
    file: str
    path: str
    expression: str
    reason: str


@dataclass
class ExpiredSuppression:
    check: str
    resource: str
    approver: str
    expires: dt.date


@dataclass
class TargetSummary:
    name: str
    kind: str
    """stack, program, state or template."""
    source: str
    resources: int
    """Resources synthesized (a program or stack) or read (a state export or template)."""
    rendered: int
    """Of those, rendered to ARM and checked."""
    checks_evaluated: int
    """Distinct checks with a verdict on this target."""
    evaluations: int = 0
    """Verdicts (check x resource): what checkov reports as passed + failed checks."""
    passed: int = 0
    failed: int = 0
    suppressed: int = 0
    errored: int = 0
    not_rendered: int = 0
    """Resources that could not be rendered to ARM (listed under not evaluated)."""
    platform_managed: int = 0
    """Live resources the platform manages: listed apart (``platform_managed``), not judged."""
    generic: int = 0
    """Live resources of unmapped types judged by the all-resource checks only (``generic``)."""


@dataclass
class RequirementStatus:
    framework: FrameworkId
    requirement: str
    title: str
    status: Coverage
    checks: list[str]
    failed_checks: list[str] = field(default_factory=list)
    evaluated_checks: list[str] = field(default_factory=list)
    """The mapped checks that had a verdict here: the evidence behind "met"."""


@dataclass
class Acceptance:
    """What the user accepted may go unchecked without the run being incomplete (exit 3)."""

    strict: bool = False
    """Any resource that could not be rendered (even a random password) makes the run incomplete."""
    allow_unrendered: bool = False
    """Azure resources of types borough cannot render are accepted (listed, not checked)."""
    allow_empty: bool = False
    """A target with nothing to check (no resources, or none renderable) is accepted."""


@dataclass
class PolicyStateRecord:
    """What Azure Policy recorded for one resource and policy of an assigned UK initiative, beside
    borough's own verdict from the checks that judge the same property (``check --live``)."""

    resource_id: str
    policy_definition_id: str
    policy_name: str
    initiatives: list[str]
    """borough ids of the initiative files listing the policy (``ncsc-caf-v3.2``)."""
    controls: list[str]
    """The initiatives' controls for it: CAF outcomes (B2.a) or Cloud Security Principles (CSP_10)."""
    azure_state: str
    """``Compliant``, ``NonCompliant``, ``Exempt``, ``Unknown``... as Azure Policy recorded it."""
    borough_checks: list[str]
    borough_outcome: str | None
    """``passed``, ``failed`` or ``suppressed`` over those checks' findings on the resource; null when borough did not judge it."""
    agreement: str
    """``agree``, ``disagree`` (flagged: one says compliant, the other not) or ``azure-only``."""


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    not_evaluated: list[NotEvaluated] = field(default_factory=list)
    unresolved: list[UnresolvedRecord] = field(default_factory=list)
    expired_suppressions: list[ExpiredSuppression] = field(default_factory=list)
    targets: list[TargetSummary] = field(default_factory=list)
    frameworks: list[RequirementStatus] = field(default_factory=list)
    checks_enforced: int = 0
    acceptance: Acceptance = field(default_factory=Acceptance)
    not_read: list[NotRead] = field(default_factory=list)
    policy_states: list[PolicyStateRecord] = field(default_factory=list)
    """``check --live``: Azure Policy's compliance states for the UK initiatives' policies."""
    platform_managed: list[PlatformManagedRecord] = field(default_factory=list)
    generic: list[GenericRecord] = field(default_factory=list)

    def by_outcome(self, outcome: Outcome) -> list[Finding]:
        return [f for f in self.findings if f.outcome is outcome]

    @property
    def errored(self) -> list[Finding]:
        return self.by_outcome(Outcome.errored)

    def failing(self, fail_on: Severity) -> list[Finding]:
        return [f for f in self.by_outcome(Outcome.failed) if f.severity.rank >= fail_on.rank]

    def incomplete(self, acceptance: Acceptance | None = None) -> list[str]:
        """Why the run is incomplete (empty when it is not): a check crashed, an Azure resource
        could not be rendered, or a target had nothing to check, each unless accepted."""
        accepted = acceptance or self.acceptance
        reasons = []
        if self.errored:
            crashed = sorted({f.check_id for f in self.errored})
            reasons.append(f"{len(self.errored)} check evaluation(s) crashed: {', '.join(crashed)}")
        unrendered = [n for n in self.not_evaluated if accepted.strict or (n.blocking and not accepted.allow_unrendered)]
        if unrendered:
            types = ", ".join(sorted({n.type for n in unrendered}))
            reasons.append(f"{len(unrendered)} resource(s) could not be rendered to ARM, so nothing checked them: {types}")
        for item in self.not_read:
            reasons.append(f"{item.scope}: {item.what} could not be read: {item.reason}")
        if not accepted.allow_empty:
            for target in self.targets:
                if target.rendered == 0:
                    what = "no resources" if target.resources == 0 else f"{target.resources} resource(s), none renderable"
                    reasons.append(f"{target.source}: nothing to check ({what})")
        return reasons

    def acceptance_hint(self) -> str | None:
        """The flags that would accept what makes this run incomplete, where a flag can."""
        flags = []
        if any(n.blocking for n in self.not_evaluated) and not self.acceptance.allow_unrendered:
            flags.append("--allow-unrendered accepts Azure resources borough cannot render (they stay unchecked)")
        if any(t.rendered == 0 for t in self.targets) and not self.acceptance.allow_empty:
            flags.append("--allow-empty accepts an input with nothing to check")
        return "; ".join(flags) if flags and self.incomplete() else None

    def exit_code(self, fail_on: Severity = Severity.low, strict: bool = False) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 3 incomplete (see ``incomplete``;
        ``strict`` adds any unrendered resource). Incomplete wins: never a pass."""
        acceptance = Acceptance(**{**asdict(self.acceptance), "strict": self.acceptance.strict or strict})
        if self.incomplete(acceptance):
            return 3
        return 1 if self.failing(fail_on) else 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data, stably ordered, for JSON (with the reasons the run is incomplete, if any)."""
        return {**_plain(self), "incomplete": self.incomplete()}


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` and then plain values in one walk (asdict deep-copies every leaf: a
    third of a 1,000-resource report's rendering)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
