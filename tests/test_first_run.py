"""A county analyst's first run: ``init`` from the plan document, departments fill the
generated 填报表 (a share typed as a fraction, another department's file naming the region
differently), then ``validate`` and the checks ``report`` prints before it runs."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from plan_documents import init_workspace, table_docx
from typer.testing import CliRunner

from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.cli.app import app
from childplan_analysis.cli.checks import rows_outside, suspect_fractions
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.io.sources import load_observations

runner = CliRunner()
ENV = {"COLUMNS": "200", "CHILDPLAN_LANG": "zh"}
PLAN = [
    ("h", "临川县妇女发展规划（2021—2030年）"),
    ("h", "（一）妇女与健康"),
    ("p", "主要目标："),
    ("p", "1. 孕产妇死亡率控制在10/10万以下。"),
    ("p", "2. 孕产妇系统管理率保持在90%以上。"),
    ("p", "3. 婚前医学检查率提高到65%。"),
    ("h", "二、组织实施"),
]


def _plan_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    for kind, text in PLAN:
        if kind == "h":
            d.add_heading(text, 1)
        else:
            d.add_paragraph(text)
    d.save(str(path))
    return path


def _row_of(ws, name: str) -> int:
    return next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == name)


def _col_of(ws, year: int) -> int:
    return next(c for c in range(1, ws.max_column + 1) if ws.cell(4, c).value == f"{year}年")


@pytest.fixture()
def county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    plan = _plan_docx(tmp_path / "规划.docx")
    folder = tmp_path / "linchuan"
    res = runner.invoke(app, ["init", str(folder), "--plan", str(plan), "--current-year", "2024"], env=ENV)
    assert res.exit_code == 0, res.output
    monkeypatch.chdir(folder)
    return folder, res.output


def _fill(folder: Path, values: dict[str, dict[int, object]]) -> None:
    path = folder / "data" / "填报表.xlsx"
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for name, by_year in values.items():
            if any(ws.cell(r, 1).value == name for r in range(5, ws.max_row + 1)):
                for year, value in by_year.items():
                    ws.cell(_row_of(ws, name), _col_of(ws, year)).value = value
    book.save(path)


def _department_file(folder: Path, name: str, by_year: dict[int, float], region: str = "临川县",
                     file: str = "卫健局.xlsx") -> Path:
    """Another department's own form (title, 填报单位 line, years across) with one indicator."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["县卫生健康局 妇幼健康主要指标"])
    ws.append(["填报单位：县卫健局妇幼股", None, f"地区：{region}"])
    ws.append(["指标名称", "单位", *[f"{y}年" for y in by_year]])
    ws.append([name, "%", *by_year.values()])
    path = folder / "data" / file
    book.save(path)
    return path


def test_init_tells_the_next_steps_in_chinese(county: tuple[Path, str]) -> None:
    _, out = county
    assert "层级 县级" in out and "county" not in out
    # the analyst is told to check the draft and fill the workbook before validating
    steps = out[out.index("下一步"):]
    assert steps.index("核对") < steps.index("填报表.xlsx") < steps.index("childplan validate") < steps.index(
        "childplan report")


def test_validate_headers_are_chinese(county: tuple[Path, str]) -> None:
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "读取行数" in res.output and "rows_read" not in res.output


def test_share_typed_as_fraction_is_named_by_validate(county: tuple[Path, str]) -> None:
    folder, _ = county
    # within one table the loader rejects it, naming the likely value
    _fill(folder, {"孕产妇系统管理率": {2020: 91.2, 2021: 92.0, 2022: 0.953, 2023: 93.1},
                   "孕产妇死亡率": {2021: 8.1, 2022: 7.4, 2023: 6.9}})
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 1
    assert "0.953" in res.output and "95.3%" in res.output and "2022年" in res.output
    # a fraction sent alone in another department's file is loaded, and the analyst is told
    _fill(folder, {"孕产妇系统管理率": {2022: 95.3}})
    _department_file(folder, "孕产妇系统管理率", {2024: 0.94})
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 0, res.output
    line = next(s for s in res.output.splitlines() if "疑似单位错误" in s)
    assert "孕产妇系统管理率" in line and "2024年" in line and "0.94%" in line and "94%" in line
    assert res.output.count("疑似单位错误") == 1  # the other values and the mortality series are fine


def test_other_departments_region_spelling_is_not_silently_dropped(county: tuple[Path, str]) -> None:
    folder, _ = county
    _fill(folder, {"婚前医学检查率": {2021: 55.0, 2022: 57.5}})
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "妇幼健康"
    ws.append(["县卫生健康局 妇幼健康主要指标"])
    ws.append(["填报单位：县卫健局妇幼股", None, "地区：临川"])
    ws.append(["指标名称", "单位", "2022年", "2023年"])
    ws.append(["婚前医学检查率", "%", 56.9, 60.2])
    book.save(folder / "data" / "卫健局.xlsx")
    # 临川 is 临川县 without its suffix, and no other place in the data could be meant: merged, said
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "'临川' 视为 '临川县'（卫健局.xlsx）" in res.output and "不属于规划地区" not in res.output
    # its 2022 value differs from the 填报表's: a conflict between files, listed; its 2023 is used
    assert "临川县 婚前医学检查率 2022" in res.output
    obs = load_observations(folder / "data", errors="report", plan=load_plan(next(folder.glob("*.yaml"))))
    assert obs.set_index("year")["value"].to_dict() == {2021: 55.0, 2022: 57.5, 2023: 60.2}
    # beside 临川市, 临川 could be either place: left apart, and the analyst is told why
    _department_file(folder, "婚前医学检查率", {2024: 61.0}, region="临川市", file="统计局.xlsx")
    res = runner.invoke(app, ["validate"], env=ENV)
    line = next(s for s in res.output.splitlines() if "可能是规划地区" in s)
    assert "「临川」" in line and "「临川市」" in line and "未合并" in line
    line = next(s for s in res.output.splitlines() if "不属于规划地区" in s)
    assert "临川（2 行）" in line and "临川市（1 行）" in line and "「临川县」" in line


def test_report_prints_the_checks_before_running(county: tuple[Path, str], capsys) -> None:
    from childplan_analysis.cli.reports import _check_data

    folder, _ = county
    _fill(folder, {"婚前医学检查率": {2021: 55.0, 2022: "5O.1", 2020: "—"}})
    _department_file(folder, "婚前医学检查率", {2023: 0.61})
    _check_data([next(folder.glob("*.yaml"))], folder / "data", None)
    err = capsys.readouterr().err
    assert "1 条输入记录被拒绝" in err and "数值不是数字" in err  # 5O.1; the — of 2020 is no error
    assert "疑似单位错误" in err and "61%" in err


def test_suspect_fractions_general_cases() -> None:
    rows = [
        # a ‰ series read in tens: 0.9 typed for 9‰? no — median under 10, nothing said
        *[("甲县", "infant_mortality", y, v, "‰") for y, v in [(2020, 3.1), (2021, 0.9), (2022, 2.8)]],
        # a % prevalence that really is small
        *[("甲县", "hiv_rate", y, v, "%") for y, v in [(2020, 0.4), (2021, 0.3), (2022, 0.2)]],
        # a share typed as a fraction once, in ‰: 0.96 for 960‰
        *[("乙县", "some_rate", y, v, "‰") for y, v in [(2020, 950.0), (2021, 0.96), (2022, 955.0)]],
        # a count, whatever its size, is not a share
        *[("乙县", "some_count", y, v, "个") for y, v in [(2020, 40.0), (2021, 1.0)]],
    ]
    obs = pd.DataFrame(rows, columns=["region", "indicator", "year", "value", "unit"])
    for k in ("sex", "area", "age_group"):
        obs[k] = "total"
    obs["subregion"] = ""
    hit = suspect_fractions(obs)
    assert hit[["region", "indicator", "year", "suggested"]].values.tolist() == [["乙县", "some_rate", 2021, 960.0]]
    assert rows_outside(obs, "甲县").values.tolist() == [["乙县", 5]]


def test_report_notes_name_conflicts_repeats_and_suspects_without_folders(county: tuple[Path, str]) -> None:
    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.engine.assess import assess
    from childplan_analysis.io.sources import load_observations
    from childplan_analysis.report.tables import data_quality_notes

    folder, _ = county
    _fill(folder, {"婚前医学检查率": {2020: 52.0, 2021: 55.0, 2022: "—", 2023: 61.0}})
    _department_file(folder, "婚前医学检查率", {2020: 52.0, 2021: 54.2, 2023: 60.0})  # 2020 agrees, 2021 and 2023 not
    _department_file(folder, "婚前医学检查率", {2024: 0.63}, file="统计局.xlsx")  # alone in its file: a fraction
    plan = load_plan(next(folder.glob("*.yaml")))
    obs = load_observations(folder / "data", errors="report", plan=plan)
    notes = data_quality_notes(obs, assess(obs, plan, as_of=2024))
    text = "\n".join(notes)
    assert str(folder) not in text and "/data/" not in text  # file names only, no analyst's folders
    assert "1行在两个文件中数值相同，只计入一次" in text
    assert "1个数值在表中写作“—”（未填报），按缺失处理，未计入评估：填报表.xlsx：婚前医学检查率 2022年。" in text
    assert "未载入" not in text and "not reported" not in text
    conflict = next(n for n in notes if n.startswith("不同文件对同一指标同一年份的数值不一致"))
    assert "婚前医学检查率 2021年" in conflict and "婚前医学检查率 2023年" in conflict
    assert "54.2" in conflict and "55" in conflict
    suspect = next(n for n in notes if "疑似按小数填写" in n)
    used_2024 = obs[(obs["indicator"] == "premarital_check_rate") & (obs["year"] == 2024)]["value"].item()
    assert used_2024 == 0.63 and "0.63%（疑为63%）" in suspect
    assert "来源0个" not in text and "读取3个数据文件，共载入4条观测值（2020—2024年）。" in text


def test_overview_says_up_front_that_the_data_need_checking(county: tuple[Path, str]) -> None:
    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.engine.assess import assess
    from childplan_analysis.io.sources import load_observations
    from childplan_analysis.report.tables import overview

    folder, _ = county
    plan = load_plan(next(folder.glob("*.yaml")))
    _fill(folder, {"婚前医学检查率": {2020: 52.0, 2021: 55.0, 2022: 57.1}})
    obs = load_observations(folder / "data", errors="report", plan=plan)
    res = assess(obs, plan, as_of=2024)
    assert not any("注意" in s for s in overview(res, plan, observations=obs))  # clean data: nothing said
    _fill(folder, {"婚前医学检查率": {2024: "—"}})
    _department_file(folder, "婚前医学检查率", {2023: 0.6})
    obs = load_observations(folder / "data", errors="report", plan=plan)
    lines = overview(assess(obs, plan, as_of=2024), plan, observations=obs)
    # a value marked as not reported (—) is a missing value, listed in the notes, not a caveat
    assert lines[-1] == "注意：监测数据中有疑似单位错误1处，相关结论须核实后使用（详见“数据质量说明”）。"


def test_assess_names_a_share_typed_as_fraction(county: tuple[Path, str]) -> None:
    folder, _ = county
    _fill(folder, {"孕产妇系统管理率": {2020: 91.2, 2022: 92.6, 2023: 93.1}})
    _department_file(folder, "孕产妇系统管理率", {2021: 0.92})
    res = runner.invoke(app, ["assess"], env=ENV)
    assert res.exit_code == 0, res.output
    line = next(s for s in res.output.splitlines() if "疑似单位错误" in s)
    assert "孕产妇系统管理率 2021年" in line and "92%" in line


def test_results_workbook_keeps_the_data_quality_notes(county: tuple[Path, str]) -> None:
    from childplan_analysis.catalog.plans import load_plan
    from childplan_analysis.engine.assess import assess
    from childplan_analysis.io.sources import load_observations
    from childplan_analysis.report.excel import write_workbook
    from childplan_analysis.report.tables import data_quality_notes

    folder, _ = county
    plan = load_plan(next(folder.glob("*.yaml")))
    _fill(folder, {"婚前医学检查率": {2020: 52.0, 2022: 57.1}})
    _department_file(folder, "婚前医学检查率", {2021: 0.55})
    obs = load_observations(folder / "data", errors="report", plan=plan)
    res = assess(obs, plan, as_of=2024)
    notes = data_quality_notes(obs, res)
    path = write_workbook(res, folder / "results.xlsx", plan, notes=notes)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-1] == "数据质量说明"
    got = [c.value for c in book["数据质量说明"]["A"]]
    assert got == ["数据质量说明", *notes] and any("0.55%（疑为55%）" in n for n in got[1:])
    # without notes the workbook is as before
    assert "数据质量说明" not in openpyxl.load_workbook(write_workbook(res, folder / "r2.xlsx", plan)).sheetnames


def test_report_html_and_workbook_carry_the_data_caveats(county: tuple[Path, str]) -> None:
    """The caveats reach what is sent on: the HTML summary opens with them and the results
    workbook keeps them as its last sheet."""
    folder, _ = county
    _fill(folder, {"婚前医学检查率": {2020: 52.0, 2021: 55.0, 2022: 57.1, 2023: "—"}})
    _department_file(folder, "婚前医学检查率", {2024: 0.6})
    res = runner.invoke(app, ["report", "--xlsx"], env=ENV)
    assert res.exit_code == 0, res.output
    html = next(folder.glob("reports/*/report.html")).read_text(encoding="utf-8")
    assert "注意：监测数据中有疑似单位错误1处，" in html and "婚前医学检查率 2023年。" in html
    book = openpyxl.load_workbook(next(folder.glob("reports/*/results.xlsx")))
    notes = [c.value for c in book[book.sheetnames[-1]]["A"]]
    assert notes[0] == "数据质量说明" and any("0.6%（疑为60%）" in str(n) for n in notes)


# ------------------------------------------------------------------ a new analyst's run, end to end

YUNXIU_PLAN = """云岫县儿童发展规划（2021—2030年）
一、发展目标
（一）儿童与健康
主要目标：
1.婴儿死亡率控制在4‰以下。
2.3岁以下儿童系统管理率保持在92%以上。
专栏1 主要指标
序号\t指标名称\t单位\t2020年基数\t2025年目标\t2030年目标\t指标属性\t责任单位
1\t5岁以下儿童死亡率\t‰\t6.0\t<5.5\t<5\t约束性\t县卫健局
2\t学前教育毛入园率\t%\t86\t≥90\t≥95\t预期性\t县教育局
3\t九年义务教育巩固率\t%\t95\t96\t97\t预期性\t县教育局、县财政局
二、组织实施
"""
#: What the departments write in the 填报表, 2019–2024: numbers and the marks forms use for "not reported".
YUNXIU_FORM = {
    "5岁以下儿童死亡率": [6.4, 6.0, 5.8, "—", 5.5, 5.3],
    "学前教育毛入园率": [84.0, 86.0, 87.5, 88.9, "…", 91.2],
    "九年义务教育巩固率": [94.5, 95.0, "／", 95.6, 95.9, 96.2],
    "婴儿死亡率": [5.1, 4.9, 4.6, 4.4, "无", 4.1],
    "3岁以下儿童系统管理率": [90.1, "不适用", 91.0, 91.8, 92.3, 92.9],
}
#: 县卫健局's own form (region written without 县, a 注 row): 2022 fills a gap, 2023 disagrees.
YUNXIU_HEALTH = {"5岁以下儿童死亡率": {2022: 5.7, 2023: 5.6}, "婴儿死亡率": {2022: 4.4, 2023: 4.3}}


def _yunxiu_files(data: Path) -> None:
    """The 填报表 filled (with a department's note on one row), 县卫健局's own .xlsx and 县教育局's
    old .xls without a region line, its share formatted as a percentage."""
    import xlwt

    book = openpyxl.load_workbook(data / "填报表.xlsx")
    for ws in book.worksheets:
        header = [c.value for c in ws[4]]
        for row in ws.iter_rows(min_row=5):
            for k, v in enumerate(YUNXIU_FORM.get(row[0].value, [])):
                row[header.index(f"{2019 + k}年")].value = v
            if row[0].value == "婴儿死亡率":
                row[header.index("备注")].value = "2024年为快报数"
    book.save(data / "填报表.xlsx")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["县卫生健康局 妇幼健康主要指标"])
    ws.append(["填报单位：县卫健局妇幼股", None, "地区：云岫"])
    ws.append(["指标名称", "单位", "2022年", "2023年"])
    for name, by_year in YUNXIU_HEALTH.items():
        ws.append([name, "‰", *by_year.values()])
    ws.append(["注：2023年数据为快报数。"])
    book.save(data / "卫健局.xlsx")
    xls = xlwt.Workbook()
    sheet = xls.add_sheet("教育")
    for j, h in enumerate(["指标名称", "2023年", "2024年"]):
        sheet.write(0, j, h)
    sheet.write(1, 0, "学前教育毛入园率")
    sheet.write(1, 1, 0.897, xlwt.easyxf(num_format_str="0.0%"))  # shown 89.7%
    sheet.write(1, 2, "—")
    xls.save(str(data / "教育局.xls"))


def test_a_new_analysts_run_from_plan_document_to_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = init_workspace(YUNXIU_PLAN, tmp_path, "yunxiu", current_year=2024)
    monkeypatch.chdir(folder)
    plan = load_plan(next(folder.glob("*.yaml")))
    assert plan.region == "云岫县" and len(plan.targets) == 8
    _yunxiu_files(folder / "data")

    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 0, res.output  # placeholders, a 注 row and another spelling are no errors
    out = res.output
    assert "读取 30 行：载入 28，拒绝 0" in out and "6 个数值未填报" in out
    assert "注意：地区名称只差行政区划后缀，按同一地区合并：'云岫' 视为 '云岫县'（卫健局.xlsx）" in out
    assert "云岫县 5岁以下儿童死亡率 2023: 采用" in out and "的 5.5，舍弃" in out and "的 5.6" in out
    assert "云岫县 · 3岁以下儿童系统管理率 · 2020年" in out and "未填报（不适用）" in out
    assert "不属于规划地区" not in out and "warning:" not in out

    # every number written is used, by the documented rule: files read in path order (卫健局.xlsx,
    # 填报表.xlsx, 教育局.xls), the later file's value kept; a mark is no value, so never wins
    expected: dict[tuple[str, int], float] = {}
    for name, by_year in YUNXIU_HEALTH.items():
        expected.update({(name, y): v for y, v in by_year.items()})
    for name, values in YUNXIU_FORM.items():
        expected.update({(name, 2019 + k): v for k, v in enumerate(values) if isinstance(v, float)})
    expected[("学前教育毛入园率", 2023)] = 89.7
    obs = load_observations(folder / "data", errors="report", plan=plan)
    ind = load_indicators()
    got = {(ind.by_id[i].name_zh, int(y)): v for i, y, v in obs[["indicator", "year", "value"]].itertuples(index=False)}
    assert got.keys() == expected.keys() and all(got[k] == pytest.approx(v) for k, v in expected.items())
    assert set(obs["region"]) == {"云岫县"}
    # the department's note is kept on its row's values; the plan's targets and base levels are nobody's note
    notes = obs.set_index(["indicator", "year"])["note"]
    assert set(notes.drop("infant_mortality", level=0)) == {""}
    assert notes[("infant_mortality", 2024)] == "2024年为快报数" and notes[("infant_mortality", 2023)] == ""

    res = runner.invoke(app, ["assess", "--out", "results.csv"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "6 个数值单元格写作 —、…、／、无、不适用（未填报），不作数值读入" in res.output
    results = pd.read_csv(folder / "results.csv")
    assert len(results) == 8 and (results["n_points"] >= 5).all()

    res = runner.invoke(app, ["report"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "报告 " in res.output and "目录页: " in res.output
    html = next(folder.glob("reports/*/report.html")).read_text(encoding="utf-8")
    for line in ("地区名称只差行政区划后缀，按同一地区合并：'云岫' 视为 '云岫县'（卫健局.xlsx）。",
                 "2个数值在表中写作“／”“不适用”（未填报），按缺失处理，未计入评估：填报表.xlsx：九年义务教育巩固率 2021年；"
                 "3岁以下儿童系统管理率 2020年（另有4个写作未填报的数值由其他文件给出，已采用）。",
                 "5岁以下儿童死亡率 2023年采用填报表.xlsx的5.5（卫健局.xlsx为5.6）",
                 "注意：监测数据中有文件间数值不一致1处，相关结论须核实后使用"):
        assert line in html, line
    assert "not reported" not in html and "region names" not in html


def test_region_spelling_rule_both_ways() -> None:
    from childplan_analysis.core.regions import region_spellings

    def same(names: list[str], region: str) -> dict[str, str]:
        return region_spellings(names, region).same

    assert same(["松岭", "松岭县"], "松岭县") == {"松岭": "松岭县"}
    assert same(["广州市"], "广州") == {"广州市": "广州"}  # the plan leaves the suffix off
    assert same(["峨边", "乐山市"], "峨边彝族自治县") == {"峨边": "峨边彝族自治县"}
    assert same(["吉林市"], "吉林省") == {}  # another suffix: another place
    assert same(["松林"], "松岭县") == {}  # another name
    unclear = region_spellings(["松岭", "松岭市", "松岭县"], "松岭县")
    assert unclear.same == {} and unclear.unclear == {"松岭": ["松岭市"]}  # 松岭 could be either
    both = region_spellings(["广州市", "广州县"], "广州")
    assert both.same == {} and set(both.unclear) == {"广州市", "广州县"}


def test_plan_region_absent_is_an_error_unless_the_region_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan_doc = table_docx(YUNXIU_PLAN, tmp_path / "plan.docx")
    folder = tmp_path / "yunxiu"
    assert runner.invoke(app, ["init", str(folder), "--plan", str(plan_doc), "--current-year", "2024"],
                         env=ENV).exit_code == 0
    monkeypatch.chdir(folder)
    (folder / "data" / "填报表.xlsx").unlink()
    (folder / "data" / "石门县.csv").write_text("地区,指标,年份,数值\n石门县,婴儿死亡率,2023,4.2\n云岫市,婴儿死亡率,2023,4.0\n",
                                             encoding="utf-8")
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 1
    assert "错误：" in res.output and "数据中没有规划" in res.output and "云岫市、石门县" in res.output
    res = runner.invoke(app, ["validate", "--region", "石门县"], env=ENV)
    assert res.exit_code == 0, res.output


def test_missing_values_listed_for_the_reported_region_only(tmp_path: Path) -> None:
    from childplan_analysis.report.intake_notes import missing_value_notes

    path = tmp_path / "两县.csv"
    path.write_text("地区,指标,年份,数值\n甲山县,婴儿死亡率,2022,—\n甲山县,婴儿死亡率,2023,4.1\n乙山县,婴儿死亡率,2022,不适用\n"
                    "甲山,学前教育毛入园率,2023,…\n乙山县,学前教育毛入园率,2023,88.0\n", encoding="utf-8")
    obs = load_observations(path, errors="report")
    skipped = obs.attrs["skipped"]
    assert len(skipped) == 3 and len(obs) == 2
    # 甲山 is 甲山县 without its suffix; 乙山县's mark is not 甲山县's
    (note,) = missing_value_notes(skipped, obs, ["甲山县"])
    assert note == "2个数值在表中写作“—”“…”（未填报），按缺失处理，未计入评估：两县.csv：婴儿死亡率 2022年；学前教育毛入园率 2023年。"
    (note,) = missing_value_notes(skipped, obs, ["乙山县"], zh=False)
    assert note == ("1 value(s) marked as not reported ('不适用') are treated as missing and not assessed: "
                    "两县.csv: Infant mortality rate 2022.")
    assert missing_value_notes(skipped.iloc[:0], obs, ["甲山县"]) == []
