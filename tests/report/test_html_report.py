"""The HTML estate report without a browser: safe, self-contained, structured, and wired into the CLI.

(Axe-core, keyboard, network and narrow-screen checks in Chromium are in test_html_browser.py.)
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from html_estates import HOSTILE, TODAY, compliance_run, hostile_estate
from typer.testing import CliRunner

from cli.main import app
from inventory.reports import ReportParams
from inventory.reports.html import CSP, build_estate_report, render_html
from inventory.reports.html.compliance import compliance_section
from inventory.sample import sample_estate

runner = CliRunner()


class Page(HTMLParser):
    """Every start tag with its attributes, the headings in order, and each element's text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[int, str]] = []
        self.texts: list[str] = []
        self._heading: int | None = None
        self._buffer: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._buffer = int(tag[1]), []

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._buffer).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._heading is not None:
            self._buffer.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def test_register_text_renders_as_text_never_as_markup() -> None:
    html = render_html(build_estate_report(hostile_estate(), ReportParams(today=TODAY)))
    page = Page(html)
    assert not page.all("script"), "the page runs no script at all, least of all one from the register"
    assert not [a for a in page.all("img")], "an <img> from a service area name would be markup"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert any(HOSTILE in text for text in page.texts), "the system's name is shown, as text"
    assert any('<img src=x onerror="alert(2)">' in text for text in page.texts), "a service area is shown as text (tables and chart labels)"
    assert not any("onerror" in attrs for _, attrs in page.tags)


def test_csp_meta_forbids_everything_but_inline_styles_and_data_images(sample_html: str) -> None:
    metas = [m for m in Page(sample_html).all("meta") if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    assert [m["content"] for m in metas] == [CSP]
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["default-src"] == "'none'" and directives["img-src"] == "data:" and directives["style-src"] == "'unsafe-inline'"


def test_page_refers_to_nothing_outside_itself(sample_html: str) -> None:
    page = Page(sample_html)
    refs = [v for _, attrs in page.tags for k, v in attrs.items() if k in ("src", "href", "xlink:href", "action", "srcset") and v]
    assert refs, "the page has in-page links (contents, skip link)"
    assert all(r.startswith("#") for r in refs), [r for r in refs if not r.startswith("#")]
    assert not page.all("link") and not page.all("script") and not page.all("iframe")
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", sample_html)
    assert not re.search(r"(src|href)\s*=\s*['\"]?\s*(https?:)?//", sample_html)


def test_one_h1_and_headings_never_skip_a_level(sample_html: str) -> None:
    levels = [level for level, _ in Page(sample_html).headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert Page(sample_html).headings[0] == (1, "Estate report")
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    titles = [t for level, t in Page(sample_html).headings if level == 2]
    assert titles == ["Where we are", "What is next", "What is at risk", "Progress over time", "The wave plan", "Risks", "Portfolio",
                      "TIME quadrant", "CAF critical systems"], "the first page answers where we are, what is next, what is at risk"


def test_landmarks_skip_link_and_table_headers(sample_html: str) -> None:
    page = Page(sample_html)
    names = [t for t, _ in page.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert names.count(landmark) == 1, landmark
    first_link = page.all("a")[0]
    assert first_link["href"] == "#main" and page.all("main")[0]["id"] == "main"
    assert names.count("table") == names.count("caption") > 10
    assert all(th.get("scope") in ("col", "row") for th in page.all("th"))
    regions = [d for d in page.all("div") if "table-scroll" in (d.get("class") or "")]
    assert len(regions) == names.count("table")
    assert all(r.get("tabindex") == "0" and r.get("role") == "region" and r.get("aria-labelledby") for r in regions)


def test_every_chart_is_a_named_image_with_its_summary_and_its_data_table(sample_html: str) -> None:
    page = Page(sample_html)
    svgs = page.all("svg")
    # the next wave's dependencies, progress, cost over time, waves, risk, hosting, cost by service area; no compliance without --checks
    assert len(svgs) == 7
    ids = {attrs.get("id") for _, attrs in page.tags}
    for svg in svgs:
        assert svg["role"] == "img"
        title, desc = (svg["aria-labelledby"] or "").split()
        assert title in ids and desc in ids
        chart = svg["id"].removeprefix("chart-")
        assert f"{chart}-data" in ids, "its data as a table"
        region = next(a for t, a in page.tags if t == "div" and a.get("aria-labelledby") == f"{chart}-heading")
        assert region["role"] == "region" and region["tabindex"] == "0", "a chart that scrolls on a phone is a named, focusable region"
    assert "pygal" in sample_html, "drawn by the charting library"
    all_ids = [attrs["id"] for _, attrs in page.tags if attrs.get("id")]
    assert len(all_ids) == len(set(all_ids)), "ids are unique across charts"


def test_chart_series_differ_by_more_than_colour(sample_html: str) -> None:
    page = Page(sample_html)
    patterns = {attrs["id"] for tag, attrs in page.tags if tag == "pattern"}
    assert {"waves-pattern-1", "waves-pattern-2"} <= patterns, "stacked segments after the first are patterned"
    assert "fill: url(#waves-pattern-1) !important" in sample_html
    keys = [attrs.get("stroke-dasharray") for tag, attrs in page.tags if tag == "line" and attrs.get("stroke-dasharray")]
    assert len(set(keys)) == 7, "each state's line has its own dash pattern, shown in the legend"
    values = re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]+)</text>', sample_html)
    assert "24" in values or "7" in values, "bars print their values"


def test_money_is_gbp_and_headline_figures_match_the_records(sample_html: str) -> None:
    from inventory.reports import ReportName, build_records

    portfolio = build_records(ReportName.portfolio, sample_estate(), ReportParams(today=TODAY))
    text = " ".join(Page(sample_html).texts)
    assert f"£{portfolio.totals.annual_cost:,.0f}" in text
    assert f"Live systems {portfolio.totals.live_systems}" in " ".join(text.split())


def test_same_estate_gives_the_same_bytes(sample_html: str) -> None:
    again = render_html(build_estate_report(sample_estate(), ReportParams(today=TODAY)))
    assert again == sample_html


def test_long_lists_are_cut_for_the_board_and_say_where_the_rest_is(large_html: str) -> None:
    assert "Showing the first 50 of" in large_html and "borough report risk --format csv" in large_html
    assert len(large_html) < 2_000_000


def test_compliance_per_stack_and_per_principle() -> None:
    check = compliance_run()
    section = compliance_section(check)
    principles = section.tables[0]
    assert principles.headers == ("principle", "title", "all stacks", "data-prod", "platform-prod")
    rows = {r[0]: [c.text for c in r[2:]] for r in principles.rows}
    assert rows == {"1": ["not met", "not met", "met"], "2": ["met", "met", "not covered"], "3": ["not covered"] * 3}
    stacks = {r[0]: r[-1].text for r in section.charts[0].table.rows}
    assert stacks == {"data-prod": "failed", "platform-prod": "passed"}
    assert "1 met, 1 not met, 1 not covered" in section.intro


def test_compliance_labels_say_what_they_count() -> None:
    """Distinct checks and evaluations (one check on one resource) are different numbers: each is named."""
    stack_table = compliance_section(compliance_run()).charts[0].table
    assert stack_table.headers[:5] == ("stack", "resources", "distinct checks", "evaluations passed", "evaluations failed")
    row = {r[0]: r for r in stack_table.rows}["data-prod"]
    assert (row[2], row[3], row[4]) == ("2", "1", "1")
    assert "evaluations (one check on one resource): 2 passed and 1 failed" in compliance_section(compliance_run()).charts[0].summary


def test_cli_writes_the_file_and_prints_nothing_on_stdout(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "estate.html"
    result = runner.invoke(app, ["report", "html", "--db", sample_db, "--today", TODAY.isoformat(), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Estate report" in html and "As of 2026-11-27" in html
    assert "run <code>borough report html --checks</code> to include it" in html


def test_cli_missing_register_is_exit_2_with_one_line_and_no_file(tmp_path: Path) -> None:
    out = tmp_path / "estate.html"
    result = runner.invoke(app, ["report", "html", "--db", f"sqlite:///{tmp_path / 'none.db'}", "--output", str(out)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) <= 2 and "Traceback" not in result.output
    assert not out.exists()


def test_cli_bad_date_is_exit_2_naming_the_option(sample_db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "html", "--db", sample_db, "--today", "31/02/2027", "--output", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "--today" in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_cli_checks_adds_compliance_per_stack_and_per_ncsc_principle(sample_db: str, tmp_path: Path) -> None:
    """The real run: synthesize and check every bundled stack (offline), as `check --all --framework ncsc`."""
    from policies.catalog import load_policies
    from policies.model import FrameworkId

    out = tmp_path / "estate.html"
    result = runner.invoke(app, ["report", "html", "--checks", "--db", sample_db, "--today", TODAY.isoformat(), "--output", str(out)])
    assert result.exit_code == 0, result.output
    page = Page(out.read_text(encoding="utf-8"))
    assert (2, "Compliance of the bundled stacks") in page.headings
    text = " ".join(" ".join(page.texts).split())
    for stack in ("platform-prod", "resident-services-dev", "resident-services-prod", "data-platform-prod"):
        assert stack in text
    requirements = load_policies(None).frameworks[FrameworkId.ncsc].requirements
    table = next(t for t in page.all("table") if t.get("id") == "compliance-table-1")
    assert table
    for req in requirements:
        assert req.title in text
    assert re.search(r"\d+ met, \d+ not met, \d+ not covered", text)
    assert len(page.all("svg")) == 8, "the check results per stack are charted too"


def test_demo_writes_the_report_and_prints_its_path(tmp_path: Path) -> None:
    borough = Path(sys.executable).with_name("borough")
    proc = subprocess.run([str(borough), "demo"], capture_output=True, text=True, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, check=False)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / ".borough" / "estate.html"
    assert f"estate report (HTML, for a board pack): {path}" in proc.stdout
    html = path.read_text(encoding="utf-8")
    assert "Compliance of the bundled stacks" in html and "NCSC principles" in html


def test_cli_checks_that_could_not_evaluate_everything_is_exit_3_and_says_so(sample_db: str, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Never a silent pass: a stack with nothing renderable makes the run incomplete."""
    import policies.request
    from policies.output.report import CheckReport, TargetSummary

    empty = TargetSummary(name="platform-prod", kind="stack", source="Pulumi.platform-prod.yaml", resources=2, rendered=0, checks_evaluated=0)
    monkeypatch.setattr(policies.request, "check", lambda request, progress=None: CheckReport(targets=[empty]))
    out = tmp_path / "estate.html"
    result = runner.invoke(app, ["report", "html", "--checks", "--db", sample_db, "--today", TODAY.isoformat(), "--output", str(out)])
    assert result.exit_code == 3
    text = " ".join(" ".join(Page(out.read_text(encoding="utf-8")).texts).split())
    assert "The run was incomplete: Pulumi.platform-prod.yaml: nothing to check (2 resource(s), none renderable)" in text
    assert "not checked" in text
