"""The years a plan text aims at: the period in its title, the goal years it states, its own year.

``stated_goal_year`` gives the target year of clauses that name none (the end of the title's
period, else the latest goal year the text states, …); ``earliest_target_year`` the year before
which statements describe the past; ``goal_years`` the years a text sets goals and outlooks for.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from childplan_analysis.catalog.base_years import year_after_base
from childplan_analysis.catalog.grammar import FIVE_YEAR_PLANS, VERB_ALT, normalize_text
from childplan_analysis.catalog.own_scheme import (
    announced_year,
    issues_undated_plan,
    scheme_version_year,
)
from childplan_analysis.catalog.past import CHANGE_RE, SPAN_RE
from childplan_analysis.catalog.plan_years import (
    named_only_as_milestone,
    plans_named,
    without_plan_milestones,
)
from childplan_analysis.catalog.programme_periods import programme_period
from childplan_analysis.catalog.this_year import this_year_named
from childplan_analysis.catalog.work_reports import work_report_year

#: Goal year of a document that states none (the 2021–2030 plan cycle).
DEFAULT_GOAL_YEAR = 2030
#: A year of a plan's period or goal (plans of the 1990s count: ``(1996-2000年)``).
YEAR = r"(?:19|20)\d\d"
#: Dashes between the years of a period (``2001―2010`` with a horizontal bar too).
PERIOD_DASH = r"[-—–―~～－至]+"
_PERIOD_RE = re.compile(rf"[(（]({YEAR})年?{PERIOD_DASH}({YEAR})年?[)）]")
_PLAN_WORD_RE = re.compile(r"规划|纲要|方案|计划|意见|要点|行动")
#: A title run into the first chapter heading on one line (``中国儿童发展纲要(2011-2020)(一)儿童与健康。``):
#: a plan named at the start of a line, its period right after it, then a chapter or part number.
_TITLE_THEN_HEADING_RE = re.compile(
    rf"^[\u4e00-\u9fff“”\"]{{2,40}}?(?:规划|纲要|方案|计划)[(（]({YEAR})年?{PERIOD_DASH}({YEAR})年?[)）]"
    r"(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)"
)
_GOAL_YEAR_RE = re.compile(
    rf"(?:到|至|截至|截止)({YEAR})年|({YEAR})年(?:主要|发展|工作|总体|具体)?目标|"
    rf"(?:确保|力争|争取)(?:在|于)?({YEAR})年(?:底|末)?(?:前)?(?=[^,;:]{{2,30}}?(?:{VERB_ALT}))|"  # 确保2026年底…达到80%
    rf"(?<=率|数|例|重|比)({YEAR})年(?=(?:{VERB_ALT}))|"  # 入园率2015年超过96%: that goal's year
    rf"(?<=[,;])({YEAR})年(?=(?:{VERB_ALT}))|"  # …2015年达到96%,2020年达到99%以上: the next milestone
    # 2015年…出警率达到90%,2020年达到95%以上: the first of two milestones of one rate, the sentence opening with it
    rf"^(?:\d{{1,2}}[.、．])?({YEAR})年(?=[^,;:]{{2,40}}?(?:{VERB_ALT})[^,;:]{{0,20}}[,;]{YEAR}年(?:{VERB_ALT}))"
)
_OUTLOOK_RE = re.compile(r"展望|远景|远期|长远|现代化")
#: A clause opening with a bare year (``2020年,90%以上的…``) after a semicolon.
_LATER_MILESTONE_RE = re.compile(rf"^({YEAR})年(?:底|末)?[,，:：]")
#: A goal year said with 到 (``到2015年``): the first milestone such a clause may follow.
_BY_YEAR_RE = re.compile(rf"(?:到|至)({YEAR})年")
#: A level reached by a year (``到2010年第六次全国人口普查时已达到74.8岁``; ``到2016年12月销量达到了80万``): in the
#: clause after the year, 已 before the verb or 了 after it.
_REACHED_BY_RE = re.compile(
    r"[^,;:]{0,24}?(?:已(?:经)?(?:达|实现|完成|超过|提高|提升|增加|增长|上升|延长|降低|下降|降|减少|缩短|覆盖)|"
    r"(?:达到|实现|完成|超过|提高|提升|增加|增长|上升|延长|降低|下降|减少|缩短|覆盖|突破)了)"
)
#: Lines read for the plan's title.
TITLE_LINES = 40


def plan_period(text: str) -> tuple[int, int] | None:
    """The period in the plan's own title (``…规划（2021—2030年）``, or the period on a line of
    its own under the title), not one of a plan the text cites inside a sentence."""
    for line in text.splitlines()[:TITLE_LINES]:
        compact = re.sub(r"\s+", "", line)
        titled = _TITLE_THEN_HEADING_RE.match(compact)
        if titled and int(titled.group(1)) <= int(titled.group(2)):
            return int(titled.group(1)), int(titled.group(2))
        if not compact or len(compact) > 80 or re.search(r"[。，,；;：:]", compact):
            continue
        m = _PERIOD_RE.search(compact)
        if m and (m.start() == 0 or _PLAN_WORD_RE.search(compact[: m.start()])):
            start, end = int(m.group(1)), int(m.group(2))
            if start <= end:
                return start, end
        five = _FIVE_YEAR_TITLE_RE.search(compact)
        if five and _PLAN_WORD_RE.search(compact[five.end():]):
            return FIVE_YEAR_PLANS[five.group(1)]
    return None


_FIVE_YEAR_TITLE_RE = re.compile("[\"“”']?(" + "|".join(FIVE_YEAR_PLANS) + ")[\"“”']?")


def normalize_text_lines(text: str) -> str:
    """``normalize_text`` line by line (keeps the line breaks): ``到“十四五”末`` → ``到2025年``."""
    return "\n".join(normalize_text(line) for line in text.splitlines())


def goal_years(text: str) -> tuple[list[int], list[int]]:
    """Years the document sets goals for (``到2025年``, ``2025年主要目标``), split into
    goals and outlooks (a sentence with 展望, 远景, 远期, 长远 or 现代化). ``截至2020年底``
    (as of) is not a goal, nor a year by which a level was already reached (``到2010年…已达到74.8岁``),
    nor a span told (``2015年至2020年,…``), nor the second year of a change between years
    (``由2002年的…下降到2011年``) unless it is not before the first goal year stated otherwise."""
    goals: list[int] = []
    outlooks: list[int] = []
    changes: list[int] = []
    before: list[int] = []  # the years (到2015年) of the clauses before, in the same sentence
    for sentence, end in re.findall(r"([^。；;！!？?\n]*)([。；;！!？?\n]?)", text):
        compact = re.sub(rf"(?:截至|截止)(?:到)?{YEAR}年", "", re.sub(r"\s+", "", sentence))
        later = _LATER_MILESTONE_RE.match(compact)
        if later and before and int(later.group(1)) > max(before):
            goals.append(int(later.group(1)))  # 到2015年,…;2020年,…: the next milestone of the same goals
        changes += [int(m.group(2)) for m in CHANGE_RE.finditer(compact) if m.group(2) > m.group(1)]
        compact = SPAN_RE.sub(",", CHANGE_RE.sub("", compact))  # 2015年至2020年,…: a span told, no goal
        years = [
            int(next(y for y in m.groups() if y)) for m in _GOAL_YEAR_RE.finditer(compact)
            if not _REACHED_BY_RE.match(compact, m.end())  # 到2010年…时已达到74.8岁: reached by then
        ]
        (outlooks if _OUTLOOK_RE.search(compact) else goals).extend(years)
        by = [int(m.group(1)) for m in _BY_YEAR_RE.finditer(compact)] + ([int(later.group(1))] if later and before else [])
        before = [] if end not in ";；" else before + by
    if goals:
        goals += [y for y in changes if y >= min(goals)]
    return goals, outlooks


#: A line opening with a year (``2007年，全市…``, ``2025年：``): a milestone of a goals list; or with a
#: year set without 年 before a place that acts in it (``2014西安市启动…换届选举``): the year of the event told.
_MILESTONE_RE = re.compile(
    r"^(?:\d{1,2}[.、．]|[(（]\d{1,2}[)）])?"  # a goal list's item number (``1.2020年全乡完成…``)
    rf"({YEAR})(?:年(?:底|末)?[,，:：]|(?=[\u4e00-\u9fff]{{1,8}}?(?:省|市|县|区|州|旗|镇|乡)(?:启动|开展|召开|举行|开始|实施|进行|完成)))"
)


def milestone_years(text: str) -> list[int]:
    """Years that open a line of the document (``2010年，每个乡镇都建有1所…``), or an item of a goal list
    (``1.2020年全乡完成…任务``)."""
    years = []
    for line in text.splitlines():
        m = _MILESTONE_RE.match(re.sub(r"\s+", "", line))
        if m:
            years.append(int(m.group(1)))
    return years


def _own_goal_years(text: str) -> tuple[list[int], list[int]]:
    """:func:`goal_years` without years before the start of the plan the opening lines quote: in news of a
    plan (``《…规划(2011-2020年)》提出``) a year before its period is a fact told (``…,2004年降至1.43%``)."""
    goals, outlooks = goal_years(normalize_text_lines(text))
    quoted = quoted_plan_period(text)
    if quoted is None:
        return goals, outlooks
    return [y for y in goals if y >= quoted[0]], [y for y in outlooks if y >= quoted[0]]


def earliest_target_year(text: str) -> int | None:
    """Years before this describe the past: the start of the title's period, else the
    earliest goal year the document states (``到2020年``), else the start of the plan its
    opening lines quote, else None (no such limit)."""
    period = plan_period(text) or abbreviated_plan_period(text)
    if period is not None:
        return period[0]
    goals, outlooks = _own_goal_years(text)
    if goals or outlooks:
        return min(goals or outlooks)
    quoted = quoted_plan_period(text)
    return quoted[0] if quoted else work_report_year(text)


_QUOTED_PERIOD_RE = re.compile(
    rf"《[^》]{{2,40}}?(?:规划|纲要|方案|计划|意见)[(（]({YEAR})年?{PERIOD_DASH}({YEAR})年?[)）]》"
)


def quoted_plan_period(text: str) -> tuple[int, int] | None:
    """The period of the first plan the opening lines quote (``国务院印发《中国妇女发展纲要
    （2011—2020年）》``): a news report names the plan it reports on first."""
    for line in text.splitlines()[:TITLE_LINES]:
        m = _QUOTED_PERIOD_RE.search(re.sub(r"\s+", "", line))
        if m and int(m.group(1)) <= int(m.group(2)):
            return int(m.group(1)), int(m.group(2))
    return None


_ABBREVIATED_PERIOD_RE = re.compile(
    rf"《[^》]{{2,60}}?[(（]({YEAR})年?{PERIOD_DASH}({YEAR})年?[)）]》[(（]以下简称"
)


def abbreviated_plan_period(text: str) -> tuple[int, int] | None:
    """The period of the plan a text names as its subject by abbreviating it
    (``《母婴安全行动提升计划（2021-2025年）》（以下简称《提升计划》）``); the last one when the
    text abbreviates several (国家两纲, 省两规, 市两规: the last is the text's own)."""
    found = _ABBREVIATED_PERIOD_RE.findall(re.sub(r"\s+", "", text))
    if not found:
        return None
    start, end = int(found[-1][0]), int(found[-1][1])
    return (start, end) if start <= end else None


_PLAN_KIND_RE = re.compile(r"(规划|纲要|方案|计划|意见)[(（]")


def referred_plan_period(text: str) -> tuple[int, int] | None:
    """The period of the plan the opening lines quote when the text then refers to it by its kind
    alone (``印发《云南儿童发展规划（2021—2030年）》。《规划》提出,…``, or without brackets: ``规划指出,…``): that plan is the text's subject,
    so a milestone it states (``到2025年,…``) dates its own clause, not the rest of the text."""
    quoted = quoted_plan_period(text)
    if quoted is None:
        return None
    compact = re.sub(r"\s+", "", text)
    m = _QUOTED_PERIOD_RE.search(compact)
    kind = _PLAN_KIND_RE.search(m.group(0)) if m else None
    if m is None or kind is None:
        return None
    after = compact[m.end():]
    if f"《{kind.group(1)}》" not in after and not _kind_says(kind.group(1)).search(after):
        return None
    return quoted


def _kind_says(kind: str) -> re.Pattern:
    """A sentence opening on the plan's kind as its subject, without brackets (``规划指出,``,
    ``规划在“…”方面列出了…``): the quoted plan speaking."""
    return re.compile(
        rf"(?:^|[。！？!?；;,，:：])(?:该|此)?{kind}(?:在[^。，,]{{0,24}}?方面)?(?:中|还|也|进一步)?"
        r"(?:提出|指出|要求|明确|强调|规定|确定|列出|提到)"
    )


#: A year's practical projects named as the text's subject (``发布了2017年服务妇女儿童民生8项实事``,
#: ``2024年集中力量办好…的实事``, ``2026年为民办实事项目``).
_PROJECTS_YEAR_RE = re.compile(rf"({YEAR})年度?[^。;；!?！？]{{0,30}}?(?:实事|民生工程|惠民工程)")
#: Opening lines read for the year of a list of practical projects.
PROJECTS_LINES = 3
#: A line holding only a document's number (``第3号``, ``〔2024〕5号``, ``X政发〔2023〕12号``): no opening line of text.
_DOCUMENT_NUMBER_RE = re.compile(r"第[\d一二三四五六七八九十]{1,4}号|[\u4e00-\u9fff]{0,8}[〔\[(（]\d{4}[〕\])）]\d{1,4}号")


def projects_year(text: str) -> int | None:
    """The year of the practical projects (民生实事) the opening lines name: a list of a year's projects
    aims at that year; None when the opening names none."""
    return _opening_year(text, _PROJECTS_YEAR_RE.search)


def _opening_year(text: str, find: Callable[[str], re.Match[str] | None]) -> int | None:
    """The year (group 1) that ``find`` gives on the first of the text's opening lines
    (``PROJECTS_LINES``, spaces removed) it matches; None when it matches none."""
    lines = [re.sub(r"\s+", "", ln) for ln in text.splitlines() if ln.strip()]
    for line in [ln for ln in lines if not _DOCUMENT_NUMBER_RE.fullmatch(ln)][:PROJECTS_LINES]:
        if m := find(line):
            return int(m.group(1))
    return None


#: A sentence opening with a year and what the speaker will do in it (``2019年,我市将控制…``,
#: ``2024年全省要…``, after the purpose: ``2024年,为进一步深化…服务,市妇联将…``): the year of a year's aims.
_YEAR_AIMS_RE = re.compile(
    rf"(?:^|[。;；!?！？\n])\s*({YEAR})年度?[,，]?"
    r"(?:(?:全|我|本|该)?(?:省|市|区|县|州|旗|镇)?|为[^。;；!?！？\n]{2,60}?[,，][\u4e00-\u9fff]{1,8}?)(?:还|也)?"
    r"(?:将|要|计划|力争|争取)"
)


#: A year's aims told after a comma, the place named (``报告指出,2022年,某县将…``; a copy may drop the
#: 年: ``2022,某县将…``).
_NAMED_YEAR_AIMS_RE = re.compile(
    rf"[,，:：]\s*({YEAR})(?:年度?)?[,，](?:[\u4e00-\u9fff]{{1,6}}?(?:省|市|区|县|州|旗|镇)|全|我|本|该)"
    r"[\u4e00-\u9fff]{0,3}?(?:还|也)?(?:将|要|计划|力争|争取)"
)


def aims_year(text: str) -> int | None:
    """The year of a text telling this year's aims (``今年,…将…``) that dates them once (``2019年,我市将…``):
    that year; else, in a text that does not speak of 今年 nor quote a plan's period, the one year the text's
    aims are told for (``…指出,2022年,某县将…``); None when there is no such year or more than one."""
    if "今年" in text:
        m = _YEAR_AIMS_RE.search(text)
        return int(m.group(1)) if m else None
    if quoted_plan_period(text) is not None:
        return None  # news of a plan's implementation: its undated aims are the plan's
    years = {int(m.group(1)) for m in _YEAR_AIMS_RE.finditer(text)} | {
        int(m.group(1)) for m in _NAMED_YEAR_AIMS_RE.finditer(text)
    }
    return years.pop() if len(years) == 1 else None


#: The title of one year's programme opening the text (``XX县2024年妇幼健康工作要点``, ``2023年度…实施方案``):
#: a place or nothing, the year, the programme's subject, its kind.
_PROGRAMME_TITLE_RE = re.compile(
    rf"^[\u4e00-\u9fffXx×]{{0,12}}?(?<![到至])({YEAR})年度?(?![底末初以])[\u4e00-\u9fff“”\"《》]{{2,40}}?"
    r"(?:实施方案|工作方案|行动方案|工作计划|工作要点|实施计划|工作安排|任务分解表|任务清单)"
)


#: The title of a document a notice issues (``关于印发《某县2023年妇女儿童工作要点》的通知``).
_ISSUED_TITLE_RE = re.compile(r"^关于印发《([^《》]{4,60})》")


def _programme_title(line: str) -> re.Match[str] | None:
    issued = _ISSUED_TITLE_RE.match(line)
    return _PROGRAMME_TITLE_RE.match(issued.group(1) if issued else line)


def programme_year(text: str) -> int | None:
    """The year of a one-year programme whose title opens the text (``某镇2024年…项目实施方案``, its
    body run on after it or not, or the notice issuing it: ``关于印发《…2023年…工作要点》的通知``): a
    programme's 年度目标 are that year's; None when the opening is no such title."""
    return _opening_year(text, _programme_title)


#: A date of the text's own events in a year (``2019年年初``, ``2023年3月``, ``2022年上半年``), the
#: year's work meeting (``2021年全省卫生健康工作会议``) or a notice on the year's work (``关于做好2022年…有关工作的通知``).
_DATED_RE = re.compile(
    rf"({YEAR})年(?:年初|初|上半年|春|\d{{1,2}}月|[\u4e00-\u9fff]{{0,12}}?工作(?:会议|会)|"
    r"[\u4e00-\u9fffA-Za-z]{0,24}?(?:有关)?工作的?通知)"
)
#: This year's plans (``今年拟建设…``, ``今年将…``, ``今年9月起,我市将…``, ``今年计划…``) or key tasks (``列入今年重点攻坚项目``).
_THIS_YEAR_AIM_RE = re.compile(
    r"今年(?:\d{1,2}月(?:份)?(?:起|初|底|开始)?)?(?:[,，]?(?:全|我|本|该)?(?:省|市|区|县|州|旗|镇)?)(?:还|也)?"
    r"(?:拟|将|要|计划|力争|争取)|"
    r"今年(?:的)?(?:重点|主要)(?:攻坚)?(?:项目|任务|工作)"
)


def dated_this_year(text: str) -> int | None:
    """The year of ``今年`` in a text telling this year's plans (``今年拟建设…``, ``今年重点攻坚项目``) and
    dating its own events of the year before them (``2019年年初,…出台…``, ``2020年…工作会议``): the latest
    such date before the first plan of 今年 that follows one; else the year after the last of a run of
    whole years of results the text reports (``2018年至2022年,…连续5年…``); None when there is none."""
    for aim in _THIS_YEAR_AIM_RE.finditer(text):
        years = [int(m.group(1)) for m in _DATED_RE.finditer(text, 0, aim.start())]
        if years:
            return max(years)
    if _THIS_YEAR_AIM_RE.search(text):
        runs = [int(m.group(1)) for m in _RESULTS_RUN_RE.finditer(text)]
        if runs:
            return max(runs) + 1  # results of a run of whole years up to the last: 今年 is the next
    return None


#: A run of results over whole years (``2018年至2022年,本市连续5年未发生…``): the years are past.
_RESULTS_RUN_RE = re.compile(rf"{YEAR}年(?:至|到|—|-|~)({YEAR})年[,，]?[^,;。，；]{{0,12}}?连续\d+年")


#: The end of this year or the next as a goal's date (``到今年底``, ``明年年底前``).
_RELATIVE_END_RE = re.compile(r"(?P<to>到|至)?(?P<which>今年|本年|明年)(?:年)?(?P<end>底|末)")
#: Years said from the text's own date: the next few years (``今后5年``, ``未来三年内``) or this year (``年内``, not
#: ``1年内``, ``当年内``).
_AHEAD_RE = re.compile(
    r"(?:今后|未来)(?P<n>[一二三四五六七八九十两]|\d{1,2})年(?:内|间|里)?|(?<![\d一二三四五六七八九十两年周当])年内"
)
_CN_SMALL = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)} | {"两": 2}


def relative_year_ends(text: str) -> int | None:
    """The year ``今年`` means in a text that dates goals by the end of this year or the next (``到今年底…;到明年底…``):
    the year of the text's own dated events before it (``2022年3月``), else its earliest stated goal year (an aim for
    the end of this year is its nearest; the years it dates come no earlier), the year before it when the text speaks
    of next year's end only; in a text speaking only of years ahead of it (``今后五年``, ``年内``), the year of its own
    dated events before them, else None (such years are not guessed); None when it speaks of no such year."""
    compact = re.sub(r"\s+", "", text)
    found = list(_RELATIVE_END_RE.finditer(compact))
    if not found:
        ahead = _AHEAD_RE.search(compact)
        dates = [int(m.group(1)) for m in _DATED_RE.finditer(compact, 0, ahead.start())] if ahead else []
        return max(dates) if dates else None
    dates = [int(m.group(1)) for m in _DATED_RE.finditer(compact, 0, found[0].start())]
    if dates:
        return max(dates)  # 2022年3月,…到今年底: the year of the text's own events before it
    goals = goal_years(normalize_text_lines(text))[0]
    nearest = 0 if {"今年", "本年"} & {m.group("which") for m in found} else 1  # 明年底 alone: next year first
    return min(goals) - nearest if goals else None


def with_relative_years(sentence: str, this_year: int | None) -> str:
    """``到今年底``, ``到明年底`` written as years (``到2017年底``, ``到2018年底``) when this year is known; so are the
    years ahead of the text (``今后五年`` → ``到2028年`` from 2023, ``年内`` → ``到2023年底``)."""
    if this_year is None:
        return sentence

    def year(m: re.Match) -> str:
        y = this_year + (1 if m.group("which") == "明年" else 0)
        return f"{m.group('to') or '到'}{y}年{m.group('end')}"

    def ahead(m: re.Match) -> str:
        n = m.group("n")
        if n is None:
            return f"到{this_year}年底"
        return f"到{this_year + (int(n) if n.isdigit() else _CN_SMALL[n])}年"
    return _AHEAD_RE.sub(ahead, _RELATIVE_END_RE.sub(year, sentence))


def infer_goal_year(text: str, default: int = DEFAULT_GOAL_YEAR) -> int:
    """Target year of clauses that name none: :func:`stated_goal_year`, else ``default``."""
    stated = stated_goal_year(text)
    return default if stated is None else stated


def stated_goal_year(text: str) -> int | None:
    """Target year of clauses that name none, as the text states it: the end of the title's period (a 十四五 plan:
    2025); else, when the text states no goal year, the year of the practical projects its opening names
    (:func:`projects_year`) or of this year's aims (:func:`aims_year`); else the latest goal year stated in the document (outlooks such as
    ``展望到2035年`` only if there is nothing else); else the end of the five-year plan the
    document names most (十四五 → 2025); else the end of the plan the opening lines quote
    (``《…纲要（2011—2020年）》``); else the latest year opening a line (``2010年，…``); else
    None (a page cut from a plan without its title or any year: the year must be assumed).
    A plan the text abbreviates as its subject (``（以下简称《提升计划》）``) comes
    right after the title: goals it quotes from other plans (``要求到2030年``) are not its own; so does
    a plan the opening lines quote and the text then calls by its kind (``《规划》提出``,
    :func:`referred_plan_period`): one milestone of such a plan dates its own clause only."""
    period = plan_period(text) or abbreviated_plan_period(text) or referred_plan_period(text)
    if period is not None:
        return period[1]
    if _THIS_YEAR_AIM_RE.search(text) and named_only_as_milestone(text, FIVE_YEAR_PLANS):
        # 今年将…,预计到“十二五”末…: this year's aims; the plan's end is a milestone of its own clause
        text = without_plan_milestones(text, FIVE_YEAR_PLANS)
    goals, outlooks = _own_goal_years(text)
    if not goals and not outlooks:
        projects = (
            projects_year(text) or aims_year(text) or programme_year(text) or dated_this_year(text)
            or scheme_version_year(text) or work_report_year(text) or this_year_named(text) or announced_year(text)
            or year_after_base(text)
        )
        if projects is not None:
            return projects
        programme = programme_period(text)  # 确定2025—2027年为“…服务年”: the programme's last year
        if programme is not None:
            return programme[1]
        named = plans_named(text, FIVE_YEAR_PLANS)  # not ``是“十四五”…的关键一年``: a year inside it, unsaid
        if named:
            return FIVE_YEAR_PLANS[named.most_common(1)[0][0]][1]
    if goals:
        return max(goals)
    if outlooks:
        return min(outlooks)
    quoted = quoted_plan_period(text)
    if quoted is not None and not issues_undated_plan(text):
        return quoted[1]
    milestones = milestone_years(text)
    return max(milestones) if milestones else None


__all__ = [
    "DEFAULT_GOAL_YEAR",
    "YEAR",
    "PERIOD_DASH",
    "TITLE_LINES",
    "PROJECTS_LINES",
    "abbreviated_plan_period",
    "aims_year",
    "dated_this_year",
    "earliest_target_year",
    "goal_years",
    "infer_goal_year",
    "relative_year_ends",
    "with_relative_years",
    "milestone_years",
    "normalize_text_lines",
    "plan_period",
    "programme_year",
    "projects_year",
    "quoted_plan_period",
    "referred_plan_period",
    "stated_goal_year",
]
