"""Whose resource it is: a Databricks workspace's managed resource group (``managedBy`` set, as
the Resource Groups REST reference documents) and what Azure put in it, and SQL ``master``, are
listed apart as platform-managed in `check --live` and `drift inventory`, counted, never failed
nor "untagged"; council tags are asked only of types that take tags and a location."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Iterator

import pytest
from typer.testing import CliRunner

from azure_rest_shapes import (
    EXPIRES,
    databricks_workspace,
    database,
    managed_group,
    sql_server,
    storage_account,
    vault_key,
    vault_secret,
)
from cli.main import app
from drift_fixtures import SUB, TAGS
from fake_arm import TOKEN, arm_resource, resource_group
from live_fake import PostureServer

GROUP = "rg-analytics-prod"
MANAGED = "databricks-rg-dbw-analytics-x7k2"
DBFS = "dbstoragex7k2"


pytestmark = pytest.mark.usefixtures("azure_env")


@pytest.fixture
def server() -> Iterator[PostureServer]:
    with PostureServer() as running:
        state = running.state
        state.add(resource_group(SUB, GROUP, tags=TAGS))
        workspace = databricks_workspace(SUB, GROUP, "dbw-analytics", MANAGED, TAGS)
        state.add(workspace)
        state.add(managed_group(SUB, MANAGED, workspace["id"]))
        state.add(storage_account(SUB, MANAGED, DBFS, {"application": "databricks"}))  # open, untagged: Azure's
        state.add(storage_account(SUB, GROUP, "stanalyticsbyhand", {}))  # open, untagged: the council's
        server = sql_server(SUB, GROUP, "sql-analytics", TAGS)
        state.add(server)
        state.add(database(server["id"], "master", system=True))
        vault = arm_resource(SUB, GROUP, "Microsoft.KeyVault/vaults", "kv-analytics", location="uksouth", tags=TAGS,
                             properties={"tenantId": "00000000-0000-0000-0000-0000000000aa",
                                         "sku": {"family": "A", "name": "standard"}, "enableRbacAuthorization": True})
        state.add(vault)
        state.add(vault_key(vault["id"], "cmk", EXPIRES))
        state.add(vault_secret(vault["id"], "token", EXPIRES))
        yield running


def live(server: PostureServer, *args: str):
    return CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                    "--retries", "0", *args])


def test_check_live_lists_platform_managed_apart_and_judges_only_the_councils(server):
    result = live(server, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    apart = {p["urn"].rsplit("/", 1)[-1]: p for p in report["platform_managed"]}
    assert set(apart) == {MANAGED, DBFS, "master"}
    assert "Microsoft.Databricks/workspaces dbw-analytics" in apart[DBFS]["reason"]
    assert {p["managed_by"] for p in apart.values()} == {"platform-managed"}
    judged = {f["urn"].rsplit("/", 1)[-1] for f in report["findings"]}
    assert not judged & set(apart)  # no finding, passed or failed, on what nobody here can change
    assert "stanalyticsbyhand" in {f["urn"].rsplit("/", 1)[-1] for f in report["findings"] if f["outcome"] == "failed"}
    assert report["targets"][0]["platform_managed"] == len(report["platform_managed"]) == 3


def test_council_tags_are_not_asked_of_keys_and_secrets(server):
    report = json.loads(live(server, "--format", "json").stdout)
    tagged = {f["urn"].rsplit("/", 1)[-1]: f["outcome"] for f in report["findings"] if f["check_id"] == "CKV_BOROUGH_001"}
    assert "cmk" not in tagged and "token" not in tagged
    assert tagged["kv-analytics"] == "passed" and tagged["stanalyticsbyhand"] == "failed"


def test_every_format_lists_them_and_keeps_who_manages_each_finding(server):
    table = live(server).stdout
    assert "Platform-managed" in table and DBFS in table
    assert "Subscription" in table and "Resource group" in table and "Managed by" in table
    assert GROUP in table and SUB[:8] in table

    sections = live(server, "--format", "csv").stdout.split("\n\n")
    findings = next(s for s in sections if s.startswith("# Findings"))
    rows = list(csv.DictReader(io.StringIO(findings.split("\n", 1)[1])))
    resources = [r for r in rows if r["Managed by"] != "subscription"]  # the subscription's own evidence has no group
    assert {(r["Subscription"], r["Resource group"]) for r in resources} == {(SUB, GROUP)}
    assert {r["Managed by"] for r in resources} == {"unmanaged"}
    assert {(r["Subscription"], r["Resource group"]) for r in rows if r not in resources} <= {(SUB, "")}
    assert any("# Platform-managed" in s.split("\n", 1)[0] and DBFS in s for s in sections)

    sarif = json.loads(live(server, "--format", "sarif").stdout)
    notes = [n["message"]["text"] for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert any(DBFS in n and "platform-managed" in n for n in notes)
    assert {r["properties"]["managedBy"] for r in sarif["runs"][0]["results"]} == {"unmanaged", "subscription"}

    junit = ET.fromstring(live(server, "--format", "junit").stdout)
    managed = {p.get("value") for p in junit.iter("property") if p.get("name") == "managed-by"}
    assert managed == {"unmanaged", "platform-managed", "subscription"}


def test_drift_inventory_does_not_call_platform_managed_untagged(server, tmp_path):
    from inventory.store import open_store

    db = f"sqlite:///{tmp_path / 'register.db'}"
    with open_store(db):
        pass
    result = CliRunner().invoke(app, ["drift", "inventory", "--azure-subscription", SUB, "--azure-endpoint", server.endpoint,
                                      "--db", db, "--retries", "0", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    untagged = {f["resource"].rsplit("/", 1)[-1] for f in report["findings"] if f["rule"] == "untagged-resource"}
    assert "stanalyticsbyhand" in untagged
    assert not untagged & {MANAGED, DBFS, "master"}
    assert {p["resource"].rsplit("/", 1)[-1] for p in report["platform_managed"]} == {MANAGED, DBFS, "master"}
    table = CliRunner().invoke(app, ["drift", "inventory", "--azure-subscription", SUB, "--azure-endpoint",
                                     server.endpoint, "--db", db, "--retries", "0"]).stdout
    assert "3 platform-managed (not judged)" in table
