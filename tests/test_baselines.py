"""The base levels a plan states (a table's ``2020年基数`` column, ``由2020年的88%提高到95%``) reach the
analyst's data: the catalog keeps them, the 填报表 is pre-filled with them, and a relative target is
assessed against the plan's own 2020 value when the departments report from 2021 on."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from plan_documents import init_workspace, table_docx
from typer.testing import CliRunner

from childplan_analysis.catalog.extract import draft_catalog, extract_targets
from childplan_analysis.catalog.forms import baseline_note, build_workbook, collection_years
from childplan_analysis.catalog.grammar import parse_target
from childplan_analysis.catalog.plans import load_plan, plan_from_dict
from childplan_analysis.cli.app import app
from childplan_analysis.core.errors import PlanError
from childplan_analysis.io.sources import read_observations

runner = CliRunner()
ENV = {"COLUMNS": "200"}
PLAN_TEXT = """溪口县儿童发展规划（2021—2030年）
第二部分 发展领域、主要目标和策略措施
一、儿童与健康
（一）主要目标
1.新生儿死亡率控制在2.5‰以内。
2.孕产妇死亡率从2020年的15/10万下降到12/10万以下。
专栏1 主要指标
序号\t指标名称\t单位\t2020年基数\t2025年目标\t2030年目标\t指标属性\t责任单位
1\t婴儿死亡率\t‰\t4.1\t<4\t<3.5\t约束性\t县卫健局
2\t儿童伤害死亡率\t1/10万\t15.2\t以2020年为基数下降10%\t以2020年为基数下降20%\t约束性\t县卫健局
3\t学前教育毛入园率\t%\t88\t≥90\t≥95\t预期性\t县教育局
4\t5岁以下儿童死亡率\t‰\t—\t<6\t<5\t预期性\t县卫健局
二、组织实施
"""
PLAN_FILE = "xikou_children_2021_2030.yaml"


@pytest.fixture()
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = init_workspace(PLAN_TEXT, tmp_path, "xikou", current_year=2023)
    monkeypatch.chdir(folder)
    return folder


def _rows(ws) -> dict[str, dict[str, object]]:
    """Indicator name → its row by header."""
    header = [c.value for c in ws[4]]
    return {r[0]: dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=5, values_only=True)
            if r[0] and r[1] is not None}


def _comment(ws, name: str, year: int) -> str | None:
    """The comment on the cell of indicator ``name`` in ``year``'s column."""
    header = [c.value for c in ws[4]]
    for row in ws.iter_rows(min_row=5):
        if row[0].value == name:
            comment = row[header.index(f"{year}年")].comment
            return comment.text if comment else None
    raise KeyError(name)


def _department_form(path: Path, rows: list[list[object]], years: list[int]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["妇幼健康主要指标"])
    ws.append(["指标", "单位", *years])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_the_plan_keeps_the_base_levels_it_states(workspace: Path) -> None:
    plan = load_plan(workspace / PLAN_FILE)
    stated = {(t.indicator, t.year): (t.baseline_year, t.baseline_value) for t in plan.targets}
    assert stated[("infant_mortality", 2025)] == (2020, 4.1)
    assert stated[("infant_mortality", 2030)] == (2020, 4.1)
    assert stated[("child_injury_mortality", 2030)] == (2020, 15.2)
    assert stated[("preschool_gross_enrolment", 2025)] == (2020, 88.0)
    assert stated[("maternal_mortality", 2030)] == (2020, 15.0)  # 从2020年的15/10万下降到12/10万以下
    assert stated[("under5_mortality", 2025)] == (None, None)  # ``—``: nothing stated
    assert stated[("neonatal_mortality", 2030)] == (None, None)
    # the targets themselves are what the plan aims at, as before
    injury = plan.target("child_injury_mortality_2030")
    assert (injury.comparator.value, injury.value, injury.year) == ("relative_decrease_pct", 20.0, 2030)
    infant = plan.target("infant_mortality_2030")
    assert (infant.comparator.value, infant.value) == ("<", 3.5)


def test_init_says_how_many_base_values_it_pre_filled(tmp_path: Path) -> None:
    plan = table_docx(PLAN_TEXT, tmp_path / "plan.docx")
    res = runner.invoke(app, ["init", str(tmp_path / "w"), "--plan", str(plan), "--current-year", "2023"],
                        env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    assert "已预填规划所列基期值 4 个" in res.output  # 婴儿死亡率, 儿童伤害死亡率, 学前教育毛入园率, 孕产妇死亡率


def test_the_workbook_is_prefilled_with_the_plans_2020_values(workspace: Path) -> None:
    book = openpyxl.load_workbook(workspace / "data" / "填报表.xlsx")
    health = _rows(book["县卫健局"])
    assert list(health) == ["婴儿死亡率", "儿童伤害死亡率", "5岁以下儿童死亡率"]
    assert (health["婴儿死亡率"]["2020年"], _comment(book["县卫健局"], "婴儿死亡率", 2020)) == (4.1, baseline_note(2020, [4.1]))
    assert (health["儿童伤害死亡率"]["2020年"], _comment(book["县卫健局"], "儿童伤害死亡率", 2020)) == (
        15.2, baseline_note(2020, [15.2]))
    assert health["5岁以下儿童死亡率"]["2020年"] is None and _comment(book["县卫健局"], "5岁以下儿童死亡率", 2020) is None
    assert all(row["备注"] is None for row in health.values())  # 备注 is the department's: read as every value's note
    assert all(health["婴儿死亡率"][f"{y}年"] is None for y in (2019, 2021, 2022, 2023))
    assert _rows(book["县教育局"])["学前教育毛入园率"]["2020年"] == 88
    assert _rows(book["其他（健康）"])["孕产妇死亡率"]["2020年"] == 15
    assert baseline_note(2020, [4.1]) == "2020年数值取自规划文本（基期值），请核对"


def test_untouched_workbook_validates_and_loads_the_plans_values(workspace: Path) -> None:
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "0 rejected" in res.output
    result = read_observations([workspace / "data"], plan=load_plan(workspace / PLAN_FILE))
    obs = result.observations
    got = {(i, int(y)): float(v) for i, y, v in obs[["indicator", "year", "value"]].itertuples(index=False)}
    assert got == {
        ("infant_mortality", 2020): 4.1,
        ("child_injury_mortality", 2020): 15.2,
        ("preschool_gross_enrolment", 2020): 88.0,
        ("maternal_mortality", 2020): 15.0,
    }
    assert set(obs["region"]) == {"溪口县"}
    assert set(obs["note"]) == {""}  # the pre-filled cells say where they come from in a comment
    assert result.rows_read == len(obs) and len(result.rejected) == 0


def test_a_relative_target_is_assessed_against_the_plans_2020_value(workspace: Path) -> None:
    """The departments report 2021–2023 only (a second file): the plan's own 2020 value is the base."""
    _department_form(workspace / "data" / "卫健局.xlsx", [["儿童伤害死亡率", "1/10万", 14.0, 13.1, 12.2]],
                     [2021, 2022, 2023])
    res = runner.invoke(app, ["assess", "--out", "results.csv"], env=ENV)
    assert res.exit_code == 0, res.output
    results = pd.read_csv(workspace / "results.csv")
    injury = results[results["indicator"] == "child_injury_mortality"].set_index("target_year")
    assert set(injury.index) == {2025, 2030}
    assert (injury["baseline_value"] == 15.2).all()
    assert (injury["status"] != "insufficient_data").all()
    assert not injury["reason"].fillna("").str.contains("baseline year").any()
    # without the plan's value in the form the same data leave the target without a base
    book = openpyxl.load_workbook(workspace / "data" / "填报表.xlsx")
    ws = book["县卫健局"]
    header = [c.value for c in ws[4]]
    row = next(r for r in ws.iter_rows(min_row=5) if r[0].value == "儿童伤害死亡率")
    row[header.index("2020年")].value = None
    book.save(workspace / "data" / "填报表.xlsx")
    res = runner.invoke(app, ["assess", "--out", "without.csv"], env=ENV)
    assert res.exit_code == 0, res.output
    without = pd.read_csv(workspace / "without.csv")
    injury = without[without["indicator"] == "child_injury_mortality"]
    assert injury["baseline_value"].isna().all()
    assert injury["reason"].str.contains("no value for the baseline year 2020").all()


def test_a_department_value_for_2020_that_differs_from_the_plans_is_listed_as_a_conflict(workspace: Path) -> None:
    _department_form(workspace / "data" / "卫健局.xlsx", [["婴儿死亡率", "‰", 4.3, 3.9]], [2020, 2021])
    result = read_observations([workspace / "data"], plan=load_plan(workspace / PLAN_FILE))
    conflicts = result.conflicts
    assert len(conflicts) == 1
    c = conflicts.iloc[0]
    assert (c["indicator"], int(c["year"])) == ("infant_mortality", 2020)
    assert {float(c["kept_value"]), float(c["dropped_value"])} == {4.1, 4.3}
    assert {Path(c["kept_file"]).name, Path(c["dropped_file"]).name} == {"填报表.xlsx", "卫健局.xlsx"}
    # every row accounted for: the superseded one is listed, not silently dropped
    assert result.rows_read == len(result.observations) + len(result.rejected) + len(conflicts)
    res = runner.invoke(app, ["validate"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "4.3" in res.output and "4.1" in res.output


def test_a_text_change_from_a_dated_level_states_the_base() -> None:
    preschool = parse_target("学前教育毛入园率由2020年的88%提高到95%。", year=2030)
    assert [(t.indicator, t.comparator.value, t.value, t.stated_baseline) for t in preschool] == [
        ("preschool_gross_enrolment", ">=", 95.0, (2020, 88.0))]
    catalog, _ = draft_catalog(preschool, "x", period=(2021, 2030))
    entry = catalog["targets"][0]
    assert (entry["year"], entry["baseline_year"], entry["baseline_value"]) == (2030, 2020, 88.0)
    assert list(entry).index("baseline_year") == list(entry).index("year") + 1
    # a base in another rate unit is converted to the target's
    infant = parse_target("婴儿死亡率从2020年的0.41%下降到3.5‰以下。", year=2030)
    assert infant[0].stated_baseline == (2020, pytest.approx(4.1))
    # no year, or two indicators sharing one base: nothing stated
    assert parse_target("学前教育毛入园率由88%提高到95%。", year=2030)[0].stated_baseline is None
    shared = parse_target("婴儿死亡率和5岁以下儿童死亡率从2020年的4‰下降到3‰。", year=2030)
    assert len(shared) == 2 and all(t.stated_baseline is None for t in shared)
    # the same from a plan text read whole
    text = "某县儿童发展规划（2021—2030年）\n主要目标：\n1.婴儿死亡率从2020年的4.1‰下降到3.5‰以下。\n"
    [t] = extract_targets(text)
    assert (t.comparator.value, t.value, t.stated_baseline) == ("<=", 3.5, (2020, 4.1))


def test_a_relative_target_measured_from_another_year_keeps_no_column_value() -> None:
    text = (
        "某县儿童发展规划（2021—2030年）\n专栏1 主要指标\n"
        "指标名称\t单位\t2020年基数\t2025年目标\t2030年目标\n"
        "儿童伤害死亡率\t1/10万\t15.2\t以2019年为基数下降10%\t以2020年为基数下降20%\n"
    )
    targets = {t.year: t for t in extract_targets(text)}
    assert (targets[2025].baseline_year, targets[2025].stated_baseline) == (2019, None)
    assert targets[2030].stated_baseline == (2020, 15.2)
    catalog, _ = draft_catalog(list(targets.values()), "x", period=(2021, 2030))
    entries = {e["year"]: e for e in catalog["targets"]}
    assert entries[2025]["baseline_year"] == 2019 and "baseline_value" not in entries[2025]
    assert (entries[2030]["baseline_year"], entries[2030]["baseline_value"]) == (2020, 15.2)


def test_a_stated_base_never_changes_what_a_target_is() -> None:
    """De-duplication and scoring compare ``key()``: a stated base is not part of it."""
    text = (
        "某县儿童发展规划（2021—2030年）\n专栏1 主要指标\n"
        "指标名称\t单位\t2020年\t2025年\t2030年\n"
        "婴儿死亡率\t‰\t4.1\t<4\t<3.5\n"
        "学前教育毛入园率\t%\t86-88\t90\t95\n"
    )
    bare = text.replace("\t2020年", "").replace("\t4.1", "").replace("\t86-88", "")
    with_base, without = extract_targets(text), extract_targets(bare)
    assert [t.key() for t in with_base] == [t.key() for t in without]
    assert [t.stated_baseline for t in with_base] == [(2020, 4.1), (2020, 4.1), None, None]  # a range: none
    assert all(t.baseline_year is None for t in with_base)


def test_a_base_column_without_a_year_needs_the_plan_period() -> None:
    rows = "专栏1 主要指标\n指标名称\t单位\t基数\t2025年目标\t2030年目标\n婴儿死亡率\t‰\t4.1\t<4\t<3.5\n"
    known = extract_targets("某县儿童发展规划（2021—2030年）\n" + rows)
    catalog, _ = draft_catalog(known, "x", period=(2021, 2030))
    assert {(e["baseline_year"], e["baseline_value"]) for e in catalog["targets"]} == {(2020, 4.1)}
    catalog, _ = draft_catalog(extract_targets(rows), "x")
    assert all("baseline_value" not in e and "baseline_year" not in e for e in catalog["targets"])


def _plan(targets: list[dict]) -> dict:
    return {"id": "t", "title": "某县儿童发展规划", "region": "某县", "level": "county", "period": [2021, 2030],
            "targets": targets}


def test_catalog_accepts_checks_and_round_trips_a_baseline_value(tmp_path: Path) -> None:
    raw = _plan([{"id": "a", "indicator": "婴儿死亡率", "comparator": "<=", "value": 0.35, "unit": "%",
                  "year": 2030, "baseline_year": 2020, "baseline_value": 0.41}])
    plan = plan_from_dict(raw)
    assert (plan.targets[0].value, plan.targets[0].baseline_value) == (pytest.approx(3.5), pytest.approx(4.1))
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(plan.model_dump(mode="json"), allow_unicode=True), encoding="utf-8")
    assert load_plan(path) == plan
    with pytest.raises(PlanError, match=r"targets\[0\]: baseline_value needs baseline_year"):
        plan_from_dict(_plan([{"id": "a", "indicator": "婴儿死亡率", "comparator": "<=", "value": 3.5,
                               "year": 2030, "baseline_value": 4.1}]))
    with pytest.raises(PlanError, match=r"targets\[0\]\.baseline_value: baseline_value 180 is outside"):
        plan_from_dict(_plan([{"id": "a", "indicator": "学前教育毛入园率", "comparator": ">=", "value": 95,
                               "year": 2030, "baseline_year": 2020, "baseline_value": 180}]))


def test_two_different_bases_for_one_year_are_said_not_prefilled() -> None:
    plan = plan_from_dict(_plan([
        {"id": "a", "indicator": "婴儿死亡率", "comparator": "<", "value": 4, "year": 2025,
         "baseline_year": 2020, "baseline_value": 4.1, "responsible": ["县卫健局"]},
        {"id": "b", "indicator": "婴儿死亡率", "comparator": "<", "value": 3.5, "year": 2030,
         "baseline_year": 2020, "baseline_value": 4.3},
        {"id": "c", "indicator": "学前教育毛入园率", "comparator": ">=", "value": 95, "year": 2030,
         "baseline_year": 2015, "baseline_value": 75, "responsible": ["县卫健局"]},
    ]))
    years = collection_years(plan, 2023)
    assert years == list(range(2015, 2024))  # from the earliest stated base year
    sheet = build_workbook(plan, current_year=2023)["县卫健局"]
    rows = _rows(sheet)
    infant = rows["婴儿死亡率"]
    assert all(infant[f"{y}年"] is None for y in years)
    assert _comment(sheet, "婴儿死亡率", 2020) == "规划文本所列2020年基期值不一致（4.1、4.3），未预填，请核对后填写"
    assert (rows["学前教育毛入园率"]["2015年"], _comment(sheet, "学前教育毛入园率", 2015)) == (75, baseline_note(2015, [75.0]))


def test_a_direction_target_keeps_its_base_year() -> None:
    """A target judged against the year before the plan period (``maintain``, ``decrease``) takes no
    value stated for another year; a level target of the same table records it."""
    text = (
        "某县儿童发展规划（2021—2030年）\n专栏1 主要指标\n"
        "指标名称\t单位\t2019年\t2025年目标\n"
        "婴儿死亡率\t‰\t4.5\t<4\n"
        "5岁以下儿童死亡率\t‰\t6.1\t持续下降\n"
    )
    catalog, _ = draft_catalog(extract_targets(text), "x", period=(2021, 2030))
    entries = {e["indicator"]: e for e in catalog["targets"]}
    assert (entries["infant_mortality"]["baseline_year"], entries["infant_mortality"]["baseline_value"]) == (2019, 4.5)
    assert entries["under5_mortality"]["comparator"] == "decrease"
    assert "baseline_value" not in entries["under5_mortality"] and "baseline_year" not in entries["under5_mortality"]
