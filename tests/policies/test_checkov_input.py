"""We hand checkov our rendered template already parsed; it must be exactly what checkov's own
parser makes of the same text (values and the line numbers findings point at)."""

from __future__ import annotations

from policies.engine.checkov_run import annotate
from arm import dump_template, render_graph
from policy_builders import graph, resource
from policy_parity_cases import CASES

STACK = "annotate"


def test_pre_parsed_template_equals_checkovs_parse_of_the_same_text(tmp_path):
    from checkov.arm.parser.parser import parse

    template = render_graph(graph(STACK, [resource(STACK, c.token, c.logical, **c.inputs) for c in CASES])).template
    template["resources"].append({"type": "Microsoft.Web/sites", "name": "empty", "apiVersion": "2024-04-01",
                                  "properties": {}, "tags": {}, "zones": [], "metadata": {"note": "ünïcode"}})
    definitions, lines = annotate(template)
    text = "\n".join(lines) + "\n"
    assert text == dump_template(template)
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    parsed, raw = parse(str(path))
    assert definitions == parsed
    assert [line for _, line in raw] == [line + "\n" for line in lines]


def test_the_exact_check_filter_runs_the_checks_checkovs_own_filter_runs():
    import random

    import checkov.arm.checks.resource  # noqa: F401 - registers the built-in checks
    from checkov.arm.registry import arm_resource_registry
    from checkov.runner_filter import RunnerFilter

    from policies.engine.checkov_run import runner_filter

    every = sorted({check.id for checks in arm_resource_registry.checks.values() for check in checks})
    assert len(every) > 50
    rng = random.Random(11)
    for wanted in (rng.sample(every, 10), rng.sample(every, 40), ["CKV_BOROUGH_001", every[0]], [], ["CKV_AZURE_1*"]):
        ours, checkovs = runner_filter(wanted), RunnerFilter(framework=["arm"], checks=wanted, show_progress_bar=False)
        for check_id in [*every, "CKV_BOROUGH_001", "CKV_AZURE_10"]:
            assert ours.should_run_check(check_id=check_id) == checkovs.should_run_check(check_id=check_id), (wanted, check_id)
