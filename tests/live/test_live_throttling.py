"""Azure's quota headers honoured: Resource Graph's per-user quota and ARM's per-subscription
read budget pace the readers, so a run that needs more than one quota window is never refused."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app
from drift_fixtures import SUB, live_bodies, state_export
from fake_arm import TOKEN, arm_resource
from quota_fake import QuotaArm, QuotaServer


pytestmark = pytest.mark.usefixtures("azure_env")


def test_a_run_needing_two_quota_windows_waits_for_the_reset_instead_of_being_refused():
    with QuotaServer(QuotaArm(graph_quota=3, graph_window=1.0)) as server:
        for body in live_bodies(state_export()):
            server.state.add(body)
        result = CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                          "--retries", "0", "--format", "json"])
        assert result.exit_code == 1, result.output  # five tables on a quota of three: the findings decide, not a 429
        assert json.loads(result.stdout)["not_read"] == []
        assert server.state.refused == 0


def test_arm_list_calls_slow_down_as_the_subscription_read_budget_runs_low():
    with QuotaServer(QuotaArm(graph_quota=100, arm_bucket=12, arm_capacity=12, arm_refill=40)) as server:
        for body in live_bodies(state_export()):
            server.state.add(body)
        vault = next(b for b in live_bodies(state_export()) if b["type"] == "Microsoft.KeyVault/vaults")
        for number in range(30):  # thirty vaults: sixty list calls on a budget of twelve
            server.state.add(arm_resource(SUB, vault["id"].split("/")[4], "Microsoft.KeyVault/vaults", f"kv-many-{number}",
                                          location="uksouth", properties=vault["properties"]))
        result = CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                          "--retries", "0", "--format", "json"])
        assert result.exit_code == 1, result.output
        assert json.loads(result.stdout)["not_read"] == []
        assert server.state.refused == 0


def test_the_quota_headers_are_read_as_azure_writes_them():
    from inventory.live.throttle import Throttle, parse_resets_after

    assert parse_resets_after("00:00:04") == 4.0 and parse_resets_after("01:02:03") == 3723.0
    assert parse_resets_after("soon") is None
    now, slept = [100.0], []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    throttle = Throttle(clock=lambda: now[0], sleep=sleep)

    class Response:
        def __init__(self, headers: dict[str, str], url: str) -> None:
            self.http_response = type("R", (), {"headers": headers})()
            self.http_request = type("Q", (), {"url": url})()

    def send(url: str) -> None:
        throttle.before(type("P", (), {"http_request": type("Q", (), {"url": url})()})())

    graph = "https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01"
    send(graph)
    throttle.after(Response({"x-ms-user-quota-remaining": "1", "x-ms-user-quota-resets-after": "00:00:03"}, graph))
    send(graph)  # the one query left in this window goes at once
    assert slept == []
    send(graph)  # the next waits for the window to reset
    assert slept and sum(slept) == pytest.approx(3.0)
    arm = f"https://management.azure.com/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/keys"
    send(arm)
    throttle.after(Response({"x-ms-ratelimit-remaining-subscription-reads": "0"}, arm))
    before = len(slept)
    send(arm)  # an empty bucket: wait for one read to refill
    assert sum(slept[before:]) == pytest.approx(1 / 25)
    other = arm.replace(SUB, "99999999-8888-7777-6666-555555555555")
    before = len(slept)
    send(other)
    assert len(slept) == before  # another subscription's budget is its own
