"""Offline synthesis of any program (in a child process): determinism, secrets, stack references, program errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synth.errors import ConfigError, ProgramError
from synth.graph import ResourceGraph
from synth.run import synthesize

TINY = """\
import pulumi
from pulumi_azure_native import authorization, resources, storage

config = pulumi.Config()
client = authorization.get_client_config_output()
rg = resources.ResourceGroup("rg", resource_group_name="rg-tiny", location=config.require("location"))
account = storage.StorageAccount(
    "sa",
    account_name="sttiny",
    resource_group_name=rg.name,
    location=rg.location,
    kind="StorageV2",
    sku=storage.SkuArgs(name="Standard_GRS"),
    tags={"password": config.require_secret("dbPassword")},
)
hub = pulumi.StackReference("hub", stack_name="organization/network/prod")
pulumi.export("accountId", account.id)
pulumi.export("tenant", client.tenant_id)
pulumi.export("password", config.require_secret("dbPassword"))
pulumi.export("hubVnet", hub.get_output("vnetId"))
"""


def write_program(root: Path, source: str, stack_config: str | None = None, name: str = "tiny") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    (root / "__main__.py").write_text(textwrap.dedent(source))
    if stack_config is not None:
        (root / "Pulumi.dev.yaml").write_text(textwrap.dedent(stack_config))
    return root


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_program(tmp_path / "tiny", TINY, """\
        config:
          tiny:location: ukwest
          tiny:dbPassword:
            secure: v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
          synth:stackOutputs:
            network/prod:
              vnetId: /subscriptions/0/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub
        """)


def test_synthesizes_a_program_outside_the_repo(tiny):
    graph = synthesize(tiny, "dev")
    assert graph.project == "tiny" and graph.stack == "dev"
    by_name = {r.name: r for r in graph.resources}
    account = by_name["sa"]
    assert account.type == "azure-native:storage:StorageAccount"
    assert account.urn == "urn:pulumi:dev::tiny::azure-native:storage:StorageAccount::sa"
    assert account.id == ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-tiny"
                          "/providers/Microsoft.Storage/storageAccounts/sttiny")
    assert account.inputs["accountName"] == "sttiny" and account.inputs["location"] == "ukwest"
    assert account.parent == by_name["tiny-dev"].urn
    assert by_name["rg"].urn in account.dependencies
    assert account.source is not None and account.source.file == "__main__.py" and account.source.line == 7
    assert graph.outputs["accountId"] == account.id
    assert graph.outputs["tenant"] == "11111111-1111-1111-1111-111111111111"
    assert graph.outputs["hubVnet"].endswith("/virtualNetworks/vnet-hub")


def test_secrets_never_appear(tiny):
    text = synthesize(tiny, "dev").to_json()
    data = json.loads(text)
    assert data["outputs"]["password"] == "[secret]"
    account = next(r for r in data["resources"] if r["name"] == "sa")
    assert account["inputs"]["tags"]["password"] == "[secret]"
    assert "v1:AAAA" not in text


def test_secret_passed_as_override_is_redacted(tiny):
    graph = synthesize(tiny, "dev", config={"location": "uksouth", "dbPassword": "hunter2-from-config"})
    # A plain config value a program marks secret (require_secret) is still redacted.
    assert "hunter2-from-config" not in graph.to_json()


def test_config_overrides_and_explicit_config(tiny):
    assert synthesize(tiny, "dev", overrides={"location": "uksouth"}).by_urn()[
        "urn:pulumi:dev::tiny::azure-native:resources:ResourceGroup::rg"].inputs["location"] == "uksouth"
    graph = synthesize(tiny, "dev", config={"tiny:location": "ukwest", "dbPassword": "x"},
                       stack_outputs={"organization/network/prod": {"vnetId": "vnet-from-fixture"}})
    assert graph.outputs["hubVnet"] == "vnet-from-fixture"


def test_deterministic_run_to_run_and_through_the_cli(tiny):
    first = synthesize(tiny, "dev").to_json()
    assert synthesize(tiny, "dev").to_json() == first
    out = subprocess.run(
        [sys.executable, "-m", "cli", "stacks", "synth", "dev", "--program", str(tiny)],
        capture_output=True, text=True, check=True,
    ).stdout
    assert out == first
    assert ResourceGraph.from_dict(json.loads(out)).to_json() == first


def test_bundled_stack_graph_is_byte_identical_run_to_run(graph_of):
    from synth.run import synthesize_stack

    assert synthesize_stack("data-platform-prod").to_json() == graph_of("data-platform-prod").to_json()


def test_raising_program_gives_its_message_and_line(tmp_path):
    program = write_program(tmp_path / "broken", """\
        import pulumi
        from pulumi_azure_native import resources

        resources.ResourceGroup("rg", location="uksouth")
        raise RuntimeError("the council budget code is missing")
        """, "config: {}\n")
    with pytest.raises(ProgramError) as caught:
        synthesize(program, "dev")
    # The file is named under the program's directory, so the message says which program failed.
    assert str(caught.value) == f"{program}/__main__.py:5: RuntimeError: the council budget code is missing"
    assert caught.value.exit_code == 2


def test_error_inside_a_helper_module_points_at_the_helper(tmp_path):
    program = write_program(tmp_path / "helper", """\
        import naming
        naming.name_for("")
        """, "config: {}\n")
    (program / "naming.py").write_text("def name_for(app):\n    if not app:\n        raise ValueError('app code is empty')\n")
    with pytest.raises(ProgramError, match=rf"^{re.escape(str(program))}/naming.py:3: ValueError: app code is empty$"):
        synthesize(program, "dev")


def test_raising_program_via_cli_exits_2(tmp_path):
    from cli.main import app

    program = write_program(tmp_path / "broken", "raise KeyError('storageAccount')\n", "config: {}\n")
    result = CliRunner().invoke(app, ["stacks", "synth", "dev", "--program", str(program)])
    assert result.exit_code == 2
    assert "__main__.py:1: KeyError: 'storageAccount'" in result.output


def test_missing_program_and_missing_main_are_bad_input(tmp_path):
    with pytest.raises(ConfigError, match="no such program directory"):
        synthesize(tmp_path / "nope", "dev")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="no __main__.py"):
        synthesize(tmp_path / "empty", "dev")


def test_programs_with_same_named_helpers_do_not_leak_into_each_other(tmp_path):
    for label in ("one", "two"):
        program = write_program(tmp_path / label, """\
            import pulumi
            import helper
            pulumi.export("label", helper.LABEL)
            """, "config: {}\n", name=label)
        (program / "helper.py").write_text(f"LABEL = {label!r}\n")
    assert synthesize(tmp_path / "one", "dev").outputs["label"] == "one"
    assert synthesize(tmp_path / "two", "dev").outputs["label"] == "two"


def test_program_without_pulumi_yaml_is_its_own_project(tmp_path):
    program = tmp_path / "bare"
    program.mkdir()
    (program / "__main__.py").write_text("import pulumi\npulumi.export('project', pulumi.get_project())\n")
    graph = synthesize(program, "dev")
    assert graph.project == "bare" and graph.outputs["project"] == "bare"


def test_components_record_parent_and_children(graph_of):
    graph = graph_of("platform-prod")
    vault_component = next(r for r in graph.resources if r.type == "borough:keyvault:KeyVault")
    assert not vault_component.custom
    children = [r for r in graph.resources if r.parent == vault_component.urn]
    assert {c.type for c in children} >= {"azure-native:keyvault:Vault", "azure-native:network:PrivateEndpoint",
                                          "azure-native:monitor:DiagnosticSetting"}
    assert all(c.name.startswith(vault_component.name + "-") for c in children)
    vault = next(c for c in children if c.type == "azure-native:keyvault:Vault")
    assert vault.source is not None and vault.source.file == "stacks/components/keyvault.py"
    assert vault_component.outputs["vaultUri"] == "https://kv-plat-prod-uks.vault.azure.net/"


def test_error_inside_an_apply_points_at_the_callback(tmp_path):
    program = write_program(tmp_path / "apply", """\
        import pulumi
        from pulumi_azure_native import resources

        rg = resources.ResourceGroup("rg", location="uksouth")

        def check(name):
            raise ValueError(f"no budget for {name}")

        pulumi.export("checked", rg.name.apply(check))
        """, "config: {}\n")
    with pytest.raises(ProgramError, match=rf"^{re.escape(str(program))}/__main__.py:7: ValueError: no budget for rg$"):
        synthesize(program, "dev")


def test_missing_required_config_is_one_line_naming_the_key(tmp_path):
    program = write_program(tmp_path / "cfg", "import pulumi\npulumi.Config().require('budget')\n", "config: {}\n")
    with pytest.raises(ProgramError) as caught:
        synthesize(program, "dev")
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(f"{program}/__main__.py:2: ConfigMissingError: Missing required configuration variable 'tiny:budget'")


def test_stack_referencing_itself_is_reported_not_looped(tmp_path):
    program = write_program(tmp_path / "loop", """\
        import pulumi
        ref = pulumi.StackReference("me", stack_name="organization/tiny/dev")
        pulumi.export("x", ref.get_output("x"))
        """, "config: {}\n")
    with pytest.raises(ConfigError, match="stack references form a cycle: dev -> dev"):
        synthesize(program, "dev")


def test_unknown_stack_reference_gives_no_outputs(tmp_path):
    program = write_program(tmp_path / "ref", """\
        import pulumi
        ref = pulumi.StackReference("other", stack_name="organization/elsewhere/prod")
        pulumi.export("x", ref.get_output("x"))
        ref.require_output("y")
        """, "config: {}\n")
    with pytest.raises(ProgramError, match="KeyError: 'y'") as caught:
        synthesize(program, "dev")
    assert "organization/elsewhere/prod" in caught.value.hint and "synth:stackOutputs" in caught.value.hint


def test_bad_stack_name_is_bad_input(tiny):
    with pytest.raises(ConfigError, match="stack name '../dev'"):
        synthesize(tiny, "../dev")


def test_resource_transforms_apply_as_the_engine_would(tmp_path):
    program = write_program(tmp_path / "transforms", """\
        import pulumi
        from pulumi_azure_native import resources, storage

        def owner(args):
            if args.type_.startswith("azure-native:"):
                return pulumi.ResourceTransformResult({**args.props, "tags": {**(args.props.get("tags") or {}), "owner": "council"}}, args.opts)

        def tls(args):
            if args.type_ == "azure-native:storage:StorageAccount":
                return pulumi.ResourceTransformResult({**args.props, "minimumTlsVersion": "TLS1_2"}, args.opts)

        pulumi.runtime.register_resource_transform(owner)

        class Bucket(pulumi.ComponentResource):
            def __init__(self, name, opts=None):
                super().__init__("demo:Bucket", name, None, opts)
                storage.StorageAccount(f"{name}-sa", resource_group_name="rg", kind="StorageV2",
                                       sku={"name": "Standard_GRS"}, opts=pulumi.ResourceOptions(parent=self))
                self.register_outputs({})

        resources.ResourceGroup("rg", location="uksouth", tags={"team": "data"})
        Bucket("files", opts=pulumi.ResourceOptions(transforms=[tls]))
        """, "config: {}\n")
    graph = synthesize(program, "dev")
    by_name = {r.name: r for r in graph.resources}
    assert by_name["rg"].inputs["tags"] == {"team": "data", "owner": "council"}
    account = by_name["files-sa"].inputs
    assert account["minimumTlsVersion"] == "TLS1_2"  # inherited from the parent component's transform
    assert account["tags"] == {"owner": "council"}


def test_project_directory_runs_the_program_named_by_main(graph_of):
    from synth.catalog import repo_root

    assert synthesize(repo_root(), "platform-prod").to_json() == graph_of("platform-prod").to_json()


def test_program_output_goes_to_stderr_not_into_the_json(tmp_path):
    program = write_program(tmp_path / "chatty", "print('hello from the program')\n", "config: {}\n")
    result = subprocess.run([sys.executable, "-m", "cli", "stacks", "synth", "dev", "--program", str(program)],
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)["project"] == "tiny"
    assert "hello from the program" in result.stderr


def test_concurrent_callers_each_get_their_own_graph(tiny, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    other = write_program(tmp_path / "other", "import pulumi\npulumi.export('who', 'other')\n", "config: {}\n", name="other")
    with ThreadPoolExecutor(max_workers=2) as pool:
        graphs = list(pool.map(lambda p: synthesize(p, "dev"), [tiny, other, tiny, other]))
    assert [g.project for g in graphs] == ["tiny", "other", "tiny", "other"]
    assert graphs[0].to_json() == graphs[2].to_json()
    assert graphs[1].outputs == {"who": "other"}


def test_user_assigned_identities_come_back_as_azure_answers_them(tmp_path):
    program = write_program(tmp_path / "uai", """\
        import pulumi
        from pulumi_azure_native import managedidentity, storage
        uai = managedidentity.UserAssignedIdentity("id", resource_group_name="rg-uai", location="uksouth")
        account = storage.StorageAccount("sa", resource_group_name="rg-uai", location="uksouth", kind="StorageV2",
            sku={"name": "Standard_LRS"},
            identity={"type": "UserAssigned", "user_assigned_identities": [uai.id]})
        pulumi.export("clients", account.identity.apply(lambda i: sorted(v.client_id for v in i.user_assigned_identities.values())))
        pulumi.export("uaiClient", uai.client_id)
        """, "config: {}\n", name="uai")
    graph = synthesize(program, "dev")
    assert graph.outputs["clients"] == [graph.outputs["uaiClient"]]
    account = next(r for r in graph.resources if r.type == "azure-native:storage:StorageAccount")
    assert isinstance(account.inputs["identity"]["userAssignedIdentities"], list)
