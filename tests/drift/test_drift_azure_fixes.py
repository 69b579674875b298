"""Issue 10, "fix what was seen", on the Azure side, against the loopback ARM server.

Signing in (no credentials: one line, one token request; ARM_* variables honoured; the
subscription defaulted from ARM_SUBSCRIPTION_ID), retries that mean what they say, a dead
endpoint failing fast, canonical type names, and prod migrations judged by the environment tag.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from connections import closed_port, count_connections
from fake_arm import Fault, FakeArmServer, TestCredential, arm_resource, resource_group
from fake_identity import FakeIdentityServer
from inventory.live.azure import AzureSettings, read_arm_resources, read_azure
from inventory.register.model import Hosting, State, System

SUB = "33333333-4444-5555-6666-777777777777"
SUB2 = "33333333-4444-5555-6666-888888888888"
CREDENTIAL_VARS = ("BOROUGH_AZURE_ACCESS_TOKEN", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID",
                   "AZURE_FEDERATED_TOKEN_FILE", "AZURE_USERNAME", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_TENANT_ID",
                   "ARM_USE_MSI", "ARM_USE_OIDC", "ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID", "MSI_ENDPOINT",
                   "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IMDS_ENDPOINT")


@pytest.fixture
def arm() -> Iterator[FakeArmServer]:
    with FakeArmServer() as server:
        for sub in (SUB, SUB2):
            server.state.add(resource_group(sub, "rg-portal", tags={"system-id": "resident-portal", "environment": "dev"}))
            server.state.add(arm_resource(sub, "rg-portal", "Microsoft.Web/sites", "app-portal-dev", location="uksouth",
                                          tags={"system-id": "resident-portal", "environment": "dev"}))
            server.state.add(arm_resource(sub, "rg-portal", "Microsoft.Storage/storageAccounts", "stscratch", location="uksouth"))
        yield server


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A dev and a prod stack sharing one system-id, as the bundled resident-services stacks do."""
    for stage in ("dev", "prod"):
        (tmp_path / f"Pulumi.resident-services-{stage}.yaml").write_text(
            f"config:\n  borough:systemId: resident-portal\n  borough:stage: {stage}\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def register(tmp_path: Path) -> str:
    from inventory.store import open_store

    db = f"sqlite:///{tmp_path / 'inventory.db'}"
    with open_store(db) as store:
        store.add(System(id="housing", name="Housing", hosting=Hosting.on_premises, target_hosting=Hosting.azure,
                         state=State.migrated, target_stack="resident-services-prod"))
        store.add(System(id="resident-portal", name="Resident portal", hosting=Hosting.azure, state=State.assessed))
    return db


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No Azure credential of any kind, and no az / pwsh / azd on PATH."""
    for name in CREDENTIAL_VARS:
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return monkeypatch


def drift(*args: str):
    from cli.main import app

    return CliRunner().invoke(app, ["drift", *args], catch_exceptions=False)


def settings(arm: FakeArmServer, **kw) -> AzureSettings:
    return AzureSettings(endpoint=arm.endpoint, credential=TestCredential(), retry_backoff_factor=0.0, read_timeout=2.0, **kw)


def test_no_credentials_fail_once_in_one_line_naming_what_was_tried(arm, register, root, clean_env):
    clean_env.setenv("BOROUGH_ROOT", str(root))
    with FakeIdentityServer(status=400) as identity:
        for key, value in identity.environment().items():
            clean_env.setenv(key, value)
        result = drift("inventory", "--db", register, "--azure-subscription", SUB, "--azure-subscription", SUB2,
                       "--azure-endpoint", arm.endpoint)
        token_requests = len(identity.state.requests)
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("borough: error: Azure sign-in failed: tried azure-identity's default chain")
    assert "managed identity" in lines[0] and "az login" in lines[0]
    assert lines[1].startswith("hint: sign in with `az login`") and "ARM_CLIENT_ID" in lines[1] and "ARM_USE_MSI" in lines[1]
    assert token_requests == 1  # one sign-in for both subscriptions and both queries
    assert result.stdout == ""  # nothing half-written
    assert arm.state.seen == []


def test_arm_use_msi_and_arm_subscription_id_are_honoured(arm, register, root, clean_env):
    clean_env.setenv("BOROUGH_ROOT", str(root))
    with FakeIdentityServer() as identity:
        for key, value in {**identity.environment(), "ARM_USE_MSI": "true", "ARM_CLIENT_ID": "mi-client-id",
                           "ARM_SUBSCRIPTION_ID": SUB, "AZURE_SUBSCRIPTION_ID": SUB2}.items():
            clean_env.setenv(key, value)
        result = drift("inventory", "--db", register, "--azure-endpoint", arm.endpoint, "--format", "json")
        asked = identity.state.requests
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["scopes"] == [f"azure subscription {SUB}"]  # ARM_SUBSCRIPTION_ID wins over AZURE_SUBSCRIPTION_ID
    assert report["live_resources"] == 3
    assert asked and all(q.get("client_id") == ["mi-client-id"] for q in asked)  # the user-assigned identity


def test_a_half_set_service_principal_is_bad_input(arm, register, clean_env):
    clean_env.setenv("ARM_CLIENT_ID", "app-id")
    clean_env.setenv("ARM_CLIENT_SECRET", "not-shown")
    result = drift("inventory", "--db", register, "--azure-subscription", SUB, "--azure-endpoint", arm.endpoint)
    assert result.exit_code == 2
    assert "ARM_CLIENT_SECRET is set but ARM_TENANT_ID is not" in result.stderr
    assert "not-shown" not in result.output


def test_retries_n_means_n_retries_on_azure_too(arm):
    arm.state.faults.append(Fault(method="POST", subscription=SUB, page=1, status=500, times=None))
    snapshot = read_azure([SUB], settings(arm, retry_total=2))
    attempts = [s for s in arm.state.seen if s.method == "POST" and s.status == 500]
    assert len(attempts) == 2 * 3  # two queries, each the first attempt and 2 retries
    assert len(snapshot.not_read) == 2


def test_a_refused_connection_is_not_retried(monkeypatch):
    seen = count_connections(monkeypatch)
    dead = AzureSettings(endpoint=f"http://127.0.0.1:{closed_port()}", credential=TestCredential(), retry_total=4,
                         retry_backoff_factor=0.0)
    snapshot = read_azure([SUB], dead)
    assert {n.what for n in snapshot.not_read} == {"Resource Graph query 'resource groups' page 1",
                                                   "Resource Graph query 'resources' page 1"}
    assert len(seen) == 2  # one attempt per query although 4 retries were allowed
    seen.clear()
    target = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Insights/diagnosticSettings/d"
    _, failed = read_arm_resources([(target, "2021-05-01-preview")], dead)
    assert len(failed) == 1 and len(seen) == 1


def test_throttling_is_still_retried_on_azure(arm):
    arm.state.faults.append(Fault(method="POST", subscription=SUB, page=1, status=429, retry_after="0", times=2))
    snapshot = read_azure([SUB], settings(arm, retry_total=2))
    assert snapshot.not_read == []
    assert len(snapshot.resources) == 3


def test_types_are_shown_in_their_canonical_case(arm, register, root, monkeypatch):
    monkeypatch.setenv("BOROUGH_AZURE_ACCESS_TOKEN", "test-token")
    monkeypatch.setenv("BOROUGH_ROOT", str(root))
    result = drift("inventory", "--db", register, "--azure-subscription", SUB, "--azure-endpoint", arm.endpoint, "--format", "json")
    types = {f["type"] for f in json.loads(result.stdout)["findings"] if f["type"]}
    assert types == {"Microsoft.Storage/storageAccounts"}  # the untagged account; Resource Graph says microsoft.storage/...
    snapshot = read_azure([SUB], settings(arm))
    assert {r.type for r in snapshot.resources} == {"Microsoft.Resources/resourceGroups", "Microsoft.Web/sites",
                                                    "Microsoft.Storage/storageAccounts"}


def test_dev_resources_do_not_satisfy_a_migration_to_prod(arm, register, root, monkeypatch):
    monkeypatch.setenv("BOROUGH_AZURE_ACCESS_TOKEN", "test-token")
    monkeypatch.setenv("BOROUGH_ROOT", str(root))
    args = ["inventory", "--db", register, "--azure-subscription", SUB, "--azure-endpoint", arm.endpoint, "--format", "json"]
    report = json.loads(drift(*args).stdout)
    missing = [f for f in report["findings"] if f["rule"] == "migrated-system-without-resources"]
    assert [f["system"] for f in missing] == ["housing"]
    assert "environment prod" in missing[0]["message"]
    assert report["matched_resources"] == 2  # the dev group and app are registered (resident-portal), just not prod
    arm.state.add(arm_resource(SUB, "rg-portal", "Microsoft.Web/sites", "app-portal-prod", location="uksouth",
                               tags={"system-id": "resident-portal", "environment": "prod"}))
    report = json.loads(drift(*args).stdout)
    assert not [f for f in report["findings"] if f["rule"] == "migrated-system-without-resources"]


def test_the_summary_names_the_subscriptions_read_and_counts(arm, register, root, monkeypatch):
    monkeypatch.setenv("BOROUGH_AZURE_ACCESS_TOKEN", "test-token")
    monkeypatch.setenv("BOROUGH_ROOT", str(root))
    arm.state.faults.append(Fault(method="POST", subscription=SUB2, status=500, times=None))
    result = drift("inventory", "--db", register, "--azure-subscription", SUB, "--azure-subscription", SUB2,
                   "--azure-endpoint", arm.endpoint, "--retries", "0", "--format", "markdown")
    assert result.exit_code == 3
    assert (f"| read azure subscription {SUB}, azure subscription {SUB2} (partly): 3 live resource(s) seen, "
            f"2 matching a registered system |") in result.stdout.splitlines()


def test_a_timed_out_resource_graph_page_is_retried_like_a_get(arm):
    arm.state.faults.append(Fault(method="POST", subscription=SUB, page=1, status=200, delay=1.0, times=1))
    snapshot = read_azure([SUB], AzureSettings(endpoint=arm.endpoint, credential=TestCredential(), retry_total=1,
                                               retry_backoff_factor=0.0, read_timeout=0.3))
    assert snapshot.not_read == []  # the query is a POST, but it only reads: a timeout is retried
    assert len(snapshot.resources) == 3
