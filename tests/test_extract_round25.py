"""Round 25 of plan-text extraction: a part's short title run into its text on the same line, an announcement's number
above the opening sentence naming the year's projects, the year a programme's title names, counts of things built,
equipped or recognised and of people served. Each text is written for its rule."""

from __future__ import annotations

from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.outline import run_on_part
from childplan_analysis.catalog.periods import projects_year


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
