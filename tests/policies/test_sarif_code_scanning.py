"""SARIF as GitHub code scanning needs it: locations relative to the repository root (uriBaseId
SRCROOT, declared in originalUriBaseIds), pointing at the program's own file and line, and
partialFingerprints that keep an alert's identity across runs, machines and code moving down."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cli.main import app

HERE = Path(__file__).parent
PROGRAM = HERE / "programs" / "contractor"
STATE = HERE / "fixtures" / "resident-services-prod.state.json"
NSG_URN = "urn:pulumi:review::contractor-portal::azure-native:network:NetworkSecurityGroup::booking-nsg"


def _git_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def _sarif(monkeypatch, cwd: Path, *args: str) -> dict:
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(app, ["check", *args, "--format", "sarif"])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def _results(sarif: dict) -> dict[tuple[str, str], dict]:
    return {(r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]): r
            for r in sarif["runs"][0]["results"]}


@pytest.fixture(scope="module")
def program_runs(tmp_path_factory):
    """The contractor's program checked in a git repository, then again after a teammate added
    unrelated lines above the NSG, in a clone at another path (another machine)."""
    monkeypatch = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("sarif")
    first = _git_repo(base / "alice" / "repo")
    shutil.copytree(PROGRAM, first / "infra" / "booking")
    second = _git_repo(base / "ci-runner" / "work" / "repo")
    shutil.copytree(PROGRAM, second / "infra" / "booking")
    main = second / "infra" / "booking" / "__main__.py"
    text = main.read_text()
    added = "# Network rules reviewed with the supplier on 3 March.\n# See the booking runbook.\n\n"
    main.write_text(text.replace("nsg = network.NetworkSecurityGroup(", added + "nsg = network.NetworkSecurityGroup(", 1))
    try:
        before = _sarif(monkeypatch, first, "--program", "infra/booking", "--stack", "review")
        after = _sarif(monkeypatch, second / "infra", "--program", "booking", "--stack", "review")
    finally:
        monkeypatch.undo()
    return first, second, before, after


def test_program_sarif_validates_against_the_schema(program_runs, sarif_schema):
    _, _, before, after = program_runs
    validator = jsonschema.validators.validator_for(sarif_schema)(sarif_schema)
    assert list(validator.iter_errors(before)) == []
    assert list(validator.iter_errors(after)) == []


def test_locations_are_the_programs_own_file_relative_to_the_repository_root(program_runs):
    first, second, before, after = program_runs
    for repo, sarif in ((first, before), (second, after)):
        run = sarif["runs"][0]
        assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == repo.resolve().as_uri() + "/"
        nsg = _results(sarif)[("CKV_AZURE_10", NSG_URN)]["locations"][0]["physicalLocation"]
        assert nsg["artifactLocation"] == {"uri": "infra/booking/__main__.py", "uriBaseId": "SRCROOT"}
        source = (repo / "infra" / "booking" / "__main__.py").read_text().splitlines()
        assert source[nsg["region"]["startLine"] - 1].startswith("nsg = network.NetworkSecurityGroup(")
        assert all(not loc["physicalLocation"]["artifactLocation"]["uri"].startswith(("/", "file:"))
                   for r in run["results"] for loc in r["locations"] if "physicalLocation" in loc)


def test_fingerprints_survive_lines_added_above_and_another_machine(program_runs):
    _, _, before, after = program_runs
    old, new = _results(before), _results(after)
    assert old.keys() == new.keys() and len(old) >= 8
    line = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    assert line(new[("CKV_AZURE_10", NSG_URN)]) == line(old[("CKV_AZURE_10", NSG_URN)]) + 3
    for key in old:
        assert old[key]["partialFingerprints"] == new[key]["partialFingerprints"], key
    fingerprints = [r["partialFingerprints"]["boroughFinding/v1"] for r in old.values()]
    assert len(set(fingerprints)) == len(fingerprints)  # one identity per check and resource


def test_state_export_results_are_relative_to_the_repository_they_sit_in(monkeypatch, tmp_path, sarif_schema):
    runs = []
    for machine in ("laptop", "runner"):
        repo = _git_repo(tmp_path / machine / "estate")
        (repo / "exports").mkdir()
        shutil.copy(STATE, repo / "exports" / "prod.json")
        runs.append(_sarif(monkeypatch, repo / "exports", "--state", "prod.json"))
    validator = jsonschema.validators.validator_for(sarif_schema)(sarif_schema)
    assert list(validator.iter_errors(runs[0])) == []
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in runs[0]["runs"][0]["results"]}
    assert uris == {"exports/prod.json"}
    assert [r["partialFingerprints"] for r in runs[0]["runs"][0]["results"]] == \
        [r["partialFingerprints"] for r in runs[1]["runs"][0]["results"]]
    assert runs[0]["runs"][0]["originalUriBaseIds"] != runs[1]["runs"][0]["originalUriBaseIds"]


def test_a_file_outside_the_repository_keeps_an_absolute_uri(monkeypatch, tmp_path):
    repo = _git_repo(tmp_path / "repo")
    outside = tmp_path / "elsewhere" / "prod.json"
    outside.parent.mkdir()
    shutil.copy(STATE, outside)
    sarif = _sarif(monkeypatch, repo, "--state", str(outside))
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": outside.resolve().as_uri()}
