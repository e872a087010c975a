import re

from childplan_analysis import config
from childplan_analysis.assess import assess
from childplan_analysis.report import run_report, write_index


def test_report_html_has_one_chart_per_target_with_data(tmp_path):
    paths = run_report(config.NATIONAL_PLAN_FILE, config.NATIONAL_DATA_DIR, tmp_path, lang="zh")
    page = paths.html.read_text(encoding="utf-8")
    results = assess(config.NATIONAL_DATA_DIR, config.NATIONAL_PLAN_FILE, regions=["全国"])
    charts = len(re.findall(r'class="plotly-graph-div"', page))
    assert charts == 1 + int((results["n_points"] > 0).sum())  # status bar + one per target with data
    assert "中国儿童发展纲要" in page
    assert "import childplan_analysis" not in page and "prepare_report" not in page  # no code shown
    assert not re.search(r"<script[^>]*src=\"https?:", page)  # plotly embedded, works offline
    assert paths.counts and sum(paths.counts.values()) == len(results)
    index = write_index(tmp_path, [{"title": "<script>x</script>", "href": "a/report.html", "counts": paths.counts}])
    text = index.read_text(encoding="utf-8")
    assert "&lt;script&gt;x&lt;/script&gt;" in text and "<script>x" not in text
    assert 'href="a/report.html"' in text
