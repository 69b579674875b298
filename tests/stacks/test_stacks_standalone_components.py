"""Components used on their own in a small program: optional parts, refusals, the tag transform."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from synth.errors import ProgramError
from synth.run import synthesize

PROGRAM = """\
import pulumi
from stacks.components.base import Placement
from stacks.components.keyvault import KeyVault, KeyVaultArgs
from stacks.components.monitoring import Monitoring, MonitoringArgs
from stacks.components.storage import StorageAccount, StorageArgs
from stacks.tagging import register_mandatory_tags
from pulumi_azure_native import resources

register_mandatory_tags({"system-id": "sandbox", "owner": "me@borough.gov.uk", "environment": "dev",
                         "data-classification": "OFFICIAL", "cost-centre": "CC-1"})
rg = resources.ResourceGroup("rg", resource_group_name="rg-sandbox", location="ukwest",
                             tags={"owner": "someone-else", "project": "alpha"})
place = Placement(rg.name, "ukwest")
{body}
"""


def run(tmp_path: Path, body: str):
    program = tmp_path / "sandbox"
    program.mkdir()
    (program / "__main__.py").write_text(PROGRAM.replace("{body}", textwrap.dedent(body)))
    return synthesize(program, "dev")


def test_components_without_private_link_or_workspace_create_only_the_core_resource(tmp_path):
    graph = run(tmp_path, """\
        KeyVault("kv", KeyVaultArgs(placement=place, vault_name="kv-sandbox-dev-ukw", tenant_id="t"))
        StorageAccount("lake", StorageArgs(placement=place, account_name="stsandboxdevukw", data_lake=True))
        """)
    types = [r.type for r in graph.custom_resources()]
    assert sorted(types) == ["azure-native:keyvault:Vault", "azure-native:resources:ResourceGroup",
                             "azure-native:storage:StorageAccount"]
    lake = next(r for r in graph.resources if r.type == "azure-native:storage:StorageAccount")
    assert lake.inputs["isHnsEnabled"] is True and lake.inputs["sku"]["name"] == "Standard_GRS"
    assert lake.parent.endswith("borough:storage:StorageAccount::lake")


def test_mandatory_tags_win_over_a_resources_own_tags_and_extras_are_kept(tmp_path):
    graph = run(tmp_path, "")
    rg = next(r for r in graph.resources if r.type == "azure-native:resources:ResourceGroup")
    assert rg.inputs["tags"] == {"system-id": "sandbox", "owner": "me@borough.gov.uk", "environment": "dev",
                                 "data-classification": "OFFICIAL", "cost-centre": "CC-1", "project": "alpha"}


def test_monitoring_refuses_retention_under_90_days(tmp_path):
    with pytest.raises(ProgramError, match=r"__main__.py:\d+: ValueError: law: log retention must be at least 90 days"):
        run(tmp_path, 'Monitoring("law", MonitoringArgs(placement=place, workspace_name="log-x", retention_days=30))\n')


def test_web_app_refuses_secret_looking_plain_settings(tmp_path):
    body = """\
        from stacks.components.webapp import LinuxWebApp, WebAppArgs
        LinuxWebApp("portal", WebAppArgs(placement=place, app_name="app-x", plan_name="asp-x",
                                         integration_subnet_id="snet", key_vault_id="kv", key_vault_uri="https://kv/",
                                         subscription_id="sub", settings={"DB_PASSWORD": "hunter2"}))
        """
    with pytest.raises(ProgramError) as caught:
        run(tmp_path, body)
    assert "DB_PASSWORD look like secrets" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_mandatory_tags_must_all_be_given(tmp_path):
    program = tmp_path / "untagged"
    program.mkdir()
    (program / "__main__.py").write_text(
        "from stacks.tagging import register_mandatory_tags\nregister_mandatory_tags({'owner': 'x'})\n")
    with pytest.raises(ProgramError, match="mandatory tags missing: system-id, environment, data-classification, cost-centre"):
        synthesize(program, "dev")
