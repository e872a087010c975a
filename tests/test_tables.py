"""Indicator tables in plan text: one cell per line with results and aims, run into the text,
periods that lost their dash; the same table from a .txt, a .docx and a .pdf."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from plan_documents import table_docx

from childplan_analysis.catalog.extract import extract_targets, write_draft
from childplan_analysis.catalog.grammar import ParsedTarget
from childplan_analysis.catalog.lost_dash import repair_lost_dash
from childplan_analysis.catalog.run_in import compact, read_run_in, split_run_in, split_values
from childplan_analysis.catalog.tables import (
    REASON_VALUES_RUN_TOGETHER,
    VALUES_RUN_TOGETHER,
    is_table_start,
    read_table,
)
from childplan_analysis.core.targets import Comparator as C


def _keys(targets: list[ParsedTarget]) -> set[tuple]:
    return {(t.indicator or t.indicator_zh, t.comparator, t.value, t.year) for t in targets}


def _by_name(targets: list[ParsedTarget], words: str) -> list[ParsedTarget]:
    return [t for t in targets if words in t.indicator_zh]


# --------------------------------------------------------------------------- one cell per line

#: A county's 十四五 children's table with the 2020 results beside the 2025 aims, one cell per
#: line as a web page copies it: categories before the row numbers, a note under a result, rows
#: without a unit, bare aims, an aim written as a change from the base year.
CELL_TABLE = """岚溪县“十四五”儿童发展主要指标完成情况与目标
类别
序号
指标
单位
2020年
完成情况
2025年
规划目标
属性
儿童与健康
1
婴儿死亡率
‰
3.9
≤3.5
约束性
2
5岁以下儿童死亡率
5.2
(全县监测)
5
约束性
3
儿童青少年总体近视率
%
52.4
比2020年降低5个百分点
预期性
儿童与
教育
4
学前三年毛入园率
%
91.2
≥95
约束性
5
每千常住人口拥有3岁以下婴幼儿托位数
个
1.8
4.5
预期性
"""


@pytest.fixture(scope="module")
def cell_targets() -> list[ParsedTarget]:
    return extract_targets(CELL_TABLE)


def test_cell_table_under_a_results_title_is_read(cell_targets: list[ParsedTarget]) -> None:
    lines = CELL_TABLE.splitlines()
    assert is_table_start(lines, 0)
    assert len(cell_targets) == 5
    assert {t.year for t in cell_targets} == {2025}
    assert ("infant_mortality", C.LE, 3.5, 2025) in _keys(cell_targets)


def test_cell_table_sets_the_results_column_aside(cell_targets: list[ParsedTarget]) -> None:
    values = {t.value for t in cell_targets}
    assert values == {3.5, 5.0, None, 95.0, 4.5}  # the aims, a fall without a level
    assert not values & {3.9, 5.2, 52.4, 91.2, 1.8}  # the 2020 results


def test_cell_table_bare_aims_follow_the_indicator(cell_targets: list[ParsedTarget]) -> None:
    (u5,) = _by_name(cell_targets, "5岁以下儿童死亡率")
    assert (u5.comparator, u5.value) == (C.LE, 5.0)  # a death rate: a bare 5 is a ceiling
    (places,) = _by_name(cell_targets, "托位数")
    assert (places.comparator, places.value) == (C.GE, 4.5)  # a count of places: a floor
    assert "assumed_comparator" in places.flags


def test_cell_table_reads_a_change_and_the_attribute(cell_targets: list[ParsedTarget]) -> None:
    (myopia,) = _by_name(cell_targets, "近视率")
    assert myopia.comparator == C.DECREASE and myopia.value is None
    assert "降低5个百分点" in myopia.clause
    attributes = {t.indicator_zh: t.attribute for t in cell_targets}
    assert attributes["婴儿死亡率"] == "binding" and attributes["儿童青少年总体近视率"] == "expected"


def test_cell_header_years_take_the_role_below_them() -> None:
    def columns(*cells: str) -> list[tuple[int, bool]]:
        table, _ = read_table(["主要指标", *cells, "1", "婴儿死亡率", "4", "3"], 0, 2030)
        return table.columns

    # (year, is_baseline): results set aside, aims kept, whatever their year
    assert columns("序号", "指标", "2020年", "完成情况", "2020年", "规划目标") == [(2020, True), (2020, False)]
    assert columns("序号", "指标", "2020年", "实际", "2025年", "目标值") == [(2020, True), (2025, False)]
    assert columns("序号", "指标", "现状", "目标") == [(2030, True), (2030, False)]
    assert columns("序号", "指标", "2020年", "2025年") == [(2020, True), (2025, False)]
    assert columns("序号", "指标", "目标值", "2025年", "2030年") == [(2025, False), (2030, False)]
    assert columns("序号", "指标", "基期", "2020年", "目标", "2025年", "属性") == [(2020, True), (2025, False)]


def test_cell_header_without_a_title_opens_a_table() -> None:
    text = "\n".join([
        "“十四五”时期，全镇着力办好以下民生事项。",
        "序号", "指标名称", "2020年基期", "2025年目标",
        "1", "适龄女性宫颈癌筛查率（%）", "45", "≥60",
        "2", "孕产妇系统管理率（%）", "90.5", "≥93",
    ])
    got = _keys(extract_targets(text))
    assert ("maternal_systematic_management", C.GE, 93.0, 2025) in got
    assert not {k for k in got if k[2] in (45.0, 90.5)}


def test_thirteenth_plan_row_table_keeps_its_2020_aims() -> None:
    text = "\n".join([
        "汀洲市“十三五”妇幼健康主要指标完成情况",
        "序号\t指标\t单位\t2020年完成情况\t2020年规划目标",
        "1\t孕产妇死亡率\t1/10万\t6.8\t≤12",
        "2\t住院分娩率\t%\t99.9\t≥99",
    ])
    got = _keys(extract_targets(text))
    assert got == {("maternal_mortality", C.LE, 12.0, 2020), ("hospital_delivery_rate", C.GE, 99.0, 2020)}


# --------------------------------------------------------------------------- run into the text

#: A county plan's opening and its key-indicator table run together without breaks, as a PDF
#: preview copies it: the page number before the title, row numbers glued to the values.
RUN_IN = (
    "到2025年，全县孕产妇死亡率控制在8/10万以下。3沙湾县儿童发展“十四五”规划主要指标表序号"
    "指 标 名 称2020 年2025 年1小学学龄儿童净入学率(% )99.8100 2婴儿死亡率(‰)3.63.03儿童体质健康"
    "达标率(%)91.592.54学前三年毛入园率(%)9095三、组织实施"
)


def test_run_in_table_is_set_on_lines_of_its_own() -> None:
    lines = split_run_in([RUN_IN])
    assert lines[0].endswith("以下。")
    assert lines[1] == "沙湾县儿童发展“十四五”规划主要指标表"
    assert lines[2].startswith("序号指标名称2020年2025年1小学")
    assert lines[3] == "三、组织实施"
    table = read_run_in(lines[2])
    assert table is not None
    assert [(r.name, r.values) for r in table.rows] == [
        ("小学学龄儿童净入学率(%)", ["99.8", "100"]),
        ("婴儿死亡率(‰)", ["3.6", "3.0"]),
        ("儿童体质健康达标率(%)", ["91.5", "92.5"]),
        ("学前三年毛入园率(%)", ["90", "95"]),
    ]


def test_run_in_table_gives_the_aims_of_its_target_column() -> None:
    got = extract_targets(RUN_IN)
    keys = _keys(got)
    assert ("maternal_mortality", C.LE, 8.0, 2025) in keys  # the sentence before the table
    assert ("infant_mortality", C.LE, 3.0, 2025) in keys
    assert {k[2] for k in keys} == {8.0, 100.0, 3.0, 92.5, 95.0}  # no 2020 value, no row number
    assert all(t.year == 2025 for t in got)


@pytest.mark.parametrize(
    ("written", "width", "unit", "values"),
    [
        ("93.794.3", 2, "%", ["93.7", "94.3"]),  # not 93.79 and 4.3: unlike precision and size
        ("83.65保持", 2, "岁", ["83.65", "保持"]),
        ("5.34.8", 2, "‰", ["5.3", "4.8"]),
        ("9590", 2, "%", ["95", "90"]),  # 9590 is no share in %
        ("12.5|13.0", 2, "人", ["12.5", "13.0"]),  # a space kept between them
        ("7.2≥8", 2, "%", ["7.2", "≥8"]),
        ("2530", 2, "个", None),  # 25 and 30, or 2530 with one cell blank?
        ("83", 2, "%", None),  # 8 and 3, or 83 with one cell blank?
        ("83.65", 2, "岁", None),  # one value for two columns: which one?
        ("1.22.34.5", 2, "%", None),  # three values for two columns
    ],
)
def test_run_in_values_are_split_only_one_way(written: str, width: int, unit: str, values: list[str] | None) -> None:
    assert split_values(written, width, unit) == values


def test_run_in_ambiguous_row_is_kept_for_review(tmp_path: Path) -> None:
    text = (
        "2025年主要指标序号指标2020年2025年1每千人口拥有3岁以下婴幼儿托位数(个)2530"
        "2普惠性幼儿园覆盖率(%)8590"
    )
    got = extract_targets(text)
    (places,) = _by_name(got, "托位数")
    assert places.value is None and VALUES_RUN_TOGETHER in places.flags
    assert "2530" in places.clause
    assert ("普惠性幼儿园覆盖率", C.GE, 90.0, 2025) in {(t.indicator_zh, t.comparator, t.value, t.year) for t in got}
    catalog = yaml.safe_load(write_draft(got, tmp_path / "draft.yaml").read_text(encoding="utf-8"))
    (entry,) = [e for e in catalog["unresolved"] if "托位数" in e["phrase"]]
    assert entry["reason"] == REASON_VALUES_RUN_TOGETHER and "value" not in entry


def test_run_in_table_cut_at_a_page_fragment_is_joined() -> None:
    lines = [
        "1、沙湾县妇女发展规划 为推进妇女事业发展，制定本规划。到 2025 年，妇女发展水平进一步提高。",
        "2、妇女发展主要指标表序号指标2020 年2",
        "3、025 年1妇女人均预期寿命(岁)80.282.02妇女常见病筛查率(%)7585",
    ]
    out = split_run_in(lines)
    assert out[0] == lines[0]
    table = read_run_in(compact(out[-1]))
    assert table is not None and [r.values for r in table.rows] == [["80.2", "82.0"], ["75", "85"]]
    keys = {(t.indicator_zh, t.comparator, t.value, t.year) for t in extract_targets("\n".join(lines))}
    assert ("妇女常见病筛查率", C.GE, 85.0, 2025) in keys


def test_text_with_rows_is_no_run_in_table() -> None:
    line = "序号后的说明：2020年全县共有1所学校，2025年将新增2所。"
    assert split_run_in([line]) == [line]
    assert read_run_in(compact(line)) is None


# --------------------------------------------------------------------------- periods


def test_period_that_lost_its_dash() -> None:
    assert repair_lost_dash("规划期限为 20212025 年。") == "规划期限为 2021—2025 年。"
    assert repair_lost_dash("本规划期为2021 2030年") == "本规划期为2021—2030年"
    assert repair_lost_dash("（20212025）") == "（2021—2025）"
    assert repair_lost_dash("共20252021年") == "共20252021年"  # not a period: the later year first
    assert repair_lost_dash("达到12021年") == "达到12021年"


def test_period_is_never_a_value() -> None:
    for text in (
        "本规划期限为 20212025 年。到2025年，孕产妇死亡率控制在9/10万以下。",
        "本规划实施期为2021 2025年。到2025年，孕产妇死亡率控制在9/10万以下。",
        "本规划期限为2021—2025年。到2025年，孕产妇死亡率控制在9/10万以下。",
    ):
        assert _keys(extract_targets(text)) == {("maternal_mortality", C.LE, 9.0, 2025)}, text


# --------------------------------------------------------------------------- documents

PLAN_HEAD = [
    "岚溪县儿童发展“十四五”规划",
    "一、主要目标",
    "到2025年，儿童健康水平进一步提高。",
    "岚溪县“十四五”儿童发展主要指标完成情况与目标",
]
PLAN_TAIL = ["二、组织实施", "各部门按职责分工落实规划目标。"]
TABLE_ROWS = [
    ["序号", "指标", "单位", "2020年完成情况", "2025年规划目标", "属性"],
    ["1", "婴儿死亡率", "‰", "3.9", "≤3.5", "约束性"],
    ["2", "5岁以下儿童死亡率", "‰", "5.2", "5", "约束性"],
    ["3", "学前三年毛入园率", "%", "91.2", "≥95", "约束性"],
    ["4", "每千常住人口拥有3岁以下婴幼儿托位数", "个", "1.8", "4.5", "预期性"],
]


def _cell_lines() -> list[str]:
    header = ["序号", "指标", "单位", "2020年", "完成情况", "2025年", "规划目标", "属性"]
    return header + [c for row in TABLE_ROWS[1:] for c in row]


def _plan_pdf(path: Path) -> Path:
    pytest.importorskip("reportlab")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=15, wordWrap="CJK")
    table = Table(TABLE_ROWS)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [*(Paragraph(x, style) for x in PLAN_HEAD), table, *(Paragraph(x, style) for x in PLAN_TAIL)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_docx_and_pdf_give_the_targets_of_the_text(tmp_path: Path) -> None:
    text = "\n".join([*PLAN_HEAD, *_cell_lines(), *PLAN_TAIL])
    from_text = _keys(extract_targets(text))
    assert len(from_text) == 4 and not {k for k in from_text if k[2] in (3.9, 5.2, 91.2, 1.8)}
    tabbed = "\n".join([*PLAN_HEAD, *("\t".join(r) for r in TABLE_ROWS), *PLAN_TAIL])
    docx = table_docx(tabbed, tmp_path / "plan.docx")
    assert _keys(extract_targets(docx)) == from_text
    pdf = _plan_pdf(tmp_path / "plan.pdf")
    assert _keys(extract_targets(pdf)) == from_text


def test_run_in_table_with_an_attribute_column() -> None:
    text = (
        "到2025年，儿童发展水平全面提高。县儿童发展主要指标序号指标名称2020年2025年属性"
        "1婴儿死亡率(‰)3.63.0约束性2儿童青少年总体近视率(%)52.4逐年下降预期性二、主要任务"
    )
    got = {(t.indicator_zh, t.comparator, t.value, t.attribute) for t in extract_targets(text)}
    assert got == {("婴儿死亡率", C.LE, 3.0, "binding"), ("儿童青少年总体近视率", C.DECREASE, None, "expected")}


def test_numbered_cell_table_value_equal_to_the_next_number() -> None:
    text = "\n".join([
        "附表 主要指标",
        "序号", "指标", "2020年", "2025年", "属性", "责任单位",
        "1", "婴儿死亡率（‰）", "4.2", "2", "约束性", "县卫健局",
        "2", "5岁以下儿童死亡率（‰）", "5.6", "3", "约束性", "县卫健局",
        "3", "儿童肺炎死亡率（1/10万）", "12", "4", "预期性", "县卫健局",
    ])
    got = {(t.indicator_zh, t.value, t.attribute) for t in extract_targets(text)}
    assert got == {("婴儿死亡率", 2.0, "binding"), ("5岁以下儿童死亡率", 3.0, "binding"), ("儿童肺炎死亡率", 4.0, "expected")}


def test_cell_table_without_numbers_reads_notes_and_phrases() -> None:
    text = "\n".join([
        "专栏2 “十四五”学生健康主要指标",
        "指标", "单位", "2020年现状", "2025年目标",
        "中小学生体质健康优良率", "%", "48.2", "(抽样监测)", "≥55",
        "儿童青少年总体近视率", "%", "54.1", "以2020年为基数下降6个百分点",
        "中小学校卫生专业技术人员配备率", "%", "71", "90",
    ])
    got = {(t.indicator_zh, t.comparator, t.value) for t in extract_targets(text)}
    assert ("中小学生体质健康优良率", C.GE, 55.0) in got
    assert ("中小学校卫生专业技术人员配备率", C.GE, 90.0) in got
    assert {name for name, _, _ in got} == {"中小学生体质健康优良率", "儿童青少年总体近视率", "中小学校卫生专业技术人员配备率"}
    assert not {v for _, _, v in got} & {48.2, 54.1, 71.0}
