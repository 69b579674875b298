"""The CAF evidence pack in a real browser: axe-core's WCAG 2.2 A/AA rules find nothing, and the
page asks the network for nothing (run through scripts/with-browser, as the estate report's tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from html_estates import TODAY
from test_html_browser import WCAG_TAGS, axe_source, browser, open_page  # noqa: F401 - shared fixtures

from inventory.sample import sample_estate
from policies.compliance.caf_evidence import build_caf_evidence
from policies.compliance.caf_evidence_html import render_caf_evidence
from policies.catalog import load_policies
from policies.engine.run import run_checks
from policies.suppressions import load_suppressions
from policies.targets import all_stack_names, from_stack


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack for the bundled stacks and the sample register."""
    policies = load_policies()
    run = run_checks([from_stack(name) for name in all_stack_names()], policies=policies,
                     suppressions=load_suppressions(policies.root / "suppressions.yaml")).to_dict()
    path = tmp_path_factory.mktemp("caf") / "caf-evidence.html"
    path.write_text(render_caf_evidence(build_caf_evidence(run, policies, sample_estate(), TODAY)), encoding="utf-8")
    return path


def test_axe_finds_no_wcag_violation_in_the_caf_evidence_pack(browser: Any, axe_source: str, page_path: Path) -> None:  # noqa: F811
    requests: list[str] = []
    page = open_page(browser, page_path, requests=requests)
    page.evaluate(axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
    violations = [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]
    print(json.dumps(violations, indent=2))
    assert violations == []
    assert requests == [page_path.resolve().as_uri()]
    assert page.locator("h1").inner_text().startswith("NCSC CAF 3.2 evidence pack")
    page.context.close()
