"""Whose statement a sentence is: the text's own aim, another body's requirement, or a result.

Extraction keeps only what the text itself sets out to reach. Two kinds of sentence look like
aims and are not:

* **A requirement quoted from another body** (:func:`quotes_other_body`): a goal attributed,
  before it is stated, to an international goal or body (``根据联合国千年发展目标的要求，孕产妇死亡率
  要在1990年基础上下降75%``), to a plan of another period (``《“健康中国2030”规划纲要》…提出了明确
  要求，要求到2030年…`` in a programme for 2025), or, in a local plan, to the national plan
  (``国家纲要要求…``). The attribution is a source followed by a verb of requiring or stating
  (要求, 提出, 规定, 明确, 确定, 建议). The plan a text is about (its title's, the one it
  abbreviates as its subject, the one its opening quotes) is its own.
* **A statement in a results report** (:func:`is_results_report`): a text that opens as a
  report on how a plan is being carried out (``…实施进展报告解读``, ``统计监测报告``, ``报告显示``)
  and has no section of goals tells of changes (``死亡率均有所下降``, ``毛入园率提高``) and levels
  (``目标人群覆盖率平均达91.7%``) that were reached; there a sentence states no target unless it
  looks ahead (:func:`looks_ahead`: ``到2030年``, ``要``, ``将``, ``力争``, ``下一步``) or states a
  plan's aims as such (:func:`states_plan_aims`: ``《纲要》明确了“…达到50%”的目标``, ``…提出了8个
  主要目标:…``).
* **A meeting's agenda told as news** (:func:`reports_a_meeting`): ``7月13日,…召开…会议,部署…,
  预防和减少孕产妇和婴儿死亡`` names aims without a level or a year; they are what was arranged,
  as a speaker's call at an event (``…在…活动上强调,应…,切实提高母乳喂养率``) is what was said.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from childplan_analysis.catalog.grammar import normalize_text

#: Lines read for the opening of a text (its title and first paragraph).
OPENING_LINES = 4
#: How a report on a plan's implementation names itself, or states what it found.
_REPORT_OPENING_RE = re.compile(
    r"(?:监测|进展|实施情况|执行情况|评估|统计)[^。,;]{0,6}(?:报告|解读|公报)|"
    r"(?:报告|数据|结果|监测)(?:显示|表明|指出)|"
    r"(?:成果|工作|实施|执行)(?:综述|总结|回顾)|终期(?:评估|总结)|"  # a plan's 成果综述: what it achieved
    # a press conference on a past period: ``举办发布会,介绍“十三五”期间国家教育发展情况``
    r"发布会[^。;]{0,12}介绍[^。;]{0,12}(?:期间|以来|20\d\d年)[^。;]{0,16}(?:情况|成就|成效|进展)"
)
#: A heading of a goals section: a report that has one also sets goals.
_GOAL_HEADING_RE = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.]?)?(?:主要目标|具体目标|工作目标|目标任务|发展目标|总体目标|行动目标)"
)
#: Words by which a sentence looks ahead rather than back.
_AHEAD_RE = re.compile(
    r"(?<!截)(?:到|至)20\d\d年|力争|争取|(?<![主需重必只纲])要(?!求)|将|应当|确保|尽快|尽早|今后|未来|下一步|展望"
)
#: International goals and bodies: a goal set by them is never a local text's own.
_INTERNATIONAL_RE = re.compile(r"千年发展目标|可持续发展目标|可持续发展议程|联合国|世界卫生组织|世卫组织|WHO|国际社会")
#: Verbs by which a source states or requires a goal.
_REQUIRE_RE = re.compile(r"要求|提出|规定|明确|确定|设定|建议|倡议")
#: A plan named in the source part: ``《…》`` or ``…纲要/规划/计划/方案`` (with its years).
_SOURCE_PLAN_RE = re.compile(r"《([^》]{2,60})》|((?:20\d\d[-—–~至]20\d\d年)?[\u4e00-\u9fff“”\"]{2,30}?(?:纲要|规划|计划|方案))")
_PLAN_END_RE = re.compile(r"20\d\d[-—–~至](20\d\d)|(20\d\d)")
_NATIONAL_SOURCE_RE = re.compile(r"(?:国家|全国|国务院|中国)[^,;。]{0,12}?(?:纲要|规划|两纲)")


#: An achievement stated as made (``…建设取得重大进展``, ``24项全球目标有21项已经实现``): a review's
#: headline, unless it looks ahead.
_ACHIEVED_RE = re.compile(
    r"取得了?(?:重大|显著|明显|长足|积极|历史性|决定性|突破性)的?新?(?:进展|成效|成就|成果|突破)|"
    r"目标[^。;,]{0,12}已经?(?:全面|基本)?(?:实现|完成)|"
    r"(?:较好|圆满|全面|基本|超额)(?:地)?完成了?[^。;,]{0,12}(?:目标|任务|指标)"  # 较好完成了规划既定的各项目标任务
)


#: A monitoring report's count of the plan's own targets reached (``76.9%的监测指标达到中期目标``,
#: ``83项提前达到2015年规划目标``): what a plan never says of the aims it sets.
TARGETS_REACHED_RE = re.compile(
    r"\d+(?:\.\d+)?%的(?:可)?监测指标|(?:可)?监测指标[^。;,]{0,12}(?:达到|实现|完成)[^。;,]{0,8}(?:目标|规划值)|"
    r"\d+项(?:指标)?(?:已)?提前(?:达到|实现|完成)"
)


#: A new level reached (``妇女儿童事业迈上新台阶``), not one striven for (``推动…迈上新台阶``).
_NEW_LEVEL_RE = re.compile(r"(?:迈上|再上|跃上|登上)新的?台阶")
_STRIVE_RE = re.compile(r"推动|推进|促进|助推|助力|确保|力争|争取|努力|奋力|实现")


def _achieved(line: str) -> bool:
    """The line tells an achievement made, not aimed at."""
    if looks_ahead(line):
        return False
    return bool(_ACHIEVED_RE.search(line)) or bool(_NEW_LEVEL_RE.search(line) and not _STRIVE_RE.search(line))


def is_results_report(text: str) -> bool:
    """A report on a plan's implementation: its opening names such a report or what it found
    (``实施进展报告解读``, ``统计监测报告``, ``报告显示``) or an achievement made, not aimed at
    (``“十四五”期间我国儿童福利保障制度建设取得重大进展``, ``…目标有21项已经实现``, ``…事业迈上新台阶``), or a line counts the
    plan's targets reached (``76.9%的监测指标达到中期目标``); and no line heads a section of goals."""
    lines = [normalize_text(ln) for ln in text.splitlines() if ln.strip()]
    opening = lines[:OPENING_LINES]
    if not any(_REPORT_OPENING_RE.search(ln) or _achieved(ln) for ln in opening) and not any(
        TARGETS_REACHED_RE.search(ln) for ln in lines
    ):
        return False
    return not any(_GOAL_HEADING_RE.match(ln) for ln in lines)


def looks_ahead(sentence: str) -> bool:
    """The sentence speaks of what is to come (``到2030年``, ``要``, ``将``, ``力争``, ``目标``)."""
    return bool(_AHEAD_RE.search(normalize_text(sentence)))


#: A meeting told as news: its date and a verb of holding or arranging it (``7月13日,…召开…会议,部署…``).
_EVENT_DATE_RE = re.compile(r"\d{1,2}月\d{1,2}日|日前|近日|当天|昨天|今天")
_MEETING_RE = re.compile(r"召开|举行|举办|主持|部署")
#: A speaker's words at an event (``…在…宣传活动上强调,应…``, ``在座谈会上表示``).
_SPEECH_AT_EVENT_RE = re.compile(
    r"在[^,;。]{0,40}(?:会议|大会|会|活动|仪式|论坛|典礼|现场|启动式)上(?:强调|表示|指出|要求|提出|说|呼吁)"
)


def reports_a_meeting(sentence: str) -> bool:
    """The sentence tells of a dated meeting and what it arranged (``7月13日,国家卫生计生委召开…
    视频会议,部署加强母婴安全保障工作,预防和减少孕产妇和婴儿死亡``), or what a speaker called for
    at an event (``…在…主题活动上强调,应…,切实提高…率``): an aim named there without a level or
    year is the meeting's agenda or a call, reported, not a target the text sets."""
    s = normalize_text(sentence)
    return bool(_EVENT_DATE_RE.search(s) and _MEETING_RE.search(s)) or bool(_SPEECH_AT_EVENT_RE.search(s))


#: A plan's aim stated as such, even in the past tense of a report: a quoted level named as
#: the aim (``《纲要》明确了“…率达到50%”的目标``), or the goals a plan set, listed after a colon
#: (``…部分提出了8个主要目标:…``).
_QUOTED_AIM_RE = re.compile(
    r"(?:提出|明确|确定|设定|制定|规定)了?[^。;]{0,6}?[“\"][^”\"]{4,160}\d[^”\"]{0,40}[”\"]的?(?:目标|要求|指标)"
)
_LISTED_GOALS_RE = re.compile(r"(?:提出|明确|确定|设定|制定|规定)了?[^,;。:]{0,16}?目标(?:是|为|包括|有)?:")


def states_plan_aims(sentence: str) -> bool:
    """The sentence states a plan's aims as aims: a quoted level named as the aim
    (``明确了“…达到50%”的目标``) or goals listed after a colon (``提出了8个主要目标:…``).
    Told in a report of the past, they are still targets (of the plan named)."""
    s = normalize_text(sentence)
    return bool(_QUOTED_AIM_RE.search(s) or _LISTED_GOALS_RE.search(s))


def _plan_end(name: str) -> int | None:
    m = _PLAN_END_RE.search(name)
    return int(m.group(1) or m.group(2)) if m else None


def quotes_other_body(sentence: str, own_ends: Collection[int], own_level: str | None = None) -> bool:
    """The sentence states a goal as another body's requirement: before its first verb of
    requiring or stating (要求, 提出, 规定, 明确, 确定, 建议) it names an international goal or body,
    a plan whose period ends in none of ``own_ends`` (the text's goal year and the end of the
    plan it is about), or — in a text whose own plan is not national (``own_level``) — the
    national plan."""
    s = normalize_text(sentence)
    m = _REQUIRE_RE.search(s)
    if m is None:
        return False
    source = s[: m.start()]
    if _INTERNATIONAL_RE.search(source):
        return True
    for quoted, named in _SOURCE_PLAN_RE.findall(source):
        end = _plan_end(quoted or named)
        if end is not None and own_ends and end not in own_ends:
            return True
    return own_level not in (None, "national") and bool(_NATIONAL_SOURCE_RE.search(source))


__all__ = ["TARGETS_REACHED_RE", "is_results_report", "looks_ahead", "quotes_other_body", "reports_a_meeting", "states_plan_aims"]
