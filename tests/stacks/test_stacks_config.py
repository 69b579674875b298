"""Bad stack config stops synthesis before any resource, naming the stack file and the key."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from synth.errors import ConfigError
from synth.run import synthesize_stack


@pytest.mark.parametrize(
    ("stack", "override", "key", "words"),
    [
        ("platform-prod", {"location": "westeurope"}, "borough:location", "uksouth"),
        ("resident-services-dev", {"addressSpace": "10.10.4.0/22"}, "borough:addressSpace", "overlaps the hub"),
        ("resident-services-dev", {"addressSpace": "10.20.0.300/16"}, "borough:addressSpace", "not a valid IPv4 CIDR"),
        ("resident-services-dev", {"hubAddressSpace": "8.8.0.0/16"}, "borough:hubAddressSpace", "private"),
        ("resident-services-dev", {"tags": '{"owner": "team@borough.gov.uk", "cost-centre": "CC-1"}'},
         "borough:tags.data-classification", "missing"),
        ("data-platform-prod", {"app": "Data_Platform"}, "borough:app", "lowercase letters and digits"),
        ("data-platform-prod", {"app": "residentportal"}, "borough:app", "storage name 'stresidentportaldataproduks' is not legal"),
        ("platform-prod", {"logRetentionDays": "120"}, "borough:logRetentionDays", "365"),
        ("platform-prod", {"logRetentionDays": "30"}, "borough:logRetentionDays", "90"),
        ("platform-prod", {"locaton": "uksouth"}, "borough:locaton", "unknown key"),
        ("resident-services-prod", {"logRetentionDays": "400"}, "borough:logRetentionDays", "platform stack"),
        ("platform-prod", {"stage": "live"}, "borough:stage", "dev"),
        ("platform-prod", {"policyInitiatives": "[]"}, "borough:policyInitiatives", "at least one"),
        ("platform-prod", {"policyInitiatives": '[{"key": "xx", "displayName": "Extra", "policySetDefinitionId": "/bad"}]'},
         "borough:policyInitiatives.0.policySetDefinitionId", "pattern"),
        ("platform-prod", {"adminSshPublicKey": "ssh-rsa not-base64!"}, "borough:adminSshPublicKey", "pattern"),
        ("resident-services-dev", {"adminSshPublicKey": "ssh-rsa AAAAB3NzaC1yc2E= ops"}, "borough:adminSshPublicKey",
         "platform stack"),
    ],
)
def test_invalid_config_names_file_and_key(stack, override, key, words):
    with pytest.raises(ConfigError) as caught:
        synthesize_stack(stack, override)
    message = str(caught.value)
    assert message.startswith(f"--config {key}: "), message  # the value came from --config, not the stack file
    assert words.lower() in message.lower()


def test_missing_required_key_is_reported(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: borough\nruntime: python\nmain: stacks/\n")
    (tmp_path / "Pulumi.bare.yaml").write_text("config:\n  borough:environment: platform\n")
    from synth.run import synthesize
    from synth.catalog import program_dir

    import shutil

    shutil.copytree(program_dir(), tmp_path / "stacks", ignore=shutil.ignore_patterns("__pycache__"))
    with pytest.raises(ConfigError) as caught:
        synthesize(tmp_path / "stacks", "bare")
    assert str(caught.value).startswith("Pulumi.bare.yaml: key 'borough:")
    assert "required key is missing" in str(caught.value)


def test_cli_exits_2_with_one_line_error():
    from cli.main import app

    result = CliRunner().invoke(app, ["stacks", "synth", "platform-prod", "--config", "location=eastus"])
    assert result.exit_code == 2
    assert "--config borough:location: " in result.output
    assert "Traceback" not in result.output


def test_cli_rejects_malformed_override():
    from cli.main import app

    result = CliRunner().invoke(app, ["stacks", "synth", "platform-prod", "--config", "location"])
    assert result.exit_code == 2
    assert "expected KEY=VALUE" in result.output


def test_platform_without_a_break_glass_ssh_key_is_refused():
    import json
    from pathlib import Path

    import yaml

    from stacks.stackconfig import parse_config

    stack_file = Path(__file__).resolve().parents[2] / "Pulumi.platform-prod.yaml"
    values = yaml.safe_load(stack_file.read_text())["config"]
    del values["borough:adminSshPublicKey"]
    as_strings = {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
    with pytest.raises(ConfigError) as caught:
        parse_config(as_strings, "Pulumi.platform-prod.yaml")
    assert str(caught.value).startswith("Pulumi.platform-prod.yaml: key 'borough:adminSshPublicKey'")
    assert "break-glass" in str(caught.value)
