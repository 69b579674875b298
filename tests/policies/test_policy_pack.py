"""The council baseline as a Pulumi policy pack, driven over gRPC as the Pulumi engine drives it:
the pack (its own environment, built by `make policy-venv`) started as the Python language host
starts one, with the resources of every bundled stack and of insecure programs and exports. Its
violations must be `borough check`'s failed findings, resource by resource."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2

from pack_harness import POLICY_PYTHON, preview_export, plugin_info, stack_resources, start_pack, violations
from policies.engine.run import run_checks
from policies.output.report import Outcome
from policies.targets import all_stack_names, from_graph, from_state, TargetKind

HERE = Path(__file__).parent
BOROUGH = Path(sys.executable).with_name("borough")
STATE = HERE / "fixtures" / "resident-services-prod.state.json"
VM_EXPORT = HERE.parent / "corpus" / "vm-ssh-from-internet" / "stack-export.dev.json"
CONTRACTOR = HERE / "programs" / "contractor"
SPECIAL = {"borough-run", "borough-expired-suppressions"}
UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"
DOCS_URN = "urn:pulumi:resident-services-prod::borough::azure-native:storage:StorageAccount::documents"
DB_URN = "urn:pulumi:resident-services-prod::borough::azure-native:dbforpostgresql:Server::db"

pytestmark = pytest.mark.skipif(not POLICY_PYTHON.exists(), reason="the pack's environment: run `make policy-venv`")


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "borough-pack"
    result = subprocess.run([str(BOROUGH), "policies", "pack", "--output", str(out), "--command", str(BOROUGH)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def pack(pack_dir):
    running = start_pack(pack_dir)
    yield running
    running.stop()


def _analyze_stack(pack, export: dict, config: dict | None = None) -> list[dict]:
    pack.configure(config or {})
    request = analyzer_pb2.AnalyzeStackRequest(resources=stack_resources(export))
    return violations(pack.analyzer.AnalyzeStack(request, timeout=600))


def _by_resource(items) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for urn, check in items:
        out.setdefault(urn, set()).add(check)
    return out


def _check_failed(report) -> dict[str, set[str]]:
    return _by_resource((f.urn, f.check_id) for f in report.by_outcome(Outcome.failed))


def _pack_failed(found: list[dict]) -> dict[str, set[str]]:
    return _by_resource((v["urn"], v["policy"]) for v in found if v["policy"] not in SPECIAL)


def _after_up(export: dict) -> dict:
    """The export as the engine holds it after `pulumi up`: azure-native outputs carry the whole
    resource (its inputs as the provider read them back, plus computed values)."""
    data = copy.deepcopy(export)
    for r in data["deployment"]["resources"]:
        r["outputs"] = {**(r.get("inputs") or {}), **(r.get("outputs") or {})}
        r.pop("inputs", None)
    return data


def test_the_pack_directory_is_what_pulumi_needs(pack_dir):
    policy_yaml = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text())
    assert policy_yaml["runtime"]["name"] == "python" and policy_yaml["version"] == "0.1.0"
    pins = [line for line in (pack_dir / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert all("==" in line for line in pins) and "protobuf==5.29.6" in pins and "pulumi_policy==1.21.0" in pins
    schema = json.loads((pack_dir / "policy-config.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    good = {"all": "advisory", "CKV_AZURE_10": "mandatory",
            "borough-run": {"enforcementLevel": "mandatory", "command": "/opt/borough/bin/borough", "timeout": 120}}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(good)) == []
    assert list(jsonschema.Draft202012Validator(schema).iter_errors({"CKV_NOPE_1": "advisory"}))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors({"borough-run": {"comand": "typo"}}))


def test_analyzer_info_lists_every_check_with_its_severity_and_enforcement(pack, pack_dir):
    info = pack.analyzer.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
    assert plugin_info(pack).version == "1.21.0"
    listed = subprocess.run([str(BOROUGH), "policies", "list", "--format", "json"], capture_output=True, text=True)
    checks = {c["id"]: c for c in json.loads(listed.stdout)}
    policies = {p.name: p for p in info.policies}
    assert set(policies) == set(checks) | SPECIAL
    for check_id, check in checks.items():
        policy = policies[check_id]
        assert policy.policy_type == analyzer_pb2.POLICY_TYPE_STACK
        assert policy.description == check["title"]
        expected = analyzer_pb2.MANDATORY if check["severity"] in ("critical", "high") else analyzer_pb2.ADVISORY
        assert policy.enforcementLevel == expected, check_id
    assert set(policies["borough-run"].configSchema.properties.keys()) == {"command", "suppressions", "policies", "timeout"}
    assert policies["borough-run"].enforcementLevel == analyzer_pb2.MANDATORY


@pytest.mark.parametrize("stack", all_stack_names())
def test_every_bundled_stack_gets_exactly_borough_checks_verdict(pack, stack):
    from synth.run import synthesize_stack

    from policies.request import load_baseline

    graph = synthesize_stack(stack)
    policies, suppressions = load_baseline(None, None)  # what `borough check STACK` applies
    report = run_checks([from_graph(graph, TargetKind.stack, stack)], policies=policies, suppressions=suppressions)
    found = _analyze_stack(pack, preview_export(graph))
    assert _pack_failed(found) == _check_failed(report)
    assert [v for v in found if v["policy"] in SPECIAL] == []


INSECURE_PROGRAMS = [(CONTRACTOR, "review"), *((HERE.parent / "corpus" / name, stack) for name, stack in (
    ("vm-ssh-from-internet", "dev"), ("function-app-storage-keys", "prod"), ("static-website", "dev"),
    ("sql-random-password", "test"), ("explicit-provider-component", "dr")))]


@pytest.mark.parametrize("program, stack", INSECURE_PROGRAMS, ids=[p.name for p, _ in INSECURE_PROGRAMS])
def test_insecure_programs_get_the_same_findings_resource_by_resource(pack, program, stack):
    from synth.run import synthesize

    graph = synthesize(program, stack)
    report = run_checks([from_graph(graph, TargetKind.program, stack)])
    expected = _check_failed(report)
    found = _analyze_stack(pack, preview_export(graph))
    assert expected and _pack_failed(found) == expected
    not_evaluated = {n.urn for n in report.not_evaluated if n.blocking}
    assert {v["urn"] for v in found if v["policy"] == "borough-run"} == not_evaluated


def test_a_violation_names_the_urn_the_check_and_what_was_found(pack):
    from synth.run import synthesize

    found = _analyze_stack(pack, preview_export(synthesize(CONTRACTOR, "review")))
    nsg = next(v for v in found if v["policy"] == "CKV_AZURE_10")
    assert nsg["urn"].endswith("NetworkSecurityGroup::booking-nsg") and nsg["level"] == "mandatory"
    assert "[CKV_AZURE_10, critical]" in nsg["message"] and "22" in nsg["message"]


@pytest.mark.parametrize("export_file", [STATE, VM_EXPORT], ids=["resident-services-state", "vm-ssh-export"])
def test_exports_of_insecure_stacks_match_borough_check_state(pack, export_file, tmp_path):
    export = _after_up(json.loads(export_file.read_text()))
    (tmp_path / "export.json").write_text(json.dumps(export))
    expected = _check_failed(run_checks([from_state(tmp_path / "export.json")]))
    assert sum(len(v) for v in expected.values()) >= 4
    assert _pack_failed(_analyze_stack(pack, export)) == expected


def test_analyze_per_resource_reports_nothing_twice(pack):
    """Per-resource Analyze (inputs) has no policy of the pack: judgement is the stack
    validation's, where cross-resource checks see every resource."""
    export = json.loads(STATE.read_text())
    pack.configure({})
    for resource in stack_resources(export, properties="inputs"):
        response = pack.analyzer.Analyze(analyzer_pb2.AnalyzeRequest(
            type=resource.type, properties=resource.properties, urn=resource.urn, name=resource.name,
            provider=resource.provider), timeout=60)
        assert list(response.diagnostics) == []


def test_suppressions_are_honoured_and_expired_ones_reported(pack, tmp_path):
    entry = {"check": "CKV_BOROUGH_007", "resource": "*::db", "approver": "CISO",
             "justification": "Legacy reporting tool needs a login until March"}
    other = {"check": "CKV_BOROUGH_004", "resource": "*::documents", "approver": "Head of IT",
             "justification": "Public brochure container, reviewed by the DPO"}
    path = tmp_path / "suppressions.yaml"
    path.write_text(yaml.safe_dump({"suppressions": [{**entry, "expires": "31/12/2099"},
                                                     {**other, "expires": "2020-01-31"}]}))
    found = _analyze_stack(pack, _after_up(json.loads(STATE.read_text())), {"borough-run": {
        "enforcementLevel": "mandatory", "suppressions": str(path)}})
    failed = _pack_failed(found)
    assert "CKV_BOROUGH_007" not in failed.get(DB_URN, set())
    assert "CKV_BOROUGH_004" in failed[DOCS_URN]
    expired = [v for v in found if v["policy"] == "borough-expired-suppressions"]
    assert len(expired) == 1 and "CKV_BOROUGH_004" in expired[0]["message"] and "2020-01-31" in expired[0]["message"]
    assert expired[0]["level"] == "advisory"
    (tmp_path / "export.json").write_text(json.dumps(_after_up(json.loads(STATE.read_text()))))
    report = run_checks([from_state(tmp_path / "export.json")], suppressions=_load(path))
    assert failed == _check_failed(report)


def _load(path: Path):
    from policies.suppressions import load_suppressions

    return load_suppressions(path)


def test_enforcement_is_configurable_per_check(pack):
    found = _analyze_stack(pack, _after_up(json.loads(STATE.read_text())), {"CKV_BOROUGH_007": "advisory",
                                                                          "CKV_BOROUGH_010": "mandatory"})
    levels = {(v["policy"], v["urn"]): v["level"] for v in found}
    assert levels[("CKV_BOROUGH_007", DB_URN)] == "advisory"
    assert levels[("CKV_BOROUGH_010", DOCS_URN)] == "mandatory"
    assert levels[("CKV_BOROUGH_004", DOCS_URN)] == "mandatory"  # high, not configured: the pack's default


def test_unknown_values_during_preview_are_not_evaluated_never_passed(pack):
    export = _after_up(json.loads(STATE.read_text()))
    docs = next(r for r in export["deployment"]["resources"] if r["urn"] == DOCS_URN)
    docs["outputs"]["allowBlobPublicAccess"] = UNKNOWN_BOOL
    found = _analyze_stack(pack, export)
    not_evaluated = [v for v in found if v["policy"] == "borough-run"]
    assert [(v["urn"], v["level"]) for v in not_evaluated] == [(DOCS_URN, "mandatory")]
    assert "allowBlobPublicAccess" in not_evaluated[0]["message"]
    assert DOCS_URN not in _pack_failed(found)
    assert "CKV_BOROUGH_007" in _pack_failed(found)[DB_URN]  # the known resource is still judged


def test_borough_unreachable_is_a_violation_not_a_pass(pack, tmp_path):
    found = _analyze_stack(pack, _after_up(json.loads(STATE.read_text())), {"borough-run": {
        "enforcementLevel": "mandatory", "command": str(tmp_path / "no-such-borough")}})
    assert [(v["policy"], v["level"]) for v in found] == [("borough-run", "mandatory")]
    assert "not evaluated" in found[0]["message"] and "no-such-borough" in found[0]["message"]
