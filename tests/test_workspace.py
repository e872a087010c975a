"""The county working folder: ``childplan init`` → fill the generated 填报表 → validate and
assess from inside the folder, every filled value used."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from plan_documents import init_workspace, table_docx
from typer.testing import CliRunner

from childplan_analysis.catalog.forms import (
    collection_years,
    sheet_name,
    units_and_indicators,
    unlisted_sheet,
)
from childplan_analysis.catalog.plans import load_plan, plan_from_dict
from childplan_analysis.cli.app import app
from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.io.sources import read_observations

runner = CliRunner()
ENV = {"COLUMNS": "200"}
PLAN_TEXT = """河湾县儿童发展规划（2021—2030年）
一、总体目标
（一）儿童与健康
主要目标：
1.新生儿死亡率降至2.5‰以下。
2.孕产妇系统管理率保持在92%以上。
专栏1 主要指标
序号\t指标名称\t单位\t2020年基数\t2025年目标\t2030年目标\t指标属性\t责任单位
1\t婴儿死亡率\t‰\t4.1\t<4\t<3.5\t约束性\t县卫健局
2\t学前教育毛入园率\t%\t88\t≥90\t≥95\t预期性\t县教育局
3\t九年义务教育巩固率\t%\t95\t96\t97\t预期性\t县教育局、县财政局
二、组织实施
"""


def _plan_docx(path: Path) -> Path:
    return table_docx(PLAN_TEXT, path)


def _fill(workbook: Path, years: list[int]) -> dict[tuple[str, int], float]:
    """Fill every indicator row for the last three years with distinct numbers; return them
    by (indicator name, year), with the values the form holds already (the plan's base levels)."""
    book = openpyxl.load_workbook(workbook)
    filled = {}
    k = 0
    for ws in book.worksheets:
        header = [c.value for c in ws[4]]
        for row in ws.iter_rows(min_row=5):
            name, unit = row[0].value, row[1].value
            if not name or unit is None:
                continue
            for year in years:
                if isinstance(row[header.index(f"{year}年")].value, int | float):
                    filled[(name, year)] = float(row[header.index(f"{year}年")].value)
            for year in years[-3:]:
                k += 1
                value = 60.0 + k if unit == "%" else round(1.0 + k / 10, 2)
                row[header.index(f"{year}年")].value = value
                filled[(name, year)] = value
    book.save(workbook)
    return filled


@pytest.fixture()
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = init_workspace(PLAN_TEXT, tmp_path, "hewan", current_year=2024)
    monkeypatch.chdir(folder)
    return folder


def test_init_makes_the_folder(workspace: Path) -> None:
    assert sorted(p.name for p in workspace.iterdir()) == ["README.md", "data", "hewan_children_2021_2030.yaml", "reports"]
    assert "childplan validate" in (workspace / "README.md").read_text(encoding="utf-8")
    plan = load_plan(workspace / "hewan_children_2021_2030.yaml")
    assert (plan.region, plan.level, tuple(plan.period)) == ("河湾县", "county", (2021, 2030))
    book = openpyxl.load_workbook(workspace / "data" / "填报表.xlsx")
    # one sheet per lead unit, targets without one on a sheet of their domain
    assert book.sheetnames == ["县卫健局", "县教育局", "其他（健康）"]
    edu = book["县教育局"]
    assert [c.value for c in edu[4]] == ["指标名称", "单位", *(f"{y}年" for y in range(2019, 2025)), "规划目标", "备注"]
    assert [edu.cell(r, 1).value for r in (5, 6)] == ["学前教育毛入园率", "九年义务教育巩固率"]
    assert "配合单位：县财政局" in edu.cell(6, 9).value
    assert edu.cell(2, 1).value == "地区：河湾县"
    # every year cell of an indicator row has decimal validation within the dictionary bounds
    rules = {str(r): dv for dv in edu.data_validations.dataValidation for r in dv.sqref.ranges}
    dv = rules["C5:H5"]
    low, high = load_indicators().find("学前教育毛入园率").bounds
    assert (dv.type, float(dv.formula1), float(dv.formula2)) == ("decimal", low, high)
    assert [book["其他（健康）"].cell(r, 1).value for r in (5, 6)] == ["新生儿死亡率", "孕产妇系统管理率"]
    # a sheet without a unit says so and leaves 填报单位 for the analyst
    other = book["其他（健康）"]
    assert other.cell(1, 1).value.endswith("（健康领域，规划未列责任单位）")
    assert other.cell(2, 3).value == "填报单位："


def test_untouched_workbook_validates(workspace: Path) -> None:
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "0 rejected" in res.output
    # the workbook's note and sign-off line, on every sheet, are listed once each with where they are
    sheets = len(openpyxl.load_workbook(workspace / "data" / "填报表.xlsx").sheetnames)
    assert sheets > 1
    table = res.output.split("跳过的行")[1]
    assert table.count("填表人：") == 1 and table.count("注：") == 1


def test_filled_workbook_is_read_back_exactly_and_every_value_used(workspace: Path) -> None:
    plan = load_plan(workspace / "hewan_children_2021_2030.yaml")
    years = collection_years(plan, 2024)
    assert years == list(range(2019, 2025))
    filled = _fill(workspace / "data" / "填报表.xlsx", years)
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 0, res.output
    obs = read_observations([workspace / "data"]).observations
    ind = load_indicators()
    got = {(ind.by_id[i].name_zh, int(y)): float(v) for i, y, v in obs[["indicator", "year", "value"]].itertuples(index=False)}
    assert got == filled
    assert set(obs["region"]) == {"河湾县"}
    # assess, run from inside the folder with no paths, uses every filled value
    res = runner.invoke(app, ["assess", "--out", "results.csv"], env=ENV)
    assert res.exit_code == 0, res.output
    results = pd.read_csv(workspace / "results.csv")
    assert len(results) == len(plan.targets)
    for r in results.itertuples(index=False):
        name = ind.by_id[r.indicator].name_zh
        stated = [y for n, y in filled if n == name and y < 2022]  # the plan's 2020 base levels
        assert (r.n_points, r.first_year, r.last_year) == (3 + len(stated), min([2022, *stated]), 2024), r
        assert r.last_value == pytest.approx(filled[(name, 2024)])


def test_notes_are_the_departments_own_not_the_plans_targets(workspace: Path) -> None:
    """The targets printed beside each indicator are not read back as notes on its values; a note
    a department writes in 备注 is, on that row's values only."""
    plan = load_plan(workspace / "hewan_children_2021_2030.yaml")
    path = workspace / "data" / "填报表.xlsx"
    filled = _fill(path, collection_years(plan, 2024))
    book = openpyxl.load_workbook(path)
    edu = book["县教育局"]
    header = [c.value for c in edu[4]]
    assert edu.cell(5, header.index("规划目标") + 1).value.startswith("目标：")
    edu.cell(5, header.index("备注") + 1).value = "2024年为快报数"
    book.save(path)
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "未读取的列" not in res.output  # the targets' column is text, not unread numbers
    obs = read_observations([workspace / "data"]).observations
    assert len(obs) == len(filled)
    noted = obs[obs["note"] == "2024年为快报数"]
    assert set(noted["indicator"]) == {"preschool_gross_enrolment"}
    assert len(noted) == 4  # the three years filled on that row and the plan's 2020 value on it
    assert set(obs.loc[obs["indicator"] != "preschool_gross_enrolment", "note"]) == {""}


def test_commands_without_a_plan_in_the_folder_say_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["assess"], env=ENV)
    assert res.exit_code == 2
    assert "childplan init" in " ".join(res.output.split())


def test_init_without_a_plan_writes_a_template(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    res = runner.invoke(app, ["init", str(folder), "--region", "石岭县", "--current-year", "2023"], env=ENV)
    assert res.exit_code == 0, res.output
    plan = load_plan(folder / "county_children_2021_2030.yaml")
    assert (plan.region, plan.title, plan.parent) == ("石岭县", "石岭县儿童发展规划（2021—2030年）", "national_children_2021_2030")
    book = openpyxl.load_workbook(folder / "data" / "填报表.xlsx")
    rows = sum(1 for ws in book for r in ws.iter_rows(min_row=5) if r[1].value is not None)
    assert rows == len(set(plan.indicators))
    # a second init keeps the analyst's plan and refuses to overwrite it from a document
    other = tmp_path / "p.txt"
    other.write_text("白沙县儿童发展规划（2021—2030年）\n主要目标：\n1.婴儿死亡率降至3‰以下。\n", encoding="utf-8")
    res = runner.invoke(app, ["init", str(folder), "--plan", str(other)], env=ENV)
    assert res.exit_code == 2 and "--force" in res.output


def test_sheet_names_are_valid_excel_names() -> None:
    used: set[str] = set()
    assert sheet_name("县卫健局/县疾控中心", used) == "县卫健局县疾控中心"
    assert sheet_name("县卫健局/县疾控中心", used) == "县卫健局县疾控中心(2)"
    assert len(sheet_name("很" * 40, used)) <= 31


def test_targets_without_a_unit_go_to_a_sheet_of_their_domain() -> None:
    plan = plan_from_dict({
        "id": "t", "title": "某县妇女发展规划", "region": "某县", "level": "county", "period": [2021, 2030],
        "targets": [
            {"id": "a", "indicator": "孕产妇死亡率", "comparator": "<=", "value": 12, "year": 2030},
            {"id": "b", "indicator": "学前教育毛入园率", "comparator": ">=", "value": 95, "year": 2030},
            {"id": "c", "indicator": "婴儿死亡率", "comparator": "<=", "value": 5, "year": 2030, "responsible": ["县卫健局"]},
            {"id": "d", "indicator": "孕产妇死亡率", "comparator": "<=", "value": 14, "year": 2025, "responsible": ["县卫健局"]},
        ],
    })
    sheets = units_and_indicators(plan)
    # an indicator is led by the first unit any of its targets names; the others by domain, last
    assert list(sheets) == ["县卫健局", unlisted_sheet("education")]
    led = dict(sheets["县卫健局"])
    assert list(led) == [plan.targets[0].indicator, plan.targets[2].indicator]
    assert [t.id for t in led[plan.targets[0].indicator]] == ["a", "d"]
    assert unlisted_sheet("education") == "其他（教育）"
    assert unlisted_sheet(None) == "其他"


def test_validate_in_a_workspace_fills_the_plan_region_into_a_form_without_one(workspace: Path) -> None:
    """A departmental form with no 地区 line, dropped into data/, is read with the plan's region."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["2024年妇幼健康主要指标"])
    ws.append(["填报单位：县卫生健康局"])
    ws.append(["指标", "单位", 2022, 2023, 2024])
    ws.append(["婴儿死亡率", "‰", 4.0, 3.8, 3.6])
    ws.append(["填表人：王五    审核人：赵六    联系电话：1234567"])
    (workspace / "data" / "填报表.xlsx").unlink()
    book.save(workspace / "data" / "卫健局.xlsx")
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "3 loaded, 0 rejected" in res.output
    assert "hewan_children_2021_2030.yaml" in res.output
    obs = read_observations([workspace / "data"], plan=load_plan(workspace / "hewan_children_2021_2030.yaml"))
    assert set(obs.observations["region"]) == {"河湾县"}


@pytest.mark.parametrize("command", ["assess", "methods", "gaps", "accountability", "quality"])
def test_every_analysis_command_reads_the_working_folder_with_the_plan_region(
    workspace: Path, command: str, tmp_path: Path
) -> None:
    """Run in the working folder with no arguments, each command reads its plan and ``data/``, and a
    form naming no region is read as the plan's region (not rejected row by row)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["妇幼健康主要指标"])
    ws.append(["指标", "单位", 2021, 2022, 2023])
    ws.append(["婴儿死亡率", "‰", 4.0, 3.8, 3.6])
    ws.append(["学前教育毛入园率", "%", 86.0, 87.5, 89.0])
    ws.append(["注：2023年为快报数。"])
    (workspace / "data" / "填报表.xlsx").unlink()
    book.save(workspace / "data" / "部门表.xlsx")
    out = tmp_path / (f"{command}.xlsx" if command in ("accountability", "quality") else f"{command}.csv")
    res = runner.invoke(app, [command, "--out", str(out)], env=ENV)
    assert res.exit_code == 0, res.output
    assert "rejected" not in res.output
    if command in ("assess", "methods"):
        table = pd.read_csv(out)
        assert set(table["region"]) == {"河湾县"}
        assert "infant_mortality" in set(table["indicator"])
        if command == "assess":
            infant = table[table["indicator"] == "infant_mortality"]
            assert (infant["last_value"] == 3.6).all() and (infant["last_year"] == 2023).all()
    else:
        assert out.exists()


def test_an_analysis_command_stops_when_the_data_lack_the_plan_region(workspace: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["地区", "指标", "年份", "数值"])
    ws.append(["邻县", "婴儿死亡率", 2023, 3.6])
    (workspace / "data" / "填报表.xlsx").unlink()
    book.save(workspace / "data" / "邻县.xlsx")
    res = runner.invoke(app, ["methods"], env=ENV)
    assert res.exit_code == 1
    assert "邻县" in res.output and "河湾县" in res.output


def test_a_rows_targets_are_listed_by_year_and_share_the_texts_unit(tmp_path: Path) -> None:
    """A text goal for 2030 stated before the table's 2025 milestone: the 规划目标 cell lists 2025
    first, and the table's row is on the sheet of the unit the text goal names."""
    text = (
        "柏林县儿童发展规划（2021—2030年）\n主要目标：\n"
        "1.学前教育毛入园率达到96%以上。（责任单位：县教育体育局）\n"
        "专栏1 主要指标\n"
        "序号\t指标名称\t单位\t2025年目标\t2030年目标\n"
        "1\t学前教育毛入园率\t%\t≥92\t≥96\n"
    )
    folder = init_workspace(text, tmp_path, "bailin", current_year=2024)
    book = openpyxl.load_workbook(folder / "data" / "填报表.xlsx")
    assert book.sheetnames == ["县教育体育局"]
    sheet = book["县教育体育局"]
    header = [c.value for c in sheet[4]]
    assert sheet.cell(5, header.index("规划目标") + 1).value == "目标：≥92%（2025年）；目标：≥96%（2030年）"


def test_regenerating_the_workbook_keeps_every_value_entered(workspace: Path) -> None:
    """``init . --force`` after the plan changed: the values the units entered are carried into
    the new workbook, those of an indicator the plan no longer lists go to a long table in data/
    that is still read, and the old workbook is kept in 备份/ — the data read are the same."""
    path = workspace / "data" / "填报表.xlsx"
    _fill(path, collection_years(load_plan(workspace / "hewan_children_2021_2030.yaml"), 2024))
    book = openpyxl.load_workbook(path)
    edu = book["县教育局"]
    header = [c.value for c in edu[4]]
    edu.cell(5, header.index("2023年") + 1).value = "≥90"  # a bound, kept as a bound
    edu.cell(5, header.index("备注") + 1).value = "2024年为快报数"
    book.save(path)
    before = read_observations([workspace / "data"], region="河湾县").observations
    plan_file = workspace / "hewan_children_2021_2030.yaml"
    raw = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    raw["targets"] = [t for t in raw["targets"] if t["indicator"] != "infant_mortality"]  # a target dropped
    plan_file.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")

    res = runner.invoke(app, ["init", ".", "--force", "--current-year", "2024"], env=ENV)
    assert res.exit_code == 0, res.output
    assert len(list((workspace / "备份").glob("填报表-*.xlsx"))) == 1
    left = list((workspace / "data").glob("填报表-未转入数值-*.csv"))
    assert len(left) == 1
    assert set(pd.read_csv(left[0])["indicator"]) == {"infant_mortality"}
    new = openpyxl.load_workbook(path)
    assert "县卫健局" not in new.sheetnames or all(
        row[0].value != "婴儿死亡率" for row in new["县卫健局"].iter_rows(min_row=5))
    after = read_observations([workspace / "data"], region="河湾县").observations
    key = ["indicator", "year", "value", "note", "censor"]
    assert (after[key].sort_values(key).reset_index(drop=True)
            .equals(before[key].sort_values(key).reset_index(drop=True)))
    assert ((after["indicator"] == "preschool_gross_enrolment") & (after["censor"] == ">=")).sum() == 1


def test_regenerating_an_untouched_workbook_keeps_no_backup(workspace: Path) -> None:
    res = runner.invoke(app, ["init", ".", "--force", "--current-year", "2024"], env=ENV)
    assert res.exit_code == 0, res.output
    assert not (workspace / "备份").exists()
    assert not list((workspace / "data").glob("*.csv"))
