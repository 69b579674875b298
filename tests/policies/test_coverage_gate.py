"""Nothing passes by accident (issue 8 "fail closed on coverage", issue 9 item 2).

An Azure resource borough cannot render was never checked: the run is incomplete (exit 3, naming
the type) unless the reviewer accepts that with --allow-unrendered. An input with nothing to
check (an empty program, state or template) is exit 3 unless --allow-empty says that is by design.
A random password or a blob (not ARM resources) never blocks; --strict still makes any
unrendered resource exit 3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from policy_builders import TAGS

STACK = "coverage-dev"
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def borough(*args: str):
    return CliRunner().invoke(app, ["check", *args])


def _urn(token: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::borough::{token}::{name}"


def _state(path: Path, *resources: tuple[str, str, dict]) -> Path:
    stack = {"urn": _urn("pulumi:pulumi:Stack", f"borough-{STACK}"), "type": "pulumi:pulumi:Stack", "custom": False}
    rows = [stack] + [{"urn": _urn(token, name), "type": token, "custom": True, "id": f"/x/{name}", "inputs": inputs,
                       "outputs": inputs} for token, name, inputs in resources]
    path.write_text(json.dumps({"version": 3, "deployment": {"resources": rows}}))
    return path


GOOD_RG = ("azure-native:resources:ResourceGroup", "rg", {"resourceGroupName": "rg-cov", "location": "uksouth", "tags": TAGS})
UNMAPPED = ("azure-native:hybridcompute:Machine", "arc-server", {"resourceGroupName": "rg-cov", "location": "uksouth"})
RANDOM = ("random:index/randomPassword:RandomPassword", "pw", {"length": 24})
BLOB = ("azure-native:storage:Blob", "index-html", {"accountName": "st", "containerName": "web", "resourceGroupName": "rg-cov"})


def test_an_azure_resource_that_cannot_be_rendered_makes_the_run_incomplete(tmp_path):
    state = _state(tmp_path / "s.json", GOOD_RG, UNMAPPED)
    result = borough("--state", str(state), "--format", "json")
    assert result.exit_code == 3
    assert "azure-native:hybridcompute:Machine" in result.stderr and "--allow-unrendered" in result.stderr
    report = json.loads(result.stdout)
    assert [(n["type"], n["blocking"]) for n in report["not_evaluated"]] == [("azure-native:hybridcompute:Machine", True)]
    assert any("azure-native:hybridcompute:Machine" in reason for reason in report["incomplete"])
    target = report["targets"][0]
    assert (target["resources"], target["rendered"], target["not_rendered"]) == (2, 1, 1)


def test_a_classic_azure_provider_resource_blocks_too(tmp_path):
    classic = ("azure:storage/account:Account", "legacy", {"accountTier": "Standard", "location": "uksouth"})
    result = borough("--state", str(_state(tmp_path / "s.json", GOOD_RG, classic)), "--format", "json")
    assert result.exit_code == 3 and "azure:storage/account:Account" in result.stderr
    assert "classic provider" in json.loads(result.stdout)["not_evaluated"][0]["reason"]


def test_allow_unrendered_accepts_it_and_still_lists_it(tmp_path):
    state = _state(tmp_path / "s.json", GOOD_RG, UNMAPPED)
    result = borough("--state", str(state), "--format", "json", "--allow-unrendered")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["incomplete"] == []
    assert [n["urn"] for n in report["not_evaluated"]] == [_urn(*UNMAPPED[:2])]


def test_the_table_says_what_was_not_evaluated_and_why_the_run_is_incomplete(tmp_path):
    state = _state(tmp_path / "s.json", GOOD_RG, UNMAPPED)
    result = borough("--state", str(state))
    text = result.stdout
    assert "Not evaluated" in text and "Incomplete (exit 3)" in text and "hybridcompute" in text
    assert "Not rendered" in text
    hints = [line for line in result.stderr.splitlines() if line.startswith("hint:")]
    assert len(hints) == 1 and "--allow-unrendered" in hints[0] and "--allow-empty" not in hints[0]


@pytest.mark.parametrize("other", [RANDOM, BLOB], ids=["random-password", "blob"])
def test_resources_that_are_not_arm_resources_do_not_block_but_strict_still_does(tmp_path, other):
    state = _state(tmp_path / "s.json", GOOD_RG, other)
    relaxed = borough("--state", str(state), "--format", "json")
    assert relaxed.exit_code == 0, relaxed.stderr
    assert [n["blocking"] for n in json.loads(relaxed.stdout)["not_evaluated"]] == [False]
    assert borough("--state", str(state), "--strict").exit_code == 3
    assert borough("--state", str(state), "--strict", "--allow-unrendered").exit_code == 3


def _template(path: Path, resources: list) -> Path:
    path.write_text(json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}))
    return path


def _program(root: Path, body: str) -> Path:
    root.mkdir()
    (root / "Pulumi.yaml").write_text("name: empty\nruntime: python\n")
    (root / "Pulumi.dev.yaml").write_text("config: {}\n")
    (root / "__main__.py").write_text(body)
    return root


EMPTY_INPUTS = {
    "state": lambda tmp: ["--state", str(_state(tmp / "empty.json"))],
    "template": lambda tmp: ["--template", str(_template(tmp / "empty.json", []))],
    "program": lambda tmp: ["--program", str(_program(tmp / "prog", "import pulumi\n")), "--stack", "dev"],
    "state-of-random-only": lambda tmp: ["--state", str(_state(tmp / "random.json", RANDOM))],
}


@pytest.mark.parametrize("kind", sorted(EMPTY_INPUTS))
def test_an_input_with_nothing_to_check_is_incomplete_unless_allowed(tmp_path, kind):
    args = EMPTY_INPUTS[kind](tmp_path)
    result = borough(*args, "--format", "json")
    assert result.exit_code == 3, result.stderr
    assert "nothing to check" in result.stderr
    assert any("nothing to check" in reason for reason in json.loads(result.stdout)["incomplete"])
    allowed = borough(*args, "--format", "json", "--allow-empty")
    assert allowed.exit_code == 0, allowed.stderr
    assert json.loads(allowed.stdout)["incomplete"] == []


def test_sarif_marks_an_incomplete_run_unsuccessful(tmp_path):
    state = _state(tmp_path / "s.json", GOOD_RG, UNMAPPED)
    sarif = json.loads(borough("--state", str(state), "--format", "sarif").stdout)
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert any(t.startswith("incomplete:") and "hybridcompute" in t for t in texts)
