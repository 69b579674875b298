"""Inherited and relocated settings judged as the live API means them, on fixtures written from
the Azure REST reference: SQL auditing set on the server, Key Vault key and secret expiry in
``properties.attributes.exp``. Each rule has a live resource that passes and one that fails."""

from __future__ import annotations

import json
from typing import Iterator

import pytest
from typer.testing import CliRunner

from azure_rest_shapes import (
    EXPIRES,
    database,
    database_auditing,
    server_auditing,
    sql_server,
    vault_key,
    vault_secret,
)
from cli.main import app
from drift_fixtures import SUB, TAGS
from fake_arm import TOKEN, arm_resource, resource_group
from live_fake import PostureServer

GROUP = "rg-data-prod"


pytestmark = pytest.mark.usefixtures("azure_env")


@pytest.fixture
def server() -> Iterator[PostureServer]:
    """Two SQL servers (one auditing at server level, one not), each with a database whose own
    auditing Azure answers Disabled; a vault with keys and secrets with and without expiry."""
    with PostureServer() as running:
        state = running.state
        state.add(resource_group(SUB, GROUP, tags=TAGS))
        for name, auditing in (("sql-audited", "Enabled"), ("sql-silent", "Disabled")):
            server = sql_server(SUB, GROUP, name, TAGS)
            state.add(server)
            state.add(server_auditing(server["id"], auditing))
            db = database(server["id"], "residents", TAGS)
            state.add(db)
            state.add(database_auditing(db["id"], "Disabled"))
            state.add(database(server["id"], "master", system=True))
        vault = arm_resource(SUB, GROUP, "Microsoft.KeyVault/vaults", "kv-data-prod", location="uksouth", tags=TAGS,
                             properties={"tenantId": "00000000-0000-0000-0000-0000000000aa", "sku": {"family": "A", "name": "standard"},
                                         "enableRbacAuthorization": True, "enableSoftDelete": True, "enablePurgeProtection": True,
                                         "softDeleteRetentionInDays": 90, "publicNetworkAccess": "Disabled",
                                         "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}})
        state.add(vault)
        state.add(vault_key(vault["id"], "cmk-expiring", EXPIRES))
        state.add(vault_key(vault["id"], "cmk-forever", None))
        state.add(vault_secret(vault["id"], "db-password-expiring", EXPIRES))
        state.add(vault_secret(vault["id"], "db-password-forever", None))
        yield running


def verdicts(server: PostureServer) -> dict[tuple[str, str], dict]:
    result = CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                      "--retries", "0", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["not_read"] == [] and report["not_evaluated"] == []
    out = {}
    for finding in report["findings"]:
        name = "/".join(finding["urn"].split("/")[-3::2]) if "/databases/" in finding["urn"] else finding["urn"].rsplit("/", 1)[-1]
        out[(finding["check_id"], name)] = finding
    return out


def test_a_database_audited_by_its_server_passes_and_one_nobody_audits_fails(server):
    found = verdicts(server)
    audited = found[("CKV_AZURE_23", "sql-audited/residents")]
    assert audited["outcome"] == "passed"
    assert "audited by its server" in audited["message"] and "sql-audited" in audited["message"]
    assert found[("CKV_AZURE_23", "sql-silent/residents")]["outcome"] == "failed"
    assert found[("CKV_AZURE_23", "sql-silent")]["outcome"] == "failed"  # the server itself does not audit
    assert found[("CKV_AZURE_23", "sql-audited")]["outcome"] == "passed"
    assert not any(name.endswith("/master") for _, name in found)  # Azure's own database is not judged


def test_key_expiry_in_attributes_exp_passes_and_a_key_without_expiry_fails(server):
    found = verdicts(server)
    expiring = found[("CKV_AZURE_40", "cmk-expiring")]
    assert expiring["outcome"] == "passed" and "2030-01-01" in expiring["message"]
    assert found[("CKV_AZURE_40", "cmk-forever")]["outcome"] == "failed"


def test_secret_expiry_in_attributes_exp_passes_and_a_secret_without_expiry_fails(server):
    found = verdicts(server)
    assert found[("CKV_AZURE_41", "db-password-expiring")]["outcome"] == "passed"
    assert found[("CKV_AZURE_41", "db-password-forever")]["outcome"] == "failed"


def test_the_counts_agree_with_the_findings_after_re_judging(server):
    result = CliRunner().invoke(app, ["check", "--live", "--subscription", SUB, "--azure-endpoint", server.endpoint,
                                      "--retries", "0", "--format", "json"])
    report = json.loads(result.stdout)
    target = report["targets"][0]
    assert target["passed"] == sum(1 for f in report["findings"] if f["outcome"] == "passed")
    assert target["failed"] == sum(1 for f in report["findings"] if f["outcome"] == "failed")


def test_postgres_flexible_server_firewall_rules_are_read_and_an_allow_all_rule_fails(server):
    from azure_rest_shapes import postgres_firewall_rule

    pg = arm_resource(SUB, GROUP, "Microsoft.DBforPostgreSQL/flexibleServers", "psql-data-prod", location="uksouth",
                      tags=TAGS, sku={"name": "Standard_D2ds_v5", "tier": "GeneralPurpose"},
                      properties={"version": "16", "state": "Ready", "network": {"publicNetworkAccess": "Enabled"},
                                  "authConfig": {"passwordAuth": "Disabled", "activeDirectoryAuth": "Enabled"}})
    server.state.add(pg)
    server.state.add(postgres_firewall_rule(pg["id"], "AllowAll", "0.0.0.0", "255.255.255.255"))
    server.state.add(postgres_firewall_rule(pg["id"], "office", "198.51.100.0", "198.51.100.255"))
    found = verdicts(server)
    allow_all = found[("CKV_BOROUGH_048", "AllowAll")]
    assert allow_all["outcome"] == "failed"
    assert "AllowAll" in allow_all["message"] and "0.0.0.0-255.255.255.255" in allow_all["message"]
    assert found[("CKV_BOROUGH_048", "office")]["outcome"] == "passed"
    assert any(s.method == "GET" and "/flexibleservers/psql-data-prod/firewallrules" in s.path.lower()
               for s in server.state.seen)
