"""Round 25 of plan-text extraction: a part's short title run into its text on the same line, an announcement's number
above the opening sentence naming the year's projects, the year a programme's title names, counts of things built,
equipped or recognised and of people served. Each text is written for its rule."""

from __future__ import annotations

from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.outline import run_on_part
from childplan_analysis.catalog.paragraphs import opens_paragraph
from childplan_analysis.catalog.periods import projects_year, stated_goal_year


def _keys(text: str) -> set[tuple[str, str, float | None, str | None, int | None]]:
    return {(t.indicator_zh, t.comparator.value, t.value, t.unit, t.year) for t in extract_targets(text)}


def test_a_parts_title_run_into_its_text_leaves_the_text_to_read():
    assert run_on_part("三、办好普惠托育。新增托位800个") == ("三、办好普惠托育", "新增托位800个")
    assert run_on_part("一、总体目标") == ("一、总体目标", "")
    # a part whose heading is a sentence with a comma is no short title
    assert run_on_part("二、到2027年,建成儿童之家50个。新增托位800个")[1] == ""
    text = (
        "2026年某县为民办实事项目\n"
        "一、守护妇女健康。建成妇女之家驿站45个;为农村妇女免费体检1200人。\n"
        "二、扩充托育资源。新增普惠托位800个;建成社区托育点12处。\n"
    )
    got = _keys(text)
    assert ("建成妇女之家驿站数", ">=", 45.0, "个", 2026) in got
    assert ("新增普惠托位数", ">=", 800.0, "个", 2026) in got
    assert ("建成社区托育点数", ">=", 12.0, "处", 2026) in got


def test_an_announcements_number_is_no_opening_line():
    text = (
        "县人大常委会公告\n"
        "〔2026〕4号\n"
        "第2号\n"
        "经县第十届人民代表大会第二次会议票决,2026年县政府民生实事项目如下:\n"
        "一、丰富文化生活。新建城市书房6家。\n"
    )
    assert projects_year(text) == 2026
    assert ("新建城市书房数", ">=", 6.0, "家", 2026) in _keys(text)
    # without the numbers the fourth line is too far down to name the projects' year, as before
    assert projects_year("标题\n副标题\n第三行\n第四行2026年民生实事项目如下:\n") is None


def test_a_one_year_documents_title_dates_its_counts():
    text = (
        "近日,某市妇儿工委印发《2026年某市母婴关爱八项举措》,从托育、母婴设施等方面提出具体安排。\n"
        "1.扩充托育资源\n"
        "全年新增托位1200个,建成社区托育点40处。\n"
    )
    got = _keys(text)
    assert ("新增托位数", ">=", 1200.0, "个", 2026) in got
    assert ("建成社区托育点数", ">=", 40.0, "处", 2026) in got
    # a title naming a period is a plan's: its end dates the counts, not its first year
    plan = text.replace("《2026年某市母婴关爱八项举措》", "《某市母婴关爱行动计划(2026—2028年)》")
    assert {t.year for t in extract_targets(plan)} == {2028}


def test_counts_of_things_equipped_renovated_or_recognised_keep_their_verb():
    text = (
        "2026年某区民生实事项目\n"
        "一、呵护学生视力。新配置护眼灯具900套;新增智能体测设备120台;改造提升村级儿童之家35个。\n"
        "二、建设友好城区。认定儿童友好街区12个,儿童友好商圈5个,儿童友好景区8家;新开通校园专线6条。\n"
    )
    got = _keys(text)
    assert ("新配置护眼灯具数", ">=", 900.0, "套", 2026) in got
    assert ("新增智能体测设备数", ">=", 120.0, "台", 2026) in got
    assert ("改造提升村级儿童之家数", ">=", 35.0, "个", 2026) in got
    assert ("认定儿童友好街区数", ">=", 12.0, "个", 2026) in got
    assert ("儿童友好商圈数", ">=", 5.0, "个", 2026) in got
    assert ("儿童友好景区数", ">=", 8.0, "家", 2026) in got
    assert ("新开通校园专线数", ">=", 6.0, "条", 2026) in got


def test_a_level_after_a_count_is_no_count_on_its_list():
    got = _keys("2026年,全区新增托位900个,其中普惠托位600个,每千人口拥有3岁以下婴幼儿托位数达到4.5个。")
    assert ("普惠托位数", ">=", 600.0, "个", 2026) in got
    assert not any(name.startswith("每千人口") and name.endswith("达到数") for name, *_ in got), got


def test_people_a_service_reaches_are_counted_either_way_round():
    text = (
        "2026年某县民生实事项目\n"
        "一、关爱特殊儿童。实施听障儿童康复训练300人;康复救助脑瘫儿童120人。\n"
        "二、守护老人健康。开展老年人视力筛查不少于2000人。\n"
    )
    got = _keys(text)
    assert ("康复训练的听障儿童人数", ">=", 300.0, "人", 2026) in got
    assert ("康复救助的脑瘫儿童人数", ">=", 120.0, "人", 2026) in got
    assert ("视力筛查的老年人人数", ">=", 2000.0, "人", 2026) in got
    # a service counted in things, not people, is no count of people
    assert not any(name.endswith("人数") for name, *_ in _keys("2026年,康复救助设备采购120台。"))


def test_this_years_aims_beside_a_five_year_plans_end_are_not_dated_by_it():
    text = (
        "从日前召开的全省妇幼健康工作会议上获悉,今年该省将为12万名孕妇免费开展产前筛查,"
        "产前筛查率将达到85%以上,预计到“十四五”末实现产前筛查全覆盖。"
    )
    assert stated_goal_year(text) is None  # 今年 is not said: its year is assumed
    levels = {(t.indicator_zh, t.value): t for t in extract_targets(text)}
    rate = next(t for (name, value), t in levels.items() if name.endswith("产前筛查率") and value == 85.0)
    assert "year_assumed" in rate.flags
    # a text that names the plan as its period keeps the plan's end as the year of its aims
    assert stated_goal_year("“十四五”期间,全省产前筛查率将达到85%以上。今年将新建母婴室50个。") == 2025


def test_couples_served_are_counted_in_pairs_after_the_body_that_serves_them():
    got = _keys("2026年,该市将为1.2万对新婚夫妇开展免费婚前医学检查,我县还将为600名孕妇提供免费产前筛查。")
    assert ("免费婚前医学检查的新婚夫妇对数", ">=", 12000.0, "对", 2026) in got
    assert ("免费产前筛查的孕妇人数", ">=", 600.0, "名", 2026) in got
    # 对 before no couples is no count of them (对 as "towards")
    assert not any(name.endswith("对数") for name, *_ in _keys("2026年,将对600名孕妇开展免费产前筛查。"))


def test_a_paragraph_that_lost_its_full_stop_does_not_run_into_the_next():
    text = (
        "某市2026年民生实事项目出炉\n"
        "2026年,该市将为3.2万名小学生开展免费视力筛查\n"
        "此外,全市新建母婴室40个。\n"
    )
    got = _keys(text)
    assert ("免费视力筛查的小学生人数", ">=", 32000.0, "名", 2026) in got
    assert ("新建母婴室数", ">=", 40.0, "个", 2026) in got
    # a line broken inside a phrase (在…的 / 同时) is still one sentence
    assert opens_paragraph("在做好妇女儿童健康服务的", "同时,新建母婴室40个。") is False


def test_a_count_before_the_thing_worked_on_names_what_is_counted():
    got = _keys("2026年,全市将新开通6条校园专线,完善提升15个公园的母婴设施,推出原创儿童剧目8部。")
    assert ("新开通校园专线数", ">=", 6.0, "条", 2026) in got
    assert ("完善提升母婴设施的公园数", ">=", 15.0, "个", 2026) in got
    assert ("推出原创儿童剧目数", ">=", 8.0, "部", 2026) in got


def test_another_way_to_build_noted_inside_the_verb_is_built_either_way():
    got = _keys("2026年,建(改扩)成城市书房12家、儿童阅览室30个,建(改)成口袋公园18个。")
    assert ("建成城市书房数", ">=", 12.0, "家", 2026) in got
    assert ("建成儿童阅览室数", ">=", 30.0, "个", 2026) in got
    assert ("建成口袋公园数", ">=", 18.0, "个", 2026) in got


def test_a_size_class_of_places_is_no_count_of_them():
    got = _keys("2026年,实现全县行政村、50户以上自然村、学校周边区域应急广播终端全覆盖,100人以上企业建立母婴室的比例达到80%。")
    assert not any(unit == "户" or value in (50.0, 100.0) for _, _, value, unit, _ in got), got
    assert any(name.endswith("建立母婴室比例") and value == 80.0 for name, _, value, _, _ in got), got
    # a count with 以上 after it is a count, as before
    assert ("培育示范户", ">=", 100.0, "户", 2026) in _keys("2026年,培育示范户100户以上。")
