"""Live posture, step 3 of 3 (check): `borough check --live`, the council baseline on what is deployed in Azure.

The live estate is read and transformed into one ARM template by ``deployed.live_transform`` (the same shape a
program renders to), then checked by the same engine, checks, suppressions and frameworks as any
stack. What is added here is what only a live run can say:

- **who owns each resource**: ``stack:<name>`` when its id is in a bundled stack's synthesized
  graph (or a given state export), ``system:<id>`` when it carries a ``system-id`` tag the
  register holds, else ``unmanaged``: the hand-made resources where councils' real exposures are;
- **what could not be read**: a subscription, page or child list that failed after retries is
  named in the report and makes the run incomplete (exit 3), never a silent pass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from policies.catalog import PolicySet
from policies.engine.checkov_run import CouncilChecks, load_checks
from policies.engine.run import Progress, finding_counts, framework_status, run_checks
from policies.engine.live_semantics import index_resources
from policies.errors import PoliciesError
from policies.model import FrameworkId, Suppression
from policies.output.report import (
    Acceptance,
    CheckReport,
    Finding,
    GenericRecord,
    NotRead,
    PlatformManagedRecord,
    TargetSummary,
)
from policies.subscription_evidence import (SUBSCRIPTION_LEVEL, add_subscription_evidence, compare_policy_states,
                                            subscription_level)
from policies.targets import Target, TargetKind
from arm import URN_KEY

UNMANAGED = "unmanaged"
LIVE_TARGET = "live"
DIAGNOSTICS_CHECK = "CKV_BOROUGH_010"
DESTINATION_CHECK = "CKV_BOROUGH_018"
DIAGNOSED_TOO = ("Microsoft.Web/serverfarms",)
SYSTEM_ID_TAG = "system-id"


class LiveScopeError(PoliciesError):
    """--live was combined with inputs it does not take."""


@dataclass
class LiveRequest:
    """What ``check --live`` reads and how it labels what it finds."""

    subscriptions: list[str] = field(default_factory=list)
    resource_groups: list[str] = field(default_factory=list)
    management_groups: list[str] = field(default_factory=list)
    states: list[Path] = field(default_factory=list)
    """Deployed state exports whose resource ids count as managed (``stack:<stack>``)."""
    registered: frozenset[str] | None = None
    """System ids in the register; None when there is no register (then: managed or unmanaged)."""
    unmanaged_only: bool = False
    settings: Any = None
    """``inventory.live.azure.AzureSettings``; None: the public cloud and the environment's credential."""


def check_live(live: LiveRequest, policies: PolicySet, suppressions: list[Suppression],
               frameworks: Iterable[FrameworkId] = (), today: dt.date | None = None, progress: Progress | None = None,
               acceptance: Acceptance | None = None) -> CheckReport:
    """Read, transform, check, then say who owns each finding's resource (and keep only the
    unmanaged ones when asked)."""
    from concurrent.futures import ThreadPoolExecutor

    from deployed.live_transform import live_scope, read_live
    from deployed.live_ownership import bundled_ownership

    subscriptions, settings = live_scope(live.subscriptions, live.management_groups, live.resource_groups, live.settings)
    if progress:
        progress(0, 3, "reading Azure")
    checks = load_checks(policies)  # once: it also tells which types to read
    with ThreadPoolExecutor(max_workers=1) as pool:  # the estate is read while the stacks synthesize
        reading = pool.submit(read_live, subscriptions, live.management_groups, live.resource_groups, settings,
                              diagnostics_types(policies), judged_types(policies, checks))
        ownership = bundled_ownership()
        estate = reading.result()
    ownership = _with_states(ownership, live.states)
    unread = {n.scope.lower() for n in estate.not_read}
    readable = [] if live.resource_groups else [s for s in subscriptions if f"subscription {s.lower()}" not in unread]
    states, subscription_not_read = add_subscription_evidence(estate.render.template, readable, settings)
    target = Target(name=LIVE_TARGET, kind=TargetKind.live, source="Azure " + ", ".join(estate.scopes),
                    render=estate.render, resources=estate.resources)
    if progress:
        progress(1, 3, "checking the live estate")
    report = run_checks([target], policies=policies, suppressions=suppressions, frameworks=(), today=today,
                        acceptance=acceptance, checks=checks)
    report.not_read = [*(NotRead(LIVE_TARGET, n.scope, n.what, n.reason) for n in estate.not_read), *subscription_not_read]
    report.policy_states = compare_policy_states(states, report.findings, policies)
    tags = resource_tags(estate.render.template.get("resources", []))
    for finding in report.findings:
        if finding.target == LIVE_TARGET and finding.urn:
            finding.managed_by = SUBSCRIPTION_LEVEL if subscription_level(finding.urn) else \
                managed_by(finding.urn, ownership, tags, live.registered)
            finding.file = finding.line = None
    report.generic = generic_records(estate.render.template.get("resources", []), report.findings)
    for record in report.generic:
        record.managed_by = managed_by(record.urn, ownership, tags, live.registered)
    if live.unmanaged_only:
        report.findings = [f for f in report.findings if f.managed_by == UNMANAGED]
        report.generic = [g for g in report.generic if g.managed_by == UNMANAGED]
        report.targets = [_recount(t, report.findings) for t in report.targets]
    report.platform_managed = [PlatformManagedRecord(LIVE_TARGET, p.id, p.type, p.reason) for p in estate.platform]
    report.targets = [dataclasses.replace(t, platform_managed=len(report.platform_managed), generic=len(report.generic))
                      if t.name == LIVE_TARGET else t for t in report.targets]
    report.frameworks = [s for fw in frameworks for s in framework_status(policies, fw, report.findings)]
    if progress:
        progress(3, 3, "")
    return report


def generic_records(resources: list[dict[str, Any]], findings: list[Finding]) -> list[GenericRecord]:
    """The live resources rendered generically (unmapped types), each with the checks that judged
    it and what that leaves uncovered. Pure."""
    from deployed.live_generic import GENERIC_KEY

    judged: dict[str, set[str]] = {}
    for finding in findings:
        if finding.urn:
            judged.setdefault(finding.urn.lower(), set()).add(finding.check_id)
    out = []
    for resource_id, arm in sorted(index_resources(resources).items()):
        if not (arm.get("metadata") or {}).get(GENERIC_KEY):
            continue
        checks = sorted(judged.get(resource_id, set()))
        out.append(GenericRecord(LIVE_TARGET, str(arm["metadata"][URN_KEY]), str(arm["type"]), checks,
                                 f"type-specific checks: borough has no mapping for {arm['type']}, so none of its "
                                 "settings (encryption, network exposure, authentication, diagnostic settings) was judged"))
    return out


def diagnostics_types(policies: PolicySet) -> set[str]:
    """ARM types whose diagnostic settings are read: those CKV_BOROUGH_010 wants settings on,
    plus the other types the bundled stacks send logs from (so CKV_BOROUGH_018 judges where
    their settings send logs, as it does for the stacks). One list call per such resource."""
    if not {DIAGNOSTICS_CHECK, DESTINATION_CHECK} & set(policies.enforced):
        return set()
    from policies.checks.diagnostic_settings import SUPPORTS_DIAGNOSTICS

    return {*SUPPORTS_DIAGNOSTICS, *DIAGNOSED_TOO}


def judged_types(policies: PolicySet, checks: CouncilChecks | None = None) -> set[str] | None:
    """ARM types some enforced check judges (checkov's registry after the council checks are
    registered, plus the council checks' declared types); None when a wildcard check judges all.
    ``checks``: the council checks ``load_checks`` already registered (None: register them here)."""
    from checkov.arm.registry import arm_resource_registry

    if checks is None:
        load_checks(policies)
    enforced = set(policies.enforced)
    if any(c.id in enforced for checks in arm_resource_registry.wildcard_checks.values() for c in checks):
        return None
    types = {entity for entity, checks in arm_resource_registry.checks.items() if any(c.id in enforced for c in checks)}
    for meta in policies.council.values():
        types.update(meta.resource_types)
    return types


def managed_by(resource_id: str, ownership: Any, tags: dict[str, dict[str, str]], registered: frozenset[str] | None) -> str:
    """``stack:<name>``, ``system:<id>`` or ``unmanaged`` for one live resource. Pure.

    A child without tags of its own (a subnet, a key) takes its nearest tagged parent's.
    """
    owner = ownership.owner(resource_id)
    if owner:
        return owner
    if registered:
        system = _system_id(resource_id, tags)
        if system and system in registered:
            return f"system:{system}"
    return UNMANAGED


def _system_id(resource_id: str, tags: dict[str, dict[str, str]]) -> str | None:
    current = resource_id.lower()
    while True:
        found = tags.get(current)
        if found is not None:
            value = next((str(v).strip() for k, v in found.items() if k.lower() == SYSTEM_ID_TAG), "")
            return value or None
        current = current.rsplit("/", 2)[0]
        if "/providers/" not in current:  # a child climbs to its parent, never to the resource group
            return None


def resource_tags(resources: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """ARM id (lower case) -> tags, for every resource of a live template (nested ones too)."""
    out: dict[str, dict[str, str]] = {}
    for resource in resources:
        metadata = resource.get("metadata") or {}
        if isinstance(resource.get("tags"), dict) and metadata.get(URN_KEY):
            out[str(metadata[URN_KEY]).lower()] = resource["tags"]
        out.update(resource_tags(resource.get("resources") or []))
    return out


def _with_states(ownership: Any, states: list[Path]) -> Any:
    if not states:
        return ownership
    from deployed.live_ownership import Ownership
    from deployed.state import load_state

    combined = Ownership(exact=dict(ownership.exact), anywhere=dict(ownership.anywhere))
    for path in states:
        graph = load_state(path)
        combined.add_graph(graph, f"stack:{graph.stack or path.stem}", placeholder=False)
    return combined


def _recount(summary: TargetSummary, findings: list[Finding]) -> TargetSummary:
    """A target's counts over the findings still shown (``--unmanaged-only``)."""
    return dataclasses.replace(summary, **finding_counts([f for f in findings if f.target == summary.name]))
