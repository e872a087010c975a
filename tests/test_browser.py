"""Generated reports opened in a real headless Chromium (Playwright, the system's browser).

Skipped where Chromium is missing, except in CI (``CI`` set), where that is a failure.
"""

import re
import shutil
import subprocess

import pytest
from conftest import require_in_ci

from childplan_analysis.core import config
from childplan_analysis.engine.assess import assess

REPORTS = {
    "annual": "national_children_2021_2030/report.html",
    "dashboard": "national_children_2021_2030_dashboard/report.html",
    "evaluation": "evaluation/chongqing_children_test_midterm/report.html",
}


def _open(browser, path, width=1200):
    """Open ``path``; returns the page, console errors and any request that left the machine."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors, remote = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            remote.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("Array.from(document.querySelectorAll('div.plotly-graph-div'))"
                           ".every(d => d.querySelector('svg.main-svg'))", timeout=20000)
    return page, errors, remote


def _expected_charts(kind: str) -> int:
    if kind == "annual":
        res = assess(config.NATIONAL_DATA_DIR, config.NATIONAL_PLAN_FILE, regions=["全国"])
        return 2 + int((res["n_points"] > 0).sum())  # status bar, scorecard, one fan chart per target with data
    return 1  # dashboard: heatmap; evaluation: status bar


@pytest.mark.parametrize("kind", list(REPORTS))
def test_report_renders_offline_without_errors(browser, built_reports, tmp_path, kind):
    path = built_reports / REPORTS[kind]
    page, errors, remote = _open(browser, path)
    rendered = page.locator("div.plotly-graph-div.js-plotly-plot").count()
    with_svg = page.evaluate("Array.from(document.querySelectorAll('div.plotly-graph-div'))"
                             ".filter(d => d.querySelector('svg.main-svg')).length")
    assert rendered == with_svg == _expected_charts(kind)
    assert errors == [] and remote == []
    shot = tmp_path / f"{kind}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()


def test_report_fits_a_phone_screen(browser, built_reports, tmp_path):
    page, errors, _ = _open(browser, built_reports / REPORTS["annual"], width=390)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1 and errors == []
    widths = page.evaluate("Array.from(document.querySelectorAll('div.plotly-graph-div'))"
                           ".map(d => d.getBoundingClientRect().width)")
    assert widths and max(widths) <= 390
    page.screenshot(path=str(tmp_path / "phone.png"))
    page.close()


def test_sortable_table_sorts_on_click(browser, built_reports):
    page, _, _ = _open(browser, built_reports / REPORTS["dashboard"])
    table = page.locator("table.sortable").first
    rank = table.locator("thead th").first  # 排名, numeric
    ranks = lambda: [int(x) for x in table.locator("tbody tr td:first-child").all_inner_texts()]  # noqa: E731
    assert ranks() == sorted(ranks())
    rank.click()
    rank.click()
    assert rank.get_attribute("aria-sort") == "descending"
    assert ranks() == sorted(ranks(), reverse=True) and len(ranks()) > 1
    page.close()


def test_cjk_fonts_installed():
    if shutil.which("fc-list") is None:
        require_in_ci("fontconfig not installed")
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    if not re.search(r"CJK|Hei|Song|WenQuanYi", fonts):
        require_in_ci("no Chinese font installed")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_summary_and_first_warnings_are_on_the_first_screen(browser, built_reports, tmp_path, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto((built_reports / REPORTS["annual"]).as_uri(), wait_until="load")
    summary = page.get_by_text("本期共监测").first.bounding_box()
    heading = page.locator("h2", has_text="预警（按责任单位）").first.bounding_box()
    row = page.locator("xpath=//h2[contains(., '预警（按责任单位）')]/following::table[1]/tbody/tr[1]").bounding_box()
    assert 0 <= summary["y"] < heading["y"] < row["y"]
    for box in (summary, heading, row):
        assert box["y"] + box["height"] <= height and box["x"] >= 0 and box["width"] > 0
    page.screenshot(path=str(tmp_path / f"first_{width}.png"))
    page.close()


def test_printed_indicator_names_wrap_over_at_most_four_lines(browser, built_reports):
    from childplan_analysis.report.export import PRINT_WIDTH_PX

    page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1000})
    page.emulate_media(media="print")
    page.goto((built_reports / REPORTS["annual"]).as_uri(), wait_until="load")
    lines = page.evaluate("""() => Array.from(document.querySelectorAll('table')).flatMap(table => {
        const heads = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim());
        const col = heads.indexOf('指标');
        if (col < 0) return [];
        return Array.from(table.querySelectorAll('tbody tr')).map(tr => {
            const td = tr.cells[col], range = document.createRange();
            range.selectNodeContents(td);
            const h = parseFloat(getComputedStyle(td).lineHeight) || 1.2 * parseFloat(getComputedStyle(td).fontSize);
            return Math.round(range.getBoundingClientRect().height / h);
        });
    })""")
    assert len(lines) >= 30 and max(lines) <= 4, lines
    page.close()
