"""The HTML estate report in a real browser (headless Chromium through Playwright).

Axe-core's WCAG 2.0/2.1/2.2 A and AA rules find nothing, every control is reachable by keyboard
with a visible focus, the page asks the network for nothing, and at 320 px only the labelled
table regions scroll sideways. Screenshots are kept under tests/artifacts/ for a person to look at.

`make test` runs these through scripts/with-browser, which installs Chromium (Debian) and
axe-core (npm) when missing and sets BOROUGH_CHROMIUM and BOROUGH_AXE. Without them the tests
skip, unless running as root (as CI does), where a skip would hide a broken set-up: they fail.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from html_estates import REPO

ARTIFACTS = REPO / "tests" / "artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]


def _need(what: str, hint: str) -> None:
    message = f"{what} not found: run the tests through scripts/with-browser ({hint})"
    if os.geteuid() == 0:
        pytest.fail(message + "; as root the set-up installs it, so a skip here would hide a broken set-up")
    pytest.skip(message)


@pytest.fixture(scope="module")
def axe_source() -> str:
    path = Path(os.environ.get("BOROUGH_AXE", REPO / ".borough" / "npm" / "node_modules" / "axe-core" / "axe.min.js"))
    if not path.is_file():
        _need("axe-core", "npm install axe-core")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = os.environ.get("BOROUGH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        _need("Chromium", "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, sample_html: str, large_html: str, checks_html: str, names_only_html: str,
          medium_html: str) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    out = {}
    for name, html in (("sample", sample_html), ("large", large_html), ("checks", checks_html), ("names-only", names_only_html),
                       ("medium", medium_html)):
        out[name] = folder / f"estate-{name}.html"
        out[name].write_text(html, encoding="utf-8")
    return out


def open_page(browser: Any, path: Path, width: int = 1280, requests: list[str] | None = None, javascript: bool = True) -> Any:
    """A fresh page at ``width`` px; every request is recorded and any beyond the file is refused."""
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    own = path.resolve().as_uri()

    def route(r: Any) -> None:
        if requests is not None:
            requests.append(r.request.url)
        r.continue_() if r.request.url == own else r.abort()

    page.route("**/*", route)
    page.goto(own, wait_until="load")
    return page


@pytest.mark.parametrize("estate", ["sample", "large", "checks", "names-only", "medium"])
def test_axe_finds_no_wcag_violation(browser: Any, axe_source: str, pages: dict[str, Path], estate: str) -> None:
    page = open_page(browser, pages[estate])
    page.evaluate(axe_source)  # evaluated by the test harness: the page's CSP rightly refuses script tags
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
    violations = [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]
    print(json.dumps(violations, indent=2))
    assert violations == []
    assert result["testEngine"]["version"].startswith("4.")
    page.context.close()


@pytest.mark.parametrize("estate", ["sample", "large", "checks", "names-only", "medium"])
def test_every_landmark_and_region_has_a_name_of_its_own(browser: Any, axe_source: str, pages: dict[str, Path], estate: str) -> None:
    """axe-core's landmark-unique (a best practice, outside the WCAG tags): a section and a table inside it never share a name."""
    page = open_page(browser, pages[estate])
    page.evaluate(axe_source)
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'rule', values: ['landmark-unique', 'region']}})")
    violations = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]
    assert "landmark-unique" in [r["id"] for r in result["passes"]] and violations == []


@pytest.mark.parametrize("estate", ["sample", "large"])
def test_no_request_leaves_the_page(browser: Any, pages: dict[str, Path], estate: str) -> None:
    requests: list[str] = []
    page = open_page(browser, pages[estate], requests=requests)
    page.wait_for_load_state("networkidle")
    assert requests == [pages[estate].resolve().as_uri()]
    page.context.close()


def test_works_with_javascript_off(browser: Any, pages: dict[str, Path]) -> None:
    page = open_page(browser, pages["sample"], javascript=False)
    assert page.locator("h1").inner_text() == "Estate report"
    charts = page.locator("svg[role=img]")
    assert charts.count() == 7 and all((charts.nth(i).bounding_box() or {}).get("height", 0) > 100 for i in range(7))
    assert page.locator("table").count() > 10
    page.context.close()


def test_tab_reaches_every_control_with_a_visible_focus(browser: Any, pages: dict[str, Path]) -> None:
    page = open_page(browser, pages["sample"])
    expected = page.evaluate("""() => Array.from(document.querySelectorAll('a[href], [tabindex="0"], button, input, select, textarea, summary'))
                                  .map(e => e.outerHTML.slice(0, 80))""")
    reached, unfocused = [], []
    for _ in range(len(expected) + 1):
        page.keyboard.press("Tab")
        state = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
            const bg = s.backgroundColor;
            return {html: e.outerHTML.slice(0, 80), ring: !!ring, highlight: bg === 'rgb(255, 221, 0)'}; }""")
        if state["html"].startswith("<body"):
            break
        reached.append(state["html"])
        if not (state["ring"] or state["highlight"]):
            unfocused.append(state["html"])
    assert reached == expected, "tab order follows the page and reaches every control"
    assert unfocused == [], "every focused control shows it"
    assert reached[0].startswith('<a href="#main" class="skip-link"')
    page.context.close()


def test_skip_link_shows_on_focus_and_moves_to_main(browser: Any, pages: dict[str, Path]) -> None:
    page = open_page(browser, pages["sample"])
    page.keyboard.press("Tab")
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "visible once focused"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.context.close()


@pytest.mark.parametrize("estate", ["sample", "large"])
def test_at_320px_only_the_table_and_chart_regions_scroll_sideways(browser: Any, pages: dict[str, Path], estate: str) -> None:
    page = open_page(browser, pages[estate], width=320)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"page scrolls sideways at 320 px: {widths}"
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('main *')).filter(e => !e.closest('.table-scroll, .chart-scroll'))
                              .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                              .map(e => e.outerHTML.slice(0, 80))""")
    assert wide == [], "nothing outside a table or chart region runs off the screen"
    regions = page.evaluate("""() => Array.from(document.querySelectorAll('.table-scroll, .chart-scroll'))
                                 .filter(e => e.scrollWidth > e.clientWidth)
                                 .map(e => [e.getAttribute('tabindex'), e.getAttribute('role'), !!e.getAttribute('aria-labelledby')])""")
    assert regions and all(r == ["0", "region", True] for r in regions), "each region that scrolls is focusable and named"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"estate-{estate}-320px.png"), full_page=False)
    page.context.close()


def test_screenshots_for_a_person_to_look_at(browser: Any, pages: dict[str, Path]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = open_page(browser, pages["sample"])
    shots = {"top": None, "progress": "#progress", "waves": "#waves", "risk": "#risk", "time": "#time"}
    for name, anchor in shots.items():
        if anchor:
            page.evaluate("a => document.querySelector(a).scrollIntoView()", anchor)
        path = ARTIFACTS / f"estate-sample-{name}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000
    page.emulate_media(media="print")
    page.pdf(path=str(ARTIFACTS / "estate-sample-print.pdf"), format="A4")
    assert (ARTIFACTS / "estate-sample-print.pdf").stat().st_size > 10_000
    page.context.close()


def test_zoomed_to_200_percent_nothing_is_cut_off(browser: Any, pages: dict[str, Path]) -> None:
    """200% zoom of a 1280 px window is a 640 px viewport at twice the size: text still reflows."""
    context = browser.new_context(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto(pages["sample"].resolve().as_uri())
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]
    context.close()


A4_TEXT_WIDTH_PX = round((210 - 2 * 12) / 25.4 * 96)
"""The printed text width (A4 less the page's 12 mm margins) in CSS pixels."""


def test_the_sample_prints_on_at_most_six_a4_pages_with_chart_text_at_least_9pt(browser: Any, pages: dict[str, Path]) -> None:
    import re

    page = open_page(browser, pages["sample"], width=A4_TEXT_WIDTH_PX)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    printed = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 < printed <= 6, f"{printed} A4 pages"
    smallest = page.evaluate("""() => Math.min(...Array.from(document.querySelectorAll('svg[role=img]'))
        .filter(svg => svg.getBoundingClientRect().width > 0)
        .flatMap(svg => { const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                          return Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim())
                                 .map(t => parseFloat(getComputedStyle(t).fontSize) * scale); }))""")
    assert smallest * 0.75 >= 9, f"chart text prints at {smallest * 0.75:.1f} pt"
    page.context.close()


@pytest.mark.parametrize("estate", ["sample", "large", "names-only", "medium"])
def test_at_1280px_no_column_is_clipped_and_no_id_breaks(browser: Any, pages: dict[str, Path], estate: str) -> None:
    page = open_page(browser, pages[estate], width=1280)
    clipped = page.evaluate("""() => Array.from(document.querySelectorAll('.table-scroll'))
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.querySelector('caption').textContent)""")
    assert clipped == [], "every table fits at 1280 px"
    broken = page.evaluate("""() => Array.from(document.querySelectorAll('tbody th, tbody td'))
        .filter(c => { const head = c.closest('table').querySelectorAll('thead th')[c.cellIndex];
                       return head && ['system', 'depends on'].includes(head.textContent.trim()); })
        .filter(c => /^[a-z0-9]+(-[a-z0-9]+)+$/.test(c.textContent.trim()))
        .filter(c => { const r = document.createRange(); r.selectNodeContents(c);
                       const tops = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))); return tops.size > 1; })
        .map(c => c.textContent.trim())""")
    assert broken == [], f"ids broken across lines: {broken[:5]}"
    page.context.close()


def test_at_320px_a_chart_over_months_opens_at_its_latest_month(browser: Any, pages: dict[str, Path]) -> None:
    page = open_page(browser, pages["sample"], width=320)
    seen = page.evaluate("""() => Array.from(document.querySelectorAll('.chart-scroll--latest-first')).map(region => {
        const box = region.getBoundingClientRect();
        const labels = Array.from(region.querySelectorAll('.axis.x text')).filter(t => /^\\d{4}-\\d{2}$/.test(t.textContent.trim()));
        const visible = labels.filter(t => { const r = t.getBoundingClientRect(); return r.right > box.left && r.left < box.right; })
                              .map(t => t.textContent.trim());
        return [region.scrollWidth > region.clientWidth, labels.length ? labels[labels.length - 1].textContent.trim() : null, visible]; })""")
    assert len(seen) == 2, "progress by state and cost over time"
    for scrolls, latest, visible in seen:
        assert scrolls and latest in visible and visible[0] != "2025-12", (latest, visible)
    page.context.close()
