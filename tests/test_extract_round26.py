"""Round 26 of plan-text extraction: a work report's aims dated by the report's year, not the year it reviews; a
programme's own last year; aims a results report quotes beside the levels reached; a share or growth named by its head
alone, its subject in the clause before; counts of people served, aided and trained, and sums of money; each kind of a
list sharing a full share. Each text is written for its rule."""

from __future__ import annotations

from childplan_analysis.catalog.activity_places import served_by_body
from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.head_named import head_named, trained_named
from childplan_analysis.catalog.money_sums import sum_given
from childplan_analysis.catalog.passed_aims import passed_aims
from childplan_analysis.catalog.periods import earliest_target_year, goal_years, stated_goal_year
from childplan_analysis.catalog.programme_periods import programme_period
from childplan_analysis.catalog.work_counts import means_count
from childplan_analysis.catalog.work_reports import work_report_year
from childplan_analysis.core.config import INDICATORS_FILE
from childplan_analysis.core.indicators import load_indicators


def _keys(text: str) -> set[tuple[str, str, float | None, str | None, int | None]]:
    return {(t.indicator or t.indicator_zh, t.comparator.value, t.value, t.unit, t.year) for t in extract_targets(text)}


_REPORT = (
    "浙里妇儿民生账单出炉\n"
    "按照惯例,省政府工作报告每年都会列出当年要办的民生实事,今年也一样。\n"
    "新建城乡妇女微家300个,为5000名困境儿童提供心理疏导服务。\n"
    "——《2023年省政府工作报告》\n"
    "2022年的实事办得怎样?\n"
    "省妇联负责人介绍,2022年,全省建成儿童之家180多个,到2022年11月累计服务达到了12万人次。\n"
)


def test_a_work_reports_aims_take_the_reports_year_not_the_year_it_reviews():
    assert work_report_year(_REPORT) == 2023
    assert stated_goal_year(_REPORT) == 2023
    assert earliest_target_year(_REPORT) == 2023  # the review's years are past
    got = _keys(_REPORT)
    assert ("新建城乡妇女微家数", ">=", 300.0, "个", 2023) in got
    assert ("心理疏导服务的困境儿童人数", ">=", 5000.0, "名", 2023) in got
    assert {k[4] for k in got} == {2023}
    # a text of a later year quoting a past year's report is not dated by it
    later = "为落实2022年市政府工作报告提出的任务,今年全市将新建母婴室40间。截至2023年3月已建成12间。"
    assert work_report_year(later) is None
    # nor is a text that does not speak of this year
    assert work_report_year("《2023年政府工作报告》回顾了过去五年的工作。") is None


def test_a_level_reached_by_a_year_told_with_le_is_no_goal_year():
    assert goal_years("到2019年5月平台注册人数达到了3万人。")[0] == []
    assert goal_years("到2019年,平台注册人数达到3万人。")[0] == [2019]


_PROGRAMME = (
    "国家卫健委部署三年专项\n"
    "记者从国家卫生健康委获悉,国家卫生健康委确定2026—2028年为“妇幼健康服务提升年”,用三年时间补齐短板。\n"
    "县级妇幼保健机构开设心理门诊的比例达到80%以上。在“十五五”期间持续完善服务网络。\n"
)


def test_a_programmes_undated_aims_take_its_last_year():
    assert programme_period(_PROGRAMME) == (2026, 2028)
    assert ("县级妇幼保健机构开设心理门诊比例", ">=", 80.0, "%", 2028) in _keys(_PROGRAMME)
    # a period in the text's body, far from its opening, or a long run of years, announces no programme
    assert programme_period("标题\n第二行\n第三行\n第四行确定2026—2028年为“服务提升年”。") is None
    assert programme_period("国家确定2021—2030年为“十年行动”。") is None


def test_aims_a_results_report_quotes_are_the_years_targets_not_the_levels_reached():
    text = (
        "全市2024年儿童健康实事超额完成年度任务\n"
        "截至2024年12月底,全市共完成儿童眼保健检查21000多人次。以全年活产数为基数测算,0-6岁儿童眼保健覆盖率为93.5%,"
        "超过90%的年度目标;孕妇艾滋病检测率为99.2%,高于95%的目标要求。\n"
    )
    got = _keys(text)
    assert ("0-6岁儿童眼保健覆盖率", ">=", 90.0, "%", 2024) in got
    assert ("prenatal_hiv_testing_rate", ">=", 95.0, "%", 2024) in got
    assert len(got) == 2, got  # neither 93.5 nor 99.2: results
    assert passed_aims("剖宫产率为38.1%,低于40%的目标要求") == ["目标要求:剖宫产率控制在40%以下。"]
    assert passed_aims("剖宫产率为38.1%,比上年下降1.2个百分点") == []


def test_a_head_alone_is_named_from_the_clause_before_it():
    text = (
        "到2028年,全省推进四项任务:一是小学生近视率在基线基础上,年均增幅下降15%。二是普遍把心理健康课纳入中小学课程,覆盖率达90%。"
        "三是各乡镇(街道)普遍建立儿童议事会,覆盖率达85%。四是托育机构普遍接入智慧监管平台,比例达95%。\n"
    )
    got = _keys(text)
    assert ("小学生近视率年均增幅", "relative_decrease_pct", 15.0, "%", 2028) in got
    assert ("心理健康课纳入中小学课程覆盖率", ">=", 90.0, "%", 2028) in got
    assert ("建立儿童议事会的乡镇(街道)覆盖率", ">=", 85.0, "%", 2028) in got
    assert ("接入智慧监管平台的托育机构比例", ">=", 95.0, "%", 2028) in got
    assert not {k[0] for k in got} & {"覆盖率", "比例", "年均增幅"}
    # with no clause before it in the sentence, or one holding a level of its own, the head is left as it was
    assert head_named("覆盖率", "") is None
    assert head_named("覆盖率", "儿童之家建成率达到90%") is None
    assert head_named("配置率", "公共场所应配备母婴设施") is None  # a head naming what is done is no bare head
    assert ("覆盖率", ">=", 85.0, "%", 2028) in _keys("到2028年覆盖率达到85%。")


def test_people_trained_are_named_by_the_training_whose_courses_are_counted_before():
    text = "2026年某市妇联民生实事\n举办家政技能培训150期,培训妇女6000人次。开展电商直播培训80期,培训妇女3000人次以上。\n"
    got = _keys(text)
    assert ("家政技能培训妇女人次", ">=", 6000.0, "人次", 2026) in got
    assert any(k[0].startswith("电商直播培训妇女") and k[2] == 3000.0 for k in got), got
    assert trained_named("培训妇女人次", "各类实用技术培训40期") == "实用技术培训妇女人次"
    assert trained_named("培训妇女人次", "新建妇女之家40个") is None


def test_people_aided_given_money_or_insurance_and_served_are_counted_as_people():
    text = (
        "2026年某市妇联民生实事\n"
        "为800名患重病的单亲母亲发放慰问金。向全市5000名环卫女工提供总保额1亿元的意外伤害保险。"
        "救助300名低保、低边等患重病妇女。救助80名因意外致残的困境儿童。带动3000名返乡女青年创业。"
        "为留守儿童提供心理咨询、学业辅导等服务8000人次。\n"
    )
    got = _keys(text)
    assert ("发放慰问金的患重病的单亲母亲人数", ">=", 800.0, "名", 2026) in got
    assert ("意外伤害保险的环卫女工人数", ">=", 5000.0, "名", 2026) in got
    assert ("意外伤害保险总保额", ">=", 100000000.0, "元", 2026) in got
    assert ("救助低保、低边等患重病妇女人数", ">=", 300.0, "名", 2026) in got
    assert ("救助因意外致残的困境儿童人数", ">=", 80.0, "名", 2026) in got
    assert ("创业的返乡女青年人数", ">=", 3000.0, "名", 2026) in got
    assert ("提供心理咨询、学业辅导等服务数", ">=", 8000.0, "人次", 2026) in got  # the examples say which services
    assert len(got) == 7, got


def test_a_sum_given_or_waived_is_a_total_and_a_cap_per_head_is_none():
    got = _keys("2026年某市妇联民生实事\n为困难家庭白血病患儿减免医疗费、检查费50万元。为每名患儿减免医疗费最高2万元。\n")
    assert got == {("为困难家庭白血病患儿减免医疗费、检查费金额", ">=", 500000.0, "元", 2026)}
    assert sum_given("为每名患儿减免医疗费最高20000元") is None


def test_an_effort_before_a_full_coverage_and_cases_brought_forward():
    got = _keys("2026年某市妇联民生实事\n持续推进困境儿童结对帮扶服务全覆盖。推介200个“最美家庭”典型案例。\n")
    assert ("困境儿童结对帮扶服务", ">=", 100.0, "%", 2026) in got
    assert ("推介最美家庭典型案例数", ">=", 200.0, "个", 2026) in got


def test_each_kind_of_a_list_sharing_a_full_share_has_its_own():
    got = _keys("到2027年底,全市各县城的长途客运站、旅游景区均按要求配置母婴室。")
    assert got == {
        ("按要求配置母婴室的县城长途客运站比例", ">=", 100.0, "%", 2027),
        ("按要求配置母婴室的县城旅游景区比例", ">=", 100.0, "%", 2027),
    }


def test_road_traffic_accident_deaths_are_the_road_injury_rate():
    ind = load_indicators(INDICATORS_FILE).find("儿童道路交通事故死亡率")
    assert ind is not None and ind.id == "child_road_injury_mortality"
    got = _keys("到2030年,儿童道路交通事故死亡率以2020年为基数下降30%。")
    assert ("child_road_injury_mortality", "relative_decrease_pct", 30.0, "%", 2030) in got


def test_events_named_as_the_means_of_what_follows_are_counted():
    got = _keys("2026年某县妇联民生实事\n通过开展30场“亲子共读”示范活动,带动各村举办阅读活动300场。\n")
    assert ("亲子共读示范活动场次", ">=", 30.0, "场", 2026) in got
    assert ("举办阅读活动场次", ">=", 300.0, "场", 2026) in got
    assert means_count("通过3年努力") is None


def test_a_plan_reviewing_the_last_period_against_its_aims_sets_no_aim_by_them():
    text = (
        "某市儿童发展规划(2026—2030年)\n"
        "一、发展基础\n"
        "“十四五”期间,全市婴儿死亡率为3.1‰,低于6‰的目标要求;儿童保健覆盖率为95.2%,超过90%的规划目标。\n"
        "二、主要目标\n"
        "到2030年,婴儿死亡率控制在3‰以下。\n"
    )
    assert _keys(text) == {("infant_mortality", "<=", 3.0, "‰", 2030)}


def test_a_body_going_into_places_counts_the_places_the_events_and_the_people_served():
    text = "2026年某县妇联十件实事\n“爱心妈妈”志愿服务队计划深入全县85个村(社区)举办亲子活动170场,惠及3400余人次。\n"
    got = _keys(text)
    assert ("爱心妈妈志愿服务队深入的村(社区)数", ">=", 85.0, "个", 2026) in got
    assert ("爱心妈妈志愿服务队亲子活动场次", ">=", 170.0, "场", 2026) in got
    assert ("爱心妈妈志愿服务队惠及人次", ">=", 3400.0, "人次", 2026) in got
    assert len(got) == 3, got
    # a bare count of people served after anything else names no one
    assert served_by_body("惠及3400余人次", "新建妇女之家40个") is None
