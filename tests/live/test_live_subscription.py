"""`borough check --live` reads and judges each subscription's own settings on the loopback Azure REST
server (Defender plans, security contacts, activity-log alert rules) and sets the compliance states
Azure Policy recorded for the UK initiatives' policies beside borough's own verdicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from cli.main import app
from drift_fixtures import RG, SUB, live_bodies, state_export
from fake_arm import TOKEN, Fault, arm_resource
from policies.checks.activity_log_alerts import REQUIRED
from subscription_fake import SubscriptionServer, activity_log_alert, policy_state, pricing, security_contact

HAND_MADE = "stbyhand003"
HAND_MADE_ID = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Storage/storageAccounts/{HAND_MADE}"
SHARED_KEY = "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54"  # Storage accounts should prevent shared key access
CAF = "6d220abf-cf6f-4b17-8f7e-0644c4cc84b4"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID", "BOROUGH_DB", "BOROUGH_AZURE_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOROUGH_AZURE_ACCESS_TOKEN", TOKEN)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def server() -> Iterator[SubscriptionServer]:
    with SubscriptionServer() as running:
        for body in live_bodies(state_export()):
            running.state.add(body)
        running.state.add(arm_resource(SUB, RG, "Microsoft.Storage/storageAccounts", HAND_MADE, location="uksouth",
                                       kind="StorageV2", properties={"allowSharedKeyAccess": True}))
        yield running


def borough(server: SubscriptionServer, *args: str):
    return CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                    "--retries", "0", *args])


def _subscription_findings(report: dict) -> dict[str, dict]:
    return {f["check_id"]: f for f in report["findings"] if f["urn"] == f"/subscriptions/{SUB}"}


def test_a_subscription_without_contact_or_alerts_and_a_free_defender_plan_fails_naming_each(server):
    server.state.add(activity_log_alert(SUB, "nsg-changes", [REQUIRED[0]]))
    server.state.add(activity_log_alert(SUB, "policy-changes", [REQUIRED[2], REQUIRED[3]], enabled=False))
    server.state.add(pricing(SUB, "VirtualMachines", "Free"))
    server.state.add(pricing(SUB, "KeyVaults", "Standard"))
    result = borough(server, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    found = _subscription_findings(report)
    assert found["CKV_BOROUGH_045"]["outcome"] == "failed"
    assert found["CKV_BOROUGH_045"]["message"] == "no Defender for Cloud security contact"
    assert found["CKV_BOROUGH_045"]["managed_by"] == "subscription"
    alerts = found["CKV_BOROUGH_046"]
    assert alerts["outcome"] == "failed"
    missing = alerts["message"].removeprefix("no enabled activity-log alert for ").split(", ")
    assert missing == list(REQUIRED[1:])  # the disabled rule counts for nothing
    plans = {f["resource"]: f for f in report["findings"] if f["check_id"] == "CKV_AZURE_19"}
    assert plans["Microsoft.Security/pricings.VirtualMachines"]["outcome"] == "failed"
    assert "pricingTier" in plans["Microsoft.Security/pricings.VirtualMachines"]["message"]
    assert "Free" in plans["Microsoft.Security/pricings.VirtualMachines"]["message"]
    assert plans["Microsoft.Security/pricings.KeyVaults"]["outcome"] == "passed"


def test_a_contact_sent_high_alerts_and_alerts_on_every_operation_pass(server):
    server.state.add(security_contact(SUB, "security@example.gov.uk; soc@example.gov.uk"))
    server.state.add(activity_log_alert(SUB, "security-changes", list(REQUIRED)))
    report = json.loads(borough(server, "--format", "json").stdout)
    found = _subscription_findings(report)
    assert found["CKV_BOROUGH_045"]["outcome"] == "passed"
    assert "security@example.gov.uk" in found["CKV_BOROUGH_045"]["message"]
    assert found["CKV_BOROUGH_046"]["outcome"] == "passed"


def test_a_contact_without_high_severity_alerts_fails_naming_the_severity(server):
    server.state.add(security_contact(SUB, "security@example.gov.uk", severity="Critical"))
    found = _subscription_findings(json.loads(borough(server, "--format", "json").stdout))
    assert found["CKV_BOROUGH_045"]["message"] == \
        "alert notifications to security@example.gov.uk have minimal severity Critical, not High"


def test_azure_policy_states_sit_beside_borough_verdicts_and_a_disagreement_is_flagged(server):
    states = server.state.policy_states.setdefault(SUB, [])
    states.append(policy_state(SUB, HAND_MADE_ID, SHARED_KEY, CAF, "Compliant"))
    guest = "ea53dbee-c6c9-4f0e-9f9e-de0039b78023"
    vm = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachines/vm-legacy"
    states.append(policy_state(SUB, vm, guest, CAF, "NonCompliant"))
    states.append(policy_state(SUB, HAND_MADE_ID, "ffffffff-0000-0000-0000-000000000000", "", "NonCompliant"))
    result = borough(server, "--format", "json")
    records = {(r["resource_id"].rsplit("/", 1)[-1], r["policy_definition_id"]): r for r in json.loads(result.stdout)["policy_states"]}
    assert len(records) == 2  # a policy outside the UK initiatives is not shown
    shared = records[(HAND_MADE, SHARED_KEY)]
    assert (shared["azure_state"], shared["borough_outcome"], shared["agreement"]) == ("Compliant", "failed", "disagree")
    assert shared["borough_checks"] == ["CKV_BOROUGH_003"] and "B2.a" in shared["controls"]
    assert shared["initiatives"] == ["ncsc-caf-v3.2"]
    in_guest = records[("vm-legacy", guest)]
    assert (in_guest["borough_outcome"], in_guest["agreement"]) == (None, "azure-only")
    assert set(in_guest["initiatives"]) == {"ncsc-caf-v3.2", "uk-official-nhs"}

    table = borough(server).stdout
    assert "Azure Policy compliance states" in table and "DISAGREE" in table


def test_security_contacts_that_cannot_be_read_make_the_run_incomplete(server):
    server.state.faults.append(Fault(method="GET", path_contains="securityContacts", status=403, times=None))
    result = borough(server, "--format", "json")
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert any("Microsoft.Security/securityContacts" in n["what"] and n["reason"].startswith("HTTP 403")
               for n in report["not_read"])
    assert "CKV_BOROUGH_045" not in _subscription_findings(report)  # not judged on what was not read
