"""Twenty-second round of plan-text extraction: tables with single-space cells under section lines, a
scheme's own year, shares of kinds of units, qualifiers shared through a list, base levels written
inside a name, fractions, abbreviated congresses."""

from __future__ import annotations

import pytest

from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.grammar import parse_target
from childplan_analysis.catalog.periods import DEFAULT_GOAL_YEAR, stated_goal_year

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _named(targets, name):
    return [t for t in targets if t.indicator_zh == name]


# --------------------------------------------------------------------------- tables

SPACED_TABLE = """某县教育事业发展“十四五”规划主要指标
指 标
单位 2020年 2025年
学前教育
在园幼儿 万人 3.2 3.5
毛入园率 % 88 92
高中阶段教育
毛入学率 % 90.5 94
在校生 万人 2.1 2.4
其中:女生 万人 1.0 1.2
二、主要任务
"""


def test_a_table_with_single_space_cells_is_read_under_its_section_lines():
    targets = extract_targets(SPACED_TABLE)
    by_indicator = {t.indicator: t for t in targets if t.indicator}
    assert by_indicator["preschool_gross_enrolment"].value == 92
    assert by_indicator["senior_secondary_gross_enrolment"].value == 94
    assert {t.year for t in targets} == {2025}  # the 2020 column is the base
    kids = [t for t in targets if t.indicator is None and "在园幼儿" in t.indicator_zh]
    assert [(t.indicator_zh, t.value, t.unit) for t in kids] == [("学前教育在园幼儿", 35000, "人")]
    girls = [t for t in targets if t.indicator is None and "女生" in t.indicator_zh]
    assert [(t.indicator_zh, t.value) for t in girls] == [("高中阶段教育在校女生", 12000)]


def test_a_sentence_is_no_spaced_table():
    assert [t.value for t in extract_targets("到2025年，学前教育毛入园率 达到 92%。")] == [92]


# --------------------------------------------------------------------------- years

def test_a_schemes_version_year_dates_its_undated_goals():
    text = (
        "省卫生健康委近日印发《某省儿童眼保健服务实施方案(2024年版)》。\n"
        "方案提出,儿童弱视筛查率达到95%以上,可疑患儿转诊率达到90%以上。\n"
    )
    assert stated_goal_year(text) == 2024
    assert {t.year for t in extract_targets(text)} == {2024}


def test_a_plan_implemented_does_not_date_the_goals_of_an_undated_scheme_issued():
    text = (
        "关于印发《某市儿童听力筛查试点工作方案》的通知\n"
        "为落实《某某健康行动计划(2019—2022年)》,制定本方案。\n"
        "一、工作目标\n"
        "试点地区新生儿听力筛查率达到92%以上。\n"
    )
    assert stated_goal_year(text) is None
    (t,) = extract_targets(text)
    assert t.year == DEFAULT_GOAL_YEAR and "year_assumed" in t.flags


def test_a_news_report_of_a_dated_plan_keeps_that_plans_year():
    text = "国务院印发《某某发展纲要(2021—2030年)》。\n纲要提出,女童入学率达到99%。\n"
    assert stated_goal_year(text) == 2030


# --------------------------------------------------------------------------- lists

def test_a_group_and_a_rates_head_are_shared_by_the_conditions_listed():
    out = parse_target("儿童弱视和屈光不正筛查率保持在90%以上", year=2027)
    assert sorted((t.indicator_zh, t.value) for t in out) == [("儿童屈光不正筛查率", 90), ("儿童弱视筛查率", 90)]
    falls = parse_target("婴幼儿缺铁和营养不良发生率持续下降", year=2027)
    assert sorted(t.indicator_zh for t in falls) == ["婴幼儿缺铁发生率", "婴幼儿营养不良发生率"]


def test_a_list_of_things_known_by_one_rate_stays_one():
    (t,) = parse_target("妇女生殖健康知识和防艾知识知晓率提高", year=2027)
    assert "知晓率" in t.indicator_zh


def test_a_span_listed_takes_what_follows_the_last_spans_name():
    out = parse_target("学前两年、三年毛入园率分别达到90%和85%", year=2027)
    assert [(t.indicator_zh, t.value) for t in out] == [("学前两年毛入园率", 90), ("学前三年毛入园率", 85)]


def test_kinds_of_units_doing_a_thing_give_a_share_each():
    out = parse_target("全县小学、初中、幼儿园配备专职校医达到80%以上", year=2026)
    assert [(t.indicator_zh, t.value, t.unit) for t in out] == [
        ("配备专职校医的小学比例", 80, "%"), ("配备专职校医的初中比例", 80, "%"), ("配备专职校医的幼儿园比例", 80, "%"),
    ]


def test_a_share_of_one_kind_of_unit_carries_to_the_next_milestone():
    out = parse_target("2023年全县医院设立儿童友好门诊达60%,2025年达到85%")
    assert [(t.indicator_zh, t.value, t.year) for t in out] == [
        ("设立儿童友好门诊的医院比例", 60, 2023), ("设立儿童友好门诊的医院比例", 85, 2025),
    ]


def test_a_rate_of_units_is_no_share_of_units():
    (t,) = parse_target("城乡社区、学校建立心理辅导站点的比率达到70%", year=2026)
    assert not t.indicator_zh.endswith("学校比例")


# --------------------------------------------------------------------------- values

def test_a_base_level_of_now_is_no_part_of_the_name():
    (t,) = parse_target("村级妇女议事会覆盖面从目前的60%扩大到80%", year=2026)
    assert (t.indicator_zh, t.value) == ("村级妇女议事会覆盖面", 80)


@pytest.mark.parametrize(
    ("clause", "value"), [("女性委员要占到1/3以上", 33.33), ("专职人员占到2/5", 40.0), ("女性成员比例超过1/4", 25.0)]
)
def test_a_fraction_is_a_share_in_per_cent(clause, value):
    (t,) = parse_target(clause, year=2026)
    assert (t.value, t.unit) == (value, "%")
    assert "/" not in t.indicator_zh and "占到" not in t.indicator_zh


def test_a_rate_per_10_wan_is_no_fraction():
    (t,) = parse_target("孕产妇死亡率降至9/10万", year=2026)
    assert (t.indicator, t.value, t.unit) == ("maternal_mortality", 9, "1/10万")


# --------------------------------------------------------------------------- names

def test_abbreviated_congresses_are_their_deputies_and_members():
    out = parse_target("各级人代会、政协会中的女性比例均达到30%以上", year=2027)
    assert [(t.indicator, t.value) for t in out] == [
        ("female_share_peoples_congress_deputies", 30), ("female_share_cppcc_members", 30),
    ]
    (t,) = [t for t in parse_target("职代会中女性比例逐步提高", year=2027)]
    assert t.indicator != "female_share_peoples_congress_deputies"


# --------------------------------------------------------------------------- more years and units

def test_the_first_of_two_milestones_of_one_rate_is_a_goal_year():
    text = "3.保障儿童免受伤害。2024年儿童意外伤害报告率达到80%,2027年达到90%以上。\n"
    assert sorted((t.year, t.value) for t in extract_targets(text)) == [(2024, 80), (2027, 90)]


def test_a_years_task_breakdown_table_dates_its_tasks():
    text = "2025年《政府工作报告》重点任务分解表\n序号 |\n12 |\n扩大托育供给,新增普惠托位300个以上。 |\n"
    assert stated_goal_year(text) == 2025


def test_a_payments_cap_is_no_target():
    text = (
        "到2026年,困境儿童基本生活保障覆盖率达到100%。\n"
        "康复救助标准按每人每年不超过3000元执行,手术补贴每例最高不超过2万元。\n"
    )
    assert [(t.unit, t.value) for t in extract_targets(text)] == [("%", 100)]


def test_a_cap_on_what_is_no_payment_stays_a_target():
    (t,) = parse_target("到2026年,家庭托育点收费标准控制在每月1800元以下")
    assert (t.comparator.value, t.value, t.unit) == ("<=", 1800, "元")


def test_units_a_place_is_to_have_are_named_by_what_they_can_do():
    out = parse_target("到2027年,每个县(区)要有1家妇幼保健机构能够提供儿童心理咨询服务")
    assert [(t.indicator_zh, t.value, t.unit, t.year) for t in out] == [
        ("每个县(区)能够提供儿童心理咨询服务的妇幼保健机构", 1, "家", 2027),
    ]


def test_screenings_covered_share_the_people_and_the_group_before_them():
    out = parse_target("户籍人口孕妇地中海贫血筛查、新生儿苯丙酮尿症筛查和视力筛查全覆盖", year=2026)
    assert [(t.indicator_zh, t.value) for t in out] == [
        ("户籍人口孕妇地中海贫血筛查率", 100), ("户籍人口新生儿苯丙酮尿症筛查率", 100), ("户籍人口新生儿视力筛查率", 100),
    ]


def test_a_goal_set_off_by_two_hyphens_is_read():
    text = "主要目标:\n4.保障儿童出行安全。\n--提高儿童安全座椅使用率。\n"
    assert [(t.indicator_zh, t.comparator.value) for t in extract_targets(text)] == [("儿童安全座椅使用率", "increase")]


# --------------------------------------------------------------------------- the round's splits



def test_a_table_spaced_by_runs_of_spaces_is_left_to_the_table_reader():
    text = "主要指标\n指标  单位  2020年  2025年\n孕产妇死亡率  1/10万  12  <10\n婴儿死亡率  ‰  5  下降\n"
    got = {t.indicator: t for t in extract_targets(text)}
    assert got["maternal_mortality"].value == 10 and got["infant_mortality"].comparator.value == "decrease"


def test_a_rate_per_10_wan_is_a_unit_cell_of_a_spaced_table():
    text = "某县妇女儿童发展主要指标\n指 标\n单位 2020年 2025年\n妇女健康\n孕产妇死亡率 1/10万 12.5 10\n"
    (t,) = extract_targets(text)
    assert (t.indicator, t.value, t.unit, t.year) == ("maternal_mortality", 10, "1/10万", 2025)
