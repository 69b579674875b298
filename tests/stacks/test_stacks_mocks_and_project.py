"""The pure parts of synthesis: ARM ids the mocks hand out, and how stack config is read."""

from __future__ import annotations

import pytest

from synth.errors import ConfigError
from synth.graph import SECRET
from synth.mocks.answers import invoke_result
from synth.mocks.azure import SUBSCRIPTION_ID, arm_identity
from synth.mocks.monitor import plain
from synth.project import apply_overrides, find_project, parse_override, read_stack_config

RG = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-app"


@pytest.mark.parametrize(
    ("token", "inputs", "arm_type", "arm_id"),
    [
        ("azure-native:storage:StorageAccount", {"accountName": "stapp"}, "Microsoft.Storage/storageAccounts",
         f"{RG}/providers/Microsoft.Storage/storageAccounts/stapp"),
        ("azure-native:storage:BlobContainer", {"accountName": "stapp", "containerName": "docs"},
         "Microsoft.Storage/storageAccounts/blobServices/containers",
         f"{RG}/providers/Microsoft.Storage/storageAccounts/stapp/blobServices/default/containers/docs"),
        ("azure-native:network:Subnet", {"virtualNetworkName": "vnet-a", "subnetName": "snet-pe"},
         "Microsoft.Network/virtualNetworks/subnets", f"{RG}/providers/Microsoft.Network/virtualNetworks/vnet-a/subnets/snet-pe"),
        ("azure-native:dbforpostgresql:Server", {"serverName": "psql-a"}, "Microsoft.DBforPostgreSQL/flexibleServers",
         f"{RG}/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-a"),
        ("azure-native:web:WebApp", {"name": "app-a"}, "Microsoft.Web/sites", f"{RG}/providers/Microsoft.Web/sites/app-a"),
        ("azure-native:privatedns:PrivateZone", {"privateZoneName": "privatelink.blob.core.windows.net"},
         "Microsoft.Network/privateDnsZones", f"{RG}/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"),
        ("azure-native:sql:Server", {}, "Microsoft.Sql/servers", f"{RG}/providers/Microsoft.Sql/servers/logical"),
    ],
)
def test_arm_ids_look_like_azures(token, inputs, arm_type, arm_id):
    identity = arm_identity(token, "logical", {"resourceGroupName": "rg-app", **inputs})
    assert identity.arm_type == arm_type
    assert identity.id == arm_id


def test_extension_resources_hang_off_their_scope():
    vault = f"{RG}/providers/Microsoft.KeyVault/vaults/kv-a"
    diag = arm_identity("azure-native:monitor:DiagnosticSetting", "d", {"resourceUri": vault, "name": "diag-to-law"})
    assert diag.id == f"{vault}/providers/Microsoft.Insights/diagnosticSettings/diag-to-law"
    group = arm_identity("azure-native:resources:ResourceGroup", "rg", {"resourceGroupName": "rg-x"})
    assert group.id == f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-x"


def test_wire_values_are_made_plain_and_secrets_redacted():
    wire = {"a": 3.0, "b": 2.5, "s": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "pw"},
            "r": {"4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e", "urn": "urn:x"}}
    assert plain(wire) == {"a": 3, "b": 2.5, "s": SECRET, "r": "urn:x"}


def test_client_config_invoke_answers_tenant_and_subscription():
    answer = invoke_result("azure-native:authorization:getClientConfig", {})
    assert answer["subscriptionId"] == SUBSCRIPTION_ID and answer["tenantId"]


def test_stack_config_merges_project_defaults_and_keeps_secrets_secret(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text(
        "name: demo\nruntime: python\nconfig:\n  demo:region:\n    default: uksouth\n  size: small\n")
    (tmp_path / "Pulumi.dev.yaml").write_text(
        "config:\n  demo:size: large\n  demo:db:\n    user: app\n    password:\n      secure: v1:abc\n  count: 3\n  on: true\n")
    program = tmp_path / "app"
    program.mkdir()
    project = find_project(program)
    assert (project.name, project.directory) == ("demo", tmp_path)
    raw = read_stack_config(project, "dev")
    assert raw.values["demo:region"] == "uksouth"
    assert raw.values["demo:size"] == "large"
    assert raw.values["demo:db"] == '{"password": "[secret]", "user": "app"}'
    assert raw.values["demo:count"] == "3"
    assert "demo:db" in raw.secret_keys
    apply_overrides(raw, project, {"db": "plain", "aws:region": "eu-west-2"})
    assert raw.values["demo:db"] == "plain" and "demo:db" in raw.secret_keys
    assert raw.values["aws:region"] == "eu-west-2"


def test_bad_yaml_and_bad_overrides_are_config_errors(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: demo\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  demo:a: [1, 2\n")
    with pytest.raises(ConfigError, match=r"Pulumi.dev.yaml:\d+: not valid YAML"):
        read_stack_config(find_project(tmp_path), "dev")
    with pytest.raises(ConfigError, match="expected KEY=VALUE"):
        parse_override("novalue")
    assert parse_override("a=b=c") == ("a", "b=c")
