"""`borough report caf-evidence`: the assessor's pack per CAF contributing outcome, for the bundled
stacks and the sample register, in JSON, CSV and one self-contained HTML file whose links all land."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

import pytest
from html_estates import TODAY
from typer.testing import CliRunner

from cli.main import app
from inventory.sample import sample_estate
from policies.compliance.caf_evidence import build_caf_evidence, evidence_tables
from policies.compliance.caf_evidence_html import render_caf_evidence
from policies.catalog import load_policies
from policies.engine.run import run_checks
from policies.suppressions import load_suppressions
from policies.targets import all_stack_names, from_stack


@pytest.fixture(scope="module")
def run() -> dict:
    policies = load_policies()
    report = run_checks([from_stack(name) for name in all_stack_names()], policies=policies,
                        suppressions=load_suppressions(policies.root / "suppressions.yaml"))
    return report.to_dict()


@pytest.fixture(scope="module")
def pack(run):
    return build_caf_evidence(run, load_policies(), sample_estate(), TODAY)


def test_every_contributing_outcome_is_in_the_pack_with_principle_roll_ups(pack):
    framework = load_policies().frameworks["caf"]
    assert [o.outcome for o in pack.outcomes] == [r.id for r in framework.requirements]
    assert len(pack.outcomes) == 40 and [p.principle for p in pack.principles][:2] == ["A1", "A2"]
    for principle in pack.principles:
        statuses = set(principle.outcomes.values())
        expected = "not met" if "not met" in statuses else "met" if "met" in statuses else "not covered"
        assert principle.status == expected
    assert set(pack.targets) >= {"platform-prod", "resident-services-prod"}
    d1 = next(p for p in pack.principles if p.principle == "D1")  # Microsoft groups some policies under D1 itself
    assert "0015ea4d-51ff-4ce3-8d8c-f3f8f0179a56" in {q.policy_id for q in d1.policies}
    shown = [q.policy_id for o in pack.outcomes for q in o.policies] + [q.policy_id for p in pack.principles for q in p.policies]
    listed = {p.id for i in load_policies().initiatives.values() for p in i.policies if any(
        g[:2] in {q.principle for q in pack.principles} for g in p.groups)}
    assert set(shown) == listed


def test_judged_outcomes_say_which_checks_ran_where_and_link_to_their_failures(pack, run):
    b2a = next(o for o in pack.outcomes if o.outcome == "B2.a")
    rbac = next(c for c in b2a.checks if c.check_id == "CKV_BOROUGH_005")
    counted = Counter(f["outcome"] for f in run["findings"] if f["check_id"] == "CKV_BOROUGH_005")
    assert (rbac.passed, rbac.failed) == (counted["passed"], counted["failed"]) and rbac.passed > 0
    certs = next(c for c in b2a.checks if c.check_id == "CKV_BOROUGH_031")
    assert certs.suppressed and all(f.suppressed for f in certs.failures)  # the portal's recorded risk decision
    assert "resident-services-prod" in certs.targets


def test_register_evidence_for_assets_and_suppliers_agrees_with_the_register(pack):
    systems = [s for s in sample_estate().systems if s.state.value != "retired"]
    a3 = {m.measure: m for m in next(o for o in pack.outcomes if o.outcome == "A3.a").from_register}
    owners = a3["business and technical owner recorded"]
    assert owners.total == len(systems)
    assert owners.complete == sum(1 for s in systems if s.business_owner and s.technical_owner)
    assert set(owners.missing) == {s.id for s in systems if not (s.business_owner and s.technical_owner)}
    support = a3["support end date recorded"]
    assert support.complete == sum(1 for s in systems if s.support_end)
    a4 = next(o for o in pack.outcomes if o.outcome == "A4.a")
    contracts = next(m for m in a4.from_register if m.measure.startswith("contract end date"))
    assert contracts.missing and a4.status == "not met"
    assert "supplier contracts" in a4.for_people
    governance = next(o for o in pack.outcomes if o.outcome == "A1.a")
    assert governance.status == "not covered" and "board direction" in governance.for_people


def test_azure_policy_states_from_a_live_run_show_under_their_outcome_with_disagreements(run):
    shared_key = "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54"
    live = {**run, "policy_states": [
        {"resource_id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a",
         "policy_definition_id": shared_key, "azure_state": "Compliant", "agreement": "disagree"},
        {"resource_id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/b",
         "policy_definition_id": shared_key, "azure_state": "NonCompliant", "agreement": "agree"}]}
    pack = build_caf_evidence(live, load_policies(), sample_estate(), TODAY)
    b2a = next(o for o in pack.outcomes if o.outcome == "B2.a")
    states = next(p for p in b2a.policies if p.policy_id == shared_key)
    assert states.azure == {"Compliant": 1, "NonCompliant": 1} and states.disagreements == 1
    assert "disagrees with borough on 1" in render_caf_evidence(pack)


def test_the_html_pack_is_self_contained_and_every_link_lands(pack):
    html = render_caf_evidence(pack)
    assert 'http-equiv="Content-Security-Policy"' in html and "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    ids = set(re.findall(r'id="([^"]+)"', html))
    links = set(re.findall(r'href="#([^"]+)"', html))
    assert links and links <= ids
    assert {f"outcome-{o.outcome}" for o in pack.outcomes} <= ids
    assert all(f.anchor in ids for o in pack.outcomes for c in o.checks for f in c.failures)


def test_csv_and_json_give_the_same_statuses(pack):
    table = evidence_tables(pack)[0]
    by_outcome = {row[0]: row[3] for row in table.rows}
    assert by_outcome == {o.outcome: o.status for o in pack.outcomes}


def test_the_command_writes_json_and_csv_from_a_saved_check_report(sample_db, tmp_path, run):
    saved = tmp_path / "check.json"
    saved.write_text(json.dumps(run), encoding="utf-8")
    runner = CliRunner()
    args = ["report", "caf-evidence", "--from-check", str(saved), "--db", sample_db, "--today", TODAY.isoformat()]
    as_json = runner.invoke(app, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    as_csv = runner.invoke(app, [*args, "--format", "csv"])
    rows = [r for r in csv.reader(io.StringIO(as_csv.stdout)) if r and re.fullmatch(r"[A-D]\d\.[a-e]", r[0])]
    assert {r[0]: r[3] for r in rows} == {o["outcome"]: o["status"] for o in data["outcomes"]}
    written = tmp_path / "pack.html"
    assert runner.invoke(app, [*args, "--output", str(written)]).exit_code == 0
    assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_saved_file_that_is_not_a_check_report_is_bad_input(sample_db, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text('{"systems": []}', encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "caf-evidence", "--from-check", str(bad), "--db", sample_db])
    assert result.exit_code == 2 and "notes.json: not a check report" in result.stderr
