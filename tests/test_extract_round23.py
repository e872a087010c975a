"""Round 23 of plan-text extraction: counts of a year's sites, events and people served, a facility's coverage in a
kind of unit, and the year of ``今年`` in a text naming one year of its own. Each sentence is written for its rule."""

from __future__ import annotations

from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.periods import stated_goal_year
from childplan_analysis.catalog.site_counts import (
    continued_count,
    facility_coverage,
    level_counts,
    people_reached,
    trailing_count,
    verb_count,
)
from childplan_analysis.catalog.this_year import this_year_named


def _keys(text: str) -> set[tuple[str, str, float | None, float | None, int | None]]:
    return {(t.indicator_zh, t.comparator.value, t.value, t.value_high, t.year) for t in extract_targets(text)}


def test_levels_share_the_kind_named_after_the_last():
    got = _keys("到2027年,市妇联将创建6个省级、15个市级“巾帼文明岗”。")
    assert ("省级巾帼文明岗数", ">=", 6.0, None, 2027) in got
    assert ("市级巾帼文明岗数", ">=", 15.0, None, 2027) in got
    assert not any("15个" in k[0] for k in got)


def test_level_counts_with_a_range_first():
    got = level_counts("培育2-3家国家级、12家省级、40家市级巾帼创业示范基地")
    assert got == [
        ("国家级巾帼创业示范基地数", "range", 2.0, 3.0, "家"),
        ("省级巾帼创业示范基地数", ">=", 12.0, None, "家"),
        ("市级巾帼创业示范基地数", ">=", 40.0, None, "家"),
    ]
    assert level_counts("培育12家省级巾帼创业示范基地") is None  # one level: read as before


def test_bare_counts_go_on_a_list_of_sites():
    got = _keys("到2027年,培育100个“农家书屋”示范点,90个“书香家庭”示范户;创树300个“巾帼”字号合作社,5个“乡村振兴巾帼示范镇”。")
    assert ("书香家庭示范户数", ">=", 90.0, None, 2027) in got
    assert ("巾帼字号合作社数", ">=", 300.0, None, 2027) in got
    assert ("乡村振兴巾帼示范镇数", ">=", 5.0, None, 2027) in got


def test_a_documents_own_items_are_no_list_of_sites():
    assert continued_count("13个预期性指标", counting=True) is None
    assert continued_count("80个示范村", counting=False) is None
    assert not _keys("规划提出30个指标(17个约束性指标,13个预期性指标)。")


def test_a_site_or_event_named_before_its_count():
    got = _keys("2026年,市妇联将划设不少于40条校园安全通道,线上线下开展亲子阅读活动不少于30场,推出12期育儿微课堂。")
    assert ("校园安全通道数", ">=", 40.0, None, 2026) in got
    assert ("亲子阅读活动场次", ">=", 30.0, None, 2026) in got
    assert ("育儿微课堂期数", ">=", 12.0, None, 2026) in got
    assert trailing_count("打造儿童友好步道30条") == [("儿童友好步道数", ">=", 30.0, None, "条")]
    assert verb_count("提供200场家庭教育指导服务") == [("家庭教育指导服务场次", ">=", 200.0, None, "场")]


def test_people_reached_by_a_project():
    got = _keys("2026年,区总工会将举办周末托管班共计25期,预计服务职工子女900余人,惠及困境儿童1500余名。")
    assert ("服务的职工子女人数", ">=", 900.0, None, 2026) in got
    assert ("惠及的困境儿童人数", ">=", 1500.0, None, 2026) in got
    assert people_reached("惠及困境儿童") is None


def test_a_facility_in_every_unit_of_a_kind():
    got = _keys("到2028年,三级综合医院儿童保健门诊全覆盖,全面实现乡镇卫生院母婴室全覆盖。")
    assert ("设儿童保健门诊的三级综合医院比例", ">=", 100.0, None, 2028) in got  # round 24: a clinic is set up (设)
    assert ("设母婴室的乡镇卫生院比例", ">=", 100.0, None, 2028) in got


def test_a_known_coverage_is_read_as_the_known_rate():
    assert facility_coverage("村(社区)儿童之家全覆盖", lambda name: name.startswith("村(社区)儿童之家")) is None
    got = extract_targets("到2028年,村(社区)儿童之家全覆盖。")
    assert [t.indicator for t in got] == ["children_home_coverage"]


def test_this_year_is_the_one_year_a_text_names():
    text = (
        "区总工会召开会议部署托管服务工作。\n"
        "从2026年起,全区每年新建一批职工子女托管点。今年的目标是新建托管点12个,开展亲子活动40场。"
    )
    assert this_year_named(text) == 2026
    assert stated_goal_year(text) == 2026
    assert ("开展亲子活动场次", ">=", 40.0, None, 2026) in _keys(text)


def test_this_year_is_not_dated_by_a_base_or_by_two_years():
    assert this_year_named("与2020年相比,今年将新建托管点12个。") is None
    assert this_year_named("2020年以来建成托管点30个,今年将新建12个。") is None
    assert this_year_named("2024年建成托管点30个,2025年建成40个,今年将新建12个。") is None
    assert this_year_named("2026年暑期托管班开班。") is None  # no 今年: the year dates nothing here
    assert this_year_named("今年将落实《托育服务规划(2021—2025年)》,新建12个托管点。") is None


def test_a_count_whose_site_was_quoted_before():
    got = _keys("从2026年起,每年逐步建设一批“爱心书屋”,今年的目标是建设40个,要求各县、区建设不少于6个;以后每年逐步规范和建设8个以上。")
    assert ("建设的爱心书屋数", ">=", 40.0, None, 2026) in got
    assert ("每个县、区建设的爱心书屋数", ">=", 6.0, None, 2026) in got
    assert ("每年规范和建设的爱心书屋数", ">=", 8.0, None, 2026) in got
    assert not _keys("到2030年,要求各县建设不少于6个。")  # no site named: nothing counted


def test_levels_after_two_verbs_and_before_the_aims_word():
    got = _keys("“十二五”期间,实现培育扶持2-3家全国、12家省级、40家市级“巾帼”创业示范基地的目标。")
    assert ("国家级巾帼创业示范基地数", "range", 2.0, 3.0, 2015) in got
    assert ("省级巾帼创业示范基地数", ">=", 12.0, None, 2015) in got
    assert ("书香家庭示范户数", ">=", 80.0, None, 2027) in _keys("到2027年,培育和发展80个“书香家庭”示范户。")


def test_sites_sharing_one_count():
    got = _keys("2026年,市总工会将在全市继续创建职工书屋和亲子阅览室各8家,配套专项资金20万元。")
    assert ("职工书屋数", ">=", 8.0, None, 2026) in got
    assert ("亲子阅览室数", ">=", 8.0, None, 2026) in got


def test_a_headline_ensuring_a_years_end_dates_the_reports_aims():
    text = (
        "市妇联主席:确保2027年底全市母婴室覆盖率达到90%\n"
        "2月3日,市人民代表大会开幕,市政府工作报告提到:新建母婴室200个,示范性托育机构增至80家以上。"
    )
    assert stated_goal_year(text) == 2027
    got = _keys(text)
    assert ("新建母婴室数", ">=", 200.0, None, 2027) in got
    assert ("示范性托育机构", ">=", 80.0, None, 2027) in got
    assert this_year_named("今年再建30个巾帼家政基地。") is None  # no year named: 今年 unknown
    assert verb_count("今年再建30个巾帼家政基地") == [("巾帼家政基地数", ">=", 30.0, None, "个")]


def test_a_planned_share_of_units_value_first():
    got = _keys("2026年,全市把推动儿童友好学校建设列入民生实事,计划在全市40%以上的学校开展创建工作,打造15个市级儿童友好学校。")
    assert ("开展创建工作的学校比例", ">=", 40.0, None, 2026) in got
    assert ("市级儿童友好学校数", ">=", 15.0, None, 2026) in got
    assert [t.indicator for t in extract_targets("到2030年,计划免疫接种率达到95%以上。")] == ["immunization_coverage"]


def test_every_unit_of_each_kind_listed_to_have_a_thing():
    got = _keys("到2027年底,所有应设置无障碍设施的学校和医院都将增设无障碍设施。")
    assert ("增设无障碍设施的应设置无障碍设施的学校比例", ">=", 100.0, None, 2027) in got
    assert ("增设无障碍设施的应设置无障碍设施的医院比例", ">=", 100.0, None, 2027) in got
    assert ("配备心理辅导室的学校比例", ">=", 100.0, None, 2027) in _keys("到2027年底,所有学校都将配备心理辅导室。")


def test_a_body_working_together_before_the_verbs():
    got = _keys("力争到2027年,各级工会组织合力培育和发展60个“职工书屋”示范点,创建40个“母婴关爱室”。")
    assert ("职工书屋示范点数", ">=", 60.0, None, 2027) in got
    assert ("母婴关爱室数", ">=", 40.0, None, 2027) in got
