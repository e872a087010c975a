"""The target grammar: every phrase form, real plan clauses, and robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childplan_analysis.catalog.grammar import (
    ParsedTarget,
    bound_word,
    normalize_text,
    parse_table_cell,
    parse_target,
)
from childplan_analysis.catalog.resolve import resolve_indicator
from childplan_analysis.core.indicators import Indicator, IndicatorDictionary, load_indicators
from childplan_analysis.core.targets import Comparator as C


def fields(t: ParsedTarget) -> tuple:
    return (t.indicator, t.comparator, t.value, t.value_high, t.unit, t.year, t.baseline_year)


def parse(text: str, year: int | None = 2030, **kw) -> list[tuple]:
    return [fields(t) for t in parse_target(text, year=year, **kw)]


def _ind(id_: str, name: str, unit: str = "%", polarity: str = "higher", aliases=()) -> Indicator:
    return Indicator(
        id=id_, name_zh=name, name_en=id_, aliases=tuple(aliases), unit=unit,
        polarity=polarity, domain="health",
    )


@pytest.fixture(scope="module")
def small_dict() -> IndicatorDictionary:
    return IndicatorDictionary(
        [
            _ind("sleep_primary", "小学生每天睡眠时间", "小时"),
            _ind("sleep_junior", "初中生每天睡眠时间", "小时"),
            _ind("gp_per_center", "乡镇卫生院、社区卫生服务中心提供规范儿童基本医疗服务的全科医生数", "名"),
            _ind("parent_school_urban", "建立家长学校的城市社区比例"),
            _ind("parent_school_rural", "建立家长学校的农村社区比例"),
            _ind("venues", "公益性儿童校外活动场所数量", "个"),
            _ind("nearby_enrolment", "义务教育学校免试就近入学覆盖率"),
            _ind("life_exp_f", "女性人均预期寿命", "岁"),
            _ind("life_exp", "人均预期寿命", "岁"),
            _ind("myopia_primary", "小学生近视率", polarity="lower"),
            _ind("myopia_junior", "初中生近视率", polarity="lower"),
        ]
    )


# --------------------------------------------------------------------------- bounds

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("孕产妇死亡率控制在12/10万以下", ("maternal_mortality", C.LE, 12.0, None, "1/10万", 2030, None)),
        ("孕产妇死亡率控制在 12/10 万以下", ("maternal_mortality", C.LE, 12.0, None, "1/10万", 2030, None)),
        ("12岁儿童龋患率控制在25%以内", ("dental_caries_12y", C.LE, 25.0, None, "%", 2030, None)),
        ("婴儿死亡率低于5‰", ("infant_mortality", C.LT, 5.0, None, "‰", 2030, None)),
        ("婴儿死亡率不超过5‰", ("infant_mortality", C.LE, 5.0, None, "‰", 2030, None)),
        ("小学生近视率降至38%以下", ("myopia_primary", C.LE, 38.0, None, "%", 2030, None)),
        ("新生儿死亡率下降到3‰以下", ("neonatal_mortality", C.LE, 3.0, None, "‰", 2030, None)),
        ("0～6岁儿童眼保健和视力检查覆盖率达到90%以上", ("eye_care_coverage_0_6", C.GE, 90.0, None, "%", 2030, None)),
        ("九年义务教育巩固率提高到96%", ("compulsory_education_retention", C.GE, 96.0, None, "%", 2030, None)),
        ("高中阶段毛入学率达到95%", ("senior_secondary_gross_enrolment", C.GE, 95.0, None, "%", 2030, None)),
        ("住院分娩率不低于99%", ("hospital_delivery_rate", C.GE, 99.0, None, "%", 2030, None)),
        ("剖宫产率高于20%", ("caesarean_rate", C.GT, 20.0, None, "%", 2030, None)),
        ("学前教育毛入园率达到并保持在90%以上", ("preschool_gross_enrolment", C.MAINTAIN_GE, 90.0, None, "%", 2030, None)),
        ("新生儿访视率保持在90%以上", ("neonatal_visit_rate", C.MAINTAIN_GE, 90.0, None, "%", 2030, None)),
        ("剖宫产率控制并保持在25%以下", ("caesarean_rate", C.MAINTAIN_LE, 25.0, None, "%", 2030, None)),
        ("学前教育毛入园率90%—95%", ("preschool_gross_enrolment", C.RANGE, 90.0, 95.0, "%", 2030, None)),
        ("学前教育毛入园率保持在90%至95%之间", ("preschool_gross_enrolment", C.RANGE, 90.0, 95.0, "%", 2030, None)),
        ("剖宫产率控制在30%左右", ("caesarean_rate", C.AROUND, 30.0, None, "%", 2030, None)),
        ("高中阶段毛入学率达到９５％", ("senior_secondary_gross_enrolment", C.GE, 95.0, None, "%", 2030, None)),
        ("婴儿死亡率控制在４．５‰以下", ("infant_mortality", C.LE, 4.5, None, "‰", 2030, None)),
    ],
)
def test_level_phrases(text: str, expected: tuple) -> None:
    assert parse(text) == [expected]


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        # 以上、以下、以内、不超过、不低于、不高于 include the number (民法典 第1259条)
        ("婴儿死亡率降至5.0‰以下", C.LE),
        ("孕产妇死亡率下降到10/10万以下", C.LE),
        ("5岁以下儿童贫血率控制在10%以内", C.LE),
        ("剖宫产率不高于25%", C.LE),
        ("高中阶段毛入学率提高到92%以上", C.GE),
        ("住院分娩率不低于99%", C.GE),
        # 低于、高于、超过、不足 exclude it
        ("婴儿死亡率低于5‰", C.LT),
        ("剖宫产率不足30%", C.LT),
        ("住院分娩率超过99%", C.GT),
        ("住院分娩率高于99%", C.GT),
    ],
)
def test_inclusive_and_exclusive_words(text: str, comparator: C) -> None:
    (t,) = parse_target(text, year=2030)
    assert t.comparator == comparator


def test_bound_word_finds_the_word_of_the_value() -> None:
    clause = "新生儿、婴儿和5岁以下儿童死亡率分别降至3.0‰、5.0‰和6.0‰以下"
    assert bound_word(clause, 5.0) == ("以下", True)  # the value, not the age group 5岁以下
    assert bound_word("全省开展儿童友好城市建设的地级市超过50%", 50) == ("超过", False)
    assert bound_word("新生儿死亡率(‰) | <1.3 | 约束性", 1.3) == ("<", False)
    assert bound_word("高中阶段毛入学率达到95%", 95) is None


def test_units_counts_and_hours(small_dict: IndicatorDictionary) -> None:
    assert parse("每千名儿童拥有儿科执业（助理）医生达到1.12名、床位增至3.17张。") == [
        ("pediatricians_per_1000_children", C.GE, 1.12, None, "名", 2030, None),
        ("pediatric_beds_per_1000_children", C.GE, 3.17, None, "张", 2030, None),
    ]
    assert parse("每千人口拥有3岁以下婴幼儿托位数达到4.5个") == [
        ("childcare_places_per_1000", C.GE, 4.5, None, "个", 2030, None)
    ]
    assert parse("建设6所幼儿园")[0][1:5] == (C.GE, 6.0, None, "所")
    assert parse("保证每天小学生10小时、初中生9小时睡眠时间", indicators=small_dict) == [
        ("sleep_primary", C.GE, 10.0, None, "小时", 2030, None),
        ("sleep_junior", C.GE, 9.0, None, "小时", 2030, None),
    ]


def test_units_per_100000_and_permille() -> None:
    (t,) = parse_target("孕产妇死亡率下降到10/10万以下", year=2030)
    assert (t.value, t.unit, t.comparator) == (10.0, "1/10万", C.LE)
    (t,) = parse_target("儿童伤害死亡率控制在15/10万以下", year=2030)
    assert (t.indicator, t.unit) == ("child_injury_mortality", "1/10万")
    (t,) = parse_target("婴儿死亡率控制在0.5%以下", year=2030)
    assert (t.value, t.unit) == (0.5, "%")


# --------------------------------------------------------------------------- several indicators, milestones

def test_fenbie_three_targets() -> None:
    assert parse("新生儿、婴儿和5岁以下儿童死亡率分别控制在3‰、5‰和6‰以下") == [
        ("neonatal_mortality", C.LE, 3.0, None, "‰", 2030, None),
        ("infant_mortality", C.LE, 5.0, None, "‰", 2030, None),
        ("under5_mortality", C.LE, 6.0, None, "‰", 2030, None),
    ]


def test_fenbie_shared_prefix() -> None:
    assert parse("5岁以下儿童贫血患病率和生长迟缓率分别控制在10%和5%以下") == [
        ("anemia_under5", C.LE, 10.0, None, "%", 2030, None),
        ("stunting_under5", C.LE, 5.0, None, "%", 2030, None),
    ]


def test_one_value_for_two_indicators() -> None:
    assert parse("3岁以下儿童系统管理率和7岁以下儿童健康管理率保持在90%以上。") == [
        ("child_systematic_management_under3", C.MAINTAIN_GE, 90.0, None, "%", 2030, None),
        ("child_health_management_under7", C.MAINTAIN_GE, 90.0, None, "%", 2030, None),
    ]


def test_milestones_one_target_per_year() -> None:
    text = "新生儿、婴儿和5岁以下儿童死亡率到2025年分别控制在2.8‰、3‰和4‰以下，到2030年分别控制在2.3‰、2.8‰和3.8‰以下。"
    assert parse(text) == [
        ("neonatal_mortality", C.LE, 2.8, None, "‰", 2025, None),
        ("infant_mortality", C.LE, 3.0, None, "‰", 2025, None),
        ("under5_mortality", C.LE, 4.0, None, "‰", 2025, None),
        ("neonatal_mortality", C.LE, 2.3, None, "‰", 2030, None),
        ("infant_mortality", C.LE, 2.8, None, "‰", 2030, None),
        ("under5_mortality", C.LE, 3.8, None, "‰", 2030, None),
    ]
    text = "5岁以下儿童生长迟缓率到2025年控制在5%以下，到2030年控制在4%以下。"
    assert parse(text) == [
        ("stunting_under5", C.LE, 5.0, None, "%", 2025, None),
        ("stunting_under5", C.LE, 4.0, None, "%", 2030, None),
    ]


def test_year_clause_applies_to_following_clauses() -> None:
    assert parse("到2025年，学前教育毛入园率达到92%。") == [
        ("preschool_gross_enrolment", C.GE, 92.0, None, "%", 2025, None)
    ]


# --------------------------------------------------------------------------- relative, annual, direction, coverage

def test_relative_to_baseline_year() -> None:
    assert parse("儿童伤害死亡率以2020年为基数下降20%。") == [
        ("child_injury_mortality", C.RELATIVE_DECREASE_PCT, 20.0, None, "%", 2030, 2020)
    ]
    assert parse("儿童伤害死亡率以2020年数据为基数下降20%。")[0][1:] == (
        C.RELATIVE_DECREASE_PCT, 20.0, None, "%", 2030, 2020,
    )
    assert parse("儿童溺水死亡率比2020年降低10%")[0][1::5] == (C.RELATIVE_DECREASE_PCT, 2020)


def test_relative_without_baseline_is_flagged() -> None:
    (t,) = parse_target("儿童溺水死亡率下降20%", year=2030)
    assert (t.comparator, t.value, t.baseline_year) == (C.RELATIVE_DECREASE_PCT, 20.0, None)
    assert "no_baseline" in t.flags


def test_annual_rates() -> None:
    text = "儿童总体近视率力争每年下降0.5~1个百分点"
    (t,) = parse_target(text, year=2030)
    assert (t.comparator, t.value, t.value_high, t.indicator_zh) == (
        C.ANNUAL_DECREASE_PTS, 0.5, 1.0, "儿童总体近视率",
    )
    (t,) = parse_target("孤儿和事实无人抚养儿童基本生活养育标准到2025年年均提高6%以上，", year=2030)
    assert (t.comparator, t.value, t.unit, t.year) == (C.ANNUAL_INCREASE_PCT, 6.0, "%", 2025)
    (t,) = parse_target("剖宫产率年均下降2%", year=2030)
    assert (t.indicator, t.comparator, t.value) == ("caesarean_rate", C.ANNUAL_DECREASE_PCT, 2.0)
    (t,) = parse_target("住院分娩率每年提高1个百分点", year=2030)
    assert (t.indicator, t.comparator, t.value) == ("hospital_delivery_rate", C.ANNUAL_INCREASE_PTS, 1.0)


@pytest.mark.parametrize(
    ("text", "indicator", "comparator"),
    [
        ("儿童溺水死亡率持续下降。", "child_drowning_mortality", C.DECREASE),
        ("儿童道路交通伤害死亡率明显下降", "child_road_injury_mortality", C.DECREASE),
        ("孕妇贫血率逐步减少", "pregnant_anemia", C.DECREASE),
        ("降低剖宫产率", "caesarean_rate", C.DECREASE),
        ("产前筛查率不断提高", "prenatal_screening_rate", C.INCREASE),
        ("提高6个月内婴儿纯母乳喂养率", "exclusive_breastfeeding_6m", C.INCREASE),
        ("普惠性幼儿园覆盖率持续增加", "inclusive_kindergarten_coverage", C.INCREASE),
        ("九年义务教育巩固率进一步巩固", "compulsory_education_retention", C.MAINTAIN),
        ("巩固提高公办园在园幼儿占比", "public_kindergarten_share", C.INCREASE),
    ],
)
def test_directions(text: str, indicator: str, comparator: C) -> None:
    assert parse(text) == [(indicator, comparator, None, None, None, 2030, None)]


def test_direction_on_unnamed_quantity_is_ignored() -> None:
    assert parse("儿童健康水平不断提高。") == []
    assert parse("城乡、区域差距逐步缩小") == []


def test_full_coverage(small_dict: IndicatorDictionary) -> None:
    assert parse("义务教育学校免试就近入学实现全覆盖。", indicators=small_dict) == [
        ("nearby_enrolment", C.GE, 100.0, None, "%", 2030, None)
    ]
    assert parse("住院分娩率达到100%") == [("hospital_delivery_rate", C.GE, 100.0, None, "%", 2030, None)]


# --------------------------------------------------------------------------- resolution and flags

def test_unknown_indicator_is_kept_with_flag() -> None:
    (t,) = parse_target("儿童幸福指数测评率达到80%", year=2030)
    assert (t.indicator, t.indicator_zh, t.comparator, t.value) == (None, "儿童幸福指数测评率", C.GE, 80.0)
    assert t.flags == ["unknown_indicator"]


def test_no_year_flag() -> None:
    (t,) = parse_target("婴儿死亡率控制在5‰以下")
    assert t.year is None and t.flags == ["no_year"]
    (t,) = parse_target("到2025年婴儿死亡率控制在5‰以下")
    assert t.year == 2025 and t.flags == []


def test_fuzzy_resolution(small_dict: IndicatorDictionary) -> None:
    # the longest known name inside the phrase
    (t,) = parse_target("适龄儿童免疫规划疫苗接种率以乡（镇、街道）为单位保持在95%以上", year=2030)
    assert t.indicator == "immunization_coverage"
    # similar wording (bigram similarity), traditional characters
    (t,) = parse_target("适龄儿童国家免疫规划疫苗报告接种率达到90%以上", year=2030)
    assert t.indicator == "immunization_coverage"
    (t,) = parse_target("中小學生国家學生体质健康标准达标优良率达到60%以上", year=2030)
    assert t.indicator == "physical_fitness_good_rate"
    # a discriminating word must agree: 女性 is not the general population
    assert resolve_indicator("妇女人均预期寿命", small_dict).id == "life_exp_f"
    assert resolve_indicator("人均预期寿命", small_dict).id == "life_exp"
    assert resolve_indicator("高中生近视率", small_dict) is None


def test_object_after_value(small_dict: IndicatorDictionary) -> None:
    text = "各乡镇卫生院、社区卫生服务中心至少配备1名提供规范儿童基本医疗服务的全科医生。"
    assert parse(text, indicators=small_dict) == [("gp_per_center", C.GE, 1.0, None, "名", 2030, None)]


def test_share_written_first(small_dict: IndicatorDictionary) -> None:
    text = "95%的城市社区和85%的农村社区建立家长学校。"
    assert parse(text, indicators=small_dict) == [
        ("parent_school_urban", C.GE, 95.0, None, "%", 2030, None),
        ("parent_school_rural", C.GE, 85.0, None, "%", 2030, None),
    ]


def test_examples_list_with_deng(small_dict: IndicatorDictionary) -> None:
    text = "公益性儿童教育、科技、文化等校外活动场所不断增加"
    assert parse(text, indicators=small_dict) == [("venues", C.INCREASE, None, None, None, 2030, None)]


def test_numbers_inside_names_are_not_targets() -> None:
    assert parse("扎实开展0-6岁儿童健康管理工作。") == []
    assert parse("组织开展5年中期评估和10年终期评估") == []
    assert parse("2021—2030年儿童发展规划") == []


# --------------------------------------------------------------------------- real plan clauses (seeds)

def test_seed_clauses() -> None:
    # 磐石市 (seed 000)
    assert parse("适龄儿童免疫规划疫苗接种率以乡(镇)街道为单位保持在95%以上。") == [
        ("immunization_coverage", C.MAINTAIN_GE, 95.0, None, "%", 2030, None)
    ]
    # 吉林市妇女 (seed 004)
    assert parse("孕产妇死亡率控制在 12/10 万以下，城乡、区域差距缩小。") == [
        ("maternal_mortality", C.LE, 12.0, None, "1/10万", 2030, None)
    ]
    # 西岗区 (seed 001)
    text = (
        "儿童新发近视率明显下降，儿童总体近视率力争每年下降0.5~1个百分点。0~6岁儿童眼保健和视力检查覆盖率"
        "达到92%以上。小学生近视率降至38%以下，初中生近视率降至60%以下，高中阶段学生近视率降至70%以下。"
    )
    got = parse(text)
    assert ("eye_care_coverage_0_6", C.GE, 92.0, None, "%", 2030, None) in got
    assert ("myopia_senior", C.LE, 70.0, None, "%", 2030, None) in got
    assert [g[1] for g in got][:2] == [C.DECREASE, C.ANNUAL_DECREASE_PTS]


def test_table_cells() -> None:
    assert fields(parse_table_cell("新生儿死亡率(‰)", "<1.3", 2030)[0]) == (
        "neonatal_mortality", C.LT, 1.3, None, "‰", 2030, None,
    )
    assert fields(parse_table_cell("6个月内婴儿纯母乳喂养率(%)", "≥70", 2030)[0]) == (
        "exclusive_breastfeeding_6m", C.GE, 70.0, None, "%", 2030, None,
    )
    (t,) = parse_table_cell("婴儿死亡率(‰)", "2.3", 2030)
    assert (t.comparator, t.value, t.flags) == (C.LE, 2.3, ["assumed_comparator"])
    (t,) = parse_table_cell("农村卫生厕所普及率(%)", "明显提高", 2030)
    assert (t.indicator, t.comparator) == ("rural_sanitary_toilet", C.INCREASE)
    (t,) = parse_table_cell("镇(街道)未成年人保护工作站覆盖率(%)", "100", 2030)
    assert (t.comparator, t.value, t.unit) == (C.GE, 100.0, "%")


# --------------------------------------------------------------------------- women's plans and other forms

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # keep-then-change: the change after 并 is the target, the head noun is restored
        ("县人大代表和县人大常委会委员中的女性保持适当比例并逐步提高",
         ["female_share_peoples_congress_deputies", "female_share_peoples_congress_standing_committee"]),
        ("政协委员中的女性比例保持稳定并适当提高", ["female_share_cppcc_members"]),
        ("女性就业人员占全社会就业人员比重保持稳定并稳步提高", ["female_share_employment"]),
    ],
)
def test_keep_then_increase(text: str, expected: list[str]) -> None:
    got = parse(text)
    assert [g[0] for g in got] == expected
    assert {g[1] for g in got} == {C.INCREASE}


def test_appropriate_share_without_value_is_not_a_target() -> None:
    # no level and no change: nothing to assess
    assert parse("保持村党组织书记中女性的适当比例。") == []
    assert parse("人工流产率控制在合理水平") == []


def test_verb_and_change_verb() -> None:
    assert parse("预防和减少孕产妇贫血") == [("pregnant_anemia", C.DECREASE, None, None, None, 2030, None)]


def test_capacity_is_not_an_indicator() -> None:
    assert parse("提升产前筛查和诊断能力。") == []


def test_middle_item_takes_prefix_and_head() -> None:
    got = parse("孕产妇艾滋病、梅毒和乙肝检测率均保持在98%以上")
    assert [g[0] for g in got] == ["prenatal_hiv_testing_rate", "prenatal_syphilis_testing_rate", "prenatal_hbv_testing_rate"]
    assert {g[1:3] for g in got} == {(C.MAINTAIN_GE, 98.0)}


def test_one_value_two_known_indicators_joined_by_he() -> None:
    got = parse("适龄妇女宫颈癌和乳腺癌人群筛查率均达到75%以上")
    assert [g[:3] for g in got] == [
        ("cervical_cancer_screening", C.GE, 75.0), ("breast_cancer_screening", C.GE, 75.0),
    ]
    # one indicator whose name contains 和 stays one
    assert [g[0] for g in parse("宫颈癌和乳腺癌防治知识知晓率达到80%以上")] == ["cervical_breast_cancer_knowledge_rate"]


def test_continuation_takes_the_sentence_subject() -> None:
    got = parse("孤儿基本生活养育标准到2025年年均提高5%以上，并持续提高。")
    assert [(g[0], g[1], g[5]) for g in got] == [
        ("orphan_basic_living_standard", C.ANNUAL_INCREASE_PCT, 2025),
        ("orphan_basic_living_standard", C.INCREASE, 2030),
    ]


def test_direction_restating_a_level_of_the_same_sentence_is_dropped() -> None:
    got = parse("减少艾滋病母婴传播，艾滋病母婴传播率下降到2%以下。")
    assert got == [("mtct_hiv", C.LE, 2.0, None, "%", 2030, None)]


def test_percentage_without_de() -> None:
    assert parse("确保适龄儿童100%入学") == [("compulsory_age_enrolment_rate", C.GE, 100.0, None, "%", 2030, None)]
    assert parse("农村留守儿童监护责任100%落实。") == [
        ("left_behind_guardianship_fulfilment_rate", C.GE, 100.0, None, "%", 2030, None)
    ]
    # a percentage that is a level keeps its verb
    assert parse("学前教育毛入园率达到90%以上")[0][:3] == ("preschool_gross_enrolment", C.GE, 90.0)


def test_value_then_de_then_object() -> None:
    assert parse("开设平均每周不少于1课时的中小学劳动教育必修课程")[0][:5] == (
        "labour_education_hours_weekly", C.GE, 1.0, None, "课时",
    )


def test_subject_far_back_in_the_sentence() -> None:
    text = "中小学、幼儿园通过家长会、家访等形式每学年至少开展2次家庭教育指导或家庭教育实践活动"
    assert parse(text)[0][:3] == ("school_family_education_guidance_sessions", C.GE, 2.0)


def test_built_count() -> None:
    assert parse("新建和改扩建8所幼儿园")[0][:3] == ("new_kindergartens_built", C.GE, 8.0)
    assert parse("建设6所幼儿园。")[0][:3] == ("new_kindergartens_built", C.GE, 6.0)


def test_frequency_per_period() -> None:
    got = parse("0-3岁农村儿童家长每半年接受育儿知识培训一次，0-3岁城市儿童家长每季度接受育儿知识培训1次")
    assert [(g[0], g[2], g[4]) for g in got] == [
        ("parenting_training_frequency_rural_0_3", 2.0, "次/年"),
        ("parenting_training_frequency_urban_0_3", 4.0, "次/年"),
    ]


def test_share_first_with_age_qualifier() -> None:
    got = parse("促进70%的妇女在35-45岁接受高效宫颈癌筛查。")
    assert got[0][:3] == ("cervical_screening_35_45_high_performance", C.GE, 70.0)


def test_coverage_forms() -> None:
    # 全覆盖 followed by 并…
    assert parse("城乡社区妇女议事会实现全覆盖并有效运行")[0][:3] == ("women_deliberation_council_coverage", C.GE, 100.0)
    # a short name written in full earlier in the sentence
    text = "推动乡镇设立未成年人保护工作站，工作站实现全覆盖。"
    assert parse(text)[0][:3] == ("minor_protection_station_coverage", C.GE, 100.0)
    # “两个全覆盖”: staffing and training of the same people
    got = parse("儿童督导员、儿童主任配备和新任职培训实现“两个全覆盖”")
    assert [g[0] for g in got] == [
        "child_supervisor_director_staffing_coverage", "child_supervisor_director_training_coverage",
    ]
    # coverage of something that is not a countable facility is an aim, not a target
    assert parse("基本实现学前教育公共服务体系全覆盖") == []
    assert parse("推进城乡污水管网全覆盖") == []


def test_table_cell_written_as_a_phrase() -> None:
    (t,) = parse_table_cell("儿童伤害死亡率（1/10万）", "以2020年为基数下降10%", 2025)
    assert (t.indicator, t.comparator, t.value, t.baseline_year, t.year) == (
        "child_injury_mortality", C.RELATIVE_DECREASE_PCT, 10.0, 2020, 2025,
    )
    (t,) = parse_table_cell("学前教育毛入园率(%)", "达到并保持在95%以上", 2030)
    assert (t.comparator, t.value) == (C.MAINTAIN_GE, 95.0)


def test_near_exact_resolution() -> None:
    from childplan_analysis.core.indicators import load_indicators

    d = load_indicators()
    # the phrase is nearly all of a known name
    assert resolve_indicator("城市集中式饮用水水源水质", d, ("达标率",), near_exact=True).id == (
        "urban_drinking_water_source_quality_share"
    )
    # a known name inside a longer phrase is not enough in this mode
    assert resolve_indicator("提高孕产妇系统管理率的工作", d, near_exact=True) is None
    # residents' committees are not village committees: they have an indicator of their own
    assert resolve_indicator("社区居委会成员中女性比例", d).id == "female_share_residents_committee"
    assert resolve_indicator("村委会成员中的女性比例", d).id == "female_share_village_committee"


# --------------------------------------------------------------------------- robustness

@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("新生儿死亡率控制在以下上达到保持并、和分别到年%‰0123456789.～—１２３％，。为基数下降每年个百分点全覆盖名张适当比例的课时次季度入学两个“”所建设站或")) | st.characters(), max_size=80))
def test_parse_target_never_raises(text: str) -> None:
    out = parse_target(text, year=2030)
    assert isinstance(out, list)
    assert all(isinstance(t, ParsedTarget) for t in out)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=20), st.text(alphabet=st.sampled_from(list("<>≥≤=0123456789.%‰~—以上下左右为基数年下降提高")) | st.characters(), max_size=20))
def test_parse_table_cell_never_raises(name: str, cell: str) -> None:
    assert isinstance(parse_table_cell(name, cell, 2030), list)


@pytest.mark.parametrize("junk", ["", "   ", "。。。", "%%%", "以下以上", "到2025年", "\x00\x01", "１２３４５"])
def test_junk_gives_nothing(junk: str) -> None:
    assert parse_target(junk, year=2030) == []


def test_non_string_input() -> None:
    assert parse_target(None) == []  # type: ignore[arg-type]


# ------------------------------------------------ wording of real plan texts (issue #13)


def test_traditional_script_with_inline_pinyin() -> None:
    """福州市儿童发展纲要 as a mirror site prints it: traditional script, pinyin in brackets."""
    text = "兒童與健康領(lǐng)域,新生兒、嬰兒和5歲以下兒童死亡率分別保持在3‰、4‰和5‰以下"
    assert parse(text) == [
        ("neonatal_mortality", C.MAINTAIN_LE, 3.0, None, "‰", 2030, None),
        ("infant_mortality", C.MAINTAIN_LE, 4.0, None, "‰", 2030, None),
        ("under5_mortality", C.MAINTAIN_LE, 5.0, None, "‰", 2030, None),
    ]
    assert parse("適齡婦女宮頸癌篩查率達到50%")[0][:3] == ("cervical_cancer_screening", C.GE, 50.0)


def test_inline_pinyin_is_removed_and_other_brackets_kept() -> None:
    from childplan_analysis.catalog.script import simplified_text, strip_inline_pinyin

    assert strip_inline_pinyin("社(shè )区(qū )资源,發(fā)展") == "社区资源,發展"
    kept = "每千名儿童拥有儿科执业(助理)医师数,居住(小)区,A类(B)"
    assert strip_inline_pinyin(kept) == kept
    assert simplified_text("學(xué)前教育毛入園率") == "学前教育毛入园率"
    assert simplified_text("学前教育毛入园率") == "学前教育毛入园率"


def test_two_milestones_in_one_clause() -> None:
    """江西省妇幼健康促进行动实施方案: 到2022年和2030年…分别…."""
    text = (
        "到2022年和2030年，江西全省婴儿死亡率分别控制在7.5‰及以下和5‰及以下；"
        "孕产妇死亡率分别控制在18/10万及以下和12/10万及以下；产前筛查率分别达到70%和80%。"
    )
    assert parse(text) == [
        ("infant_mortality", C.LE, 7.5, None, "‰", 2022, None),
        ("infant_mortality", C.LE, 5.0, None, "‰", 2030, None),
        ("maternal_mortality", C.LE, 18.0, None, "1/10万", 2022, None),
        ("maternal_mortality", C.LE, 12.0, None, "1/10万", 2030, None),
        ("prenatal_screening_rate", C.GE, 70.0, None, "%", 2022, None),
        ("prenatal_screening_rate", C.GE, 80.0, None, "%", 2030, None),
    ]
    # one year only: two values for two indicators, as before
    assert [t[:3] for t in parse("到2025年，婴儿和5岁以下儿童死亡率分别控制在5‰和6‰以下。")] == [
        ("infant_mortality", C.LE, 5.0), ("under5_mortality", C.LE, 6.0)]


def test_one_aim_under_listed_milestones_holds_at_each() -> None:
    """到X年和Y年: a sub-clause giving one aim without 分别 holds it at every milestone."""
    text = (
        "到2025年和2035年,孕产妇系统管理率分别达到90%和95%以上,"
        "儿童肥胖率每年下降0.3个百分点,青少年吸烟率持续下降。"
    )
    got = [(t.indicator or t.indicator_zh, t.comparator, t.value, t.year) for t in parse_target(text, year=2035)]
    assert sorted(got, key=str) == sorted([
        ("maternal_systematic_management", C.GE, 90.0, 2025),
        ("maternal_systematic_management", C.GE, 95.0, 2035),
        ("儿童肥胖率", C.ANNUAL_DECREASE_PTS, 0.3, 2025),
        ("儿童肥胖率", C.ANNUAL_DECREASE_PTS, 0.3, 2035),
        ("青少年吸烟率", C.DECREASE, None, 2025),
        ("青少年吸烟率", C.DECREASE, None, 2035),
    ], key=str)
    # one milestone: one target each, as before
    assert len(parse_target("到2025年,儿童肥胖率每年下降0.3个百分点。", year=2035)) == 1


def test_a_count_a_place_keeps_the_place_and_its_quoted_role() -> None:
    """每个X配备1名“Y”: a floor of one Y a place, named with the place (its government's seat as the place)."""
    text = "到2024年底,每个社区(村)配备1名“家庭教育指导员”,每个镇人民政府(街道办事处)设立1个“妇女之家”。"
    got = [(t.indicator_zh, t.comparator, t.value, t.unit, t.year) for t in parse_target(text, year=2030)]
    assert got == [
        ("每个社区(村)家庭教育指导员数", C.GE, 1.0, "名", 2024),
        ("每个镇(街道)妇女之家数", C.GE, 1.0, "个", 2024),
    ]


def test_base_year_is_not_the_target_year() -> None:
    """力争实现儿童青少年总体近视率在2020年基础上每年降低0.5到1个百分点；…覆盖率达到90%以上."""
    text = "力争实现儿童青少年总体近视率在2020年基础上每年降低0.5到1个百分点；0～6岁儿童眼保健和视力检查覆盖率达到90%以上。"
    assert parse(text) == [
        ("child_myopia_overall", C.ANNUAL_DECREASE_PTS, 0.5, 1.0, None, 2030, 2020),
        ("eye_care_coverage_0_6", C.GE, 90.0, None, "%", 2030, None),
    ]


def test_target_quoted_inside_a_report() -> None:
    """四川日报 on 甘孜州儿童发展纲要: 提出“…”的目标任务; quoted measures give nothing."""
    text = (
        "新增“推进儿童心理健康辅导专业队伍建设”等措施，提出“学前教育毛入园率达到并保持在92.5%以上”"
        "的目标任务，还新增“构建青少年涉毒问题监测处理机制”等内容。"
    )
    assert parse(text) == [("preschool_gross_enrolment", C.MAINTAIN_GE, 92.5, None, "%", 2030, None)]
    assert parse("“15分钟健身圈”覆盖率达到100%")[0][:3] == ("fitness_circle_15min_coverage", C.GE, 100.0)


def test_counts_of_what_is_built_or_named() -> None:
    assert parse("全市新建改扩建幼儿园30所。") == [("new_kindergartens_built", C.GE, 30.0, None, "所", 2030, None)]
    assert parse("展望2035年，100个左右城市被命名为国家儿童友好城市。") == [
        ("national_child_friendly_cities", C.AROUND, 100.0, None, "个", 2035, None)]
    (t,) = parse_target("到2025年底，推动2000家医疗机构达到儿童友好医院的建设要求。", year=2030)
    assert (t.indicator, t.comparator, t.value, t.unit, t.year) == (None, C.GE, 2000.0, "家", 2025)
    assert "儿童友好医院" in t.indicator_zh and "unknown_indicator" in t.flags


def test_value_right_after_a_head_noun() -> None:
    """“十四五”公共服务规划: 每千人口拥有3岁以下婴幼儿托位数4.5个 (no verb)."""
    got = parse("2025年我国学前教育毛入园率将大于90%，每千人口拥有3岁以下婴幼儿托位数4.5个。")
    assert [g[:3] for g in got] == [
        ("preschool_gross_enrolment", C.GT, 90.0), ("childcare_places_per_1000", C.GE, 4.5)]
    assert all(g[5] == 2025 for g in got)


def test_share_of_communities_building_one() -> None:
    """中国儿童发展纲要（2011—2020年）: 90%以上的城乡社区建设1所…儿童之家."""
    text = "90%以上的城乡社区建设1所为儿童及其家庭提供游戏、娱乐、教育、卫生、社会心理支持和转介等服务的儿童之家。"
    assert parse(text, year=2020) == [("children_home_coverage", C.GE, 90.0, None, "%", 2020, None)]


def test_slowing_rise_and_spoken_of_change_are_not_targets() -> None:
    assert parse("妇女焦虑障碍、抑郁症患病率上升趋势减缓。") == []
    assert parse("儿童超重、肥胖上升趋势得到有效控制。") == []
    assert parse("我国人均预期寿命增长了3.8岁，其中21.7%归因于5岁以下儿童死亡率的下降。") == []


def test_names_lose_quotes_and_of_before_the_head() -> None:
    (t,) = parse_target("“十四五”期间，上海市街镇“宝宝屋”的覆盖率将达到85%。", year=2030)
    assert (t.indicator_zh, t.comparator, t.value, t.year) == ("上海市街镇宝宝屋覆盖率", C.GE, 85.0, 2025)


def test_discriminating_words_keep_near_names_apart() -> None:
    assert parse("公办幼儿园覆盖率保持在65%以上")[0][0] == "public_kindergarten_share"
    assert parse("普惠性幼儿园覆盖率保持在90%以上")[0][0] == "inclusive_kindergarten_coverage"
    assert parse("中小学生国家学生体质健康标准达标率稳定在95%以上")[0][0] is None
    # a women's plan leaves 女 unsaid
    assert parse("人均健康预期寿命提高")[0][:2] == ("healthy_life_expectancy_female", C.INCREASE)


@pytest.mark.parametrize("name, indicator", [
    ("孕产妇死亡率", "maternal_mortality"),
    ("婴儿死亡率", "infant_mortality"),
    ("5岁以下儿童死亡率", "under5_mortality"),
    ("儿童青少年总体近视率", "child_myopia_overall"),
    ("学前教育毛入园率", "preschool_gross_enrolment"),
    ("学前三年幼儿入园率", "preschool_gross_enrolment"),
    ("普惠性幼儿园覆盖率", "inclusive_kindergarten_coverage"),
    ("九年义务教育巩固率", "compulsory_education_retention"),
    ("高中阶段毛入学率", "senior_secondary_gross_enrolment"),
    ("适龄儿童免疫规划疫苗接种率", "immunization_coverage"),
    ("适龄儿童国家免疫规划疫苗接种率", "immunization_coverage"),
    ("儿童之家覆盖率", "children_home_coverage"),
    ("每千名儿童拥有儿科执业(助理)医师数", "pediatricians_per_1000_children"),
    ("每千名儿童拥有儿科执业（助理）医生数", "pediatricians_per_1000_children"),
    ("中小学生体质健康标准达标优良率", "physical_fitness_good_rate"),
    ("妇女宫颈癌筛查覆盖率", "cervical_cancer_screening"),
    ("适龄妇女乳腺癌筛查覆盖率", "breast_cancer_screening"),
    ("宫颈癌及癌前病变患者治疗率", "cervical_cancer_treatment_rate"),
    ("女性就业人员比例", "female_share_employment"),
    ("村(居)委会成员中女性比例", "female_share_village_residents_committee"),
    ("村委会成员中女性比例", "female_share_village_committee"),
    ("儿童食品质量安全抽检合格率", "child_food_sampling_pass_rate"),
    ("视力、听力、智力残疾儿童少年义务教育入学率", "disabled_children_compulsory_enrolment"),
    ("0至6岁儿童眼保健和视力检查覆盖率", "eye_care_coverage_0_6"),
])
def test_indicator_wording_seen_in_plans(name: str, indicator: str) -> None:
    assert parse(f"{name}达到90%")[0][0] == indicator


@pytest.mark.parametrize("clause, name", [
    # 出生缺陷防治能力提升计划(2023-2027年): the cause narrows both items of the list
    ("出生缺陷导致的婴儿死亡率、5岁以下儿童死亡率分别降至1.0‰和1.1‰以下",
     ["出生缺陷导致的婴儿死亡率", "出生缺陷导致的5岁以下儿童死亡率"]),
    # 儿童青少年“五健”促进行动计划(2026—2030年): an age narrows the overall myopia rate
    ("6岁儿童近视率要控制在3%左右", ["6岁儿童近视率"]),
    # 福州市妇女发展纲要(2011~2020年): a sub-population narrows the women's schooling years
    ("主要劳动年龄人口中女性平均受教育年限达到12年", ["主要劳动年龄人口中女性平均受教育年限"]),
])
def test_qualified_names_stay_unresolved_with_their_phrase(clause: str, name: list[str]) -> None:
    found = parse_target(clause, year=2030)
    assert [t.indicator for t in found] == [None] * len(name)
    assert [t.indicator_zh for t in found] == name


def test_known_names_with_a_place_before_them_still_resolve() -> None:
    assert parse("全市婴儿死亡率控制在5‰以下") == [("infant_mortality", C.LE, 5.0, None, "‰", 2030, None)]
    assert parse("0-6岁儿童眼保健和视力检查覆盖率达到90%以上")[0][0] == "eye_care_coverage_0_6"


def test_a_count_is_not_resolved_to_a_share() -> None:
    # 福州市妇女发展纲要: 女干部数量 is not 政府工作部门领导班子中的女干部比例
    (t,) = parse_target("县(市)区政府工作部门领导班子中女干部数量在现有基础上逐步增加", year=2020)
    assert (t.indicator, t.indicator_zh, t.comparator) == (None, "县(市)区政府工作部门领导班子中女干部数量", C.INCREASE)


@pytest.mark.parametrize("clause, expected", [
    ("到2025年,新增托位2万个。", (None, "新增托位数", 20000.0, "个", 2025)),
    ("每年培训托育从业人员1.5万人次。", (None, "培训托育从业人员人次", 15000.0, "人次", 2030)),
    ("到2025年,托位数达到2.5万个。", ("childcare_places", "托位数", 25000.0, "个", 2025)),
])
def test_counts_written_in_wan(clause: str, expected: tuple) -> None:
    (t,) = parse_target(clause, year=2030)
    assert (t.indicator, t.indicator_zh, t.value, t.unit, t.year) == expected


def test_wan_in_a_rate_base_is_not_a_count() -> None:
    assert parse("孕产妇死亡率控制在20/10万以下") == [("maternal_mortality", C.LE, 20.0, None, "1/10万", 2030, None)]


def test_a_change_listed_after_a_level_is_kept() -> None:
    # 宫颈癌和乳腺癌筛查工作方案 (2022): 宫颈癌筛查率要达到50%以上、乳腺癌筛查率逐年提高
    assert parse("到2025年底,适龄妇女宫颈癌筛查率要达到50%以上、乳腺癌筛查率逐年提高。") == [
        ("cervical_cancer_screening", C.GE, 50.0, None, "%", 2025, None),
        ("breast_cancer_screening", C.INCREASE, None, None, None, 2025, None),
    ]


@pytest.mark.parametrize("name, indicator", [
    ("妇女占从业人员比例", "female_share_employment"),
    ("高中阶段近视率", "myopia_senior"),
])
def test_synonyms_from_real_plans(name: str, indicator: str) -> None:
    assert parse(f"{name}稳定在40%以上")[0][0] == indicator


def test_each_named_rate_of_a_list_with_jun_gets_the_value() -> None:
    # 出生缺陷防治能力提升计划(2023-2027年): 均 gives one value to every rate of the list;
    # the diseases before 等 are examples, not items
    got = [(t.indicator, t.indicator_zh, t.value) for t in parse_target(
        "苯丙酮尿症、先天性甲状腺功能减低症等新生儿遗传代谢病2周内诊断率、2周内治疗率均达到90%,"
        "新生儿听力障碍3个月内诊断率、6个月内干预率均达到90%", year=2027)]
    assert got == [
        (None, "新生儿遗传代谢病2周内诊断率", 90.0), (None, "2周内治疗率", 90.0),
        (None, "新生儿听力障碍3个月内诊断率", 90.0), (None, "6个月内干预率", 90.0),
    ]


def test_shares_of_the_total_and_increments_from_a_provincial_programme() -> None:
    # 山东省第二期学前教育三年行动计划 (2015)
    got = [(t.indicator, t.indicator_zh, t.value) for t in parse_target(
        "全省普惠性幼儿园数、在园幼儿数分别占总数80%以上", year=2017)]
    assert got == [(None, "普惠性幼儿园数占比", 80.0), ("inclusive_kindergarten_coverage", "普惠性幼儿园在园幼儿数占比", 80.0)]
    (t,) = parse_target("三年内新增6000所公办幼儿园", year=2017)
    assert (t.indicator, t.indicator_zh, t.value, t.unit) == (None, "新增公办幼儿园数", 6000.0, "所")
    got = [(t.indicator_zh, t.value) for t in parse_target("残疾儿童入园率和接受康复教育训练率达到90%以上", year=2017)]
    assert got == [("残疾儿童入园率", 90.0), ("接受康复教育训练率", 90.0)]


def test_a_region_or_a_group_narrows_a_known_rate() -> None:
    # the same programme: 东部地区达到95%以上 is the eastern region's rate, not the province's
    got = [(t.indicator, t.indicator_zh, t.value) for t in parse_target(
        "学前三年入园率达到85%,东部地区达到95%以上,西部地区达到80%以上", year=2017)]
    assert got == [("preschool_gross_enrolment", "学前三年入园率", 85.0), (None, "东部地区", 95.0), (None, "西部地区", 80.0)]
    # 镇江市“十四五”学前教育发展提升行动计划: 特需儿童 narrows the enrolment rate
    (t,) = parse_target("特需儿童学前三年入园率达90%以上", year=2025)
    assert (t.indicator, t.indicator_zh) == (None, "特需儿童学前三年入园率")


# --------------------------------------------------------------------------- third round (issue #13)


def test_a_lost_character_mark_does_not_break_the_clause() -> None:
    # 宫颈癌筛查工作方案 (mirror copy): a character lost in the copy is left as "?"
    assert parse("適齡婦女宮頸癌篩查率?達到 50%以上", year=2025) == [
        ("cervical_cancer_screening", C.GE, 50.0, None, "%", 2025, None)
    ]


def test_a_question_mark_that_ends_a_question_is_kept() -> None:
    from childplan_analysis.catalog.script import drop_lost_marks

    assert drop_lost_marks("什么是儿童友好?儿童友好是") == "什么是儿童友好?儿童友好是"
    assert drop_lost_marks("(一)?總目標") == "(一)總目標"


def test_boys_and_girls_each_take_the_rate() -> None:
    # 国务院常务会议 (2011): 小学男女童入学率均达到99.4%
    got = [(t.indicator_zh, t.comparator, t.value) for t in parse_target("小学男女童入学率均达到99.4%", year=2030)]
    assert got == [("小学男童入学率", C.GE, 99.4), ("小学女童入学率", C.GE, 99.4)]


@pytest.mark.parametrize(
    ("clause", "names"),
    [
        ("城市和农村孕产妇系统管理率分别达到95%和87%以上", ["城市孕产妇系统管理率", "农村孕产妇系统管理率"]),
        ("城乡孕产妇住院分娩率分别达到99%和98%以上", ["城市孕产妇住院分娩率", "农村孕产妇住院分娩率"]),
        ("男童和女童小学净入学率均达到99%以上", ["男童小学净入学率", "女童小学净入学率"]),
    ],
)
def test_a_pair_of_qualifiers_qualifies_each_name(clause: str, names: list[str]) -> None:
    got = parse_target(clause, year=2030)
    assert [t.indicator_zh for t in got] == names
    assert all(t.indicator is None and "unknown_indicator" in t.flags for t in got)


def test_fixed_urban_rural_names_are_not_split() -> None:
    # 城乡居民基本养老保险: one scheme, not an urban and a rural rate
    got = parse_target("城乡居民基本养老保险和基本医疗保险参保率均达到95%以上", year=2030)
    assert not any(t.indicator_zh.startswith(("城市", "农村")) for t in got)


def test_a_qualified_rate_with_its_own_values_stays_as_written() -> None:
    # 广东省妇女发展规划(2011—2020年) 目标责任分解书
    got = parse_target(
        "孕产妇系统管理率达到90%以上,其中城市孕产妇系统管理率达到95%以上,农村孕产妇系统管理率达到87%以上", year=2020
    )
    assert [(t.indicator or t.indicator_zh, t.value) for t in got] == [
        ("maternal_systematic_management", 90.0), ("城市孕产妇系统管理率", 95.0), ("农村孕产妇系统管理率", 87.0)
    ]


def test_a_named_gap_is_kept_unresolved() -> None:
    # 郑州市妇女发展规划(2021—2030年), 媒体解读: 男女收入差距明显缩小
    (t,) = parse_target("男女收入差距明显缩小", year=2030)
    assert (t.indicator, t.indicator_zh, t.comparator) == (None, "男女收入差距", C.DECREASE)
    assert "unknown_indicator" in t.flags
    # 吉林市妇女发展规划: 缩小两性家务劳动时间差距 (in the dictionary)
    assert parse("缩小两性家务劳动时间差距") == [("housework_time_gender_gap", C.DECREASE, None, None, None, 2030, None)]


@pytest.mark.parametrize(
    "clause",
    [
        "孕产妇死亡率控制在 12/10 万以下，城乡、区域差距缩小",  # 吉林市妇女发展规划: no quantity of its own
        "城乡、区域、群体之间的儿童发展差距明显缩小",  # 磐石市儿童发展规划 总体目标: nothing measurable
        "缩小男女转移就业差距",
    ],
)
def test_a_gap_without_a_measurable_quantity_is_no_target(clause: str) -> None:
    assert not any(t.indicator_zh.endswith("差距") for t in parse_target(clause, year=2030))


def test_a_lone_head_takes_the_modifier_of_the_name_before() -> None:
    # 中国妇女发展纲要(2011—2020年): 提高宫颈癌和乳腺癌的早诊早治率，降低死亡率
    got = parse_target("提高宫颈癌和乳腺癌的早诊早治率,降低死亡率", year=2020)
    assert [(t.indicator_zh, t.comparator) for t in got] == [
        ("宫颈癌和乳腺癌的早诊早治率", C.INCREASE), ("宫颈癌和乳腺癌死亡率", C.DECREASE)
    ]


def test_what_follows_qizhong_is_a_part_never_the_whole_again() -> None:
    # 杭州市 学前教育 意见 (2005): 其中市区…，县(市)学前三年幼儿入园率达到92%以上
    clause = (
        "2007年,全市学前三年幼儿入园率达到96%以上,其中市区学前三年幼儿入园率达到98%以上,"
        "县(市)学前三年幼儿入园率达到92%以上"
    )
    got = [(t.indicator, t.indicator_zh, t.value) for t in parse_target(clause, year=2030)]
    assert got == [
        ("preschool_gross_enrolment", "学前三年幼儿入园率", 96.0),
        (None, "市区学前三年幼儿入园率", 98.0),
        (None, "县(市)学前三年幼儿入园率", 92.0),
    ]


def test_a_name_with_its_own_span_takes_no_prefix_with_another() -> None:
    # 中国儿童发展纲要(2011—2020年): 学前三年毛入园率达到70%，学前一年毛入园率达到95%
    got = [(t.indicator, t.indicator_zh, t.value) for t in parse_target("学前三年毛入园率达到70%,学前一年毛入园率达到95%", year=2020)]
    assert got == [("preschool_gross_enrolment", "学前三年毛入园率", 70.0), (None, "学前一年毛入园率", 95.0)]


def test_each_item_of_a_list_of_directions_is_its_own_aim() -> None:
    # 综合防控儿童青少年近视实施方案 (新华网): 新发近视率明显下降、视力健康整体水平显著提升
    got = parse_target("到2030年,实现儿童青少年新发近视率明显下降、视力健康整体水平显著提升", year=2030)
    assert [(t.indicator, t.comparator) for t in got] == [("child_new_myopia_incidence", C.DECREASE)]


def test_to_have_one_of_something_uncounted_is_no_target() -> None:
    # 光明网 (2022): 呵护孩子眼睛，让他们拥有一个光明的未来
    assert parse_target("呵护孩子眼睛,让他们拥有一个光明的未来", year=2030) == []
    assert [t.value for t in parse_target("每个乡镇有1个儿童之家", year=2030)] == [1.0]


def test_a_time_named_after_its_value_is_kept() -> None:
    # 人民日报 (2019), 近视防控责任书: 确保中小学生在校时每天1小时以上体育活动时间
    (t,) = parse_target("确保中小学生在校时每天1小时以上体育活动时间", year=2023)
    assert (t.indicator_zh, t.comparator, t.value, t.unit, t.year) == ("中小学生在校时每天体育活动时间", C.GE, 1.0, "小时", 2023)


def test_a_dash_before_an_item_is_not_part_of_its_name() -> None:
    # 广东省妇女发展规划(2011—2020年) 目标责任分解书: ——孕产妇中重度贫血患病率降低。
    (t,) = parse_target("——孕产妇中重度贫血患病率降低。", year=2020)
    assert (t.indicator_zh, t.comparator) == ("孕产妇中重度贫血患病率", C.DECREASE)


def test_a_year_between_name_and_verb_dates_that_target() -> None:
    # a city's 儿童发展规划(2011—2020年): 学前三年毛入园率2015年超过96%,到2020年达到98%
    got = parse_target("学前三年毛入园率2015年超过96%,到2020年达到98%", year=2020)
    assert [(t.indicator, t.indicator_zh, t.comparator, t.value, t.year) for t in got] == [
        ("preschool_gross_enrolment", "学前三年毛入园率", C.GT, 96.0, 2015),
        ("preschool_gross_enrolment", "学前三年毛入园率", C.GE, 98.0, 2020),
    ]


def test_a_fall_from_a_base_year_without_a_value_is_a_decrease() -> None:
    # 中国儿童发展纲要(2011—2020年): 中小学生贫血患病率以2010年为基数下降
    got = parse_target("5岁以下儿童贫血患病率控制在12%以下,中小学生贫血患病率以2010 年为基数下降。", year=2020)
    assert [(t.indicator, t.indicator_zh, t.comparator, t.value) for t in got] == [
        ("anemia_under5", "5岁以下儿童贫血患病率", C.LE, 12.0),
        (None, "中小学生贫血患病率", C.DECREASE, None),
    ]


def test_a_population_before_a_list_qualifies_every_item() -> None:
    # 中国儿童发展纲要(2011—2020年): 降低流动人口中婴儿和5岁以下儿童死亡率 — neither is the national rate
    got = parse_target("降低流动人口中婴儿和5岁以下儿童死亡率。", year=2020)
    assert [(t.indicator, t.indicator_zh, t.comparator) for t in got] == [
        (None, "流动人口中婴儿死亡率", C.DECREASE),
        (None, "流动人口中5岁以下儿童死亡率", C.DECREASE),
    ]
    assert all("unknown_indicator" in t.flags for t in got)


def test_a_five_year_plan_named_as_a_span_is_not_an_aim() -> None:
    # 山东省妇女发展规划 results (新浪山东, 2016): “十二五”时期,小学学龄儿童净入学率保持在99.99%
    assert normalize_text("“十二五”时期,小学学龄儿童净入学率保持在99.99%").startswith("在2015年,")
    assert normalize_text("到“十四五”末,孕产妇系统管理率达到92%").startswith("到2025年,")
    # the span's year still dates a goal stated within it
    (t,) = parse_target("“十四五”期间,孕产妇系统管理率达到92%以上", year=2030)
    assert (t.indicator, t.year) == ("maternal_systematic_management", 2025)


def test_qualifiers_written_in_another_order_resolve() -> None:
    # 人民日报 (2019): 确保中小学生在校时每天1小时以上体育活动时间 (dictionary: 中小学生每天校内体育活动时间)
    (t,) = parse_target("确保中小学生在校时每天1小时以上体育活动时间", year=2023)
    assert (t.indicator, t.value, t.unit) == ("school_pe_hours_daily", 1.0, "小时")
    # 广东省妇女发展规划(2011—2020年): 城乡妇女体质达到《国民体质测定标准》合格率90%以上 (dictionary: …合格比例)
    (t,) = parse_target("城乡妇女体质达到《国民体质测定标准》合格率90%以上", year=2020)
    assert (t.indicator, t.comparator, t.value) == ("women_fitness_standard_pass_share", C.GE, 90.0)
    # urban or rural alone stays apart from the whole
    assert resolve_indicator("农村妇女体质测定标准合格比例", load_indicators()) is None


def test_spam_after_a_per_mille_value_is_dropped() -> None:
    # 母婴安全行动提升计划 interpretation (spammed copy): 全国婴儿死亡率下降到5.2‰月嫂,为如期实现…
    got = parse_target("到2025年,全国孕产妇死亡率下降到14.5/10万,全国婴儿死亡率下降到5.2‰月嫂,为如期实现目标奠定基础", year=2025)
    assert [(t.indicator, t.value) for t in got] == [("maternal_mortality", 14.5), ("infant_mortality", 5.2)]
    # a bound word or a list after the value is kept
    assert [t.value for t in parse_target("婴儿和5岁以下儿童死亡率分别控制在5‰和6‰以下", year=2030)] == [5.0, 6.0]


def test_a_relative_change_reads_each_item_and_each_value() -> None:
    # one change for two indicators named together, a shorthand name that stands for two
    got = parse("到2027年,婴幼儿死亡率较2022年下降15%")
    assert got == [
        ("infant_mortality", C.RELATIVE_DECREASE_PCT, 15.0, None, "%", 2027, 2022),
        ("under5_mortality", C.RELATIVE_DECREASE_PCT, 15.0, None, "%", 2027, 2022),
    ]
    got = parse("孕产妇死亡率和新生儿死亡率以2024年为基数分别降低8%和12%")
    assert [(i, c, v, b) for i, c, v, _, _, _, b in got] == [
        ("maternal_mortality", C.RELATIVE_DECREASE_PCT, 8.0, 2024),
        ("neonatal_mortality", C.RELATIVE_DECREASE_PCT, 12.0, 2024),
    ]
    # 比2024年均下降: 年 closes the base year, 均 is an adverb (no annual change)
    got = parse("新生儿死亡率和婴儿死亡率比2024年均下降6%")
    assert {(i, c, v) for i, c, v, *_ in got} == {
        ("neonatal_mortality", C.RELATIVE_DECREASE_PCT, 6.0),
        ("infant_mortality", C.RELATIVE_DECREASE_PCT, 6.0),
    }
    # a copy that lost the 和 between the two names
    assert {t[0] for t in parse("全县婴儿5岁以下儿童死亡率以2019年为基础下降1/4")} == {"infant_mortality", "under5_mortality"}


def test_a_spun_verb_of_change_is_read_only_before_a_value() -> None:
    # synonym-spun copies put 着落 for 下降, 擢升 for 提升
    (t,) = parse_target("孕产妇死亡率以2020年为基数着落10%", year=2030)
    assert (t.indicator, t.comparator, t.value, t.baseline_year) == ("maternal_mortality", C.RELATIVE_DECREASE_PCT, 10.0, 2020)
    assert "下降" not in normalize_text("这件事终于有了着落,工作擢升了效率")


def test_a_share_of_units_carrying_out_an_activity() -> None:
    (t,) = parse_target("到2028年,全省地级市100%开展儿童友好城市建设", year=2030)
    assert (t.indicator, t.comparator, t.value, t.year) == ("prefecture_cities_child_friendly_share", C.GE, 100.0, 2028)
    (t,) = parse_target("全县中小学校100%开展心理健康教育", year=2030)
    assert (t.indicator_zh, t.comparator, t.value) == ("开展心理健康教育的中小学校比例", C.GE, 100.0)


def test_a_bracketed_part_of_a_name_is_kept() -> None:
    (t,) = parse_target("到2030年,所有乡镇(街道)均配备儿童督导员", year=2030)
    assert t.indicator_zh == "配备儿童督导员的乡镇(街道)比例"
    (t,) = parse_target("(新生儿死亡率)控制在3‰以下", year=2030)
    assert (t.indicator, t.indicator_zh) == ("neonatal_mortality", "新生儿死亡率")


def test_every_unit_doing_something_is_the_full_share_unless_hedged() -> None:
    (t,) = parse_target("到2027年,所有三级医院建成规范化的儿童友好病房", year=2030)
    assert (t.comparator, t.value, t.unit, t.year) == (C.GE, 100.0, "%", 2027)
    assert "儿童友好病房" in t.indicator_zh and "三级医院" in t.indicator_zh
    # 基本 hedges the full share: no level is stated
    assert parse_target("到2027年,所有应设置母婴室的用人单位基本建成规范化的母婴室", year=2030) == []


def test_a_frequency_in_chinese_numerals_after_its_verb() -> None:
    (t,) = parse_target("到2026年,社区家长学校每学期至少举办三次亲子阅读指导活动", year=2030)
    assert (t.comparator, t.value, t.unit, t.year) == (C.GE, 3.0, "次", 2026)
    assert "亲子阅读指导活动" in t.indicator_zh
    # 组织 as a noun before a count is not a number of times
    assert "开展" not in normalize_text("基层妇女组织3000个")


def test_an_abbreviated_name_and_places_written_after_the_thing_covered() -> None:
    (t,) = parse_target("力争到2024年底,实现未保工作站村居全覆盖", year=2030)
    assert (t.indicator, t.comparator, t.value, t.year) == ("minor_protection_station_coverage", C.GE, 100.0, 2024)
    (t,) = parse_target("到2025年,实现儿童之家城乡社区全覆盖", year=2030)
    assert (t.indicator, t.value) == ("children_home_coverage", 100.0)
    assert resolve_indicator("尚未保障儿童权益率", load_indicators()) is None


def test_abbreviated_names_are_written_in_full() -> None:
    got = {(t.indicator, t.value) for t in parse_target("到2020年,全县婚检率城乡均达到96%以上,村民委员会成员中女性比例达到30%。")}
    assert got == {("premarital_check_rate", 96.0), ("female_share_village_committee", 30.0)}


def test_a_share_of_public_and_inclusive_private_kindergartens_is_one_share() -> None:
    got = [(t.indicator, t.value) for t in parse_target("到2024年,全县公办和普惠性民办幼儿园在园幼儿占比达到88%。", year=2030)]
    assert got == [("inclusive_kindergarten_coverage", 88.0)]


def test_one_time_without_bound_or_frequency_is_how_a_service_is_given() -> None:
    assert parse_target("2024年,为城乡适龄妇女免费提供一次宫颈癌筛查服务。", year=2030) == []
    assert parse_target("2024年,免费开展一次孕前优生健康检查。", year=2030) == []
    (t,) = parse_target("2024年,每所学校每年至少开展1次防溺水演练。", year=2030)
    assert (t.value, t.unit) == (1.0, "次")


def test_by_the_end_of_the_year_is_no_part_of_a_name() -> None:
    (t,) = parse_target("2024年,年底前实现全市新生儿听力筛查率达到97%。", year=2030)
    assert (t.indicator_zh, t.value, t.year) == ("新生儿听力筛查率", 97.0, 2024)


def test_a_per_pupil_amount_saying_again_whom_and_how_often() -> None:
    (t,) = parse_target("2024年,落实全县义务教育生均公用经费不低于每生每年800元。", year=2030)
    assert (t.indicator_zh, t.comparator, t.value, t.unit) == ("义务教育生均公用经费", C.GE, 800.0, "元")


def test_a_short_qualifier_parallel_to_the_last_item_takes_its_rest() -> None:
    got = parse_target("到2030年,省级和县级医院设立儿童心理门诊的比例分别达到90%和50%。", year=2030)
    assert [(t.indicator_zh, t.value) for t in got] == [
        ("省级医院设立儿童心理门诊比例", 90.0), ("县级医院设立儿童心理门诊比例", 50.0),
    ]


def test_a_named_place_before_a_name_and_preschool_enrolment_written_with_入学() -> None:
    (t,) = parse_target("到2025年,临沂市学前教育毛入学率达到95%。", year=2025)
    assert (t.indicator, t.value) == ("preschool_gross_enrolment", 95.0)
    assert resolve_indicator("遵义市婴儿死亡率", load_indicators()).id == "infant_mortality"
    assert resolve_indicator("农村社区儿童之家覆盖率", load_indicators()) is None  # 社区 no place of its own


def test_verbs_of_building_run_together() -> None:
    got = parse_target("到2025年,新改扩建公办幼儿园35所,新扩建特殊教育学校2所。", year=2025)
    assert [(t.value, t.unit) for t in got] == [(35.0, "所"), (2.0, "所")]
    assert all(t.indicator_zh.startswith("新建") for t in got)
    assert "公办幼儿园" in got[0].indicator_zh and "特殊教育学校" in got[1].indicator_zh


def test_a_kind_of_institution_is_not_all_of_them() -> None:
    (t,) = parse_target("每个乡镇至少建成1个示范性托育机构。", year=2030)
    assert t.indicator is None and "示范性托育机构" in t.indicator_zh
    assert resolve_indicator("规范化托育机构", load_indicators()) is None


def test_a_change_by_an_amount_in_a_unit_of_its_own_is_a_direction() -> None:
    (t,) = parse_target("到2026年,全市居民人均预期寿命在2022年的基础上再提高0.8岁左右。", year=2030)
    assert (t.indicator, t.comparator, t.value, t.year, t.baseline_year) == (
        "life_expectancy", C.INCREASE, None, 2026, 2022,
    )
    (t,) = parse_target("到2027年,农村儿童每天户外活动时间比2023年延长1小时。", year=2030)
    assert (t.comparator, t.value, t.baseline_year) == (C.INCREASE, None, 2023)
    (t,) = parse_target("到2027年,全县人均预期寿命提高到80.5岁。", year=2030)  # a level, as before
    assert (t.comparator, t.value) == (C.GE, 80.5)


def test_a_yearly_change_written_with_a_bare_降_or_升() -> None:
    (t,) = parse_target("到2028年,全区中小学生视力不良率每年降1.5%以上。", year=2030)
    assert (t.comparator, t.value, t.unit) == (C.ANNUAL_DECREASE_PCT, 1.5, "%")
    (t,) = parse_target("到2028年,孕产妇系统管理率每年升0.5个百分点。", year=2030)
    assert (t.indicator, t.comparator, t.value) == ("maternal_systematic_management", C.ANNUAL_INCREASE_PTS, 0.5)


def test_高等_in_a_name_is_no_list_of_examples() -> None:
    got = parse_target("到2027年,中等职业教育在校生比例、高等教育毛入学率和劳动年龄人口平均受教育年限分别达到40%、62%和11.8年。", year=2030)
    assert [(t.indicator_zh, t.value, t.unit) for t in got] == [
        ("中等职业教育在校生比例", 40.0, "%"), ("高等教育毛入学率", 62.0, "%"), ("劳动年龄人口平均受教育年限", 11.8, "年"),
    ]


def test_a_list_of_values_with_a_suffix_inside_it() -> None:
    got = parse_target("2029年,义务教育巩固率、高中阶段教育毛入学率和人均受教育年限分别达到98%、93%以上和12年以上。", year=2030)
    assert [(t.indicator, t.comparator, t.value, t.unit, t.year) for t in got] == [
        ("compulsory_education_retention", C.GE, 98.0, "%", 2029),
        ("senior_secondary_gross_enrolment", C.GE, 93.0, "%", 2029),
        (None, C.GE, 12.0, "年", 2029),
    ]


def test_a_level_reached_from_a_base_level() -> None:
    """``X从2022年的A,提高至B``: B is the target, the base level is no part of the name."""
    (t,) = parse_target("到2027年,全市孕产妇系统管理率从2022年的91.5%,提高至95%以上。", year=2030)
    assert (t.indicator, t.comparator, t.value, t.year) == ("maternal_systematic_management", C.GE, 95.0, 2027)
    (t,) = parse_target("婴儿死亡率将由2020年的4.8‰下降到2028年的3.9‰。", year=2030)
    assert (t.indicator, t.comparator, t.value, t.unit, t.year) == ("infant_mortality", C.LE, 3.9, "‰", 2028)
    (t,) = parse_target("全县学前教育毛入园率由86%提高到92%。", year=2030)
    assert (t.indicator, t.comparator, t.value) == ("preschool_gross_enrolment", C.GE, 92.0)


def test_a_change_by_an_amount_in_chinese_numerals() -> None:
    """``要增加一岁``, ``延长两岁``, ``增加半小时``: a rise by an amount written in words, as in digits."""
    (t,) = parse_target("到2029年,全省居民人均预期寿命要比2024年延长两岁。", year=2030)
    assert (t.indicator, t.comparator, t.value, t.year, t.baseline_year) == ("life_expectancy", C.INCREASE, None, 2029, 2024)
    (t,) = parse_target("到2027年,人均预期寿命要增加一岁。", year=2030)
    assert (t.indicator, t.comparator, t.year) == ("life_expectancy", C.INCREASE, 2027)
    (t,) = parse_target("中小学生每天校内体育活动时间再增加半小时。", year=2030)
    assert (t.comparator, t.value) == (C.INCREASE, None)


def test_two_unknown_rates_sharing_a_head_after_a_group() -> None:
    """``肺结核、艾滋病患者规范治疗率``: the first item takes the group and the head of the last."""
    got = parse_target("到2027年,肺结核、艾滋病患者规范治疗率达95%以上。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.year) for t in got] == [
        ("肺结核患者规范治疗率", C.GE, 95.0, 2027), ("艾滋病患者规范治疗率", C.GE, 95.0, 2027),
    ]
    got = parse_target("严重精神障碍、肺结核患者规范管理率分别达到90%和85%。", year=2030)
    assert [(t.indicator_zh, t.value) for t in got] == [("严重精神障碍患者规范管理率", 90.0), ("肺结核患者规范管理率", 85.0)]


@pytest.mark.parametrize(
    ("clause", "phrase", "value", "unit"),
    [
        ("推出亲子阅读、科学育儿等系列讲座120场。", "系列讲座", 120.0, "场"),
        ("在车站、景区等公共场所建设母婴室40个。", "母婴室", 40.0, "个"),
        ("结对帮扶困境儿童3000名。", "帮扶困境儿童", 3000.0, "名"),
        ("实施巾帼创业项目60个。", "巾帼创业项目", 60.0, "个"),
        ("为留守妇女提供法律咨询等800件次。", "法律咨询", 800.0, "件次"),
        ("新建“妇女微家”150个。", "妇女微家", 150.0, "个"),
        ("举办家庭教育公益课堂200期。", "家庭教育公益课堂", 200.0, "期"),
    ],
)
def test_a_planned_count_after_a_verb_of_doing(clause: str, phrase: str, value: float, unit: str) -> None:
    """A count after what is to be done (推出, 建设, 帮扶, 实施, 提供, 举办 …): a floor, named by the thing
    counted (the examples before 等 and a place before the verb left out)."""
    (t,) = parse_target(clause, year=2026)
    assert phrase in t.indicator_zh and "等" not in t.indicator_zh and "“" not in t.indicator_zh
    assert (t.comparator, t.value, t.unit, t.year) == (C.GE, value, unit, 2026)


@pytest.mark.parametrize(
    ("clause", "phrase", "value", "unit"),
    [
        ("培树50家巾帼示范企业。", "巾帼示范企业", 50.0, "家"),
        ("打造80个亲子阅读点等,方便家长就近参与。", "亲子阅读点", 80.0, "个"),
        ("全年要维持线上500场亲子课堂规模。", "亲子课堂", 500.0, "场"),
        ("要在30个乡镇实施“春风行动”帮扶计划。", "春风行动", 30.0, "个"),
        ("妇联要在120个社区深化实施“家家幸福”家庭教育项目。", "家家幸福", 120.0, "个"),
    ],
)
def test_a_planned_count_before_what_is_counted(clause: str, phrase: str, value: float, unit: str) -> None:
    """A count before the thing counted (培树50家…, 维持…500场…规模) or before the places an action
    is carried out in (在30个乡镇实施…): a floor, named by the thing or the action."""
    (t,) = parse_target(clause, year=2026)
    assert phrase in t.indicator_zh and "等" not in t.indicator_zh
    assert (t.comparator, t.value, t.unit, t.year) == (C.GE, value, unit, 2026)


# ------------------------------------------------ fifteenth round (issue #13): lists of kinds, benefits, counts in 万


def test_kinds_before_a_shared_tail_are_one_rate_each() -> None:
    """``提高农民工参加医疗、养老、失业保险比例``: one rate a kind of insurance, each keeping who takes part."""
    names = [t.indicator_zh for t in parse_target("提高农民工参加医疗、养老、失业保险比例。", year=2027)]
    assert names == ["农民工参加医疗保险比例", "农民工参加养老保险比例", "农民工参加失业保险比例"]
    assert {t.comparator for t in parse_target("提高农民工参加医疗、养老、失业保险比例。", year=2027)} == {C.INCREASE}


def test_a_middle_kind_takes_the_tail_the_first_kind_took() -> None:
    """``降低结核、麻疹、风疹的发病率`` → three rates; the middle kind is not cut short of its tail."""
    got = parse_target("逐步降低结核、麻疹、风疹的发病率。", year=2027)
    assert [t.indicator_zh.replace("的", "") for t in got] == ["结核发病率", "麻疹发病率", "风疹发病率"]
    assert {t.comparator for t in got} == {C.DECREASE}


def test_two_kinds_of_one_thing_stay_one_rate() -> None:
    """``降低肺癌、肝癌死亡率`` (two kinds) stays one rate, as ``两癌死亡率`` does."""
    (t,) = parse_target("降低肺癌、肝癌死亡率。", year=2027)
    assert t.indicator_zh == "肺癌、肝癌死亡率"


def test_rises_of_benefit_standards_are_read() -> None:
    """``提高城市低保标准和孤儿基本生活补助标准``: two amounts to raise, each with its own head."""
    got = [(t.indicator_zh, t.comparator) for t in parse_target("逐步提高城市低保标准和孤儿基本生活补助标准。", year=2027)]
    assert got == [("城市低保标准", C.INCREASE), ("孤儿基本生活补助标准", C.INCREASE)]
    assert parse_target("提高公共服务标准。", year=2027) == []  # a standard of service, no amount


def test_bodies_listed_before_a_share_of_women_take_its_tail() -> None:
    (a, b) = parse_target("逐步提高居民委员会、业主委员会中女性成员比例。", year=2027)
    assert (a.indicator_zh, b.indicator_zh) == ("居民委员会中女性成员比例", "业主委员会中女性成员比例")


def test_a_lone_rate_after_a_list_of_kinds_takes_the_kinds() -> None:
    got = [t.indicator_zh for t in parse_target("结肠癌和胃癌早期筛查率提高,死亡率降低。", year=2027)]
    assert got == ["结肠癌和胃癌早期筛查率", "结肠癌和胃癌死亡率"]


def test_yu_before_a_number_is_strictly_more() -> None:
    (t,) = parse_target("城乡居民健康素养水平逾30%。", year=2030)
    assert (t.indicator_zh, t.comparator, t.value) == ("城乡居民健康素养水平", C.GT, 30.0)


def test_a_standard_named_in_book_marks_keeps_its_words() -> None:
    (t,) = parse_target("提高高校学生《国家学生体质健康标准》优秀率。", year=2027)
    assert t.indicator_zh == "高校学生国家学生体质健康标准优秀率"


def test_a_count_for_each_body_names_no_each() -> None:
    (t,) = parse_target("乡镇领导班子中各有1名以上女干部。", year=2027)
    assert "各" not in t.indicator_zh and t.indicator_zh.endswith("女干部数")
    assert (t.comparator, t.value, t.unit) == (C.GE, 1.0, "名")


def test_a_range_of_pilots_to_advance_is_a_range() -> None:
    (t,) = parse_target("在全市推进3~4个儿童友好医院建设试点。", year=2025)
    assert (t.comparator, t.value, t.value_high, t.unit) == (C.RANGE, 3.0, 4.0, "个")
    assert t.indicator_zh.startswith("儿童友好医院") and "全市" not in t.indicator_zh


@pytest.mark.parametrize(
    ("clause", "phrase"),
    [
        ("实现儿童友好学校创建全覆盖。", "儿童友好学校"),
        ("实现托育服务设施街道全覆盖。", "托育服务设施"),
    ],
)
def test_coverage_of_a_kind_of_place_or_of_facilities(clause: str, phrase: str) -> None:
    (t,) = parse_target(clause, year=2025)
    assert phrase in t.indicator_zh and (t.comparator, t.value, t.unit) == (C.GE, 100.0, "%")


def test_coverage_of_plain_places_is_no_target() -> None:
    assert parse_target("实现城乡社区全覆盖。", year=2025) == []


@pytest.mark.parametrize(
    ("clause", "phrase", "value", "unit"),
    [
        ("全年帮扶3.5万名困难妇女。", "帮扶困难妇女", 35000.0, "名"),
        ("惠及12万儿童。", "惠及儿童", 120000.0, "人"),
        ("完成年度救助2万人次困境儿童的帮扶任务。", "救助困境儿童", 20000.0, "人次"),
    ],
)
def test_people_served_counted_before_them_in_wan(clause: str, phrase: str, value: float, unit: str) -> None:
    (t,) = parse_target(clause, year=2026)
    assert phrase in t.indicator_zh and (t.comparator, t.value, t.unit) == (C.GE, value, unit)


def test_a_count_in_yi_is_multiplied_out() -> None:
    (t,) = parse_target("参加全民健身活动人数达到4.2亿人。", year=2030)
    assert (t.value, t.unit) == (420000000.0, "人")


def test_a_rate_per_10000_is_not_a_count_in_wan() -> None:
    (t,) = parse_target("每万人口全科医生数达到3.5人。", year=2030)
    assert t.value == 3.5


def test_a_scheme_covering_every_one_of_a_kind_is_full_coverage() -> None:
    (t,) = parse_target("到2027年,工伤保险覆盖全市所有建筑施工企业。", year=2027)
    assert (t.indicator_zh, t.comparator, t.value, t.unit) == ("工伤保险覆盖建筑施工企业", C.GE, 100.0, "%")


def test_what_befell_one_group_is_no_group_of_its_own() -> None:
    """``被遗弃、流浪儿童救助率``: one group (children abandoned or living on the street), one rate."""
    (t,) = parse_target("被遗弃、流浪儿童救助率达到95%。", year=2027)
    assert (t.indicator_zh, t.value) == ("被遗弃、流浪儿童救助率", 95.0)


def test_a_target_population_takes_the_programme_named_before_it() -> None:
    (t,) = parse_target("继续实施农村适龄妇女乳腺癌检查项目,目标人群覆盖率达到85%以上。", year=2027)
    assert (t.indicator_zh, t.value) == ("农村适龄妇女乳腺癌检查目标人群覆盖率", 85.0)


def test_degrees_written_as_a_list_are_one_narrower_measure() -> None:
    """``轻、中度`` / ``中、重度`` is one range of degrees: one rate, not the dictionary's rate of all degrees."""
    (t,) = parse_target("孕产妇中、重度贫血患病率控制在5%以下。", year=2027)
    assert (t.indicator, t.indicator_zh, t.value) == (None, "孕产妇中重度贫血患病率", 5.0)
    (u,) = parse_target("孕产妇贫血患病率控制在12%以下。", year=2027)
    assert u.indicator == "pregnant_anemia"


def test_kinds_listed_with_a_shared_rate_each_reach_the_level_said_of_all() -> None:
    """``A、B筛查率均达到X``: 均 says each kind's rate reaches the level; without 均 each kind's rate still
    reaches the one level written, the group the first kind opens with carried (round 27)."""
    got = parse_target("新生儿先天性心脏病、半乳糖血症筛查率均达到85%以上。", year=2027)
    assert [(t.indicator_zh, t.comparator, t.value) for t in got] == [
        ("新生儿先天性心脏病筛查率", C.GE, 85.0),
        ("半乳糖血症筛查率", C.GE, 85.0),
    ]
    each = parse_target("新生儿先天性心脏病、半乳糖血症筛查率达到85%以上。", year=2027)
    assert [t.indicator_zh for t in each] == ["新生儿先天性心脏病筛查率", "新生儿半乳糖血症筛查率"]
    # a list joined by 和/及 crossed with another (A和B的孕妇及所生儿童…均): not split by 均
    crossed = parse_target("对感染乙肝和丙肝的孕妇及所生儿童采取阻断措施比例均达到95%以上。", year=2027)
    assert len(crossed) == 1


def test_the_diseases_a_screening_covers_are_a_count_a_direction_raises() -> None:
    (t,) = parse_target("孕妇产前筛查病种稳步增加。", year=2028)
    assert (t.indicator_zh, t.comparator, t.year) == ("孕妇产前筛查病种", C.INCREASE, 2028)
    assert parse_target("扩大孕妇产前筛查病种范围。", year=2028) == []


@pytest.mark.parametrize(
    ("clause", "name", "value", "unit"),
    [
        ("今年拟建设社区儿童服务站30个。", "建设社区儿童服务站数", 30.0, "个"),
        ("完成改造城区口袋公园3万平方米。", "完成改造城区口袋公园面积", 30000.0, "平方米"),
        ("开展家庭教育公益讲座60场。", "开展家庭教育公益讲座场次", 60.0, "场"),
        ("创建5家“妇女微家”。", "妇女微家数", 5.0, "家"),
        ("共实施20个背街小巷整治。", "背街小巷整治数", 20.0, "个"),
        ("完成东湖镇、西山乡、南岭镇3个乡镇卫生院改造。", "乡镇卫生院改造数", 3.0, "个"),
    ],
)
def test_a_years_projects_are_counts_of_what_is_built_or_held(clause: str, name: str, value: float, unit: str) -> None:
    (t,) = parse_target(clause, year=2023)
    assert (t.indicator_zh, t.comparator, t.value, t.unit) == (name, C.GE, value, unit)


def test_places_built_are_an_increment_not_the_stock() -> None:
    """``建成托位1200个``: the places built, not the dictionary's stock of places (``托位数达到…``)."""
    (t,) = parse_target("建成托位1200个。", year=2023)
    assert (t.indicator, t.indicator_zh, t.value) == (None, "建成托位数", 1200.0)
    (stock,) = parse_target("托位数达到5000个。", year=2023)
    assert stock.indicator == "childcare_places"


def test_levels_listed_as_a_goal_to_be_met_are_each_a_target() -> None:
    """``确保A率95%、B占比60%的目标任务如期实现``: each name and its value; the frame is no part of a name."""
    got = parse_target("确保适龄儿童免疫规划疫苗接种率95%、普惠托位占比60%的目标任务如期实现。", year=2024)
    assert [(t.indicator_zh, t.comparator, t.value) for t in got] == [
        ("适龄儿童免疫规划疫苗接种率", C.GE, 95.0),
        ("普惠托位占比", C.GE, 60.0),
    ]
    (count,) = parse_target("完成今年新建、改扩建乡镇公办幼儿园45所的工作任务。", year=2024)
    assert (count.indicator, count.indicator_zh, count.value, count.unit) == (None, "新建、改扩建乡镇公办幼儿园数", 45.0, "所")
    # a list of values after one name is untouched
    two = parse_target("城市和农村孕产妇系统管理率分别达到92%、88%。", year=2024)
    assert [t.value for t in two] == [92.0, 88.0]


def test_half_or_more_of_a_kind_is_a_share_of_at_least_half() -> None:
    (t,) = parse_target("到2027年,一半以上村卫生室进入标准化卫生室行列。", year=2030)
    assert (t.indicator_zh, t.comparator, t.value, t.year) == ("进入标准化卫生室行列的村卫生室比例", C.GE, 50.0, 2027)
    (fall,) = parse_target("到2027年,新生儿破伤风发病率减少一半。", year=2030)
    assert (fall.comparator, fall.value) == (C.RELATIVE_DECREASE_PCT, 50.0)


def test_the_base_of_a_rate_before_its_bound_word() -> None:
    """``12/10万活产及以下``: the base the rate is counted per is no word after the value."""
    got = parse("孕产妇死亡率控制在12/10万活产及以下,结核病发病率降至40/10万人口以下。")
    assert [t[:5] for t in got] == [
        ("maternal_mortality", C.LE, 12.0, None, "1/10万"),
        (None, C.LE, 40.0, None, "1/10万"),
    ]


def test_mothers_and_the_children_they_bore_in_one_item() -> None:
    """``A、B感染产妇及其所生新生儿随访率均≥90%(4个指标)``: the mothers' and the children's rate of each
    qualifier, the note counting them dropped; the children's rate is never the mothers' indicator."""
    got = [(t.indicator, t.indicator_zh, t.comparator, t.value) for t in
           parse_target("(2)乙肝、梅毒感染产妇及其所生新生儿随访率均≥90%(4个指标);", year=2030)]
    assert got == [
        (None, "乙肝感染产妇随访率", C.GE, 90.0),
        (None, "梅毒感染产妇随访率", C.GE, 90.0),
        (None, "乙肝感染产妇所生新生儿随访率", C.GE, 90.0),
        (None, "梅毒感染产妇所生新生儿随访率", C.GE, 90.0),
    ]
    children = parse_target("到2027年,艾滋病感染孕产妇及其所生儿童治疗率达到98%以上。", year=2030)
    assert [t.indicator for t in children] == ["hiv_infected_pregnant_treatment_rate", None]
    assert children[1].indicator_zh == "艾滋病感染孕产妇所生儿童治疗率"


def test_ji_shi_is_no_conjunction() -> None:
    """``…乙肝疫苗和卡介苗及时接种率``: 及时 (timely) does not split a list."""
    names = [t.indicator_zh for t in parse_target("新生儿乙肝疫苗和卡介苗及时接种率分别达到98%以上。", year=2030)]
    assert len(names) == 2 and names[1] == "卡介苗及时接种率"


def test_a_bare_disease_takes_the_infected_group_and_a_slashed_head() -> None:
    """``结核病、乙肝感染孕产妇丈夫/子女检测率``: each disease takes the infected group and the head after it."""
    names = [t.indicator_zh for t in parse_target("结核病、乙肝感染孕产妇丈夫/子女检测率均达到80%以上。", year=2030)]
    assert names == ["结核病感染孕产妇丈夫/子女检测率", "乙肝感染孕产妇丈夫/子女检测率"]


@pytest.mark.parametrize(("clause", "comparator", "value"), [
    ("城乡居民健康素养水平在现有基础上提高15%。", C.RELATIVE_INCREASE_PCT, 15.0),
    ("成人每日饮酒量在基线基础上降低12%。", C.RELATIVE_DECREASE_PCT, 12.0),
    ("家庭医生签约率在Y年的基础上继续提高8%。", C.RELATIVE_INCREASE_PCT, 8.0),
])
def test_a_change_from_an_undated_base_is_relative(clause: str, comparator: C, value: float) -> None:
    """``在现有基础上``, ``在基线基础上``, ``在Y年(a lost year)的基础上`` + 提高/降低 N%: a relative change, the base
    phrase no part of the name, no base year."""
    got = parse_target(clause, year=2030)
    assert [(t.comparator, t.value, t.baseline_year) for t in got] == [(comparator, value, None)]
    assert "基础" not in got[0].indicator_zh and got[0].indicator_zh == clause.split("在")[0]


def test_a_change_from_a_base_year_after_zai_keeps_the_name() -> None:
    """``成人吸烟率在2020年基础上下降15%``: 在 belongs to the base, not to the name."""
    got = parse_target("到2030年,城市成人吸烟率在2020年基础上下降15%。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.baseline_year) for t in got] == [
        ("城市成人吸烟率", C.RELATIVE_DECREASE_PCT, 15.0, 2020)
    ]


def test_rates_of_one_group_with_a_shared_tail() -> None:
    """``城镇老年人跌倒率和骨折率年均增幅…下降N%``: two rates of the group the first item names, each with the tail."""
    got = parse_target("西部地区城镇老年人跌倒率和骨折率年均增幅在基线基础上下降30%。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value) for t in got] == [
        ("西部地区城镇老年人跌倒率年均增幅", C.RELATIVE_DECREASE_PCT, 30.0),
        ("西部地区城镇老年人骨折率年均增幅", C.RELATIVE_DECREASE_PCT, 30.0),
    ]
    # one disease's rates are split alike; a list whose first rate names no group or disease before the later
    # rate's length is not cut into made-up names (城市出生缺陷早产率)
    names = [t.indicator_zh for t in parse_target("先天性心脏病检出率和手术率在现有基础上提高15%。", year=2030)]
    assert names == ["先天性心脏病检出率", "先天性心脏病手术率"]
    names = [t.indicator_zh for t in parse_target("城市出生缺陷发生率和早产率在现有基础上降低10%。", year=2030)]
    assert "城市出生缺陷早产率" not in names


def test_kinds_before_de_share_what_is_measured() -> None:
    """``小学、初中和普通高中的体育教师配备率均达到95%``: one target per kind, each with the tail after 的."""
    got = parse_target("其中小学、初中和普通高中的体育教师配备率均达到95%。", year=2030)
    assert [(t.indicator_zh, t.value) for t in got] == [
        ("小学体育教师配备率", 95.0), ("初中体育教师配备率", 95.0), ("普通高中体育教师配备率", 95.0),
    ]


def test_a_count_of_people_before_a_kind_of_place_is_a_size_class() -> None:
    """``500人以上的幼儿园和300人以上的托育机构要配备…``: places of that size, not counts to reach."""
    assert parse_target("500人以上的幼儿园和300人以上的托育机构要配备专职保健医生。", year=2030) == []
    kept = parse_target("每个社区配备2名以上社区工作者。", year=2030)
    assert [(t.comparator, t.value) for t in kept] == [(C.GE, 2.0)]


def test_a_level_in_per_cent_is_no_count_of_the_dictionary() -> None:
    """``…儿童保健的医生配备达到85%`` is a share, not the dictionary's count of doctors (名) named alike."""
    got = parse_target("乡镇卫生院、社区卫生服务中心专业从事儿童保健的医生配备达到85%。", year=2030)
    assert [(t.indicator, t.comparator, t.value, t.unit) for t in got] == [(None, C.GE, 85.0, "%")]
    count = parse_target("每所乡镇卫生院、社区卫生服务中心配备专业从事儿童保健的医生数达到2名。", year=2030)
    assert [t.indicator for t in count] == ["township_child_health_doctors_per_center"]


def test_a_coverage_of_a_known_thing_over_all_urban_communities() -> None:
    """``全市城镇社区普惠性幼儿园全覆盖``: the places before the thing covered say where, the thing is known."""
    got = parse_target("到2027年,全市城镇社区普惠性幼儿园全覆盖。", year=2030)
    assert [(t.indicator, t.comparator, t.value, t.year) for t in got] == [
        ("inclusive_kindergarten_coverage", C.GE, 100.0, 2027)
    ]


def test_a_share_of_people_who_complete_something() -> None:
    """``85%的适龄儿童完成…全程接种``: a share of 85, the value before the population (完成 a verb of the share)."""
    got = parse_target("到2028年,力争85%的3岁以下儿童完成免疫规划疫苗全程接种。", year=2030)
    assert [(t.comparator, t.value, t.unit, t.year) for t in got] == [(C.GE, 85.0, "%", 2028)]
    assert "3岁以下儿童" in got[0].indicator_zh and "全程接种" in got[0].indicator_zh


def test_a_count_of_teeth() -> None:
    """``存留牙数达到26颗以上``: a count in 颗, not lost."""
    got = parse_target("到2030年,35-44岁居民存留牙数达到26颗以上。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.unit) for t in got] == [("35-44岁居民存留牙数", C.GE, 26.0, "颗")]


@pytest.mark.parametrize(("clause", "indicator", "value"), [
    ("到2025年,妇女体质测定标准合格以上的比例达到91%。", "women_fitness_standard_pass_share", 91.0),
    ("12岁儿童恒牙患龋率控制在28%以内。", "dental_caries_12y", 28.0),
    ("12岁儿童患龋率控制在30%以内。", "dental_caries_12y", 30.0),
])
def test_dictionary_names_in_the_words_of_real_plans(clause: str, indicator: str, value: float) -> None:
    assert [(t.indicator, t.value) for t in parse_target(clause, year=2030)] == [(indicator, value)]


def test_people_who_are_to_benefit() -> None:
    """``全县将有1200余名困难儿童受益``: at least 1200 beneficiaries, named by who they are."""
    got = parse_target("年内全县将有1200余名困难儿童受益。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.unit) for t in got] == [("受益困难儿童人数", C.GE, 1200.0, "名")]


def test_a_service_covering_everyone() -> None:
    """``家庭医生签约服务实现全覆盖``: a service's coverage of 100 %, not a qualitative aim like ``…服务体系全覆盖``."""
    got = parse_target("到2026年,孕产妇家庭医生签约服务实现全覆盖。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.year) for t in got] == [("孕产妇家庭医生签约服务", C.GE, 100.0, 2026)]
    assert parse_target("到2026年,学前教育公共服务体系实现全覆盖。", year=2030) == []


def test_a_gap_in_height_or_weight_between_named_sides() -> None:
    """``缩小城乡儿童体重差异``: a gap (差距, 差别, 差异) of a measurable quantity between named sides."""
    got = parse_target("缩小城乡儿童体重差异。", year=2030)
    assert [(t.indicator_zh, t.comparator) for t in got] == [("城乡儿童体重差异", C.DECREASE)]
    assert parse_target("缩小城乡差别。", year=2030) == []


def test_shares_of_units_written_place_first() -> None:
    """``城市60%幼儿园和农村40%幼儿园配备…``: a share of each place's units, as ``60%的城市幼儿园``."""
    got = parse_target("到2027年,城市60%幼儿园和农村40%幼儿园配备专职保健医生。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.year) for t in got] == [
        ("配备专职保健医生的城市幼儿园比例", C.GE, 60.0, 2027),
        ("配备专职保健医生的农村幼儿园比例", C.GE, 40.0, 2027),
    ]


def test_a_share_of_schools_that_open_a_course() -> None:
    """``25%的普通高中开设…课程``: 开设 is a verb of the share."""
    got = parse_target("25%的普通高中开设生涯规划课程。", year=2030)
    assert [(t.indicator_zh, t.value) for t in got] == [("开设生涯规划课程的普通高中比例", 25.0)]


def test_a_norm_each_room_meets_as_a_rule_is_no_target() -> None:
    """``每间哺乳室使用面积一般不小于8平方米``: a specification each room meets, not a level to reach; the count of
    rooms in the same sentence stays a target."""
    got = parse_target("到2026年建成哺乳室60间以上,每间哺乳室使用面积一般不小于8平方米。", year=2030)
    assert [(t.value, t.year) for t in got] == [(60.0, 2026)]
    assert parse_target("儿童活动室面积原则上不少于30平方米。", year=2030) == []


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # people served by a service, counted before them: the service and the people, not the verb 提供
        ("三是为全县8000名农村适龄妇女免费提供宫颈癌筛查,为300名困难妇女提供法律援助。",
         [("免费宫颈癌筛查的农村适龄妇女人数", 8000.0), ("法律援助的困难妇女人数", 300.0)]),
        # counts listed after one verb, each that verb's
        ("依托职业技能提升行动培训育婴员3000名、养老护理员1500名。",
         [("培训育婴员人数", 3000.0), ("培训养老护理员人数", 1500.0)]),
        # a later item takes the qualifier the list shares before its word
        ("新创建“美丽庭院”示范村50个、示范户8000户。",
         [("新创建美丽庭院示范村数", 50.0), ("新创建美丽庭院示范户数", 8000.0)]),
        ("力争让3000名农村妇女实现居家灵活就业。", [("农村妇女实现居家灵活就业人数", 3000.0)]),
        ("建立青年创业孵化基地,孵化500名青年女性创业者。", [("孵化青年女性创业者人数", 500.0)]),
        ("全年关爱帮扶留守儿童3000名。", [("关爱帮扶留守儿童人数", 3000.0)]),
        # places named before the verb: the rooms those places have; units to be chosen named with the verb
        ("到2020年底力争全区主要公共场所建成哺乳室60间,并评选20间示范哺乳室。",
         [("主要公共场所哺乳室数", 60.0), ("评选示范哺乳室数", 20.0)]),
        ("在客流量大、条件具备的交通枢纽、公共场所设立爱心驿站30个。", [("设立爱心驿站数", 30.0)]),
        ("为困难家庭提供心理辅导服务1200人次,办理婚姻家庭纠纷调解案件600件。",
         [("提供心理辅导服务数", 1200.0), ("办理婚姻家庭纠纷调解案件数", 600.0)]),
        # a text's count of its own projects
        ("今年将着力推进5项实事。", []),
    ],
)
def test_counts_of_people_rooms_and_services_in_a_years_projects(clause: str, expected: list) -> None:
    got = parse_target(clause, year=2026)
    assert [(t.indicator_zh, t.value) for t in got] == expected
    assert all(t.comparator == C.GE for t in got)
    if "2020年底" in clause:
        assert {t.year for t in got} == {2020}


def test_a_relative_rise_of_an_amount_shared_by_a_list_of_groups() -> None:
    """``将A、B、C的护理补贴标准分别上调8%``: a standard is an amount, so a per cent is its relative change, one for
    each group's standard; a rate raised by a per cent stays as it was read."""
    got = parse_target("将城乡低保对象、特困供养人员、困难残疾人的护理补贴标准分别上调8%。", year=2026)
    assert [(t.indicator_zh, t.comparator, t.value) for t in got] == [
        ("城乡低保对象护理补贴标准", C.RELATIVE_INCREASE_PCT, 8.0),
        ("特困供养人员护理补贴标准", C.RELATIVE_INCREASE_PCT, 8.0),
        ("困难残疾人的护理补贴标准", C.RELATIVE_INCREASE_PCT, 8.0),
    ]
    one = parse_target("孤儿基本生活费标准提高5%。", year=2026)
    assert [(t.indicator_zh, t.comparator, t.value) for t in one] == [("孤儿基本生活费标准", C.RELATIVE_INCREASE_PCT, 5.0)]
    rate = parse_target("学前教育毛入园率提高5%。", year=2026)
    assert all(t.comparator != C.RELATIVE_INCREASE_PCT for t in rate)


def test_a_span_of_years_from_a_start_dates_its_goals_at_its_last_year() -> None:
    """``从2024年起,力争用两年时间,…`` is due by 2025 (the start year counted); ``用5年时间`` from 2019, by 2023."""
    got = parse_target("从2024年起,力争用两年时间,使全市普惠性幼儿园覆盖率达到85%。", year=2030)
    assert [(t.value, t.year) for t in got] == [(85.0, 2025)]
    got = parse_target("自2019年开始,用5年时间,将孕产妇系统管理率提高到95%。", year=2030)
    assert [(t.value, t.year) for t in got] == [(95.0, 2023)]


def test_a_share_named_before_a_comma_is_the_subject_of_the_verb_after_it() -> None:
    """``…的比例,要保持在…``: the subject set off by a comma, the predicate after it."""
    got = parse_target("今后五年,城镇单位就业人员中的女性比例,力争达到42%。", year=2030)
    assert [(t.indicator, t.value) for t in got] == [("female_share_urban_nonprivate_employment", 42.0)]


def test_levels_of_government_listed_before_a_share_each_get_it() -> None:
    """``区(县)、街道(乡镇)…占比达到20%以上``: the share at each level; ``县、乡两级…``: the levels together."""
    got = parse_target("到2027年,区(县)、街道(乡镇)领导班子中女干部占比达到20%以上。", year=2030)
    assert [(t.indicator_zh, t.value, t.year) for t in got] == [
        ("区(县)领导班子中女干部占比", 20.0, 2027),
        ("街道(乡镇)领导班子中女干部占比", 20.0, 2027),
    ]
    together = parse_target("县、乡两级党政领导班子中女干部比例达到25%。", year=2030)
    assert [t.indicator_zh for t in together] == ["县、乡两级党政领导班子中女干部比例"]
    known = parse_target("村、社区儿童之家覆盖率达到95%。", year=2030)
    assert [(t.indicator, t.value) for t in known] == [("children_home_coverage", 95.0)]  # one indicator of both


def test_every_unit_of_a_kind_to_have_something_is_a_full_share() -> None:
    """``…的高速公路服务区、长途汽车站均按要求配置母婴室``: the share of each kind of unit equipped, 100 % (one share per
    kind since round 26, docs/plan-format.md); not a measure's aim (``推动…全部接受``) nor one body at each level
    (``市、县都将设立…中心``)."""
    got = parse_target("到2026年底,全省二级以上的高速公路服务区、长途汽车站均按要求配置母婴室。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.year) for t in got] == [
        ("按要求配置母婴室的二级以上高速公路服务区比例", C.GE, 100.0, 2026),
        ("按要求配置母婴室的二级以上长途汽车站比例", C.GE, 100.0, 2026),
    ]
    each = parse_target("每所中学都要配备专职心理教师。", year=2030)
    assert [(t.indicator_zh, t.value) for t in each] == [("中学配备专职心理教师比例", 100.0)]
    assert parse_target("推动孤儿全部接受学前教育。", year=2030) == []
    assert parse_target("市、县都将设立妇女儿童心理援助中心。", year=2030) == []


def test_members_share_of_women_named_with_or_without_among() -> None:
    """``村委会成员女性比例`` is the dictionary's ``村委会成员中女性比例``."""
    got = parse_target("村委会成员女性比例达到32%。", year=2030)
    assert [(t.indicator, t.value) for t in got] == [("female_share_village_committee", 32.0)]


def test_a_count_of_members_for_each_body_of_a_list() -> None:
    """``A、B、C领导班子要各配备1名女干部``, ``A、B中至少有1名女同志``: one count for each body, the bodies of the
    first one's place; a share of the bodies' members together and levels of government are left as they were."""
    got = parse_target("到2028年,各市(州)党委、人大、政协三大领导班子中均要配备2名以上女干部;"
                       "街道党工委、办事处领导班子各配备1名女干部;社区党支部、居委会中至少要有1名女同志。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.year) for t in got] == [
        ("市(州)党委领导班子中女干部数", C.GE, 2.0, 2028),
        ("市(州)人大领导班子中女干部数", C.GE, 2.0, 2028),
        ("市(州)政协领导班子中女干部数", C.GE, 2.0, 2028),
        ("街道党工委领导班子中女干部数", C.GE, 1.0, 2028),
        ("办事处领导班子中女干部数", C.GE, 1.0, 2028),
        ("社区党支部中女同志数", C.GE, 1.0, 2028),
        ("居委会中女同志数", C.GE, 1.0, 2028),
    ]
    share = parse_target("县党委、人大、政府、政协领导班子成员中女性比例达到20%。", year=2030)
    assert [t.indicator_zh for t in share] == ["县党委、人大、政府、政协领导班子成员中女性比例"]


def test_shares_of_places_about_a_value_and_activities_covering_places() -> None:
    """``60%左右的乡镇开展…``: about that share of the places; ``开展…,实现各乡镇、街道全覆盖``: every place of each kind
    listed holds the activity (a full share of those places); a coverage of a countable thing is read as before."""
    about = parse_target("到2035年,全省60%左右的乡镇开展儿童友好社区建设。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.year) for t in about] == [
        ("开展儿童友好社区建设的乡镇比例", C.AROUND, 60.0, 2035)
    ]
    places = parse_target("到2027年,组织开展防拐卖宣传,实现各乡镇、街道全覆盖。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value) for t in places] == [
        ("开展防拐卖宣传的乡镇比例", C.GE, 100.0),
        ("开展防拐卖宣传的街道比例", C.GE, 100.0),
    ]
    bracket = parse_target("开展家庭教育讲座,实现县(市、区)全覆盖,受益家庭不断增加。", year=2030)
    assert [t.indicator_zh for t in bracket] == ["开展家庭教育讲座的县(市、区)比例"]
    thing = parse_target("到2030年,实现县级妇女儿童活动中心全覆盖。", year=2030)
    assert [(t.indicator_zh, t.value) for t in thing] == [("县级妇女儿童活动中心", 100.0)]


def test_counts_of_models_chosen_and_places_counted_in_chu() -> None:
    """``选树100处…基地``, ``宣树…站点20个``: counts of the models chosen; ``处`` counts places; a thing counted whose
    name holds a place word (``…社区服务站点``) is not split into a place and a service."""
    got = parse_target("今年,在全县打造15处儿童友好街区试点,选树60处儿童友好研学基地。", year=2026)
    assert [(t.indicator_zh, t.value, t.unit) for t in got] == [
        ("儿童友好街区试点数", 15.0, "处"), ("儿童友好研学基地数", 60.0, "处")]
    chosen = parse_target("2024年,宣树巾帼家政社区服务站点35个。", year=2030)
    assert [(t.indicator_zh, t.value, t.year) for t in chosen] == [("宣树巾帼家政社区服务站点数", 35.0, 2024)]
    built = parse_target("2024年,全市公共场所建成母婴室150间。", year=2030)
    assert [t.indicator_zh for t in built] == ["公共场所母婴室数"]


def test_counts_of_events_in_wan_and_the_body_doing_the_work() -> None:
    """``县妇联将举办家庭教育讲座1.5万场次``: the events counted in units of their classifier (场, 场次), the body
    before 将 no part of what is counted; ``万场所`` is no count of events."""
    got = parse_target("2026年,县妇联将举办家庭教育讲座1.5万场次,开展亲子阅读活动3万场。", year=2030)
    assert [(t.indicator_zh, t.value, t.year) for t in got] == [
        ("举办家庭教育讲座场次", 15000.0, 2026), ("开展亲子阅读活动场次", 30000.0, 2026)]
    assert normalize_text("新建2万场所") == "新建2万场所"


def test_amounts_in_wan_and_yi_yuan_are_counted_in_yuan() -> None:
    """``发放额达到5000万元以上``: an amount in 元 (``亿元``, ``万元``); an amount per head (``1.2万元/人``) is left as it is."""
    got = parse_target("2013年,全县女性创业担保贷款发放额达到5000万元以上。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.unit, t.year) for t in got] == [
        ("女性创业担保贷款发放额", C.GE, 50_000_000.0, "元", 2013)]
    assert normalize_text("贷款总额3.5亿元") == "贷款总额350000000元"
    assert normalize_text("补助标准为1.2万元/人") == "补助标准为1.2万元/人"


def test_people_listed_before_a_count_share_the_count_only() -> None:
    """``女党员、女村干部和女企业家人数``: each item names its people whole and takes the head (人数) only,
    not the end of the last item's name (``女党员业家人数``); kinds before a shared tail still take the tail."""
    got = [t.indicator_zh for t in parse_target("女党员、女村干部和女企业家人数进一步增加。", year=2030)]
    assert got == ["女党员人数", "女村干部人数", "女企业家人数"]
    got = [t.indicator_zh for t in parse_target("提高农民工参加医疗、养老、失业保险比例。", year=2027)]
    assert got[0] == "农民工参加医疗保险比例"


# --- twenty-first round: counts of people served or mobilised, named by what is done and who ---


@pytest.mark.parametrize(
    ("clause", "name", "value"),
    [
        # a range of ages defines the group counted and is kept
        ("2026年,为全区1.5万名3-12岁儿童开展口腔检查。", "口腔检查的3-12岁儿童人数", 15000.0),
        # 余 and 多 after the count: a floor of the number written
        ("今年为全市600余名孕产妇提供心理健康评估。", "心理健康评估的孕产妇人数", 600.0),
        # people listed with the head they share are counted under that head
        ("对全县2万名城镇职工女性和农村留守女性进行健康体检。", "健康体检的女性人数", 20000.0),
        # people mobilised for an activity, a round number in words a floor
        ("组织上千名巾帼志愿者深入社区宣传防范电信诈骗。", "深入社区宣传防范电信诈骗的巾帼志愿者人数", 1000.0),
        ("动员500名退休教师、大学生结对辅导困境儿童。", "结对辅导困境儿童的退休教师、大学生人数", 500.0),
    ],
)
def test_people_counted_before_what_is_done_for_or_by_them(clause: str, name: str, value: float) -> None:
    (t,) = parse_target(clause, year=2026)
    assert (t.indicator_zh, t.comparator, t.value) == (name, C.GE, value)


def test_a_count_for_each_activity_of_the_clause_before() -> None:
    """``各完成检查5000人`` after ``为…儿童开展视力、听力检查``: one count for each activity listed, of the
    people the clause before names (their shared head); without 各 the bare count is no count of people."""
    got = parse_target("2026年为城乡适龄儿童和留守儿童免费开展一次视力、听力检查,各完成检查5000人。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value, t.year) for t in got] == [
        ("免费视力检查的儿童人数", C.GE, 5000.0, 2026), ("免费听力检查的儿童人数", C.GE, 5000.0, 2026)]
    alone = parse_target("2026年为城乡适龄儿童开展视力检查,完成检查5000人。", year=2030)
    assert not any("的儿童人数" in t.indicator_zh for t in alone)


@pytest.mark.parametrize(
    ("clause", "name", "value", "unit"),
    [
        # kinds of events listed before one count in 场: all those events together
        ("2026年举办亲子趣味运动会、家庭读书会450场。", "举办亲子趣味运动会、家庭读书会场次", 450.0, "场"),
        # a scheme's name written with + and a place whose kind is bracketed (村(居)) before the verb
        ("2026年在全市村(社区)开展“医生+社工”上门随访1200场。", "开展医生+社工上门随访场次", 1200.0, "场"),
        # 建好 a count of what is built, 重点 before it
        ("2026年重点建好35个乡镇儿童心理辅导站。", "乡镇儿童心理辅导站数", 35.0, "个"),
        # people chosen: the people counted
        ("2026年选拔巾帼宣讲员120名。", "选拔巾帼宣讲员人数", 120.0, "名"),
        # places where something is set up, counted before them
        ("2026年在18个街道设立儿童临时照料点。", "设立儿童临时照料点的街道数", 18.0, "个"),
    ],
)
def test_counts_of_events_built_chosen_and_places_set_up(clause: str, name: str, value: float, unit: str) -> None:
    (t,) = parse_target(clause, year=2030)
    assert (t.indicator_zh, t.comparator, t.value, t.unit, t.year) == (name, C.GE, value, unit, 2026)


def test_a_share_of_units_that_have_at_least_so_many() -> None:
    """``85%以上的乡镇至少有1所…``: a share of the units having them, not a count of 1; a hedge between the units
    and their verb (``初步``) is no part of the units."""
    (t,) = parse_target("到2027年,85%以上的乡镇(街道)至少有1处妇女儿童活动场所。", year=2030)
    assert (t.indicator_zh, t.comparator, t.value, t.unit) == ("至少有1处妇女儿童活动场所的乡镇(街道)比例", C.GE, 85.0, "%")
    (t,) = parse_target("到2027年,85%以上的乡镇均有1所普惠性托育机构。", year=2030)
    assert (t.comparator, t.value, t.unit) == (C.GE, 85.0, "%")  # named as the coverage of the kind counted
    (t,) = parse_target("到2027年,70%以上的农村家庭初步达到美丽庭院标准。", year=2030)
    assert (t.indicator_zh, t.value) == ("达到美丽庭院标准的农村家庭比例", 70.0)


def test_a_rise_of_an_area_and_a_capacity_once_built() -> None:
    """``扩大…面积`` is a rise of that area; what a project gives once built (``投入使用后可提供托位600个``) is
    the project's capacity, not an aim beside the project's own count."""
    got = parse_target("到2028年,扩大城市儿童游戏场地面积。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.year) for t in got] == [("城市儿童游戏场地面积", C.INCREASE, 2028)]
    got = parse_target("2026年新建托育中心3所,投入使用后可提供托位600个。", year=2030)
    assert [(t.value, t.unit) for t in got] == [(3.0, "所")]


def test_full_coverage_of_records_and_of_a_technique_in_use() -> None:
    """``…档案全覆盖``, ``…技术应用全覆盖``: a full share of what is recorded or used, not dropped as an
    unknown coverage."""
    got = parse_target("2026年,实现中小学生心理健康档案全覆盖,乡镇卫生院远程心电诊断应用全覆盖。", year=2030)
    assert [(t.comparator, t.value, t.unit) for t in got] == [(C.GE, 100.0, "%")] * 2
    assert "心理健康档案" in got[0].indicator_zh and "远程心电诊断应用" in got[1].indicator_zh


def test_each_count_after_a_two_cancers_service() -> None:
    """``两癌`` names the cervical and the breast cancer service: ``各`` after it gives one count for each."""
    got = parse_target("2026年持续推进“两癌”检查,全年检查各2.5万人。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.value) for t in got] == [
        ("宫颈癌检查人数", C.GE, 25000.0), ("乳腺癌检查人数", C.GE, 25000.0)]


def test_people_served_free_of_charge_and_more_than_a_count() -> None:
    """``免费为超过N名…提供一次…``: more than that many people served (``>``), 免费 and 一次 before the service
    placed as written; the service may be long (its kinds listed before 的)."""
    (t,) = parse_target("2026年免费为超过3万名新婚夫妇提供一次孕前优生健康检查。", year=2030)
    assert (t.indicator_zh, t.comparator, t.value) == ("免费孕前优生健康检查的新婚夫妇人数", C.GT, 30000.0)
    (t,) = parse_target("2026年为8000名孕妇提供地中海贫血、甲状腺功能减退、唐氏综合征的产前筛查。", year=2030)
    assert (t.indicator_zh, t.comparator, t.value) == (
        "地中海贫血、甲状腺功能减退、唐氏综合征的产前筛查的孕妇人数", C.GE, 8000.0)


def test_a_change_the_text_will_make_and_counts_of_models_and_households() -> None:
    """``将进一步提高…`` after a bare year is that year's aim (将: what will be done); ``培塑…典型100个`` counts the
    models fostered and ``帮扶80户…`` the households helped."""
    got = parse_target("2026年,将进一步提高农村妇女互助保险参保率和女性创业贷款获贷率。", year=2030)
    assert [(t.indicator_zh, t.comparator, t.year) for t in got] == [
        ("农村妇女互助保险参保率", C.INCREASE, 2026), ("女性创业贷款获贷率", C.INCREASE, 2026)]
    got = parse_target("2026年培塑乡村振兴巾帼典型60个,帮扶80户返乡创业妇女。", year=2030)
    assert [(t.comparator, t.value, t.unit) for t in got] == [(C.GE, 60.0, "个"), (C.GE, 80.0, "户")]
    assert "巾帼典型" in got[0].indicator_zh and "返乡创业妇女" in got[1].indicator_zh


def test_groups_named_whole_before_a_count_each_take_its_head() -> None:
    """``女村干部、区人大女代表和…负责人数量逐步增加``: each group named whole (of any length) is counted with the
    list's head (``区人大女代表数量``), the last keeping its own name."""
    got = parse_target("到2026年,女村干部、区人大女代表和女性社会组织负责人数量逐步增加。", year=2030)
    assert [(t.indicator_zh, t.comparator) for t in got] == [
        ("女村干部数量", C.INCREASE), ("区人大女代表数量", C.INCREASE), ("女性社会组织负责人数量", C.INCREASE)]


def test_meetings_held_at_a_frequency_are_no_target() -> None:
    """``每半年至少召开1次…联席会议``: how a committee works, no level to monitor; activities held at a frequency
    (``每年开展2次…教育活动``) and the aims beside the meeting are read as before."""
    got = parse_target("2026年,县妇儿工委每半年至少召开一次成员单位联席会议,全县儿童之家覆盖率达到95%。", year=2030)
    assert [(t.indicator, t.value) for t in got] == [("children_home_coverage", 95.0)]
    (t,) = parse_target("2026年每年开展2次儿童安全教育活动。", year=2030)
    assert (t.comparator, t.value) == (C.GE, 2.0)
