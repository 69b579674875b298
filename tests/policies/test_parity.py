"""Rendering feeds checkov the keys its built-in ARM checks read: for every built-in check in
the baseline, a Pulumi program declares a resource that passes and one that fails; synthesized
(real Pulumi SDK, offline mocks), rendered and checked, each gets the same verdict as checkov
gives on the equivalent hand-written ARM template."""

from __future__ import annotations

import pytest

from policies.catalog import load_policies
from policies.engine.run import run_checks
from policies.output.report import Outcome
from policies.targets import from_program, from_template
from policy_builders import resource, write_program, write_template
from policy_parity_cases import CASES

STACK = "parity"
EXPECTATIONS = [(case, check_id, Outcome.passed) for case in CASES for check_id in case.passes] + \
               [(case, check_id, Outcome.failed) for case in CASES for check_id in case.fails]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    program = write_program(tmp_path_factory.mktemp("program"),
                            [resource(STACK, c.token, c.logical, **c.inputs) for c in CASES])
    rendered = from_program(program, STACK)
    handwritten = from_template(write_template(tmp_path_factory.mktemp("parity") / "handwritten.json",
                                               [c.arm for c in CASES if c.arm]))
    report = run_checks([rendered, handwritten])
    assert not report.errored
    by_name = {(f.check_id, f.resource_name): f.outcome for f in report.findings if f.target == STACK}
    by_resource = {(f.check_id, f.resource): f.outcome for f in report.findings if f.target == "handwritten.json"}
    return by_name, by_resource


def test_every_builtin_check_of_the_baseline_has_a_passing_and_a_failing_case():
    builtin = set(load_policies().builtin_ids)
    assert builtin - {c for case in CASES for c in case.passes} == set()
    assert builtin - {c for case in CASES for c in case.fails} == set()


@pytest.mark.parametrize("case,check_id,expected", EXPECTATIONS,
                         ids=[f"{c.logical}-{check}-{o.value}" for c, check, o in EXPECTATIONS])
def test_rendered_pulumi_resource_gets_the_verdict_of_hand_written_arm(outcomes, case, check_id, expected):
    by_name, by_resource = outcomes
    resource_id = f"{case.arm['type']}.{case.arm['name']}"
    assert by_resource.get((check_id, resource_id)) is expected, "the hand-written ARM fixture itself is wrong"
    assert by_name.get((check_id, case.logical)) is expected
