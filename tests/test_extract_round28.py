"""Round 28 of plan-text extraction: aims within the year dated by the base they are measured from; a preposition
before a level out of the name; a share of units doing a thing named by what they do; quotas of people per kind
of body. Each text is written for its rule."""

from __future__ import annotations

from childplan_analysis.catalog.base_years import year_after_base
from childplan_analysis.catalog.body_quotas import people_per_body
from childplan_analysis.catalog.conditions import without_conditions
from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.task_items import task_item


def _keys(text: str) -> set[tuple[str, str, float | None, str | None, int | None]]:
    return {(t.indicator or t.indicator_zh, t.comparator.value, t.value, t.unit, t.year) for t in extract_targets(text)}


_TASKS = (
    "市妇幼保健院\n"
    "一、加强孕产妇系统管理。年内全市孕产妇系统管理率达到92%以上。\n"
    "二、改善儿童营养状况。儿童低体重发生率在2017年的基础上下降0.5个百分点。\n"
    "三、规范托幼机构管理。全市托幼机构卫生保健合格率达到88%。\n"
)


def test_aims_within_the_year_take_the_year_after_their_only_base_year():
    assert year_after_base(_TASKS) == 2018
    got = _keys(_TASKS)
    assert ("托幼机构卫生保健合格率", ">=", 88.0, "%", 2018) in got
    assert ("maternal_systematic_management", ">=", 92.0, "%", 2018) in got
    assert all(year == 2018 for *_, year in got)


def test_a_base_year_dates_nothing_beside_another_year_or_without_a_word_for_this_year():
    assert year_after_base(_TASKS.replace("全市托幼", "到2020年,全市托幼")) is None  # a goal year of its own
    assert year_after_base(_TASKS.replace("年内", "")) is None  # no aim said to fall within the year
    assert year_after_base("今年,贫困率比2016年下降1个百分点,与2015年相比下降2个百分点。") is None  # two bases
    assert year_after_base("今年,全区新建儿童之家20个。") is None  # no year at all


def test_a_level_after_a_preposition_is_named_without_it():
    got = _keys("到2028年,全省常住人口在9800万人左右,年均出生人口在60万人以上。")
    assert ("常住人口", "around", 98_000_000.0, "人", 2028) in {(n.removeprefix("全省"), *k) for n, *k in got}
    assert not any(name.endswith("在") for name, *_ in got)


def test_a_share_of_units_setting_one_thing_up_is_named_by_what_they_do():
    got = _keys("到2027年,60%以上的行政村建立1个儿童阅读角;到2029年,85%以上的行政村建立1个儿童阅读角。")
    assert got == {
        ("建立儿童阅读角的行政村比例", ">=", 60.0, "%", 2027),
        ("建立儿童阅读角的行政村比例", ">=", 85.0, "%", 2029),
    }


def test_a_known_coverage_is_still_read_as_that_indicator():
    got = _keys("到2026年,95%以上的城乡社区建立1所儿童之家。")
    assert got == {("children_home_coverage", ">=", 95.0, "%", 2026)}


def test_a_quota_of_people_in_each_kind_of_body_listed_is_one_count_per_kind():
    got = _keys("到2026年,村党支部、村民委员会中要有2名妇女委员。")
    assert got == {
        ("村党支部中妇女委员数", ">=", 2.0, "名", 2026),
        ("村民委员会中妇女委员数", ">=", 2.0, "名", 2026),
    }
    got = _keys("到2027年,每个社区、行政村逐步配备1名以上专职的心理辅导员。")
    assert got == {
        ("每个社区专职心理辅导员数", ">=", 1.0, "名", 2027),
        ("每个行政村专职心理辅导员数", ">=", 1.0, "名", 2027),
    }


def test_places_of_one_body_word_are_one_kind_and_the_verb_no_part_of_the_name():
    assert people_per_body("县、市党政领导班子至少配备1名女干部") == [("县、市党政领导班子中女干部数", ">=", 1.0, None, "名")]
    assert people_per_body("每个县建立1所儿童福利机构") is None  # things set up, not people
    assert people_per_body("各学校配备2名校医和心理教师") is None  # schools are no body this reads


def test_a_quoted_share_given_first_is_read_as_the_aim_it_quotes():
    got = _keys("到2028年要实现“85%以上的行政村建立1个儿童阅读角”的目标。")
    assert got == {("建立儿童阅读角的行政村比例", ">=", 85.0, "%", 2028)}


def test_a_numbered_task_stating_its_level_after_a_comma_is_no_heading():
    text = (
        "区卫生健康局\n"
        "一、推进儿童保健服务规范化建设,7岁以下儿童健康管理率达到93%以上。\n"
        "二、加强出生缺陷综合防治工作,新生儿遗传代谢性疾病筛查率保持在98%以上。\n"
        "三、主要任务\n"
    )
    assert _keys(text) == {
        ("child_health_management_under7", ">=", 93.0, "%", 2030),
        ("新生儿遗传代谢性疾病筛查率", "maintain_ge", 98.0, "%", 2030),
    }
    assert task_item("三、主要任务") == ("三、主要任务", "")
    assert task_item("一、总体要求,坚持儿童优先原则") == ("一、总体要求,坚持儿童优先原则", "")


def test_a_condition_and_a_rule_quoted_before_a_measure_are_no_part_of_its_name():
    assert without_conditions("有条件的地区可按照《某省实施〈某法〉细则》中规定的村委会女性成员") == "村委会女性成员"
    got = _keys("到2027年,有条件的县区要将乡镇人大女代表比例提高到32%。")
    assert got == {("乡镇人大女代表比例", ">=", 32.0, "%", 2027)}
    got = _keys("到2027年,依照《选举工作细则》规定的村民代表中女性比例不低于三分之一。")
    assert all(not name.startswith(("依照", "有条件")) for name, *_ in got)


def test_a_percentage_of_people_without_the_word_for_share_is_their_share():
    got = _keys("到2027年,县人大女代表候选人不低于35%的比例;乡镇女干部不低于20%。")
    assert got == {("县人大女代表候选人比例", ">=", 35.0, "%", 2027), ("乡镇女干部比例", ">=", 20.0, "%", 2027)}


def test_levels_of_congress_listed_with_their_peers_in_brackets_are_one_share_each():
    got = _keys("到2027年,地级市、县(市、区)政协女委员比例不低于22%。")
    assert got == {
        ("地级市政协女委员比例", ">=", 22.0, "%", 2027),
        ("县(市、区)政协女委员比例", ">=", 22.0, "%", 2027),
    }


def test_a_bare_year_after_a_semicolon_is_the_next_milestone_of_the_goals_before_it():
    text = "到2026年,80%以上的行政村建立儿童之家;2028年,95%以上的行政村建立儿童之家。每个乡镇配备1名以上专职的儿童督导员。"
    assert _keys(text) == {
        ("建立儿童之家的行政村比例", ">=", 80.0, "%", 2026),
        ("建立儿童之家的行政村比例", ">=", 95.0, "%", 2028),
        ("每个乡镇专职的儿童督导员数", ">=", 1.0, "名", 2028),  # the undated aim: the latest milestone
    }


def test_a_numbered_task_whose_first_clause_states_a_level_keeps_it():
    text = "区教育局\n一、全区学前三年毛入园率保持在95%以上;继续扩大普惠性学前教育资源。\n二、主要措施\n"
    assert _keys(text) == {("preschool_gross_enrolment", "maintain_ge", 95.0, "%", 2030)}


def test_a_numbered_task_counting_places_after_a_comma_is_no_heading():
    text = "区妇联\n一、深化家庭文明建设,新建12个家庭教育指导服务站。\n二、主要措施\n"
    assert _keys(text) == {("新建家庭教育指导服务站数", ">=", 12.0, "个", 2030)}


def test_a_share_of_teams_given_after_have_and_within_a_scope_is_of_those_teams():
    assert _keys("到2027年,力争有60%以上的乡镇领导班子至少配备1名年轻干部。") == {
        ("配备年轻干部的乡镇领导班子比例", ">=", 60.0, "%", 2027)
    }
    assert _keys("到2027年,今后在县直机关中,力争有70%以上的领导班子配备1名女干部。") == {
        ("配备女干部的县直机关领导班子比例", ">=", 70.0, "%", 2027)
    }


def test_a_bare_rate_after_a_rate_of_a_school_level_is_of_that_level():
    got = _keys("到2027年,小学入学率达到99%,升学率达到98%,初中毕业率达到95%以上,确保流失率逐年下降。")
    assert got == {
        ("小学入学率", ">=", 99.0, "%", 2027),
        ("小学升学率", ">=", 98.0, "%", 2027),
        ("初中毕业率", ">=", 95.0, "%", 2027),
        ("初中流失率", "decrease", None, None, 2027),
    }
