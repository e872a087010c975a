"""Extraction: the general causes left after the twentieth round (issue #13), each on a sentence of its own."""

from __future__ import annotations

from childplan_analysis.catalog.extract import extract_targets
from childplan_analysis.catalog.grammar import ParsedTarget
from childplan_analysis.core.targets import Comparator as C


def _keys(targets: list[ParsedTarget]) -> list[tuple]:
    return [(t.indicator, t.indicator_zh, t.comparator, t.value, t.year) for t in targets]


# ------------------------------------------------ one place of a kind for each place


def test_at_least_one_school_set_up_in_each_place_is_a_count() -> None:
    """``至少建立1所``, ``建立一所`` and ``至少办1个`` count what is set up, as ``至少建成1所`` does."""
    text = (
        "到2026年，每个街道至少建立1所普惠性托育中心；每个县建立一所青少年心理辅导站；"
        "各镇至少办1个儿童阅览室。"
    )
    got = {(t.comparator, t.value, t.year, t.unit) for t in extract_targets(text)}
    names = [t.indicator_zh for t in extract_targets(text)]
    assert got == {(C.GE, 1.0, 2026, "所"), (C.GE, 1.0, 2026, "个")}
    assert any("普惠性托育中心" in n for n in names)
    assert any("青少年心理辅导站" in n for n in names)
    assert any("儿童阅览室" in n for n in names)


def test_a_course_set_up_without_a_count_is_no_count() -> None:
    """``建立`` before a thing without a number (``建立健全…机制``) is not counted."""
    assert extract_targets("到2026年，各县建立健全儿童督导员工作机制。") == []


# ------------------------------------------------ a text that never speaks of women


def test_a_rate_of_everyone_in_a_text_without_women_is_not_the_womens_rate() -> None:
    """A national plan that never names women: ``基本养老保险参保率`` is everyone's rate, not the women's
    indicator whose name it matches once 妇女 is dropped; in a women's plan it stays the women's."""
    everyone = "到2028年，基本养老保险参保率达到96%，每千人口拥有3岁以下婴幼儿托位数达到4.5个。"
    got = {t.indicator_zh: t.indicator for t in extract_targets(everyone)}
    assert got.get("基本养老保险参保率", "missing") is None
    women = "妇女与社会保障。到2028年，基本养老保险参保率达到96%。"
    assert [t.indicator for t in extract_targets(women)] == ["women_basic_pension_participation"]


# ------------------------------------------------ a lost character whose pinyin survived


def test_a_lost_character_with_its_pinyin_does_not_end_the_sentence() -> None:
    """A copy that lost a character but kept its pinyin (``托?yù)``, its opening bracket lost too) reads
    on: the ``?`` is no question mark ending the sentence before the count."""
    text = "到2026年，每個鄉鎮設立一所普惠?xìng)托育服務中心。"
    got = [(t.comparator, t.value, t.year) for t in extract_targets(text)]
    names = [t.indicator_zh for t in extract_targets(text)]
    assert got == [(C.GE, 1.0, 2026)]
    assert names[0].endswith("托育服务中心数")


def test_a_question_mark_before_pinyin_in_brackets_of_its_own_is_kept() -> None:
    """A real question before a bracketed syllable of its own (``(shì)``) is not a lost character."""
    from childplan_analysis.catalog.script import drop_lost_marks

    assert drop_lost_marks("这是什么?(shì)") == "这是什么?(shì)"


# ------------------------------------------------ every unit of a kind, after the words leading the aim


def test_every_unit_after_a_lead_word_is_a_full_share() -> None:
    """``力争全部…达到…标准``, ``全市所有…配备…``: a share of 100 % of the units, as without the lead words;
    a hedge (``基本实现所有…``) still names no share."""
    text = "到2027年，力争全部乡镇卫生院达到服务能力基本标准等；全市所有中小学校配备专职心理健康教育教师。"
    got = {(t.indicator_zh, t.comparator, t.value, t.year) for t in extract_targets(text)}
    assert got == {
        ("达到服务能力基本标准的乡镇卫生院比例", C.GE, 100.0, 2027),
        ("配备专职心理健康教育教师的中小学校比例", C.GE, 100.0, 2027),
    }
    assert extract_targets("到2027年，基本实现所有托育机构建成视频监控系统。") == []


# ------------------------------------------------ a known rate in another real plan's wording


def test_known_rates_in_other_plans_wording_are_resolved() -> None:
    """``学前三年教育毛入园率`` (also ``学前三年幼儿教育…``) is the pre-school gross enrolment rate and
    ``经常参加体育锻炼的妇女比例`` the women's share exercising regularly (aliases of the dictionary)."""
    text = "到2026年，全县学前三年幼儿教育毛入园率达到96%，经常参加体育锻炼的妇女比例明显提高。"
    got = {(t.indicator, t.comparator, t.value) for t in extract_targets(text)}
    assert got == {("preschool_gross_enrolment", C.GE, 96.0), ("women_regular_exercise_share", C.INCREASE, None)}


# ------------------------------------------------ a direction for one milestone, a level for the next


def test_a_direction_dated_by_its_own_milestone_is_kept_beside_a_later_level() -> None:
    """``到2026年…继续下降，到2030年…降到4‰以下``: the fall is the aim of 2026, not a lead-in to 2030's level;
    an undated direction before a dated level still leads in to it and is dropped."""
    text = "到2026年，婴儿死亡率在2020年的基础上继续下降，到2030年，婴儿死亡率降到4‰以下。"
    got = [(t.indicator, t.comparator, t.value, t.year) for t in extract_targets(text)]
    assert got == [("infant_mortality", C.DECREASE, None, 2026), ("infant_mortality", C.LE, 4.0, 2030)]
    lead_in = "降低5岁以下儿童死亡率，到2027年，全省5岁以下儿童死亡率下降到5‰以下。"
    assert [(t.comparator, t.year) for t in extract_targets(lead_in)] == [(C.LE, 2027)]


# ------------------------------------------------ kinds of places listed before one count


def test_kinds_of_places_before_one_count_are_counted_each() -> None:
    """``增加乡村少年宫和社区儿童阅览室数量``: the count of each kind rises; a compound joined by 与 is one kind."""
    got = [(t.indicator_zh, t.comparator, t.year) for t in extract_targets("到2027年，增加乡村少年宫和社区儿童阅览室数量。")]
    assert got == [("乡村少年宫数量", C.INCREASE, 2027), ("社区儿童阅览室数量", C.INCREASE, 2027)]
    one = [t.indicator_zh for t in extract_targets("到2027年，增加青少年心理与行为健康服务机构数量。")]
    assert one == ["青少年心理与行为健康服务机构数量"]
