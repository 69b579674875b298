"""Synthesis in a child interpreter: which Python runs the program, the time limit, captured
output, program errors said in one located line, and stack references synthesized once."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from synth_venv import make_venv

from synth.errors import ConfigError, ProgramError
from synth.run import SynthOptions, synthesize
from synth.program_errors import describe, exception_chain, import_hint, pip_package
from synth.process import SynthesisTimeout

ROOT = Path(__file__).resolve().parents[2]
WHO_RUNS_ME = """\
import sys
import pulumi
pulumi.export("python", sys.executable)
pulumi.export("prefix", sys.prefix)
"""


def write_program(root: Path, source: str, *, runtime: str = "python", stacks: dict[str, str] | None = None,
                  name: str = "proc") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text(f"name: {name}\nruntime: {runtime}\n")
    (root / "__main__.py").write_text(textwrap.dedent(source))
    for stack, config in (stacks or {"dev": "config: {}\n"}).items():
        (root / f"Pulumi.{stack}.yaml").write_text(textwrap.dedent(config))
    return root


def cli(*args: str, cwd: Path = ROOT, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, check=False)


# --- which interpreter ------------------------------------------------------------------------------

def test_python_option_runs_the_program_in_that_interpreter(tmp_path):
    venv_python = make_venv(tmp_path / "venv")
    program = write_program(tmp_path / "prog", WHO_RUNS_ME)
    graph = synthesize(program, "dev", options=SynthOptions(python=venv_python))
    assert graph.outputs["python"] == str(venv_python)
    assert Path(graph.outputs["prefix"]) == (tmp_path / "venv")


def test_the_virtualenv_named_in_pulumi_yaml_runs_the_program(tmp_path):
    # A module only the program's own virtualenv has: borough's environment cannot import it.
    make_venv(tmp_path / "prog" / "venv", {"council_naming": "def prefix():\n    return 'wbc'\n"})
    program = write_program(tmp_path / "prog", WHO_RUNS_ME + "import council_naming\npulumi.export('prefix_of', council_naming.prefix())\n",
                            runtime="\n  name: python\n  options:\n    virtualenv: venv")
    graph = synthesize(program, "dev")
    assert graph.outputs["prefix_of"] == "wbc"
    assert Path(graph.outputs["prefix"]) == program / "venv"


def test_python_option_wins_over_the_virtualenv(tmp_path):
    make_venv(tmp_path / "prog" / "venv")
    other = make_venv(tmp_path / "other")
    program = write_program(tmp_path / "prog", WHO_RUNS_ME, runtime="\n  name: python\n  options:\n    virtualenv: venv")
    assert synthesize(program, "dev", options=SynthOptions(python=other)).outputs["python"] == str(other)


def test_a_named_virtualenv_that_does_not_exist_runs_in_boroughs_python_with_one_note(tmp_path):
    program = write_program(tmp_path / "prog", WHO_RUNS_ME, runtime="\n  name: python\n  options:\n    virtualenv: venv")
    notes: list[str] = []
    options = SynthOptions(note=notes.append)
    graph = synthesize(program, "dev", options=options)
    assert graph.outputs["python"] == sys.executable
    # Once per program, however many of its stacks are synthesized.
    synthesize(program, "test", options=options)
    options.cache.stop()
    assert notes == ["venv/ (Pulumi.yaml runtime.options.virtualenv) does not exist: synthesizing in borough's environment"]


def test_python_option_may_be_relative_to_the_working_directory(tmp_path, monkeypatch):
    make_venv(tmp_path / "venv")
    program = write_program(tmp_path / "prog", WHO_RUNS_ME)
    monkeypatch.chdir(tmp_path)
    graph = synthesize(program, "dev", options=SynthOptions(python=Path("venv/bin/python")))
    assert Path(graph.outputs["prefix"]) == tmp_path / "venv"
    result = cli("stacks", "synth", "dev", "--program", "prog", "--python", "venv/bin/python", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / "venv") in result.stdout


def test_python_that_is_not_an_interpreter_and_a_timeout_out_of_bounds_are_bad_input(tmp_path):
    with pytest.raises(ConfigError, match="--python .*no such Python interpreter"):
        SynthOptions(python=tmp_path / "nope")
    with pytest.raises(ConfigError, match="--timeout 0: give between 1 and 3600 seconds"):
        SynthOptions(timeout=0)
    result = cli("stacks", "synth", "dev", "--program", str(tmp_path), "--timeout", "100000")
    assert result.returncode == 2 and "--timeout" in result.stderr


# --- time limit and captured output -----------------------------------------------------------------

def test_a_program_that_never_finishes_is_stopped_at_the_time_limit(tmp_path):
    program = write_program(tmp_path / "spin", "while True:\n    pass\n")
    with pytest.raises(SynthesisTimeout) as caught:
        synthesize(program, "dev", options=SynthOptions(timeout=2))
    assert caught.value.exit_code == 3
    assert str(caught.value).startswith(f"{program}: synthesis did not finish within 2 s")
    result = cli("check", "--program", str(program), "--stack", "dev", "--timeout", "2", "--format", "json")
    assert result.returncode == 3, result.stderr
    assert result.stdout == "" and f"borough: error: {program}: synthesis did not finish" in result.stderr


def test_writes_to_file_descriptor_1_do_not_corrupt_json_on_stdout(tmp_path):
    program = write_program(tmp_path / "noisy", """\
        import os, subprocess
        import pulumi
        from pulumi_azure_native import resources
        os.write(1, b"raw bytes on fd 1\\n")
        print("printed by the program")
        subprocess.run(["echo", "echoed by a subprocess"], check=True)
        resources.ResourceGroup("rg", location="uksouth", tags={"owner": "council"})
        """)
    result = cli("check", "--program", str(program), "--stack", "dev", "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)  # the whole of stdout is the report
    assert report["targets"][0]["name"] == "dev"
    for text in ("raw bytes on fd 1", "printed by the program", "echoed by a subprocess"):
        assert text in result.stderr and text not in result.stdout


# --- program errors ---------------------------------------------------------------------------------

def test_an_exception_that_is_its_own_cause_does_not_hang():
    error = RuntimeError("the SDK re-raised me from myself")
    error.__cause__ = error
    other = ValueError("loop")
    other.__context__ = KeyError("k")
    other.__context__.__context__ = other  # a longer loop through __context__
    assert exception_chain(error) == [error]
    assert [type(e) for e in exception_chain(other)] == [ValueError, KeyError]
    failure = describe(error, Path("/nowhere"), Path("/nowhere"), "/nowhere", "/nowhere")
    assert failure.message == "/nowhere: the program failed: RuntimeError: the SDK re-raised me from myself"


def test_a_program_raising_an_exception_that_is_its_own_cause_is_located(tmp_path):
    program = write_program(tmp_path / "selfcause", """\
        import pulumi
        error = RuntimeError("budget code missing")
        error.__cause__ = error
        raise error
        """)
    with pytest.raises(ProgramError, match=rf"^{program}/__main__.py:4: RuntimeError: budget code missing$"):
        synthesize(program, "dev", options=SynthOptions(timeout=60))


def test_an_error_in_an_apply_callback_names_the_callback_line_every_time(tmp_path):
    # Several outputs depend on the failing apply, so the SDK may await any of them first.
    program = write_program(tmp_path / "apply", """\
        import pulumi
        from pulumi_azure_native import resources, storage

        rg = resources.ResourceGroup("rg", location="uksouth")

        def account_name(name):
            return name.upper()[:3] + undefined_suffix

        name = rg.name.apply(account_name)
        for i in range(3):
            storage.StorageAccount(f"sa{i}", account_name=name, resource_group_name=rg.name, kind="StorageV2",
                                   sku={"name": "Standard_LRS"})
        pulumi.export("name", name)
        """)
    messages = set()
    for _ in range(3):
        with pytest.raises(ProgramError) as caught:
            synthesize(program, "dev")
        messages.add(str(caught.value))
    assert messages == {f"{program}/__main__.py:7: NameError: name 'undefined_suffix' is not defined"}


def test_a_program_written_for_azure_native_v2_says_so_and_names_the_v3_module(tmp_path):
    program = write_program(tmp_path / "v2", """\
        import pulumi
        from pulumi_azure_native import resources
        from pulumi_azure_native import insights
        """)
    with pytest.raises(ProgramError) as caught:
        synthesize(program, "dev")
    assert str(caught.value).startswith(f"{program}/__main__.py:3: ImportError: cannot import name 'insights'")
    assert caught.value.exit_code == 2
    assert "targets pulumi-azure-native v2" in caught.value.hint
    assert "pulumi_azure_native.monitor and pulumi_azure_native.applicationinsights" in caught.value.hint


def test_a_missing_module_names_the_pip_package(tmp_path):
    program = write_program(tmp_path / "missing", "import pulumi\nimport pulumi_snowflake\n")
    result = cli("stacks", "synth", "dev", "--program", str(program))
    assert result.returncode == 2
    assert f"borough: error: {program}/__main__.py:2: ModuleNotFoundError: No module named 'pulumi_snowflake'" in result.stderr
    assert "hint: install the package that provides it: pip install pulumi-snowflake" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("module", "package"), [
    ("pulumi_random", "pulumi-random"), ("pulumi_azure_native", "pulumi-azure-native"),
    ("azure.mgmt.storage", "azure-mgmt-storage"), ("azure.identity", "azure-identity"),
    ("azure.storage.blob", "azure-storage-blob"), ("azure.keyvault.secrets", "azure-keyvault-secrets"),
    ("yaml", "PyYAML"), ("dotenv", "python-dotenv"), ("requests", "requests"),
])
def test_pip_package_for_a_module(module, package):
    assert pip_package(module) == package


def test_v2_hints_cover_every_module_v3_renamed_and_api_version_modules():
    assert "pulumi_azure_native.cosmosdb" in import_hint("pulumi_azure_native.documentdb")
    assert "pulumi_azure_native.redis" in import_hint("pulumi_azure_native.cache")
    assert "pulumi_azure_native.iothub" in import_hint("pulumi_azure_native.devices")
    assert "import pulumi_azure_native.storage" in import_hint("pulumi_azure_native.storage.v20220901")
    assert import_hint("pulumi_azure_native.nosuchthing") is None


def test_a_program_that_exits_mid_run_is_bad_input_naming_it(tmp_path):
    program = write_program(tmp_path / "exits", "import sys\nimport pulumi\nsys.exit(0)\n")
    with pytest.raises(ProgramError, match=rf"^{program}: the program called exit\(0\) before it finished$"):
        synthesize(program, "dev")


def test_a_program_that_kills_its_interpreter_ends_without_a_graph(tmp_path):
    program = write_program(tmp_path / "dies", "import os\nprint('about to go')\nos._exit(0)\n")
    with pytest.raises(ProgramError, match=rf"^{program}: the program ended without a resource graph \(exit status 0\)$") as caught:
        synthesize(program, "dev")
    assert caught.value.hint == "its last output: about to go"


# --- stack references --------------------------------------------------------------------------------

HUB_AND_SPOKES = """\
import pulumi
config = pulumi.Config()
if pulumi.get_stack() == "hub":
    with open(config.require("counter"), "a") as counter:
        counter.write("hub synthesized\\n")
    pulumi.export("vnetId", "/subscriptions/0/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub")
else:
    hub = pulumi.StackReference("hub", stack_name="organization/estate/hub")
    pulumi.export("hubVnet", hub.get_output("vnetId"))
"""


def test_a_referenced_stack_is_synthesized_once_per_command(tmp_path):
    counter = tmp_path / "hub-runs.txt"
    program = write_program(tmp_path / "estate", HUB_AND_SPOKES, name="estate", stacks={
        "hub": f"config:\n  estate:counter: {counter}\n",
        "spoke-a": "config: {}\n",
        "spoke-b": "config: {}\n",
    })
    options = SynthOptions()
    spokes = [synthesize(program, s, options=options) for s in ("spoke-a", "spoke-b")]
    hub = synthesize(program, "hub", options=options)
    assert [s.outputs["hubVnet"] for s in spokes] == [hub.outputs["vnetId"]] * 2
    assert counter.read_text().splitlines() == ["hub synthesized"]
    assert options.cache.runs == 3
    synthesize(program, "spoke-a")  # another command (its own cache) synthesizes the hub again
    assert len(counter.read_text().splitlines()) == 2


def test_check_all_synthesizes_each_bundled_stack_once(tmp_path, monkeypatch):
    from policies.request import CheckRequest, resolve_targets

    counter = tmp_path / "hub-runs.txt"
    repo = tmp_path / "repo"
    write_program(repo / "stacks", HUB_AND_SPOKES, name="estate", stacks={})
    (repo / "stacks" / "Pulumi.yaml").unlink()
    (repo / "Pulumi.yaml").write_text("name: estate\nruntime: python\nmain: stacks/\n")
    (repo / "Pulumi.hub.yaml").write_text(f"config:\n  estate:counter: {counter}\n")
    (repo / "Pulumi.spoke-a.yaml").write_text("config: {}\n")
    (repo / "Pulumi.spoke-b.yaml").write_text("config: {}\n")
    monkeypatch.setenv("BOROUGH_ROOT", str(repo))
    targets = resolve_targets(CheckRequest(all_stacks=True))
    assert [t.name for t in targets] == ["hub", "spoke-a", "spoke-b"]
    assert counter.read_text().splitlines() == ["hub synthesized"]


def test_a_reference_cycle_between_two_stacks_is_bad_input(tmp_path):
    program = write_program(tmp_path / "pair", """\
        import pulumi
        other = "b" if pulumi.get_stack() == "a" else "a"
        pulumi.export("x", pulumi.StackReference("ref", stack_name=f"organization/pair/{other}").get_output("x"))
        """, name="pair", stacks={"a": "config: {}\n", "b": "config: {}\n"})
    with pytest.raises(ConfigError, match=r"Pulumi.a.yaml: stack references form a cycle: a -> b -> a"):
        synthesize(program, "a")


def _repo(tmp_path: Path, source: str, stacks: dict[str, str]) -> Path:
    """A checkout with one program (stacks/) and a Pulumi.<stack>.yaml per stack, as BOROUGH_ROOT."""
    repo = tmp_path / "repo"
    (repo / "stacks").mkdir(parents=True)
    (repo / "stacks" / "__main__.py").write_text(textwrap.dedent(source))
    (repo / "Pulumi.yaml").write_text("name: estate\nruntime: python\nmain: stacks/\n")
    for stack, config in stacks.items():
        (repo / f"Pulumi.{stack}.yaml").write_text(config)
    return repo


def test_stacks_synthesized_at_once_that_read_each_other_are_a_cycle_not_a_hang(tmp_path, monkeypatch):
    from policies.request import CheckRequest, resolve_targets

    repo = _repo(tmp_path, """\
        import pulumi
        other = "b" if pulumi.get_stack() == "a" else "a"
        pulumi.export("x", pulumi.StackReference("ref", stack_name=f"organization/estate/{other}").get_output("x"))
        """, {"a": "config: {}\n", "b": "config: {}\n"})
    monkeypatch.setenv("BOROUGH_ROOT", str(repo))
    with pytest.raises(ConfigError, match=r"stack references form a cycle: (a -> b -> a|b -> a -> b)"):
        resolve_targets(CheckRequest(all_stacks=True, timeout=120))


def test_a_failing_stack_stops_the_syntheses_still_running(tmp_path, monkeypatch):
    from policies.request import CheckRequest, resolve_targets

    pid_file = tmp_path / "spin.pid"
    repo = _repo(tmp_path, f"""\
        import os, time
        import pulumi
        if pulumi.get_stack() == "a-broken":
            while not os.path.exists({str(pid_file)!r}):
                time.sleep(0.05)
            raise RuntimeError("broken on purpose")
        open({str(pid_file)!r} + ".tmp", "w").write(str(os.getpid()))
        os.replace({str(pid_file)!r} + ".tmp", {str(pid_file)!r})
        while True:
            time.sleep(0.1)
        """, {"a-broken": "config: {}\n", "b-spin": "config: {}\n"})
    monkeypatch.setenv("BOROUGH_ROOT", str(repo))
    with pytest.raises(ProgramError, match="RuntimeError: broken on purpose"):
        resolve_targets(CheckRequest(all_stacks=True, timeout=600))
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def test_a_sibling_named_in_config_is_synthesized_alongside_once(tmp_path):
    counter = tmp_path / "hub-runs.txt"
    program = write_program(tmp_path / "estate", """\
        import pulumi
        config = pulumi.Config()
        if pulumi.get_stack() == "hub":
            open(config.require("counter"), "a").write("hub synthesized\\n")
            pulumi.export("vnetId", "vnet-hub")
        else:
            hub = pulumi.StackReference("hub", stack_name=config.require("hubStack"))
            pulumi.export("hubVnet", hub.get_output("vnetId"))
        """, name="estate", stacks={
        "hub": f"config:\n  estate:counter: {counter}\n",
        "spoke": "config:\n  estate:hubStack: organization/estate/hub\n",
    })
    options = SynthOptions()
    assert synthesize(program, "spoke", options=options).outputs["hubVnet"] == "vnet-hub"
    assert counter.read_text().splitlines() == ["hub synthesized"]  # the early start and the question share one run
    assert options.cache.runs == 2


def test_a_wrong_guess_costs_nothing_and_does_not_outlive_the_call(tmp_path):
    pid_file = tmp_path / "decoy.pid"
    program = write_program(tmp_path / "estate", f"""\
        import os, time
        import pulumi
        if pulumi.get_stack() == "decoy":
            open({str(pid_file)!r}, "w").write(str(os.getpid()))
            while True:
                time.sleep(0.1)
        while not os.path.exists({str(pid_file)!r}):
            time.sleep(0.05)
        pulumi.export("ok", True)
        """, name="estate", stacks={
        "decoy": "config: {}\n",
        "main": "config:\n  estate:notAReference: organization/estate/decoy\n",
    })
    assert synthesize(program, "main").outputs == {"ok": True}
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


def test_the_program_runs_in_its_own_directory_as_under_the_pulumi_cli(tmp_path):
    project = tmp_path / "project"
    program = write_program(project / "infra", """\
        import pathlib
        import pulumi
        pulumi.export("greeting", pathlib.Path("greeting.txt").read_text().strip())
        """, name="relative")
    (program / "Pulumi.yaml").unlink()
    (project / "Pulumi.yaml").write_text("name: relative\nruntime: python\nmain: infra/\n")
    (program / "greeting.txt").write_text("hello from infra/\n")
    assert synthesize(project, "dev").outputs == {"greeting": "hello from infra/"}


def test_a_name_missing_from_the_programs_own_module_gets_no_pip_advice(tmp_path):
    program = write_program(tmp_path / "own", "import pulumi\nfrom helpers import budget_code\n")
    (program / "helpers.py").write_text("BUDGET = 'x'\n")
    with pytest.raises(ProgramError) as caught:
        synthesize(program, "dev")
    assert str(caught.value) == f"{program}/__main__.py:2: ImportError: cannot import name 'budget_code' from 'helpers' ({program}/helpers.py)"
    assert caught.value.hint is None


def test_an_azure_native_v2_module_used_as_an_attribute_gets_the_v2_hint(tmp_path):
    program = write_program(tmp_path / "attr", "import pulumi\nimport pulumi_azure_native as azure_native\nazure_native.documentdb.DatabaseAccount('db')\n")
    with pytest.raises(ProgramError) as caught:
        synthesize(program, "dev")
    assert str(caught.value).startswith(f"{program}/__main__.py:3: AttributeError: module 'pulumi_azure_native' has no attribute 'documentdb'")
    assert "pulumi_azure_native.cosmosdb" in caught.value.hint
