"""Extract draft target catalogs from the text of a plan.

``extract_targets`` walks a plan text line by line, keeps track of the chapter heading
(``（一）儿童与健康``), the section (``主要目标`` / ``策略措施``) and the item number, reads
indicator tables (``专栏一 … 主要指标``: indicator name, base-year value, 2025/2030
targets, 指标属性, 责任单位) cell by cell, parses every other sentence with
:func:`~childplan_analysis.catalog.grammar.parse_target` and removes duplicates.
``write_draft`` writes the result as a draft YAML catalog or a CSV table.

Clauses that name no year take the document's goal year (:func:`infer_goal_year`): the end
of the period in the plan's title (``…规划（2021—2030年）``), else the latest year the
document sets goals for (``到2025年…``), outlooks (``展望到2035年``) excepted.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from childplan_analysis.catalog.attribution import (
    is_results_report,
    looks_ahead,
    quotes_other_body,
    reports_a_meeting,
    states_plan_aims,
)
from childplan_analysis.catalog.bodies import fold_body_lines
from childplan_analysis.catalog.grammar import (
    FIVE_YEAR_PLANS,
    ParsedTarget,
    default_indicators,
    normalize_text,
    parse_target,
    repair_permille,
)
from childplan_analysis.catalog.lost_dash import is_period_value, repair_lost_dash
from childplan_analysis.catalog.milestones import Milestone, milestone_pieces
from childplan_analysis.catalog.outline import CHAPTER_RE as _CHAPTER_RE
from childplan_analysis.catalog.outline import CN_NUMERALS, MIN_TARGET_YEAR, run_on_part
from childplan_analysis.catalog.outline import ITEM_RE as _ITEM_RE
from childplan_analysis.catalog.outline import PART_RE as _PART_RE
from childplan_analysis.catalog.outline import SECTION_RE as _SECTION_RE
from childplan_analysis.catalog.outline import is_structural as _is_structural
from childplan_analysis.catalog.paragraphs import opens_paragraph
from childplan_analysis.catalog.passed_aims import passed_aims, restates_an_aim
from childplan_analysis.catalog.past import own_year as text_own_year
from childplan_analysis.catalog.past import (
    past_changes,
    told_in_past,
    told_over_past_span,
)
from childplan_analysis.catalog.periods import (
    DEFAULT_GOAL_YEAR,
    abbreviated_plan_period,
    earliest_target_year,
    goal_years,
    infer_goal_year,
    milestone_years,
    normalize_text_lines,
    plan_period,
    projects_year,
    quoted_plan_period,
    referred_plan_period,
    relative_year_ends,
    stated_goal_year,
    with_relative_years,
)
from childplan_analysis.catalog.plans import plan_from_dict
from childplan_analysis.catalog.present_levels import without_present_levels
from childplan_analysis.catalog.responsibility import split_responsible, with_shared_responsible
from childplan_analysis.catalog.restated import merged_restatements, with_statement
from childplan_analysis.catalog.restated_shares import without_restated_shares
from childplan_analysis.catalog.run_in import split_run_in
from childplan_analysis.catalog.script import simplified_text
from childplan_analysis.catalog.spaced_table import is_spaced_table_start, spaced_table_targets
from childplan_analysis.catalog.subsidy_caps import is_subsidy_cap
from childplan_analysis.catalog.tables import (
    REASON_VALUES_RUN_TOGETHER,
    UNDATED,
    VALUES_RUN_TOGETHER,
    split_cells,
)
from childplan_analysis.catalog.tables import is_pipe_rows_start as _is_pipe_rows_start
from childplan_analysis.catalog.tables import is_table_start as _is_table_start
from childplan_analysis.catalog.tables import pipe_rows_targets as _pipe_rows_targets
from childplan_analysis.catalog.tables import read_table as _read_table
from childplan_analysis.catalog.tables import table_targets as _table_targets
from childplan_analysis.catalog.task_items import task_item
from childplan_analysis.catalog.titles import PlanInfo, plan_info, plan_region, plan_title
from childplan_analysis.catalog.women_unsaid import without_unsaid_women
from childplan_analysis.core.errors import PlanError
from childplan_analysis.core.indicators import IndicatorDictionary
from childplan_analysis.core.targets import (
    DIRECTION_COMPARATORS,
    LEVEL_COMPARATORS,
    NEEDS_BASELINE,
    Comparator,
    Target,
)
from childplan_analysis.core.units import conversion_factor
from childplan_analysis.io.documents import Document, read_document
from childplan_analysis.io.fileio import atomic_write_text
from childplan_analysis.io.safety import excel_safe

#: Sections that list measures rather than goals (direction-only aims there are kept only
#: for indicators in the dictionary).
STRATEGY_SECTIONS = ("策略措施", "重点任务", "主要任务", "工作任务", "主要措施", "保障措施")
_TITLE_RE = re.compile(
    r"^[^\d、(（专]{2,24}(儿童|妇女|妇幼)[^\d、]{0,8}(发展规划|发展纲要|规划|纲要|实施方案)\s*([(（].{0,20}[)）])?$"
)
_SENTENCE_END = "。；;：:！？!?”\"）)】—"  # a subtitle ending in —— leads to the title below, not into it


@dataclass
class _State:
    """Where the walker is in the plan."""

    part: str = ""
    chapter: str = ""
    section: str = ""
    item: int | None = None
    skipping: bool = False
    period_start: int | None = None  # the plan's first year: an earlier 至2015年底 looks back
    own_ends: frozenset[int] = frozenset()  # goal year and end of the plan the text is about
    own_level: str | None = None  # level of the text's own plan (national, province, city, county)
    report: bool = False  # a results report: a direction without a level is a trend there
    own_year: int | None = None  # the text's own year: a change 由X年…到Y年 up to it is past
    this_year: int | None = None  # the year of 到今年底 (明年底 the next), when the text gives it
    reviewing: bool = False  # in a part that reviews the past (一、发展现状): results, not goals
    reviewing_chapter: bool = False  # in a chapter that does ((一)发展基础)
    milestone: Milestone | None = None  # the milestone a clause announced goals for (到2020年,实现以下目标:)
    lost_milestones: int = 0  # milestones met whose year the copy lost (到X年)
    quoted_from: str | None = None  # the plan the sentences quote (《…》提出), until another is quoted

    @property
    def in_review(self) -> bool:
        return self.reviewing or self.reviewing_chapter

    @property
    def in_strategy(self) -> bool:
        """In a list of measures (策略措施, 主要任务, …) rather than of goals."""
        if self.section:
            return self.section in STRATEGY_SECTIONS
        # 保障措施 / 组织保障 are measures; 妇女与社会保障 is a domain of goals
        return bool(re.search(r"任务|措施|(?<!社会)保障", self.part))

    def article(self) -> str | None:
        parts = [p for p in (self.chapter or self.part, self.section) if p]
        if not parts:
            return None
        text = " · ".join(parts)
        return f"{text} {self.item}" if self.item is not None else text


# --------------------------------------------------------------------------- lines


#: A section word with a colon that opens a line or follows a sentence's end, the section's text
#: run on after it (``…能力。 策略措施: 1.落实…``): the section starts there.
_INLINE_SECTION_RE = re.compile(
    r"(?:^|(?<=[。；;]))\s*(主要目标|策略措施|重点任务|主要任务|工作任务|主要措施|保障措施|具体目标|发展目标)\s*[:：]\s*(?=\S)"
)


def _split_at(line: str, pattern: re.Pattern[str]) -> list[str]:
    """``line`` cut where ``pattern`` matches, its group 1 a piece of its own; empty pieces dropped."""
    out: list[str] = []
    start = 0
    for m in pattern.finditer(line):
        out += [line[start: m.start()].strip(), m.group(1)]
        start = m.end()
    out.append(line[start:].strip())
    return [x for x in out if x]


def _split_sections(line: str) -> list[str]:
    """``A。 策略措施: 1.B`` → ``A。``, ``策略措施``, ``1.B``."""
    return _split_at(line, _INLINE_SECTION_RE)


#: A part's heading of goals or tasks run into its first numbered item (``一、年度目标1、…``, ``二、工作任务(一)…``).
#: It opens the line or follows a sentence's end.
_RUN_IN_HEADING_RE = re.compile(
    r"(?:^|(?<=[。；;]))\s*([一二三四五六七八九十]+、\s*[\u4e00-\u9fff]{0,8}?(?:目标|指标|任务))\s*"
    r"(?=(?:\d{1,2}\s*[、.．]|[(（](?:[一二三四五六七八九十]+|\d{1,2})[)）])\s*[\u4e00-\u9fff])"
)


def _split_run_in_heading(line: str) -> list[str]:
    """``…方案。 一、年度目标1、A率达到90%`` → ``…方案。``, ``一、年度目标``, ``1、A率达到90%``: the heading is
    a line of its own, no part of a goal's name."""
    return _split_at(line, _RUN_IN_HEADING_RE)


def _clean_lines(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return split_run_in(
        [piece for ln in lines if ln for part in _split_sections(ln) for piece in _split_run_in_heading(part)]
    )


def _is_heading(line: str) -> bool:
    compact = re.sub(r"\s+", "", line)
    is_sentence = len(compact) > 30 or bool(re.search(r"[,，;；]", compact))
    return _is_structural(compact) and not (_ITEM_RE.match(compact) and is_sentence)


#: Lines of a page's furniture: a dateline, a source or editor line, a repeated headline.
_PAGE_LINE_RE = re.compile(
    r"20\d\d年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}|20\d\d-\d{1,2}-\d{1,2}|^(?:原标题|来源|作者|编辑|责任编辑|责编|发布时间|时间)[:：]"
)


#: Words by which a headline announces a goal (``小学生近视率要降至38%以下``, ``至2027年…将…``).
_HEADLINE_AIM_RE = re.compile(r"要|将|力争|争取|目标|(?:到|至)20\d\d年")


#: A first line cut after a measure's name and before its level: the sentence goes on below.
_OPEN_SUBJECT_RE = re.compile(r"(?:到|至)20\d\d年.*(?:率|比例|比重|占比|为基数|为基础)$")


def _without_headline(lines: list[str]) -> list[str]:
    """The lines without a page's headline that states a fact: a short first line with no
    sentence punctuation, followed by the body, and no word of aim
    (``统计局:二孩政策实施后 孕产妇死亡率继续降低``). A headline that announces a goal
    (``…小学生近视率要降至38%以下``) is kept as a sentence of its own."""
    if len(lines) < 2:
        return lines
    first = re.sub(r"\s+", "", lines[0])
    if (
        len(first) > 60
        or re.search(r"[。；;！？!?]|[,，:：、]$", first)
        or _is_structural(first)
        or split_cells(lines[0]) is not None
        or _is_table_start(lines, 0)
    ):
        return lines
    if _OPEN_SUBJECT_RE.search(first) and not _is_structural(lines[1]):
        return lines  # ``到2025年,全县婴儿死亡率`` + ``控制在5‰以下``: a sentence the copy broke, no headline
    if _HEADLINE_AIM_RE.search(normalize_text(first)):
        return [_headline_sentence(lines[0]), *lines[1:]]  # its own sentence, not joined to the body
    return lines[1:]


def _headline_sentence(line: str) -> str:
    """A headline as a sentence: its parts set apart by spaces are clauses of their own
    (``宁夏将新增3.6万个幼儿学位 普惠性幼儿园覆盖率2025年超90%``)."""
    return re.sub(r"(?<=[\u4e00-\u9fff%‰\d])\s+(?=[\u4e00-\u9fff])", "，", line.strip()) + "。"


def _without_restated_headline(targets: list[ParsedTarget], headline: str | None) -> list[ParsedTarget]:
    """Drop what a headline announcing a goal says again when the body states the same value in
    the same unit (of the same indicator when the headline's is known): the headline restates the
    body (``…新增3.6万个幼儿学位`` over ``新增幼儿学位3.6万个``)."""
    if not headline:
        return targets
    head = re.sub(r"\s+", "", headline)
    in_head = [bool(t.clause) and re.sub(r"\s+", "", t.clause) in head for t in targets]
    body = [t for t, h in zip(targets, in_head, strict=True) if not h and t.value is not None]
    said = {(t.value, t.unit) for t in body} | {(t.indicator, t.value, t.unit) for t in body if t.indicator}
    return [
        t for t, h in zip(targets, in_head, strict=True)
        if not h or ((t.indicator, t.value, t.unit) if t.indicator else (t.value, t.unit)) not in said
    ]


#: A bullet mark opening a line (``■``, ``●``, ``◆``): the line is an item of its own.
_BULLET_RE = re.compile(r"^[■□●○◆◇▲△★☆▶►•]\s*")


def _bullet_sentence(line: str) -> str:
    """A line opening on a bullet mark as a sentence: the mark dropped, a full stop closing it."""
    bare = _BULLET_RE.sub("", line)
    return bare if not bare or bare[-1] in _SENTENCE_END else bare + "。"


def _without_restated_bullet(targets: list[ParsedTarget], bullet: str) -> list[ParsedTarget]:
    """Drop a bullet's target that the body states under the same name, value and year, whether or not either
    resolves (``■明年底设区的市级…覆盖率达100%`` over the body's rate of that level)."""
    body = {(t.indicator_zh, t.value, t.year) for t in targets if t.clause != bullet}
    return [t for t in targets if t.clause != bullet or (t.indicator_zh, t.value, t.year) not in body]


#: How no sentence begins: a conjunction or a bound word that continues the line before.
_CONTINUATION_RE = re.compile(r"^(?:和|及|与|或|以下|以上|以内|左右|、)")


#: Longest line of a web post's run of short lines (``实施方案提出`` / ``到2025年`` / …).
POST_LINE_CHARS = 14


def _is_post_line(line: str) -> bool:
    """A short line with no punctuation that is no heading: a phrase a web post sets on a line of its own."""
    compact = re.sub(r"\s+", "", line)
    return (
        0 < len(compact) <= POST_LINE_CHARS
        and not re.search(r"[。；;！？!?,，:：、()（）《》“”\"]", compact)
        and not _is_structural(compact)
        and not _BOOK_PART_RE.match(compact)
        and compact not in ("前言", "序言")
    )


def _post_runs(lines: list[str]) -> list[bool]:
    """For each line, whether it is in a run of two or more short lines of a web post."""
    short = [_is_post_line(ln) for ln in lines]
    return [
        s and ((i > 0 and short[i - 1]) or (i + 1 < len(lines) and short[i + 1]))
        for i, s in enumerate(short)
    ]


def _merge_broken(lines: list[str]) -> list[str]:
    """Join a sentence that the source broke over two lines (``…不断提`` + ``高。``); a
    page's dateline or source line is neither joined nor joined to. A web post's run of short
    lines (``实施方案提出`` / ``到2025年`` / ``…水平`` / ``进一步提升``) is one sentence of its own,
    its phrases and the line after it set apart by commas: never joined to the line before, so
    neither becomes the subject of the other's level."""
    out: list[str] = []
    runs = _post_runs(lines)
    for i, line in enumerate(lines):
        if _BULLET_RE.match(line):  # ■今年底建成…: a bullet is a sentence of its own
            out.append(_bullet_sentence(line))
            continue
        if runs[i] or (i > 0 and runs[i - 1]):
            if i > 0 and runs[i - 1] and out and out[-1][-1] not in _SENTENCE_END:
                out[-1] += "," + line
            else:
                out.append(line)
            continue
        if out and _CONTINUATION_RE.match(line) and out[-1].endswith("。") and not _is_heading(out[-1]):
            out[-1] = out[-1][:-1] + line  # ``…控制在10‰。`` + ``和13‰。``: no sentence opens with 和
            continue
        if (
            out
            and not _is_heading(out[-1])
            and len(out[-1]) > 15
            and out[-1][-1] not in _SENTENCE_END
            and not _is_structural(line)
            and not _PAGE_LINE_RE.search(line)
            and not _PAGE_LINE_RE.search(out[-1])
            and not opens_paragraph(out[-1], line)
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


def split_documents(text: str) -> list[str]:
    """Split a file holding several plans at each plan title that follows a complete plan."""
    docs: list[list[str]] = [[]]
    has_parts = False
    for line in text.splitlines():
        compact = re.sub(r"\s+", "", line)
        if _TITLE_RE.match(compact) and has_parts and docs[-1]:
            docs.append([])
            has_parts = False
        if _PART_RE.match(compact):
            has_parts = True
        docs[-1].append(line)
    return ["\n".join(d) for d in docs if any(x.strip() for x in d)]




# --------------------------------------------------------------------------- text


def _strip_item(line: str, state: _State) -> str:
    """Remove the item number, using the expected sequence to read ``11.5岁…`` as item 11."""
    line = re.sub(r"^[—–]{1,2}(?=[\u4e00-\u9fff])", "", line)  # ——降低…: a goal set off by a dash
    compact = re.sub(r"^[-•·]\s*", "", line)
    expected = (state.item or 0) + 1
    for number in (expected, 1):
        for sep in (".", "、", "．"):
            prefix = f"{number}{sep}"
            if compact.startswith(prefix):
                state.item = number
                return compact[len(prefix):].strip()
    m = _ITEM_RE.match(compact)
    if m and not re.match(r"\d{1,2}[.．]\d", compact):
        state.item = int(m.group(1))
        return compact[m.end():].strip()
    return line


#: A part of a plan by its book name (``第一部分 发展现状和面临的挑战``, ``第二章 …``).
_BOOK_PART_RE = re.compile(rf"^第[{CN_NUMERALS}]+(?:部分|章|篇)")
#: Headings of a plan's review of the past period: what follows are results (``住院分娩率达100%``)
#: and challenges, until a heading of goals.
_REVIEW_HEADING_RE = re.compile(
    r"发展现状|发展基础|发展成效|发展成就|发展背景|主要成就|取得的成[绩效就]|工作成效|执行情况|实施情况|"
    r"实施成效|工作回顾|回顾|面临的(?:形势|挑战|问题)|形势与挑战|存在的(?:主要)?问题|"
    # a region's profile: what it is now (人口占比为…), not what it aims at
    r"(?:建设|工作|现实)基础|基本(?:概况|情况|区情|市情|县情)|^[一二三四五六七八九十]+、(?:概况|现状)|^(?:概况|现状)"
)
_AHEAD_HEADING_RE = re.compile(r"目标|展望|任务|思路|要求|指标")


def _reviews_the_past(heading: str) -> bool:
    """A heading of the review of the past period (``一、发展现状``, ``（一）发展基础``), not one
    that also announces goals or an outlook (``回顾与展望``, ``发展基础和主要目标``)."""
    return bool(_REVIEW_HEADING_RE.search(heading)) and not _AHEAD_HEADING_RE.search(heading)


#: A numbered goal, not a chapter title: ``（五）到2015年,全县孕产妇死亡率控制在…`` opens with the
#: year it aims at and goes on after a comma.
_NUMBERED_GOAL_RE = re.compile(r"^(?:到|至|在|于)?(?:19|20)\d\d年(?:底|末)?(?:前)?[,，]")


def _handle_heading(compact: str, line: str, state: _State) -> str | None:
    """Update the state for a heading line; return the text left to parse (or None)."""
    if compact in ("前言", "序言"):
        state.skipping = True
        return None
    if _PART_RE.match(compact) or _BOOK_PART_RE.match(compact):
        title, answer = _asked_and_answered(compact)
        if not answer:
            title, answer = run_on_part(title)  # 二、改善托育服务。新增托位800个: the part's text runs on
        if not answer:
            title, answer = task_item(title)  # 七、加强…工作,新生儿死亡率降低到5.95‰: a task, not a heading
        state.part, state.chapter, state.section, state.item = title.rstrip("。"), "", "", None
        state.skipping = False
        state.reviewing, state.reviewing_chapter = _reviews_the_past(title), False
        return answer or None
    if _SECTION_RE.match(compact):
        state.section, state.item = compact.rstrip(":："), None
        return None
    m = _CHAPTER_RE.match(compact)
    if m and _NUMBERED_GOAL_RE.match(m.group(2)):
        state.item = None
        return m.group(2)
    if m:
        title, rest = _asked_and_answered(m.group(2))
        if not rest:
            title, _, rest = m.group(2).partition("。")
        state.chapter = f"（{m.group(1)}）{title}"
        state.section, state.item = "", None
        state.reviewing_chapter = _reviews_the_past(title)
        return rest or None
    return line


def _asked_and_answered(heading: str) -> tuple[str, str]:
    """A numbered heading asked as a question and the answer run on after it on the same line (政策解读:
    ``一、工作目标是什么?到2025年…``); the heading alone when no answer follows its question mark."""
    end = re.search(r"[?？](?=.)", heading)
    if end is None or "。" in heading[: end.start()]:
        return heading, ""
    return heading[: end.end()], heading[end.end():]


def _sentences(text: str) -> Iterable[str]:
    for s in re.split(r"(?<=[。！？!?])", text):
        if s.strip():
            yield s.strip()


#: Phrases that look back (``五年来``, ``在回顾“十四五”时期工作时``) or at the challenges of the present
#: (``同时也应看到,…仍面临…``): what a paragraph states after them are results and problems, not goals.
_RETROSPECTIVE_RE = re.compile(
    r"[一二三四五六七八九十两多\d]年来|近年来|近几年|取得了|近年[,，]|近些年|这些年|近[一二三四五六七八九十两\d]{1,2}年来|"
    r"(?:在|从)?上一(?:个|轮|周期)|回顾[^。;,]{0,20}?(?:时|工作|成就|成绩|历程|以来)|"
    r"(?:也|还|更)应(?:当)?(?:清醒(?:地)?)?看到|仍(?:然)?面临|"
    r"过去(?:的)?[一二三四五六七八九十两\d]{1,2}年|以来[,，]|经过.{0,16}努力|截至目前|目前[,，]|"
    r"20\d\d[-—–~至]20\d\d年间|据(?:测算|统计|估算|估计|推算)|^截至20\d\d年|"
    r"(?:提高|提升|增加|增长|下降|降低|减少|上升|达到|实现|完成|超过)了"
)
#: Phrases that look ahead again (``到2030年``, ``力争``).
_FORWARD_RE = re.compile(
    r"(?<!\d年)(?<!截)(?<!截止)(?:到|至)(?:20\d\d年(?![底末]?的)|[“\"]?十[一二三四五六]五)|力争|争取|展望|预计到|"
    r"(?:未来|今后)[一二三四五六七八九十两\d]{1,2}年"
)
#: A sentence that reports a result, even without a look-back phrase before it: a comparison
#: with the year before or with a past year's level (``比上年``, ``由…上升到2018年的75.5%``),
#: a record (``历史最低``), a target reached or missed (``提前实现…目标``, ``距…的目标仍有差距``),
#: a statistic or an estimate of the present (``数据显示``, ``2022年统计``, ``据估算…约5%``, a level a statistical
#: bulletin or yearbook gives: ``根据…统计公报,最终实现76.34岁``), a past year's level stated without a verb of
#: aim (``2018年，住院分娩率为99.9%``; ``2016年，查出妇女病率25.6%``), a change said to have
#: happened to some degree (``均有所下降``, ``均有不同程度的提高``: aims name how far, not "somewhat"),
#: a comparison with a past year (``与2010年相比``), or a level followed by its change in points
#: since any earlier time, named or lost in the copy (``占比24.2%,比上届提高3个百分点``, ``比年提高``), or
#: a run of whole years of results (``2016年至2020年,全市连续5年…``).
_REPORT_RE = re.compile(
    r"比上一?年|较上一?年|与上一?年持平|同比|(?:比|较)(?:20\d\d年|上年|去年)?同期|"
    r"\d(?:[%‰]|[个所名张年岁人次元项])?,(?:比|较)(?:19|20)\d\d年(?:底|末)?(?:分别)?(?:提高|增加|上升|增长|下降|降低|减少|延长|缩短)了?\d|历史(?:最好|最高|最低|最优|最佳|新高|新低)|"
    r"(?:优于|高于|低于|好于)(?:全国|全省|全市|全球|世界|中高收入|发达)|"
    r"提前(?:实现|完成|达到|达标)|(?:均已|已经|已)(?:达到|实现|完成|降至|下降|覆盖|超过)|"
    r"(?:距|离|与).{0,40}目标.{0,6}差距|目标.{0,4}(?:尚存|仍有|还有).{0,6}差距|"
    r"(?:至|到|致)20\d\d年(?:底|末)?的|20\d\d年统计|预计(?:达到|将|会)|数据显示|统计显示|结果(?:表明|显示)|统计(?:公报|年鉴)|"
    r"监测(?:结果)?显示|据(?:统计|估算|估计|推算)|普查结果|调查结果|目前(?!基础|水平)|一直(?:保持|稳定|维持|处于)|"
    r"(?:保持|处于)(?:较高|较低|历史)水平|(?:仅为|仅有|接近)\d|占[\u4e00-\u9fff]{1,8}的\d|"
    r"(?<![到至\d])(?<!截至)(?<!截止)20\d\d年(?:底|末)?[,:]?[^,;。到至]{0,60}?(?:率|数|比|比例|比重|占比)(?:分别|均)?(?:为|是)?\d|"
    r"截至20\d\d年|由20\d\d年(?:底|末)?的\d[^,;。]{0,16}?(?:提高|提升|增加|增长|上升|下降|降低|减少|延长|缩短)了|为\d+(?:\.\d+)?[%‰]?,(?:比上年)?(?:下降|提高|增加|上升|降低|减少)\d+(?:\.\d+)?个(?:百|千)分点|"
    r"\d[%‰]?,(?:分别|均)(?:比|较)(?:19|20)\d\d年|比(?:男性|女性|全国|全省|全市)(?:平均)?(?:高|低|多|少)\d|"
    r"(?:有所|有不同程度的?)(?:提高|提升|增加|增长|上升|下降|降低|减少|扩大|改善|好转)|"
    r"与(?:19|20)\d\d年(?:底|末)?(?:相比|比较)|"
    r"\d[%‰]?,(?:比|较)[^,;。\d]{0,12}?(?:提高|增加|上升|增长|下降|降低|减少)了?\d+(?:\.\d+)?个?[百千]分点|"
    r"(?<![到至\d])20\d\d年(?:至|到|—|-|~)20\d\d年[,]?[^,;。]{0,12}?连续\d+年"
)
#: Words of a result that no look-ahead undoes: a change already made (``已较1990年下降了79.4%``, ``已提高到80.7岁``,
#: ``12项已达到2010年目标``, ``翻了一倍``), a record, a target met or missed.
_DONE_RE = re.compile(
    r"已(?:经)?(?:较|比|达|实现|完成|降|下降|覆盖|超过|提前|提高|提升|增加|增长|上升|延长|降低|减少|缩短|扩大|突破)|"
    r"(?:下降|降低|提高|提升|增加|增长|上升|减少|超过|达到|实现|完成|翻)了|"
    r"比上一?年|较上一?年|同期|历史(?:最好|最高|最低|最优|最佳|新高|新低)|提前(?:实现|完成|达到|达标)|目标.{0,6}差距"
)
#: A plan announced after the present state in one sentence (``目前,…已建成50家,计划至2022年底,…``):
#: the sentence turns ahead at the word of aim.
_TURN_AHEAD_RE = re.compile(r"(?<![\u4e00-\u9fff])(?:计划|力争|争取|目标是)(?:在|到|至|于)20\d\d年")
#: A target passed (``超过《纲要》制定的到2020年40%目标``), read in the sentence as written.
_PASSED_RE = re.compile(r"(?:超过|超出|低于|高于|优于|好于)[^,;。，；]{0,30}目标")


def _looks_ahead(compact: str, since: int | None, own: int | None = None) -> bool:
    """A look-ahead phrase (``到2030年``, ``力争``), not one to a year before the plan's first
    (``至2015年底`` in a plan for 2016—2020 looks back), nor one told after a look-back in the
    same sentence (``初中阶段毛入学率多年来一直在100%以上,…,到2015年全省…达到97.4%``: the narrative
    of what happened, up to that year). ``经过…努力，到2030年`` still looks ahead; the second year
    of a change between years up to the text's own year ``own`` (``由2002年的…下降到2011年``) does not."""
    back = _RETROSPECTIVE_RE.search(compact)
    told_after = back.start() if back and not back.group(0).startswith("经过") else None
    past = past_changes(compact, own)
    for m in _FORWARD_RE.finditer(compact):
        if any(a <= m.start() < b for a, b in past):
            continue
        year = re.search(r"20\d\d", m.group(0))
        if told_after is not None and told_after < m.start():
            return False
        if since is None or year is None or int(year.group(0)) >= since:
            return True
    return False


#: A task or goal stated as such (``…行动任务为…``, ``目标是…``).
_TASK_STATED_RE = re.compile(r"(?:任务|目标)(?:为|是)[:：]?")


def _forward_sentences(
    text: str, since: int | None = None, own: int | None = None, report: bool = False
) -> Iterable[str]:
    """The sentences of a paragraph that may state goals: from a look-back phrase
    (``五年来``, ``经过…努力``, ``目前，``, ``截至2023年``, a change with 了: ``提高了``) on,
    sentences report results until one looks ahead (``到2030年``, ``今后10年``, not
    ``从2013年到2023年``); a sentence that itself reports a result (``_REPORT_RE``) and does not
    look ahead is skipped too, as is one told in the past tense (``建立了…``, :func:`told_in_past`)
    and one that tells a change between years up to the text's own year ``own``, or over a span of
    years that ends by then (``2016年至2020年,…``, :func:`told_over_past_span`). A sentence that
    states a plan's aims as such (:func:`states_plan_aims`) is always kept; one that turns ahead
    after telling the present (``目前,…,计划至2022年底,…``) is kept from its word of aim on. In a results
    report (``report``), the aims a sentence says levels passed (``…为46.67%,超出40%的目标要求``) are its
    clauses (:func:`~childplan_analysis.catalog.passed_aims.passed_aims`); elsewhere (a plan reviewing the
    last period against its aims) such a sentence is skipped, as before."""
    looking_back = False
    for sentence in _sentences(text):
        compact = normalize_text(sentence)
        if report and (aims := passed_aims(sentence)):
            yield from aims  # …覆盖率为46.67%,超出40%的目标要求: the aim quoted, not the level reached
            continue
        if states_plan_aims(sentence):
            yield sentence  # 《纲要》明确了“…达到50%”的目标: an aim, though told in the past tense
            continue
        task = _TASK_STATED_RE.search(compact)
        back = _RETROSPECTIVE_RE.search(compact, task.end()) if task else None
        if task and back and not _RETROSPECTIVE_RE.search(compact[: task.start()]):
            yield compact[: back.start()]  # 任务为…达到98%以上,截至目前,…为99.26%: the task before its progress
            continue
        turn = _TURN_AHEAD_RE.search(compact)
        if turn and _RETROSPECTIVE_RE.search(compact[: turn.start()]) and not _DONE_RE.search(compact[turn.start():]):
            looking_back = False
            yield compact[turn.start():]  # 目前已建成50家,计划至2022年底,实现…全覆盖: the plan after the state
            continue
        forward = _looks_ahead(compact, since, own)
        if forward:
            looking_back = False
        elif _RETROSPECTIVE_RE.search(compact):
            looking_back = True
        if _DONE_RE.search(compact) or _PASSED_RE.search(re.sub(r"\s+", "", sentence)):
            continue
        if not forward and (told_in_past(sentence) or past_changes(compact, own) or told_over_past_span(compact, own)):
            continue
        if not looking_back and (forward or not _REPORT_RE.search(compact)):
            yield sentence


#: A five-year plan named in a sentence (``“十二五”规划首次将…``); its end written as a year
#: (``到“十二五”末``) is read by the grammar.
_NAMED_FIVE_YEAR_RE = re.compile("[\"“”']?(" + "|".join(FIVE_YEAR_PLANS) + ")[\"“”']?(?:规划|纲要|计划)")


def _sentence_year(sentence: str, state: _State, year_end: int | None) -> int | None:
    """The year of the sentence's undated clauses: the end of the one five-year plan it names when
    that plan ended by the text's own year (``“十二五”规划…,规划目标为74.5岁`` in news of a 十三五 plan: that
    plan's aim, of 2015), else ``year_end`` (a 2021—2030 plan naming the “十四五”规划 keeps its own year)."""
    ends = {FIVE_YEAR_PLANS[m.group(1)][1] for m in _NAMED_FIVE_YEAR_RE.finditer(sentence)}
    if len(ends) == 1 and state.own_year is not None and max(ends) <= state.own_year:
        return ends.pop()
    return year_end


#: A sentence that opens on the purpose of the measure it goes on to name (``为降低…,进一步开展…``).
_PURPOSE_RE = re.compile(r"^(?:同时,?)?(?:为了?|旨在)(?:进一步|有效|切实|努力)?(?:降低|减少|提高|提升|增加|扩大|控制)")


#: A qualitative aim (``提升…防控意识``, ``提高…健康水平``): what a programme serves, no quantity to assess.
_QUALITATIVE_AIM_RE = re.compile(r"(?:提升|提高|增强|强化)[^,，;；。]{2,24}?(?:意识|水平|能力|素养)(?=[,，;；])")


def _purposes_before_an_aim(sentence: str, parsed: list[ParsedTarget]) -> list[ParsedTarget]:
    """Directions of unknown indicators in a sentence that lists two qualitative aims or more and sets a level
    (``提升…意识,提高…水平,降低宫颈癌患病率,逐步实现到2030年90%的…``): the purposes the level's aim serves."""
    if len(_QUALITATIVE_AIM_RE.findall(normalize_text(sentence))) < 2:
        return []
    if not any(t.comparator not in DIRECTION_COMPARATORS for t in parsed):
        return []
    return [t for t in parsed if t.comparator in DIRECTION_COMPARATORS and t.indicator is None]


#: A plan a sentence quotes as the one stating what follows (``《…行动计划》提出,…``).
_QUOTES_PLAN_RE = re.compile(r"《([^《》]{2,60})》(?:还|也|中|进一步)?(?:提出|明确|要求|指出|强调|规定|确定)")
#: A dash that sets off a goal (``——降低…``), opening a sentence.
_ITEM_DASH_RE = re.compile(r"^\s*(?:[—–]{1,2}|-{2})(?=[\u4e00-\u9fff])")


def _parse_line(
    line: str, state: _State, year_end: int | None, indicators: IndicatorDictionary | None
) -> list[ParsedTarget]:
    text = _strip_item(line, state)
    text, responsible = split_responsible(text)
    out = []
    for sentence in _forward_sentences(text, state.period_start, state.own_year, state.report):
        sentence = _ITEM_DASH_RE.sub("", sentence)  # …。——缩小…: a goal set off by a dash inside a line
        quoting = _QUOTES_PLAN_RE.search(sentence)
        if quoting:
            state.quoted_from = quoting.group(1)
        if quotes_other_body(sentence, state.own_ends, state.own_level):
            continue  # 根据联合国千年发展目标的要求，…: another body's goal, not the text's
        if state.report and not looks_ahead(sentence) and not states_plan_aims(sentence) and not restates_an_aim(sentence):
            continue  # 死亡率均有所下降, 覆盖率平均达91.7% in a results report: what happened
        meeting = reports_a_meeting(sentence)
        purpose = _PURPOSE_RE.match(re.sub(r"\s+", "", sentence)) is not None
        parsed = [
            t.model_copy(update={"clause": sentence}) for t in parse_target(
                with_relative_years(sentence, state.this_year), year=_sentence_year(sentence, state, year_end),
                indicators=indicators,
            )
        ]
        purposes = _purposes_before_an_aim(sentence, parsed)
        for t in parsed:
            if meeting and t.comparator in DIRECTION_COMPARATORS:
                continue  # 召开…会议,部署…,预防和减少孕产妇和婴儿死亡: the agenda, reported
            if (purpose or t in purposes) and t.comparator in DIRECTION_COMPARATORS:
                continue  # 为降低出生缺陷发生率,进一步开展…筛查: the purpose of a measure, not an aim of its own
            out.append(t.model_copy(
                update={"article": state.article(), "responsible": responsible, "quoted_from": state.quoted_from}
            ))
    return out


# --------------------------------------------------------------------------- public


def document_text(source: str | Path | Document) -> str:
    """Plan text of ``source``: a str is the text itself; a path is read as a plan document
    (``.txt``, ``.docx``, ``.pdf``, ``.html``; tables as tab-separated rows)."""
    if isinstance(source, Document):
        return source.as_text()
    if isinstance(source, Path):
        return read_document(source).as_text()
    return source


def extract_targets(
    text: str | Path | Document,
    plan_year_end: int | None = None,
    indicators: IndicatorDictionary | None = None,
) -> list[ParsedTarget]:
    """All targets stated in a plan text or document, de-duplicated, in order of appearance.

    ``text`` is the plan text, a :class:`~pathlib.Path` of a plan document (``.txt``,
    ``.docx``, ``.pdf``, ``.html``) or a read :class:`~childplan_analysis.io.documents.Document`.

    ``plan_year_end`` is the year of clauses that name none; by default it is inferred from
    the document (:func:`infer_goal_year`). Direction-only aims in sections of measures
    (策略措施, 主要任务, …) are kept only for indicators in the dictionary and only when the
    names an indicator in the dictionary (unknown ones there are mostly qualitative aims).
    """
    text = repair_lost_dash(repair_permille(simplified_text(document_text(text))))
    indicators = indicators if indicators is not None else default_indicators()
    stated = plan_year_end if plan_year_end is not None else stated_goal_year(text)
    year_end = DEFAULT_GOAL_YEAR if stated is None else stated
    cleaned = _clean_lines(text)
    lines = _without_headline(cleaned)
    headline = lines[0] if cleaned and lines and lines[0] == _headline_sentence(cleaned[0]) else None
    period = plan_period(text) or quoted_plan_period(text)
    title = plan_title(text)
    state = _State(
        period_start=period[0] if period else None,
        own_ends=frozenset(
            [year_end] + [p[1] for p in (period, abbreviated_plan_period(text), plan_period(title or "")) if p]
        ),
        own_level=plan_region(title)[1] if title else None,
        report=is_results_report(text),
        own_year=text_own_year(period[0] if period else None, goal_years(normalize_text_lines(text))[0]),
        this_year=relative_year_ends(text),
    )
    found: list[tuple[ParsedTarget, bool]] = []
    i = 0
    pending: list[str] = []
    while i < len(lines):
        if _is_pipe_rows_start(lines, i):
            found += _text_targets(_merge_broken(fold_body_lines(pending)), state, stated, indicators)
            pending = []
            rows, i = _pipe_rows_targets(lines, i, year_end, indicators)
            found += [(t, False) for t in rows]
            continue
        if is_spaced_table_start(lines, i):
            found += _text_targets(_merge_broken(fold_body_lines(pending)), state, stated, indicators)
            pending = []
            rows, i = spaced_table_targets(lines, i, "指标表", indicators, state.period_start)
            found += [(t, False) for t in rows]
            continue
        if _is_table_start(lines, i):
            found += _text_targets(_merge_broken(fold_body_lines(pending)), state, stated, indicators)
            pending = []
            title = re.sub(r"\s+", "", lines[i])
            title = title if split_cells(lines[i]) is None else "指标表"
            table, i = _read_table(lines, i, year_end)
            found += [(t, False) for t in _table_targets(table, title, indicators)]
            continue
        pending.append(lines[i])
        i += 1
    found += _text_targets(_merge_broken(fold_body_lines(pending)), state, stated, indicators)
    earliest = earliest_target_year(text)
    if earliest is not None and state.this_year is not None:
        earliest = min(earliest, state.this_year)  # 到今年底: a goal of this year, before the years the text writes
    found = [(t, s) for t, s in found if t.year is None or earliest is None or t.year >= earliest]
    found = [(t, s) for t, s in found if not is_period_value(t) and not is_subsidy_cap(t)]
    targets = [_with_assumed_year(t, year_end) for t in _without_unknown_aims(found)]
    targets = _without_restated_subheadings(_without_directions_beside_levels(_without_restated_headings(targets)))
    targets = without_unsaid_women(targets, text, indicators)  # 基本养老保险参保率 in a plan for everyone
    targets = without_restated_shares(targets)  # a lead's 机场、火车站…比例 beside the body's share of each
    for bullet in (_bullet_sentence(ln) for ln in cleaned if _BULLET_RE.match(ln)):
        targets = _without_restated_bullet(_without_restated_headline(targets, bullet), bullet)  # ■…: a summary
    targets = without_present_levels(targets, text)  # 目前已有…7814名 … 规模达7814人: the present told again
    return dedupe(merged_restatements(_without_bare_restatements(_without_restated_headline(targets, headline))))


#: A heading-like clause: short, one phrase (no comma or semicolon inside), or a short aim and
#: its direction holding no value, only ages (``保障母婴安全,降低孕产妇和婴儿、五岁以下儿童死亡率``).
_PHRASE = r"(?:[^,，;；。\d]|\d+(?:岁|周岁|个月))"
_HEADING_CLAUSE_RE = re.compile(rf"^[^,，;；。]{{2,30}}[。]?$|^{_PHRASE}{{2,12}}[,，]{_PHRASE}{{2,24}}[。]?$")


def _without_restated_headings(targets: list[ParsedTarget]) -> list[ParsedTarget]:
    """Drop a direction told as a heading (``降低婴儿和5岁以下儿童死亡率``) when the clauses of the
    text give the same indicator a level for the same year, or give levels of the same rate for two
    groups or more when the heading names it for people at large (``降低人群贫血率`` over ``孕妇贫血率…``,
    ``老年人群贫血率…``): the heading names the aim the levels state."""
    levels = {(t.indicator or t.indicator_zh, t.year) for t in targets if t.comparator not in DIRECTION_COMPARATORS}
    return [
        t for t in targets
        if not (
            t.comparator in DIRECTION_COMPARATORS
            and _HEADING_CLAUSE_RE.match(re.sub(r"\s+", "", t.clause))
            and ((t.indicator or t.indicator_zh, t.year) in levels or _levelled_by_groups(t, targets))
        )
    ]


#: People at large, opening the name of a rate a heading aims at (``人群贫血率``, ``居民吸烟率``).
_AT_LARGE_RE = re.compile(r"^(?:全人群|人群|居民|群众|全民)")


def _levelled_by_groups(heading: ParsedTarget, targets: list[ParsedTarget]) -> bool:
    """Two levels or more, for the heading's year, of the rate the heading names for people at large."""
    rate = _AT_LARGE_RE.sub("", heading.indicator_zh)
    if rate == heading.indicator_zh or len(rate) < 2:
        return False
    groups = {
        t.indicator_zh for t in targets
        if t.comparator not in DIRECTION_COMPARATORS and t.year == heading.year and t.indicator_zh.endswith(rate)
    }
    return len(groups) >= 2


#: Share of characters two names must have in common to be one quantity in other words
#: (``人均食盐日摄入量`` / ``人均每日食盐摄入量``).
SAME_NAME_SHARE = 0.8


def _same_quantity(a: str, b: str) -> bool:
    sa, sb = set(a.replace("的", "")), set(b.replace("的", ""))
    return bool(sa and sb) and len(sa & sb) / len(sa | sb) >= SAME_NAME_SHARE


def _without_restated_subheadings(targets: list[ParsedTarget]) -> list[ParsedTarget]:
    """Drop a level told by a subheading (a short clause of one phrase: ``人均食盐日摄入量降低20%``) when a
    clause of the text states the same level for the same year of a quantity named in other words
    (``…,人均每日食盐摄入量降低20%,…``): the subheading names the aim the text states. What only the
    subheading states (a table row's attribute, units, base value) is kept on the text's target."""
    restated: dict[int, list[ParsedTarget]] = {}
    for t in targets:
        clause = re.sub(r"\s+", "", t.clause)
        if t.value is None or not _HEADING_CLAUSE_RE.match(clause) or re.search(r"[,，;；]", clause):
            continue
        stating = next((
            j for j, o in enumerate(targets)
            if o is not t and o.clause != t.clause and len(re.sub(r"\s+", "", o.clause)) > len(clause)
            and (o.comparator, o.value, o.year) == (t.comparator, t.value, t.year)
            and o.indicator_zh != t.indicator_zh and _same_quantity(o.indicator_zh, t.indicator_zh)
        ), None)
        if stating is not None:
            restated.setdefault(stating, []).append(t)
    dropped = {id(t) for ts in restated.values() for t in ts}
    return [functools.reduce(with_statement, restated.get(k, []), t) for k, t in enumerate(targets) if id(t) not in dropped]


def _without_directions_beside_levels(targets: list[ParsedTarget]) -> list[ParsedTarget]:
    """Drop a direction the same clause gives after a level of the same quantity and year
    (``…比率达到82%,并保持持续改善``): the level is the aim, the direction says it goes on."""
    levels = {
        (t.clause, t.indicator or t.indicator_zh, t.year) for t in targets if t.comparator not in DIRECTION_COMPARATORS
    }
    return [
        t for t in targets
        if t.comparator not in DIRECTION_COMPARATORS or (t.clause, t.indicator or t.indicator_zh, t.year) not in levels
    ]


def _with_assumed_year(t: ParsedTarget, year: int) -> ParsedTarget:
    """A target the text gives no year for, in a text that states no goal year: dated ``year``
    (the plan cycle's end) and flagged ``year_assumed`` for review."""
    if t.year is not None:
        return t
    flags = [f for f in t.flags if f != "no_year"] + ["year_assumed"]
    return t.model_copy(update={"year": year, "flags": flags})


def _without_unknown_aims(found: list[tuple[ParsedTarget, bool]]) -> list[ParsedTarget]:
    """Drop direction-only aims of the measures sections whose indicator is unknown."""
    return [
        t for t, strategy in found
        if not (strategy and t.comparator in DIRECTION_COMPARATORS and t.indicator is None)
    ]


def _text_targets(
    lines: list[str], state: _State, year_end: int | None, indicators: IndicatorDictionary | None
) -> list[tuple[ParsedTarget, bool]]:
    out: list[tuple[ParsedTarget, bool]] = []
    for line in lines:
        compact = re.sub(r"\s+", "", line)
        where = (state.part, state.chapter, state.section)
        rest = _handle_heading(compact, line, state)
        if (state.part, state.chapter, state.section) != where:
            state.milestone = None  # a heading ends the list a milestone clause opened
        if rest is None or state.skipping or state.in_review:
            continue
        pieces, after, state.lost_milestones = milestone_pieces(rest, state.milestone, state.lost_milestones)
        for piece, milestone in pieces:
            out += [(t, state.in_strategy) for t in _milestone_targets(piece, milestone, state, year_end, indicators)]
        state.milestone = after
    return out


def _milestone_targets(
    text: str, milestone: Milestone | None, state: _State, year_end: int | None, indicators: IndicatorDictionary | None
) -> list[ParsedTarget]:
    """The targets of ``text``, its undated clauses dated by the milestone it is listed under; under a
    milestone whose year the copy lost, they are flagged with its rank (kept apart from another's)."""
    if milestone is None:
        return _parse_line(text, state, year_end, indicators)
    if milestone.year is not None:
        return _parse_line(text, state, milestone.year, indicators)
    flag = f"{LOST_MILESTONE_FLAG}{milestone.lost}"
    return [t.model_copy(update={"flags": [*t.flags, flag]}) for t in _parse_line(text, state, None, indicators)]


#: Flag of a target listed under a milestone whose year the copy lost, followed by the milestone's rank.
LOST_MILESTONE_FLAG = "lost_year_milestone_"


#: A rate or share named by its head alone (``配置率``, ``覆盖率``, ``比例``): a lead's shorthand for a named one.
_BARE_MEASURE_RE = re.compile(r"[\u4e00-\u9fff]{0,3}(?:率|比例|占比|比重)")


def _without_bare_restatements(targets: list[ParsedTarget]) -> list[ParsedTarget]:
    """Drop an unknown rate named by its head alone (``到明年底,配置率达80%``) when the text names it in full for the
    same comparator, value and year (``…母婴设施配置率达到80%以上``): a lead restating the body's aim."""
    full = [t for t in targets if not _BARE_MEASURE_RE.fullmatch(t.indicator_zh)]
    return [
        t for t in targets
        if not (
            t.indicator is None and t.value is not None and _BARE_MEASURE_RE.fullmatch(t.indicator_zh)
            and any(
                f.indicator_zh.endswith(t.indicator_zh) and (f.comparator, f.value, f.year) == (t.comparator, t.value, t.year)
                for f in full
            )
        )
    ]


def dedupe(targets: list[ParsedTarget]) -> list[ParsedTarget]:
    """Drop repeated targets (same indicator, comparator, values and years, and, for milestones whose
    year the copy lost, the same milestone), keeping the first; the same aim quoted from two plans the text
    names (``《A》提出…;《B》提出…``) is two targets."""
    seen: dict[tuple, set[str | None]] = {}
    out = []
    for t in targets:
        key = (*t.key(), *(f for f in t.flags if f.startswith(LOST_MILESTONE_FLAG)))
        quoted = seen.get(key)
        if quoted is not None and (t.quoted_from is None or None in quoted or t.quoted_from in quoted):
            continue
        seen.setdefault(key, set()).add(t.quoted_from)
        out.append(t)
    return out


# --------------------------------------------------------------------------- drafts

CSV_COLUMNS = (
    "indicator", "indicator_zh", "comparator", "value", "value_high", "unit", "year",
    "baseline_year", "attribute", "responsible", "clause", "article", "flags",
)


def _target_entry(t: ParsedTarget, target_id: str, year_end: int) -> dict:
    entry: dict = {"id": target_id, "indicator": t.indicator, "comparator": t.comparator.value}
    for key in ("value", "value_high", "tolerance", "unit"):
        if getattr(t, key) is not None:
            entry[key] = getattr(t, key)
    entry["year"] = t.year if t.year is not None else year_end
    for key in ("baseline_year", "attribute", "article", "clause"):
        if getattr(t, key):
            entry[key] = getattr(t, key)
    if t.responsible:
        entry["responsible"] = list(t.responsible)
    if t.flags:
        entry["note"] = "flags: " + ", ".join(t.flags)
    if "year_assumed" in t.flags:
        entry["note"] += f"; {_year_assumed_note(entry['year'])}"
    return entry


def _with_stated_baseline(entry: dict, t: ParsedTarget, period: tuple[int, int] | None) -> dict:
    """``entry`` with the base level the plan states for it (``baseline_year`` and ``baseline_value``
    after ``year``): a base column without a year is the year before the plan period, kept only when
    the period is known; a value is kept off when the target's own base year differs (for a target
    that is not a level, the year before the plan period when it names none: what it is measured
    from), the year is not before the target's, or it lies outside the indicator's bounds (said in
    ``note``)."""
    if t.stated_baseline is None:
        return entry
    year, value = t.stated_baseline
    if year == UNDATED:
        if period is None:
            return entry
        year = period[0] - 1
    own = entry.get("baseline_year")
    if own is None and entry["comparator"] in _NOT_LEVELS:
        own = (period[0] if period else MIN_TARGET_YEAR) - 1
    if own not in (None, year) or year >= entry["year"]:
        return entry
    problem = _baseline_problem(entry, value)
    if problem:
        note = f"规划所列{year}年基期值{value:g}未采用：{problem}"
        return entry | {"note": f"{entry['note']}; {note}" if entry.get("note") else note}
    out = {}
    for key, v in entry.items():
        if key != "baseline_year":
            out[key] = v
        if key == "year":
            out |= {"baseline_year": year, "baseline_value": value}
    return out


def _baseline_problem(entry: dict, value: float) -> str | None:
    """Why a stated base level cannot be the indicator's (outside its natural bounds), or None."""
    indicators = default_indicators()
    ind = indicators.by_id.get(entry.get("indicator") or "") if indicators is not None else None
    if ind is None:
        return None
    level = entry["comparator"] not in _NOT_LEVELS
    factor = conversion_factor(entry.get("unit"), ind.unit) if level else 1.0
    low, high = ind.bounds
    v = value * (factor or 1.0)
    if (low is not None and v < low) or (high is not None and v > high):
        return f"超出指标取值范围（outside the indicator's bounds {low}–{high} {ind.unit}）"
    return None


#: Comparators whose value is not a level: their stated base level is in the indicator's unit.
_NOT_LEVELS = {c.value for c in Comparator if c not in LEVEL_COMPARATORS or c in NEEDS_BASELINE}


def _unresolved_entry(entry: dict, t: ParsedTarget, reason: str) -> dict:
    """A target kept for review: ``indicator: null``, the phrase as written, the reason."""
    out = {"id": entry["id"], "indicator": None, "phrase": t.indicator_zh, "unresolved": True, "reason": reason}
    out.update({k: v for k, v in entry.items() if k not in ("id", "indicator", "note")})
    if "year_assumed" in t.flags:
        out["note"] = _year_assumed_note(entry["year"])
    return out


#: Why a target went to ``unresolved`` when its name is not in the indicator dictionary.
REASON_UNKNOWN_INDICATOR = "指标不在指标词典中（indicator not in the dictionary）"


def _year_assumed_note(year: int) -> str:
    return f"文中未写明年份，假定为{year}年（year not stated in the text: assumed {year}）"


def _validation_error(entry: dict) -> str | None:
    try:
        Target.model_validate(entry)
    except Exception as exc:  # noqa: BLE001 - pydantic ValidationError or bad types
        errors = getattr(exc, "errors", None)
        if callable(errors):
            return "; ".join(e["msg"].removeprefix("Value error, ") for e in errors())
        return str(exc)
    return None


def draft_catalog(
    targets: list[ParsedTarget],
    plan_id: str | None = None,
    year_end: int = 2030,
    period: tuple[int, int] | None = None,
    info: PlanInfo | None = None,
    indicators: IndicatorDictionary | None = None,
) -> tuple[dict, list[dict]]:
    """A plan-catalog dict for the targets, and the entries kept under ``unresolved``.

    Identity (id, title, region, level, period, population) comes from ``info`` (see
    :func:`plan_info`) where it is known. A target whose indicator is not in the dictionary
    is never dropped: it goes to ``unresolved`` with ``indicator: null``, its ``phrase`` and
    ``unresolved: true``, as does one that cannot be a valid target or that the catalog loader
    would refuse with ``indicators`` (the package dictionary by default). A relative target
    without a base year takes the year before the plan period (noted in ``note``).
    """
    info = info or PlanInfo()
    period = period or info.period
    start = period[0] if period else MIN_TARGET_YEAR
    entries, unresolved = [], []
    used: dict[str, int] = {}
    for t in with_shared_responsible(targets):
        base = re.sub(r"[^a-z0-9_]", "", (t.indicator or "unresolved")) or "unresolved"
        stem = f"{base}_{t.year or year_end}"
        used[stem] = used.get(stem, 0) + 1
        target_id = stem if used[stem] == 1 else f"{stem}_{used[stem]}"
        if _relative(t) and not t.baseline_year and t.stated_baseline and t.stated_baseline[0] != UNDATED:
            # the table's base-year column (``2020年现状``) names the base the change is measured from
            t = t.model_copy(update={"baseline_year": t.stated_baseline[0],
                                     "flags": [f for f in t.flags if f != "no_baseline"]})
        entry = _target_entry(t, target_id, year_end)
        if _relative(t) and not t.baseline_year:
            entry["baseline_year"] = start - 1
            entry["note"] = (entry.get("note", "") + "; " if entry.get("note") else "") + (
                f"基期年未写明，假定为规划期前一年{start - 1}年"
                f"（base year not stated: assumed {start - 1}, the year before the plan period）"
            )
        entry = _with_stated_baseline(entry, t, period)
        if VALUES_RUN_TOGETHER in t.flags:
            unresolved.append(_unresolved_entry(entry, t, REASON_VALUES_RUN_TOGETHER) | {"indicator": t.indicator})
            continue
        if t.indicator is None:
            unresolved.append(_unresolved_entry(entry, t, REASON_UNKNOWN_INDICATOR))
            continue
        error = _validation_error(entry)
        if error:
            unresolved.append(_unresolved_entry(entry, t, error) | {"indicator": t.indicator})
        else:
            entries.append((entry, t))
    catalog = {
        "id": plan_id or info.id,
        "title": info.title or "草稿：请填写规划名称（DRAFT — fill in the plan title）",
        "region": info.region or "待填写地区",
        "level": info.level or "county",
        "period": list(period) if period else [
            MIN_TARGET_YEAR, max([year_end, *(t.year for t in targets if t.year)]),
        ],
        "parent": None,
        "source": None,
        "population": info.population,
        "targets": [],
        "unresolved": unresolved,
    }
    kept, set_aside = _valid_in_catalog(catalog, entries, indicators)
    catalog["targets"] = kept
    unresolved.extend(set_aside)
    return catalog, unresolved


def _relative(t: ParsedTarget) -> bool:
    return t.comparator.value in ("relative_decrease_pct", "relative_increase_pct")


def _valid_in_catalog(
    catalog: dict, entries: list[tuple[dict, ParsedTarget]], indicators: IndicatorDictionary | None
) -> tuple[list[dict], list[dict]]:
    """The entries the catalog loader accepts, and those it would refuse as ``unresolved`` with its
    reason (a unit that cannot be converted to the indicator's, a base level outside its bounds…):
    a draft always loads, and nothing the text states is dropped."""
    pending = list(entries)
    set_aside: list[dict] = []
    while pending:
        try:
            plan_from_dict(catalog | {"targets": [e for e, _ in pending]}, "<draft>", indicators)
        except PlanError as exc:
            refused: dict[int, str] = {}
            for where, message in exc.problems:
                found = _TARGET_PATH.match(where)
                if found:
                    refused.setdefault(int(found.group(1)), message)
            if not refused:  # a problem of the plan as a whole: the loader says it when the draft is used
                break
            set_aside += [_unresolved_entry(e, t, f"目标目录不接受：{refused[i]}（the catalog loader refuses it）") | {"indicator": t.indicator}
                          for i, (e, t) in enumerate(pending) if i in refused]
            pending = [p for i, p in enumerate(pending) if i not in refused]
            continue
        break
    return [e for e, _ in pending], set_aside


#: ``targets[12].unit`` in a loader's problem: the target it names.
_TARGET_PATH = re.compile(r"targets\[(\d+)\]")


def write_draft(
    targets: list[ParsedTarget],
    path: str | Path,
    format: str = "yaml",
    plan_id: str | None = None,
    year_end: int = 2030,
    period: tuple[int, int] | None = None,
    info: PlanInfo | None = None,
    indicators: IndicatorDictionary | None = None,
) -> Path:
    """Write a draft catalog (``yaml``) or table (``csv``) atomically; returns the path."""
    path = Path(path)
    if format == "csv":
        content = _to_csv(targets)
    elif format == "yaml":
        content = _to_yaml(targets, plan_id, year_end, period, info, indicators)
    else:
        raise ValueError(f"format must be 'yaml' or 'csv', not {format!r}")
    return atomic_write_text(path, content)


def _to_csv(targets: list[ParsedTarget]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for t in targets:
        row = t.model_dump()
        row["comparator"] = t.comparator.value
        row["responsible"] = "、".join(t.responsible)
        row["flags"] = ";".join(t.flags)
        writer.writerow({k: "" if row.get(k) is None else excel_safe(row.get(k)) for k in CSV_COLUMNS})
    return buf.getvalue()


def _to_yaml(
    targets: list[ParsedTarget],
    plan_id: str | None,
    year_end: int,
    period: tuple[int, int] | None,
    info: PlanInfo | None = None,
    indicators: IndicatorDictionary | None = None,
) -> str:
    catalog, unresolved = draft_catalog(targets, plan_id, year_end, period, info, indicators)
    head = (
        "# 目标目录草稿（由 `childplan extract-targets` 生成）：使用前请逐条对照规划原文核对。\n"
        f"# 指标不在指标词典中的目标列在 `unresolved:` 下（本稿 {len(unresolved)} 条），保留原文短语：\n"
        "# 请把该指标加入词典（或改写为已有指标），再把该条移到 `targets:` 下。\n"
        "# (DRAFT catalog: review every target against the plan text; entries under `unresolved:`\n"
        "#  name an indicator not in the dictionary.)\n"
    )
    if not catalog["targets"]:
        head += "# 没有可识别指标的目标：至少加入一条后目录才有效（no target resolved: not valid yet）。\n"
    return head + yaml.safe_dump(catalog, allow_unicode=True, sort_keys=False, width=1000)


__all__ = [
    "CSV_COLUMNS",
    "REASON_UNKNOWN_INDICATOR",
    "PlanInfo",
    "document_text",
    "plan_info",
    "plan_title",
    "plan_region",
    "Comparator",
    "DEFAULT_GOAL_YEAR",
    "abbreviated_plan_period",
    "dedupe",
    "earliest_target_year",
    "goal_years",
    "milestone_years",
    "normalize_text_lines",
    "projects_year",
    "quoted_plan_period",
    "referred_plan_period",
    "draft_catalog",
    "extract_targets",
    "infer_goal_year",
    "normalize_text",
    "stated_goal_year",
    "plan_period",
    "split_cells",
    "split_documents",
    "write_draft",
]
