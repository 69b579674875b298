"""Stack drift on a bundled stack: synthesize it, export it as deployed state, serve it live, tamper."""

from __future__ import annotations

import copy
import json
from typing import Iterator

import pytest

from drift_fixtures import export_from_graph, live_bodies
from fake_arm import FakeArmServer, TestCredential, _arg_indexed, arm_resource
from inventory.live.azure import AzureSettings
from inventory.live.report import Rule, Status
from deployed.drift_compare import check_stack
from deployed.state import parse_state

STACK = "resident-services-dev"


@pytest.fixture(scope="module")
def bundled() -> tuple[dict, list[dict]]:
    from synth.run import synthesize_stack

    export = export_from_graph(synthesize_stack(STACK))
    return export, live_bodies(export)


@pytest.fixture
def live(bundled) -> Iterator[FakeArmServer]:
    with FakeArmServer() as server:
        for body in bundled[1]:
            server.state.add(copy.deepcopy(body))
        yield server


def _check(bundled, server: FakeArmServer):
    graph = parse_state(json.loads(json.dumps(bundled[0])))
    settings = AzureSettings(endpoint=server.endpoint, credential=TestCredential(), retry_backoff_factor=0.01, page_size=10)
    return graph, check_stack(graph, settings)


def _first(bodies: list[dict], arm_type: str) -> dict:
    return next(b for b in bodies if b["type"] == arm_type)


def test_deployed_bundled_stack_is_in_sync(bundled, live):
    graph, report = _check(bundled, live)
    assert report.status is Status.clean, [f.message for f in report.findings]
    compared = [r for r in report.resources if r.state == "in sync"]
    assert len(compared) == len([r for r in graph.custom_resources() if r.type.startswith("azure-native:")])
    # child types Resource Graph lacks were fetched one by one; everything else came in pages
    unindexed = {b["id"].lower() for b in bundled[1] if not _arg_indexed(b["type"]) or b["id"].lower().count("/providers/") > 1}
    unindexed |= {b["id"].lower() + "/config/web" for b in bundled[1] if b["type"] == "Microsoft.Web/sites"}
    gets = {s.path.split("?", 1)[0].lower() for s in live.state.seen if s.method == "GET"}
    assert unindexed and gets == unindexed
    pages = [s for s in live.state.seen if s.method == "POST"]
    assert len(pages) < len(compared) - len(unindexed)


def test_each_out_of_band_change_is_reported_once(bundled, live):
    bodies = bundled[1]
    storage = _first(bodies, "Microsoft.Storage/storageAccounts")
    nsg = _first(bodies, "Microsoft.Network/networkSecurityGroups")
    subnet = _first(bodies, "Microsoft.Network/virtualNetworks/subnets")
    vault = _first(bodies, "Microsoft.KeyVault/vaults")
    live.state.get(storage["id"])["properties"]["publicNetworkAccess"] = "Enabled"
    rule = live.state.get(nsg["id"])["properties"]["securityRules"][0]
    rule["properties"]["access"] = "Allow" if rule["properties"]["access"] == "Deny" else "Deny"
    live.state.remove(subnet["id"])
    live.state.remove(vault["id"])
    group = storage["id"].split("/")[4]
    sub = storage["id"].split("/")[2]
    live.state.add(arm_resource(sub, group, "Microsoft.Network/publicIPAddresses", "pip-by-hand", location="uksouth"))

    _, report = _check(bundled, live)
    assert report.exit_code == 1
    modified = {(f.resource, f.path) for f in report.findings if f.rule is Rule.modified}
    assert modified == {
        (storage["id"], "properties.publicNetworkAccess"),
        (nsg["id"], f"properties.securityRules[{rule['name']}].properties.access"),
    }
    assert {f.resource for f in report.findings if f.rule is Rule.deleted} == {subnet["id"], vault["id"]}
    assert [f.resource.rsplit("/", 1)[-1] for f in report.findings if f.rule is Rule.unmanaged] == ["pip-by-hand"]


def test_web_app_settings_come_from_its_config_and_changes_show(bundled, live):
    site = _first(bundled[1], "Microsoft.Web/sites")
    live.state.get(site["id"])["properties"]["siteConfig"]["minTlsVersion"] = "1.0"
    _, report = _check(bundled, live)
    assert [(f.path, f.desired, f.live) for f in report.findings] == [("properties.siteConfig.minTlsVersion", "1.2", "1.0")]
    assert any(s.path.lower().startswith(site["id"].lower() + "/config/web") for s in live.state.seen if s.method == "GET")
