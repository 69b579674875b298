"""Stack drift end to end: a state export against the loopback ARM server, changed by hand."""

from __future__ import annotations

import dataclasses
import json

import pytest

from drift_fixtures import RG, SUB, rid
from fake_arm import Fault, arm_resource
from inventory.live.report import Rule, Status
from deployed.drift_compare import check_stack
from deployed.state import parse_state

STORAGE = rid("Microsoft.Storage/storageAccounts/stresidentdev")
BLOBS = STORAGE + "/blobServices/default"
VAULT = rid("Microsoft.KeyVault/vaults/kv-resident-dev")
NSG = rid("Microsoft.Network/networkSecurityGroups/nsg-app")


@pytest.fixture
def graph(export_data):
    return parse_state(json.loads(json.dumps(export_data)))


def by_path(report):
    return {(f.resource, f.path): f for f in report.findings if f.rule is Rule.modified}


def test_untouched_stack_is_in_sync_despite_case_and_server_fields(graph, arm, settings):
    report = check_stack(graph, settings)
    assert report.status is Status.clean and report.exit_code == 0
    states = {r.resource: r.state for r in report.resources}
    assert states[STORAGE] == "in sync" and states[BLOBS] == "in sync" and states[VAULT] == "in sync"
    assert set(states.values()) == {"in sync"}
    assert not any("random" in r.type for r in report.resources)
    # four indexed resources at three a page: the skip token was followed to the second page
    assert max(s.page or 0 for s in arm.state.seen if s.method == "POST") == 2


def test_portal_changes_show_desired_and_live_values(graph, arm, settings):
    arm.state.get(STORAGE)["properties"]["minimumTlsVersion"] = "TLS1_0"
    arm.state.get(STORAGE)["tags"]["owner"] = "someone-else"
    arm.state.get(NSG)["properties"]["securityRules"][0]["properties"]["access"] = "deny"
    arm.state.get(BLOBS)["properties"]["deleteRetentionPolicy"]["days"] = 1
    report = check_stack(graph, settings)
    assert report.exit_code == 1
    found = by_path(report)
    tls = found[(STORAGE, "properties.minimumTlsVersion")]
    assert (tls.desired, tls.live) == ("TLS1_2", "TLS1_0")
    assert (found[(STORAGE, "tags.owner")].desired, found[(STORAGE, "tags.owner")].live) == ("platform-team", "someone-else")
    rule = found[(NSG, "properties.securityRules[allow-https].properties.access")]
    assert (rule.desired, rule.live) == ("Allow", "deny")
    assert found[(BLOBS, "properties.deleteRetentionPolicy.days")].live == 1
    assert len(found) == 4
    states = {r.resource: r.state for r in report.resources}
    assert states[STORAGE] == "modified" and states[VAULT] == "in sync"


def test_secret_inputs_are_never_compared_or_printed(graph, arm, settings):
    server = rid("Microsoft.DBforPostgreSQL/flexibleServers/psql-resident-dev")
    arm.state.get(server)["properties"]["administratorLoginPassword"] = "hunter2"
    report = check_stack(graph, settings)
    assert report.status is Status.clean
    assert "hunter2" not in json.dumps(report.to_dict())


def test_deleted_and_hand_made_resources(graph, arm, settings):
    arm.state.remove(VAULT)
    arm.state.remove(BLOBS)
    arm.state.add(arm_resource(SUB, RG, "Microsoft.Compute/virtualMachines", "vm-by-hand", location="uksouth", tags={}))
    arm.state.add(arm_resource(SUB, "rg-elsewhere", "Microsoft.Compute/virtualMachines", "vm-other-rg", location="uksouth"))
    report = check_stack(graph, settings)
    deleted = {f.resource for f in report.findings if f.rule is Rule.deleted}
    assert deleted == {VAULT, BLOBS}
    unmanaged = [f.resource for f in report.findings if f.rule is Rule.unmanaged]
    assert unmanaged == [rid("Microsoft.Compute/virtualMachines/vm-by-hand")]
    assert report.exit_code == 1


def test_throttling_with_retry_after_is_retried_to_a_clean_result(graph, arm, settings):
    arm.state.faults.append(Fault(method="POST", page=2, status=429, retry_after="0", times=2))
    arm.state.faults.append(Fault(method="GET", status=503, retry_after="0", times=1))
    report = check_stack(graph, settings)
    assert report.status is Status.clean
    assert [s.status for s in arm.state.seen if s.status in (429, 503)] == [429, 429, 503]


def test_a_page_failing_midway_is_incomplete_not_deleted(graph, arm, settings):
    arm.state.faults.append(Fault(method="POST", page=2, status=500, times=None))
    report = check_stack(graph, settings)
    assert report.exit_code == 3 and report.status is Status.incomplete
    assert [(n.scope, n.what) for n in report.not_read] == [
        (f"subscription {SUB}", "Resource Graph query 'resources' page 2"),
    ]
    assert not [f for f in report.findings if f.rule is Rule.deleted]
    assert "not read" in {r.state for r in report.resources}


def test_timeouts_are_retried_then_reported(graph, arm, settings):
    quick = dataclasses.replace(settings, read_timeout=0.2, retry_total=1)
    arm.state.faults.append(Fault(method="GET", path_contains="blobServices", delay=0.6, status=200, times=None))
    report = check_stack(graph, quick)
    assert report.exit_code == 3
    assert [n.what for n in report.not_read] == [f"ARM GET {BLOBS}"]
    assert {r.resource: r.state for r in report.resources}[BLOBS] == "not read"


def test_a_rejected_token_is_incomplete(graph, arm, settings):
    class Wrong:
        def get_token(self, *scopes, **kwargs):
            from azure.core.credentials import AccessToken

            return AccessToken("wrong", 2**31)

    from inventory.live.errors import LiveCredentialError

    with pytest.raises(LiveCredentialError) as refused:  # one line for the whole run, exit 3: not a not-read per page
        check_stack(graph, dataclasses.replace(settings, credential=Wrong()))
    assert refused.value.exit_code == 3
    assert "Azure refused the credential" in str(refused.value) and "HTTP 401" in str(refused.value)


def test_a_type_without_arm_mapping_is_a_note_or_with_strict_incomplete(export_data, arm, settings):
    data = json.loads(json.dumps(export_data))
    # an invented token, so no future type-table entry can map it
    data["deployment"]["resources"].append({
        "urn": "urn:pulumi:resident-services-dev::borough::azure-native:fictional:Widget::widget", "custom": True,
        "type": "azure-native:fictional:Widget", "id": rid("Microsoft.Fictional/widgets/widget-resident"),
        "inputs": {"widgetName": "widget-resident", "resourceGroupName": RG, "sku": {"name": "S1"}},
    })
    graph = parse_state(data)
    lenient = check_stack(graph, settings)
    assert lenient.exit_code == 0
    assert any("azure-native:fictional:Widget::widget" in note and "not compared" in note for note in lenient.notes)
    assert {r.resource: r.state for r in lenient.resources}[rid("Microsoft.Fictional/widgets/widget-resident")] == "not compared"
    strict = check_stack(graph, settings, strict=True)
    assert strict.exit_code == 3
    assert [n.what for n in strict.not_read] == ["render urn:pulumi:resident-services-dev::borough::azure-native:fictional:Widget::widget"]
