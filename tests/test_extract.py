"""Extraction from a plan text: sentences, milestones, the 专栏 table, drafts."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import load_benchmark

from childplan_analysis.catalog.attribution import is_results_report
from childplan_analysis.catalog.extract import (
    CSV_COLUMNS,
    dedupe,
    extract_targets,
    infer_goal_year,
    plan_info,
    plan_period,
    plan_region,
    split_cells,
    split_documents,
    write_draft,
)
from childplan_analysis.catalog.grammar import ParsedTarget
from childplan_analysis.catalog.past import own_year, past_changes, told_in_past
from childplan_analysis.catalog.plans import load_plan
from childplan_analysis.core.targets import Comparator as C

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def targets() -> list[ParsedTarget]:
    return extract_targets((DATA / "sample_plan.txt").read_text(encoding="utf-8"))


def _key(t: ParsedTarget) -> tuple:
    return (t.indicator, t.comparator, t.value, t.year)


def test_sentences_and_milestones(targets: list[ParsedTarget]) -> None:
    keys = [_key(t) for t in targets]
    assert keys[:6] == [
        ("neonatal_mortality", C.LE, 3.0, 2025),
        ("infant_mortality", C.LE, 5.0, 2025),
        ("under5_mortality", C.LE, 6.0, 2025),
        ("neonatal_mortality", C.LE, 2.5, 2030),
        ("infant_mortality", C.LE, 4.0, 2030),
        ("under5_mortality", C.LE, 5.0, 2030),
    ]
    assert ("immunization_coverage", C.MAINTAIN_GE, 95.0, 2030) in keys
    # a sentence broken over two lines is joined
    assert ("myopia_junior", C.LE, 60.0, 2030) in keys
    assert ("pediatric_beds_per_1000_children", C.GE, 3.2, 2030) in keys
    (rel,) = [t for t in targets if t.indicator == "child_injury_mortality"]
    assert (rel.comparator, rel.value, rel.baseline_year) == (C.RELATIVE_DECREASE_PCT, 20.0, 2020)


def test_preface_and_past_years_are_skipped(targets: list[ParsedTarget]) -> None:
    assert all(t.year is None or t.year >= 2021 for t in targets)
    assert not any(t.value == 4.2 for t in targets)


def test_articles(targets: list[ParsedTarget]) -> None:
    first = targets[0]
    assert first.article == "（一）儿童与健康 · 主要目标 1"
    beds = next(t for t in targets if t.indicator == "pediatric_beds_per_1000_children")
    assert beds.article == "（一）儿童与健康 · 策略措施 1"
    assert beds.clause.startswith("每千名儿童拥有儿科执业")


def test_indicator_table(targets: list[ParsedTarget]) -> None:
    table = [t for t in targets if t.article == "专栏一主要指标"]
    assert [(t.indicator, t.comparator, t.value, t.year) for t in table] == [
        ("maternal_mortality", C.LT, 12.0, 2025),
        ("maternal_mortality", C.LT, 10.0, 2030),
        ("preschool_gross_enrolment", C.GE, 90.0, 2025),
        ("preschool_gross_enrolment", C.GE, 95.0, 2030),
        ("child_drowning_mortality", C.DECREASE, None, 2025),
        ("child_drowning_mortality", C.DECREASE, None, 2030),
    ]
    assert [t.attribute for t in table] == ["binding", "binding", "expected", "expected", "binding", "binding"]
    assert table[0].responsible == ["县卫健委"]
    assert table[-1].responsible == ["县教育局", "县公安局"]
    assert table[0].unit == "1/10万"


def test_unknown_indicator_is_flagged(targets: list[ParsedTarget]) -> None:
    (t,) = [t for t in targets if t.indicator is None]
    assert t.indicator_zh == "儿童幸福指数测评率"
    assert "unknown_indicator" in t.flags


def test_dedupe_keeps_first() -> None:
    a = ParsedTarget(indicator="x", comparator=C.GE, value=1, year=2030, clause="a")
    b = a.model_copy(update={"clause": "b"})
    c = a.model_copy(update={"year": 2025})
    assert dedupe([a, b, c]) == [a, c]


def test_csv_draft(tmp_path: Path, targets: list[ParsedTarget]) -> None:
    path = write_draft(targets, tmp_path / "draft.csv", format="csv")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(targets)
    assert rows[0]["indicator"] == "neonatal_mortality"
    assert rows[0]["comparator"] == "<="
    assert float(rows[0]["value"]) == 3.0
    unknown = next(r for r in rows if r["indicator"] == "")
    assert unknown["indicator_zh"] == "儿童幸福指数测评率"
    assert unknown["flags"] == "unknown_indicator"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_yaml_draft_loads_as_written_and_keeps_unknowns(tmp_path: Path, targets: list[ParsedTarget]) -> None:
    path = write_draft(targets, tmp_path / "draft.yaml", plan_id="sample_county")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 目标目录草稿")
    raw = yaml.safe_load(text)
    (unknown,) = raw["unresolved"]
    assert unknown["indicator"] is None and unknown["unresolved"] is True
    assert unknown["phrase"] == "儿童幸福指数测评率"
    assert unknown["clause"] and unknown["comparator"]
    plan = load_plan(path)  # the draft is a valid catalog; the unknown is kept for review
    assert plan.id == "sample_county"
    assert len(plan.targets) == len(targets) - 1
    assert plan.unresolved[0]["phrase"] == "儿童幸福指数测评率"
    assert plan.target("maternal_mortality_2025").attribute == "binding"


def test_write_draft_rejects_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_draft([], tmp_path / "x.txt", format="xml")


def test_split_documents() -> None:
    text = "甲市妇女发展规划\n一、总体目标\n孕产妇死亡率控制在10/10万以下。\n甲市儿童发展规划\n一、总体目标\n婴儿死亡率控制在5‰以下。"
    docs = split_documents(text)
    assert len(docs) == 2
    assert docs[1].startswith("甲市儿童发展规划")
    assert split_documents("一、总体目标\n婴儿死亡率控制在5‰以下。") == ["一、总体目标\n婴儿死亡率控制在5‰以下。"]


def test_extract_never_raises_on_odd_text() -> None:
    assert extract_targets("") == []
    assert extract_targets("专栏一 主要指标\n指标\n2030年\n") == []


# --------------------------------------------------------------------------- goal year

def test_goal_year_from_the_title_period() -> None:
    text = "某县儿童发展规划（2021—2030年）\n主要目标：\n1.到2025年，婴儿死亡率控制在5‰以下。\n到2035年，基本实现现代化。"
    assert plan_period(text) == (2021, 2030)
    assert infer_goal_year(text) == 2030
    # the period on a line of its own under the title
    assert infer_goal_year("某市妇女发展规划\n（2021-2030年）\n前言") == 2030


def test_goal_year_ignores_cited_plans_and_outlooks() -> None:
    text = (
        "某省推进儿童友好城市建设实施方案\n"
        "为贯彻落实《中国儿童发展纲要（2021—2030年）》，制定本方案。\n"
        "（三）工作目标\n到2025年，开展2-3个试点。展望到2035年，儿童友好理念深入人心。\n"
    )
    assert plan_period(text) is None
    assert infer_goal_year(text) == 2025
    # milestones without a title period: the latest goal year
    assert infer_goal_year("到2025年，A率达到90%。到2030年，A率达到95%。") == 2030
    assert infer_goal_year("没有年份的文字。", default=2030) == 2030
    assert infer_goal_year("展望到2035年，全面实现。") == 2035


def test_task_without_year_takes_the_documents_goal_year() -> None:
    text = (
        "某省儿童健康行动方案\n一、工作目标\n到2025年，儿童健康服务体系更加完善。展望到2035年，儿童健康水平位居前列。\n"
        "二、主要任务\n（一）强化预防接种。适龄儿童免疫规划疫苗接种率达到95%以上。（省卫生健康委负责）\n"
    )
    (t,) = extract_targets(text)
    assert (t.indicator, t.year, t.responsible) == ("immunization_coverage", 2025, ["省卫生健康委"])
    (t,) = extract_targets(text, plan_year_end=2030)
    assert t.year == 2030


# --------------------------------------------------------------------------- tables on one line per row

def test_split_cells() -> None:
    assert split_cells("| 1 | 婴儿死亡率 | ‰ |") == ["1", "婴儿死亡率", "‰"]
    assert split_cells("婴儿死亡率（‰）\t<5\t\t县卫健委") == ["婴儿死亡率（‰）", "<5", "", "县卫健委"]
    assert split_cells("1  婴儿死亡率（‰）  <5  约束性") == ["1", "婴儿死亡率（‰）", "<5", "约束性"]
    assert split_cells("婴儿死亡率控制在5‰以下，孕产妇死亡率控制在10/10万以下。") is None


MARKDOWN_TABLE = """专栏一 主要指标
| 类别 | 序号 | 指标 | 单位 | 2020年 | 2025年 | 2030年 | 属性 | 责任单位 |
|:---|---|---|---|---|---|---|---|---|
| 健康 | 1 | 婴儿死亡率 | ‰ | 3.2 | <3.0 | <2.8 | 约束性 | 县卫健委 |
|  | 2 | 学前教育毛入园率 | % | 90 | ≥92 | 达到并保持在95%以上 | 预期性 | 县教育局 |
|  | 3 | 儿童溺水死亡率 | 1/10万 | 2.1 | — | 持续下降 | 预期性 | 县教育局、县公安局 |
三、组织实施
"""


def test_markdown_table() -> None:
    got = [(t.indicator, t.comparator, t.value, t.year, t.unit, t.attribute) for t in extract_targets(MARKDOWN_TABLE)]
    assert got == [
        ("infant_mortality", C.LT, 3.0, 2025, "‰", "binding"),
        ("infant_mortality", C.LT, 2.8, 2030, "‰", "binding"),
        ("preschool_gross_enrolment", C.GE, 92.0, 2025, "%", "expected"),
        ("preschool_gross_enrolment", C.MAINTAIN_GE, 95.0, 2030, "%", "expected"),
        ("child_drowning_mortality", C.DECREASE, None, 2030, None, "expected"),
    ]
    drowning = extract_targets(MARKDOWN_TABLE)[-1]
    assert drowning.responsible == ["县教育局", "县公安局"]
    assert drowning.clause.startswith("儿童溺水死亡率")


def test_tab_and_space_separated_tables() -> None:
    tsv = "专栏2 教育指标\n指标名称\t2025年目标值\t2030年目标值\t责任单位\n初中生近视率（%）\t<60\t<55\t市教育局\n"
    got = [(t.indicator, t.comparator, t.value, t.year, t.responsible) for t in extract_targets(tsv)]
    assert got == [
        ("myopia_junior", C.LT, 60.0, 2025, ["市教育局"]),
        ("myopia_junior", C.LT, 55.0, 2030, ["市教育局"]),
    ]
    spaced = "指标名称  2020年基数  2030年目标\n孕产妇死亡率（1/10万）  15  <10\n"
    (t,) = extract_targets(spaced)
    assert (t.indicator, t.comparator, t.value, t.year) == ("maternal_mortality", C.LT, 10.0, 2030)
    # single spaces (text taken from a PDF) after a table title; a sign set apart from its number
    pdf = (
        "专栏一 主要指标\n序号 指标名称（单位） 2020年基数 2025年目标 2030年目标 指标属性\n"
        "1 婴儿死亡率（‰） 3.2 < 3.0 < 2.8 约束性\n三、组织实施\n（一）加强领导。各部门按职责分工负责。\n"
    )
    got = [(t.indicator, t.comparator, t.value, t.year, t.attribute) for t in extract_targets(pdf)]
    assert got == [
        ("infant_mortality", C.LT, 3.0, 2025, "binding"), ("infant_mortality", C.LT, 2.8, 2030, "binding"),
    ]


# --------------------------------------------------------------------------- sections of measures

def test_unknown_direction_aims_only_kept_in_goal_sections() -> None:
    text = (
        "（一）儿童与健康\n主要目标：\n1.目标人群出生缺陷防治知识知晓率持续提高。\n"
        "策略措施：\n1.加强宣传。提高目标人群出生缺陷防治知识知晓率，提高新生儿访视率。\n"
    )
    got = [(t.indicator, t.indicator_zh, t.article) for t in extract_targets(text)]
    assert got == [
        (None, "目标人群出生缺陷防治知识知晓率", "（一）儿童与健康 · 主要目标 1"),
        ("neonatal_visit_rate", "新生儿访视率", "（一）儿童与健康 · 策略措施 1"),
    ]


# --------------------------------------------------------------------------- held-out excerpts

HELDOUT = sorted((DATA / "heldout").glob("*.txt"))


def _keys(targets: list[dict]) -> Counter:
    return Counter(
        (t["indicator"], str(t["comparator"]), None if t.get("value") is None else float(t["value"]), int(t["year"]))
        for t in targets
    )


@pytest.mark.parametrize("path", HELDOUT, ids=[p.stem for p in HELDOUT])
def test_heldout_excerpts(path: Path) -> None:
    """Plan excerpts in other regions' wording: precision and recall ≥ 0.9 each."""
    want = _keys(yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))["targets"])
    found = extract_targets(path.read_text(encoding="utf-8"))
    got = _keys([{**t.model_dump(), "indicator": t.indicator or f"?{t.indicator_zh}"} for t in found])
    matched = sum((got & want).values())
    assert matched / sum(got.values()) >= 0.9, f"spurious: {sorted(got - want, key=str)}"
    assert matched / sum(want.values()) >= 0.9, f"missed: {sorted(want - got, key=str)}"


def test_heldout_excerpts_exist() -> None:
    assert len(HELDOUT) >= 3
    assert all(p.with_suffix(".yaml").is_file() for p in HELDOUT)


# ------------------------------------------------------------ wording seen in other plans

FIVE_YEAR_PLAN = """松桥县“十四五”儿童发展规划
一、发展目标
（一）儿童与健康
1.婴儿死亡率降至4.5‰以下，婴幼儿死亡率分别控制在4.5‰和6‰以下。
2.到“十四五”末，孕产妇系统管理率达到92%以上。
3.城乡社区儿童之家实现全覆盖，中小学校100%配备专兼职心理健康教育教师。
4.每千人口拥有3岁以下婴幼儿托位数比2020年翻一番。
5.儿童幸福指数测评率达到80%以上。
二、保障措施
"""


def test_five_year_plan_is_dated_to_its_end() -> None:
    assert infer_goal_year(FIVE_YEAR_PLAN) == 2025
    assert plan_period(FIVE_YEAR_PLAN) == (2021, 2025)
    got = extract_targets(FIVE_YEAR_PLAN)
    assert {t.year for t in got} == {2025}
    assert ("maternal_systematic_management", C.GE, 92.0, 2025) in [_key(t) for t in got]
    # a 十三五 review cited in a 2021–2030 plan does not date its targets
    cited = "丰水县儿童发展规划（2021—2030年）\n一、主要目标\n“十三五”期间婴儿死亡率降至5‰。\n1.婴儿死亡率降至3‰以下。\n"
    assert [_key(t) for t in extract_targets(cited)] == [("infant_mortality", C.LE, 3.0, 2030)]


def test_compound_coverage_doubling_and_unknowns() -> None:
    got = {(t.indicator or t.indicator_zh, t.comparator, t.value, t.baseline_year) for t in extract_targets(FIVE_YEAR_PLAN)}
    # 婴幼儿死亡率 = infant and under-5 mortality, one value each
    assert ("infant_mortality", C.LE, 4.5, None) in got
    assert ("under5_mortality", C.LE, 6.0, None) in got
    # 全覆盖 / 100%配备 are shares of 100 %
    assert ("children_home_coverage", C.GE, 100.0, None) in got
    assert ("配备专兼职心理健康教育教师的中小学校比例", C.GE, 100.0, None) in got
    # 翻一番 is a relative increase of 100 % on the stated base year
    assert ("childcare_places_per_1000", C.RELATIVE_INCREASE_PCT, 100.0, 2020) in got
    # an unknown indicator is kept with its phrase and flagged
    (unknown,) = [t for t in extract_targets(FIVE_YEAR_PLAN) if t.indicator_zh == "儿童幸福指数测评率"]
    assert unknown.indicator is None and "unknown_indicator" in unknown.flags


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("所有中小学全部配备卫生专业技术人员。", ("配备卫生专业技术人员的中小学比例", C.GE, 100.0)),
        ("普惠性托位数实现翻番。", ("普惠性托位数", C.RELATIVE_INCREASE_PCT, 100.0)),
        ("乡镇（街道）未成年人保护工作站实现全覆盖。", ("minor_protection_station_coverage", C.GE, 100.0)),
    ],
)
def test_whole_coverage_phrases(text: str, expected: tuple) -> None:
    (t,) = extract_targets(text, plan_year_end=2030)
    assert (t.indicator or t.indicator_zh, t.comparator, t.value) == expected


NEWS = """近日，《柳岸市儿童发展规划（2021—2030年）》（以下简称《规划》）正式印发。
记者了解到，《规划》提出，到2030年，全市新生儿死亡率、婴儿死亡率和5岁以下儿童死亡率分别降至2.5‰、4‰和5‰以下。
《规划》明确：“到2025年，学前教育毛入园率达到92%以上；九年义务教育巩固率保持在97%以上。”
据介绍，该市还将确保适龄儿童免疫规划疫苗接种率以乡镇为单位保持在95%以上。
"""


def test_targets_quoted_in_an_announcement() -> None:
    got = [_key(t) for t in extract_targets(NEWS)]
    assert got == [
        ("neonatal_mortality", C.LE, 2.5, 2030),
        ("infant_mortality", C.LE, 4.0, 2030),
        ("under5_mortality", C.LE, 5.0, 2030),
        ("preschool_gross_enrolment", C.GE, 92.0, 2025),
        ("compulsory_education_retention", C.MAINTAIN_GE, 97.0, 2025),
        ("immunization_coverage", C.MAINTAIN_GE, 95.0, 2030),
    ]
    info = plan_info(NEWS)
    assert (info.title, info.region, info.level) == ("柳岸市儿童发展规划（2021—2030年）", "柳岸市", "city")


def test_draft_of_a_doubling_without_base_year_assumes_the_year_before_the_plan(tmp_path: Path) -> None:
    path = write_draft(extract_targets("普惠性托育服务机构数量实现翻番。", plan_year_end=2030), tmp_path / "d.yaml",
                       period=(2021, 2030))
    (t,) = yaml.safe_load(path.read_text(encoding="utf-8"))["targets"]
    assert (t["comparator"], t["value"], t["baseline_year"]) == ("relative_increase_pct", 100.0, 2020)
    assert "assumed 2020" in t["note"]


# ------------------------------------------------------ news reports and real texts (issue #13)


def test_results_after_a_look_back_are_not_targets() -> None:
    """A plan's review of the last period and a report's results are not its goals."""
    review = (
        "诸暨市妇女发展“十四五”规划\n"
        "《诸暨市妇女发展规划(2016—2020年)》确定了78项主要目标。五年来，妇女事业得到长足发展。"
        "人均预期寿命达到84.36岁，孕产妇死亡率下降到0。高等教育毛入学率达到86.53%。\n"
    )
    assert extract_targets(review) == []
    report = (
        "国家卫生健康委表示，到2025年，努力实现每千人口拥有3岁以下婴幼儿托位数达到4.5个。"
        "经过多措并举、不懈努力，6岁以下儿童生长迟缓率下降至7%以下，低体重率降至5%以下。\n"
        "目前，98%的县医院设置了儿科。到2030年，婴儿死亡率下降到5‰以下。\n"
    )
    assert [_key(t) for t in extract_targets(report)] == [
        ("childcare_places_per_1000", C.GE, 4.5, 2025),
        ("infant_mortality", C.LE, 5.0, 2030),
    ]


def test_years_before_the_goals_are_the_past() -> None:
    # a 2015 text with goals for 2020 keeps them
    old = "省政府办公厅下发意见，提出到2020年，孕产妇死亡率下降到30/10万以下。义务教育巩固率达到93%。"
    assert [_key(t) for t in extract_targets(old)] == [
        ("maternal_mortality", C.LE, 30.0, 2020), ("compulsory_education_retention", C.GE, 93.0, 2020)]
    # a 2023 report: 2022 results, 2030 goals
    news = "2022年，全国孕产妇死亡率下降至15.7/10万。力争到2030年孕产妇死亡率下降到12/10万以下。"
    assert [_key(t) for t in extract_targets(news)] == [("maternal_mortality", C.LE, 12.0, 2030)]


def test_report_takes_its_years_from_the_plan_it_quotes() -> None:
    text = (
        "据8月8日电 国务院日前印发《中国妇女发展纲要(2011—2020年)》。\n"
        "《纲要》提出：孕产妇住院分娩率达98%以上，孕产妇系统管理率达85%以上，孕产妇死亡率控制在20/10万以下。\n"
    )
    assert infer_goal_year(text) == 2020
    assert [_key(t) for t in extract_targets(text)] == [
        ("hospital_delivery_rate", C.GE, 98.0, 2020),
        ("maternal_systematic_management", C.GE, 85.0, 2020),
        ("maternal_mortality", C.LE, 20.0, 2020),
    ]


def test_milestone_lines_date_a_programme_without_period() -> None:
    text = (
        "1、学前三年教育发展目标。\n2007年，全市学前三年幼儿入园率达到96%以上。\n"
        "2010年，全市学前第四年幼儿入园率达到50%以上。\n城市受训率达到90%以上。\n"
    )
    assert infer_goal_year(text) == 2010
    got = [(t.indicator, t.value, t.year) for t in extract_targets(text)]
    assert got == [("preschool_gross_enrolment", 96.0, 2007), (None, 50.0, 2010), (None, 90.0, 2010)]


def test_page_datelines_are_not_joined_to_sentences() -> None:
    text = (
        "我国将开展100个儿童友好城市建设试点\n2021年10月16日08:44 | 来源:人民网-人民日报\n"
        "原标题:我国将开展100个儿童友好城市建设试点\n"
        "《指导意见》提出，到2025年，通过在全国范围内开展100个儿童友好城市建设试点，推动儿童友好理念深入人心。\n"
    )
    got = extract_targets(text)
    assert [(t.indicator, t.value, t.year) for t in got] == [("child_friendly_city_pilots", 100.0, 2025)]


def _benchmark():
    return load_benchmark("extraction")


REAL = DATA / "heldout_real"


@pytest.mark.parametrize("folder, precision, recall", [
    # first split (tuned on): P 0.95, R 0.88 when this floor was set
    (REAL, 0.9, 0.85),
    # fresh split: untuned first run P 0.53 / R 0.50, then tuned on its errors: P 0.97, R 0.88; P 1.00, R 1.00 after
    # the residue of the twentieth round (places set up in each place, kinds of places counted each)
    (REAL / "fresh", 0.95, 0.95),
    # second fresh split: untuned first run P 0.40 / R 0.77, then tuned on results with 了/截至: P 0.48
    (REAL / "fresh2", 0.4, 0.75),
    # third fresh split: untuned first run P 0.73 / R 0.70, then tuned on qualified names: P 0.89, R 0.93
    (REAL / "fresh3", 0.7, 0.65),
    # fourth fresh split: untuned first run P 0.22 / R 0.68, then tuned on results reports: P 0.85, R 0.89
    (REAL / "fresh4", 0.8, 0.85),
    # fifth fresh split: untuned first run P 0.18 / R 0.56, then tuned on its errors: P 0.75, R 1.00
    (REAL / "fresh5", 0.7, 0.85),
    # tenth fresh split: untuned first run P 0.24 / R 0.24, then tuned on spans, narrative and undated pages: P 0.89, R 0.86
    (REAL / "fresh10", 0.85, 0.8),
    # fifth round: untuned first runs P 0.61 / R 0.74 (fresh12), P 0.78 / R 0.70 (fresh13), P 0.78 / R 0.78
    # (fresh14), then tuned on lost ‰ signs, reviews of the past period, aims quoted in news and mixed lists:
    # P 0.92 / R 0.96, P 1.00 / R 1.00, P 0.90 / R 1.00 (fresh12 P 0.92 / R 1.00 after the sixth round)
    (REAL / "fresh12", 0.85, 0.85),
    (REAL / "fresh13", 0.9, 0.9),
    (REAL / "fresh14", 0.85, 0.9),
    # sixth round: untuned first run P 0.19 / R 0.16 (fresh15), then tuned on older plans' years, fractions,
    # urban/rural pairs, narrower groups and women counted in a body: P 0.71 / R 0.69 (an untitled list of
    # 21 targets has no year at all and is dated 2030); P 0.71 / R 0.70 with shares meeting a standard
    (REAL / "fresh15", 0.65, 0.65),
    # seventh round: untuned first run P 0.17 / R 1.00 (fresh16, two targets in eight texts, mostly results
    # reports), then tuned on changes between past years, the past tense and reports opening with goals
    # reached: P 1.00 / R 1.00
    (REAL / "fresh16", 0.9, 1.0),
    # thirteenth and fourteenth rounds: untuned first runs P 0.45 / R 0.20 (fresh22), P 0.56 / R 0.29 (fresh23),
    # then tuned on practical projects, tables one cell per line, tables run into the text, levels from a
    # base level and results told as history: P 0.90 / R 0.78, P 1.00 / R 1.00; fresh22 P 0.98 / R 0.94 after the residue
    # of the twentieth round (a plan for everyone's rates, full shares after 力争, 学前三年幼儿教育毛入园率, two milestones)
    (REAL / "fresh22", 0.9, 0.85),
    (REAL / "fresh23", 0.95, 0.95),
    # fifteenth round: untuned first run P 0.76 / R 0.62 (fresh24), then tuned on responsible units on lines of
    # their own, a year's aims, lists of kinds sharing a tail, ranges of pilots and coverage of places: P 0.91 / R 0.90
    (REAL / "fresh24", 0.85, 0.85),
    # sixteenth round: untuned first run P 0.51 / R 0.35 (fresh25), then tuned on the year of a year's aims, a
    # year's projects counted, kinds listed with 均 and a region's profile: P 0.94 / R 0.87
    (REAL / "fresh25", 0.9, 0.85),
    # seventeenth round: untuned first run P 0.54 / R 0.39 (fresh26), then tuned on aims quoted in news, counts a
    # place, milestones listed together and rates of infected mothers and their children: P 0.63 / R 0.62 (a
    # list of 24 indicators states no year: its items are read for the assumed 2030, annotated 2025)
    (REAL / "fresh26", 0.6, 0.6),
    # eighteenth round: untuned first run P 0.53 / R 0.42 (fresh27), then tuned on goals listed under two milestone
    # clauses, changes from an undated base, rates of one group, kinds of schools and counts of beneficiaries:
    # P 0.80 / R 0.79 (a copy whose years were replaced by X is dated 2030 while annotated 2020 and 2030: 23 of 23
    # on its year-unknown line, 11 of 23 with the annotated years)
    (REAL / "fresh27", 0.75, 0.75),
    # nineteenth round: untuned first run P 0.31 / R 0.17 (fresh28), then tuned on counts of a year's projects named by
    # the thing counted, a milestone dating its own sentence, relative rises of amounts shared by groups, years said
    # relative to the text, levels of government and full shares of units: P 0.89 / R 0.81 (three texts state no year:
    # 4 of 8 on their year-unknown line, 0 of 8 with the annotated years); after the twenty-sixth round (one full share
    # per kind listed, its annotation corrected to 59 targets): P 0.89 / R 0.81 (48 of 59, 54 extracted)
    (REAL / "fresh28", 0.85, 0.78),
    # twentieth round: untuned first run P 0.27 / R 0.15 (fresh29), then tuned on counts compared by the thing counted,
    # a count for each body of a list, shares of places about a value or covered by an activity, counts of models
    # chosen, events and amounts counted in 万 and 亿 and years ahead of a dated text: P 0.41 / R 0.30 (four texts state no year: 15 of 27 on their
    # year-unknown line; a congress's five years are dated from outside the text, 2028, and read for its 2025)
    (REAL / "fresh29", 0.3, 0.2),
    # twenty-first round: untuned first run P 0.34 / R 0.20 (fresh30), then tuned on box-drawing dashes, counts of people
    # served or mobilised named by what is done and who, a count for each activity (各), shares of units having at least
    # so many, a five-year plan named only as the place of the text's year and full coverages of records: P 0.65 / R 0.61
    # (five texts state no year: 14 of 18 on their year-unknown line, 0 of 18 with the annotated years)
    (REAL / "fresh30", 0.55, 0.55),
    # twenty-second round: untuned first runs P 0.38 / R 0.21 (fresh31), P 0.55 / R 0.47 (fresh32), then tuned on
    # tables with single-space cells, a scheme's own year, shares of kinds of units, qualifiers shared through a
    # list, base levels of now, fractions, payments' caps and counts of units able to do a thing
    # (after the twenty-fourth round: P 0.82 / R 0.79 and P 0.81 / R 0.76; fresh31 after the twenty-seventh: P 0.82 / R 0.81)
    (REAL / "fresh31", 0.8, 0.78),
    (REAL / "fresh32", 0.75, 0.72),
    # twenty-third round: untuned first runs P 0.21 / R 0.09 (fresh33), P 0.31 / R 0.11 (fresh34), then tuned on counts
    # of a year's sites, events and people, 今年 dated by the text's own year and goal years ensured: P 0.58 / R 0.42,
    # P 0.83 / R 0.67 (fresh33 after the twenty-fourth round: P 0.62 / R 0.45)
    (REAL / "fresh33", 0.58, 0.42),
    (REAL / "fresh34", 0.75, 0.6),
    # twenty-fourth round: untuned first run P 0.14 / R 0.17 (fresh35), then tuned on the sizes of a standard, shares of
    # kinds of places having a facility, rates and counts by level, counts of places doing an activity and of people
    # screened: P 0.61 / R 0.61 (three texts state no year: 6 of 6 on their year-unknown line, 0 of 6 with the annotated years)
    (REAL / "fresh35", 0.5, 0.55),
    # twenty-fifth round: untuned first run P 0.68 / R 0.29 (fresh36), then tuned on a part's title run into its text, the
    # year of a one-year document announced, counts of work with their verb and people served either way round: P 0.95 / R 0.80
    (REAL / "fresh36", 0.88, 0.75),
    # twenty-sixth round: untuned first run P 0.66 / R 0.48 (fresh37), then tuned on a work report's aims dated by the
    # report's year, a programme's last year, aims a results report quotes, heads named from the clause before, people
    # aided, insured, trained and served, sums given and a body's places and events: P 0.89 / R 0.84 (two texts state
    # no year: 9 of 9 on their year-unknown line, 3 of 9 with the annotated years)
    (REAL / "fresh37", 0.85, 0.8),
    # twenty-seventh round: untuned first run P 0.71 / R 0.52 (fresh38), then tuned on shares over kinds listed, full
    # shares of every unit of a kind, an announcement's framing, conditions sharing one rate's level, funds and people of
    # a service, teams' sizes, the present told again, people counted before what they may do and hepatitis measures'
    # short names: P 0.95 / R 0.95
    # (one text states no year: 1 of 1 on its year-unknown line, 0 of 1 with the annotated year)
    (REAL / "fresh38", 0.92, 0.92),
    # twenty-eighth round: untuned first run P 0.10 / R 0.06 (fresh39), then tuned on aims within the year dated by
    # their base year, milestones after a semicolon, numbered tasks stating levels, shares of units named by what they
    # do, quotas of people per kind of body, conditions and quoted rules out of names, shares of people and levels with
    # bracketed peers, scopes of shares of teams and bare rates of a school level: P 0.42 / R 0.37 (four texts state no year: three of them name no date at all, so their aims keep
    # the assumed year; 17 of 43 on their year-unknown line, 12 of 43 with the annotated years)
    (REAL / "fresh39", 0.39, 0.34),
    # fresh19 (tuned on in the tenth round): P 0.33 / R 0.31 after the twenty-eighth (a quota of a member per body)
    (REAL / "fresh19", 0.3, 0.28),
], ids=["first", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh10", "fresh12", "fresh13", "fresh14",
        "fresh15", "fresh16", "fresh22", "fresh23", "fresh24", "fresh25", "fresh26", "fresh27", "fresh28", "fresh29",
        "fresh30", "fresh31", "fresh32", "fresh33", "fresh34", "fresh35", "fresh36", "fresh37", "fresh38", "fresh39",
        "fresh19"])
def test_real_heldout_splits_stay_above_their_floor(folder: Path, precision: float, recall: float) -> None:
    bench = _benchmark()
    texts = sorted(folder.glob("*.txt"))
    assert texts and all(p.with_suffix(".yaml").is_file() for p in texts)
    docs = [(p.stem, p.read_text(encoding="utf-8"), p.with_suffix(".yaml")) for p in texts]
    results, missing = bench._evaluate(docs, bench.load_indicators(bench.CATALOG_DIR / "indicators.yaml"))
    assert not missing
    total = bench.Score()
    for score in results.values():
        total.add(score)
    assert total.precision >= precision, {k: s.spurious for k, s in results.items() if s.spurious}
    assert total.recall >= recall, {k: s.missed for k, s in results.items() if s.missed}


def test_scorer_compares_counts_by_the_thing_counted() -> None:
    """A counting verb before an unresolved count's name and its 数 after it are not what is counted; the
    thing counted must still agree (a count of something else, or of another value, stays apart)."""
    bench = _benchmark()
    want = {("?县级妇女之家示范点", ">=", 300.0, 2027): ["a"], ("?心理辅导讲座", ">=", 50.0, 2027): ["b"]}
    got = {
        ("?新建县级妇女之家示范点数", ">=", 300.0, 2027): ["x"],  # verb and 数 around the thing
        ("?举办讲座场次", ">=", 50.0, 2027): ["y"],  # the thing shortened, verb and 场次 around it
        ("?举办义诊场次", ">=", 50.0, 2027): ["z"],  # another thing: stays apart
    }
    s = bench.score(got, want)
    assert (s.matched, s.extracted, s.catalog) == (2, 3, 2)
    assert [k for k, _ in s.spurious] == [("?举办义诊场次", ">=", 50.0, 2027)]


def test_results_with_le_and_as_of_are_not_targets() -> None:
    """人民网 on preschool education, 2024: results phrased like goals."""
    text = (
        "截至2023年，全国幼儿园数量达到27.4万所。学前教育毛入园率达到91.1%。\n"
        "2023年全国学前三年毛入园率达到91.1%，比2013年提高了23.6个百分点。"
        "从2013年到2023年，雷波县入园率达到90%以上。\n"
        "到2025年，学前教育毛入园率达到92%以上。\n"
    )
    assert [_key(t) for t in extract_targets(text)] == [("preschool_gross_enrolment", C.GE, 92.0, 2025)]


# ------------------------------------------------ results reports and headlines (issue #13, round 2)


@pytest.mark.parametrize("sentence", [
    # 国家统计局 monitoring of the women's outline, 2018 and 2016 (中国网, 中国新闻网)
    "2018年，住院分娩率为99.9%，与上年持平，高于2010年2.1个百分点。",
    "2018年，孕产妇死亡率18.3/10万，比上年降低6.6%，比2010年降低39%。",
    "妇女常见病筛查率由2010年的61.2%上升到2018年的75.5%，但距《纲要》规定的“达到80%以上”的目标仍有差距。",
    "孕产妇死亡率由2010年的30/10万降低至2016年的19.9/10万，提前实现20/10万的《纲要》目标。",
    "2016年，孕产妇住院分娩率继续保持较高水平，达99.8%；孕产妇系统管理率91.6%，提高7.5个百分点。",
    "全国已婚育龄妇女避孕率一直保持在80%以上。",
    # 中国青年报, 2023: results of 2022
    "2022年统计，我国婴儿死亡率下降至4.9‰，5岁以下儿童死亡率下降致6.8‰，均降至历史最低。",
    "艾滋病的母婴传播率下降到2022年的3%，正向母婴传播“零艾滋”的目标迈进。",
    # a 2022 report on childcare: the 十四五 goal is quoted to measure a gap
    "截至2021年底，我国每千人口拥有3岁以下婴幼儿托位数为2.03个，距离“十四五”期末4.5个的目标尚存很大差距。",
    "数据显示，三成以上婴幼儿家庭有托育需求，但现有托育机构入托率仅为6%左右。",
])
def test_sentences_reporting_results_are_not_targets(sentence: str) -> None:
    assert extract_targets(sentence, plan_year_end=2020) == []


def test_a_goal_stays_a_goal_next_to_results() -> None:
    """福建省妇女发展纲要(2021-2030年) press conference: the last cycle's results, then the new goal."""
    text = (
        "郭宁宁表示，在上一个“妇纲”周期中，妇女参与经济建设更加广泛深入。就业人员中女性占比保持在40%以上。"
        "福建省党的十八大、十九大代表中女性比例达34.1%，高于全国平均水平。\n"
        "“未来十年，要更加重视消除隐形就业性别歧视。”郭宁宁说，“新妇纲”提出就业人员中的女性比例保持在40%左右。\n"
    )
    assert [_key(t) for t in extract_targets(text, plan_year_end=2030)] == [
        ("female_share_employment", C.AROUND, 40.0, 2030)]


def test_a_milestone_with_a_verb_of_aim_is_not_a_result() -> None:
    # 杭州 2005 opinions: a bare year with 达到 is a milestone, not a statistic
    (t,) = extract_targets("2007年，全市学前三年幼儿入园率达到96%以上。", plan_year_end=2010)
    assert (t.indicator, t.value, t.year) == ("preschool_gross_enrolment", 96.0, 2007)
    # 以2020年数据为基数: a base year, not a result
    (t,) = extract_targets("儿童伤害死亡率以2020年数据为基数下降20%。", plan_year_end=2030)
    assert (t.indicator, t.comparator, t.value) == ("child_injury_mortality", C.RELATIVE_DECREASE_PCT, 20.0)


def test_a_headline_stating_a_fact_is_no_target_one_announcing_a_goal_is() -> None:
    report = "统计局:二孩政策实施后 孕产妇死亡率继续降低\n国家统计局今日在官网发布统计监测报告。\n"
    assert extract_targets(report, plan_year_end=2020) == []
    news = "北京出生缺陷防治能力提升计划发布 至2027年产前筛查率将保持在90%以上\n北京日报讯 计划日前发布。\n"
    assert [_key(t) for t in extract_targets(news)] == [("prenatal_screening_rate", C.MAINTAIN_GE, 90.0, 2027)]


@pytest.mark.parametrize("sentence", [
    # 国家卫生计生委 meeting on maternal safety, 2017: half-year results against the same period
    "在出生人口持续增长的形势下，全国孕产妇死亡率控制在15.8/10万，大部分省份孕产妇死亡率较2016年同期下降。",
    # 人民网 on preschool education, 2024: a level stated with its change since a past year
    "全国普惠性幼儿园在园幼儿占比达到90.8%，比2016年提高23.5个百分点。",
])
def test_levels_compared_with_the_past_are_results(sentence: str) -> None:
    assert extract_targets(sentence, plan_year_end=2030) == []


def test_a_lead_in_aim_restated_by_a_level_is_dropped() -> None:
    """母婴安全行动提升计划(2021—2025年) interpretation: 降低…死亡率，到2025年，…下降到…"""
    text = "降低孕产妇死亡率和婴儿死亡率，到2025年，全国孕产妇死亡率下降到14.5/10万，全国婴儿死亡率下降到5.2‰。"
    assert [_key(t) for t in extract_targets(text, plan_year_end=2025)] == [
        ("maternal_mortality", C.LE, 14.5, 2025), ("infant_mortality", C.LE, 5.2, 2025)]


@pytest.mark.parametrize("text", [
    # 新华社 on the 中国妇幼健康事业发展报告(2019): 到2018年 with a change already made
    "到2018年，我国孕产妇死亡率已较1990年下降了79.4%，其中农村和城市孕产妇死亡率与1990年相比分别下降了81.2%和67.2%。",
    # 安徽 2008: 至2007年底 … 已达到2010年目标
    "至2007年底，《妇女发展纲要》30项主要目标有12项已达到2010年目标，15项发展趋势较好。",
    # NBS 2021 monitoring of the children's outline
    "全国新生儿死亡率为3.1‰，下降0.3个千分点；婴儿死亡率由2020年的5.4‰下降到5‰。",
    # 新华社 2024: 75 years of women's and children's health
    "2023年，孕产妇系统管理率、产前检查率、孕产妇住院分娩率和产后访视率分别为94.5%、98.2%、99.95%和97.0%，分别比1996年提高29.0个百分点。",
    "女性平均预期寿命达74.27岁，比男性高3.23岁。",
])
def test_results_with_a_look_ahead_word_or_a_comparison_are_not_targets(text: str) -> None:
    assert extract_targets(text, plan_year_end=2030) == []


def test_a_year_before_the_plan_looks_back() -> None:
    """丽水市妇女发展规划(2016—2020年): 至2015年底 in its review of the last period is the past."""
    text = (
        "丽水市妇女发展规划(2016—2020年)\n"
        "《丽水市妇女发展“十二五”规划》实施5年来，妇女事业呈现良好的发展态势。"
        "至2015年底，全市女性占全部从业人员的比重为45.40%。\n"
        "到2020年，妇女常见病定期筛查率达到80%以上。\n"
    )
    assert [_key(t) for t in extract_targets(text)] == [("women_common_disease_screening", C.GE, 80.0, 2020)]


# --------------------------------------------------------------------------- third round (issue #13)


def test_a_requirement_of_an_international_goal_is_not_the_texts_own() -> None:
    # 新华社 on 《中国妇幼健康事业发展报告(2019)》
    text = "根据联合国千年发展目标的要求，孕产妇死亡率要在1990年基础上下降75%。"
    assert extract_targets(text) == []


def test_a_requirement_of_a_plan_of_another_period_is_not_the_texts_own() -> None:
    # 《母婴安全行动提升计划(2021-2025年)》 interpretation: the 2030 requirement is quoted
    text = (
        "《“健康中国2030”规划纲要》和2021-2030年中国妇女儿童发展纲要都对保障母婴安全提出了明确要求，"
        "要求到2030年，全国孕产妇死亡率下降到12/10万，全国婴儿死亡率下降到5‰。\n"
        "我委组织制订了《母婴安全行动提升计划(2021-2025年)》(以下简称《提升计划》)。"
        "到2025年，全国孕产妇死亡率下降到14.5/10万。"
    )
    assert infer_goal_year(text) == 2025
    assert [_key(t) for t in extract_targets(text)] == [("maternal_mortality", C.LE, 14.5, 2025)]


def test_the_national_plan_quoted_in_a_local_plan_is_not_its_own() -> None:
    text = "某某县儿童发展规划（2021—2030年）\n国家纲要要求婴儿死亡率下降到5‰以下。\n婴儿死亡率下降到4‰以下。"
    assert [_key(t) for t in extract_targets(text)] == [("infant_mortality", C.LE, 4.0, 2030)]


def test_the_texts_own_plan_quoted_by_a_report_keeps_its_targets() -> None:
    # 新华社: 国家卫健委发布《健康儿童行动提升计划(2021—2025年)》，提出系列目标
    text = (
        "国家卫健委5日发布《健康儿童行动提升计划(2021—2025年)》，提出系列目标：到2025年，"
        "6个月内婴儿纯母乳喂养率达到50%以上。"
    )
    assert [(t.value, t.year) for t in extract_targets(text)] == [(50.0, 2025)]


def test_trends_in_a_results_report_are_no_targets() -> None:
    # 2023年中国儿童发展纲要实施进展报告解读
    text = (
        "2023年中国儿童发展纲要实施进展报告解读\n"
        "报告显示，《中国儿童发展纲要（2021—2030年）》在2023年的实施总体进展顺利。\n"
        "在儿童健康方面，新生儿、婴儿和5岁以下儿童死亡率均有所下降；婚前医学检查率和孕前优生健康检查覆盖率提高。\n"
        "全国共为近1200万名计划怀孕夫妇提供免费检查，目标人群覆盖率平均达91.7%。\n"
        "下一步，要推动学前教育毛入园率继续提高。"
    )
    got = extract_targets(text)
    assert [(t.indicator, t.comparator) for t in got] == [("preschool_gross_enrolment", C.INCREASE)]


def test_the_same_trend_words_in_a_plan_are_aims() -> None:
    # 广东省妇女发展规划(2011—2020年) 目标责任分解书: a goals section, not a report
    text = (
        "《广东省妇女发展规划(2011—2020年)》目标责任分解书\n主要目标\n"
        "——到2020年，妇女常见病筛查率达到80%以上。宫颈癌和乳腺癌的早诊早治率提高，两癌死亡率降低。"
    )
    got = {(t.indicator or t.indicator_zh, t.comparator) for t in extract_targets(text)}
    assert {("women_common_disease_screening", C.GE), ("两癌死亡率", C.DECREASE)} <= got


def test_a_change_that_happened_to_some_degree_is_a_result() -> None:
    # 《中国妇女发展纲要》2018年统计监测: read without the report's title
    assert extract_targets("(3)参加失业保险和工伤保险的妇女人数有所增加。") == []
    assert extract_targets("妇女生殖健康水平有所提高，妇女常见病筛查率均有不同程度的提高。") == []


def test_the_plan_a_report_is_about_keeps_its_milestones() -> None:
    # a news report quoting its own plan's 2025 milestone: the plan runs to 2030
    text = "近日印发的《廊坊市儿童发展规划（2021—2030年）》提出，到2025年，儿童食品质量安全抽检合格率达到98.5%。"
    assert [(t.value, t.year) for t in extract_targets(text)] == [(98.5, 2025)]


def test_the_social_security_domain_is_a_goals_chapter_not_measures() -> None:
    text = ("四、妇女与社会保障\n主要目标：1.生育保险参保人数逐年增加。2.到2025年，女性基本养老保险参保率达到95%。\n"
            "五、组织保障\n1.儿童之家数量逐年增加。")
    got = {(t.indicator_zh, t.comparator.value, t.year) for t in extract_targets(text, plan_year_end=2030)}
    assert ("生育保险参保人数", "increase", 2030) in got  # unresolved, kept with its phrase
    assert ("女性基本养老保险参保率", ">=", 2025) in got
    assert not any(name == "儿童之家数量" for name, *_ in got)  # a measure of 组织保障, not a goal


# ------------------------------------------------ fourth round (issue #13, after fresh10)


def test_a_title_run_into_the_first_chapter_gives_the_period() -> None:
    # spun copy of 中国儿童发展纲要(2011-2020), 儿童与健康 (360docs): the title and chapter on one line
    text = "中国儿童发展纲要\n\n中国儿童发展纲要(2011-2020)(一)儿童与康健。\n\n主要目标:1.低出生体重发生率控制在4%以下。\n"
    assert plan_period(text) == (2011, 2020)
    assert [_key(t) for t in extract_targets(text)] == [("low_birth_weight", C.LE, 4.0, 2020)]
    # a plan quoted inside a sentence gives no period
    assert plan_period("《中国儿童发展纲要(2011-2020年)》(一)实施以来,目标基本实现。") is None


def test_a_measures_section_run_on_after_the_goals_is_a_section() -> None:
    # a city's 儿童发展规划(2011—2020年), one line: …能力。 策略措施: 1﹒落实… 增加儿童医院数量
    text = (
        "(二)儿童与教育。 主要目标: 1﹒九年义务教育巩固率达到99%以上。 "
        "策略措施: 1﹒加强儿童医疗保健服务网络建设,增加儿童医院数量。\n"
    )
    got = [_key(t) for t in extract_targets(text, plan_year_end=2020)]
    assert got == [("compulsory_education_retention", C.GE, 99.0, 2020)]


def test_a_level_with_its_change_since_a_past_year_is_a_result() -> None:
    # 新浪山东 (2016): 2015年,妇女平均受教育年限达8.39年,比2010年增加0.7年
    text = "某省妇女发展规划(2011—2015年)\n2015年,妇女平均受教育年限达8.39年,比2010年增加0.7年。\n"
    assert extract_targets(text) == []
    # the same level as an aim is kept
    aim = "某省妇女发展规划(2011—2015年)\n到2015年,女性平均受教育年限达到8.5年。\n"
    assert [_key(t) for t in extract_targets(aim)] == [("mean_schooling_years_women_15plus", C.GE, 8.5, 2015)]


def test_a_look_ahead_told_after_a_look_back_is_narrative() -> None:
    # 新浪山东 (2016): …初中阶段毛入学率多年来一直在100%以上,…;…到2015年全省高中阶段毛入学率达到97.4%
    text = (
        "“十二五”时期,小学学龄儿童净入学率保持在99.99%,初中阶段毛入学率多年来一直在100%以上;"
        "高中阶段毛入学率也随之提高,到2015年全省高中阶段毛入学率达到97.4%。\n"
    )
    assert extract_targets(text) == []
    # 经过…努力，到2030年 still looks ahead
    got = extract_targets("经过十年努力,到2030年,高中阶段毛入学率达到95%以上。")
    assert [_key(t) for t in got] == [("senior_secondary_gross_enrolment", C.GE, 95.0, 2030)]


def test_an_achievement_headline_makes_a_results_report() -> None:
    # 新华社快讯 (2025): “十四五”期间我国儿童福利保障制度建设取得重大进展
    text = (
        "“十四五”期间我国儿童福利保障制度建设取得重大进展\n\n"
        "集中养育孤儿、社会散居孤儿、事实无人抚养儿童基本生活保障标准较2020年分别增长26%、32%和31%。\n"
    )
    assert extract_targets(text) == []


def test_a_goal_year_the_text_does_not_state_is_flagged_as_assumed(tmp_path: Path) -> None:
    # 中国儿童发展纲要(2011—2020年), 儿童与教育, page 2 of a copy: no title, no year anywhere
    page = (DATA / "heldout_real" / "fresh8" / "national_children_outline_2011_2020_education_goals.txt").read_text(
        encoding="utf-8"
    )
    got = extract_targets(page)
    assert got and all(t.year == 2030 and "year_assumed" in t.flags for t in got)
    assert not any("no_year" in t.flags for t in got)
    path = write_draft(got, tmp_path / "draft.yaml")
    entries = [*load_yaml(path)["targets"], *load_yaml(path)["unresolved"]]
    assert all("year not stated in the text: assumed 2030" in e["note"] for e in entries)
    # a year stated anywhere in the text dates the same goals, unflagged
    dated = extract_targets("到2020年:\n" + page)
    assert dated and all(t.year == 2020 and "year_assumed" not in t.flags for t in dated)


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_meetings_agenda_told_as_news_is_no_target() -> None:
    # 国家卫生计生委 (2017, trad.): 7月13日,…召开…视频会议,部署加强母婴安全保障工作,预防和减少孕产妇和婴儿死亡
    news = "7月13日,国家卫生计生委召开加强母婴安全保障工作视频会议,部署加强母婴安全保障工作,预防和减少孕产妇和婴儿死亡。\n"
    assert extract_targets(news) == []
    # a level stated at a meeting is still read
    level = "7月13日,会议部署:到2020年,孕产妇死亡率下降到18/10万。\n"
    assert [_key(t) for t in extract_targets(level)] == [("maternal_mortality", C.LE, 18.0, 2020)]


def test_a_line_opening_with_a_conjunction_continues_the_sentence_before() -> None:
    # spun copy of 中国儿童发展纲要(2011-2020) (360docs): 分别控制在10‰。 / 和13‰。 / 以下。 on three lines
    text = "中国儿童发展纲要(2011-2020)(一)儿童与健康。\n\n主要目标:\n\n2•婴儿和5岁以下儿童死亡率分别控制在10‰。\n\n和13‰。\n\n以下。\n"
    assert sorted(_key(t) for t in extract_targets(text)) == [
        ("infant_mortality", C.LE, 10.0, 2020), ("under5_mortality", C.LE, 13.0, 2020),
    ]


def test_a_per_mille_sign_split_by_the_copy_is_read_back() -> None:
    # ‰ rendered as %。 between list items and before the bound word
    text = "某县儿童发展规划(2021-2030年)\n主要目标:\n2.新生儿、婴儿和5岁以下儿童死亡率分别控制在2.5%。、4%。和5.5%。以内。\n"
    assert sorted(_key(t) for t in extract_targets(text)) == [
        ("infant_mortality", C.LE, 4.0, 2030), ("neonatal_mortality", C.LE, 2.5, 2030),
        ("under5_mortality", C.LE, 5.5, 2030),
    ]
    assert all(t.unit == "‰" for t in extract_targets(text))
    # a full stop after a per-cent value ending its sentence stays a full stop
    rate = extract_targets("到2030年,学前教育毛入园率达到92%。九年义务教育巩固率保持在97%以上。\n")
    assert [(t.indicator, t.value, t.unit) for t in rate] == [
        ("preschool_gross_enrolment", 92.0, "%"), ("compulsory_education_retention", 97.0, "%"),
    ]


def test_a_per_cent_level_of_a_per_mille_indicator_lost_its_sign() -> None:
    # mortality is counted per thousand: a copy's 8% is 8‰ (not 80‰), flagged for review
    got = extract_targets("到2025年,全市婴儿死亡率控制在4.8%以下,5岁以下儿童死亡率控制在6.5%以下。\n")
    assert [(t.indicator, t.value, t.unit) for t in got] == [
        ("infant_mortality", 4.8, "‰"), ("under5_mortality", 6.5, "‰"),
    ]
    assert all("unit_from_dictionary" in t.flags for t in got)
    # a relative fall in per cent of the same indicator is a percentage, not a level
    fall = extract_targets("到2030年,5岁以下儿童死亡率以2020年为基数下降15%。\n")
    assert [(t.comparator, t.value, t.unit, t.flags) for t in fall] == [(C.RELATIVE_DECREASE_PCT, 15.0, "%", [])]


def test_a_plans_review_of_the_past_period_gives_no_targets() -> None:
    text = (
        "某市妇女发展规划(2021-2025年)\n第一部分 发展基础\n一、主要成就\n"
        "(一)妇女健康\n全市孕产妇住院分娩率达100%,孕产妇系统管理率占96.4%,妇女常见病筛查率均在85%以上。\n"
        "二、面临的挑战\n妇女就业质量有待提高。\n第二部分 发展目标\n一、妇女与健康\n主要目标:\n"
        "1.孕产妇系统管理率保持在95%以上。\n2.妇女常见病筛查率达到90%以上。\n"
    )
    assert sorted(_key(t) for t in extract_targets(text)) == [
        ("maternal_systematic_management", C.MAINTAIN_GE, 95.0, 2025),
        ("women_common_disease_screening", C.GE, 90.0, 2025),
    ]
    # a chapter of achievements inside a part of goals is skipped, the next chapter read again
    chapters = (
        "某县儿童发展规划(2021-2030年)\n一、规划背景\n(一)发展基础\n学前教育毛入园率达到91%。\n"
        "(二)主要目标\n学前教育毛入园率达到95%以上。\n"
    )
    assert [_key(t) for t in extract_targets(chapters)] == [("preschool_gross_enrolment", C.GE, 95.0, 2030)]
    # a heading that reviews and looks ahead at once still heads goals
    outlook = "某县妇女发展规划(2021-2030年)\n一、发展基础和主要目标\n妇女常见病筛查率达到90%以上。\n"
    assert [_key(t) for t in extract_targets(outlook)] == [("women_common_disease_screening", C.GE, 90.0, 2030)]


def test_a_past_doubling_or_a_change_since_any_earlier_time_is_a_result() -> None:
    # 翻了一倍 happened; 翻一番 (no 了) is the aim
    done = "2022年,全县普惠性幼儿园达到86所,与2015年相比翻了一倍。\n"
    assert extract_targets(done) == []
    aim = extract_targets("到2025年,每千人口拥有3岁以下婴幼儿托位数比2020年翻一倍。\n")
    assert [(t.indicator, t.comparator, t.value) for t in aim] == [
        ("childcare_places_per_1000", C.RELATIVE_INCREASE_PCT, 100.0),
    ]
    # a level with its change in points since an earlier term or a year lost in the copy
    terms = "村委会成员中女性比例为26.3%,比上届提高4.2个百分点。女性就业人员占比44.1%,比年增加1.3个百分点。\n"
    assert extract_targets(terms) == []


def test_a_short_name_of_healthy_life_expectancy_resolves() -> None:
    got = extract_targets("某市妇女发展规划(2021-2030年)\n主要目标:\n1.妇女健康寿命不断延长,人均预期寿命提高。\n")
    assert [(t.indicator, t.comparator) for t in got] == [
        ("healthy_life_expectancy_female", C.INCREASE), ("life_expectancy", C.INCREASE),
    ]


def test_a_level_quoted_as_an_aim_in_an_announcement_is_read() -> None:
    news = "省教育厅日前印发实施方案,提出到2027年全省普惠性幼儿园覆盖率达到92%以上的目标,公办园在园幼儿占比有较大提高。\n"
    assert [_key(t) for t in extract_targets(news)] == [
        ("inclusive_kindergarten_coverage", C.GE, 92.0, 2027), ("public_kindergarten_share", C.INCREASE, None, 2027),
    ]


def test_a_target_passed_is_a_result_even_after_a_year_written_with_to() -> None:
    report = "到2022年底,全省高中阶段毛入学率为93.6%,超过规划确定的到2025年92%的目标。\n"
    assert extract_targets(report) == []


def test_a_bound_word_cut_by_the_end_of_the_copy_keeps_the_level() -> None:
    cut = "某市儿童发展规划(2021-2030年)\n主要目标:\n3.适龄儿童免疫规划疫苗接种率以乡镇为单位保持在95%以"
    assert [_key(t) for t in extract_targets(cut)] == [("immunization_coverage", C.MAINTAIN_GE, 95.0, 2030)]


def test_plausible_levels_come_from_the_reviewed_catalogs(tmp_path: Path) -> None:
    from childplan_analysis.catalog.plausible import SPREAD, plausible_levels
    from childplan_analysis.core.config import INDICATORS_FILE

    (tmp_path / INDICATORS_FILE.name).write_text(INDICATORS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    catalog = {
        "targets": [
            {"indicator": "infant_mortality", "comparator": "<=", "value": 4, "unit": "‰", "year": 2030},
            {"indicator": "infant_mortality", "comparator": "<=", "value": 0.6, "unit": "%", "year": 2025},
            {"indicator": "infant_mortality", "comparator": "relative_decrease_pct", "value": 30, "year": 2030},
            {"indicator": "maternal_mortality", "comparator": "decrease", "year": 2030},
        ]
    }
    (tmp_path / "some_city.yaml").write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    levels = plausible_levels(tmp_path)
    # 0.6 % is 6 ‰; a relative fall and a direction give no level
    assert levels == {"infant_mortality": pytest.approx((4 / SPREAD, 6 * SPREAD))}


def test_a_list_mixing_a_known_rate_with_one_the_dictionary_lacks_keeps_both() -> None:
    text = (
        "某区儿童青少年近视防控方案\n到2024年,全区儿童青少年总体近视率和龋齿患病率在2021年基础上每年降低0.5个百分点;"
        "到2030年,全区儿童新发近视率和重度近视发生率明显下降。\n"
    )
    got = [(t.indicator or t.indicator_zh, t.comparator, t.value, t.year) for t in extract_targets(text)]
    assert got == [
        ("child_myopia_overall", C.ANNUAL_DECREASE_PTS, 0.5, 2024),
        ("龋齿患病率", C.ANNUAL_DECREASE_PTS, 0.5, 2024),
        ("child_new_myopia_incidence", C.DECREASE, None, 2030),
        ("重度近视发生率", C.DECREASE, None, 2030),
    ]
    # an item naming no quantity of its own is not kept: 市、县… lists places, not rates
    places = extract_targets("到2025年,市、县政府工作部门领导班子中的女干部比例逐步提高。\n")
    assert [(t.indicator, t.comparator) for t in places] == [("female_share_gov_department_leadership", C.INCREASE)]


def test_a_year_with_will_between_name_and_verb_dates_the_target() -> None:
    got = extract_targets("留守儿童书面照护协议签订率2025年底将达100%。\n")
    assert [_key(t) for t in got] == [("left_behind_care_agreement_rate", C.GE, 100.0, 2025)]
    assert got[0].indicator_zh == "留守儿童书面照护协议签订率"


def test_every_unit_meeting_a_standard_is_a_full_share() -> None:
    got = extract_targets("到2027年,所有乡镇中心幼儿园达到省级示范园标准。\n")
    assert [(t.indicator_zh, t.comparator, t.value, t.unit, t.year) for t in got] == [
        ("达到省级示范园标准的乡镇中心幼儿园比例", C.GE, 100.0, "%", 2027),
    ]
    assert "unknown_indicator" in got[0].flags
    # a news subtitle ending in —— leads to the title on the next line, which does not continue it
    news = "到2026年,全县普惠性幼儿园覆盖率达到95%,所有小学达到省定标准化学校标准——\n我县学前和义务教育提升计划发布\n"
    assert [(t.indicator or t.indicator_zh, t.value, t.year) for t in extract_targets(news)] == [
        ("inclusive_kindergarten_coverage", 95.0, 2026), ("达到省定标准化学校标准的小学比例", 100.0, 2026),
    ]


def test_plans_of_the_1990s_and_periods_with_a_horizontal_bar_date_their_goals() -> None:
    old = (
        "某省人民政府关于印发某省妇女儿童事业发展规划(1996-2000年)的通知\n"
        "  3、婴儿死亡率控制在18‰以下,到1998年孕产妇住院分娩率达到85%。\n"
    )
    assert plan_period(old) == (1996, 2000)
    assert [_key(t) for t in extract_targets(old)] == [
        ("infant_mortality", C.LE, 18.0, 2000), ("hospital_delivery_rate", C.GE, 85.0, 1998),
    ]
    quoted = "本市将全面落实《某市儿童发展纲要(2001―2010年)》提出的目标,7岁以下儿童健康管理率不低于90%。\n"
    assert infer_goal_year(quoted) == 2010


def test_a_change_by_a_fraction_is_a_relative_change_in_per_cent() -> None:
    text = (
        "某县儿童发展规划(2001-2010年)\n具体目标:\n"
        "1、到2010年全县5岁以下儿童死亡率以2000年为基础下降1/4。\n"
        "2、孕产妇贫血患病率减少三分之一,孕产妇死亡率降低一半。\n"
        "3、孕产妇死亡率控制在25/10万以下。\n"
    )
    got = [(t.indicator or t.indicator_zh, t.comparator, t.value, t.year) for t in extract_targets(text)]
    assert got == [
        ("under5_mortality", C.RELATIVE_DECREASE_PCT, 25.0, 2010),
        ("pregnant_anemia", C.RELATIVE_DECREASE_PCT, pytest.approx(100 / 3, abs=1e-6), 2010),
        ("maternal_mortality", C.RELATIVE_DECREASE_PCT, 50.0, 2010),
        ("maternal_mortality", C.LE, 25.0, 2010),  # a rate per 10万 is a unit, not a fraction
    ]


def test_a_rate_split_into_urban_and_rural_levels_names_each_place() -> None:
    text = "全市孕产妇系统管理率到2025年城市要达到95%,农村要达到90%;到2030年城市要达到97%,农村要达到93%。\n"
    got = [(t.indicator or t.indicator_zh, t.comparator, t.value, t.year) for t in extract_targets(text)]
    assert got == [
        ("城市孕产妇系统管理率", C.GE, 95.0, 2025), ("农村孕产妇系统管理率", C.GE, 90.0, 2025),
        ("城市孕产妇系统管理率", C.GE, 97.0, 2030), ("农村孕产妇系统管理率", C.GE, 93.0, 2030),
    ]


def test_a_rate_of_a_group_at_risk_is_not_the_rate_of_all() -> None:
    text = "到2025年,高危孕产妇住院分娩率达到99%,孕产妇住院分娩率达到98%以上,危重孕产妇死亡率逐步下降。\n"
    got = [(t.indicator, t.indicator_zh, t.comparator, t.value) for t in extract_targets(text)]
    assert got == [
        (None, "高危孕产妇住院分娩率", C.GE, 99.0),
        ("hospital_delivery_rate", "孕产妇住院分娩率", C.GE, 98.0),
        (None, "危重孕产妇死亡率", C.DECREASE, None),
    ]


def test_women_counted_in_a_body_are_a_target_of_that_body() -> None:
    text = (
        "某县妇女发展规划(2021-2030年)\n主要目标:\n"
        "1.保证乡镇政府领导班子中有1名以上女干部。\n"
        "2.各村(社区)两委班子成员中至少有1名女性。\n"
        "3.让每个家庭都有一个温馨的家。\n"
    )
    got = [(t.indicator or t.indicator_zh, t.comparator, t.value, t.unit) for t in extract_targets(text)]
    assert got == [
        ("women_in_government_leadership_teams", C.GE, 1.0, "名"),
        ("各村(社区)两委班子成员中女性数", C.GE, 1.0, "名"),
    ]


def test_the_former_name_of_immunization_coverage_is_resolved() -> None:
    got = extract_targets("到2005年,以乡为单位儿童计划免疫接种率保持在95%以上。\n")
    assert [_key(t) for t in got] == [("immunization_coverage", C.MAINTAIN_GE, 95.0, 2005)]


def test_a_three_character_rate_is_named_unless_it_is_a_bare_measure() -> None:
    text = "某县儿童发展规划(2021-2030年)\n主要目标:\n2.巩固义务教育成果,降低辍学率。\n3.加强儿童保健,降低发病率。\n"
    assert [(t.indicator_zh, t.comparator, t.year) for t in extract_targets(text)] == [("辍学率", C.DECREASE, 2030)]


def test_a_later_milestone_after_a_comma_is_a_goal_year_of_an_untitled_page() -> None:
    page = "4.提高教育质量,降低辍学率。高中阶段毛入学率2018年达到90%,2022年达到95%以上。\n"
    assert infer_goal_year(page) == 2022
    assert [(t.indicator or t.indicator_zh, t.year) for t in extract_targets(page)] == [
        ("辍学率", 2022), ("senior_secondary_gross_enrolment", 2018), ("senior_secondary_gross_enrolment", 2022),
    ]


def test_one_aim_after_a_list_of_shares_between_commas_is_each_shares_aim() -> None:
    text = "到2025年,高级专业技术人员中的女性比例,村委会成员中女性比例,均将逐步提高。\n"
    assert [(t.indicator, t.comparator, t.year) for t in extract_targets(text)] == [
        ("female_share_senior_professionals", C.INCREASE, 2025), ("female_share_village_committee", C.INCREASE, 2025),
    ]
    # an item with its own level is not part of such a list
    own = "到2025年,村委会成员中女性比例达到30%,高级专业技术人员中的女性比例,均逐步提高。\n"
    assert ("female_share_village_committee", C.GE, 30.0, 2025) in [_key(t) for t in extract_targets(own)]


def test_a_share_of_units_given_before_meeting_a_standard_is_that_share() -> None:
    got = extract_targets("到2025年,全县乡镇卫生院90%达到国家基本标准。\n")
    assert [(t.indicator_zh, t.comparator, t.value, t.unit, t.year) for t in got] == [
        ("达到国家基本标准的乡镇卫生院比例", C.GE, 90.0, "%", 2025),
    ]


# --------------------------------------------------------------------------- seventh round


def test_a_change_between_two_past_years_is_a_result() -> None:
    text = "十年来，全县妇幼健康水平明显提高。新生儿死亡率由2012年的6.8‰下降到2020年的3.9‰，住院分娩率由2012年的95%提高到2020年的99.6%。"
    assert extract_targets(text) == []


def test_a_change_to_a_year_of_the_plan_is_not_past() -> None:
    sentence = "新生儿死亡率由2020年的3.9‰下降到2030年的3‰以下"
    assert past_changes(sentence, own_year(2021, [])) == []  # a plan for 2021—2030: a goal
    assert past_changes(sentence, own_year(None, [2025])) == []  # a text whose first goal year is 2025
    assert past_changes("婴儿死亡率由2002年的29.2‰下降到2011年的12.1‰", own_year(None, [2025])) != []
    assert past_changes(sentence, own_year(None, [])) != []  # a text that aims at no year: told
    assert past_changes("从2019年起到2023年,近视率每年下降0.5%", None) == []  # a period, not a change


def test_a_sentence_in_the_past_tense_is_a_result() -> None:
    text = "2019年，全市建立了覆盖城乡的儿童保健网络，儿童保健覆盖率达到95%。"
    assert extract_targets(text, plan_year_end=2030) == []
    ahead = "到2030年，儿童保健覆盖率达到95%。"
    assert extract_targets(ahead, plan_year_end=2030)


def test_a_report_opening_with_goals_reached_states_no_target() -> None:
    text = (
        "全省儿童发展成就回顾\n"
        "经过十年的努力，上一周期规划确定的30项目标中有28项已经实现。\n"
        "儿童死亡率降低，健康水平提高。2020年，全省儿童保健覆盖率达到96.5%。\n"
    )
    assert extract_targets(text) == []


def test_a_direction_heading_restated_by_levels_below_it_is_not_a_separate_target() -> None:
    text = (
        "某市儿童发展规划（2021—2030年）\n主要目标\n1.降低婴儿和5岁以下儿童死亡率\n具体目标\n"
        "1.婴儿死亡率控制在4‰以下，5岁以下儿童死亡率控制在5‰以下。\n"
    )
    got = [_key(t) for t in extract_targets(text)]
    assert ("infant_mortality", C.LE, 4.0, 2030) in got and ("under5_mortality", C.LE, 5.0, 2030) in got
    assert not any(c == C.DECREASE for _, c, _, _ in got)
    alone = extract_targets("某市儿童发展规划（2021—2030年）\n主要目标\n1.降低婴儿和5岁以下儿童死亡率\n")
    assert {(t.indicator, t.comparator) for t in alone} >= {("infant_mortality", C.DECREASE)}


@pytest.mark.parametrize(
    ("title", "region", "level"),
    [
        ("广州市妇女发展规划（2021—2030年）", "广州市", "city"),
        ("北京市通州区儿童发展规划（2021—2030年）", "北京市通州区", "county"),
        ("徐州市沛县儿童发展规划", "徐州市沛县", "county"),
        ("锡林郭勒盟儿童发展规划", "锡林郭勒盟", "city"),
        ("长白朝鲜族自治县妇女发展规划", "长白朝鲜族自治县", "county"),
        ("阿克苏地区儿童发展规划", "阿克苏地区", "city"),
        ("内蒙古自治区妇女发展规划", "内蒙古自治区", "province"),
    ],
)
def test_plan_region_keeps_the_administrative_suffix(title: str, region: str, level: str) -> None:
    assert plan_region(title) == (region, level)


def test_draft_header_and_reasons_are_in_chinese(tmp_path: Path) -> None:
    got = extract_targets("到2030年，儿童幸福指数测评率达到90%以上。")
    text = write_draft(got, tmp_path / "d.yaml").read_text(encoding="utf-8")
    header = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert header[0].startswith("# 目标目录草稿") and "请逐条对照规划原文核对" in header[0]
    (entry,) = yaml.safe_load(text)["unresolved"]
    assert entry["reason"].startswith("指标不在指标词典中")


def test_a_rank_held_or_an_event_told_in_news_is_a_result() -> None:
    text = "到2025年，全省创建儿童友好城市10个以上。今年又有2市成功入选，入选城市总数达8个，数量位居全国前列。"
    got = [(t.indicator_zh, t.value) for t in extract_targets(text)]
    assert all(value != 8 for _, value in got)
    assert any(value == 10 for _, value in got)


def test_a_first_line_cut_after_the_name_is_joined_to_its_level() -> None:
    # a stored copy that starts mid-page: the aim's name on the first line, its level below
    text = "到2027年，全区孕产妇死亡率和婴儿死亡率\n分别控制在9/10万和4‰以下，妇幼健康服务能力明显提升。"
    got = {(t.indicator, t.value, t.year) for t in extract_targets(text)}
    assert got == {("maternal_mortality", 9.0, 2027), ("infant_mortality", 4.0, 2027)}
    # a headline that states a fact is still dropped
    text = "新生儿死亡率继续降低\n市卫健委发布年报，2023年全市新生儿死亡率为1.9‰。"
    assert extract_targets(text) == []


def test_an_aim_quoted_in_news_with_a_spun_verb() -> None:
    text = "近日，市政府印发实施方案。\n方案明确提倡，到2027年，全市儿童伤害死亡率以2022年为基数着落10%。"
    (t,) = extract_targets(text)
    assert (t.indicator, t.comparator, t.value, t.baseline_year, t.year) == (
        "child_injury_mortality", C.RELATIVE_DECREASE_PCT, 10.0, 2022, 2027,
    )


def test_a_web_posts_short_lines_are_a_sentence_of_their_own() -> None:
    text = (
        "某市九部门联合推进托育服务\n"
        "为促进托育服务发展,近日,市卫健委等9部门共同制定了《某市托育服务促进方案(2023—2026年)》\n促进方案提出\n"
        "到2026年\n托育服务水平和支持力度\n进一步提升\n"
        "托育机构卫生评价合格率达到90%以上;家长育儿知识知晓率达到85%以上。\n关爱儿童成长\n共建美好家园\n"
    )
    got = {(t.indicator_zh, t.value, t.year) for t in extract_targets(text)}
    assert got == {("托育机构卫生评价合格率", 90.0, 2026), ("家长育儿知识知晓率", 85.0, 2026)}


def test_an_estimate_of_the_present_is_no_target() -> None:
    text = "据估计,全省新生儿先天性心脏病发生率约为8‰。到2025年,全省孕产妇死亡率控制在9/10万以下。"
    got = [(t.indicator, t.value) for t in extract_targets(text)]
    assert got == [("maternal_mortality", 9.0)]


def test_a_call_at_an_event_is_no_target_but_the_aim_it_quotes_is() -> None:
    text = (
        "省卫健委副主任李某5日在全省儿童保健工作推进会上强调,要切实降低儿童贫血患病率。"
        "《某省儿童发展规划(2016—2020年)》确定了“5岁以下儿童贫血患病率控制在10%以下”的目标,并提出了相应措施。"
    )
    got = [(t.comparator, t.value, t.year) for t in extract_targets(text)]
    assert got == [(C.LE, 10.0, 2020)]


def test_goals_listed_in_a_results_report_are_targets_of_the_plan() -> None:
    text = (
        "《某省儿童发展规划(2016—2020年)》终期统计监测报告显示,规划主要目标如期实现。\n"
        "2020年,全省婴儿死亡率为3.2‰,比2015年下降1.1个千分点。\n"
        "在《规划》中,“儿童与健康”部分提出了10个主要目标:婴儿死亡率控制在6‰以下;5岁以下儿童死亡率控制在8‰以下。\n"
    )
    got = {(t.indicator, t.comparator, t.value, t.year) for t in extract_targets(text)}
    assert got == {("infant_mortality", C.LE, 6.0, 2020), ("under5_mortality", C.LE, 8.0, 2020)}


def test_a_plan_announced_after_the_present_state_in_one_sentence() -> None:
    text = "目前,全区已建成超过30家社区儿童之家,计划到2024年底,实现儿童之家村居全覆盖,服务体系全面建立。"
    got = [(t.indicator, t.value, t.year) for t in extract_targets(text)]
    assert got == [("children_home_coverage", 100.0, 2024)]


def test_a_numbered_goal_opening_with_its_year_is_no_chapter_heading() -> None:
    text = (
        "二、工作目标\n(一)妇幼保健服务网络进一步完善。\n"
        "(二)到2018年,全县婴儿死亡率控制在8‰以下;孕产妇死亡率控制在15/10万以下。\n三、工作任务\n"
    )
    got = {(t.indicator, t.comparator, t.value, t.year) for t in extract_targets(text)}
    assert got == {("infant_mortality", C.LE, 8.0, 2018), ("maternal_mortality", C.LE, 15.0, 2018)}


def test_a_direction_heading_with_a_comma_restated_by_levels_below() -> None:
    text = (
        "(一)主要目标\n1.改善儿童营养状况,降低婴儿和5岁以下儿童贫血患病率。\n"
        "——到2020年,婴儿贫血患病率控制在10%以下;\n——5岁以下儿童贫血患病率控制在12%以下。\n"
    )
    got = {(t.indicator_zh, t.comparator, t.value) for t in extract_targets(text)}
    assert got == {("婴儿贫血患病率", C.LE, 10.0), ("5岁以下儿童贫血患病率", C.LE, 12.0)}


def test_a_headline_restating_the_body_gives_no_targets_of_its_own() -> None:
    text = (
        "某县将新建12所托育机构 孕产妇系统管理率2026年超95%\n\n"
        "记者从县卫健委获悉,该县印发托育服务实施方案,力争到2026年新建托育机构12所,孕产妇系统管理率超过95%。\n"
    )
    got = sorted((t.indicator_zh, t.comparator.value, t.value) for t in extract_targets(text))
    assert len(got) == 2
    assert ("孕产妇系统管理率", ">", 95.0) in got
    assert any(v == 12.0 and "托育机构" in name for name, _, v in got)


def test_a_text_naming_no_year_is_also_scored_with_the_year_unknown(tmp_path: Path) -> None:
    bench = _benchmark()
    text = "一、主要目标\n——孕产妇住院分娩率达到98%以上;\n——婴儿死亡率控制在8‰以下。\n"
    annotation = {
        "id": "undated", "year_in_text": False,
        "targets": [
            {"id": "t01", "indicator": "hospital_delivery_rate", "comparator": ">=", "value": 98, "unit": "%", "year": 2012},
            {"id": "t02", "indicator": "infant_mortality", "comparator": "<=", "value": 8, "unit": "‰", "year": 2012},
        ],
    }
    (tmp_path / "undated.yaml").write_text(yaml.safe_dump(annotation, allow_unicode=True), encoding="utf-8")
    indicators = bench.load_indicators(bench.CATALOG_DIR / "indicators.yaml")
    undated: dict = {}
    results, _ = bench._evaluate([("undated", text, tmp_path / "undated.yaml")], indicators, undated)
    assert (results["undated"].matched, results["undated"].extracted) == (0, 2)  # dated 2030, annotated 2012
    assert (undated["undated"].matched, undated["undated"].catalog) == (2, 2)
    # a text stating its year is scored once, against the annotated years only
    undated.clear()
    annotation["year_in_text"] = True
    (tmp_path / "undated.yaml").write_text(yaml.safe_dump(annotation, allow_unicode=True), encoding="utf-8")
    bench._evaluate([("undated", text, tmp_path / "undated.yaml")], indicators, undated)
    assert undated == {}


def test_a_milestone_of_a_quoted_plan_dates_its_own_clause_only() -> None:
    text = (
        "某省加强妇女健康服务\n"
        "近日,某省人民政府印发《某省妇女发展规划(2021—2030年)》。《规划》提出,孕产妇死亡率控制在10/10万以下,"
        "妇女常见病筛查率达到90%以上。到2025年,县级妇幼保健机构设置孕产期保健门诊的比例达到95%。\n"
        "《规划》要求,每个县至少建设1个妇女儿童活动中心。\n"
    )
    got = {(t.indicator or t.indicator_zh, t.value): t.year for t in extract_targets(text)}
    assert got[("maternal_mortality", 10.0)] == 2030
    assert got[("women_common_disease_screening", 90.0)] == 2030
    assert [y for (_, v), y in got.items() if v == 95.0] == [2025]
    assert [y for (_, v), y in got.items() if v == 1.0] == [2030]
    # a news item quoting a plan it never calls by its kind keeps the milestone it states
    quoted_only = text.replace("《规划》", "文件")
    assert {t.year for t in extract_targets(quoted_only)} == {2025}


def test_a_plans_summary_of_results_is_a_results_report() -> None:
    text = (
        "《某县妇女发展规划(2011—2020年)》实施成果综述\n"
        "规划实施十年来,全县各部门协力推进,圆满完成了规划确定的主要目标任务。\n"
        "孕产妇死亡率从35/10万降至12.5/10万,妇女常见病筛查率为92%,高中阶段女生毛入学率达98.6%。\n"
    )
    assert is_results_report(text)
    assert extract_targets(text) == []


def test_a_change_against_the_last_term_tells_a_result() -> None:
    text = (
        "某省妇联部署村级换届工作\n"
        "上次换届,全省村委会女成员占村委会成员总数23.5%,比上届高4.2%;妇代会主任进村两委达96.1%,较上届提高11.3%。\n"
        "今年要确保每个村委会至少有1名女性成员。\n"
    )
    got = extract_targets(text)
    assert [t.value for t in got] == [1.0]
    assert told_in_past("妇代会主任进村两委达96.1%,较上届提高11.3%。")
    assert not told_in_past("力争女性成员比例比上届提高5%。")


def test_table_flattened_one_cell_per_line() -> None:
    """A table copied from a web page or PDF, each cell on a line of its own: the header's bare
    year cells give the columns (the earlier one a base), a 单位 column qualifies the name, group
    headings are skipped and ``其中`` names stacked under a row take their values column by column."""
    text = "\n".join(
        [
            "某区妇女发展“十四五”主要指标表",
            "指标名称", "单位", "2020年", "2025年", "属性",
            "一、妇女与健康",
            "孕产妇死亡率", "1/10万", "9.8", "8以下", "约束性",
            "二、妇女与就业",
            "城镇新增就业人员中女性比例", "%", "44", "45以上", "预期性",
            "妇女参加职业技能培训比例",
            "其中:农村妇女",
            "30%", "18%", "40%", "25%",
            "预期性",
            "村委会成员中女性比例",
            "其中:城镇",
            "农村",
            "28%", "21%", "30%", "25%",
            "预期性",
        ]
    )
    got = {(t.indicator_zh, t.comparator, t.value, t.year, t.attribute) for t in extract_targets(text)}
    assert ("孕产妇死亡率", C.LT, 8.0, 2025, "binding") in got or ("孕产妇死亡率", C.LE, 8.0, 2025, "binding") in got
    assert ("城镇新增就业人员中女性比例", C.GE, 45.0, 2025, "expected") in got
    assert ("妇女参加职业技能培训比例", C.GE, 40.0, 2025, "expected") in got
    assert any("职业技能培训比例" in n and "农村妇女" in n for n, c, v, y, a in got if (c, v, y, a) == (C.GE, 25.0, 2025, "expected"))
    names = {t.indicator_zh for t in extract_targets(text) if t.value in (30.0, 25.0) and t.year == 2025}
    assert any("城镇" in n and "女性比例" in n for n in names) and any("农村" in n and "女性比例" in n for n in names)
    assert not any(t.value in (9.8, 44.0, 28.0, 21.0) for t in extract_targets(text))  # the 2020 column is the base


def test_planned_count_of_people_served() -> None:
    """A count of the people an activity is to reach, the count before them (with 万 multiplied out)."""
    got = extract_targets("到2027年,计划为全县2.4万名适龄女性进行免费乳腺癌筛查,为全县860名留守儿童提供心理辅导。")
    assert [(t.comparator, t.value, t.year) for t in got] == [(C.GE, 24000.0, 2027), (C.GE, 860.0, 2027)]
    assert "乳腺癌筛查" in got[0].indicator_zh and "留守儿童" in got[1].indicator_zh


def test_event_year_written_without_nian_dates_undated_aims() -> None:
    """A line opening with a year set before a place that acts in it, without 年 (``2017宝鸡市启动…``),
    dates the aims that follow when the text states no goal year."""
    text = "妇女参选参政调研\n\n2017宝鸡市启动第十次村民委员会换届选举工作。本次换届中,每个村民委员会中至少有1名女性成员。"
    got = extract_targets(text)
    assert [(t.comparator, t.value, t.year) for t in got] == [(C.GE, 1.0, 2017)]
    assert infer_goal_year(text) == 2017


def test_share_of_units_holding_a_member() -> None:
    """``N%的…班子中至少有1名…`` is a share of the units holding such a member, not a count of 1."""
    got = extract_targets("到2026年,即95%的社区居委会中至少有1名女性委员,80%的村民小组中至少有1名女性组长。")
    assert [(t.comparator, t.value, t.unit, t.year) for t in got] == [(C.GE, 95.0, "%", 2026), (C.GE, 80.0, "%", 2026)]
    assert "女性委员" in got[0].indicator_zh and "女性组长" in got[1].indicator_zh


def test_press_conference_on_a_past_period_is_a_results_report() -> None:
    """A press conference introducing a past period's situation reports results: its levels of
    past years are not aims."""
    text = (
        "卫健委:妇幼健康水平持续提升\n\n"
        "今天上午,省卫健委举行新闻发布会,介绍“十三五”期间全省妇幼健康事业发展情况。"
        "2019年,全省孕产妇系统管理率达到93.2%,住院分娩率达到99.8%。"
    )
    assert is_results_report(text)
    assert extract_targets(text) == []


def test_a_two_column_table_in_running_text_with_one_bar_a_row() -> None:
    text = (
        "某省全民健康规划主要指标如下。\n"
        "2035年主要健康指标:\n"
        "婴儿死亡率 4.5‰(目前6.2‰) |\n"
        "孕产妇死亡率 10/10万(现状14.8/10万) |\n"
        "人均预期寿命 达到80岁(2028年人均预期寿命达到79岁) |\n"
        "居民健康素养水平 提高到35% |\n"
        "以上指标由省卫生健康委牵头落实。\n"
    )
    got = {(t.indicator or t.indicator_zh, t.comparator, t.value, t.year) for t in extract_targets(text)}
    assert got == {
        ("infant_mortality", C.LE, 4.5, 2035), ("maternal_mortality", C.LE, 10.0, 2035),
        ("life_expectancy", C.GE, 80.0, 2035), ("life_expectancy", C.GE, 79.0, 2028),
        ("居民健康素养水平", C.GE, 35.0, 2035),
    }


def test_a_change_over_a_span_of_past_years_is_a_result() -> None:
    """``2016年至2020年,…从88%提高到93.5%``: a change over years before the text's own is what happened."""
    text = (
        "某市印发儿童发展“十四五”规划\n\n"
        "规划称,2016年至2020年,全市孕产妇系统管理率从88%提高到93.5%,到2025年,全市婴儿死亡率控制在4‰以下。"
        "2016—2020年,全市住院分娩率由97%提高到99.6%。"
        "2021—2025年,全市7岁以下儿童健康管理率由92%提高到96%。"
    )
    got = [(t.indicator, t.comparator, t.value, t.year) for t in extract_targets(text)]
    assert got == [("infant_mortality", C.LE, 4.0, 2025), ("child_health_management_under7", C.GE, 96.0, 2025)]


def test_an_earlier_plans_aim_and_its_result_told_as_history() -> None:
    """A sentence naming a five-year plan other than the text's own states that plan's aim (dated at its
    end, before the text's goals); a level a statistical bulletin gives is a result."""
    text = (
        "某市“十四五”卫生健康规划解读\n\n来源:市卫健委\n\n"
        "规划提出,到2025年,全市人均预期寿命达到81岁。\n\n"
        "规划的编制参照了本地经济社会和医疗水平。\n\n"
        "“十三五”规划首次将孕产妇系统管理率列为约束性指标,规划目标为92%。"
        "根据市统计局发布的《2020年国民经济和社会发展统计公报》,最终实现95.1%,已接近发达地区水平。"
    )
    assert [(t.indicator, t.value, t.year) for t in extract_targets(text)] == [("life_expectancy", 81.0, 2025)]
    news = (
        "人均预期寿命 某市增至80岁\n\n来源:某市日报\n\n"
        "市政府发布的《某市卫生健康“十三五”规划》提出,到2020年全市人均预期寿命提高至80岁。\n\n"
        "全市人均预期寿命到2010年人口普查时已达到77.2岁。“十二五”规划将人均预期寿命列为主要指标,规划目标为78岁。"
    )
    assert [(t.indicator, t.value, t.year) for t in extract_targets(news)] == [("life_expectancy", 80.0, 2020)]
    plan = "某县儿童发展规划（2021—2030年）\n\n主要目标\n\n与“十四五”规划相衔接,全县孕产妇系统管理率达到95%以上。"
    assert [(t.value, t.year) for t in extract_targets(plan)] == [(95.0, 2030)]  # a plan of its own period


def test_a_review_of_a_period_and_a_level_already_raised_are_results() -> None:
    text = (
        "某市妇幼健康指标居全省前列\n\n"
        "市长在回顾“十三五”时期工作时表示,全市婴儿死亡率低于3‰。"
        "2020年,全市孕产妇系统管理率已提高到96.2%,比全省平均水平高1.5个百分点。\n\n"
        "孕产妇死亡率已降低到8.5/10万。"
    )
    assert extract_targets(text) == []


def test_a_monitoring_report_counting_targets_reached_states_no_aim() -> None:
    """A report that counts the plan's indicators that reached their targets is a results report: the
    measures it tells (``降低儿童贫血患病率``) and the share of indicators reached are no aims."""
    text = (
        "全区儿童服务惠及36210人次,其中完成新生儿访视4120人次\n\n"
        "加强儿童保健服务,降低儿童贫血患病率,提高儿童健康管理水平。\n\n"
        "二、总体情况\n\n"
        "83.5%的监测指标达到中期目标,46项提前达到2025年规划目标。"
    )
    assert is_results_report(text)
    assert extract_targets(text) == []


def test_a_headline_of_a_new_level_reached_opens_a_results_report() -> None:
    text = (
        "某省“十四五”妇女事业再上新台阶\n\n来源:某报\n\n"
        "政治参与方面,村委会成员中女性比例稳步上升,女性在科技人员中占比持续提高。"
    )
    assert is_results_report(text)
    assert extract_targets(text) == []
    assert not is_results_report("某省妇女发展规划\n\n到2030年,妇女事业迈上新台阶,村委会成员中女性比例稳步上升。")
    assert not is_results_report("某市出台儿童发展规划 推动儿童事业迈上新台阶\n\n女童入学率保持100%。")


def test_a_years_practical_projects_aim_at_that_year() -> None:
    """A list of a year's practical projects (``2026年为妇女儿童办实事项目``) sets floors for that year."""
    text = "市妇联公布2026年为妇女儿童办的十件实事\n\n1.新建妇女儿童之家80个。\n2.建成示范性家长学校20所。"
    assert infer_goal_year(text) == 2026
    assert [(t.value, t.year) for t in extract_targets(text)] == [(80.0, 2026), (20.0, 2026)]


def test_problems_told_after_a_look_at_the_challenges_are_no_aims() -> None:
    text = (
        "某省卫生健康规划解读\n\n来源:省卫健委\n\n规划提出,到2025年,全省婴儿死亡率控制在4.5‰以下。\n\n"
        "同时也应看到,全省仍面临多种健康问题交织的局面。儿童青少年总体近视率逐年上升,超重肥胖人数不断增多,心理健康问题仍较突出。"
    )
    assert [(t.indicator, t.value, t.year) for t in extract_targets(text)] == [("infant_mortality", 4.5, 2025)]


# ------------------------------------------------ fifteenth round (issue #13)


def test_responsible_units_on_lines_of_their_own_are_kept_as_responsible() -> None:
    """A target-responsibility table flattened to text: each goal a ``——`` line, its units one a line
    after it; the units are neither part of a name nor joined to the next goal."""
    text = (
        "某省妇女发展规划（2021—2030年）目标责任分解\n"
        "1.妇女与健康\n"
        "——降低城乡妇女宫颈癌死亡率\n"
        "省卫生健康委\n"
        "省医保局\n"
        "——孕产妇系统管理率达到92%以上。\n"
        "省卫生健康委\n"
        "省妇联\n"
        "——提高妇女经常参加体育锻炼的比例\n"
        "省体育局\n"
    )
    got = [(t.indicator_zh, t.comparator, t.value, t.responsible) for t in extract_targets(text)]
    assert got == [
        ("城乡妇女宫颈癌死亡率", C.DECREASE, None, ["省卫生健康委", "省医保局"]),
        ("孕产妇系统管理率", C.GE, 92.0, ["省卫生健康委", "省妇联"]),
        ("妇女经常参加体育锻炼比例", C.INCREASE, None, ["省体育局"]),
    ]


@pytest.mark.parametrize("line", ["省卫生健康委", "市教育局", "团省委", "省妇联", "省人力资源社会保障厅", "省发展改革委", "县残联"])
def test_unit_lines_are_recognised(line: str) -> None:
    from childplan_analysis.catalog.bodies import is_body_line

    assert is_body_line(line)


@pytest.mark.parametrize("line", ["主要责任单位", "儿童与教育", "提高出生人口素质", "婴儿死亡率", "社会保障"])
def test_goal_and_heading_lines_are_no_units(line: str) -> None:
    from childplan_analysis.catalog.bodies import is_body_line

    assert not is_body_line(line)


def test_a_goal_set_off_by_a_dash_is_read_as_a_direction() -> None:
    text = "某县儿童发展规划（2021—2030年）\n——逐步降低学龄儿童近视和肥胖发生率。\n"
    got = [(t.comparator, t.year) for t in extract_targets(text)]
    assert got and all(g == (C.DECREASE, 2030) for g in got)


def test_this_years_aims_are_dated_the_year_the_text_gives_them() -> None:
    """News of a year's work: ``今年,…将…`` under a 2021—2030 plan the text only names, and one aim dated
    ``2024年,全县将…``: undated aims of the text are of 2024, not of the plan's end."""
    text = (
        "县妇儿工委召开全体会议\n\n"
        "近日,县妇儿工委召开全体会议,部署落实《某省儿童发展规划(2021-2030年)》。\n\n"
        "2024年,全县将把儿童青少年总体近视率控制在52%以内。今年,还将提高适龄女童人乳头瘤病毒疫苗接种率。"
    )
    assert infer_goal_year(text) == 2024
    assert {t.year for t in extract_targets(text)} == {2024}
    assert infer_goal_year(text.replace("今年,", "")) == 2030  # no 今年: the quoted plan's end


def test_the_purpose_of_a_measure_is_no_aim_of_its_own() -> None:
    text = (
        "某市妇女儿童工作要点\n\n"
        "为减少新生儿窒息死亡,降低新生儿死亡率,全面推广新生儿复苏技术。到2025年,产前筛查率达到80%。"
    )
    assert [(t.comparator, t.value) for t in extract_targets(text)] == [(C.GE, 80.0)]


def test_a_subheading_restating_a_level_in_other_words_is_one_target() -> None:
    text = (
        "某省全民健康规划解读\n\n"
        "小学生每天锻炼时间不少于1小时\n\n"
        "到2030年,全省小学生每日锻炼时间不少于1小时,成人经常参加体育锻炼比例达到40%。"
    )
    got = [(t.indicator_zh, t.value) for t in extract_targets(text)]
    assert got == [("小学生每日锻炼时间", 1.0), ("成人经常参加体育锻炼比例", 40.0)]
    # a subheading of another quantity with the same level stays
    other = text.replace("小学生每天锻炼时间", "幼儿户外活动时间")
    assert ("幼儿户外活动时间", 1.0) in [(t.indicator_zh, t.value) for t in extract_targets(other)]


def test_a_direction_after_a_level_of_the_same_quantity_is_no_second_target() -> None:
    text = "某市生态环境与健康规划\n\n到2030年,城市生活垃圾无害化处理率达到98%,并保持持续提高。"
    assert [(t.comparator, t.value) for t in extract_targets(text)] == [(C.GE, 98.0)]


def test_a_one_year_programmes_goals_are_of_its_year() -> None:
    """A programme titled with one year (its body run on after the title) sets that year's goals."""
    text = (
        "某乡2023年儿童营养改善项目工作方案为切实改善农村儿童营养状况,结合本乡实际,制定本方案。"
        " 一、工作目标(一)6—24月龄婴幼儿营养包有效服用率达到75%以上。 (二)项目地区儿童贫血率下降。"
    )
    assert infer_goal_year(text) == 2023
    assert {t.year for t in extract_targets(text)} == {2023}
    # a title naming no year: the year must be assumed
    assert infer_goal_year(text.replace("2023年儿童", "儿童")) == 2030


def test_this_years_plans_are_dated_by_the_texts_dates_of_the_year() -> None:
    """An abstract telling what was done early in a year and what 今年 will bring: the year of those dates."""
    text = (
        "摘要\n\n2021年3月,某州印发《关于加强困境儿童保障工作的通知》,明确了工作职责。"
        "今年计划建设儿童之家50个,儿童主任培训覆盖率达到95%。"
    )
    assert infer_goal_year(text) == 2021
    assert {t.year for t in extract_targets(text)} == {2021}
    # no plans of 今年: the dates are facts, the year must be assumed
    assert infer_goal_year(text.replace("今年计划", "各地")) == 2030


def test_years_before_the_quoted_plans_period_are_no_goal_years() -> None:
    """News of a plan whose period is named: a year told before that period (``2008年降至…``) is a fact."""
    text = (
        "某省将全面推行产前筛查\n\n"
        "省政府近日印发的《某省儿童发展规划(2016-2025年)》提出,加强出生缺陷防治。\n\n"
        "2005年以前,全省产前筛查率保持在60%以上,2008年降至20.5%。\n\n"
        "《规划》要求,孕产妇产前筛查率达到85%以上;5岁以下儿童死亡率控制在8‰以下。"
    )
    assert infer_goal_year(text) == 2025
    assert {t.year for t in extract_targets(text)} == {2025}


def test_a_part_heading_run_into_its_first_goal_is_no_part_of_its_name() -> None:
    text = (
        "某区2025年托育服务工作计划为推动托育服务发展,制定本计划。 二、主要指标1、普惠托位占比达到60%以上。"
        " 2、托育机构备案率达100%。"
    )
    got = extract_targets(text)
    assert [(t.indicator_zh, t.value) for t in got][0] == ("普惠托位占比", 60.0)
    assert got[0].article is not None and got[0].article.startswith("二、主要指标")


def test_a_programmes_profile_of_the_region_gives_no_targets() -> None:
    """A programme opening on the region's profile (``一、工作基础``, ``(一)基本情况``): its shares are now."""
    text = (
        "某县儿童友好县建设实施方案\n一、工作基础\n(一)人口基本情况\n"
        "全县常住人口48.2万,其中0-14岁儿童占比为17.35%,城镇化率为51.2%。\n"
        "二、主要目标\n到2026年,儿童友好社区覆盖率达到50%。\n"
    )
    got = [(t.indicator_zh, t.value) for t in extract_targets(text)]
    assert got == [("儿童友好社区覆盖率", 50.0)]


def test_this_years_key_tasks_are_of_the_year_of_the_work_meeting() -> None:
    text = (
        "某省将托育服务列入今年重点民生项目\n\n"
        "近日,某省召开2023年全省卫生健康工作会议,明确将发展普惠托育列入今年重点攻坚任务。\n\n"
        "会议要求,确保托育机构备案率95%、普惠托位占比60%的目标任务如期实现。"
    )
    assert infer_goal_year(text) == 2023
    assert {(t.value, t.year) for t in extract_targets(text)} == {(95.0, 2023), (60.0, 2023)}


def test_a_work_reports_aims_for_one_year_are_of_that_year() -> None:
    """A work report's news: five years of results, then one year's aims told after a comma (its 年 lost in
    the copy), an aim to be met 尽快 (as soon as possible)."""
    text = (
        "某县政府工作报告解读\n\n"
        "过去五年,某县新建幼儿园9所,婴儿死亡率下降到3.1‰,民生事业取得长足进步。\n\n"
        "报告提出,2025,某县将新建城东第二小学。改建一批普惠性幼儿园,尽快实现普惠性幼儿园覆盖率90%以上。"
    )
    assert infer_goal_year(text) == 2025
    got = [(t.indicator, t.value, t.year) for t in extract_targets(text)]
    assert got == [("inclusive_kindergarten_coverage", 90.0, 2025)]
    # two years of aims: neither is the text's year
    two = text.replace("长足进步。", "长足进步。2024年,全县将新建城西幼儿园。")
    assert infer_goal_year(two) == 2030


def test_a_task_stated_before_its_progress_is_a_target() -> None:
    """A progress report: the task (``…任务为A率和B率分别达到…``) then what is reached so far (``截至目前,…``)."""
    text = (
        "某县民生实事第三季度进展\n"
        "(二)卫生健康。儿童口腔健康行动目前已完成窝沟封闭3200人。"
        "儿童眼保健行动任务为0-6岁儿童眼保健覆盖率和视力筛查覆盖率分别达到92%以上和90%以上,截至目前,两项覆盖率均为93.5%。\n"
    )
    got = [(t.indicator_zh, t.comparator, t.value) for t in extract_targets(text, plan_year_end=2025)]
    assert got == [("0-6岁儿童眼保健覆盖率", C.GE, 92.0), ("视力筛查覆盖率", C.GE, 90.0)]


def test_this_year_after_a_run_of_whole_years_of_results() -> None:
    """News of a run of results (``2017年至2021年,全市连续5年…``) and of criteria to meet ``今年``: the
    results are no aims; the criteria quoted after ``即:`` are the aims of the year after the run."""
    text = (
        "某市召开妇幼健康工作会议\n"
        "2017年至2021年,全市连续5年孕产妇死亡率低于10/10万,婴儿死亡率低于3‰。市卫健委表示,今年将全面达到"
        "省级妇幼健康示范市标准,即:婴儿死亡率控制在4‰及以下;3岁以下儿童系统管理率达到92%及以上。"
    )
    got = [(t.indicator, t.comparator, t.value, t.year) for t in extract_targets(text)]
    assert got == [
        ("infant_mortality", C.LE, 4.0, 2022),
        ("child_systematic_management_under3", C.GE, 92.0, 2022),
    ]
    # without the run of results nothing dates 今年: the undated criteria keep the assumed year
    undated = text.replace("2017年至2021年,全市连续5年孕产妇死亡率低于10/10万,婴儿死亡率低于3‰。", "")
    assert {t.year for t in extract_targets(undated)} == {2030}


# ------------------------------------------------ two milestones in one list (issue #13, round 18)


def test_goals_listed_under_each_milestone_take_that_milestone() -> None:
    """``到2022年,…实现以下目标:——…;到2035年,实现以下目标:——…``: each item takes the milestone of the
    nearest clause before it that announces goals, also on the lines after that clause."""
    text = (
        "某县全民健身实施计划(2021—2035年)\n"
        "二、发展目标\n"
        "到2022年,全民健身公共服务体系基本建立。主要健身指标实现以下目标:\n"
        "——经常参加体育锻炼人数比例达到38%以上;城乡居民国民体质测定标准合格率达到92%以上。\n"
        "到2035年,实现以下目标:\n"
        "——经常参加体育锻炼人数比例达到45%以上。\n"
    )
    got = [(t.indicator_zh, t.value, t.year) for t in extract_targets(text)]
    assert got == [
        ("经常参加体育锻炼人数比例", 38.0, 2022),
        ("城乡居民国民体质测定标准合格率", 92.0, 2022),
        ("经常参加体育锻炼人数比例", 45.0, 2035),
    ]


def test_milestones_whose_years_the_copy_lost_stay_apart() -> None:
    """A copy that replaced the years by a letter (``到 Y 年,实现以下目标:``): the same aim under two
    milestones is two targets, each flagged with its milestone's rank, their year assumed."""
    text = (
        "为落实全民健身计划,结合本区实际,制定本方案。一、主要目标到 Y 年,实现以下目标:——提高青少年体育课程开课率。——中小学生近视率控制在50%以下。"
        "到 Y 年,实现以下目标:——提高青少年体育课程开课率。——中小学生近视率控制在40%以下。"
    )
    got = [(t.indicator_zh, t.comparator, t.value, sorted(t.flags)) for t in extract_targets(text)]
    assert [g[:3] for g in got] == [
        ("青少年体育课程开课率", C.INCREASE, None),
        ("中小学生近视率", C.LE, 50.0),
        ("青少年体育课程开课率", C.INCREASE, None),
        ("中小学生近视率", C.LE, 40.0),
    ]
    assert [[f for f in g[3] if f.startswith("lost_year")] for g in got] == [
        ["lost_year_milestone_1"], ["lost_year_milestone_1"], ["lost_year_milestone_2"], ["lost_year_milestone_2"],
    ]
    assert all("year_assumed" in g[3] for g in got)


def test_a_milestone_clause_ends_at_the_next_heading() -> None:
    """The milestone a clause announced does not carry into the next chapter, whose undated goals keep
    the plan's year."""
    text = (
        "某市儿童发展规划(2021—2030年)\n"
        "(一)儿童与健康\n"
        "到2025年,实现以下目标:\n"
        "1.婴儿死亡率控制在4.5‰以下。\n"
        "(二)儿童与教育\n"
        "1.学前教育毛入园率达到95%以上。\n"
    )
    got = [(t.indicator, t.year) for t in extract_targets(text)]
    assert got == [("infant_mortality", 2025), ("preschool_gross_enrolment", 2030)]


def test_a_heading_aim_for_people_at_large_over_levels_for_groups() -> None:
    """``——降低居民吸烟率。男性吸烟率…;女性吸烟率…``: the heading names the aim the groups' levels state;
    a heading without such levels stays an aim."""
    text = (
        "某县控烟行动方案\n二、工作目标\n"
        "——降低居民吸烟率。男性吸烟率控制在40%以下;女性吸烟率控制在2%以下。\n"
        "——降低居民饮酒率。\n"
    )
    got = [(t.indicator_zh, t.comparator, t.value) for t in extract_targets(text, plan_year_end=2025)]
    assert got == [("男性吸烟率", C.LE, 40.0), ("女性吸烟率", C.LE, 2.0), ("居民饮酒率", C.DECREASE, None)]


def test_a_direction_set_off_by_a_dash_inside_a_line() -> None:
    """``…。——提高…率。``: a goal set off by a dash after another on the same line is read as the first."""
    text = "某区学生健康促进方案\n二、工作目标\n——中小学生近视率控制在45%以下。——提高中小学生体质健康达标率。\n"
    got = [(t.indicator_zh, t.comparator, t.value) for t in extract_targets(text, plan_year_end=2025)]
    assert got[-1] == ("中小学生体质健康达标率", C.INCREASE, None) and len(got) == 2


def test_a_year_told_sentences_before_a_list_announces_nothing() -> None:
    """``…到2020年…降至…。…。…。主要指标如下:``: the year two sentences before the colon does not date the list."""
    text = (
        "某市儿童发展规划(2021—2030年)\n一、主要目标\n"
        "“十三五”期间,我市到2020年孕产妇死亡率降至12/10万以下。各项工作成效明显。今后工作要求更高。主要指标如下:\n"
        "1.婴儿死亡率控制在4‰以下。\n"
    )
    assert [(t.indicator, t.year) for t in extract_targets(text) if t.indicator == "infant_mortality"] == [
        ("infant_mortality", 2030)
    ]


def test_the_same_aim_of_two_plans_in_one_news_item() -> None:
    """``《A》提出,…5‰。《B》提出,…。…5‰…``: each plan's aim is a target; an aim said again without a
    plan named (or of the same plan) is one."""
    text = (
        "省卫健委发布两项行动计划\n"
        "《出生缺陷防治行动计划(2023—2027年)》提出,到2027年全省新生儿死亡率下降到2.5‰。"
        "《新生儿安全行动计划(2023—2027年)》提出,到2027年,新生儿救治能力进一步提升。"
        "新生儿死亡率和婴儿死亡率分别控制在2.5‰和4‰以下。新生儿死亡率控制在2.5‰以下。\n"
    )
    got = [(t.indicator, t.value, t.quoted_from) for t in extract_targets(text) if t.indicator == "neonatal_mortality"]
    assert [g[:2] for g in got] == [("neonatal_mortality", 2.5), ("neonatal_mortality", 2.5)]
    assert {g[2] for g in got} == {"出生缺陷防治行动计划(2023—2027年)", "新生儿安全行动计划(2023—2027年)"}


def test_this_year_dated_by_a_notice_on_the_years_work() -> None:
    """``根据《…关于做好2024年…有关工作的通知》精神,今年3月起,我县将…``: 今年 is the notice's year."""
    text = (
        "农村学生营养午餐项目启动\n"
        "根据《市教育局关于做好2024年中小学生营养改善有关工作的通知》精神,今年3月起,我县将为农村义务教育学生提供"
        "免费营养午餐。全县将有2500多名农村学生受益。\n"
    )
    got = [(t.indicator_zh, t.value, t.year) for t in extract_targets(text)]
    assert got == [("受益农村学生人数", 2500.0, 2024)]


def test_purposes_listed_with_qualitative_aims_before_an_aim() -> None:
    """``增强…意识,提高…水平,降低…率,力争到2028年80%的…``: the direction is a purpose the aim serves; without a
    level in the sentence it stays an aim."""
    text = (
        "市卫健委部署科学育儿指导项目\n"
        "项目要增强家长科学育儿意识,提高儿童早期发展服务水平,降低儿童营养不良患病率,"
        "力争到2028年80%的3岁以下儿童家庭接受科学育儿指导。\n"
    )
    got = [(t.comparator, t.value) for t in extract_targets(text)]
    assert got == [(C.GE, 80.0)]
    aim_only = "某县妇幼健康工作要点\n要增强家长科学育儿意识,提高儿童早期发展服务水平,降低儿童营养不良患病率。\n"
    assert [t.comparator for t in extract_targets(aim_only)] == [C.DECREASE]


def test_a_milestone_dates_its_own_sentence_when_the_quoted_plan_speaks_without_brackets() -> None:
    """``…《某市儿童发展规划(2011—2020年)》…规划提出,…到2015年,…。…``: the milestone dates its own sentence; the
    sentences after it, and those of ``规划指出`` paragraphs, aim at the plan's end."""
    text = (
        "某市出台儿童发展规划\n"
        "近日,某市印发《某市儿童发展规划(2011—2020年)》。规划在“儿童与教育”方面提出了主要目标:"
        "到2015年,学前三年毛入园率达到85%。小学净入学率保持在99%以上。高中阶段毛入学率达到92%。\n"
        "规划指出,5岁以下儿童死亡率控制在12‰以下。\n"
    )
    got = {t.value: t.year for t in extract_targets(text)}
    assert got == {85.0: 2015, 99.0: 2020, 92.0: 2020, 12.0: 2020}
    # a text that never has the plan speak keeps the milestone it states for every sentence
    unspoken = text.replace("规划在“儿童与教育”方面提出了主要目标:", "").replace("规划指出,", "")
    assert {t.year for t in extract_targets(unspoken)} == {2015}


def test_a_heading_asked_as_a_question_ends_at_its_question_mark() -> None:
    """``一、…目标是什么? 到2019年底…``: an interpretation in questions and answers, the answer run on after the
    numbered question."""
    text = (
        "关于《某区关于推进儿童之家建设的实施意见》的政策解读\n"
        "一、儿童之家建设的目标是什么? 到2019年底全区各村(社区)新建规范化儿童之家争取达到40个以上。 "
        "二、儿童之家设在哪里? 设在村(社区)综合服务中心。\n"
    )
    got = [(t.value, t.unit, t.year) for t in extract_targets(text)]
    assert got == [(40.0, "个", 2019)]


def test_a_plans_goal_with_a_stated_base_is_read_and_a_past_change_is_not() -> None:
    """``…巩固率由2020年的93%提高到97%``: the plan's goal, its stated base recorded; ``由2016年的…下降到2020年的…``
    and ``由2016年的…下降了…`` tell what happened."""
    text = (
        "某县教育发展“十四五”规划\n"
        "主要目标:九年义务教育巩固率由2020年的93%提高到97%。\n"
        "“十三五”期间,全县小学辍学率由2016年的1.2%下降到2020年的0.3%,初中辍学率由2016年的2.1%下降了1.5个百分点。\n"
    )
    got = [(t.indicator or t.indicator_zh, t.value, t.year, t.stated_baseline) for t in extract_targets(text)]
    assert got == [("compulsory_education_retention", 97.0, 2025, (2020, 93.0))]


def test_the_end_of_this_year_and_the_next_dated_by_the_texts_goal_years() -> None:
    """``到今年底…;到明年底…`` in a report whose body dates its aims: this year is the earliest goal year (an aim for
    this year's end is the nearest), next year the one after; a date of the text's own events comes first."""
    text = (
        "某省推进儿童之家建设\n"
        "近日,某省民政厅等6部门印发《关于推进儿童之家建设的通知》。《通知》要求,到今年底,城市社区儿童之家覆盖率不低于60%;"
        "到明年底,农村社区儿童之家覆盖率达到70%。\n"
        "《通知》指出,到2023年底,城市社区儿童之家覆盖率不低于60%。到2024年底,农村社区儿童之家覆盖率达到70%。\n"
    )
    got = {(t.value, t.year) for t in extract_targets(text)}
    assert got == {(60.0, 2023), (70.0, 2024)}
    dated = text.replace("近日,", "2022年3月,").replace("到2023年底", "到2025年底").replace("到2024年底", "到2026年底")
    got = sorted((t.value, t.year) for t in extract_targets(dated))
    assert got == [(60.0, 2022), (60.0, 2025), (70.0, 2023), (70.0, 2026)]


def test_a_rate_named_by_its_head_alone_restating_the_bodys_aim() -> None:
    """``到2024年,覆盖率达75%`` in the lead, ``…社区儿童之家覆盖率达到75%`` in the body: one target, the one named in full;
    a bare rate with a value of its own stays."""
    text = (
        "某市加快儿童之家建设\n"
        "《方案》明确,到2024年,覆盖率达75%。到2025年,合格率达到90%。\n"
        "《方案》指出,到2024年,全市城乡社区儿童之家覆盖率达到75%。\n"
    )
    got = [(t.indicator_zh, t.value, t.year) for t in extract_targets(text)]
    assert got == [("合格率", 90.0, 2025), ("城乡社区儿童之家覆盖率", 75.0, 2024)]


def test_years_ahead_of_a_dated_text_are_dated_from_it() -> None:
    """``今后五年``, ``未来3年``, ``年内`` after the text's own dated events are years from that date; a text stating
    no date of its own keeps the assumed year (flagged), never a guessed one."""
    congress = "2019年3月5日,市妇联召开第十次妇女代表大会。今后五年,全市将建设妇女之家300个。"
    assert [(t.value, t.year, "year_assumed" in t.flags) for t in extract_targets(congress)] == [(300.0, 2024, False)]
    points = "2016年8月,区卫健委印发工作要点。年内,全区孕产妇系统管理率达到92%以上。"
    assert [_key(t) for t in extract_targets(points)] == [("maternal_systematic_management", C.GE, 92.0, 2016)]
    board = "2021年6月,县妇联召开执委会。未来3年,全县将培育女性创业带头人500名。"
    assert [t.year for t in extract_targets(board)] == [2024]
    undated = extract_targets("今后五年,全市将建设妇女之家300个。")
    assert [(t.year, "year_assumed" in t.flags) for t in undated] == [(2030, True)]


def test_a_period_and_items_written_with_box_drawing_dashes() -> None:
    """A copy writing its dashes as box-drawing lines (``(2011━2015年)``, ``━━`` items) reads its period."""
    text = (
        "《某省妇女发展规划》(2011━2015年)\n一、妇女与健康\n(一)主要目标。\n"
        "━━孕产妇死亡率控制在20/10万以下。\n━━提高妇女常见病筛查率。\n"
    )
    got = [(t.indicator, t.comparator, t.year) for t in extract_targets(text)]
    assert got[0] == ("maternal_mortality", C.LE, 2015)
    assert all(year == 2015 for *_, year in got) and len(got) == 2


# --- twenty-first round ---


def test_scorer_compares_a_count_of_people_in_either_order() -> None:
    """A count of people named by what is done first (``免费体检的退休女职工人数``) matches a phrase naming
    the people first (``退休女职工免费体检``); another activity or another group stays apart."""
    bench = _benchmark()
    want = {("?退休女职工免费体检", ">=", 800.0, 2026): ["a"], ("?留守儿童心理辅导", ">=", 300.0, 2026): ["b"]}
    got = {
        ("?免费体检的退休女职工人数", ">=", 800.0, 2026): ["x"],
        ("?法律咨询的留守儿童人数", ">=", 300.0, 2026): ["y"],
    }
    s = bench.score(got, want)
    assert (s.matched, s.extracted, s.catalog) == (1, 2, 2)
    assert [k for k, _ in s.spurious] == [("?法律咨询的留守儿童人数", ">=", 300.0, 2026)]


def test_a_year_placed_inside_a_five_year_plan_dates_nothing() -> None:
    """``年是“十三五”承上启下的关键一年`` (the year's digits lost) says the year is one of the 十三五 period, not
    which: the aims of the year's list keep the assumed year (flagged), never the period's end; a plan
    named as the period of the aims (``“十三五”期间``) still dates them."""
    inside = "年是“十三五”承上启下的关键一年。\n区妇联为民办实事清单\n1.新建社区妇女微家15个。\n"
    assert [(t.value, "year_assumed" in t.flags) for t in extract_targets(inside)] == [(15.0, True)]
    assert infer_goal_year(inside) != 2020
    span = "“十三五”期间,区妇联将新建社区妇女微家15个。\n"
    assert [(t.value, t.year) for t in extract_targets(span)] == [(15.0, 2020)]


def test_a_notice_issuing_a_years_programme_dates_its_undated_goals() -> None:
    """``关于印发《某县2025年…工作要点》的通知`` then the programme: its undated goals are that year's; a notice
    issuing a ten-year plan leaves its goals to the plan's end."""
    points = ("关于印发《柳河县2025年妇女儿童工作要点》的通知\n各乡镇人民政府：现将工作要点印发给你们，请抓好落实。\n"
              "一、主要目标\n1.孕产妇系统管理率达到93%以上。\n2.新建村级儿童之家12个。\n")
    assert {t.year for t in extract_targets(points)} == {2025}
    plan = ("关于印发《柳河县妇女发展规划（2021—2030年）》的通知\n各乡镇人民政府：现将规划印发给你们。\n"
            "主要目标：\n1.孕产妇系统管理率达到93%以上。\n")
    assert {t.year for t in extract_targets(plan)} == {2030}
