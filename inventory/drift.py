"""Inventory drift: the register against what actually runs, joined on the ``system-id`` tag.

``inventory_drift`` is pure (an Estate and live resources in, a report out) so every finding is
testable with hand-built records; ``check_inventory`` is the thin edge that reads the clouds.
A check that needs a cloud which was not read (or not fully read) is not judged: the report is
then incomplete, never clean.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from inventory.live.model import Cloud, LiveResource, LiveSnapshot, NotRead
from inventory.live.platform import platform_managed
from inventory.live.report import DriftFinding, DriftReport, Rule
from inventory.register.model import Estate, Hosting, State, Strategy, System

CLOUD_HOSTING = {Cloud.azure: Hosting.azure, Cloud.aws: Hosting.aws}
ENVIRONMENT_TAG = "environment"
EXAMPLES = 3


@dataclass(frozen=True)
class InventoryScope:
    clouds: frozenset[Cloud]
    """Clouds that were asked for; a cloud not asked for is not judged (and says so in a note)."""
    not_read: tuple[NotRead, ...] = ()
    stack_system_ids: Mapping[str, str] = field(default_factory=dict)
    """Stack name -> ``borough:systemId`` from its ``Pulumi.<stack>.yaml``."""
    stack_stages: Mapping[str, str] = field(default_factory=dict)
    """Stack name -> ``borough:stage`` (dev, test, prod): the ``environment`` tag its resources carry."""
    read: tuple[str, ...] = ()
    """The scopes read, in words (``azure subscription ...``, ``aws region eu-west-2``)."""


def is_retired(system: System) -> bool:
    """Decommissioned, or a "retire" strategy carried through (nothing should run any more)."""
    return system.state is State.decommissioned or (system.strategy is Strategy.retire and system.state is State.migrated)


def allowed_hosting(system: System) -> set[Hosting]:
    """Where a system's resources may run given its migration state."""
    if system.state is State.migrated:
        return {system.target_hosting or system.hosting}
    if system.state in {State.planned, State.migrating} and system.target_hosting:
        return {system.hosting, system.target_hosting}
    return {system.hosting}


def inventory_drift(estate: Estate, live_resources: list[LiveResource], scope: InventoryScope) -> DriftReport:
    systems = {s.id: s for s in estate.systems}
    findings: list[DriftFinding] = []
    notes: list[str] = []
    by_system: dict[str, list[LiveResource]] = defaultdict(list)
    matched = 0
    platform = platform_managed(r.arm for r in live_resources if r.cloud is Cloud.azure)
    for resource in live_resources:
        if not resource.tags_read:
            continue  # its tags could not be read: no tag verdict (the reader lists it as not read)
        if resource.cloud is Cloud.azure and resource.key.rstrip("/") in platform:
            continue  # the platform's, not the council's: listed apart
        system_id = resource.system_id
        where = _where(resource)
        if system_id is None:
            findings.append(DriftFinding(Rule.untagged, resource.id, f"{resource.cloud.value} {resource.type} "
                                         f"'{resource.name}' in {where} has no system-id tag",
                                         type=resource.type, location=where))
            continue
        by_system[system_id].append(resource)
        system = systems.get(system_id)
        if system is None:
            findings.append(DriftFinding(Rule.unknown_system, resource.id, f"{resource.cloud.value} {resource.type} "
                                         f"'{resource.name}' is tagged system-id={system_id}, which is not in the register",
                                         type=resource.type, system=system_id, location=where))
            continue
        matched += 1
        if is_retired(system):
            why = "decommissioned" if system.state is State.decommissioned else "retired"
            findings.append(DriftFinding(Rule.decommissioned_running, resource.id, f"{resource.cloud.value} {resource.type} "
                                         f"'{resource.name}' still runs for {system_id} ({system.name}), which is {why}",
                                         type=resource.type, system=system_id, desired="absent", live="running", location=where))
    findings += _hosting_findings(systems, by_system, scope.clouds)
    incomplete = {n.cloud for n in scope.not_read}
    if Cloud.azure in scope.clouds and Cloud.azure not in incomplete:
        findings += _migrated_findings(estate.systems, by_system, scope, notes)
    elif Cloud.azure not in scope.clouds and any(_migrated_to_azure(s) for s in estate.systems):
        notes.append("Azure was not read (no --azure-subscription): systems migrated to Azure were not checked for live resources")
    return DriftReport(kind="inventory", subject="register", findings=findings, not_read=list(scope.not_read),
                       live_count=len(live_resources), notes=notes, scopes=list(scope.read), matched_count=matched,
                       platform_managed=list(platform.values()))


def _where(resource: LiveResource) -> str:
    """An AWS resource's region; an Azure resource's location (else its subscription)."""
    return resource.location or resource.scope


def _hosting_findings(systems: dict[str, System], by_system: dict[str, list[LiveResource]], clouds: frozenset[Cloud]) -> list[DriftFinding]:
    out = []
    for system_id, resources in sorted(by_system.items()):
        system = systems.get(system_id)
        if system is None or is_retired(system):
            continue
        allowed = allowed_hosting(system)
        for cloud in sorted({r.cloud for r in resources} & clouds, key=lambda c: c.value):
            if CLOUD_HOSTING[cloud] in allowed:
                continue
            here = sorted(r.name for r in resources if r.cloud is cloud)
            sample = ", ".join(here[:EXAMPLES]) + (f" and {len(here) - EXAMPLES} more" if len(here) > EXAMPLES else "")
            recorded = " or ".join(sorted(h.value for h in allowed))
            out.append(DriftFinding(Rule.hosting_mismatch, system_id,
                                    f"{system_id} is recorded as {recorded} ({system.state.value}) but {len(here)} "
                                    f"resource(s) run in {cloud.value}: {sample}",
                                    system=system_id, desired=recorded, live=cloud.value))
    return out


def _migrated_to_azure(system: System) -> bool:
    return system.state is State.migrated and (system.target_hosting or system.hosting) is Hosting.azure


def _migrated_findings(systems: list[System], by_system: dict[str, list[LiveResource]], scope: InventoryScope,
                       notes: list[str]) -> list[DriftFinding]:
    """Systems recorded as migrated to Azure with nothing live for them. With a target stack, only
    that stack's resources count: its system-id tag AND its environment tag (its stage), so a dev
    stack sharing the prod stack's system-id does not pass for the prod migration."""
    out = []
    for system in systems:
        if not _migrated_to_azure(system):
            continue
        tags = {system.id}
        where = f"resources tagged system-id={system.id}"
        stage = None
        if system.target_stack:
            stack_id = scope.stack_system_ids.get(system.target_stack)
            stage = scope.stack_stages.get(system.target_stack)
            if stack_id:
                tags.add(stack_id)
                where = f"target stack {system.target_stack} (system-id {' or '.join(sorted(tags))}"
                where += f", environment {stage})" if stage else ")"
            else:
                notes.append(f"{system.id}: target stack {system.target_stack} has no Pulumi.{system.target_stack}.yaml; "
                             f"judged by its own system-id tag only")
        live = [r for tag in sorted(tags) for r in by_system.get(tag, []) if r.cloud is Cloud.azure
                and (stage is None or (r.tag(ENVIRONMENT_TAG) or "").strip().lower() == stage.lower())]
        if not live:
            out.append(DriftFinding(Rule.migrated_missing, system.id,
                                    f"{system.id} ({system.name}) is recorded as migrated to Azure, but {where} has no live Azure resources",
                                    system=system.id, desired="running in Azure", live="nothing found"))
    return out


def check_inventory(subscriptions: list[str], regions: list[str], *, estate: Estate | None = None, db: str | None = None,
                    azure: Any = None, aws: Any = None, root: Path | None = None) -> DriftReport:
    """Read the clouds in scope (concurrently inside each reader) and reconcile with the register.

    The register is ``estate`` if given, else the store at ``db`` (else BOROUGH_DB, else the local
    file). ``azure`` / ``aws`` are ``AzureSettings`` / ``AwsSettings``; defaults reach the real clouds.
    With no subscription and no region, the subscription ``ARM_SUBSCRIPTION_ID`` (else
    ``AZURE_SUBSCRIPTION_ID``) names is read.
    """
    from inventory.live.aws import AwsSettings, read_aws, validate_regions
    from inventory.live.azure import AzureSettings, read_azure, validate_subscriptions
    from inventory.live.azure_credentials import default_subscription
    from inventory.live.errors import LiveInputError
    from inventory.stackfiles import read_stack_stages, read_stacks

    fallback = None if subscriptions or regions else default_subscription()
    if fallback:
        subscriptions = [fallback]
    if not subscriptions and not regions:
        raise LiveInputError("nothing to read: give --azure-subscription and/or --aws-region",
                             hint="or set ARM_SUBSCRIPTION_ID (or AZURE_SUBSCRIPTION_ID) to read that subscription")
    validate_subscriptions(subscriptions)
    validate_regions(regions)
    azure = (azure or AzureSettings()).validated()  # bad input is found before anything is read
    aws = (aws or AwsSettings()).validated()
    stack_ids, _ = read_stacks(root)
    stages = read_stack_stages(root)
    if estate is None:
        from inventory.store import open_store

        with open_store(db, create=False) as store:
            estate = store.load_estate()
    snapshot = LiveSnapshot()
    if subscriptions:
        snapshot = snapshot.merge(read_azure(subscriptions, azure))
    if regions:
        snapshot = snapshot.merge(read_aws(regions, aws))
    scope = InventoryScope(
        clouds=frozenset(c for c, flag in ((Cloud.azure, subscriptions), (Cloud.aws, regions)) if flag),
        not_read=tuple(snapshot.not_read),
        stack_system_ids=stack_ids,
        stack_stages=stages,
        read=tuple(f"{cloud.value} {where}" for cloud, where in sorted(set(snapshot.scopes), key=lambda s: (s[0].value, s[1]))),
    )
    return inventory_drift(estate, snapshot.resources, scope)
