"""The SDK speed-ups run only on the Pulumi SDK versions they were verified on (synth.sdk.sdk_versions).

Inside the range ``fast_sdk()`` patches the SDK; outside it (older, newer, unknown) the SDK's
own functions stay in place and the graph is the same. The version is faked two ways: in this
process by replacing ``installed_version``, and in the synthesis child by an interpreter whose
``pulumi`` distribution metadata reports another version.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from synth.sdk import sdk_versions
from tests.stacks.sdk_version_fakes import interpreter_reporting
from synth.sdk.sdk_fastpath import OutputQueue, fast_sdk, use_output_queue


def _sdk_functions() -> tuple[object, ...]:
    from pulumi import _types, log
    from pulumi.runtime import resource, stack

    return (_types._types_from_py_properties, _types.get_type_hints, log.debug, resource._get_stack_trace,
            stack.wait_for_rpcs)


def test_the_installed_sdk_is_one_the_fast_path_was_verified_on() -> None:
    """constraints.txt pins the SDK the suite runs: moving it past the range needs re-verifying."""
    assert sdk_versions.is_verified(sdk_versions.installed_version())


@pytest.mark.parametrize("version", ["3.200.0", "3.210.0", "3.223.0"])
def test_inside_the_range_the_sdk_is_patched_for_the_run(version: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sdk_versions, "installed_version", lambda: version)
    before = _sdk_functions()
    with fast_sdk():
        during = _sdk_functions()
    assert all(a is not b for a, b in zip(before, during))
    assert _sdk_functions() == before


@pytest.mark.parametrize("version", ["3.199.0", "3.180.0", "3.229.0", "3.272.0", "4.0.0", None, "not-a-version"])
def test_outside_the_range_the_sdks_own_code_runs(version: str | None, monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    from pulumi.runtime.settings import SETTINGS

    monkeypatch.setattr(sdk_versions, "installed_version", lambda: version)
    before = _sdk_functions()
    queue = SETTINGS.outputs
    with caplog.at_level(logging.INFO, logger="borough.synth"), fast_sdk():
        assert _sdk_functions() == before
        use_output_queue()
        assert SETTINGS.outputs is queue
    assert "outside the versions borough's SDK speed-ups were verified on (3.200.0 to 3.223.0)" in caplog.text


def test_the_output_queue_is_used_inside_the_range(monkeypatch: pytest.MonkeyPatch) -> None:
    from pulumi.runtime.settings import SETTINGS

    monkeypatch.setattr(sdk_versions, "installed_version", lambda: "3.223.0")
    monkeypatch.setattr(SETTINGS, "outputs", SETTINGS.outputs)  # put back afterwards
    use_output_queue()
    assert isinstance(SETTINGS.outputs, OutputQueue)


@pytest.mark.parametrize(("text", "number"), [("3.223.0", (3, 223, 0)), ("3.224.0rc1", (3, 224, 0)), ("3.225", (3, 225, 0)),
                                               ("3.223.0+local", (3, 223, 0)), ("", None), ("dev", None)])
def test_versions_are_read_by_their_release_number(text: str, number: tuple[int, int, int] | None) -> None:
    assert sdk_versions.release(text) == number


PROGRAM = (
    "import pulumi\n"
    "from pulumi_azure_native import resources, storage\n"
    "rg = resources.ResourceGroup('rg', resource_group_name='rg-x', location='uksouth')\n"
    "st = storage.StorageAccount('st', account_name='stx', resource_group_name=rg.name, kind='StorageV2',\n"
    "    sku=storage.SkuArgs(name='Standard_GRS'))\n"
    "pulumi.export('blob', st.primary_endpoints.apply(lambda e: e.blob))\n"
)


def test_a_child_on_an_unverified_sdk_runs_unpatched_and_gives_the_same_graph(tmp_path: Path,
                                                                              caplog: pytest.LogCaptureFixture) -> None:
    from synth.run import SynthOptions, synthesize

    program = tmp_path / "program"
    program.mkdir()
    (program / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="borough.synth"):
        fast = synthesize(program, "dev").to_json()
        assert "outside the versions" not in caplog.text
        slow = synthesize(program, "dev", options=SynthOptions(python=interpreter_reporting("3.229.0", tmp_path))).to_json()
    assert "Pulumi SDK 3.229.0 is outside the versions borough's SDK speed-ups were verified on" in caplog.text
    assert slow == fast
    assert '"blob": "https://stx.blob.core.windows.net/"' in fast


def _wheel(directory: Path, version: str, stack_trace_body: str) -> Path:
    import zipfile

    path = directory / f"pulumi-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("pulumi/runtime/resource.py", f"def _get_stack_trace():\n    {stack_trace_body}\n")
        archive.writestr("pulumi/log.py", "def debug(msg, resource=None, stream_id=None, ephemeral=None):\n    pass\n")
    return path


def test_the_internals_script_names_the_functions_a_release_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    script = runpy.run_path(str(Path(__file__).resolve().parents[2] / "scripts" / "sdk_internals.py"))
    wheels = [_wheel(tmp_path, "3.223.0", "return 1"), _wheel(tmp_path, "3.224.0", "return 1"),
              _wheel(tmp_path, "3.230.0", "return 2")]
    assert script["main"]([*map(str, wheels), "--reference", "3.223.0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["3.223.0: same as 3.223.0", "3.224.0: same as 3.223.0", "3.230.0: differs in _get_stack_trace"]
