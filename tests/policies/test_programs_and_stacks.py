"""The bundled stacks pass the baseline with no suppressions, and a Pulumi program written by
someone else can be checked with --program: its insecure resources fail with the right check IDs
pointing at the right Pulumi resources and program lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from policies.catalog import POLICY_DIR
from policies.engine.run import run_checks
from policies.suppressions import load_suppressions
from policies.output.report import Outcome
from policies.targets import all_stack_names, from_program, from_stack

PROGRAM = Path(__file__).parent / "programs" / "contractor"


@pytest.fixture(scope="module")
def bundled():
    return run_checks([from_stack(name) for name in all_stack_names()],
                      suppressions=load_suppressions(POLICY_DIR / "suppressions.yaml"))


def test_every_bundled_stack_passes_the_baseline_with_only_the_recorded_ncsc_risk_decisions(bundled):
    """The council's own stacks meet every check but a few NCSC/Azure Policy ones (client certificates on
    the resident portal, DDoS plans...), each suppressed with a justification, an approver and an expiry."""
    assert {t.name for t in bundled.targets} >= {"platform-prod", "resident-services-dev", "resident-services-prod",
                                                  "data-platform-prod"}
    assert [(f.check_id, f.urn, f.message) for f in bundled.findings
            if f.outcome not in (Outcome.passed, Outcome.suppressed)] == []
    suppressed = {f.check_id for f in bundled.findings if f.outcome is Outcome.suppressed}
    assert suppressed <= {"CKV_BOROUGH_031", "CKV_BOROUGH_032", "CKV_BOROUGH_033", "CKV_BOROUGH_035",
                          "CKV_BOROUGH_040", "CKV_BOROUGH_041"}
    assert all(f.suppression and f.suppression["justification"] for f in bundled.findings if f.outcome is Outcome.suppressed)
    assert bundled.not_evaluated == []
    assert bundled.exit_code(strict=True) == 0


def test_each_bundled_stack_has_at_least_forty_checks_evaluated(bundled):
    for target in bundled.targets:
        assert target.evaluations >= 40, target.name
        assert target.rendered == target.resources


def _urn(token: str, name: str) -> str:
    return f"urn:pulumi:review::contractor-portal::{token}::{name}"


def test_someone_elses_program_fails_with_the_right_checks_on_the_right_resources():
    result = CliRunner().invoke(app, ["check", "--program", str(PROGRAM), "--stack", "review", "--format", "json"])
    assert result.exit_code == 1
    failed = {(f["check_id"], f["urn"]): f for f in json.loads(result.stdout)["findings"] if f["outcome"] == "failed"}
    nsg = failed[("CKV_AZURE_10", _urn("azure-native:network:NetworkSecurityGroup", "booking-nsg"))]
    assert nsg["severity"] == "critical" and nsg["file"].endswith("programs/contractor/__main__.py")
    source = (PROGRAM / "__main__.py").read_text().splitlines()
    assert source[nsg["line"] - 1].startswith("nsg = network.NetworkSecurityGroup(")
    storage = _urn("azure-native:storage:StorageAccount", "bookingfiles")
    site = _urn("azure-native:web:WebApp", "booking-site")
    for expected in [("CKV_BOROUGH_004", storage), ("CKV_BOROUGH_001", storage), ("CKV_BOROUGH_002", storage),
                     ("CKV_AZURE_14", site), ("CKV_AZURE_78", site), ("CKV_BOROUGH_011", site), ("CKV_BOROUGH_010", site)]:
        assert expected in failed
    assert ("CKV_AZURE_44", storage) not in failed  # it does set TLS 1.2


def test_program_target_keeps_the_graph_urns_in_the_rendered_template():
    target = from_program(PROGRAM, "review")
    urns = [r["metadata"]["pulumi:urn"] for r in target.render.template["resources"]]
    assert _urn("azure-native:web:WebApp", "booking-site") in urns
    assert target.render.not_rendered == []
