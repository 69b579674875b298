"""`borough check-changed FILE...` (what the pre-commit hook runs): the files a commit touches
mapped to the programs and templates they belong to, and nothing else checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from policies.changed import changed_inputs

HERE = Path(__file__).parent
TEMPLATES = HERE / "fixtures" / "templates"
CONTRACTOR = HERE / "programs" / "contractor"


def borough(*args: str):
    return CliRunner().invoke(app, ["check-changed", *args])


def test_files_map_to_their_program_once_per_stack_and_to_arm_templates(tmp_path):
    program = tmp_path / "infra" / "booking"
    shutil.copytree(CONTRACTOR, program)
    (program / "Pulumi.prod.yaml").write_text((program / "Pulumi.review.yaml").read_text())
    (program / "network").mkdir()
    (program / "network" / "rules.py").write_text("RULES = []\n")
    shutil.copy(TEMPLATES / "quickstart.json", tmp_path / "azuredeploy.json")
    shutil.copy(TEMPLATES / "quickstart.parameters.json", tmp_path / "azuredeploy.parameters.json")
    (tmp_path / "package.json").write_text(json.dumps({"name": "not-arm"}))
    node = tmp_path / "web"
    node.mkdir()
    (node / "Pulumi.yaml").write_text("name: web\nruntime: nodejs\n")
    (node / "index.py").write_text("print('a helper script in a node project')\n")
    inputs = changed_inputs([program / "__main__.py", program / "network" / "rules.py", program / "Pulumi.review.yaml",
                             tmp_path / "azuredeploy.json", tmp_path / "azuredeploy.parameters.json",
                             tmp_path / "package.json", node / "index.py", tmp_path / "README.md"])
    assert inputs.programs == [(program.resolve(), "prod"), (program.resolve(), "review")]
    assert inputs.templates == [tmp_path / "azuredeploy.json"]


def test_an_insecure_template_fails_and_unrelated_files_pass(tmp_path):
    shutil.copy(TEMPLATES / "portal-export.json", tmp_path / "portal-export.json")
    result = borough(str(tmp_path / "portal-export.json"), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [t["kind"] for t in report["targets"]] == ["template"]
    assert any(f["outcome"] == "failed" for f in report["findings"])
    (tmp_path / "notes.md").write_text("minutes\n")
    quiet = borough(str(tmp_path / "notes.md"))
    assert quiet.exit_code == 0 and "no Pulumi Python program or ARM template" in quiet.stderr


def test_a_program_without_a_stack_file_is_named_exit_2(tmp_path):
    program = tmp_path / "prog"
    program.mkdir()
    shutil.copy(CONTRACTOR / "Pulumi.yaml", program / "Pulumi.yaml")
    shutil.copy(CONTRACTOR / "__main__.py", program / "__main__.py")
    result = borough(str(program / "__main__.py"))
    assert result.exit_code == 2
    assert f"{program / 'Pulumi.yaml'}: no Pulumi.<stack>.yaml beside it" in result.stderr
    assert "Traceback" not in result.output
