"""`borough check` as a user runs it: a state export end to end, every output format, exit codes,
suppressions and broken policy files."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from cli.main import app
from policies.catalog import POLICY_DIR
from policy_builders import write_template

STATE = Path(__file__).parent / "fixtures" / "resident-services-prod.state.json"
DOCS_URN = "urn:pulumi:resident-services-prod::borough::azure-native:storage:StorageAccount::documents"
DB_URN = "urn:pulumi:resident-services-prod::borough::azure-native:dbforpostgresql:Server::db"


def borough(*args: str):
    return CliRunner().invoke(app, ["check", *args])


@pytest.fixture(scope="module")
def state_json():
    result = borough("--state", str(STATE), "--format", "json", "--framework", "ncsc")
    return result.exit_code, json.loads(result.stdout)


def _failed(report: dict) -> set[tuple[str, str]]:
    return {(f["check_id"], f["urn"]) for f in report["findings"] if f["outcome"] == "failed"}


def test_state_export_is_checked_end_to_end(state_json):
    code, report = state_json
    assert code == 1
    assert _failed(report) == {("CKV_BOROUGH_004", DOCS_URN), ("CKV_BOROUGH_012", DOCS_URN),
                               ("CKV_BOROUGH_010", DOCS_URN), ("CKV_BOROUGH_007", DB_URN),
                               ("CKV_BOROUGH_030", DB_URN)}  # the exported server has no Entra administrator
    finding = next(f for f in report["findings"] if f["check_id"] == "CKV_BOROUGH_004")
    state_lines = STATE.read_text().splitlines()
    assert f'"urn": "{DOCS_URN}"' in state_lines[finding["line"] - 1]
    assert report["targets"][0]["name"] == "resident-services-prod"
    assert [n["type"] for n in report["not_evaluated"]] == ["random:index/randomPassword:RandomPassword"]


def test_secrets_of_the_state_never_reach_the_report(state_json):
    _, report = state_json
    assert "v1:xyz" not in json.dumps(report)


def test_framework_summary_says_met_not_met_and_not_covered(state_json):
    _, report = state_json
    status = {s["requirement"]: s["status"] for s in report["frameworks"]}
    assert len(status) == 14
    assert status["14"] == "not met"       # CKV_BOROUGH_004: public blob access
    assert status["1"] == "met"            # HTTPS only, TLS 1.2
    assert status["6"] == "not covered"    # personnel security: no check can evidence it


def test_json_is_byte_identical_across_runs():
    first = borough("--state", str(STATE), "--format", "json")
    second = borough("--state", str(STATE), "--format", "json")
    assert first.stdout == second.stdout


def test_fail_on_threshold_and_strict():
    assert borough("--state", str(STATE), "--fail-on", "critical").exit_code == 0
    assert borough("--state", str(STATE), "--fail-on", "high").exit_code == 1
    assert borough("--state", str(STATE), "--fail-on", "critical", "--strict").exit_code == 3


def test_sarif_is_valid_and_points_at_the_state_file(sarif_schema):
    result = borough("--state", str(STATE), "--format", "sarif")
    sarif = json.loads(result.stdout)
    validator = jsonschema.validators.validator_for(sarif_schema)(sarif_schema)
    assert list(validator.iter_errors(sarif)) == []
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"CKV_BOROUGH_004", "CKV_BOROUGH_007", "CKV_BOROUGH_010", "CKV_BOROUGH_012",
                                              "CKV_BOROUGH_030"}
    location = results[0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("resident-services-prod.state.json")
    assert location["logicalLocations"][0]["fullyQualifiedName"].startswith("urn:pulumi:resident-services-prod::")


def test_junit_is_xml_that_ci_reads():
    result = borough("--state", str(STATE), "--format", "junit")
    root = ET.fromstring(result.stdout)
    suite = root.find("testsuite")
    assert suite.get("name") == "resident-services-prod"
    failures = suite.findall("testcase/failure")
    assert int(suite.get("failures")) == len(failures) == 5
    assert int(suite.get("skipped")) == 1  # the random password: not evaluated, never a silent pass


def test_markdown_for_pull_requests_lists_the_failures():
    result = borough("--state", str(STATE), "--format", "markdown")
    assert "### Findings (failed, errored, suppressed)" in result.stdout
    assert "| failed | high | CKV_BOROUGH_004 |" in result.stdout


def test_output_file_gets_the_report_and_stdout_stays_clean(tmp_path):
    out = tmp_path / "report.sarif"
    result = borough("--state", str(STATE), "--format", "sarif", "--output", str(out))
    assert result.exit_code == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert result.stdout == ""


def _suppressions(tmp_path: Path, entries: list[dict]) -> Path:
    path = tmp_path / "suppressions.yaml"
    path.write_text(yaml.safe_dump({"suppressions": entries}))
    return path


def test_suppression_applies_until_it_expires(tmp_path):
    entry = {"check": "CKV_BOROUGH_007", "resource": "*::db", "justification": "Legacy reporting tool needs a login until March",
             "approver": "CISO"}
    active = _suppressions(tmp_path, [{**entry, "expires": "31/12/2099"}])
    report = json.loads(borough("--state", str(STATE), "--format", "json", "--suppressions", str(active)).stdout)
    suppressed = [f for f in report["findings"] if f["outcome"] == "suppressed"]
    assert [(f["check_id"], f["urn"]) for f in suppressed] == [("CKV_BOROUGH_007", DB_URN)]
    assert suppressed[0]["suppression"]["approver"] == "CISO"

    expired = _suppressions(tmp_path, [{**entry, "expires": "2020-01-31"}])
    report = json.loads(borough("--state", str(STATE), "--format", "json", "--suppressions", str(expired)).stdout)
    assert ("CKV_BOROUGH_007", DB_URN) in _failed(report)
    assert report["expired_suppressions"] == [{"check": "CKV_BOROUGH_007", "resource": "*::db", "approver": "CISO",
                                               "expires": "2020-01-31"}]


def test_suppression_without_justification_is_refused(tmp_path):
    path = _suppressions(tmp_path, [{"check": "CKV_BOROUGH_007", "resource": "*", "approver": "CISO", "expires": "2099-01-01"}])
    result = borough("--state", str(STATE), "--suppressions", str(path))
    assert result.exit_code == 2
    assert "suppressions.0.justification" in result.stderr and str(path) in result.stderr


def _policy_copy(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(POLICY_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.j2"))
    for module in (POLICY_DIR / "checks").glob("*.py"):
        shutil.copy(module, target / "checks" / module.name)
    return target


def test_a_crashing_council_check_makes_the_run_incomplete(tmp_path):
    policies = _policy_copy(tmp_path)
    (policies / "checks" / "crashing.py").write_text(
        "from policies.checks.base import CouncilCheck\n\n"
        "class Crashing(CouncilCheck):\n"
        "    id = 'CKV_BOROUGH_099'\n"
        "    supported_resources = ('Microsoft.Storage/storageAccounts',)\n\n"
        "    def evaluate(self, conf):\n"
        "        return conf['properties']['no-such-key']\n\n"
        "check = Crashing()\n")
    (policies / "checks" / "crashing.yaml").write_text(yaml.safe_dump({
        "id": "CKV_BOROUGH_099", "title": "A check with a bug", "severity": "low", "remediation": "Fix the check."}))
    baseline = yaml.safe_load((policies / "baseline.yaml").read_text())
    baseline["checks"]["CKV_BOROUGH_099"] = {"severity": "low"}
    (policies / "baseline.yaml").write_text(yaml.safe_dump(baseline))
    result = borough("--state", str(STATE), "--policies", str(policies), "--format", "json")
    assert result.exit_code == 3, result.stderr
    errored = [f for f in json.loads(result.stdout)["findings"] if f["outcome"] == "errored"]
    assert [(f["check_id"], f["urn"]) for f in errored] == [("CKV_BOROUGH_099", DOCS_URN)]
    assert "KeyError" in errored[0]["message"]


def test_a_broken_policy_file_is_bad_input_never_a_pass(tmp_path):
    policies = _policy_copy(tmp_path)
    text = (policies / "baseline.yaml").read_text().replace("severity: critical", "severity: catastrophic", 1)
    (policies / "baseline.yaml").write_text(text)
    result = borough("--state", str(STATE), "--policies", str(policies))
    assert result.exit_code == 2
    assert "baseline.yaml" in result.stderr and "severity" in result.stderr


def test_bad_inputs_exit_2_with_a_message(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"resources": [}')
    result = borough("--template", str(broken))
    assert result.exit_code == 2 and "broken.json:1:" in result.stderr
    no_schema = tmp_path / "no-schema.json"
    no_schema.write_text('{"resources": [{"type": "Microsoft.Storage/storageAccounts", "name": "st"}]}')
    result = borough("--template", str(no_schema))
    assert result.exit_code == 2 and "$schema" in result.stderr  # checkov would skip it: never a silent pass
    assert borough().exit_code == 2
    assert borough("--program", str(tmp_path)).exit_code == 2
    assert borough("--state", str(tmp_path / "missing.json")).exit_code == 2


def test_arm_template_findings_point_at_template_lines(tmp_path):
    path = write_template(tmp_path / "legacy.json", [{
        "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2024-05-01", "name": "nsg-legacy",
        "location": "uksouth",
        "properties": {"securityRules": [{"name": "rdp", "properties": {
            "access": "Allow", "direction": "Inbound", "protocol": "Tcp", "priority": 100, "sourceAddressPrefix": "*",
            "destinationPortRange": "3389"}}]}}])
    result = borough("--template", str(path), "--format", "json")
    assert result.exit_code == 1
    rdp = next(f for f in json.loads(result.stdout)["findings"] if f["check_id"] == "CKV_AZURE_9")
    assert rdp["outcome"] == "failed" and rdp["resource"] == "Microsoft.Network/networkSecurityGroups.nsg-legacy"
    assert '"type": "Microsoft.Network/networkSecurityGroups"' in "".join(path.read_text().splitlines()[rdp["line"] - 1:rdp["line"] + 30])


def test_policies_list_prints_the_baseline_and_frameworks():
    listing = json.loads(CliRunner().invoke(app, ["policies", "list", "--format", "json"]).stdout)
    checks = {check["id"]: check for check in listing}
    assert len(checks) >= 60 and checks["CKV_BOROUGH_005"]["source"] == "council"
    assert checks["CKV_AZURE_3"]["severity"] == "high" and checks["CKV_AZURE_3"]["frameworks"]["cis"] == ["3.1"]
    caf = json.loads(CliRunner().invoke(app, ["policies", "list", "--framework", "caf", "--format", "json"]).stdout)
    assert [r["id"] for r in caf["requirements"]][:4] == ["A1.a", "A1.b", "A1.c", "A2.a"]
    assert {r["principle"] for r in caf["requirements"]} == {f"{o}{n}" for o, top in (("A", 4), ("B", 6), ("C", 2), ("D", 2))
                                                            for n in range(1, top + 1)}


def test_check_metadata_that_disagrees_with_the_framework_files_is_refused(tmp_path):
    policies = _policy_copy(tmp_path)
    meta_path = policies / "checks" / "keyvault_rbac.yaml"
    meta = yaml.safe_load(meta_path.read_text())
    meta["frameworks"]["ncsc"] = ["1"]
    meta_path.write_text(yaml.safe_dump(meta))
    result = CliRunner().invoke(app, ["policies", "list", "--policies", str(policies)])
    assert result.exit_code == 2
    assert "keyvault_rbac.yaml: frameworks" in result.stderr


def test_today_judges_the_suppressions_expiry_so_an_audit_can_be_reproduced():
    """The council's NSG flow-log suppression expires on 2027-03-31: checked as of the day before
    it still suppresses; as of the day after the finding fails and the expiry is reported."""
    before = borough("platform-prod", "--format", "json", "--today", "2027-03-30")
    after = borough("platform-prod", "--format", "json", "--today", "2027-04-01")
    assert (before.exit_code, after.exit_code) == (0, 1)

    def flow_logs(result):  # noqa: ANN001, ANN202
        report = json.loads(result.stdout)
        outcomes = {(f["outcome"], f["suppression"] is not None) for f in report["findings"] if f["check_id"] == "CKV_BOROUGH_033"}
        return outcomes, [s["check"] for s in report["expired_suppressions"]]

    assert flow_logs(before) == ({("suppressed", True)}, [])
    assert flow_logs(after)[0] == {("failed", False)} and "CKV_BOROUGH_033" in flow_logs(after)[1]
