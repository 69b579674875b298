"""The drift report both checks return: findings, what was not read, and its SARIF form.

One shape for stack drift and inventory drift so the CLI renders both the same way and CI gets
one SARIF rule set. The exit code lives here because "incomplete beats clean" is part of what a
report means, not a CLI detail.

``--format json`` is :class:`DriftReportRecord`, the record type ``docs/schemas/drift-*.schema.json``
is generated from (:mod:`cli.schemas`): the JSON is dumped through it, so the schema cannot
say one thing while the output does another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from inventory.live.model import Cloud, NotRead
from inventory.live.platform import PlatformManaged

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/borough/borough/blob/main/docs/drift.md"


class Rule(str, Enum):
    modified = "modified"
    deleted = "deleted-outside-code"
    unmanaged = "unmanaged"
    decommissioned_running = "decommissioned-system-running"
    unknown_system = "unknown-system-id"
    untagged = "untagged-resource"
    migrated_missing = "migrated-system-without-resources"
    hosting_mismatch = "hosting-mismatch"


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    help: str
    level: str
    """SARIF level: error or warning."""


RULES: dict[Rule, RuleInfo] = {
    Rule.modified: RuleInfo("BDRIFT001", "Property changed outside the code",
                            "Change it back in the portal, or put the live value in the Pulumi program.", "error"),
    Rule.deleted: RuleInfo("BDRIFT002", "Managed resource deleted outside the code",
                           "Run `pulumi up` to recreate it, or remove it from the program and state.", "error"),
    Rule.unmanaged: RuleInfo("BDRIFT003", "Resource created by hand in a stack's resource group",
                             "Import it into the stack (`pulumi import`) or delete it.", "warning"),
    Rule.decommissioned_running: RuleInfo("BDRIFT101", "Resource still running for a decommissioned or retired system",
                                          "Delete the leftover resource, or correct the system's state in the register.", "error"),
    Rule.unknown_system: RuleInfo("BDRIFT102", "Resource tagged with a system id the register does not know",
                                  "Register the system (`borough inventory add`) or fix the resource's system-id tag.", "warning"),
    Rule.untagged: RuleInfo("BDRIFT103", "Resource without a system-id tag",
                            "Tag it with the system-id of the system it belongs to.", "warning"),
    Rule.migrated_missing: RuleInfo("BDRIFT104", "System recorded as migrated to Azure but its target stack has nothing live",
                                    "Deploy the target stack, or correct the system's migration state.", "error"),
    Rule.hosting_mismatch: RuleInfo("BDRIFT105", "System's recorded hosting disagrees with where its resources run",
                                    "Update the system's hosting in the register, or move or remove the resources.", "warning"),
}


DriftKind = Literal["stack", "inventory"]


class Status(str, Enum):
    clean = "clean"
    drift = "drift"
    incomplete = "incomplete"


@dataclass(frozen=True)
class DriftFinding:
    rule: Rule
    resource: str
    """ARM id, ARN or (for system-level findings) the system id."""
    message: str
    type: str = ""
    system: str = ""
    path: str = ""
    desired: Any = None
    live: Any = None
    urn: str = ""
    location: str = ""
    """Where the resource runs: an AWS region or an Azure location (empty for system-level findings)."""

    def sort_key(self) -> tuple[str, ...]:
        return (self.rule.value, self.resource.lower(), self.path)

    def record(self) -> FindingRecord:
        return FindingRecord(rule=self.rule, rule_id=RULES[self.rule].id, resource=self.resource, type=self.type,
                             system=self.system, path=self.path, desired=self.desired, live=self.live, urn=self.urn,
                             location=self.location, message=self.message)

    def to_dict(self) -> dict[str, Any]:
        return self.record().model_dump(mode="json", fallback=str)


class _Record(BaseModel):
    """A JSON record: every key always written, unknown keys refused (a typo never drops data)."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_serialization_defaults_required=True,
                              use_attribute_docstrings=True)


class FindingRecord(_Record):
    """One drift finding: what differs, where, and the desired and live values."""

    rule: Rule
    rule_id: str = Field(pattern=r"^BDRIFT\d{3}$")
    """The SARIF rule id of ``rule``."""
    resource: str
    """ARM id, ARN or (for system-level findings) the system id, in full."""
    type: str
    """ARM type or AWS ``service:resource``; empty for system-level findings."""
    system: str
    """The system id the resource is tagged with or the finding is about; empty when none."""
    path: str
    """Stack drift's ``modified``: the property path that differs (``properties.allowBlobPublicAccess``)."""
    desired: Any
    """What the code or register says (any JSON value; null when not applicable)."""
    live: Any
    """What the cloud says (any JSON value; null when not applicable)."""
    urn: str
    """The Pulumi URN (stack drift); empty otherwise."""
    location: str
    """An AWS region or Azure location; empty for system-level findings."""
    message: str


class NotReadRecord(_Record):
    """Something a reader could not read after retries: the report is incomplete (exit 3)."""

    cloud: Cloud
    scope: str
    """e.g. ``subscription 0000...`` or ``region eu-west-2``."""
    what: str
    """e.g. ``Resource Graph query 'resources' page 3``."""
    reason: str


class ResourceRecord(_Record):
    """Stack drift's verdict on one managed resource."""

    resource: str
    type: str
    urn: str
    state: str
    """``in sync``, ``modified``, ``deleted outside the code``, ``not read`` or ``not compared``."""


class PlatformManagedRecord(_Record):
    """A live resource the platform manages (a managed resource group and what is in it, a system
    database): listed apart, never a drift finding."""

    resource: str
    type: str
    reason: str


class DriftReportRecord(_Record):
    """A drift report as ``--format json`` writes it."""

    kind: DriftKind
    subject: str
    """The stack's name, or ``register``."""
    status: Status
    """``incomplete`` when anything was not read (exit 3), else ``drift`` (exit 1) or ``clean`` (exit 0)."""
    counts: dict[Rule, int]
    """Findings per rule; rules without findings are absent."""
    live_resources: int = Field(ge=0)
    """Live resources seen."""
    matched_resources: int | None = Field(ge=0)
    """Inventory drift: live resources whose system-id is a registered system; null for stack drift."""
    scopes: list[str]
    """What was asked for, in words (``aws region eu-west-2``)."""
    findings: list[FindingRecord]
    """By rule, resource (case-insensitive), then path."""
    not_read: list[NotReadRecord]
    """By cloud, scope, then what."""
    resources: list[ResourceRecord]
    """Stack drift: every managed resource, by id; empty for inventory drift."""
    notes: list[str]
    platform_managed: list[PlatformManagedRecord]
    """Inventory drift: live resources the platform manages, by id; not judged."""


@dataclass(frozen=True)
class ResourceState:
    """Stack drift's per-resource verdict (in sync, modified, deleted, not read, not compared)."""

    resource: str
    type: str
    urn: str
    state: str


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class DriftReport:
    kind: DriftKind
    """``stack`` or ``inventory``."""
    subject: str
    findings: list[DriftFinding] = field(default_factory=list)
    not_read: list[NotRead] = field(default_factory=list)
    resources: list[ResourceState] = field(default_factory=list)
    live_count: int = 0
    notes: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    """What was asked for, in words (``aws region eu-west-2``); a scope named in ``not_read`` is partly read."""
    matched_count: int | None = None
    """Inventory drift: live resources whose system-id is a registered system."""
    platform_managed: list[PlatformManaged] = field(default_factory=list)
    """Live resources the platform manages: listed apart, never judged."""

    def __post_init__(self) -> None:
        self.findings = sorted(self.findings, key=DriftFinding.sort_key)
        self.not_read = sorted(set(self.not_read), key=lambda n: (n.cloud.value, n.scope, n.what))
        self.resources = sorted(self.resources, key=lambda r: r.resource.lower())
        self.notes = sorted(set(self.notes))
        self.platform_managed = sorted(self.platform_managed, key=lambda p: p.id.lower())

    @property
    def status(self) -> Status:
        if self.not_read:
            return Status.incomplete
        return Status.drift if self.findings else Status.clean

    @property
    def exit_code(self) -> int:
        return {Status.clean: 0, Status.drift: 1, Status.incomplete: 3}[self.status]

    def counts(self) -> dict[Rule, int]:
        out: dict[Rule, int] = {}
        for finding in self.findings:
            out[finding.rule] = out.get(finding.rule, 0) + 1
        return dict(sorted(out.items(), key=lambda item: item[0].value))

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON records (:class:`DriftReportRecord`)."""
        record = DriftReportRecord(
            kind=self.kind, subject=self.subject, status=self.status, counts=self.counts(),
            live_resources=self.live_count, matched_resources=self.matched_count, scopes=list(self.scopes),
            findings=[f.record() for f in self.findings],
            not_read=[NotReadRecord(cloud=n.cloud, scope=n.scope, what=n.what, reason=n.reason) for n in self.not_read],
            resources=[ResourceRecord(resource=r.resource, type=r.type, urn=r.urn, state=r.state) for r in self.resources],
            notes=list(self.notes),
            platform_managed=[PlatformManagedRecord(resource=p.id, type=p.type, reason=p.reason) for p in self.platform_managed],
        )
        return record.model_dump(mode="json", fallback=str)  # desired/live: str() what JSON cannot hold, as before

    def tables(self) -> list[Table]:
        """For people: short resource names (JSON and SARIF keep the full ids)."""
        heading = f"{self.kind} drift: {self.subject}: {self.status.value}"
        if self.kind == "stack":
            columns = ["Finding", "Resource", "Type", "Path", "Desired", "Live"]
            rows = [[f.rule.value, short_name(f.resource), f.type, f.path, _cell(f.desired), _cell(f.live)] for f in self.findings]
        else:
            columns = ["Finding", "Resource", "Type", "Where", "System", "Detail"]
            rows = [[f.rule.value, short_name(f.resource), f.type, f.location, f.system, f.message] for f in self.findings]
        out = [self.summary(), Table(heading, columns, rows)]
        if self.resources:
            out.append(Table("Managed resources", ["Resource", "Type", "Pulumi name", "State"],
                             [[short_name(r.resource), r.type, r.urn.rsplit("::", 1)[-1], r.state] for r in self.resources]))
        if self.not_read:
            out.append(
                Table("Not read (the report is incomplete)", ["Cloud", "Scope", "What", "Reason"],
                      [[n.cloud.value, n.scope, n.what, n.reason] for n in self.not_read])
            )
        if self.platform_managed:
            out.append(Table("Platform-managed (listed, not judged)", ["Resource", "Type", "Why"],
                             [[short_name(p.id), p.type, p.reason] for p in self.platform_managed]))
        if self.notes:
            out.append(Table("Notes", ["Note"], [[n] for n in self.notes]))
        return out

    def summary(self) -> Table:
        """One line on what was read and how much was seen, so a clean report is not mistaken
        for a report on a subscription or region that was never asked for."""
        partly = {n.scope for n in self.not_read}
        scopes = [f"{s} (partly)" if any(f" {p}" in f" {s}" for p in partly) else s for s in self.scopes]
        line = f"read {', '.join(scopes) or 'nothing'}: {self.live_count} live resource(s) seen"
        if self.matched_count is not None:
            line += f", {self.matched_count} matching a registered system"
        if self.platform_managed:
            line += f", {len(self.platform_managed)} platform-managed (not judged)"
        return Table("Summary", ["Read"], [[line]])

    def to_sarif(self, artifact: str | None = None) -> dict[str, Any]:
        """SARIF 2.1.0: one rule per drift kind, one result per finding, not-read as notifications."""
        rules = list(Rule)
        results = []
        for finding in self.findings:
            info = RULES[finding.rule]
            result: dict[str, Any] = {
                "ruleId": info.id,
                "ruleIndex": rules.index(finding.rule),
                "level": info.level,
                "message": {"text": finding.message},
                "locations": [_location(finding, artifact)],
                "partialFingerprints": {"resource/v1": f"{info.id}:{finding.resource.lower()}:{finding.path}"},
                "properties": {k: v for k, v in finding.to_dict().items() if v not in (None, "") and k not in {"message"}},
            }
            results.append(result)
        invocation: dict[str, Any] = {"executionSuccessful": not self.not_read}
        if self.not_read:
            invocation["toolExecutionNotifications"] = [
                {"level": "error", "message": {"text": f"not read: {n}"}} for n in self.not_read
            ]
        return {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "borough drift",
                            "informationUri": INFO_URI,
                            "rules": [
                                {
                                    "id": RULES[r].id,
                                    "name": r.value,
                                    "shortDescription": {"text": RULES[r].title},
                                    "help": {"text": RULES[r].help},
                                    "defaultConfiguration": {"level": RULES[r].level},
                                }
                                for r in rules
                            ],
                        }
                    },
                    "invocations": [invocation],
                    "results": results,
                    "properties": {"kind": self.kind, "subject": self.subject, "status": self.status.value},
                }
            ],
        }


def _location(finding: DriftFinding, artifact: str | None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "logicalLocations": [{"fullyQualifiedName": finding.resource, "kind": "resource"}],
    }
    if artifact:
        location["physicalLocation"] = {"artifactLocation": {"uri": artifact}}
    return location


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def short_name(resource: str) -> str:
    """``rg/name`` (``rg/parent/child`` for child resources) for ARM ids; the last part of an ARN."""
    parts = resource.strip("/").split("/")
    if resource.startswith("/subscriptions/") and len(parts) >= 4:
        group = parts[3]
        if len(parts) <= 4:
            return group
        names = parts[7::2] if len(parts) > 7 else parts[-1:]
        return "/".join([group, *names])
    if resource.startswith("arn:"):
        return resource.split(":", 5)[-1]
    return resource
