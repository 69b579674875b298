"""check --all groups the bundled stacks: the stacks that read another run one after another in
one child (the SDK imported once), with the same graphs as a run per stack."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import synth.process as synth_process
from synth.batch import prefetch_stacks
from synth.run import SynthOptions, synthesize_stack

SPOKE_READS_HUB = """\
import pulumi
import pulumi_azure_native as azure

stack = pulumi.get_stack()
config = pulumi.Config("estate")
rg = azure.resources.ResourceGroup(f"rg-{stack}", location="uksouth")
pulumi.export("rg", rg.name)
hub = config.get("hubStack")
if hub:
    pulumi.export("hubRg", pulumi.StackReference("hub", stack_name=hub).get_output("rg"))
sibling = config.get("alsoRead")
if sibling:
    pulumi.export("siblingRg", pulumi.StackReference("sibling", stack_name=sibling).get_output("rg"))
"""


def _estate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoke_a_extra: str = "") -> None:
    """A checkout (BOROUGH_ROOT) whose bundled program has a hub and two spokes naming it in config."""
    repo = tmp_path / "repo"
    (repo / "stacks").mkdir(parents=True)
    (repo / "stacks" / "__main__.py").write_text(textwrap.dedent(SPOKE_READS_HUB))
    (repo / "Pulumi.yaml").write_text("name: estate\nruntime: python\nmain: stacks/\n")
    (repo / "Pulumi.hub.yaml").write_text("config: {}\n")
    spoke = "config:\n  estate:hubStack: organization/estate/hub\n"
    (repo / "Pulumi.spoke-a.yaml").write_text(spoke + spoke_a_extra)
    (repo / "Pulumi.spoke-b.yaml").write_text(spoke)
    monkeypatch.setenv("BOROUGH_ROOT", str(repo))


def _children(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    started: list[list[str]] = []
    original = synth_process._start

    def counting(run, args, output, fds):  # type: ignore[no-untyped-def]
        request = run.request
        started.append([r["stack"] for r in request["runs"]] if "runs" in request else [request["stack"]])
        return original(run, args, output, fds)

    monkeypatch.setattr(synth_process, "_start", counting)
    return started


def _graphs(names: list[str], prefetch: bool) -> dict[str, dict]:
    options = SynthOptions(timeout=240)
    try:
        if prefetch:
            prefetch_stacks(names, options)
        return {name: synthesize_stack(name, options=options).to_dict() for name in names}
    finally:
        options.cache.stop()


def test_stacks_that_read_the_hub_share_one_child_and_give_the_same_graphs(tmp_path, monkeypatch):
    _estate(tmp_path, monkeypatch)
    names = ["hub", "spoke-a", "spoke-b"]
    started = _children(monkeypatch)
    grouped = _graphs(names, prefetch=True)
    assert sorted(started) == [["hub"], ["spoke-a", "spoke-b"]]
    started.clear()
    alone = _graphs(names, prefetch=False)
    assert sorted(started) == [["hub"], ["spoke-a"], ["spoke-b"]]
    assert grouped == alone
    assert grouped["spoke-b"]["outputs"]["hubRg"] == grouped["hub"]["outputs"]["rg"]


def test_a_stack_reading_a_later_one_of_its_group_falls_back_to_a_run_each(tmp_path, monkeypatch):
    _estate(tmp_path, monkeypatch, spoke_a_extra="  estate:alsoRead: spoke-b\n")
    started = _children(monkeypatch)
    graphs = _graphs(["hub", "spoke-a", "spoke-b"], prefetch=True)
    assert ["spoke-a", "spoke-b"] in started, "grouped first"
    assert ["spoke-a"] in started and ["spoke-b"] in started, "then a run each"
    assert graphs["spoke-a"]["outputs"]["siblingRg"] == graphs["spoke-b"]["outputs"]["rg"]
