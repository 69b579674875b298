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
