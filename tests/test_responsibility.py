"""Responsible units named after a goal, in the ways plans write them, reach the draft and the 填报表."""

from __future__ import annotations

import pytest

from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.forms import units_and_indicators
from childplan_analysis.catalog.plans import plan_from_dict
from childplan_analysis.catalog.responsibility import is_responsible_line, split_responsible


@pytest.mark.parametrize(
    ("text", "goal", "units"),
    [
        ("孕产妇死亡率控制在9/10万以下。（责任单位：区卫生健康委、区妇联）",
         "孕产妇死亡率控制在9/10万以下。", ["区卫生健康委", "区妇联"]),
        ("学前教育毛入园率达到93%。【牵头单位：市教育局；配合单位：市发展改革委、市财政局】",
         "学前教育毛入园率达到93%。", ["市教育局", "市发展改革委", "市财政局"]),
        ("儿童之家覆盖率达到96%以上（配合单位：县民政局；牵头单位：县妇联）",
         "儿童之家覆盖率达到96%以上", ["县妇联", "县民政局"]),
        ("适龄儿童免疫规划疫苗接种率保持在95%以上。（旗卫健委牵头，旗教育局、旗医保局配合）",
         "适龄儿童免疫规划疫苗接种率保持在95%以上。", ["旗卫健委", "旗教育局", "旗医保局"]),
        ("婴儿死亡率降至4‰以下。责任单位：县卫生健康局、县统计局等",
         "婴儿死亡率降至4‰以下。", ["县卫生健康局", "县统计局"]),
        ("九年义务教育巩固率达到97%（州教育局按职责分工负责）",
         "九年义务教育巩固率达到97%", ["州教育局"]),
    ],
)
def test_a_note_of_responsible_units_is_split_from_its_goal(text, goal, units):
    assert split_responsible(text) == (goal, units)


@pytest.mark.parametrize(
    "text",
    [
        "中小学校（含中等职业学校）心理健康教师配备率达到90%（2025年）",
        "儿童伤害死亡率以2020年为基数下降20%（全县）",
        "新生儿访视率达到90%以上（不含流动人口）",
    ],
)
def test_a_bracket_that_names_no_unit_stays_in_the_goal(text):
    assert split_responsible(text) == (text, [])


def test_a_line_that_only_names_units_is_a_note():
    assert is_responsible_line("责任单位：县公安局、县交通运输局")
    assert is_responsible_line("（牵头单位：区民政局）")
    assert not is_responsible_line("县公安局加强校园周边交通管理。")


def test_the_draft_keeps_the_units_and_the_workbook_has_a_sheet_per_lead_unit():
    text = (
        "某县儿童发展规划（2021—2030年）\n"
        "一、儿童与健康\n"
        "1.婴儿死亡率、5岁以下儿童死亡率分别控制在4‰和5.5‰以下。（责任单位：县卫生健康局）\n"
        "2.中小学生体质健康达标优良率达到55%以上。\n"
        "责任单位：县教育体育局、县卫生健康局\n"
        "二、儿童与安全\n"
        "3.儿童伤害死亡率以2020年为基数下降15%。（牵头单位：县公安局；配合单位：县卫生健康局）\n"
    )
    targets = {t.indicator: t for t in extract_targets(text, plan_year_end=2030)}
    assert targets["infant_mortality"].responsible == ["县卫生健康局"]
    assert targets["under5_mortality"].responsible == ["县卫生健康局"]
    assert targets["physical_fitness_good_rate"].responsible == ["县教育体育局", "县卫生健康局"]
    assert targets["child_injury_mortality"].responsible == ["县公安局", "县卫生健康局"]
    plan = plan_from_dict({
        "id": "x", "title": "某县儿童发展规划", "region": "某县", "level": "county", "period": [2021, 2030],
        "population": "children",
        "targets": [
            {"id": f"{t.indicator}_{t.year}", "indicator": t.indicator, "comparator": t.comparator.value,
             "value": t.value, "year": t.year, "responsible": t.responsible,
             **({"baseline_year": t.baseline_year} if t.baseline_year else {})}
            for t in targets.values()
        ],
    })
    assert list(units_and_indicators(plan)) == ["县卫生健康局", "县教育体育局", "县公安局"]


def test_a_table_row_takes_the_units_of_its_indicators_text_goal(tmp_path):
    from docx import Document

    from childplan_analysis.catalog.extract import draft_catalog

    doc = Document()
    doc.add_paragraph("某区妇女发展规划（2021—2030年）")
    doc.add_paragraph("1．孕产妇死亡率控制在9/10万以下。（责任单位：区卫生健康局）")
    doc.add_paragraph("2．村委会成员中女性比例达到30%以上。")
    table = doc.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["指标", "单位", "2025年目标", "2030年目标"], strict=True):
        cell.text = text
    for row in (["孕产妇死亡率", "1/10万", "≤10", "≤9"], ["村委会成员中女性比例", "%", "≥27", "≥30"]):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    path = tmp_path / "plan.docx"
    doc.save(path)
    catalog, _ = draft_catalog(extract_targets(path))
    units = {(t["indicator"], t["year"]): t.get("responsible") for t in catalog["targets"]}
    assert units[("maternal_mortality", 2025)] == ["区卫生健康局"]
    assert units[("maternal_mortality", 2030)] == ["区卫生健康局"]
    assert units[("female_share_village_committee", 2025)] is None  # no note names a unit for it
