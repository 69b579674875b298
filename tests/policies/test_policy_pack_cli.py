"""`borough policies pack` and `evaluate-stack` on bad input: one line naming the path, exit 2,
nothing half-written; an earlier pack is replaced whole."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

STATE = Path(__file__).parent / "fixtures" / "resident-services-prod.state.json"


def borough(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["policies", *args], input=stdin)


def test_pack_refuses_a_directory_of_something_else(tmp_path):
    target = tmp_path / "infra"
    target.mkdir()
    (target / "main.tf").write_text("# someone's terraform\n")
    result = borough("pack", "--output", str(target))
    assert result.exit_code == 2
    assert f"--output {target} is not empty and holds no borough pack" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["main.tf"]
    assert [p.name for p in tmp_path.iterdir()] == ["infra"]  # no staging directory left behind


def test_pack_replaces_an_earlier_pack_whole_with_new_levels(tmp_path):
    out = tmp_path / "pack"
    assert borough("pack", "--output", str(out)).exit_code == 0
    (out / "venv").mkdir()  # what `pulumi` installed there goes with the old pack
    assert borough("pack", "--output", str(out), "--mandatory", "critical", "--version", "1.2.0").exit_code == 0
    manifest = json.loads((out / "borough-pack.json").read_text())
    levels = {c["severity"]: c["enforcement"] for c in manifest["checks"]}
    assert levels == {"critical": "mandatory", "high": "advisory", "medium": "advisory", "low": "advisory"}
    assert "version: 1.2.0" in (out / "PulumiPolicy.yaml").read_text()
    assert not (out / "venv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]


def test_evaluate_stack_gives_the_verdict_of_check_state():
    result = borough("evaluate-stack", "--input", str(STATE))
    assert result.exit_code == 0
    verdict = json.loads(result.stdout)
    checked = CliRunner().invoke(app, ["check", "--state", str(STATE), "--format", "json"])
    failed = {(f["check_id"], f["urn"]) for f in json.loads(checked.stdout)["findings"] if f["outcome"] == "failed"}
    assert {(v["check_id"], v["urn"]) for v in verdict["violations"]} == failed
    assert verdict["not_evaluated"] == []  # the random password is not an Azure resource: not blocking


def test_evaluate_stack_bad_input_is_one_line_exit_2(tmp_path):
    result = borough("evaluate-stack", "--input", "-", stdin="{not json")
    assert result.exit_code == 2 and "--input -: not JSON" in result.output
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"version": 2, "deployment": {}}))
    result = borough("evaluate-stack", "--input", str(wrong))
    assert result.exit_code == 2 and "deployment version 2 is not supported" in result.output
    assert "Traceback" not in result.output
