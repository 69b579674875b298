"""`check --live` on the loopback Azure REST server: the bundled stacks deployed, then tampered with.

Every bundled stack is synthesized and rendered as `borough check <stack>` does, its resources are
served as Azure would return them, and the live run must give each resource exactly the verdicts
the program gave it. Then a copy is tampered with by hand (shared key re-enabled, a Key Vault
opened to the public, RDP from the internet, a storage account made in the portal) and must fail
with exactly those findings, again the same as the tampered resources rendered offline.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any, Iterator

import pytest

from fake_arm import TestCredential
from live_fake import PostureServer, deployed_bodies
from policies.checks.activity_log_alerts import REQUIRED as ALERTED
from subscription_fake import activity_log_alert, security_contact
from inventory.live.azure import AzureSettings
from policies.catalog import load_policies
from policies.engine.run import run_checks
from policies.live_check import LiveRequest
from policies.output.report import CheckReport, Outcome
from policies.request import CheckRequest, check, resolve_targets
from policies.suppressions import load_suppressions
from policies.targets import Target

SUB = "00000000-0000-0000-0000-000000000000"  # the subscription synthesis puts in every id
DEV = "resident-services-dev"
DEV_GROUP = "rg-res-app-dev-uks"


def _baseline(targets: list[Target]) -> CheckReport:
    policies = load_policies()
    return run_checks(targets, policies=policies, suppressions=load_suppressions(policies.root / "suppressions.yaml"))


def _resources(template: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for resource in template.get("resources", []):
        yield resource
        yield from _resources({"resources": resource.get("resources") or []})


def _by_id(report: CheckReport, targets: list[Target] | None = None) -> dict[str, set[tuple[str, str]]]:
    """Resource id (lower case) -> {(check, verdict)}; a stack finding's URN is mapped to its id."""
    ids = {r["metadata"]["pulumi:urn"]: r["metadata"]["pulumi:id"] for t in targets or [] for r in _resources(t.render.template)}
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for finding in _resource_level(report):
        out[ids.get(finding.urn, finding.urn or "").lower()].add((finding.check_id, finding.outcome.value))
    return dict(out)


NOT_READ_LIVE = {"CKV_BOROUGH_032"}
"""App Service authentication: Azure serves auth settings only to a POST, which check --live does not make."""
ALERT = activity_log_alert(SUB, "security-changes", list(ALERTED))


def _resource_level(report: CheckReport) -> list:
    """Findings on the stacks' resources; the subscription and its alert rule are test_live_subscription's."""
    return [f for f in report.findings if (f.urn or "").lower() not in (f"/subscriptions/{SUB}", ALERT["id"].lower())]


def _failed(report: CheckReport, targets: list[Target] | None = None) -> set[tuple[str, str]]:
    return {(rid, check) for rid, verdicts in _by_id(report, targets).items() for check, v in verdicts if v == "failed"}


@pytest.fixture(scope="module")
def stacks() -> tuple[list[Target], CheckReport]:
    """Every bundled stack as `borough check --all` synthesizes, renders and judges it."""
    targets = resolve_targets(CheckRequest(all_stacks=True))
    return targets, _baseline(targets)


@pytest.fixture
def server(stacks) -> Iterator[PostureServer]:
    with PostureServer() as running:
        for target in stacks[0]:
            for body in deployed_bodies(target.render.template):
                running.state.add(body)
        running.state.add(security_contact(SUB, "security@example.gov.uk"))
        running.state.add(ALERT)
        yield running


def live(server: PostureServer, **options: Any) -> CheckReport:
    settings = AzureSettings(endpoint=server.endpoint, credential=TestCredential(), retry_total=1, retry_backoff_factor=0.01,
                             retry_backoff_max=0.02, read_timeout=10.0, page_size=options.pop("page_size", 40))
    request = LiveRequest(subscriptions=[SUB], settings=settings, **options)
    return check(CheckRequest(live=request))


def _dev(stacks) -> Target:
    return next(t for t in stacks[0] if t.name == DEV)


def test_each_deployed_bundled_stack_checks_clean_with_the_verdicts_of_its_program(stacks, server):
    targets, baseline = stacks
    report = live(server)

    assert report.exit_code() == 0, report.incomplete() or [(f.check_id, f.urn) for f in report.by_outcome(Outcome.failed)][:3]
    assert not report.not_read and not report.not_evaluated
    expected, got = _by_id(baseline, targets), _by_id(report)
    expected = {rid: {v for v in verdicts if v[0] not in NOT_READ_LIVE} for rid, verdicts in expected.items()}
    assert not (got.keys() ^ expected.keys()), (sorted(expected.keys() - got.keys()), sorted(got.keys() - expected.keys()))
    mismatched = {rid: (expected[rid] ^ got[rid]) for rid in expected if expected[rid] != got[rid]}
    assert mismatched == {}
    owner = {r["metadata"]["pulumi:id"].lower(): f"stack:{t.name}" for t in targets for r in _resources(t.render.template)}
    assert {f.urn.lower(): f.managed_by for f in _resource_level(report)} == {rid: owner[rid] for rid in got}
    # pages for what Resource Graph indexes, list calls for the rest: far fewer requests than resources
    assert len(server.state.seen) < len(owner) / 2


TAMPERED = "stbyhand001"


def _tamper(resources: dict[str, dict[str, Any]], storage: str, vault: str, nsg: str) -> dict[str, Any]:
    """The same hand changes on deployed bodies or rendered ARM (both keep ``properties``)."""
    resources[storage]["properties"]["allowSharedKeyAccess"] = True
    resources[vault]["properties"]["publicNetworkAccess"] = "Enabled"
    resources[vault]["properties"]["networkAcls"] = {"defaultAction": "Allow", "bypass": "AzureServices"}
    resources[nsg]["properties"].setdefault("securityRules", []).append({
        "name": "rdp-from-internet", "properties": {
            "priority": 4000, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "Internet",
            "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "3389"}})
    made = copy.deepcopy(resources[storage])
    made["name"] = TAMPERED
    made.pop("tags", None)
    return made


def test_a_tampered_copy_fails_with_exactly_those_findings_as_the_same_resources_rendered_offline(stacks, server):
    target = copy.deepcopy(_dev(stacks))
    rendered = {r["metadata"]["pulumi:id"]: r for r in _resources(target.render.template)}
    storage, vault, nsg = (next(rid for rid, r in rendered.items() if r["type"] == t) for t in (
        "Microsoft.Storage/storageAccounts", "Microsoft.KeyVault/vaults", "Microsoft.Network/networkSecurityGroups"))
    made_id = storage.rsplit("/", 1)[0] + "/" + TAMPERED

    bodies = {rid: server.state.get(rid) for rid in (storage, vault, nsg)}
    made = _tamper(bodies, storage, vault, nsg)
    server.state.add({**made, "id": made_id})
    arm = _tamper(rendered, storage, vault, nsg)
    arm["metadata"] = {**arm["metadata"], "pulumi:id": made_id, "pulumi:urn": "urn:pulumi:by-hand::x::storage::" + TAMPERED}
    target.render.template["resources"].append(arm)
    offline = _failed(_baseline([target]), [target])

    report = live(server, resource_groups=[DEV_GROUP])
    failed = _failed(report)

    assert report.exit_code() == 1
    assert failed == offline
    assert {rid for rid, _ in failed} == {storage.lower(), vault.lower(), nsg.lower(), made_id.lower()}
    assert {(storage.lower(), "CKV_BOROUGH_003"), (vault.lower(), "CKV_BOROUGH_006"), (nsg.lower(), "CKV_AZURE_9"),
            (made_id.lower(), "CKV_BOROUGH_001")} <= failed
    owners = {f.urn.lower(): f.managed_by for f in _resource_level(report) if f.outcome is Outcome.failed}
    assert owners == {storage.lower(): f"stack:{DEV}", vault.lower(): f"stack:{DEV}", nsg.lower(): f"stack:{DEV}",
                      made_id.lower(): "unmanaged"}

    only = live(server, resource_groups=[DEV_GROUP], unmanaged_only=True)
    assert {f.urn.lower() for f in only.findings} == {made_id.lower()}
    assert _failed(only) == {item for item in failed if item[0] == made_id.lower()}
    assert only.targets[0].failed == len(_failed(only))


def test_a_page_that_fails_is_named_and_the_run_is_incomplete(server):
    from fake_arm import Fault

    server.state.faults.append(Fault(method="POST", subscription=SUB, page=2, status=500, times=None))
    report = live(server, page_size=40)

    assert report.exit_code() == 3
    named = {(n.scope, n.what) for n in report.not_read}
    assert (f"subscription {SUB}", "Resource Graph query 'resources' page 2") in named
    assert all(n.reason.startswith("HTTP 500") for n in report.not_read)
    assert report.findings  # what was read is still judged


def test_a_child_list_that_fails_is_named_and_the_run_is_incomplete(server):
    from fake_arm import Fault

    server.state.faults.append(Fault(method="GET", path_contains="/vaults/", status=503, times=None))
    report = live(server, resource_groups=[DEV_GROUP])

    assert report.exit_code() == 3
    assert any(n.what.startswith("ARM list Microsoft.KeyVault/vaults/keys at ") for n in report.not_read)


def test_a_management_group_reads_the_subscriptions_under_it(server):
    server.state.management_groups["borough"] = [SUB]
    settings = AzureSettings(endpoint=server.endpoint, credential=TestCredential(), retry_total=0, page_size=200)
    report = check(CheckRequest(live=LiveRequest(management_groups=["borough"], resource_groups=[DEV_GROUP],
                                                 settings=settings)))

    assert report.exit_code() == 0
    assert report.targets[0].source == "Azure management group borough"
    assert {f.managed_by for f in report.findings} == {f"stack:{DEV}"}
