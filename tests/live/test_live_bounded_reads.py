"""Reads that end: `check --live` and `drift inventory` against an Azure that loops, stalls,
fails and refuses the credential. Every case must end in exit 3 with a line naming what failed,
never an endless read, a clean exit or an "internal error"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from cli.main import app
from drift_fixtures import RG, SUB, live_bodies, state_export
from fake_arm import TOKEN, Fault
from misbehaving_fake import MisbehavingArm, MisbehavingServer


pytestmark = pytest.mark.usefixtures("azure_env")


@pytest.fixture
def server() -> Iterator[MisbehavingServer]:
    with MisbehavingServer(MisbehavingArm()) as running:
        for body in live_bodies(state_export()):
            running.state.add(body)
        yield running


def check_live(server: MisbehavingServer, *args: str):
    return CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                    "--retries", "0", "--format", "json", *args])


def drift_inventory(server: MisbehavingServer, tmp_path: Path, *args: str):
    db = f"sqlite:///{tmp_path / 'register.db'}"
    from inventory.store import open_store

    with open_store(db):
        pass
    return CliRunner().invoke(app, ["drift", "inventory", "--azure-subscription", SUB, "--azure-endpoint", server.endpoint,
                                    "--db", db, "--retries", "0", "--format", "json", *args])


def _posts(server: MisbehavingServer) -> int:
    return sum(1 for seen in server.state.seen if seen.method == "POST")


@pytest.mark.parametrize("mode", ["repeat", "cycle"])
def test_a_skip_token_seen_before_stops_check_live_with_exit_3_naming_the_query(server, mode):
    server.state.skip_tokens, server.state.report_total = mode, False  # the loop alone, not the total, stops it
    result = check_live(server)
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    loops = [n for n in report["not_read"] if "paging loop" in n["reason"]]
    assert {n["what"].split(" page ")[0] for n in loops} >= {"Resource Graph query 'resources'"}
    assert all(n["scope"] == f"subscription {SUB}" for n in loops)
    assert _posts(server) < 40  # five tables, a handful of pages each: not thousands


def test_fresh_tokens_past_the_total_records_stop_the_read(server):
    server.state.skip_tokens = "endless"
    result = check_live(server)
    assert result.exit_code == 3
    reasons = [n["reason"] for n in json.loads(result.stdout)["not_read"]]
    assert reasons and all("still more pages after" in r for r in reasons)


def test_without_a_total_the_page_bound_stops_an_endless_query():
    from fake_arm import TestCredential
    from inventory.live.azure import AzureSettings
    from deployed.live_get import PostureScope, read_posture

    with MisbehavingServer(MisbehavingArm(skip_tokens="endless", report_total=False)) as running:
        for body in live_bodies(state_export()):
            running.state.add(body)
        settings = AzureSettings(endpoint=running.endpoint, credential=TestCredential(), retry_total=0, max_pages=7)
        read = read_posture([PostureScope(subscription=SUB)], settings)
    assert {n.what for n in read.not_read} >= {"Resource Graph query 'resources' page 7"}
    assert all("at most 7 expected" in n.reason for n in read.not_read)


def test_drift_inventory_stops_on_a_repeated_skip_token_too(server, tmp_path):
    server.state.skip_tokens = "repeat"
    result = drift_inventory(server, tmp_path)
    assert result.exit_code == 3, result.output
    not_read = json.loads(result.stdout)["not_read"]
    assert any(n["what"].startswith("Resource Graph query 'resources'") and "paging loop" in n["reason"] for n in not_read)
    assert _posts(server) < 10


def test_a_next_link_that_points_back_at_itself_is_a_named_loop(server):
    server.state.self_next_link = True
    result = check_live(server)
    assert result.exit_code == 3
    loops = [n for n in json.loads(result.stdout)["not_read"] if "paging loop" in n["reason"]]
    assert loops and all(n["what"].startswith("ARM list ") for n in loops)
    assert any("/vaults/" in n["what"] for n in loops)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_retries_n_means_n_retries_for_every_retryable_status(server, status):
    server.state.faults.append(Fault(method="POST", subscription=SUB, status=status, times=None, retry_after="0"
                                     if status == 429 else None))
    result = CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                      "--retries", "6", "--retry-backoff", "0", "--format", "json",
                                      "--resource-group", RG])
    assert result.exit_code == 3
    per_table = [s for s in server.state.seen if s.method == "POST" and s.status == status]
    assert len(per_table) == 5 * 7  # five tables, the first attempt and six retries each


def test_a_slow_api_fails_after_timeout_and_retries_naming_the_read(server):
    server.state.faults.append(Fault(method="POST", subscription=SUB, status=200, times=None, delay=3.0))
    result = CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                      "--retries", "1", "--retry-backoff", "0", "--timeout", "0.3", "--format", "json"])
    assert result.exit_code == 3
    not_read = json.loads(result.stdout)["not_read"]
    assert {n["what"] for n in not_read} >= {"Resource Graph query 'resources' page 1"}
    assert all("ServiceResponseError" in n["reason"] or "timed out" in n["reason"].lower() for n in not_read)
    assert server.state.arrivals.count("POST") == 5 * 2  # read timeouts are retried like other transient failures


def test_drift_takes_the_same_timeout(server, tmp_path):
    server.state.faults.append(Fault(method="POST", subscription=SUB, status=200, times=None, delay=3.0))
    result = drift_inventory(server, tmp_path, "--timeout", "0.3")
    assert result.exit_code == 3
    assert any(n["what"].startswith("Resource Graph query") for n in json.loads(result.stdout)["not_read"])


def test_a_rejected_token_says_the_api_refused_the_credential(server, monkeypatch, tmp_path):
    monkeypatch.setenv("BOROUGH_AZURE_ACCESS_TOKEN", "expired-token")
    for result in (check_live(server), drift_inventory(server, tmp_path)):
        assert result.exit_code == 3
        assert "Azure refused the credential" in result.output and "HTTP 401" in result.output
        assert "nothing to check" not in result.output and "internal error" not in result.output
        assert result.stdout.count("\n") <= 3  # one line and its hint, no report half-written


def test_an_oidc_issuer_that_cannot_be_reached_is_a_clear_exit_3(server, monkeypatch):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    monkeypatch.delenv("BOROUGH_AZURE_ACCESS_TOKEN")
    monkeypatch.setenv("ARM_USE_OIDC", "true")
    monkeypatch.setenv("ARM_CLIENT_ID", "00000000-0000-0000-0000-0000000000c1")
    monkeypatch.setenv("ARM_TENANT_ID", "00000000-0000-0000-0000-0000000000d1")
    monkeypatch.setenv("ARM_OIDC_TOKEN", "header.payload.signature")
    monkeypatch.setenv("AZURE_AUTHORITY_HOST", f"https://127.0.0.1:{dead}")
    result = check_live(server)
    assert result.exit_code == 3
    assert "Azure sign-in failed" in result.output and "ARM_USE_OIDC" in result.output
    assert "internal error" not in result.output
