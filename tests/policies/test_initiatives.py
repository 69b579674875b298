"""Microsoft's two UK initiatives as data: every policy definition listed, classified and consistent
with the checks that evidence it; `borough policies coverage` counts them from the same files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from policies.catalog import POLICY_DIR, load_policies
from policies.compliance.coverage import coverage
from policies.errors import PolicyFileError
from policies.compliance.initiatives import Evidence

REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "azure-policy-uk-initiatives.json").read_text(encoding="utf-8"))
"""Microsoft's lists (azure-policy snapshot), copied from shared/reference for CI."""
FILES = {"ncsc-caf-v3.2": "ncsc_caf_v3_2", "uk-official-nhs": "uk_official_nhs"}


@pytest.fixture(scope="module")
def policies():
    return load_policies()


@pytest.mark.parametrize("initiative_id,key", FILES.items())
def test_every_policy_definition_of_the_initiative_is_listed_once_with_its_controls(policies, initiative_id, key):
    initiative = policies.initiatives[initiative_id]
    reference = REFERENCE[key]
    assert initiative.azure_id == reference["initiative_id"] and initiative.version == reference["version"]
    ours = [(p.id, p.name, p.groups) for p in initiative.policies]
    theirs = [(p["policy_definition_id"], p["display_name"], p["groups"]) for p in reference["policies"]]
    assert ours == theirs
    assert len(ours) == {"ncsc-caf-v3.2": 73, "uk-official-nhs": 45}[initiative_id]


def test_every_policy_is_classified_and_checked_ones_name_enforced_checks(policies):
    for initiative in policies.initiatives.values():
        for policy in initiative.policies:
            assert isinstance(policy.evidence, Evidence)
            if policy.evidence is Evidence.checked:
                assert policy.checks, policy.id
                assert all(c in policies.baseline.checks for c in policy.checks), policy.id
            if policy.evidence in (Evidence.not_judgeable, Evidence.azure_policy_state):
                assert len(policy.reason) >= 10


def test_a_council_check_names_the_azure_policy_definitions_it_evidences(policies):
    kv = policies.council["CKV_BOROUGH_005"]
    assert "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5" in kv.azure_policy


def _copy_policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(POLICY_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    for module in (POLICY_DIR / "checks").glob("*.py"):
        shutil.copy(module, target / "checks" / module.name)
    return target


def test_an_unclassified_policy_is_refused_naming_the_file_and_line(tmp_path):
    root = _copy_policy_dir(tmp_path)
    path = root / "frameworks" / "initiatives" / "uk-official-nhs.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  evidence: azure-policy-state\n", "", 1), encoding="utf-8")
    with pytest.raises(PolicyFileError) as caught:
        load_policies(root)
    assert str(path) in str(caught.value) and "policies.0.evidence" in str(caught.value)


def test_a_check_whose_azure_policy_disagrees_with_the_initiative_is_refused(tmp_path):
    root = _copy_policy_dir(tmp_path)
    meta = root / "checks" / "keyvault_rbac.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5",
                                                             "98728c90-32c7-4049-8429-847dc0f4fe37"), encoding="utf-8")
    with pytest.raises(PolicyFileError, match="keyvault_rbac.yaml: azure_policy"):
        load_policies(root)


def test_policies_coverage_counts_each_class_and_lists_what_no_check_covers(policies):
    records = {r.initiative: r for r in coverage()}
    for initiative_id, record in records.items():
        initiative = policies.initiatives[initiative_id]
        assert record.policies == len(initiative.policies) == sum(record.by_evidence.values())
        checked = [p for p in initiative.policies if p.evidence is Evidence.checked]
        assert record.checked_covered == len([p for p in checked if p.checks])
        assert len(record.uncovered) == record.policies - record.checked_covered
        assert {u.id for u in record.uncovered}.isdisjoint({p.id for p in checked if p.checks})


def test_policies_coverage_cli_json_and_table_show_the_same_figures():
    runner = CliRunner()
    as_json = runner.invoke(app, ["policies", "coverage", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    records = json.loads(as_json.stdout)
    assert [r["initiative"] for r in records] == ["ncsc-caf-v3.2", "uk-official-nhs"]
    as_csv = runner.invoke(app, ["policies", "coverage", "--format", "csv"])
    assert as_csv.exit_code == 0
    for record in records:
        checked = record["by_evidence"]["checked"]
        row = next(line for line in as_csv.stdout.splitlines() if line.startswith(record["name"]))
        assert f"{record['checked_covered']} of {checked}" in row
        assert f",{record['policies']},{checked},{record['by_evidence']['live-only']}," in row
