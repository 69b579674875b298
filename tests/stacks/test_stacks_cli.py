"""`borough stacks list|synth|show` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_list_shows_the_four_stacks_as_table_and_json():
    table = runner.invoke(app, ["stacks", "list"])
    assert table.exit_code == 0, table.output
    for name in ("platform-prod", "resident-services-dev", "resident-services-prod", "data-platform-prod"):
        assert name in table.output
    assert "uksouth" in table.output
    rows = json.loads(runner.invoke(app, ["stacks", "list", "--format", "json"]).output)
    assert {r["name"]: r["system_id"] for r in rows} == {
        "platform-prod": "platform-shared-services",
        "resident-services-dev": "resident-portal",
        "resident-services-prod": "resident-portal",
        "data-platform-prod": "data-platform",
    }
    assert {r["environment"] for r in rows} == {"platform", "resident-services", "data-platform"}


def test_list_rejects_a_format_it_cannot_render():
    result = runner.invoke(app, ["stacks", "list", "--format", "sarif"])
    assert result.exit_code == 2


def test_list_honours_borough_root(tmp_path, monkeypatch):
    (tmp_path / "Pulumi.yaml").write_text("name: borough\nruntime: python\nmain: stacks/\n")
    (tmp_path / "Pulumi.sandbox.yaml").write_text("config:\n  borough:environment: platform\n  borough:location: ukwest\n")
    monkeypatch.setenv("BOROUGH_ROOT", str(tmp_path))
    rows = json.loads(runner.invoke(app, ["stacks", "list", "--format", "json"]).output)
    assert [(r["name"], r["location"]) for r in rows] == [("sandbox", "ukwest")]


def test_synth_writes_the_graph_to_a_file(tmp_path: Path, graph_of):
    target = tmp_path / "out" / "platform.json"
    result = runner.invoke(app, ["stacks", "synth", "platform-prod", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text() == graph_of("platform-prod").to_json()


def test_synth_unknown_stack_is_bad_input():
    result = runner.invoke(app, ["stacks", "synth", "staging"])
    assert result.exit_code == 2
    assert "no stack named 'staging'" in result.output


def test_show_prints_components_with_their_resources():
    result = runner.invoke(app, ["stacks", "show", "data-platform-prod"])
    assert result.exit_code == 0, result.output
    assert "borough/data-platform-prod" in result.output
    assert "borough:storage:StorageAccount" in result.output
    assert "stdatadataproduks" in result.output
    assert "borough:datafactory:DataFactory" in result.output
