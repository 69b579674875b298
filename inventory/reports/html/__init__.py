"""`borough report html`: the estate report as one self-contained, accessible HTML file.

A board pack is read on a laptop, a phone and on paper, by people who may use a screen reader or
zoom, and it is mailed around: so it is one file that fetches nothing and runs no script (a
Content-Security-Policy meta tag forbids both), follows the GOV.UK Design System that council
staff know, and meets WCAG 2.2 AA. It is built from the same typed report records as the JSON
output (:func:`inventory.reports.build_records`); charts come from pygal, HTML from Jinja with
autoescaping, so any text from the register renders as text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

from inventory.register.model import Estate
from inventory.reports import ReportName, ReportParams, build_records

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
"""No script, no fetch, no frames; only the inline styles (the page's and pygal's) and data: images."""


@dataclass(frozen=True)
class EstateReport:
    """Every report the board pack draws on, plus (with ``--checks``) a compliance run's data."""

    params: ReportParams
    records: dict[ReportName, Any]
    checks: Mapping[str, Any] | None = None


def build_estate_report(estate: Estate, params: ReportParams, checks: Mapping[str, Any] | None = None) -> EstateReport:
    """Every report on one estate (read once), and optionally ``CheckReport.to_dict()``."""
    return EstateReport(params, {name: build_records(name, estate, params) for name in ReportName}, checks)


def read_estate_report(url: str | None, params: ReportParams, checks: Mapping[str, Any] | None = None) -> EstateReport:
    """Read the register at ``url`` (else BOROUGH_DB, else the local file) once, with history and dependencies."""
    from inventory.planning import read_register
    from inventory.store import open_store

    with open_store(url, create=False) as store:
        estate = read_register(store, with_history=True, with_dependencies=True)
    return build_estate_report(estate, params, checks)


def with_checks(report: EstateReport, checks: Mapping[str, Any]) -> EstateReport:
    """The report with a compliance run's data added (read the register first, so a missing
    register fails before minutes of synthesis)."""
    return replace(report, checks=checks)


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("inventory.reports.html", "templates"), autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.tests["system_id"] = _is_system_id
    env.globals["id_headers"] = ID_HEADERS
    return env


ID_HEADERS = ("system", "depends on")
"""Columns that hold system ids: kept on one line."""


def _is_system_id(value: Any) -> bool:
    """A cell holding a system id (a slug with a hyphen): printed on one line, never broken mid-word."""
    from inventory.register.model import SLUG

    return isinstance(value, str) and "-" in value and bool(SLUG.match(value))


def render_html(report: EstateReport) -> str:
    """The report as an HTML document (a string: the caller writes it)."""
    from markupsafe import Markup

    from inventory.reports.html import sections
    from inventory.reports.html.compliance import compliance_section

    from inventory.reports.html import first_page

    r = report.records
    where = first_page.where_we_are(r[ReportName.outlook])
    parts = [
        first_page.what_is_next(r[ReportName.outlook]),
        first_page.what_is_at_risk(r[ReportName.risk]),
        sections.progress_section(r[ReportName.progress]),
        sections.waves_section(r[ReportName.waves]),
        sections.risk_section(r[ReportName.risk]),
        sections.portfolio_section(r[ReportName.portfolio]),
        sections.time_section(r[ReportName.time]),
        sections.caf_section(r[ReportName.caf]),
    ]
    if report.checks is not None:
        parts.append(compliance_section(report.checks))
    # The SVG is pygal's, serialised by ElementTree (which escapes every text it holds), so it is
    # marked safe here and nowhere else.
    svgs = {chart.id: Markup(chart.svg) for part in parts for chart in part.charts}
    return _environment().get_template("report.html.j2").render(
        csp=CSP,
        today=report.params.today.isoformat(),
        headline=sections.headline(r[ReportName.portfolio], r[ReportName.risk], r[ReportName.caf]),
        where=where,
        sections=parts,
        quadrant=sections.time_quadrant(r[ReportName.time]),
        svgs=svgs,
        with_checks=report.checks is not None,
        print_cuts=sorted({t.print_rows for part in [where, *parts] for t in (*part.tables, *(c.table for c in part.charts)) if t.print_rows}),
    )


__all__ = ["CSP", "EstateReport", "build_estate_report", "read_estate_report", "render_html", "with_checks"]
