"""The CAF evidence pack as one self-contained, accessible HTML file: the estate report's rules
(no script, no fetch: a Content-Security-Policy forbids both; GOV.UK styles; Jinja autoescaping)."""

from __future__ import annotations

from typing import Any

from policies.compliance.caf_evidence import CafEvidence

TONES = {"met": "green", "not met": "red", "not covered": "grey"}


def _environment() -> Any:
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

    loader = ChoiceLoader([PackageLoader("policies", "templates"), PackageLoader("inventory.reports.html", "templates")])
    return Environment(loader=loader, autoescape=select_autoescape(["html", "j2"], default=True), undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def render_caf_evidence(pack: CafEvidence) -> str:
    from inventory.reports.html import CSP

    checks = {c.check_id: c for o in pack.outcomes for c in o.checks}
    return _environment().get_template("caf_evidence.html.j2").render(
        csp=CSP, pack=pack, tones=TONES, checks=[checks[k] for k in sorted(checks)],
        print_cuts=[])  # the estate report's stylesheet: no table of this pack is cut in print
