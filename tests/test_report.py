import os
import re
import unicodedata

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import make_plan, series_frame
from typer.testing import CliRunner

from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.cli.app import app
from childplan_analysis.core import config
from childplan_analysis.core.indicators import DOMAIN_LABELS, load_indicators
from childplan_analysis.engine.assess import assess
from childplan_analysis.io.sources import load_observations
from childplan_analysis.report.build import (
    at_risk,
    attainment_table,
    chromium_path,
    data_quality_notes,
    find_plan,
    html_to_pdf,
    met_early,
    parent_comparison,
    region_ranking,
    regressing,
    warnings_by_responsible,
    write_index,
    write_workbook,
)


@pytest.fixture(scope="module")
def national_results():
    return assess(config.NATIONAL_DATA_DIR, config.NATIONAL_PLAN_FILE, regions=["全国"])


def _charts(page: str) -> int:
    return len(re.findall(r'class="plotly-graph-div"', page))


def test_annual_report_html_is_self_contained(built_reports, national_results):
    page = (built_reports / "national_children_2021_2030" / "report.html").read_text(encoding="utf-8")
    with_data = int((national_results["n_points"] > 0).sum())
    assert _charts(page) == 2 + with_data  # status bar + scorecard + one fan chart per target with data
    assert "中国儿童发展纲要" in page and "年度监测统计报告" in page
    for heading in ("总体情况", "分领域目标监测情况", "预警（按责任单位）", "数据质量说明"):
        assert heading in page
    assert "prepare_report" not in page and "import " not in re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert "left out of the exported report" not in page  # notes for analysts are removed
    assert not re.search(r"<(script|link|img)[^>]*(src|href)=\"(https?:)?//", page)  # nothing fetched
    assert 'name="viewport"' in page and "@media print" in page


def test_index_links_reports_and_escapes_labels(built_reports, tmp_path):
    index = (built_reports / "index.html").read_text(encoding="utf-8")
    assert 'href="national_children_2021_2030/report.html"' in index
    assert 'href="national_children_2021_2030/results.xlsx"' in index
    assert 'href="national_children_2021_2030_dashboard/report.html"' in index
    page = write_index(tmp_path, [{"title": "<script>x</script>", "href": "a/report.html",
                                   "counts": {"achieved": 3}}]).read_text(encoding="utf-8")
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    assert "已达标&nbsp;3" in page


def test_dashboard_has_heatmap_and_sortable_ranking(built_reports):
    page = (built_reports / "national_children_2021_2030_dashboard" / "report.html").read_text(encoding="utf-8")
    assert _charts(page) == 1
    assert page.count('class="sortable"') == 2
    regions = load_observations(config.NATIONAL_DATA_DIR)["region"].unique()
    assert all(r in page for r in regions)


def test_evaluation_in_english_compares_with_parent(built_reports):
    page = (built_reports / "evaluation" / "chongqing_children_test_midterm" / "report.html").read_text(encoding="utf-8")
    assert "Mid-term evaluation (2025)" in page
    assert "assessed as of <strong>2024</strong> (latest data 2022)" in page  # national data end in 2024
    assert "Attainment rate" in page and "Parent plan: 中国儿童发展纲要" in page
    assert "stricter" in page and "same" in page
    assert "预警" not in page  # English labels throughout (plan titles stay as published)


def test_workbook_has_a_sheet_per_domain_with_colours(built_reports, national_results):
    book = openpyxl.load_workbook(built_reports / "national_children_2021_2030" / "results.xlsx")
    domains = list(dict.fromkeys(national_results["domain"]))
    # then the data-quality notes, which the national data always have (sources, short series)
    assert book.sheetnames == ["合计", *[DOMAIN_LABELS[d]["zh"] for d in domains], "预警", "数据质量说明"]
    for d in domains:
        ws = book[DOMAIN_LABELS[d]["zh"]]
        assert ws.max_row - 1 == int((national_results["domain"] == d).sum())
        assert ws.freeze_panes == "A2"
        header = [c.value for c in ws[1]]
        status_col = openpyxl.utils.get_column_letter(header.index("状态") + 1)
        ranges = [str(r.sqref) for r in ws.conditional_formatting]
        assert any(r.startswith(status_col + "2") for r in ranges)
        rules = [rule.formula[0] for r in ws.conditional_formatting for rule in r.rules]
        assert '"已达标"' in rules and '"红"' in rules
    warned = national_results[national_results["warnings"] != ""]
    assert book["预警"].max_row - 1 == len(warned)


def test_workbook_in_english_with_shared_responsibility(tmp_path):
    plan = make_plan([
        {"indicator": "infant_mortality", "comparator": "<", "value": 5, "responsible": ["卫健委", "妇联"]},
        {"indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 95},
    ])
    rows = [("测试县", "infant_mortality", y, v) for y, v in zip(range(2015, 2023), [5, 5.5, 6, 6.4, 7, 7.3, 8, 8.5], strict=True)]
    rows += [("测试县", "preschool_gross_enrolment", 2022, 96.0)]
    obs = _obs(rows)
    results = assess(obs, plan, as_of=2022)
    path = write_workbook(results, tmp_path / "r.xlsx", plan, lang="en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Overall", "Health", "Education", "Warnings"]
    units = [book["Warnings"].cell(row=r, column=1).value for r in range(2, book["Warnings"].max_row + 1)]
    assert sorted(units) == ["卫健委", "妇联"]  # a shared target is listed under each unit


def _obs(rows) -> pd.DataFrame:
    return pd.DataFrame([{"region": r, "indicator": i, "year": y, "value": v, "unit": "", "sex": "total",
                          "area": "total", "age_group": "total", "subregion": "", "source": "test", "note": ""}
                         for r, i, y, v in rows])


def _results(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"plan_id": "p", "region": "甲", "indicator": "infant_mortality", "domain": "health",
            "attribute": "", "responsible": "", "target_year": 2030, "unit": "‰", "n_points": 5,
            "last_year": 2024.0, "last_value": 4.0, "projected": np.nan, "lower": np.nan, "upper": np.nan,
            "p_meet": np.nan, "status": "achieved", "warning_level": "green", "warnings": "", "reason": "",
            "model": "loglinear"}
    frame = pd.DataFrame({k: [v] * n for k, v in base.items()})
    for k, v in cols.items():
        frame[k] = v
    if "target_id" not in cols:
        frame["target_id"] = [f"t{i}" for i in range(n)]
    return frame


def test_attainment_rate_by_attribute_and_domain():
    res = _results(
        attribute=["binding", "binding", "binding", "expected", "expected", ""],
        domain=["health", "health", "education", "education", "education", "health"],
        status=["achieved", "achieved", "insufficient_data", "achieved", "on_track", "regressing"],
    )
    by_attr = attainment_table(res, "attribute").set_index("指标属性")
    assert by_attr.loc["约束性", "达标率"] == "100.0%" and by_attr.loc["约束性", "可监测"] == 2
    assert by_attr.loc["预期性", "达标率"] == "50.0%"
    assert by_attr.loc["未注明", "达标率"] == "0.0%"
    overall = attainment_table(res, None, "en")
    assert overall.iloc[0].tolist() == ["Overall", 6, 5, 3, "60.0%"]
    by_domain = attainment_table(res, "domain", "en").set_index("Domain")
    assert by_domain.loc["Education", "Attainment rate"] == "50.0%"


def test_evaluation_lists():
    res = _results(
        target_year=[2030, 2025, 2030, 2030, 2030],
        status=["achieved", "achieved", "acceleration_needed", "regressing", "on_track"],
        warnings=["", "", "off_track", "off_track;regressing", "volatile"],
    )
    assert met_early(res, 2025)["target_id"].tolist() == ["t0"]
    assert at_risk(res)["target_id"].tolist() == ["t2", "t3"]
    assert regressing(res)["target_id"].tolist() == ["t3"]


def test_warnings_grouped_by_unit_with_reasons_in_words():
    res = _results(
        indicator=["infant_mortality", "infant_mortality", "under5_mortality"],
        responsible=["区卫健委、区教委", "区卫健委", ""],
        warning_level=["yellow", "red", "yellow"],
        warnings=["volatile", "off_track", "stale_data"],
        status=["on_track", "acceleration_needed", "achieved"],
        p_meet=[0.7, 0.12, np.nan], projected=[3.0, 6.2, np.nan], required_rate=[np.nan, -0.5, np.nan],
        observed_rate=[np.nan, 0.1, np.nan], last_year=[2024.0, 2024.0, 2019.0],
    )
    table = warnings_by_responsible(res)
    assert table["责任单位"].tolist() == ["区卫健委", "区卫健委", "区教委", "（未注明责任单位）"]
    assert table["预警等级"].tolist()[:2] == ["红", "黄"]  # red first within a unit
    red = table.iloc[0]["说明"]
    assert "达标概率12%" in red and "预计2030年为6.2‰" in red and "需年均变化-0.5" in red
    assert "2019年" in table.iloc[3]["说明"]
    english = warnings_by_responsible(res, lang="en")
    assert "probability of meeting it 12%" in english.iloc[0]["Note"]


def test_a_target_naming_no_unit_is_listed_under_its_indicators_unit():
    """A text clause naming no unit and a table row naming one, on one indicator: the clause's
    warning is the table's unit's, and says where the unit came from; another region's is not."""
    res = _results(
        target_id=["table_2025", "text_2030", "other_region"],
        region=["甲", "甲", "乙"],
        responsible=["区卫健委", "", ""],
        warning_level=["green", "red", "red"], warnings=["", "off_track", "off_track"],
        status=["achieved", "acceleration_needed", "acceleration_needed"],
    )
    table = warnings_by_responsible(res)
    assert table["责任单位"].tolist() == ["区卫健委", "（未注明责任单位）"]
    assert table.iloc[0]["说明"].endswith("（责任单位取自该指标的其他目标）")
    assert not table.iloc[1]["说明"].endswith("（责任单位取自该指标的其他目标）")
    from childplan_analysis.report.tables import overview

    assert "区卫健委——" in overview(res)[2]


def test_parent_comparison_with_parent_plan_and_region(plans_dir):
    plan = load_plan(plans_dir / "chongqing.yaml")
    parent_path = find_plan(plan.parent, plans_dir)
    assert parent_path is not None and parent_path.name == config.NATIONAL_PLAN_FILE.name
    obs = load_observations(config.NATIONAL_DATA_DIR)
    results = assess(obs, plan, as_of=2025, regions=["重庆市"])
    table = parent_comparison(results, plan, load_plan(parent_path), obs, "en").set_index("Indicator")
    assert table.loc["Infant mortality rate", "Comparison"] == "stricter"  # < 4.5 vs < 5
    assert table.loc[load_indicators().by_id["under5_mortality"].name("en"), "Comparison"] == "same"
    assert table.loc["Infant mortality rate", "Meets parent target"] == "yes"
    national = obs[(obs["region"] == "全国") & (obs["indicator"] == "infant_mortality")
                   & (obs["area"] == "total")].sort_values("year").iloc[-1]
    assert table.loc["Infant mortality rate", "Parent region latest"] == f"{national['value']:.4g} ({national['year']})"
    assert parent_comparison(results, plan, None).empty
    assert find_plan("no_such_plan", plans_dir) is None


def test_region_ranking_orders_by_red_then_warnings_then_yellow():
    res = _results(region=["甲", "甲", "乙", "乙", "丙", "丙", "丁", "丁"],
                   warning_level=["green", "yellow", "red", "green", "yellow", "yellow", "yellow", "yellow"],
                   warnings=["", "stale_data", "off_track;regressing", "", "volatile", "off_track", "", ""],
                   status=["achieved", "achieved", "regressing", "achieved", "on_track", "insufficient_data",
                           "insufficient_data", "insufficient_data"])
    table = region_ranking(res)
    assert table["地区"].tolist() == ["乙", "丙", "甲", "丁"]  # 丁 lacks data but raised no warning
    assert table["排名"].tolist() == [1, 2, 3, 4]
    by_region = table.set_index("地区")
    assert by_region.loc["乙", "预警数"] == 2 and by_region.loc["丁", "黄色预警"] == 2
    assert by_region.loc["丙", "达标率"] == "0.0%" and by_region.loc["丁", "达标率"] == "—"


def test_data_quality_notes_report_rejected_rows_and_gaps(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("region,indicator,year,value\n甲,婴儿死亡率,2020,5\n甲,婴儿死亡率,2021,abc\n甲,婴儿死亡率,2022,—\n",
                 encoding="utf-8")
    obs = load_observations(f, errors="report")
    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 5},
                      {"indicator": "preschool_gross_enrolment", "comparator": ">=", "value": 95}], region="甲")
    results = assess(obs, plan, as_of=2024)
    notes = data_quality_notes(obs, results)
    assert notes[0].startswith("输入数据中有1行未载入")  # abc; the — of 2022 is a value not reported
    assert notes[1] == "1个数值在表中写作“—”（未填报），按缺失处理，未计入评估：d.csv：婴儿死亡率 2022年。"
    assert any(n.startswith("1项目标（共2项）没有任何监测数据") for n in notes)
    assert any("仅有1年数据" in n for n in notes)


@pytest.fixture
def need_chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium fonts-noto-cjk)")
        pytest.skip("Chromium not installed")


def test_pdf_has_pages_and_the_scorecard(built_reports, tmp_path, need_chromium):
    pypdf = pytest.importorskip("pypdf")
    pdf = html_to_pdf(built_reports / "national_children_2021_2030" / "report.html", tmp_path / "r.pdf")
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 1
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages))
    text = re.sub(r"\s+", "", text)
    assert "分领域目标监测情况" in text and "婴儿死亡率" in text and "已达标" in text


def test_cli_report_rejects_bad_options(tmp_path):
    runner = CliRunner()
    args = ["report", "--plan", str(config.NATIONAL_PLAN_FILE), "--data", str(config.NATIONAL_DATA_DIR),
            "--out", str(tmp_path)]
    assert runner.invoke(app, [*args, "--stage", "yearly"]).exit_code == 2
    assert runner.invoke(app, [*args, "--lang", "fr"]).exit_code == 2
    assert not (tmp_path / "index.html").exists()


def test_notebooks_are_generated_and_committed_without_outputs():
    import subprocess
    import sys

    import nbformat

    script = config.PROJECT_ROOT / "scripts" / "make_notebooks.py"
    res = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout
    for name in ("explore", "region_report", "evaluation", "dashboard"):
        nb = nbformat.read(config.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code)
        if name != "explore":
            assert "parameters" in code[0].metadata.get("tags", [])


def test_evaluation_year_is_the_stage_year_or_the_latest_data():
    from childplan_analysis.report.build import evaluation_year, stage_year

    plan = make_plan([{"indicator": "infant_mortality", "comparator": "<", "value": 5}])
    assert (stage_year(plan, "midterm"), stage_year(plan, "final")) == (2025, 2030)
    early = pd.DataFrame({"year": [2019, 2024]})
    late = pd.DataFrame({"year": [2019, 2031]})
    assert evaluation_year(plan, "midterm", early) == 2024 and evaluation_year(plan, "final", early) == 2024
    assert evaluation_year(plan, "midterm", late) == 2025 and evaluation_year(plan, "final", late) == 2030
    assert evaluation_year(plan, "final", early, as_of=2030) == 2030
    with pytest.raises(ValueError, match="midterm or final"):
        stage_year(plan, "annual")


def test_index_lists_sub_folder_reports_as_sections(tmp_path):
    from childplan_analysis.report.build import write_index

    demo = tmp_path / "demo"
    demo.mkdir()
    write_index(demo, [{"title": "磐石市", "href": "p/report.html", "xlsx": "p/results.xlsx",
                        "counts": {"achieved": 2}}], title="演示地区<合成>")
    page = write_index(tmp_path, [{"title": "全国", "href": "n/report.html", "counts": {}}]).read_text(encoding="utf-8")
    assert 'href="n/report.html"' in page and 'href="demo/p/report.html"' in page
    assert 'href="demo/p/results.xlsx"' in page
    assert "<h2>演示地区&lt;合成&gt;</h2>" in page


def test_region_report_gaps_cover_widening_gaps_of_the_demo_city():
    from childplan_analysis.report import notebook as nb

    ctx = nb.prepare_report(str(config.PARAMS_DIR / "jilin_city_children_2021_2030.yaml"),
                            str(config.DATA_DIR / "demo"))
    gaps = ctx.gaps()
    assert set(gaps["region"]) == set(ctx.regions)
    assert {"sex", "area", "subregion"} <= set(gaps["dimension"])
    assert (gaps["verdict"] == "widening").any()
    assert set(gaps.loc[gaps["verdict"] == "widening", "warnings"]) == {"widening_gap"}


def test_region_report_reads_a_given_assessment_instead_of_assessing_again(tmp_path, monkeypatch,
                                                                           national_results):
    from childplan_analysis.core.errors import DataError
    from childplan_analysis.report import notebook as nb

    path = tmp_path / "results.parquet"
    national_results.to_parquet(path, index=False)

    def no_assess(*a, **k):
        raise AssertionError("assessed again")

    monkeypatch.setattr(nb, "assess", no_assess)
    ctx = nb.prepare_report(config.NATIONAL_PLAN_FILE, config.NATIONAL_DATA_DIR, results_path=path)
    pd.testing.assert_frame_equal(ctx.results, national_results.reset_index(drop=True))
    assert ctx.charts() is ctx.charts()  # built once, reused by the checks cell
    national_results.iloc[:3].to_parquet(path, index=False)
    with pytest.raises(DataError, match="results.parquet: 3 assessment rows"):
        nb.prepare_report(config.NATIONAL_PLAN_FILE, config.NATIONAL_DATA_DIR, results_path=path)


RAW_CODES = ("series_break", "off_track", "stale_data", "acceleration_needed", "insufficient_data",
             "on_track", "regressing", "volatile")


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", "", page)


def test_region_report_opens_with_a_summary_before_warnings_domains_and_charts(built_reports, national_results):
    page = (built_reports / "national_children_2021_2030" / "report.html").read_text(encoding="utf-8")
    res = national_results
    met, no_data = int((res["status"] == "achieved").sum()), int((res["status"] == "insufficient_data").sum())
    rate = f"{met / (len(res) - no_data):.1%}"
    line = f"达标率 {rate}（{met}/{len(res) - no_data} 项可监测目标；另有 {no_data} 项无法监测）"
    text = _visible_text(page)
    assert line in text and f"本期共监测{len(res)}项目标" in text
    order = [text.index(h) for h in ("总体情况", line, "预警（按责任单位）", "分领域目标监测情况", "各项目标趋势与预测")]
    assert order == sorted(order)
    assert page.index("达标率 ") < page.index('class="plotly-graph-div"')
    assert f"数据截至 {int(res['last_year'].max())}年" in text
    for code in RAW_CODES:
        assert code not in text, code


def test_summary_names_red_warnings_by_unit_and_rounds_with_units():
    from childplan_analysis.report import notebook as nb
    from childplan_analysis.report.build import scorecard

    ctx = nb.prepare_report(config.PARAMS_DIR / "panshi_children_2021_2030.yaml", config.DATA_DIR / "demo")
    res = ctx.results
    summary = "".join(ctx.overview())
    red = res[res["warning_level"] == "red"]
    assert len(red) and f"红色预警{len(red)}项" in summary
    names = {ctx.indicators.by_id[i].name("zh") for i in red["indicator"]}
    assert all(n in summary for n in names)
    risk = int(res["status"].isin(["acceleration_needed", "regressing"]).sum())
    assert f"达标困难{risk}项" in summary
    table = warnings_by_responsible(res, ctx.plan)
    reasons = " ".join(table["说明"])
    assert "个百分点/年" in reasons and "‰/年" in reasons
    assert not re.search(r"\d\.\d{4,}", reasons + " ".join(table["最新值"]))  # rounded
    card = scorecard(res, ctx.plan)
    assert (card.loc[res["status"].eq("achieved").to_numpy(), "达标概率"] == "").all()
    en = " ".join(nb.ReportContext(ctx.plan, ctx.observations, res, ctx.regions, None, "en").overview())
    assert "Attainment rate" in en and f"{len(red)} red warnings" in en
    assert not re.search(r"[\u4e00-\u9fff]", en.split("red warnings")[0])


def test_summary_tells_two_red_milestones_of_one_indicator_apart():
    """A 2025 and a 2030 target of one indicator, both red, are named with their target years."""
    from childplan_analysis.report.tables import overview

    plan = make_plan([
        {"indicator": "pediatricians_per_1000_children", "comparator": ">=", "value": 0.87, "year": 2025},
        {"indicator": "pediatricians_per_1000_children", "comparator": ">=", "value": 1.12, "year": 2030},
    ])
    values = {2019: 0.60, 2020: 0.62, 2021: 0.61, 2022: 0.63, 2023: 0.62, 2024: 0.63}
    res = assess(series_frame(values, "pediatricians_per_1000_children"), plan, as_of=2024)
    assert list(res["warning_level"]) == ["red", "red"]
    summary = "".join(overview(res, plan))
    assert "（2025年目标）" in summary and "（2030年目标）" in summary


def test_index_shows_warning_counts_and_run_status(built_reports, tmp_path, national_results):
    index = (built_reports / "index.html").read_text(encoding="utf-8")
    yellow = int((national_results["warning_level"] == "yellow").sum())
    assert f"黄色预警&nbsp;{yellow}" in index and "红色预警&nbsp;0" in index
    assert "运行 Run" not in index  # no run status given by the report command
    page = write_index(tmp_path, [
        {"title": "甲", "href": "a/report.html", "counts": {}, "red": 2, "yellow": 1, "status": "ok"},
        {"title": "乙", "href": "b/partial.ipynb", "counts": {}, "status": "failed", "error_kind": "timeout",
         "partial_output": "b/partial.ipynb"}]).read_text(encoding="utf-8")
    assert "运行 Run" in page and "红色预警&nbsp;2" in page and "黄色预警&nbsp;1" in page
    assert "失败 (timeout)" in page and 'href="b/partial.ipynb">部分输出' in page


def test_explore_notebook_takes_papermill_parameters():
    import nbformat

    nbk = nbformat.read(str(config.NOTEBOOKS_DIR / "explore.ipynb"), as_version=4)
    tagged = [c for c in nbk.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "data_path" in tagged[0].source


def test_workbook_values_are_numeric_cells(built_reports, national_results):
    book = openpyxl.load_workbook(built_reports / "national_children_2021_2030" / "results.xlsx")
    ws = book[DOMAIN_LABELS[national_results["domain"].iloc[0]]["zh"]]
    header = [c.value for c in ws[1]]
    for name in ("最新值", "最新年份", "目标年"):
        cells = [row[header.index(name)] for row in ws.iter_rows(min_row=2) if row[header.index(name)].value is not None]
        assert cells and all(c.data_type == "n" for c in cells), name
    p_cells = [row[header.index("达标概率")] for row in ws.iter_rows(min_row=2)
               if row[header.index("达标概率")].value is not None]
    assert all(c.data_type == "n" and 0 <= c.value <= 1 and c.number_format == "0%" for c in p_cells)


def test_assess_out_xlsx_is_chinese_with_numeric_cells(tmp_path, national_results):
    from childplan_analysis.report.build import write_results

    path = write_results(national_results, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert {"状态", "预警等级", "预警", "最新值", "指标名称", "达标概率"} <= set(header)
    assert not [h for h in header if re.fullmatch(r"[a-z_]+", str(h))]  # every heading translated
    statuses = {row[header.index("状态")].value for row in ws.iter_rows(min_row=2)}
    assert "已达标" in statuses and not statuses & set(national_results["status"])  # no raw status code
    values = [row[header.index("最新值")] for row in ws.iter_rows(min_row=2) if row[header.index("最新值")].value is not None]
    assert values and all(c.data_type == "n" for c in values)
    en = openpyxl.load_workbook(write_results(national_results, tmp_path / "e.xlsx", lang="en")).active
    assert "Status" in [c.value for c in en[1]]


@pytest.mark.skipif(chromium_path() is None, reason="needs Chromium")
def test_word_report_has_summary_warning_table_and_one_image_per_chart(tmp_path):
    import docx

    from childplan_analysis.report.build import export_docx, overview
    from childplan_analysis.report.figures import status_bar

    plan = load_plan(config.PARAMS_DIR / "panshi_children_2021_2030.yaml")
    res = assess(config.DATA_DIR / "demo", plan, regions=[plan.region])
    figs = [status_bar(res), status_bar(res, "en")]
    doc = docx.Document(str(export_docx(res, plan, tmp_path / "r.docx", figures=figs)))
    text = [p.text for p in doc.paragraphs]
    assert "".join(overview(res, plan)) in text
    warn = doc.tables[0]
    assert [c.text for c in warn.rows[0].cells][0] == "责任单位"
    assert len(warn.rows) - 1 == len(warnings_by_responsible(res, plan))
    assert len(doc.tables[1].rows) - 1 == len(res)
    assert len(doc.inline_shapes) == len(figs)


def test_single_file_reports_embed_the_smallest_plotlyjs_that_draws_them(built_reports):
    from childplan_analysis.report.bundles import bundle_source

    annual = built_reports / "national_children_2021_2030"
    page = (annual / "report.html").read_text(encoding="utf-8")
    assert re.findall(r'<script data-plotlyjs="(\w+)">', page) == ["basic"]
    assert "x-childplan-plotlyjs" not in page  # the placeholder is gone
    assert len(page.encode()) < 1.5e6 < len(bundle_source("full").encode())
    assert "plotly.js v" not in (annual / "report.ipynb").read_text(encoding="utf-8")  # library only in HTML
    dashboard = (built_reports / "national_children_2021_2030_dashboard" / "report.html").read_text(encoding="utf-8")
    assert re.findall(r'<script data-plotlyjs="(\w+)">', dashboard) == ["cartesian"]  # its heatmap
    assert page.count("window.childplanTemplates[0]") == _charts(page)  # one template for all charts


def test_plotlyjs_bundle_choice_falls_back_to_the_full_library():
    import nbformat

    from childplan_analysis.report.bundles import (
        PLACEHOLDER,
        bundle_for,
        embed_plotlyjs,
        notebook_trace_types,
    )

    assert bundle_for({"scatter", "bar"}) == "basic" and bundle_for({"heatmap", "bar"}) == "cartesian"
    assert bundle_for({"scattergeo"}) == "full" and bundle_for(set()) == "basic"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"application/vnd.plotly.v1+json": {"data": [{"type": "sankey"}, {}]},
                              "text/html": "<div></div>"})])])
    assert notebook_trace_types(nb) == {"sankey", "scatter"}
    nb.cells[0].outputs.append(nbformat.v4.new_output("display_data", data={
        "text/html": "<script>Plotly.newPlot('x', [])</script>"}))
    assert notebook_trace_types(nb) is None  # a figure of unknown traces
    page = f"<body>{PLACEHOLDER}<p>a</p>{PLACEHOLDER}</body>"
    full = embed_plotlyjs(page, None)
    assert full.count("<script data-plotlyjs=\"full\">") == 1 and PLACEHOLDER not in full
    assert embed_plotlyjs(page, {"sankey"}).startswith('<body><script data-plotlyjs="full">')
    assert embed_plotlyjs("<body></body>", {"scatter"}) == "<body></body>"  # a page sharing plotly.js


def test_page_styles_keep_only_rules_and_properties_the_page_uses():
    from childplan_analysis.report.css import prune_page_styles

    css = (":root{--used:#123;--unused:#456;--via:var(--inner);--inner:1px}"
           ".jp-Notebook{color:var(--used)}.jp-FileBrowser{color:var(--unused)}"
           "table td, .jp-Sidebar td{border:var(--via)}"
           "@media print{.jp-Notebook{margin:0}.jp-Launcher{margin:0}}@font-face{font-family:x}")
    page = f'<html><head><style>{css}</style></head><body><div class="jp-Notebook"><table></table></div></body></html>'
    out = prune_page_styles(page)
    assert ".jp-Notebook{color:var(--used)}" in out and "--used:#123" in out
    assert "jp-FileBrowser" not in out and "--unused" not in out and "jp-Launcher" not in out
    assert "table td{border:var(--via)}" in out and "--inner:1px" in out  # used through another property
    assert "@media print{.jp-Notebook{margin:0}" in out and "@font-face" in out


def test_report_lists_changes_since_the_previous_report(tmp_path):
    from childplan_analysis.report.changes import compare_results, read_previous
    from childplan_analysis.report.run import run_report

    first = run_report(config.NATIONAL_PLAN_FILE, config.NATIONAL_DATA_DIR, tmp_path, as_of=2020)
    assert (first.folder / "results_2020.parquet").is_file()
    assert "与上期报告相比" not in first.html.read_text(encoding="utf-8")
    second = run_report(config.NATIONAL_PLAN_FILE, config.NATIONAL_DATA_DIR, tmp_path)
    latest = int(load_observations(config.NATIONAL_DATA_DIR)["year"].max())
    assert second.extra["results"] == second.folder / f"results_{latest}.parquet"
    before = read_previous(first.folder / "results_2020.parquet")
    now = assess(config.NATIONAL_DATA_DIR, config.NATIONAL_PLAN_FILE, regions=["全国"])
    changes = compare_results(now, before)
    changed = now.merge(before[["target_id", "status", "warnings"]], on="target_id", suffixes=("", "_b"))
    differs = (changed["status"] != changed["status_b"]) | (
        changed["warnings"].map(lambda w: set(w.split(";")) - {""}) != changed["warnings_b"].map(
            lambda w: set(w.split(";")) - {""}))
    assert len(changes) == int(differs.sum()) > 0
    text = _visible_text(second.html.read_text(encoding="utf-8"))
    n_status = int((changes["status"] != changes["status_before"]).sum())
    assert f"与2020年报告相比：{n_status}项目标状态变化" in text
    assert text.index("总体情况") < text.index("与2020年报告相比") < text.index("预警（按责任单位）")
    with pytest.raises(Exception, match="missing columns"):
        read_previous(_write_csv(tmp_path / "bad.csv", "region,target\n全国,x\n"))


def _write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_pdf_is_a4_with_sections_starting_new_pages(built_reports, tmp_path, need_chromium):
    pypdf = pytest.importorskip("pypdf")
    pdf = html_to_pdf(built_reports / "national_children_2021_2030" / "report.html", tmp_path / "r.pdf")
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) > 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    texts = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", p.extract_text())) for p in reader.pages]
    for heading in ("三、分领域目标监测情况", "四、各项目标趋势与预测", "六、数据质量说明"):
        assert any(t.startswith(heading) for t in texts), heading
    assert "一、总体情况" in texts[0] and "二、预警" in "".join(texts[:2])


def test_report_command_takes_last_years_results_from_elsewhere(tmp_path):
    """``childplan report --previous FILE``: last year's results kept in another folder."""
    runner = CliRunner()
    base = ["report", "--plan", str(config.NATIONAL_PLAN_FILE), "--data", str(config.NATIONAL_DATA_DIR)]
    res = runner.invoke(app, [*base, "--out", str(tmp_path / "2020"), "--as-of", "2020"])
    assert res.exit_code == 0, res.output
    previous = next((tmp_path / "2020").rglob("results_2020.parquet"))
    res = runner.invoke(app, [*base, "--out", str(tmp_path / "now"), "--previous", str(previous)])
    assert res.exit_code == 0, res.output
    page = next((tmp_path / "now").rglob("report.html")).read_text(encoding="utf-8")
    assert "与2020年报告相比" in _visible_text(page)


def test_changes_name_status_moves_and_warnings_raised_or_cleared():
    from childplan_analysis.report.changes import changes_summary, compare_results

    before = pd.DataFrame({"region": ["甲县"] * 4, "target_id": ["a", "b", "c", "gone"],
                           "indicator": ["infant_mortality", "under5_mortality", "neonatal_mortality", "x"],
                           "status": ["on_track", "achieved", "acceleration_needed", "achieved"],
                           "warnings": ["", "stale_data", "off_track;volatile", ""]})
    now = pd.DataFrame({"region": ["甲县"] * 4, "target_id": ["a", "b", "c", "new"],
                        "indicator": ["infant_mortality", "under5_mortality", "neonatal_mortality", "y"],
                        "status": ["regressing", "achieved", "acceleration_needed", "on_track"],
                        "warnings": ["regressing", "", "volatile;off_track", ""],
                        "shrinkage": [0.1, 0.2, 0.3, 0.4]})  # further engine columns are ignored
    changes = compare_results(now, before)
    assert changes[["target_id", "status_before", "status", "warnings_new", "warnings_cleared"]].values.tolist() == [
        ["a", "on_track", "regressing", "regressing", ""], ["b", "achieved", "achieved", "", "stale_data"]]
    text = changes_summary(changes, 2023)
    assert text.startswith("与2023年报告相比：1项目标状态变化（婴儿死亡率（按期可达标→逆向变化））")
    assert "1项新增预警（婴儿死亡率（" in text and "1项预警解除（5岁以下儿童死亡率）" in text


def test_a_short_series_warning_says_it_is_judged_on_its_latest_value():
    """A two-point series behind its target whose borrowed trend would meet it: the warning says
    the latest value misses and shows the borrowed projection, not 'likely to be missed (94 %)'."""
    from childplan_analysis import assess, load_observations, load_plan
    from childplan_analysis.report.labels import explain_warnings

    obs = load_observations(config.NATIONAL_DATA_DIR)
    results = assess(obs, load_plan(config.NATIONAL_PLAN_FILE), regions=["全国"])
    short = results[(results["n_points"] < config.MIN_POINTS) & results["warnings"].str.contains("off_track")]
    assert len(short)
    for _, row in short.iterrows():
        text = explain_warnings(row)
        assert text.startswith(f"最新值（{int(row['last_year'])}年") and "按最新值判断" in text
        assert "难以按期达标" not in text
        if pd.notna(row["p_meet"]):
            assert f"达标概率{row['p_meet']:.0%}" in text
        assert "judged on the latest" in explain_warnings(row, "en")


def test_a_reason_shown_in_the_report_drops_folders_but_keeps_formulas_and_units():
    from childplan_analysis.report.tables import plain_reason

    assert plain_reason("/srv/县/data/填报表.xlsx [卫健]: 单元格 D4 是公式 =E3/F3*1000，没有计算结果（formula）") == (
        "填报表.xlsx [卫健]: 单元格 D4 是公式 =E3/F3*1000，没有计算结果")
    assert plain_reason("单位 1/10万 不能换算为 %（unit）") == "单位 1/10万 不能换算为 %"
    assert plain_reason(r"D:\统计\2024\妇联.csv row 7: 不是数字（not a number）") == "妇联.csv 第 7 行: 不是数字"
