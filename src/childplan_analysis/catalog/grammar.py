"""Target grammar: turn a plan clause into structured targets.

``parse_target`` reads one clause (or sentence) of a development plan, e.g.
``新生儿、婴儿和5岁以下儿童死亡率分别控制在3‰、5‰和6‰以下``, and returns one
:class:`ParsedTarget` per indicator and milestone year. The phrases it knows and the
comparator each maps to are listed in ``docs/plan-format.md`` ("Target grammar").

It never raises: text it cannot read gives ``[]``; what it reads but cannot fully resolve
is returned with ``flags`` (``unknown_indicator``, ``no_year``, ``assumed_comparator``,
``value_count_mismatch``, ``no_baseline``, ``unit_from_dictionary``: a per-cent level of a
per-mille indicator, implausible as written, read in ‰ because the copy lost the sign).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from childplan_analysis.catalog.activity_places import (
    body_enters_places,
    places_doing,
    served_by_body,
)
from childplan_analysis.catalog.announced import is_time_taken, without_framing
from childplan_analysis.catalog.body_quotas import people_per_body
from childplan_analysis.catalog.conditions import without_conditions
from childplan_analysis.catalog.count_lists import counts_listed
from childplan_analysis.catalog.covered_places import activity_over_places
from childplan_analysis.catalog.disease_names import short_disease_names
from childplan_analysis.catalog.each_body import each_body
from childplan_analysis.catalog.fractions import fractions_as_percent
from childplan_analysis.catalog.funded_services import funded_service
from childplan_analysis.catalog.head_named import head_named, trained_named
from childplan_analysis.catalog.kinds_counted import counts_of_kinds
from childplan_analysis.catalog.kinds_listed import MODAL_RE, split_kinds
from childplan_analysis.catalog.levels_named import levels_apart
from childplan_analysis.catalog.money_sums import sum_given
from childplan_analysis.catalog.people_counts import people_count
from childplan_analysis.catalog.people_first import people_first
from childplan_analysis.catalog.people_shares import people_share_name, share_word_first
from childplan_analysis.catalog.plausible import is_plausible
from childplan_analysis.catalog.resolve import resolve_indicator
from childplan_analysis.catalog.school_levels import with_school_level
from childplan_analysis.catalog.scopes import scope_named, within_scope
from childplan_analysis.catalog.screening_counts import people_screened
from childplan_analysis.catalog.script import simplified_text
from childplan_analysis.catalog.set_up import set_up_as_counted
from childplan_analysis.catalog.shared_qualifier import group_rates, screenings_covered, span_tail
from childplan_analysis.catalog.site_counts import (
    Reading,
    all_kinds_equipped,
    continued_count,
    counts_sites,
    each_counts,
    facility_coverage,
    level_counts,
    people_reached,
    trailing_count,
    unnamed_count,
    verb_count,
)
from childplan_analysis.catalog.size_conditions import without_size_conditions
from childplan_analysis.catalog.team_sizes import team_size
from childplan_analysis.catalog.unit_shares import unit_shares, units_able
from childplan_analysis.catalog.universal_shares import every_unit_does
from childplan_analysis.catalog.work_counts import (
    continued_work,
    means_count,
    people_given,
    work_count,
    works_counted,
)
from childplan_analysis.core.indicators import Indicator, IndicatorDictionary, load_indicators
from childplan_analysis.core.targets import DIRECTION_COMPARATORS, LEVEL_COMPARATORS, Comparator
from childplan_analysis.core.units import canonical_unit, conversion_factor

log = logging.getLogger(__name__)

C = Comparator


class ParsedTarget(BaseModel):
    """A target read from plan text; ``indicator`` is None when it could not be resolved."""

    model_config = ConfigDict(extra="forbid")

    indicator: str | None = None
    indicator_zh: str = ""
    comparator: Comparator
    value: float | None = None
    value_high: float | None = None
    tolerance: float | None = None
    unit: str | None = None
    year: int | None = None
    baseline_year: int | None = None
    attribute: Literal["binding", "expected"] | None = None
    responsible: list[str] = Field(default_factory=list)
    article: str | None = None
    clause: str = ""
    flags: list[str] = Field(default_factory=list)
    #: The indicator's value in a base year as the plan states it, ``(year, value)`` (a table's
    #: ``2020年基数`` column, ``由2020年的88%提高到95%``): in ``unit`` for a level target, in the
    #: indicator's unit for any other. Not part of :meth:`key`: it records, it does not aim.
    stated_baseline: tuple[int, float] | None = None
    #: The plan a text quotes the target from (``《…》提出``), when it names one: news of two plans may state the
    #: same aim for each.
    quoted_from: str | None = None

    def key(self) -> tuple:
        """Identity used for de-duplication: indicator, comparator, values and years."""
        return (
            self.indicator or self.indicator_zh,
            self.comparator.value,
            self.value,
            self.value_high,
            self.year,
            self.baseline_year,
        )


# --------------------------------------------------------------------------- lexicon

NUM = r"\d+(?:\.\d+)?"
#: Units a target value may carry (longest first).
UNITS = (
    "1/10万", "/10万", "1/万", "/万", "个百分点", "百分点", "平方米", "课时", "小时", "分钟",
    "人次", "‰", "%", "张", "名", "个", "所", "岁", "年", "人", "次", "家", "元", "项", "座",
    "倍", "周", "天", "颗", "间", "户", "件", "处",
)
UNIT_RE = "(?:" + "|".join(re.escape(u) for u in UNITS) + ")"
#: Classifiers after which an object may follow the value (配备1名全科医生).
COUNT_UNITS = {"张", "名", "个", "所", "人", "次", "家", "项", "座", "人次", "间", "户", "件", "处"}
VALUE = rf"{NUM}{UNIT_RE}?(?:(?:~|-|—|–|至|到){NUM}{UNIT_RE}?)?"
#: A list of values; an item before the last may keep its own suffix (``95%、60%以上和15年以上``).
VLIST = rf"{VALUE}(?:(?:以上|以下|左右)?(?:、|和|及|与|或){VALUE})*"
VALUE_RE = re.compile(rf"(?P<v>{NUM})(?P<u>{UNIT_RE})?(?:(?:~|-|—|–|至|到)(?P<v2>{NUM})(?P<u2>{UNIT_RE})?)?")

#: Verb phrases before a value, grouped by what they say about the comparator.
VERBS: dict[str, tuple[str, ...]] = {
    "maintain": (
        "达到并保持在", "达到并稳定在", "达到并保持", "控制并保持在", "持续保持在", "始终保持在",
        "保持在", "稳定在", "维持在", "巩固在", "保持",
    ),
    "down_to": (
        "下降到", "下降至", "下降为", "降低到", "降低至", "减少到", "减少至", "降至", "降到", "降为",
        "减至",
    ),
    "below": ("低于", "少于", "小于", "不足"),
    "down": ("控制在", "控制到", "控制于", "不超过", "不高于", "不多于", "不大于", "压缩到", "压减到"),
    "up_strict": ("超过", "高于", "多于", "大于"),
    "up_floor": ("不低于", "不少于", "至少配备", "至少达到", "至少有", "至少"),
    "up": (
        "提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "增长至", "上升到",
        "上升至", "增至", "升至", "扩大到", "扩大至", "延长到", "延长至", "达到", "达", "占到",
    ),
    "neutral": ("为", "是", "实现", "争取", "力争"),
    "object": (
        "配备", "设立", "设置", "设有", "建有", "新建", "建成", "建设", "创建", "培育", "培树", "选树", "推树", "宣树", "开展",
        "打造", "改扩建", "新增", "扩建", "改建", "设", "有", "推进",
    ),
}
_VERB_KIND = {v: kind for kind, verbs in VERBS.items() for v in verbs}
VERB_ALT = "|".join(sorted((re.escape(v) for v in _VERB_KIND), key=len, reverse=True))
ADVERBS = r"(?:分别|均|都|也|要|将|需|应|能够|力争|争取|每年|稳定|基本|全部|总体)*"
SUFFIXES = ("及以上", "及以下", "以上", "以下", "以内", "左右", "之间")
SUFFIX_ALT = "|".join(SUFFIXES)
#: What may follow a value + suffix for it to be a predicate (not 5岁以下儿童…).
PRED_END = r"(?=$|[,;。、!?)]|并|且|和|或|的水平|水平|为宜|目标)"

PRED_RE = re.compile(
    rf"(?P<verb>{VERB_ALT})?(?P<adv>{ADVERBS})(?P<sym>[<>≤≥]=?)?(?P<vals>{VLIST})(?P<suf>{SUFFIX_ALT})?"
)

UP_WORDS = ("提高", "提升", "增加", "增长", "上升", "扩大", "延长", "增强", "改善", "增多")
DOWN_WORDS = ("下降", "降低", "减少", "缩小", "减轻", "减缓", "降")
KEEP_WORDS = ("巩固", "保持稳定", "稳定", "保持均衡", "保持")
DIR_ALT = "|".join(sorted(UP_WORDS + DOWN_WORDS + KEEP_WORDS, key=len, reverse=True))
DIR_ADVERBS = (
    r"(?:进一步|逐步|逐年|持续|不断|稳步|明显|显著|有效|大幅|大幅度|全面|继续|力争|得到|保持|"
    r"均|普遍|切实|努力|着力|积极|较大|有所|有|趋于|稳中有|适当|逐渐|大力)*"
)
DIR_AFTER_RE = re.compile(rf"^(?P<subj>.+?)(?P<adv>{DIR_ADVERBS})(?P<dir>(?:{DIR_ALT})+)(?:趋势|态势)?$")
DIR_BEFORE_RE = re.compile(rf"^(?P<adv>{DIR_ADVERBS})(?P<dir>(?:{DIR_ALT})+)(?P<subj>.+)$")

#: A base year (``在2020年基础上``, ``以2020年为基数``) is not a target year.
_NOT_TARGET_YEAR = r"(?!(?:的|数据|数值)?(?:基础|水平上|为基|基数|基期|基准|相比|比较))"
YEAR_RE = re.compile(
    r"(?:(?:展望|截至|截止|到|至|在|于)(?P<y1>(?:19|20)\d{2})年(?:底|末|前)?|^(?P<y2>(?:19|20)\d{2})年(?:底|末|前)?)"
    + _NOT_TARGET_YEAR
)
#: Two or more milestones in one clause: ``到2022年和2030年，…分别控制在7.5‰及以下和5‰及以下``.
YEARS_LIST_RE = re.compile(
    r"(?:到|至|在|于)?(?P<first>(?:19|20)\d{2})年(?:底|末)?(?P<rest>(?:(?:和|、|及|与|以及)(?:到|至)?(?:19|20)\d{2})年(?:底|末)?)+"
    + _NOT_TARGET_YEAR
)
#: A base named without a year: today's level (``在现有基础上``), a baseline (``在基线基础上``), a year the copy
#: lost (``在X年的基础上``).
_UNDATED_BASE = r"(?:在|以|比|较)?(?:现有|原有|目前|现|基线|基期|[A-Za-zＡ-Ｚａ-ｚ×某]{1,4}\s*年)(?:的)?(?:水平)?(?:基础上|水平上|为基数|为基础)"
RELATIVE_RE = re.compile(
    rf"(?:(?:在|以|比|较|与|相比)?(?P<base>(?:19|20)\d{{2}})年(?:数据|数值|水平|底)?(?:为基数|为基期|为基准|为基础|基础上|相比)?"
    rf"(?:的基础上)?|{_UNDATED_BASE})(?:分别|均|都)?(?:再|继续|进一步)?(?P<dir>下降|降低|减少|提高|增长|增加|上升|提升)(?P<v>{NUM})%"
    rf"(?P<more>(?:(?:和|、|及|与){NUM}%)*)(?P<suf>以上)?"
)
PLAIN_RELATIVE_RE = re.compile(rf"(?P<dir>下降|降低|减少|增长)(?P<v>{NUM})%(?P<suf>以上)?(?=$|[,;。])")
ANNUAL_RE = re.compile(
    rf"(?:每年|(?<!\d)年均|平均每年|(?<!\d)年平均|逐年)(?P<dir>下降|降低|减少|提高|增长|增加|上升|提升|降|升)"
    rf"(?P<v>{NUM})(?:%|个百分点|百分点)?(?:(?:~|-|—|–|至|到)(?P<v2>{NUM}))?"
    rf"(?P<u>个百分点|百分点|%)(?P<suf>以上|左右)?"
)
COVERAGE_RE = re.compile(
    r"(?:实现|达到|基本实现|做到)?[\"“”']?(?:(?P<n>两|二|三|四)个|双)?(?:全覆盖|全面覆盖|100%覆盖)[\"“”']?"
    r"(?=$|[。;,]|并|且)"
)
#: Women counted in a body (``领导成员中都要有1名以上的女性``, ``…中有1名以上女干部``).
_WOMEN_RE = re.compile(r"女(?:性|干部|代表|委员|领导干部|成员|同志)|妇女")
#: Heads of things whose coverage is countable (an unknown ``X全覆盖`` is kept only for these).
_COVERED_HEAD_RE = re.compile(
    r"(站|站点|点|室|中心|服务|之家|学校|园|机构|组织|议事会|委员会|门诊|医院|卫生院|服务队|队伍|网格|书屋|"
    r"图书馆|阵地|平台|基地|设施|专干|主任|督导员|社会工作者|社工|医生|教师|人员|应用|建档|档案)$"
)
#: A kind of place covered by its building (``儿童友好社区建设全覆盖``, ``示范学校创建全覆盖``): a qualifier
#: that is no place or level of its own, then the place.
_COVERED_KIND_RE = re.compile(
    r"^(?!城乡|农村|城市|城镇|全市|全省|全区|全县|所有)[\u4e00-\u9fff]{2,10}(?:社区|学校|医院|单位|村)(?:建设|创建)?$"
)

#: The places a coverage runs over, written after the thing covered (``儿童之家城乡社区全覆盖``,
#: ``工作站街镇全覆盖``): the head is the thing before them.
_PLACES_AFTER_RE = re.compile(
    r"(?:城乡社区|村\(社区\)|村\(居\)|乡镇\(街道\)|街道\(乡镇\)|村居|街镇|镇街|乡镇|街道|社区|村|县区|区县)$"
)

_LEADING_JUNK = re.compile(
    r"^(?:[-•·*—–]+|\d{1,2}[、.](?!\d)|[(（]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}是(?=[\u4e00-\u9fff])|并且|并|且|同时|其中|即(?=\d)|以及|和|及|"
    r"(?:《[^》]{1,40}》|规划|纲要|方案|意见|文件)(?:还|也|中|进一步)?(?:提出|明确|要求|指出|强调|规定|表示|显示)|"
    r"记者(?:了解到|获悉|从[^,]{1,20}获悉)|据悉|据介绍|据了解|"
    r"(?:计划|拟)(?=在)|[\u4e00-\u9fff]{2,4}全(?:省|市|区|县|州|旗)(?=[\u4e00-\u9fff])|"
    r"在?(?:全市|全区|全县|全省|全国|全州|全旗|全镇)|我市|我区|我县|我省|我国|本市|本区|本县|本省|该市|该区|该县|该省|"
    r"(?:持续|继续|不断|大力|全力|着力)(?=推动|推进|落实|促进)|"  # 持续推动…全覆盖: the effort, no part of the name
    r"各地|各级|确保|保证|力争|争取|努力|推动|年底前|年内|年底|当年|落实|尽快|尽早|"
    r"围绕[^,;]{2,40}?等?(?=开展|举办|组织|实施)|"  # 围绕A、B等开展宣传100场: the topics of the activity
    r"预计|使|让|要|到期末|基本实现|逐步实现|实现|推进|推动|将|把|促进|做到|保障|督促|"
    r"[\u4e00-\u9fff]{0,16}?(?:任务|目标)(?:为|是)[:：]?)+"  # …行动任务为A率达到98%: the task's name is no part
)
_TRAILING_JUNK = re.compile(
    r"(?:分别|均|都|各|也|要|需|应|将|力争|争取|稳定|继续|进一步|逐步|每年|基本|全部|总体|能够|的|"
    r"(?<![存所现正实潜内外自])在)+$"  # 总人口在14.2亿人左右: the preposition before the level
)
_PER_UNIT = re.compile(r"以[^为,;]{1,14}为单位的?")
_CN_DIGITS = {"一": "1", "两": "2", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "十": "10"}
_CN_COUNT = re.compile(
    r"(配备|至少|不少于|设立|建设|建成|新建|创建|达到|增加|有|设)([一两二三四五六七八九十])(?=[名个所张家座])|"
    r"(至少|不少于|开展|组织|举办|召开|接受)([一两二三四五六七八九十])(?=次)"
)
#: Holding an activity a number of times (``组织2次``, ``举办3次``) is counted as ``开展`` is.
_HOLD_TIMES_RE = re.compile(r"(?:组织|举办|召开)(?=\d+次)")
_HEAD_RE = re.compile(r"(率|比例|比重|占比|数|数量|人数|年限|寿命|时间|标准|水平|覆盖率|指数)$")
#: Heads an unknown name must end with to be reported as a direction target.
#: ``筛查病种`` is a count of the diseases covered (``新生儿疾病筛查病种逐步扩大``: a rise of that count).
_DIRECTION_HEAD_RE = re.compile(
    r"(率|比例|比重|占比|数量|人数|年限|寿命|面积|(?:低保|保障|救助|供养|补助|补贴|津贴|抚恤)标准|"
    r"(?:筛查|诊治|救治|免疫|保障|报销|覆盖)病种)$"
)
_SPLIT_ITEMS = re.compile(r"、|和|及(?!时)|与|以及")



#: Five-year plan periods by name (十四五 = 2021–2025).
FIVE_YEAR_PLANS: dict[str, tuple[int, int]] = {
    "十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
    "十五五": (2026, 2030), "十六五": (2031, 2035),
}
_FIVE_YEAR_ALT = "|".join(FIVE_YEAR_PLANS)
#: ``到“十四五”末``, ``“十四五”期间``, ``十五五时期末`` → the end year of that plan.
_FIVE_YEAR_END_RE = re.compile(
    rf"(?P<to>到|至|截至|在)?[\"“”']?(?P<name>{_FIVE_YEAR_ALT})[\"“”']?"
    r"(?P<when>时期末|期末|末期|末|期间|时期|规划期末|规划期内|期内)"
)
_FIVE_YEAR_TO_RE = re.compile(rf"(?:到|至)[\"“”']?(?P<name>{_FIVE_YEAR_ALT})[\"“”']?(?![\u4e00-\u9fff])")
#: 翻番 / 翻一番 / 翻一倍 (doubling) → a relative increase of 100 %; 翻两番 → 300 %. ``翻了一倍``
#: (a doubling that happened) is not an aim and is left as written.
_DOUBLING_RE = re.compile(r"(?:实现|力争|争取)?(?:翻(?:一)?番|翻两番|翻二番|翻(?:一)?倍)")


#: A five-year plan named as a span (``“十二五”时期``, ``“十四五”期间``), not as its end: a time within
#: which something happens or happened, which looks neither ahead nor back by itself.
_SPAN_WORDS = ("期间", "时期", "期内", "规划期内")


def _five_year_years(s: str) -> str:
    def end(m: re.Match) -> str:
        year = FIVE_YEAR_PLANS[m.group("name")][1]
        if m.group("when") in _SPAN_WORDS and m.group("to") not in ("到", "至"):
            return f"在{year}年"  # 在2015年: the span's year, without the 到 of an aim
        return f"到{year}年"

    s = _FIVE_YEAR_END_RE.sub(end, s)
    return _FIVE_YEAR_TO_RE.sub(end, s)


#: Names that stand for two indicators: 婴幼儿死亡率 = infant and under-5 mortality.
_COMPOUND_NAMES = {
    "婴幼儿死亡率": "婴儿和5岁以下儿童死亡率",
    "婴儿5岁以下儿童死亡率": "婴儿和5岁以下儿童死亡率",  # the 和/、 lost in a copy
}


#: Verbs of building run together (``新改扩建``, ``新扩建``, ``新改建``): new and rebuilt ones, written
#: ``新建改扩建`` as the count of what is built.
_COMPOUND_BUILD_RE = re.compile(r"新(改扩建|扩建|改建)")


#: A span of years from a start (``从2006年起,力争用三年时间,``): the goals of the clause are due at its last year.
_YEARS_FROM_RE = re.compile(
    r"(?:从|自)(?P<y>(?:19|20)\d{2})年(?:起|开始)[,，]?(?:力争|争取|计划|拟|再)?(?:利用|用)"
    r"(?P<n>[1-9]|[一二三四五六七八九十两])年(?:左右)?(?:的)?时间"
)


def _years_from(s: str) -> str:
    """``从2006年起,力争用三年时间`` → ``到2008年``: the start year and the years after it, counted inclusively."""
    def last_year(m: re.Match) -> str:
        n = _CN_SMALL.get(m.group("n"), 2 if m.group("n") == "两" else 0) or int(m.group("n"))
        return f"到{int(m.group('y')) + n - 1}年"
    return _YEARS_FROM_RE.sub(last_year, s)


def _doubling(s: str) -> str:
    return _DOUBLING_RE.sub(lambda m: "增长300%" if "两" in m.group(0) or "二" in m.group(0) else "增长100%", s)


#: A change by a fraction (``下降1/5``, ``减少三分之一``, ``减少一半``): the same change in per cent.
_FRACTION_CHANGE_RE = re.compile(
    r"(?P<verb>下降|降低|减少|提高|增长|增加|上升|提升)了?"
    r"(?:(?P<n>\d)/(?P<d>\d{1,2})(?![\d万千百.])|(?P<cd>[二三四五六七八九十])分之(?P<cn>[一二三四五六七八九])|(?P<half>一半))"
)
_CN_SMALL = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


def _fraction_changes(s: str) -> str:
    """``以2000年为基础下降1/5`` → ``…下降20%``; ``减少三分之一`` → ``减少33.333333%`` (six decimals)."""
    def percent(m: re.Match) -> str:
        if m.group("half"):
            n, d = 1, 2
        elif m.group("n"):
            n, d = int(m.group("n")), int(m.group("d"))
        else:
            n, d = _CN_SMALL[m.group("cn")], _CN_SMALL[m.group("cd")]
        if not 0 < n < d:
            return m.group(0)
        return m.group("verb") + f"{100 * n / d:.6f}".rstrip("0").rstrip(".") + "%"
    return _FRACTION_CHANGE_RE.sub(percent, s)


#: A count written in 万 before its classifier (``2万个``, ``1.5万人次``), not a rate base
#: (``1/10万``, ``每10万人口``).
_WAN_COUNT = re.compile(
    r"(?<![/\d.每])(\d+(?:\.\d+)?)(万|亿)(?=元(?!/)|人次|场次|场(?!所|景|地|馆)|处|间|个|名|张|所|家(?!庭)|户|套|件|册|台|辆|平方米|人(?!口)|对(?=[\u4e00-\u9fff]{0,8}?夫妇)|"
    r"(?:家长|妇女|儿童|女童|青少年|学生|群众|居民|老人)(?![\u4e00-\u9fff]?(?:率|比例)))"
)
_MAGNITUDE = {"万": 10_000, "亿": 100_000_000}
#: People counted without a classifier (``惠及28万家长``): counted as 人.
_PEOPLE_NOUN_RE = re.compile(r"家长|妇女|儿童|女童|青少年|学生|群众|居民|老人")


def _wan_counts(s: str) -> str:
    """``新增托位2万个`` → ``新增托位20000个``, ``5.3亿人`` → ``530000000人``, ``惠及28万家长`` →
    ``惠及280000人家长``: the value in units of its classifier (人 for people named without one)."""
    def times(m: re.Match) -> str:
        value = round(float(m.group(1)) * _MAGNITUDE[m.group(2)], 6)
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return text + ("人" if _PEOPLE_NOUN_RE.match(s, m.end()) else "")
    return _WAN_COUNT.sub(times, s)


#: Words after a per-mille or per-10,000 value that no target phrase continues with: a copy's
#: inserted spam (``全国婴儿死亡率下降到5.2‰月嫂,``). Such a value ends its phrase or is followed by a
#: bound word, a conjunction, a list mark or 的/水平/为/目标.
#: One rate of infected mothers and of the children they bore (``艾滋病、梅毒感染孕产妇及所生儿童治疗率``),
#: the qualifiers listed before the mothers opening the clause.
_MOTHERS_AND_CHILDREN_RE = re.compile(
    r"(?:^|(?<=[,;:。!?)]))(?P<qs>(?:[A-Za-z\u4e00-\u9fff]{2,6}、)*[A-Za-z\u4e00-\u9fff]{2,6}?)"
    r"(?P<m>感染孕产妇|感染产妇|孕产妇|产妇)及其?所生(?P<c>儿童|婴儿|新生儿)(?P<t>[\u4e00-\u9fff]{1,12}?率)"
)


def _mothers_and_children(m: re.Match) -> str:
    """``A、B感染孕产妇及所生儿童治疗率`` → the mothers' rate and the children's rate of each qualifier."""
    qualifiers = m.group("qs").split("、")
    mothers = [q + m.group("m") + m.group("t") for q in qualifiers]
    children = [q + m.group("m") + "所生" + m.group("c") + m.group("t") for q in qualifiers]
    return "、".join(mothers + children)


#: A note counting the indicators an item holds (``(3个指标)``, ``(2项指标)``, ``(共3项)``).
_COUNT_NOTE_RE = re.compile(r"[(（](?:共\d{1,2}(?:个|项)(?:指标|目标)?|\d{1,2}(?:个|项)(?:指标|目标))[)）]")
#: The base a rate is counted per (``50/10万活产``, ``1/10万人口``), before its bound word or the clause's end.
_RATE_BASE_RE = re.compile(r"(\d(?:/10万|/万|‰))(?:名|例)?(?:活产儿|活产|出生人口|人口|人)(?=以|及|左右|[,;。!?、和]|$)")
_SPAM_AFTER_RATE_RE = re.compile(
    r"(\d(?:‰|/10万|/万))(?![以左及和与并且或的水为目之])([\u4e00-\u9fff]{1,4})(?=[,;。!?]|$)"
)


#: A per-mille sign a copy split into ``%`` and ``。`` (or ``%o``): ``分别控制在3%。、5%。和6.0%。以下``.
#: A full stop cannot be followed by a list mark, a conjunction or a bound word, so there the
#: two characters are one ‰ sign.
_SPLIT_PERMILLE_RE = re.compile(
    r"(\d)\s*[%％]\s*(?:。|o(?![a-zA-Z]))(?=\s*(?:[、和及与或]|以下|以上|以内|左右))"
)


#: A level quoted as an aim (``提出到2016年…毛入园率达到75%左右的目标``): the value is the target.
_VALUE_AIM_RE = re.compile(
    r"(\d(?:%|‰|/10万|/万|所|个|家|名|张|处)?(?:以上|以下|左右|以内)?)的(?:发展|工作|预期|奋斗|总体)?(?:目标任务|目标|工作任务)"
    r"(?:如期|按期|按时|全面)?(?:实现|完成)?"  # …覆盖率80%的目标任务如期实现, …幼儿园328所的工作任务
)
#: A value whose bound word the copy cut off at the end of the page (``下降到2%以``).
_CUT_BOUND_RE = re.compile(r"(\d(?:%|‰|/10万|/万)?)以$")


def repair_permille(text: str) -> str:
    """``3%。、5%。和6.0%。以下`` → ``3‰、5‰和6.0‰以下``: a per-mille sign split by the copy."""
    return _SPLIT_PERMILLE_RE.sub(r"\1‰", text)


#: Words a synonym spinner puts for a verb of change (下降 → 着落, 提升 → 擢升), read as that verb
#: only where a value or a base year follows (``…以2020年为基数着落20%``).
_SPUN_CHANGE_RE = re.compile(r"(着落|擢升)(?=(?:到|至)?\d)")
_SPUN_CHANGE = {"着落": "下降", "擢升": "提升"}
#: ``逾`` before a number (``逾90%``, ``逾万人``): more than, as 超过.
_OVER_RE = re.compile(r"逾(?=\d)")
#: A list of levels, each a name and its value (``公办园占比50%、普惠园覆盖率80%``): the 、 after a value
#: before the next name parts two clauses.
_LEVELS_LISTED_RE = re.compile(r"(\d[%‰](?:以上|以下)?)、(?=[\u4e00-\u9fff]|\d{1,2}(?:-\d{1,2})?(?:岁|周岁|个月))")
#: Counts listed, each after its name (``新增托班数176个、新增托位数3520个``): the 、 after a count parts two clauses.
_COUNTS_LISTED_RE = re.compile(r"((?:数|数量)\d+(?:\.\d+)?[个所家名人张间处条座](?:以上)?)、(?=[\u4e00-\u9fff])")
#: ``一半以上(的)`` opening a clause before what it counts (not a change: ``减少一半``).
_HALF_OF_RE = re.compile(r"(?:(?<=^)|(?<=[,;:]))一半以上的?(?=[\u4e00-\u9fff])")
#: Degrees of a condition written as a list (``中、重度贫血``, ``轻、中度``): one range of degrees.
_DEGREES_RE = re.compile(r"([轻中])[、和及]([中重])度")


def normalize_text(text: str) -> str:
    """Inline pinyin removed and traditional characters made simplified (``script.simplified_text``),
    NFKC (full-width digits, ％, ．), unified dashes,
    no whitespace, 一名 → 1名, 至少组织两次 → 至少开展2次, five-year-plan ends as years (``到“十四五”末`` → ``到2025年``),
    翻番 as ``增长100%``, a spun verb of change before a value as the verb (``着落20%`` → ``下降20%``), a change by a fraction in per cent (``下降1/5`` → ``下降20%``), counts in 万 as plain numbers (``2万个`` → ``20000个``), a value quoted as
    an aim without its ``的目标``, a bound word cut by the end of the copy (``2%以``) dropped, verbs of building
    run together written out (``新改扩建`` → ``新建改扩建``)."""
    s = unicodedata.normalize("NFKC", simplified_text(str(text)))
    s = s.replace("，", ",").replace("；", ";").replace("：", ":").replace("〜", "~")
    s = s.replace("－", "-").replace("−", "-").replace("﹪", "%")
    s = repair_permille(re.sub(r"\s+", "", s))
    s = _CUT_BOUND_RE.sub(r"\1", _VALUE_AIM_RE.sub(r"\1", re.sub(r"[—–]+(?=[。;!?]?$)", "", s)))  # 标准—— ending a subtitle
    s = _MOTHERS_AND_CHILDREN_RE.sub(_mothers_and_children, s)
    s = _COUNT_NOTE_RE.sub("", s)  # …分别为≥95%(3个指标): a note counting the indicators of the item
    s = _RATE_BASE_RE.sub(r"\1", s)  # 50/10万活产及以下: the base the rate is per, not a word after it
    s = _SPAM_AFTER_RATE_RE.sub(r"\1", s)  # 下降到5.2‰月嫂, → 下降到5.2‰,
    s = _SPUN_CHANGE_RE.sub(lambda m: _SPUN_CHANGE[m.group(1)], s)
    s = _OVER_RE.sub("超过", s)  # 达标率逾90%: 逾 is 超过 (strict)
    s = _DEGREES_RE.sub(r"\1\2度", s)  # 中、重度贫血: one range of degrees, not a list
    s = _LEVELS_LISTED_RE.sub(r"\1,", s)  # A占比50%、B覆盖率80%: one clause per level
    s = _COUNTS_LISTED_RE.sub(r"\1,", s)  # A数176个、B数3520个: one clause per count
    s = _HALF_OF_RE.sub("50%以上的", s)  # 一半以上乡镇幼儿园进入…: a share of at least 50 %
    s = _fraction_changes(_doubling(_five_year_years(_years_from(s))))
    for name, parts in _COMPOUND_NAMES.items():
        s = s.replace(name, parts)
    s = _COMPOUND_BUILD_RE.sub(lambda m: "新建" + m.group(1), s)
    s = set_up_as_counted(s)  # 建立一所 / 至少办1所: counted as 设立
    s = _HOLD_TIMES_RE.sub("开展", _CN_COUNT.sub(lambda m: (m.group(1) or m.group(3)) + _CN_DIGITS[m.group(2) or m.group(4)], s))
    s = _PER_HEAD_AMOUNT_RE.sub(r"\1", s)
    s = _QUOTED_COUNTED_RE.sub(r"\1", s)  # 配备1名“儿童主任”: the role counted, quoted as a term
    s = each_body(s)  # 党委、政府领导班子各配备1名女干部: one count for each body
    s = activity_over_places(s)  # 开展宣讲,实现各乡镇全覆盖: every 乡镇 holds it
    s = counts_listed(_wan_counts(s))  # 新建8所A、20个B: a count of each kind
    return without_size_conditions(s)  # 面积超过10000平方米的…: which places a rule is for


#: A term quoted right after a count and its measure word (``每个村配备1名“儿童主任”``): the thing
#: counted, not a quotation.
_QUOTED_COUNTED_RE = re.compile(r"(?<=\d[名个所家支座处间])[“\"「]([\u4e00-\u9fff]{2,12})[”\"」]")


#: ``生均拨款不低于每生每年500元``: a per-pupil amount says again whom and how often it is for
#: between its bound and its value; the name (生均, 人均) already says it.
_PER_HEAD_AMOUNT_RE = re.compile(
    r"(均(?:拨款|经费|公用经费|财政拨款|补助|补贴)(?:标准)?(?:不低于|不少于|达到|提高到|至少))"
    r"每(?:生|人|名学生|名幼儿|名儿童)?每年(?=\d)"
)


# --------------------------------------------------------------------------- helpers


@dataclass
class _Ctx:
    """State carried from one sub-clause to the next within a sentence."""

    default_year: int | None
    indicators: IndicatorDictionary | None
    clause: str
    year: int | None = None
    year_explicit: bool = False
    years: list[int] = field(default_factory=list)
    subject: str = ""
    head: str = ""
    previous: str = ""
    counting: bool = False  # the sub-clause before counts sites with a verb (a list of bare counts goes on)
    last_name: str = ""
    parts: bool = False  # after 其中: the sub-clauses name parts of what came before
    scope: str = ""  # 在市直单位中,…: the units of the share after it
    whole: set[str] = field(default_factory=set)  # indicators named before 其中
    out: list[ParsedTarget] = field(default_factory=list)


#: ``街镇“宝宝屋”的覆盖率`` → ``街镇宝宝屋覆盖率``: quotes inside a name, 的 before its head.
_INNER_QUOTES = re.compile(r"(?<=[\u4e00-\u9fff])[“”\"'](?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[“”\"'](?=的)")
_OF_HEAD = re.compile(r"的(?=(?:覆盖率|普及率|比例|占比|达标率|合格率|入学率|入园率)$)")


#: Book-title marks around a standard named inside an indicator (``《学生体质健康标准》达标率``).
_INNER_TITLE_RE = re.compile(r"(?<=[\u4e00-\u9fff])《([^《》]{2,20})》(?=[\u4e00-\u9fff])")


def _clean_subject(s: str) -> str:
    s = _OF_HEAD.sub("", _INNER_QUOTES.sub("", _PER_UNIT.sub("", _INNER_TITLE_RE.sub(r"\1", s))))
    prev = None
    while prev != s:
        prev = s
        s = _LEADING_JUNK.sub("", without_conditions(without_framing(s)))
        s = _TRAILING_JUNK.sub("", s)
        s = _strip_unpaired(s.strip(",;:、。\"“”'"))
    return s


def _strip_unpaired(s: str) -> str:
    """Brackets at either end that pair nothing inside the phrase, or wrap all of it; a closing one
    that pairs an opening one inside (``乡镇(街道)``) is part of the name."""
    def depth(x: str) -> int:
        return x.count("(") + x.count("（") - x.count(")") - x.count("）")

    prev = None
    while prev != s:
        prev = s
        if len(s) > 2 and s[0] in "(（" and s[-1] in ")）" and not re.search(r"[()（）]", s[1:-1]):
            s = s[1:-1]
        if s and s[0] in ")）" or s and s[0] in "(（" and depth(s) > 0:
            s = s[1:]
        if s and s[-1] in "(（" or s and s[-1] in ")）" and depth(s) < 0:
            s = s[:-1]
        s = s.strip(",;:、。\"“”'")
    return s


def _resolve(
    phrase: str,
    ctx: _Ctx,
    extra_suffixes: tuple[str, ...] = (),
    exact_only: bool = False,
    near_exact: bool = False,
) -> Indicator | None:
    if not phrase or ctx.indicators is None:
        return None
    return resolve_indicator(phrase, ctx.indicators, extra_suffixes, exact_only, near_exact)


_ENUM_DENG = re.compile(r"((?:[\u4e00-\u9fff]{1,10}、)+[\u4e00-\u9fff]{1,8})等")


def _without_examples(subject: str, ctx: _Ctx) -> str | None:
    """``公益性儿童教育、科技、体育等校外活动场所`` → ``公益性儿童校外活动场所`` if that is known."""
    m = _ENUM_DENG.search(subject)
    if m is None:
        return None
    first = m.group(1).split("、")[0]
    for k in range(len(first) + 1):
        cand = subject[: m.start()] + first[:k] + subject[m.end():]
        if _resolve(cand, ctx, ("数量", "数"), exact_only=True) is not None:
            return cand
    return None


def _split_items(subject: str, ctx: _Ctx, n_values: int, force: bool) -> list[str]:
    """Split ``A、B和C率`` into indicator names, sharing heads and prefixes."""
    reduced = _without_examples(subject, ctx)
    if reduced:
        return [reduced]
    whole = _resolve(subject, ctx)
    if whole is not None and n_values <= 1 and not force and _resolve(subject, ctx, exact_only=True):
        return [subject]
    parts = [p for p in _SPLIT_ITEMS.split(subject) if p]
    if len(parts) <= 1:
        return [subject]
    # 县(市、区)、乡(镇)…: a bracket's commas name the level's peers, no items of their own
    levels = _levels_of_government([p for p in re.split(rf"(?:{_SPLIT_ITEMS.pattern})(?![^()]*\))", subject) if p])
    if levels and len({getattr(_resolve(n, ctx), "id", n) for n in levels}) == len(levels):
        return levels  # not 村、社区儿童之家覆盖率: one indicator of both
    items = _share_heads(parts, ctx)
    if n_values <= 1 and not force:
        ids = [getattr(_resolve(i, ctx), "id", None) for i in items]
        if None not in ids and len(set(ids)) == len(ids):
            return items  # 宫颈癌和乳腺癌人群筛查率: each part a known indicator
        if whole is None and any(ids):
            return items
        if whole is None and all(_role_tail(p, parts[-1]) for p in parts[:-1]):
            return items  # 高血压、糖尿病患者规范管理率: two rates, each of its own patients
        rates = (_rates_of_one_group(parts) or group_rates(parts, subject, level=True)) if whole is None else None
        return rates or _kinds_before_de(parts) or [subject]
    return items


#: A level of government or of the places it runs, a bracket naming its peers (``市(州)``, ``乡镇(街道)``).
_GOV_LEVEL = r"(?:省|设区市|地级市|县级市|市|州|盟|县|区|旗|乡镇|乡|镇|街道|村|社区)(?:\([\u4e00-\u9fff、]{1,6}\))?"
_GOV_LEVEL_RE = re.compile(_GOV_LEVEL)
_GOV_LEVEL_TAIL_RE = re.compile(rf"^(?P<level>{_GOV_LEVEL})(?P<tail>(?![三四五两]?级)[\u4e00-\u9fff]{{4,}})$")


def _levels_of_government(parts: list[str]) -> list[str] | None:
    """``市(州)、县(市区)、乡镇(街道)党政正职女干部数量占比`` → the share at each level: levels of government
    listed before what the last one is followed by (not ``省、市、县三级…``: the three levels together)."""
    last = _GOV_LEVEL_TAIL_RE.match(parts[-1])
    if last is None or not all(_GOV_LEVEL_RE.fullmatch(p) for p in parts[:-1]):
        return None
    return [p + last.group("tail") for p in parts[:-1]] + [parts[-1]]


def _kinds_before_de(parts: list[str]) -> list[str] | None:
    """``小学、初中和普通高中的体育教师配备`` → ``小学体育教师配备``, ``初中体育教师配备``, ``普通高中体育教师配备``:
    bare kinds (:func:`_kinds_list`) whose last one is followed by 的 and what is measured of each."""
    if not _kinds_list(parts):
        return None
    kind, de, tail = parts[-1].partition("的")
    if not de or not 2 <= len(kind) <= 8 or _HEAD_RE.search(kind) or len(tail) < 2:
        return None
    return [p + tail for p in parts[:-1]] + [kind + tail]


#: A later item of a list of rates of one group: a short rate (``肥胖率``), then what of it is measured
#: (``年均增幅``), if anything.
_SHORT_RATE_RE = re.compile(r"^(?P<rate>[\u4e00-\u9fff]{1,3}率)(?P<tail>[\u4e00-\u9fff]{0,6})$")


#: People a rate is measured on, ending the group the first item of a list of rates names.
_GROUP_END_RE = re.compile(r"(?:儿童|青少年|学生|居民|妇女|女性|男性|人群|老年人|老人|孕产妇|孕妇|产妇|婴儿|婴幼儿|幼儿|成人|人口|职工|女童|病|癌|症)$")


def _rates_of_one_group(parts: list[str]) -> list[str] | None:
    """``城镇居民吸烟率和饮酒率年均增幅`` → ``城镇居民吸烟率年均增幅``, ``城镇居民饮酒率年均增幅``: rates of the group the
    first item names, each measured as the last item's tail says; None when the list is no such list."""
    later = [_SHORT_RATE_RE.match(p) for p in parts[1:]]
    if not all(later) or any(m.group("tail") for m in later[:-1]) or "率" in later[-1].group("tail"):
        return None
    n = len(later[0].group("rate"))
    first = parts[0]
    if not first.endswith("率") or len(first) < n + 2 or "率" in first[:-1]:
        return None
    group, tail = first[:-n], later[-1].group("tail")
    if not _GROUP_END_RE.search(group):
        return None  # 低出生体重发生率和早产率: no group before the rate's own word
    return [first + tail] + [group + m.group("rate") + tail for m in later]


#: A cause or a population written before the first item of a list qualifies every item:
#: ``出生缺陷导致的婴儿死亡率、5岁以下儿童死亡率``, ``流动人口中婴儿和5岁以下儿童死亡率``.
_CAUSE_PREFIX = re.compile(
    r"^[\u4e00-\u9fff]{1,12}?(?:(?:导致|所致|引起|引发|造成)的?|(?:人口|人群|群体|家庭|地区)中的?)"
    r"|^[\u4e00-\u9fff]{1,8}?(?:参加|参与|享有|享受|纳入)(?=[\u4e00-\u9fff]{2})"  # 妇女参加医疗、养老保险比例
)


def _share_heads(parts: list[str], ctx: _Ctx) -> list[str]:
    """``新生儿、婴儿和5岁以下儿童死亡率`` → each part gets the head ``死亡率``; later parts the
    prefix, and a cause written before the first part (``出生缺陷导致的``)."""
    cause = _CAUSE_PREFIX.match(parts[0])
    if cause:
        parts = [parts[0]] + [p if p.startswith(cause.group(0)) else cause.group(0) + p for p in parts[1:]]
    last, first = parts[-1], parts[0]
    out: list[str] = []
    tail = ""  # what the first item took from the last one (``艾滋病`` + ``的母婴传播率``)
    for i, part in enumerate(parts):
        name = None
        for exact in (True, False):
            if not exact and 0 < i < len(parts) - 1 and tail and not _HEAD_RE.search(part):
                name = part + tail  # 艾滋病、乙肝、梅毒的母婴传播率: 乙肝 takes the tail 艾滋病 took
                break
            if not exact and i < len(parts) - 1:
                name = _parallel_tail(part, last) or span_tail(part, last)
                if name is not None:
                    break
            if _resolve(part, ctx, exact_only=exact) is not None:
                name = part
            elif i < len(parts) - 1:
                name = _tail_match(part, last, ctx, exact)
            if name is None and i > 0:
                name = _with_prefix(part, first, ctx, exact_only=exact)
            if name is None and 0 < i < len(parts) - 1:
                name = _prefix_and_tail(part, first, last, ctx, exact)
            if name is not None:
                break
        if name is None:
            name = _with_tail(part, last) if i < len(parts) - 1 else part
        if i == 0 and name != part and name.startswith(part) and last.endswith(name[len(part):]):
            tail = name[len(part):]
        out.append(name)
    return out


def _parallel_tail(part: str, last: str) -> str | None:
    """A short qualifier parallel to the last item's opening (same length, same last character:
    ``三级`` / ``二级妇幼保健院…的比例``, ``省级`` / ``市级医院…``) takes the rest of the last item."""
    n = len(part)
    if not 2 <= n <= 4 or _HEAD_RE.search(part) or len(last) <= n + 1:
        return None
    if last[n - 1] != part[-1] or last[:n] == part or not re.fullmatch(r"[\u4e00-\u9fff]+", last[:n]):
        return None
    return part + last[n:]


def _prefix_and_tail(part: str, first: str, last: str, ctx: _Ctx, exact: bool) -> str | None:
    """A middle item takes both: ``孕产妇艾滋病、梅毒和乙肝检测率`` → ``孕产妇梅毒检测率``."""
    for k in range(len(first) - 1, 0, -1):
        for j in range(1, len(last)):
            cand = first[:k] + part + last[j:]
            if _resolve(cand, ctx, exact_only=exact) is not None:
                return cand
    return None


def _tail_match(part: str, last: str, ctx: _Ctx, exact: bool) -> str | None:
    for k in range(1, len(last)):
        cand = part + last[k:]
        if _resolve(cand, ctx, exact_only=exact) is not None:
            return cand
    return None


#: A group of people and what follows it up to a rate's head, at the end of the last item of a list
#: (``糖尿病患者规范管理率``): the tail each earlier item shares.
_ROLE_TAIL_RE = re.compile(
    r"(?:感染)?(?:患者|病人|人群|儿童|妇女|学生|孕产妇|老年人|婴幼儿|居民)[\u4e00-\u9fff/]*?(?:率|比例|比重|占比)$"
)


def _role_tail(part: str, last: str) -> str | None:
    """``高血压`` + ``糖尿病患者规范管理率`` → ``高血压患者规范管理率``, ``艾滋病`` + ``梅毒感染孕产妇配偶/性伴检测率``
    → ``艾滋病感染孕产妇配偶/性伴检测率``: an item that names only what sets it apart (a disease, no group, no
    head) takes the group (the infected of it) and the head the last item names after its own qualifier;
    None when the item is no such bare qualifier."""
    m = _ROLE_TAIL_RE.search(last)
    if m is None or m.start() < 2 or not 2 <= len(part) <= 6 or not re.fullmatch(r"[\u4e00-\u9fff]+", part):
        return None
    if part.startswith("被"):
        return None  # 被拐骗、买卖儿童: what befell one group, not a group of its own
    if _HEAD_RE.search(part) or m.group(0)[:2] in part or re.search(r"[儿童人者妇生员民女男]$", part):
        return None  # 新生儿、…儿童死亡率: a group of its own, not a qualifier of the last one's
    return part + m.group(0)


#: A share of women among the members of the body the last item names (``教职工代表大会中女代表比例``): every
#: body listed before it takes the same tail.
_AMONG_TAIL_RE = re.compile(r"中的?(?:女性|女|妇女)[\u4e00-\u9fff]{0,4}(?:比例|比重|占比)$")


def _with_tail(part: str, last: str) -> str:
    """``新生儿`` + head of ``5岁以下儿童死亡率`` → ``新生儿死亡率``, ``高血压`` + ``糖尿病患者规范管理率`` →
    ``高血压患者规范管理率`` (for names not in the dictionary)."""
    shared = _role_tail(part, last)
    if shared:
        return shared
    among = _AMONG_TAIL_RE.search(last)
    if among and len(part) >= 3 and not _HEAD_RE.search(part) and not _AMONG_TAIL_RE.search(part):
        return part + among.group(0)  # 职工代表大会、教职工代表大会中女代表比例
    head = _HEAD_RE.search(last)
    if head and not _HEAD_RE.search(part):
        if head.group(1) != "率" and re.search(r"(?:员|家|部|者|师|人|女|男|代表|委员)$", part):
            return part + head.group(1)  # 女党员、女企业家人数: people named whole share the head only
        m = re.search(r"[\u4e00-\u9fff]{0,2}" + re.escape(head.group(1)) + "$", last)
        return part + (m.group(0) if m else head.group(1))
    return part


#: An age or a span in a name (``学前三年``, ``5岁``, ``0-3岁``).
_SPAN_RE = re.compile(r"[一二三四五六七八九十两\d]+(?:年|岁|周岁|个月)")
_VALUE_STATED_RE = re.compile(rf"(?:{VERB_ALT}){ADVERBS}{NUM}")


def _with_prefix(
    part: str, first: str, ctx: _Ctx, suffixes: tuple[str, ...] = (), exact_only: bool | None = None
) -> str | None:
    modes = (True, False) if exact_only is None else (exact_only,)
    for exact in modes:
        for k in range(len(first) - 1, 0, -1):
            if _VALUE_STATED_RE.search(first[:k]):
                continue  # ``学前三年入园率达到85`` is a clause, not a prefix
            cand = first[:k] + part
            if len(set(_SPAN_RE.findall(cand))) > 1:
                continue  # 学前三年…学前一年…: one name has one age or span

            if _resolve(cand, ctx, suffixes, exact_only=exact) is not None:
                return cand
    return None


def _values(vals: str) -> list[tuple[float, float | None, str | None]]:
    """``3‰、5‰和6‰`` → [(3, None, '‰'), …]; a unit written only last applies to all."""
    out = []
    for m in VALUE_RE.finditer(vals):
        v = float(m.group("v"))
        v2 = float(m.group("v2")) if m.group("v2") else None
        unit = m.group("u2") or m.group("u")
        out.append((v, v2, unit))
    last_unit = next((u for _, _, u in reversed(out) if u), None)
    return [(v, v2, u or last_unit) for v, v2, u in out]


def _unit(u: str | None) -> str | None:
    if u is None:
        return None
    if u in ("个百分点", "百分点"):
        return "%"
    return canonical_unit(u)


def _level_comparator(
    kind: str | None, suffix: str | None, sym: str | None, polarity: str | None
) -> tuple[Comparator, bool]:
    """Comparator of a level target; second item True when it was assumed from polarity."""
    if sym:
        return _SYMBOLS.get(sym, C.GE), False
    if kind == "below":
        return C.LT, False
    if kind == "up_strict":
        return C.GT, False
    if suffix == "左右":
        return C.AROUND, False
    if suffix in ("以下", "以内", "及以下"):
        return (C.MAINTAIN_LE if kind == "maintain" else C.LE), False
    if suffix in ("以上", "及以上"):
        return (C.MAINTAIN_GE if kind == "maintain" else C.GE), False
    if kind in ("down_to", "down"):
        return C.LE, False
    if kind in ("up_floor", "up", "object"):
        return C.GE, False
    lower = polarity == "lower"
    if kind == "maintain":
        return (C.MAINTAIN_LE if lower else C.MAINTAIN_GE), False
    return (C.LE if lower else C.GE), True


_SYMBOLS = {"<": C.LT, "<=": C.LE, "≤": C.LE, ">": C.GT, ">=": C.GE, "≥": C.GE}

#: Words that bound a number, and whether the bound includes it. In Chinese legal usage
#: 以上、以下、以内、不超过 (and 不低于、不高于、不少于…) include the number itself
#: (民法典 第1259条); 低于、高于、超过、不足 (and 少于、小于、多于、大于) exclude it.
INCLUSIVE_WORDS = (
    "不超过", "不高于", "不低于", "不少于", "不多于", "不大于", "不小于", "以上", "以下", "以内",
    "及以上", "及以下", "≤", "≥", "<=", ">=",
)
EXCLUSIVE_WORDS = ("低于", "高于", "超过", "不足", "少于", "小于", "多于", "大于", "<", ">")
_BOUND_SUFFIXES = ("及以上", "及以下", "以上", "以下", "以内")
_BOUND_BEFORE_RE = re.compile(
    "("
    + "|".join(
        sorted(
            (re.escape(w) for w in INCLUSIVE_WORDS + EXCLUSIVE_WORDS if w not in _BOUND_SUFFIXES),
            key=len,
            reverse=True,
        )
    )
    + rf")(?:{ADVERBS})$"
)
_BOUND_AFTER_RE = re.compile(
    rf"^{UNIT_RE}?(?:(?:、|和|及|与|或|~|-|—|–|至|到){NUM}{UNIT_RE}?)*(及以上|及以下|以上|以下|以内)"
)


def bound_word(clause: str, value: float) -> tuple[str, bool] | None:
    """The word that bounds ``value`` in ``clause`` and whether it includes the number:
    ``降至5.0‰以下`` → ``("以下", True)``, ``超过50%`` → ``("超过", False)``; None when
    the value is not written with such a word (``达到95%``) or not found.

    A comparison word written before the number (``低于``, ``不超过``, ``<``) decides;
    else a suffix after it or after the list it ends (``分别控制在10%和5%以下``).
    """
    s = normalize_text(clause)
    for m in re.finditer(NUM, s):
        if float(m.group(0)) != float(value):
            continue
        if m.start() > 0 and (s[m.start() - 1].isdigit() or s[m.start() - 1] == "."):
            continue
        if s[m.end(): m.end() + 1] == "岁":
            continue  # 5岁以下儿童: an age group, not the target value
        before = _BOUND_BEFORE_RE.search(s[: m.start()][-12:])
        if before:
            word = before.group(1)
            return word, word in INCLUSIVE_WORDS
        after = _BOUND_AFTER_RE.match(s[m.end():])
        if after:
            return after.group(1), True
    return None


# --------------------------------------------------------------------------- emitters


#: A measure of a programme's own population (``目标人群覆盖率``): the programme is named before it.
_PROGRAMME_RE = re.compile(
    r"(?:抓好|落实|实施|开展|推进|做好|推广|深化|扩大)(?P<p>[\u4e00-\u9fff“”\"]{4,20}?)(?:项目|工程|行动)"
)


def _with_programme(name: str, ctx: _Ctx) -> str:
    """``目标人群覆盖率`` after ``抓好免费孕前优生健康检查项目落实`` → ``免费孕前优生健康检查目标人群覆盖率``: a
    measure of the target population takes the last programme the sentence names before it."""
    if not name.startswith("目标人群"):
        return name
    clause = normalize_text(ctx.clause)
    found = [m for m in _PROGRAMME_RE.finditer(clause[: max(clause.find(name), 0)])]
    return re.sub(r"[“”\"]", "", found[-1].group("p")) + name if found else name


def _emit(ctx: _Ctx, name: str, comparator: Comparator, value=None, value_high=None, unit=None,
          baseline=None, flags=(), extra_suffixes: tuple[str, ...] = ()) -> None:
    name = short_disease_names(_with_programme(_clean_subject(name), ctx))
    if not name:
        return
    if _resolve(name, ctx, extra_suffixes) is None:
        name = people_share_name(name, unit)  # 女代表候选人不低于30%: the share of those people
        name = with_school_level(name, ctx.last_name)  # 初中入学率…,巩固率…: the level written once
    ind = _resolve(name, ctx, extra_suffixes)
    if ind is not None and not re.search(r"数量?$", name) and _unit_mismatch(ind, value, unit, comparator):
        ind = None  # 教师配备不少于50% is no count of teachers (名): another quantity, named alike
    fl = list(flags)
    if ind is None:
        fl.append("unknown_indicator")
    year = ctx.year if ctx.year is not None else ctx.default_year
    if year is None:
        fl.append("no_year")
    if comparator in (C.RELATIVE_DECREASE_PCT, C.RELATIVE_INCREASE_PCT) and baseline is None:
        fl.append("no_baseline")
    if unit is None and ind is not None and value is not None and comparator not in _PCT_COMPARATORS:
        unit = ind.unit
    elif _lost_permille(ind, value, unit, comparator):
        unit = "‰"  # 婴儿死亡率控制在10%以下 in a copy that lost its ‰ signs
        fl.append("unit_from_dictionary")
    ctx.last_name = name
    ctx.out.append(
        ParsedTarget(
            indicator=ind.id if ind else None,
            indicator_zh=name,
            comparator=comparator,
            value=value,
            value_high=value_high,
            unit=unit,
            year=year,
            baseline_year=baseline,
            clause=ctx.clause,
            flags=list(dict.fromkeys(fl)),
        )
    )


def _unit_mismatch(ind: Indicator, value: float | None, unit: str | None, comparator: Comparator) -> bool:
    """A level in per cent of an indicator the dictionary counts in a unit no per cent converts to
    (``名``, ``所``, ``岁``): a name that does not say it counts (no 数) matched another quantity."""
    if value is None or unit != "%" or comparator in _PCT_COMPARATORS:
        return False
    return conversion_factor("%", ind.unit) is None


def _lost_permille(ind: Indicator | None, value: float | None, unit: str | None, comparator: Comparator) -> bool:
    """A level in per cent of an indicator the dictionary counts per thousand (mortality rates)
    that is implausible as written and plausible in ‰ (``婴儿死亡率控制在10%以下``: 10‰, not
    100‰): the copy lost its ‰ sign. ``0.5%`` (5‰) stays as written."""
    if ind is None or ind.unit != "‰" or unit != "%" or value is None or comparator in _PCT_COMPARATORS:
        return False
    return is_plausible(ind.id, value * 10) is False and is_plausible(ind.id, value) is True


_PCT_COMPARATORS = {
    C.RELATIVE_DECREASE_PCT, C.RELATIVE_INCREASE_PCT, C.ANNUAL_DECREASE_PCT, C.ANNUAL_INCREASE_PCT,
    C.ANNUAL_DECREASE_PTS, C.ANNUAL_INCREASE_PTS,
}


#: Places that split a rate in two, written after its name (``婚前医学检查率到2005年城市要达到98%``)
#: or alone for the other half (``农村要达到86%``).
_PLACE = r"城市|城镇|城区|农村|乡村"
_TRAILING_PLACE_RE = re.compile(rf"^(?P<name>.{{2,}}?(?:率|比例|比重|占比))(?P<place>{_PLACE})$")
_PLACE_RE = re.compile(rf"^(?:{_PLACE})")


def _placed_subject(ctx: _Ctx, subj: str) -> str:
    """``婚前医学检查率城市`` → ``城市婚前医学检查率``; a place alone (``农村``) after such a name →
    that place's rate of the same name (``农村婚前医学检查率``)."""
    m = _TRAILING_PLACE_RE.match(subj)
    if m:
        return m.group("place") + m.group("name")
    if re.fullmatch(_PLACE, subj) and ctx.subject:
        base = _PLACE_RE.sub("", ctx.subject)
        if base != ctx.subject and _HEAD_RE.search(base):
            return subj + base
    return subj


def _subject_or_inherited(ctx: _Ctx, raw: str) -> str:
    subj = _placed_subject(ctx, _clean_subject(raw))
    if subj and _looks_like_subject(subj, ctx):
        ctx.subject = subj
        return subj
    return ctx.subject if not subj or len(subj) < 2 else subj


def _looks_like_subject(subj: str, ctx: _Ctx) -> bool:
    return bool(_HEAD_RE.search(subj)) or _resolve(subj, ctx) is not None or len(subj) >= 2


def _parse_relative(s: str, ctx: _Ctx) -> str:
    m = RELATIVE_RE.search(s)
    if m is None or (not re.search(r"(以|比|较|与|相比)\d{4}年|为基|基础上", m.group(0))):
        m = None
    if m is not None:
        subj = _subject_or_inherited(ctx, s[: m.start()])
        comp = C.RELATIVE_DECREASE_PCT if m.group("dir") in DOWN_WORDS + ("降低",) else C.RELATIVE_INCREASE_PCT
        if m.group("dir") in ("下降", "降低", "减少"):
            comp = C.RELATIVE_DECREASE_PCT
        values = [float(m.group("v"))] + [float(v) for v in re.findall(NUM, m.group("more"))]
        names = _split_items(subj, ctx, len(values), len(values) > 1)
        if len(values) > 1 and len(names) != len(values):
            names, values = [subj], values[:1]
        for name, value in zip(names, values * len(names) if len(values) == 1 else values, strict=False):
            base = int(m.group("base")) if m.group("base") else None
            _emit(ctx, name, comp, value, unit="%", baseline=base)  # 婴儿和5岁以下儿童死亡率: each
        return s[: m.start()] + "\x00" + s[m.end():]
    m = _AMOUNT_RISE_RE.search(s)
    if m is not None and _AMOUNT_TAIL_RE.search(_clean_subject(s[: m.start()])):
        _emit_amount_changes(ctx, _clean_subject(s[: m.start()]), m)
        return s[: m.start()] + "\x00" + s[m.end():]
    m = PLAIN_RELATIVE_RE.search(s)
    if m is not None:
        subj = _subject_or_inherited(ctx, s[: m.start()])
        comp = C.RELATIVE_INCREASE_PCT if m.group("dir") == "增长" else C.RELATIVE_DECREASE_PCT
        _emit(ctx, subj, comp, float(m.group("v")), unit="%")
        return s[: m.start()] + "\x00" + s[m.end():]
    return s


#: A change of an amount of money by a per cent (``补助标准提高10%``): relative, as a standard or an allowance is
#: no share; no base year is written (the amount in force).
_AMOUNT_RISE_RE = re.compile(
    rf"(?:分别|均|都)?(?:再|继续|进一步)?(?P<dir>提高|提升|上调|增加|增长|下调|降低)(?P<v>{NUM})%(?P<suf>以上|左右)?(?=$|[,;。])"
)
#: The amount's name at the end of a subject (``…儿童基本生活保障标准``, ``…护理补贴``).
_AMOUNT_TAIL_RE = re.compile(
    r"(?:基本生活|最低生活|生活)?(?:保障|救助|供养|养育|护理|抚育)?(?:费|补贴|补助|津贴)?(?:标准|金额)$"
    r"|(?:保障|救助|供养|养育|护理|抚育)?(?:补贴|补助|津贴)$"
)


def _emit_amount_changes(ctx: _Ctx, subj: str, m: re.Match) -> None:
    """``将A、B、C基本生活保障标准分别提高10%`` → the relative rise of each group's standard
    (``A基本生活保障标准``, …); one amount when the subject lists no groups."""
    tail = _AMOUNT_TAIL_RE.search(subj)
    items = [i for i in re.split(r"、", subj) if i]
    last_group = items[-1][: len(items[-1]) - len(tail.group(0))] if tail and len(items) > 1 else ""
    names = [i + tail.group(0) for i in items[:-1]] + [items[-1]] if last_group and tail else [subj]
    comp = C.RELATIVE_DECREASE_PCT if m.group("dir") in ("下调", "降低") else C.RELATIVE_INCREASE_PCT
    for name in names:
        _emit(ctx, name, comp, float(m.group("v")), unit="%")


#: ``在2020年基础上`` before an annual change: its base year, not part of the name.
_BASE_YEAR_RE = re.compile(
    r"(?:在|以|比|较|与|同)?(?P<base>(?:19|20)\d{2})年(?:的)?(?:数据|数值)?(?:基础上|水平上|为基数|为基期|为基准|相比|比较)"
)


def _parse_annual(s: str, ctx: _Ctx) -> str:
    m = ANNUAL_RE.search(s)
    if m is None:
        return s
    raw = s[: m.start()]
    base = _BASE_YEAR_RE.search(raw)
    if base is not None:
        raw = raw[: base.start()] + raw[base.end():]
    subj = _subject_or_inherited(ctx, re.sub(r"(力争|争取|要|将|确保)$", "", raw))
    down = m.group("dir") in ("下降", "降低", "减少", "降")
    pts = "百分点" in m.group("u")
    comp = {
        (True, True): C.ANNUAL_DECREASE_PTS,
        (True, False): C.ANNUAL_DECREASE_PCT,
        (False, True): C.ANNUAL_INCREASE_PTS,
        (False, False): C.ANNUAL_INCREASE_PCT,
    }[(down, pts)]
    v2 = float(m.group("v2")) if m.group("v2") else None
    for name in _split_items(subj, ctx, 1, False):  # 总体近视率和患龋率…每年降低: each item
        _emit(ctx, name, comp, float(m.group("v")), v2, unit=None if pts else "%",
              baseline=int(base.group("base")) if base else None)
    return s[: m.start()] + "\x00" + s[m.end():]


#: A change by an amount in a unit of its own (``在2020年基础上继续提高1岁左右``, ``比2020年增加0.5年``, in words
#: too: ``要增加一岁``, ``增加半小时``):
#: the plan asks for a rise (or a fall) of the level, not for a level of that size.
_BY_AMOUNT_RE = re.compile(
    rf"(?:(?:在|以|比|较|与|同)?(?P<base>(?:19|20)\d{{2}})年(?:的)?(?:基础上|水平上|为基数|为基础|相比)?)?"
    rf"(?:再|继续|进一步|力争|争取|平均)*(?P<dir>提高|增加|延长|提升|增长|上升|降低|下降|减少|缩短)(?![到至了])"
    rf"(?P<v>{NUM}|[一两二三四五六七八九十半]{{1,3}})(?P<u>岁|年|个月|天|小时|分钟|厘米|公斤|千克)(?:左右|以上)?(?=$|[,;。])"
)


def _parse_by_amount(s: str, ctx: _Ctx) -> str:
    """``人均预期寿命在2020年基础上继续提高1岁左右`` → a rise of 人均预期寿命 (base year kept)."""
    m = _BY_AMOUNT_RE.search(s)
    if m is None or m.start() == 0:
        return s
    subj = _subject_or_inherited(ctx, s[: m.start()])
    down = m.group("dir") in ("降低", "下降", "减少", "缩短")
    base = int(m.group("base")) if m.group("base") else None
    _emit(ctx, subj, C.DECREASE if down else C.INCREASE, baseline=base)
    return s[: m.start()] + "\x00" + s[m.end():]


#: A scheme that is to cover every one of a kind (``工伤保险覆盖城乡所有用人单位``): a coverage of 100 %.
_COVERS_ALL_RE = re.compile(
    r"(?P<x>[\u4e00-\u9fff]{2,12}?)(?:要|将|逐步|基本)?覆盖(?:到)?(?:城乡|全省|全市|全区|全县|辖区)?(?:所有|全部)"
    r"(?P<y>[\u4e00-\u9fff]{2,10})(?=$|[。;,])"
)


def _parse_covers_all(s: str, ctx: _Ctx) -> str:
    m = _COVERS_ALL_RE.search(s)
    if m is None:
        return s
    x = _clean_subject(m.group("x"))
    if len(x) < 2:
        return s
    _emit(ctx, f"{x}覆盖{m.group('y')}", C.GE, 100.0, unit="%", extra_suffixes=_COVERAGE_SUFFIXES)
    return s[: m.start()] + "\x00" + s[m.end():]


def _parse_coverage(s: str, ctx: _Ctx) -> str:
    m = COVERAGE_RE.search(s)
    if m is None:
        return _parse_covers_all(s, ctx)
    raw = s[: m.start()]
    count = {"两": 2, "二": 2, "双": 2, "三": 3, "四": 4}.get(m.group("n") or ("双" if "双" in m.group(0) else ""), 1)
    screenings = screenings_covered(_LEADING_JUNK.sub("", raw)) if count == 1 else None
    names = _coverage_subjects(raw, count) if count > 1 else (screenings or [raw])
    for raw_name in names:
        subj = _subject_or_inherited(ctx, raw_name)
        ind = _resolve(subj, ctx, _COVERAGE_SUFFIXES)
        if ind is None:
            subj = _expand_from_context(subj, ctx, _COVERAGE_SUFFIXES) or subj
            ind = _resolve(subj, ctx, _COVERAGE_SUFFIXES)
        place = _PLACES_AFTER_RE.search(subj)
        if ind is None and place and place.start() > 0:
            moved = subj[place.start():] + subj[: place.start()]  # 儿童之家城乡社区 → 城乡社区儿童之家
            if _resolve(moved, ctx, _COVERAGE_SUFFIXES) is not None:
                subj, ind = moved, _resolve(moved, ctx, _COVERAGE_SUFFIXES)
        placed = _PLACES_BEFORE_RE.match(subj)
        if ind is None and placed and _resolve(subj[placed.end():], ctx, _COVERAGE_SUFFIXES) is not None:
            ind = _resolve(subj[placed.end():], ctx, _COVERAGE_SUFFIXES)  # 城镇社区“15分钟健身圈”: where it is covered
            subj = subj[placed.end():]
        last = re.split(r"或|和|及|与", subj)[-1]
        if ind is None and not screenings and not _COVERED_HEAD_RE.search(_PLACES_AFTER_RE.sub("", last)) \
                and not _COVERED_KIND_RE.match(last):
            continue  # 学前教育公共服务体系全覆盖: an aim, not a countable coverage
        _emit(ctx, subj, C.GE, 100.0, unit="%", extra_suffixes=_COVERAGE_SUFFIXES)
    return s[: m.start()] + "\x00" + s[m.end():]


_COVERAGE_SUFFIXES = ("覆盖率", "配备覆盖率", "率")
#: The places a coverage runs over, written before the thing covered (``城镇社区“15分钟健身圈”全覆盖``).
_PLACES_BEFORE_RE = re.compile(r"^(?:全省|全市|全区|全县)?(?:城乡|城镇|城市)(?:社区|街道)")


def _coverage_subjects(raw: str, count: int) -> list[str]:
    """``儿童督导员、儿童主任配备以及新任职培训`` + 两个全覆盖 → the staffing and the training of
    the same people: later parts borrow the object of the first."""
    parts = [p for p in re.split(r"以及|和|及|与", raw) if p]
    if len(parts) != count:
        return [raw]
    first = parts[0]
    m = re.search(r"(配备|配置|建设|设立|建立|覆盖|培训|到位)$", first)
    obj = first[: m.start()] if m else first
    obj = re.sub(r"^(街道|乡镇|社区|村|区级|县级|市级)", "", obj)
    return [first] + [p if len(p) > 6 else obj + p for p in parts[1:]]


def _expand_from_context(name: str, ctx: _Ctx, suffixes: tuple[str, ...]) -> str | None:
    """A short name (``工作站``) written in full earlier in the sentence
    (``…设立未成年人保护工作站…``): the fuller phrase if that names a known indicator."""
    first = re.split(r"或者|或|和|及|与", name)[0]
    if len(first) < 2:
        return None
    text = normalize_text(ctx.clause)
    for m in re.finditer(re.escape(first), text):
        before = text[: m.start()]
        run = re.search(r"[\u4e00-\u9fff]{1,14}$", before)
        if run is None:
            continue
        prefix = run.group(0)
        for k in range(len(prefix)):
            cand = prefix[k:] + first
            if _resolve(cand, ctx, suffixes, near_exact=True) is not None:
                return cand
    return None


def _predicates(s: str) -> list[re.Match]:
    """Value phrases that state a target (not numbers inside names like 5岁以下儿童)."""
    found = []
    for m in PRED_RE.finditer(s):
        verb, sym, suf = m.group("verb"), m.group("sym"), m.group("suf")
        after = s[m.end():]
        if verb is None and sym is None and suf is None and not _bare_rate_at_end(s, m):
            continue
        if verb is None and sym is None and not re.match(PRED_END, after) and not _object_follows(m, after):
            continue
        if verb is not None and _VERB_KIND[verb] == "neutral" and not (suf or sym):
            vals = _values(m.group("vals"))
            if not vals or vals[0][2] is None:
                continue
            if vals[0][2] in COUNT_UNITS and not _object_follows(m, after):
                continue
        if not re.match(PRED_END, after) and not _object_follows(m, after):
            continue
        found.append(m)
    return found


_RATE_UNITS = {"%", "‰", "/10万", "1/10万", "/万", "1/万"}


#: Head nouns after which a bare value with any unit is the target (``托位数4.5个``).
_BARE_HEAD_RE = re.compile(r"(?:数|率|比例|比重|占比|面积|时间|年限|寿命)$")


def _bare_rate_at_end(s: str, m: re.Match) -> bool:
    """``学前教育毛入园率90%—95%``, ``每千人口拥有3岁以下婴幼儿托位数4.5个``: a rate (or a value
    with its unit after a head noun) written right after a name, ending the clause."""
    vals = _values(m.group("vals"))
    return (
        m.end() == len(s)
        and m.start() > 0
        and bool(re.match(r"[\u4e00-\u9fff)]", s[m.start() - 1]))
        and bool(vals)
        and (vals[-1][2] in _RATE_UNITS or (vals[-1][2] is not None and bool(_BARE_HEAD_RE.search(s[: m.start()]))))
    )


#: Places of a kind named after a count of the people in them (``500人以上的幼儿园``): a class of size.
_SIZE_CLASS_RE = re.compile(
    r"^(?:以上|以下)?的?[\u4e00-\u9fff]{0,8}?(?:学校|中学|小学|幼儿园|托育机构|机构|企业|单位|医院|社区|村|园)(?:$|[^\u4e00-\u9fff]|[和、及与要应须均都至])"
)


def _object_follows(m: re.Match, after: str) -> bool:
    """``配备1名全科医生``, ``不少于1课时的劳动教育课程``: the value counts what follows."""
    vals = _values(m.group("vals"))
    unit = vals[-1][2] if vals else None
    if unit and unit not in _RATE_UNITS and re.match(r"的[\u4e00-\u9fff]{2}", after):
        return True
    if unit in _UNIT_HEAD and _UNIT_HEAD[unit] == "时间" and _TIME_OBJECT_RE.match(after):
        return True  # 每天1小时以上体育活动时间: the time of what follows
    return bool(after) and unit in COUNT_UNITS and bool(re.match(r"[\u4e00-\u9fff]", after))


#: A time named after its value (``1小时以上体育活动时间``).
_TIME_OBJECT_RE = re.compile(r"[\u4e00-\u9fff]{1,12}时间(?=$|[,;。])")


def _parse_levels(s: str, ctx: _Ctx) -> bool:
    preds = _predicates(s)
    if not preds:
        return False
    start = 0
    for i, m in enumerate(preds):
        nxt = preds[i + 1].start() if i + 1 < len(preds) else len(s)
        after = s[m.end(): nxt]
        _emit_level(ctx, s[start: m.start()], m, after)
        start = m.end() + (len(after) if _object_follows(m, after) else 0)
    tail = s[preds[-1].end():]
    if tail.startswith("、") and not _object_follows(preds[-1], tail):
        _parse_direction(tail[1:], ctx)  # ``A率达到50%以上、B率逐年提高``: the next item only aims at a change
    return True


#: A bound or a frequency that makes one time a count to reach (``至少开展1次``, ``每年开展一次``).
_TIMES_BOUND_RE = re.compile(r"至少|不少于|不低于|以上|每(?:天|日|周|月|季度|半年|年|学年|学期|所|个|家|名)|平均")


def _once_as_a_manner(raw: str, m: re.Match, vals: list) -> bool:
    """One time with neither a bound nor a frequency (``免费开展一次…筛查``): how a service is
    given to each, not a number of times to reach."""
    return (
        len(vals) == 1 and vals[0][2] == "次" and vals[0][0] == 1 and vals[0][1] is None
        and not _TIMES_BOUND_RE.search(raw[-6:] + m.group(0))
    )


def _emit_level(ctx: _Ctx, before: str, m: re.Match, after: str) -> None:
    if _AS_A_RULE.search(before):
        return  # 面积一般不低于10平方米: a standard each room or place meets as a rule, not a level to reach
    verb = m.group("verb")
    kind = _VERB_KIND.get(verb) if verb else None
    vals = _values(m.group("vals"))
    obj = ""
    if _object_follows(m, after):
        obj = re.split(r"[,;。]", after)[0]
        obj = re.sub(r"(以上|以下|左右|等)$", "", obj).removeprefix("的")  # 打造100个社区服务站点等
    force = "分别" in (m.group("adv") or "") or "分别" in before or len(vals) > 1
    raw = before.strip("、和及与并且")
    if _all_named(raw):  # ``2周内诊断率、2周内治疗率均达到90%``, ``A率和B率达到90%以上``
        force = True  # ``2周内诊断率、2周内治疗率均达到90%``: each rate of the list
        raw = _EXAMPLES_RE.sub("", raw)  # the examples before 等 are not items of the list
    if obj and _once_as_a_manner(raw, m, vals):
        return  # 免费开展一次宫颈癌筛查: the service given once to each, not a count to reach
    if obj and not verb and vals and vals[-1][2] in ("人", "名") and _SIZE_CLASS_RE.match(obj):
        return  # 1000人以上的中小学校: schools of that size, named for what they must do, not a count to reach
    if obj and _OWN_PARTS_RE.fullmatch(obj):
        return  # 着力推进3项实事: the text's count of its own projects or aims, not a target
    if obj:
        names = [_object_subject(ctx, raw, obj, verb or "", vals[-1][2] if vals else None)]
        if verb == "有" and not (_COVERED_HEAD_RE.search(obj) or _WOMEN_RE.fullmatch(obj)) and _resolve(names[0], ctx) is None:
            return  # 让他们拥有一个光明的未来: to have one of something uncounted is no target
    else:
        prev = ctx.subject
        subj = _subject_or_inherited(ctx, raw)
        if not subj:
            return
        suffixes = _suffixes_for(vals[0][2] if vals else None)
        spread = force or bool(re.search(r"均|都", (m.group("adv") or "") + before[-2:]))
        names = _dimension_items(subj, len(vals), spread)
        if not names:
            if _resolve(subj, ctx, suffixes) is None:
                subj = _repair_subject(subj, prev, ctx, suffixes)
            # A、B筛查率均达到90%: each kind of a list written with 、 alone (not 对A和B的孕产妇及所生儿童…均)
            each = spread and "、" in subj and not re.search(r"和|及|与", subj)
            names = _split_items(subj, ctx, len(vals), force or each)
    pairs = _pair(names, vals)
    flags = [] if len(names) == len(vals) or len(vals) == 1 else ["value_count_mismatch"]
    if len(names) == 1 and len(vals) == len(ctx.years) > 1:
        pairs, flags = [(names[0], v) for v in vals], []  # one value per listed milestone
    for name, (v, v2, u) in pairs:
        ind = _resolve(name, ctx, _suffixes_for(u))
        comp, assumed = _level_comparator(
            kind, m.group("suf"), m.group("sym"), ind.polarity if ind else None
        )
        fl = list(flags) + (["assumed_comparator"] if assumed and v2 is None else [])
        if v2 is not None and comp not in (C.AROUND,):
            if m.group("suf") in ("以上", "及以上"):
                comp, v2 = C.GE, None
            elif m.group("suf") in ("以下", "以内", "及以下"):
                v, v2, comp = v2, None, C.LE
            else:
                comp = C.RANGE
        elif v2 is not None:
            comp = C.RANGE
        _emit(ctx, name, comp, v, v2, _unit(u), flags=fl, extra_suffixes=_suffixes_for(u))


#: What a text counts of its own parts (``3项实事``, ``8大任务``): no target.
_OWN_PARTS_RE = re.compile(r"(?:大|件|项)?(?:民生)?(?:实事|重点任务|主要任务|任务|主要目标|目标|指标|重点工程)")


#: Words that state a norm each unit meets (``面积一般不低于10平方米``, ``原则上不超过``): a specification.
_AS_A_RULE = re.compile(r"(?:一般|原则上)(?:应|要|须|不)?$")


#: Words that split a population or a place in two (城市/农村, 男童/女童): written as a pair
#: before a name, each qualifies the whole name.
_DIMENSION = r"城市|城镇|城区|农村|乡村|男童|女童|男生|女生|男性|女性"
_DIMENSION_PAIR_RE = re.compile(
    rf"^(?P<pre>.*?)(?P<a>{_DIMENSION})(?:和|、|及|与|以及)(?P<b>{_DIMENSION})(?P<rest>.{{2,}})$"
)
#: ``城乡`` before a name with two values (分别…和…): the urban and the rural level; not in
#: fixed names (城乡居民医保, 城乡社区).
_URBAN_RURAL_RE = re.compile(r"^(?P<pre>.*?)城乡(?!居民|社区|基层|一体|统筹|低保|医疗救助|之间)(?P<rest>.{2,})$")
#: ``男女童``, ``男女生``, ``男女学生`` before a name: boys and girls each.
_BOTH_SEXES_RE = re.compile(r"^(?P<pre>.*?)男女(?P<who>童|生|学生)(?P<rest>.{2,})$")


def _dimension_items(subject: str, n_values: int, spread: bool) -> list[str]:
    """``城市和农村孕产妇系统管理率`` → ``城市孕产妇系统管理率``, ``农村孕产妇系统管理率``;
    ``城乡孕产妇住院分娩率`` with two values (分别) → the urban and the rural rate;
    ``小学男女童入学率`` with 均 → the boys' and the girls' rate. Empty when the subject is no
    such pair, or neither 分别/均 nor one value per item says that each is meant."""
    if not (spread or n_values == 2) or not _HEAD_RE.search(subject):
        return []
    m = _DIMENSION_PAIR_RE.match(subject)
    if m and m.group("a") != m.group("b"):
        return [m.group("pre") + m.group("a") + m.group("rest"), m.group("pre") + m.group("b") + m.group("rest")]
    m = _BOTH_SEXES_RE.match(subject)
    if m:
        return [f"{m.group('pre')}{sex}{m.group('who')}{m.group('rest')}" for sex in ("男", "女")]
    m = _URBAN_RURAL_RE.match(subject)
    if m and n_values == 2:
        return [f"{m.group('pre')}{place}{m.group('rest')}" for place in ("城市", "农村")]
    return []


#: Examples closed by 等 (``苯丙酮尿症、…等新生儿…``); not the 等 of a word (高等教育, 中等职业, 同等, 平等).
_EXAMPLES_RE = re.compile(r"^.*(?<![高中初同平对均相上])等(?![级次同于待])")


def _all_named(subject: str) -> bool:
    """Every item of a list ``A率、B率`` names its own head (rate, share, count)."""
    subject = _EXAMPLES_RE.sub("", re.sub(r"(均|都)$", "", subject))  # 苯丙酮尿症、…等新生儿…: examples
    parts = [p for p in re.split(r"、|和|及|与", _clean_subject(subject)) if p]
    return len(parts) > 1 and all(_HEAD_RE.search(p) for p in parts)


_INNER_HEAD = re.compile(r"^(?:保证|确保|要|应)?(?P<head>.+?(?:时间|率|比例|人数|数))(?P<label>[\u4e00-\u9fff]{2,8})$")


def _repair_subject(subj: str, prev: str, ctx: _Ctx, suffixes: tuple[str, ...]) -> str:
    """Complete a partial name from context: a shared prefix (``床位`` → ``每千名儿童拥有床位``),
    a shared head (``初中生`` → ``初中生每天睡眠时间``) or a fronted head
    (``每天睡眠时间小学生`` → ``小学生每天睡眠时间``)."""
    if re.search(r"和|、|及|与", subj):
        return subj
    m = _INNER_HEAD.match(subj)
    if m:
        cand = m.group("label") + m.group("head")
        if _resolve(cand, ctx, suffixes) is not None:
            ctx.head = m.group("head")
            return cand
    if ctx.head and _resolve(subj + ctx.head, ctx, suffixes) is not None:
        return subj + ctx.head
    for source in (prev, ctx.previous):
        if source and source != subj:
            found = _with_prefix(subj, source, ctx, suffixes)
            if found:
                return found
    return subj


#: How often: ``每学年``, ``平均每周``.
_QUALIFIER_RE = re.compile(r"(?:平均)?每(?:天|日|周|月|季度|半年|年|学年|学期)$")
#: Where a sentence turns from its subject to the means (``中小学、幼儿园利用家长会…``).
_MEANS_RE = re.compile(r"利用|通过|依托|借助|结合|采取|按照|根据|围绕|充分发挥|发挥")
_ACTION_RE = re.compile(
    r"^(?:设立|设置|开设|开齐|开足|开展|组织|举办|建设|新建|建成|改扩建|扩建|改建|新增|配备|培育|创建|打造|建立|推进)"
)
_BUILT_VERBS = ("建设", "新建", "建成", "改扩建", "扩建", "改建", "新增")
#: Head noun of a count in a unit: ``课时`` → ``…课时``, ``次`` → ``…次数``.
_UNIT_HEAD = {"课时": "课时", "小时": "时间", "分钟": "时间", "次": "次数", "人次": "人次"}


def _object_subject(ctx: _Ctx, raw: str, obj: str, verb: str, unit: str | None) -> str:
    """Name for ``[pre]配备1名[obj]``, ``设立平均每周不少于1课时的[obj]``, ``建设6所[obj]``,
    ``[subject]利用…每学年至少开展1次[obj]``: the first candidate that resolves."""
    pre = re.sub(r"(至少|不少于|不低于|达到|保证|确保)+$", "", raw)
    q = _QUALIFIER_RE.search(pre)
    qualifier = q.group(0) if q else ""
    pre = _clean_subject(pre[: q.start()] if q else pre)
    action = _ACTION_RE.match(pre)
    if action:
        verb = verb if _VERB_KIND.get(verb) == "object" else action.group(0)
        pre = pre[action.end():]
    if pre:
        ctx.subject = pre
    else:
        pre = _clean_subject(ctx.subject)
    head = _clean_subject(_MEANS_RE.split(pre)[0]) if _MEANS_RE.search(pre or "") else ""
    unit_head = _UNIT_HEAD.get(unit or "", "数")
    verb_word = verb if _VERB_KIND.get(verb) == "object" else ""
    if obj.endswith(unit_head) and unit_head == "时间":
        return next((c for c in (pre + qualifier + obj, qualifier + obj, obj) if _resolve(c, ctx) is not None),
                    pre + qualifier + obj)
    cands = [
        *([pre + obj + "数"] if pre else []),
        obj + qualifier + unit_head,
        *([head + qualifier + verb_word + obj + unit_head] if head else []),
        *([pre + qualifier + verb_word + obj + unit_head] if pre and qualifier else []),
        *(["新建" + obj + "数", verb + obj + "数"] if verb in _BUILT_VERBS else []),
        obj + "数",
        obj,
    ]
    if verb in _INCREMENT_VERBS:
        # ``新增6000所公办幼儿园``: an increment, never the stock of the object
        cands = [c for c in cands if c.startswith(("新建", verb))]
        for cand in cands:
            if _resolve(cand, ctx, exact_only=True) is not None:
                return cand
        return verb + obj + unit_head
    for cand in cands:
        if _resolve(cand, ctx) is not None:
            return cand
    if pre and _WOMEN_RE.fullmatch(obj):
        return pre + obj + unit_head  # the women of that body, not women at large
    place = _PER_PLACE_RE.match(pre)
    if place:  # 每个村(居)配备1名儿童主任: a count a place, named with the place
        return "每" + place.group("m") + _PLACE_SEAT_RE.sub("", place.group("place")) + obj + unit_head
    return obj + unit_head


#: A place counted one by one (``每个村(居)``, ``每所学校``, ``每个乡镇人民政府(街道办事处)``).
_PER_PLACE_RE = re.compile(r"^每(?P<m>个|所|家|一个)(?P<place>[\u4e00-\u9fff()]{1,16})$")
#: The seat of a place's government (``乡镇人民政府``, ``街道办事处``) is the place itself.
_PLACE_SEAT_RE = re.compile(r"(?<=[乡镇道区县市])(?:人民政府|政府|办事处)")


def _suffixes_for(unit: str | None) -> tuple[str, ...]:
    if unit in ("%", "‰"):
        return ("率", "比例", "覆盖率", "占比")
    if unit in ("小时", "分钟", "天"):
        return ("时间",)
    if unit in COUNT_UNITS:
        return ("数", "数量", "人数")
    if unit == "岁":
        return ("预期寿命",)
    if unit == "年":
        return ("年限",)
    return ("数", "率")


def _pair(names: list[str], vals: list) -> list[tuple[str, tuple]]:
    if len(vals) == 1:
        return [(n, vals[0]) for n in names]
    if len(names) == 1:
        return [(names[0], vals[-1])]
    return list(zip(names, vals, strict=False))


_PAIRS_RE = re.compile(
    rf"^(?P<pre>.*?)(?P<items>(?:[\u4e00-\u9fff]{{2,8}}{NUM}{UNIT_RE}、)+[\u4e00-\u9fff]{{2,8}}{NUM}{UNIT_RE})"
    r"(?P<tail>[\u4e00-\u9fff]{2,10})$"
)
_PAIR_RE = re.compile(rf"(?P<label>[\u4e00-\u9fff]{{2,8}}?)(?P<v>{NUM})(?P<u>{UNIT_RE})")
_PAIR_QUALIFIER = re.compile(r"^(保证|确保|要|应)?(每天|每日|每周|每年|平均每天)?")
_FLOOR_WORDS = ("保证", "确保", "不少于", "至少", "不低于")


def _parse_pairs(s: str, ctx: _Ctx) -> bool:
    """``保证每天小学生10小时、初中生9小时、高中生8小时睡眠时间`` → one target per group."""
    m = _PAIRS_RE.match(s)
    if m is None:
        return False
    pre, tail = m.group("pre"), m.group("tail")
    extra = ""
    for p in _PAIR_RE.finditer(m.group("items")):
        q = _PAIR_QUALIFIER.match(p.group("label"))
        pre += q.group(1) or ""
        extra = q.group(2) or extra
        label = p.group("label")[q.end():]
        floor = any(w in pre for w in _FLOOR_WORDS)
        cands = [label + extra + tail, label + tail, extra + label + tail]
        name = next((c for c in cands if _resolve(c, ctx) is not None), label + tail)
        ind = _resolve(name, ctx)
        comp, assumed = (C.GE, False) if floor else _level_comparator(None, None, None, ind.polarity if ind else None)
        _emit(ctx, name, comp, float(p.group("v")), unit=_unit(p.group("u")),
              flags=["assumed_comparator"] if assumed else [])
    return True


_SHARE_RE = re.compile(rf"(?P<v>{NUM})%(?P<suf>以上|左右)?的(?P<x>.+?)(?=(?:和|、|及|与){NUM}%|$)")
_SHARE_VERB = re.compile(
    r"(建立|建成|建设|设立|设有|开展|实现|配备|拥有|达到|具备|建有|接受|参加|享有|掌握|参与|进入|完成|开设"
    r"|(?:至少|均|都)有(?=\d))"  # 90%以上的县(市)至少有1处…: the units that have so many
)
#: Adverbs and times between the units of a share and their verb (``城乡家庭初步达到``, ``县(市、区)年底前建立``): no
#: part of the units' name.
_SHARE_ADVERB_RE = re.compile(r"(?:初步|普遍|全部|已经|已|将|年底前|年末前|年内|年底|年末|今年|至少)+$")
#: ``建设1所为儿童…提供服务的儿童之家`` → the thing built: ``儿童之家``.
_COUNTED_OBJECT_RE = re.compile(rf"{NUM}(?:所|个|家|座|名)(?:.*的)?(?P<obj>[\u4e00-\u9fff]{{2,10}})$")


#: ``村“两委”班子中至少有1名女性成员``: the units (班子) that hold at least so many members of a kind.
_MEMBER_IN_UNIT_RE = re.compile(
    rf"^(?P<unit>[^,;。]{{2,20}}?)中(?:至少|均|都)?(?:有|配备|配有)(?:{NUM})(?:名|个|位|人)(?:以上)?(?P<who>[\u4e00-\u9fff]{{2,10}})$"
)


def _parse_share_with_member(matches: list[re.Match], ctx: _Ctx) -> bool:
    """``100%的村“两委”班子中至少有1名女性成员`` → a share of 100% of the units holding such a
    member (``村两委班子中有女性成员的比例``), not a count of 1."""
    found = [(m, _MEMBER_IN_UNIT_RE.match(re.sub(r"[“”\"]", "", m.group("x")))) for m in matches]
    if not all(unit for _, unit in found):
        return False
    for m, unit in found:
        _emit(ctx, f"{unit.group('unit')}中有{unit.group('who')}的比例", C.GE, float(m.group("v")), unit="%")
    return True


#: A share of the units of a place written place first (``城市30%中小学``): the same as ``30%的城市中小学``.
_PLACE_SHARE_RE = re.compile(rf"(?P<place>城市|城镇|农村|乡村|城区)(?P<v>{NUM}%)(?:以上)?(?P<unit>[\u4e00-\u9fff]{{2,6}}?)(?=、|和|及|与)")


def _place_first_shares(s: str) -> str:
    """``城市30%中小学、农村10%中小学开设…`` → ``30%的城市中小学、10%的农村中小学开设…`` (each share of its place)."""
    out = _PLACE_SHARE_RE.sub(lambda m: f"{m.group('v')}的{m.group('place')}{m.group('unit')}", s)
    if out == s:
        return s
    return re.sub(rf"(、|和|及|与)(?P<place>城市|城镇|农村|乡村|城区)(?P<v>{NUM}%)(?!的)", r"\1\g<v>的\g<place>", out)


def _parse_share_first(s: str, ctx: _Ctx) -> bool:
    """``95%的城市社区和85%的农村社区建立家长学校`` → share of communities with a parent school."""
    body = _place_first_shares(re.sub(rf"^有(?={NUM}%)", "", _LEADING_JUNK.sub("", s)))  # 力争有55%以上的…
    if not re.match(rf"{NUM}%(以上|左右)?的", body):
        return False
    matches = list(_SHARE_RE.finditer(body))
    if matches and _parse_share_with_member(matches, ctx):
        return True
    verb = _SHARE_VERB.search(matches[-1].group("x")) if matches else None
    if verb is None:
        return False
    last_x = matches[-1].group("x")
    pred = last_x[verb.start():]
    for i, m in enumerate(matches):
        x = _SHARE_ADVERB_RE.sub("", last_x[: verb.start()]) if i == len(matches) - 1 else m.group("x")
        x = MODAL_RE.sub("", x) or x  # 50%的…站点应开展…: the modal is no part of the units
        x = re.sub(rf"^(.+?)在({NUM}(?:[-~至—–]{NUM})?岁)$", r"\2\1", x)  # 妇女在35-45岁 → 35-45岁妇女
        comp = C.AROUND if m.group("suf") == "左右" else C.GE  # 50%左右的区县: about half of them
        for kind in split_kinds(within_scope(x, ctx.scope)):  # 30%的A、B、C开设…: one share per kind
            cands = [f"{pred}的{kind}比例", f"{kind}{pred}比例", f"{kind}{pred}率"]
            counted = _COUNTED_OBJECT_RE.search(pred)
            if counted:  # 90%以上的城乡社区建设1所…儿童之家 → 城乡社区儿童之家覆盖率, a known coverage
                obj = counted.group("obj")
                # else the share of the units that do so, the one of each left out (建立儿童友好家园的城乡社区比例)
                cands = [f"{kind}{obj}覆盖率", f"{kind}{obj}比例", f"{obj}覆盖率", *cands]
                cands.insert(0, f"{pred[: counted.start()]}{obj}的{kind}比例")
            name = next((c for c in cands if _resolve(c, ctx) is not None), cands[0])
            _emit(ctx, name, comp, float(m.group("v")), unit="%")
    return True


#: ``保持稳定并逐步提高``, ``保持适当比例并逐步提高``: the change after 并 is the target.
_KEEP_THEN_RE = re.compile(
    r"保持(?:总体)?(?:稳定|平稳|(?:在)?(?:适当|合理)(?:的)?(?P<head>比例|比重|水平|占比)?)(?:并|且|的基础上|基础上)"
    rf"(?=(?:{DIR_ADVERBS})(?:{'|'.join(UP_WORDS + DOWN_WORDS)}))"
)
#: Verbs that may precede a change verb with 和: ``预防和减少孕产妇贫血``.
_VERB_AND_RE = re.compile(r"^(?:预防|防止|控制|遏制|杜绝|防范|避免|努力|逐步)(?:和|并|与)")
#: Head nouns tried after a direction-only phrase (``孕产妇贫血`` + ``患病率``).
_DIRECTION_SUFFIXES = ("数量", "数", "率", "患病率", "发生率", "比例")


_APPROPRIATE_RE = re.compile(r"(适当|合理)的?(比例|比重|水平|占比|规模)")
#: Heads of qualitative aims (``…能力``, ``…水平``) that a direction does not make a target.
_QUALITATIVE_HEAD_RE = re.compile(
    r"(能力|水平|质量|意识|素养|素质|机制|体系|制度|环境|作用|氛围|效率|效果|程度|力度|成效|保障)$"
)


def _keep_then_change(s: str) -> str:
    """``…中的女性保持适当比例并逐步提高`` → ``…中的女性比例逐步提高``."""
    m = _KEEP_THEN_RE.search(s)
    if m is None:
        return s
    head = m.group("head") or ""
    before = s[: m.start()]
    if head and _HEAD_RE.search(before):
        head = ""
    return before + head + s[m.end():]


_ON_BASE_RE = re.compile(r"在(?:现有|原有|现|目前)?(?:的)?(?:基础|水平)上")


#: A direction word ending an item of a list of aims (``新发近视率明显下降、视力…显著提升``).
_DIRECTION_ITEM_END_RE = re.compile(rf"(?:{DIR_ALT})(?:趋势|态势)?、")


def _parse_direction(s: str, ctx: _Ctx) -> None:
    s = s.replace("\x00", "")
    cuts = [m.end() for m in _DIRECTION_ITEM_END_RE.finditer(s)]
    for start, end in zip([0, *cuts], [*cuts, len(s) + 1], strict=True):
        _parse_direction_item(s[start: end - 1], ctx)  # each item of the list states its own aim


#: ``将``/``要`` opening a change (``将进一步提高…``): the future of the aim, no part of it.
_WILL_RE = re.compile(r"^(?:将|要)(?=[\u4e00-\u9fff]{0,4}?(?:提高|提升|降低|减少|增加|扩大|下降))")


def _parse_direction_item(s: str, ctx: _Ctx) -> None:
    if re.search(r"(?:上升|增长|增加)(?:趋势|势头|态势)(?:得到)?(?:有效)?(?:减缓|遏制|控制)", s):
        return  # 患病率上升趋势减缓: the rise slows, which neither a level nor a fall states
    s = _VERB_AND_RE.sub("", _keep_then_change(s))
    s = _ON_BASE_RE.sub("", s)  # 在现有基础上逐步增加: the base is today's level
    s = _BASE_YEAR_RE.sub("", s)  # 以2010年为基数下降: the base year of the fall, not part of the name
    s = _WILL_RE.sub("", s)  # 将进一步提高…: what will be done is the aim
    bare = re.fullmatch(rf"(?:并且|并|且|同时)?(?P<adv>{DIR_ADVERBS})(?P<dir>(?:{DIR_ALT})+)", s)
    if bare and ctx.subject and _direction(bare.group("dir")) is not None:
        s = ctx.subject + s[bare.start("adv"):]  # ``…，并持续提高``: the sentence's subject
    m = DIR_AFTER_RE.match(s)
    subj_raw = None
    word = ""
    if m is not None and _clean_subject(m.group("subj")):
        subj_raw, word = m.group("subj"), m.group("dir")
    else:
        m = DIR_BEFORE_RE.match(s)
        if m is not None:
            subj_raw, word = m.group("subj"), m.group("dir")
    if subj_raw is None:
        return
    if subj_raw.endswith("的"):
        return  # 归因于…死亡率的下降: a fall spoken of, not aimed at
    subj = _clean_subject(subj_raw)
    lone = _LONE_HEAD_RE.fullmatch(subj) is not None  # a head alone names what was listed before, as a whole
    if _LONE_HEAD_RE.fullmatch(subj) and "的" in ctx.last_name:
        subj = _same_kind_head(ctx.last_name, subj) or ctx.last_name.split("的")[0] + subj  # 提高A和B的早诊早治率，降低死亡率: A和B死亡率
    elif _LONE_HEAD_RE.fullmatch(subj) and _listed_qualifier(ctx.last_name):
        subj = _listed_qualifier(ctx.last_name) + subj  # A和B早诊早治率提高,死亡率降低: A和B死亡率
    elif lone:
        subj = with_school_level(subj, ctx.last_name)  # 初中入学率达到97%,巩固率稳步提高: 初中巩固率
    if "趋势" in subj and "减缓" not in word:
        return
    subj = re.sub(r"(上升趋势|增长势头)$", "", subj)
    comp = _direction(word)
    if comp is None:
        return
    if comp == C.MAINTAIN and _APPROPRIATE_RE.search(s):
        return  # 保持适当比例: no level or change to assess
    if _QUALITATIVE_HEAD_RE.search(subj) and _resolve(subj, ctx, near_exact=True) is None:
        return  # 提升产前筛查和诊断能力: a capacity, not an indicator
    names = [subj]
    if _resolve(subj, ctx, _DIRECTION_SUFFIXES, near_exact=True) is None:
        reduced = _without_examples(subj, ctx)
        parts = [p for p in _SPLIT_ITEMS.split(subj) if p]
        names = [reduced] if reduced else (_share_heads(parts, ctx) if len(parts) > 1 else [subj])
        known = [n for n in names if _resolve(n, ctx, _DIRECTION_SUFFIXES) is not None]
        qualified = len(parts) > 1 and _CAUSE_PREFIX.match(parts[0]) is not None
        # 流动人口中婴儿和5岁以下儿童死亡率: each item keeps the qualifier, none is the national rate
        if known and len(names) == len(parts) > 1:
            # 新发近视率和高度近视发生率明显下降: a rate the dictionary lacks, named in full with its own
            # head, is kept beside the known one (not 市、县…女干部数量: 市 names no quantity)
            known = [
                n for p, n in zip(parts, names, strict=True)
                if n in known or (_DIRECTION_HEAD_RE.search(p) and len(p) >= 4)
                or (_kinds_list(parts) and _shares_known_tail(p, n, known))
            ]
        own_heads = len(parts) > 1 and (
            all(_DIRECTION_HEAD_RE.search(p) and len(p) >= 4 for p in parts)
            or (  # 职工代表大会、教职工代表大会中女代表比例 (not 董事会和监事会成员及管理层人员中的…: one body of bodies)
                not re.search(r"和|及|与", subj)
                and all(_AMONG_TAIL_RE.search(n) and len(p) >= 3 for p, n in zip(parts, names, strict=False))
            )
            or (_kinds_list(parts) and _one_shared_tail(parts, names))
            or _people_counted(parts, names)
        )
        # 城乡低保标准和农村特困人员救助供养标准: each item a quantity with its own head
        counted = None if known or reduced or qualified else counts_of_kinds(parts)  # A和B数量: the count of each
        grouped = None if known or reduced or lone or len(parts) < 2 else group_rates(parts, subj)  # 新生儿A和B筛查率: each of the group
        names = counted or known or grouped or (names if (qualified or own_heads) and not reduced else [subj])
    for name in names:
        name = _clean_subject(name)
        known = _resolve(name, ctx, _DIRECTION_SUFFIXES, near_exact=True) is not None
        named = known or _named_by_itself(name) or _is_named_gap(name)
        if not named or len(name) > 30:
            continue
        _emit(ctx, name, comp, extra_suffixes=_DIRECTION_SUFFIXES if known else ("数量", "数"))


def _same_kind_head(named: str, lone: str) -> str | None:
    """``降低侵害妇女的刑事案件发案率,提高破案率`` → ``侵害妇女的刑事案件破案率``: a lone rate of the same kind as the
    head of the name before it (their last two characters the same: ``发案率``, ``破案率``) is of the same thing."""
    if len(lone) < 3 or not named.endswith(lone[-2:]) or len(named) <= len(lone) + 2 or named.endswith(lone):
        return None
    return named[: -len(lone)] + lone


def _kinds_list(parts: list[str]) -> bool:
    """Three items or more, all but the last a bare kind of two to four characters (``艾滋病、乙肝、梅毒的
    母婴传播率``): the kinds share what the last item says after its own kind."""
    return len(parts) >= 3 and all(
        re.fullmatch(r"[\u4e00-\u9fff]{2,4}", p) and not _HEAD_RE.search(p) for p in parts[:-1]
    )


#: People named whole (``女干部``, ``人大女代表``, ``政协女委员``): a group counted by the head of a list's count.
_PEOPLE_WHOLE_RE = re.compile(r"[\u4e00-\u9fff]{1,5}(?:员|家|部|者|师|女|男|代表|委员)")


def _people_counted(parts: list[str], names: list[str]) -> bool:
    """``女干部、人大女代表、政协女委员及…中的女性数量``: every group before the last named whole, each its
    count (``女干部数量``, ``人大女代表数量``)."""
    if len(parts) < 2 or len(names) != len(parts):
        return False
    head = re.search(r"(?:人数|数量)$", names[-1])
    return head is not None and all(
        _PEOPLE_WHOLE_RE.fullmatch(p) and n == p + head.group(0) for p, n in zip(parts[:-1], names[:-1], strict=True)
    )


def _one_shared_tail(parts: list[str], names: list[str]) -> bool:
    """Every kind of a list named with the tail the first kind took, a rate's head at its end
    (``结核、麻疹、风疹的发病率`` → ``结核发病率``, ``麻疹发病率``, ``风疹的发病率``)."""
    if len(names) != len(parts) or not names[0].startswith(parts[0]):
        return False
    tail = names[0][len(parts[0]):].removeprefix("的")
    return len(tail) >= 2 and bool(_DIRECTION_HEAD_RE.search(tail)) and all(n.endswith(tail) for n in names)


def _shares_known_tail(part: str, name: str, known: list[str]) -> bool:
    """An item of a list of kinds named with the tail a known item has (``乙肝`` + ``的母婴传播率``, as
    ``艾滋病的母婴传播率``)."""
    tail = name[len(part):] if name.startswith(part) else ""
    return len(tail) >= 2 and any(k.endswith(tail) for k in known)


#: Measures that name no thing of their own (``死亡率``, ``覆盖率``): written alone, the thing
#: they measure is said elsewhere.
_BARE_MEASURE_RE = re.compile(
    r"(?:死亡|患病|发病|发生|覆盖|普及|知晓|入学|入园|合格|达标|检出|参与|使用|就业|增长|完成|巩固|"
    r"接种|筛查|管理|治疗|检测|报告|转诊|随访|利用|占有|参保|受益|贫困|感染|传播|残疾)率"
)


def _named_by_itself(name: str) -> bool:
    """A rate or share named in full: four characters or more (``剖宫产率``), or three that are
    no bare measure (``辍学率``, ``近视率``; not ``死亡率``)."""
    if not _DIRECTION_HEAD_RE.search(name):
        return False
    return len(name) >= 4 or (len(name) == 3 and not _BARE_MEASURE_RE.fullmatch(name))


def _listed_qualifier(name: str) -> str:
    """The list of kinds that opens a name (``宫颈癌和乳腺癌`` of ``宫颈癌和乳腺癌早诊早治率``), its last kind
    as long as the first; '' when the name opens with no such list."""
    m = re.match(r"^([\u4e00-\u9fff]{2,6}?)(和|、|及|与)", name)
    if m is None or _HEAD_RE.search(m.group(1)):
        return ""
    end = name.find(m.group(1)[-1], m.end()) + 1  # 结肠癌和胃癌…: the last kind ends as the first (癌)
    return name[:end] if 0 < end and end - m.end() <= 6 and len(name) > end + 1 else ""


#: A head noun standing alone (``死亡率``): the thing it measures is said just before.
_LONE_HEAD_RE = re.compile(r"[\u4e00-\u9fff]{0,2}(?:率|比例|比重|占比)")
#: Sides a gap is measured between, and quantities a gap can be measured on.
_GAP_SIDES_RE = re.compile(r"城乡|区域|地区|群体|男女|两性|性别|城市和农村")
_GAP_QUANTITY_RE = re.compile(r"(?:率|比例|比重|占比|收入|工资|时间|寿命|年限|身高|体重)$")


def _is_named_gap(name: str) -> bool:
    """``男女收入差距``, ``孕产妇死亡率城乡差距``, ``城乡学生身高差别``: a gap between named sides of a named,
    measurable quantity. ``城乡、区域差距`` (no quantity) or ``儿童发展差距`` (none measurable)
    are qualitative aims, not targets."""
    gap = re.search(r"(?:差距|差别|差异)$", name)
    if gap is None:
        return False
    body = name[: gap.start()].replace("的", "")
    if not _GAP_SIDES_RE.search(body):
        return False
    quantity = re.sub(r"[、和及与之间]", "", _GAP_SIDES_RE.sub("", body))
    return len(quantity) >= 2 and bool(_GAP_QUANTITY_RE.search(quantity))


def _direction(word: str) -> Comparator | None:
    if any(w in word for w in UP_WORDS):
        return C.INCREASE
    if any(w in word for w in DOWN_WORDS):
        return C.DECREASE
    if any(w in word for w in KEEP_WORDS):
        return C.MAINTAIN
    return None


#: A year written between a name and its verb (``学前三年毛入园率2015年超过96%``): that target's year.
_YEAR_AFTER_NAME_RE = re.compile(
    rf"(?P<pre>(?:率|比例|比重|占比|数|数量|人数|年限|寿命|时间))(?P<y>20\d{{2}})年(?:底|末)?(?=(?:{ADVERBS})(?:{VERB_ALT}))"
)


def _take_year(s: str, ctx: _Ctx) -> str:
    listed = YEARS_LIST_RE.search(s)
    if listed:
        ctx.years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", listed.group(0))]
        ctx.year = ctx.years[-1]
        ctx.year_explicit = True
        s = s[: listed.start()] + s[listed.end():]
    s = _YEAR_AFTER_NAME_RE.sub(r"\g<pre>在\g<y>年", s)  # 入园率2015年超过96% → 入园率在2015年超过96%
    years = [int(m.group("y1") or m.group("y2")) for m in YEAR_RE.finditer(s)]
    if years:
        ctx.year = years[-1]
        ctx.year_explicit = True
        ctx.years = []
        s = YEAR_RE.sub("", s)
    return s


def _spread_milestones(ctx: _Ctx, start: int, clause: str = "") -> None:
    """Milestones listed together (``到2022年和2030年``): the values a sub-clause gives one
    indicator, as many as there are years, go to the years in order; a sub-clause giving its
    indicator one aim without 分别 (``…每年降低0.5个百分点以上``, ``…明显下降``) holds it at every
    milestone."""
    if len(ctx.years) < 2:
        return
    groups: dict[str, list[ParsedTarget]] = {}
    for t in ctx.out[start:]:
        groups.setdefault(t.indicator or t.indicator_zh, []).append(t)
    for targets in groups.values():
        valued = [t for t in targets if t.value is not None]
        if len(valued) == len(ctx.years):
            for t, year in zip(valued, ctx.years, strict=True):
                t.year = year
        elif len(targets) == 1 and "分别" not in clause and targets[0].year == ctx.years[-1]:
            for year in ctx.years[:-1]:
                ctx.out.append(targets[0].model_copy(update={"year": year}, deep=True))


_PCT_VERB_RE = re.compile(
    rf"^(?P<subj>.*?[\u4e00-\u9fff)])(?P<v>{NUM})%(?P<suf>以上)?(?P<verb>(?!的|以上|以下|左右|及以)[\u4e00-\u9fff]{{1,6}})$"
)
#: Verbs after a bare percentage that make a rate: ``适龄儿童100%入学`` → 入学率.
_PCT_VERBS = (
    "入学", "入园", "落实", "覆盖", "参保", "接种", "达标", "完成", "到位", "签订", "纳入", "享有",
    "就读", "建档", "知晓", "合格", "受益", "接受", "持证上岗", "配备", "普及",
)


def _parse_pct_verb(s: str, ctx: _Ctx) -> bool:
    """``确保适龄儿童100%入学``, ``留守儿童监护责任100%落实`` → rate of the verb ≥ value."""
    m = _PCT_VERB_RE.match(s)
    if m is None:
        return False
    subj, verb = _clean_subject(m.group("subj")), m.group("verb")
    if not subj:
        return False
    cands = [subj + verb + "率", subj + verb + "覆盖率", subj + verb + "比例"]
    name = next((c for c in cands if _resolve(c, ctx) is not None), None)
    if name is None and not verb.startswith(_PCT_VERBS):
        return False
    _emit(ctx, name or cands[0], C.GE, float(m.group("v")), unit="%")
    return True


_PCT_OBJECT_RE = re.compile(
    rf"^(?P<subj>.*?[\u4e00-\u9fff)])(?:(?P<v>{NUM})%|(?P<all>全部|全都|均|都))(?P<verb>配备|配齐|设立|设置|建立|建成|开设|拥有|达标|覆盖|纳入|落实|实现|接种|建有|开展|实施)"
    r"(?P<obj>[\u4e00-\u9fff()、]{0,24})$"
)
#: ``所有学校达到省定现代化学校标准``: every unit meeting a standard, the share of those that do (``…标准等``:
#: the last of the aims a report lists).
_ALL_MEET_RE = re.compile(r"^(?P<all>所有|全部)(?P<subj>[\u4e00-\u9fff()]{1,12}?)(?P<verb>达到)(?P<obj>[\u4e00-\u9fff()]{2,20}标准)等?$")
#: ``所有二级以上医院建成儿童友好病房``: every unit doing something, the share of those that do; a
#: hedge before the verb (``基本建成``, ``大部分配备``) names no share and is not read.
_ALL_DO_RE = re.compile(
    r"^(?P<all>所有|全部)(?P<subj>[\u4e00-\u9fff()]{1,16}?)"
    r"(?P<verb>配备|配齐|设立|设置|建立|建成|开设|建有|开展|实施)(?P<obj>[\u4e00-\u9fff()、]{2,24})$"
)
_HEDGE_RE = re.compile(r"基本|大部分|大多数|多数|部分|逐步")
#: ``县以上设产科的医院100%达到爱婴医院标准``: a share of the units meeting a standard, given before 达到.
_PCT_MEET_RE = re.compile(
    rf"^(?P<subj>.*?[\u4e00-\u9fff)])(?P<v>{NUM})%(?P<all>)(?P<verb>达到)(?P<obj>[\u4e00-\u9fff()]{{2,20}}标准)$"
)
#: What a share of 全部/100% may be of: facilities, units, places or groups of people.
_UNIT_HEAD_RE = re.compile(
    r"(学校|中小学|中小学校|小学|初中|中学|幼儿园|园|社区|村|乡镇|街道|医院|卫生院|机构|中心|之家|站|家庭|儿童|学生|妇女|孕产妇|"
    r"单位|企业)$"
)


def _parse_pct_object(s: str, ctx: _Ctx) -> bool:
    """``中小学校100%配备专兼职心理健康教育教师``, ``城乡社区儿童之家全部达标``, ``所有学校达到省定
    现代化学校标准``, ``所有医院建成…病房``, ``…医院100%达到爱婴医院标准`` → the share of the units that do so ≥ 100 (or the percentage given)."""
    lead = _LEADING_JUNK.match(s)
    every = s[lead.end():] if lead else s  # 力争全部…, 实现全区所有…: every unit, after the words leading the aim
    m = _PCT_OBJECT_RE.match(s) or _ALL_MEET_RE.match(every) or _PCT_MEET_RE.match(s)
    if m is None and not _HEDGE_RE.search(s):
        m = _ALL_DO_RE.match(every)
    if m is None:
        return False
    subj = _clean_subject(re.sub(r"^(所有|全部|各|每个|每所)", "", m.group("subj")))
    verb, obj = m.group("verb"), m.group("obj")
    if not subj or (m.group("all") and not _UNIT_HEAD_RE.search(re.sub(r"[(（][^()（）]*[)）]$", "", subj))):
        return False
    value = float(m.group("v")) if "v" in m.groupdict() and m.group("v") else 100.0
    if obj:
        cands = [f"{verb}{obj}的{subj}比例", f"{subj}{verb}{obj}比例", f"{subj}{obj}{verb}率", f"{obj}{verb}率"]
    else:
        cands = [f"{subj}{verb}率", f"{subj}{verb}比例"]
    name = next((c for c in cands if _resolve(c, ctx) is not None), cands[0])
    _emit(ctx, name, C.GE, value, unit="%")
    return True


_FREQ_RE = re.compile(
    r"^(?P<subj>.+?)每(?P<per>季度|半年|学期|学年|月|年|周)(?P<act>[\u4e00-\u9fff]{2,20}?)"
    r"(?:至少|不少于)?(?P<n>\d+|一|两|二|三|四)次(?P<suf>以上)?$"
)
_PER_YEAR = {"季度": 4, "半年": 2, "学期": 2, "学年": 1, "月": 12, "年": 1, "周": 52}


def _parse_frequency(s: str, ctx: _Ctx) -> bool:
    """``0-3岁城市儿童家长每季度接受育儿知识培训一次`` → a frequency of 4 a year (or the count
    per period when the indicator is counted per that period)."""
    m = _FREQ_RE.match(s)
    if m is None:
        return False
    subj = _clean_subject(m.group("subj"))
    n = float(_CN_DIGITS.get(m.group("n"), m.group("n")))
    per, act = m.group("per"), m.group("act")
    cands = [subj + act + "频次", subj + "每" + per + act + "次数", subj + act + "次数"]
    name = next((c for c in cands if _resolve(c, ctx) is not None), cands[0])
    ind = _resolve(name, ctx)
    if ind is not None and ind.unit == "次":
        _emit(ctx, name, C.GE, n, unit="次")
    else:
        _emit(ctx, name, C.GE, n * _PER_YEAR[per], unit="次/年")
    return True


_COUNT_UNIT_ALT = r"所|个|家|座|张|处|间|名|人次|人|学时|课时|件次|件|场次|场|期|户|平方米|亩"
_COUNT_AFTER_RE = re.compile(
    r"^(?:(?:在|为|向|对)[^,;。]{1,40}?|(?:借助|通过|依托|利用)[^,;。]{1,16}?"
    # places described before the verb (``条件成熟的企事业单位、公共场所建设…``): where, not what is counted
    r"|[^,;。]{2,30}?[的、][\u4e00-\u9fff]{0,8}(?:场所|单位|机构|学校|社区|村|乡镇|街道)"
    # (a place never opens with a verb of the count: ``培育巾帼家政社区服务站点``, not ``培育…社区`` serving 站点)
    r"|(?P<place>(?!新建|建设|建成|创建|培育|打造|设立|选树|推树|宣树|开展|举办|实施|推出)"
    r"[\u4e00-\u9fff()]{2,12}?(?:场所|单位|机构|学校|医院|社区|村|乡镇|街道|景区|车站|商场)\)?)"  # 村(社区): its bracket closed
    # the body doing the work before 将 (``省妇联将开展…``) is no part of what is counted
    r"|(?:全|本|我)?(?:省|市|区|县|州)?(?:妇联|妇儿工委|政府|卫健委|卫生健康委|教育局|教育厅|民政局|民政厅|团委|总工会|残联)(?=将|要|计划|拟))?"
    r"(?:今年|每年|年均|累计|全年|年内)?(?:拟|计划|将|要)?(?:完成|共)?"
    r"(?:今年|全年|年内)?(?:牵手|结对|精准|重点|深入|继续|持续|集中|免费)?"
    r"(?P<verb>(?:新(?=创建|培育|打造|设立)|关爱(?=救助|帮扶|资助|慰问|服务))?"
    r"(?:新建|改扩建|扩建|改建|建设|建成|新增|创建|培育|打造|设立|培训|训练|培养|救助|资助|"
    r"推出|帮扶|实施|提供|举办|开办|慰问|服务|开展|组织|完成|办理|孵化|选树|推树|宣树|培树|培塑|遴选|选拔|选聘|招募)+"
    r"(?:、(?:改扩建|扩建|改建|新建))?)"
    rf"(?P<obj>[\u4e00-\u9fff()、+]{{2,40}}?)(?P<v>{NUM})"
    rf"(?P<u>{_COUNT_UNIT_ALT})(?P<suf>以上|左右)?$"
)
#: Another count of a list sharing the verb of the first (``培训A6000名、B5000名``).
_NEXT_COUNT_RE = re.compile(rf"^(?P<obj>[\u4e00-\u9fff()]{{2,20}}?)(?P<v>{NUM})(?P<u>{_COUNT_UNIT_ALT})(?P<suf>以上|左右)?$")
_COUNT_LIST_SPLIT = re.compile(rf"(?<=\d)((?:{_COUNT_UNIT_ALT})(?:以上)?)、")


def _count_items(text: str) -> list[str]:
    """``培训A6000名、B5000名`` → ``培训A6000名``, ``B5000名``: a list cut after each count and its unit."""
    parts = _COUNT_LIST_SPLIT.split(text)
    return [parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
#: Head of a count of land (``提档升级街头绿地50000平方米``): its area.
_AREA_HEAD = {"平方米": "面积", "亩": "面积"}
#: Verbs that count an increment (新增托位): the count is not the stock (托位数) of the object.
_INCREMENT_VERBS = ("新增", "新建", "改扩建", "扩建", "改建", "建成")
#: Verbs whose count is of the people served or chosen (``帮扶单亲困难母亲10000名``, ``遴选…专家70名``).
_SERVE_VERBS = ("培训", "训练", "培养", "救助", "资助", "帮扶", "慰问", "服务", "孵化", "遴选", "选拔", "选聘", "招募")
#: Words before a verb that the checks of its kind look past (``新创建``, ``关爱救助``).
_VERB_LEAD_RE = re.compile(r"^(?:新(?=创建|培育|打造|设立)|关爱)")
_PEOPLE_HEAD = {"人次": "人次", "人": "人数", "名": "人数"}
#: Units of events: a count of kinds of events listed together is of all those events.
_EVENT_UNITS = ("场", "场次", "期")
#: Head of a count in a unit of activity (``300学时``, ``1000件次``, ``120场``).
_ACTIVITY_HEAD = {"学时": "学时", "课时": "课时", "件次": "件次", "场次": "场次", "场": "场次", "期": "期数", "户": "户数"}


#: People an activity is to reach, counted before them (``资助100000人次困难女童``, ``惠及280000人家长``,
#: once 万 is multiplied out): verb, count, then who they are.
_SERVED_FIRST_RE = re.compile(
    r"^(?:(?:完成|实现)?(?:年度|全年|每年|累计|共))?(?P<verb>培训|培养|救助|资助|帮扶|慰问|服务|惠及|孵化)"
    rf"(?P<v>{NUM})(?P<u>人次|人|名|户)(?P<suf>以上)?(?P<who>[\u4e00-\u9fff、]{{0,30}}?)(?:的(?P<tail>[\u4e00-\u9fff]{{2,8}}))?$"
)
#: People named after what qualifies them (``救助100名因病致困的困境儿童``): the tail after 的 is who is counted.
_PEOPLE_TAIL_RE = re.compile(r"(?:儿童|女童|妇女|母亲|女性|学生|患儿|青少年|家庭|老人|群众|人员|农民)$")


def _parse_served_first(s: str, ctx: _Ctx) -> bool:
    """``惠及280000人家长``, ``资助100000人次全学段女童的助学任务``: the number of people the activity is to
    reach, ≥ the value, named by the verb, the people and the head of the unit (人数, 人次)."""
    m = _SERVED_FIRST_RE.match(_clean_subject(re.sub(r"[“”‘’\"']", "", s)))
    if m is None:
        return False
    head = _PEOPLE_HEAD.get(m.group("u"), "户数")  # 帮扶100户微型企业妇女: households
    tail = m.group("tail") or ""
    who = f"{m.group('who')}的{tail}" if _PEOPLE_TAIL_RE.search(tail) else m.group("who")  # not …的助学任务
    _emit(ctx, f"{m.group('verb')}{who}{head}", C.GE, float(m.group("v")), unit=m.group("u"))
    return True


#: People who are to benefit, counted before them (``全市将有7000多名适龄女生受益``): at least that many.
_BENEFIT_RE = re.compile(
    r"^(?:今年|年内|全年)?(?:将有|将使|将|共有|有|使|让)?"
    rf"(?P<v>{NUM})(?:多|余)?(?P<u>人次|人|名)(?P<who>[\u4e00-\u9fff]{{2,12}}?)(?:从中)?受益$"
)


#: People a measure is to bring to do something, counted before them (``力争让5000名青年女性实现稳定就业``).
_BROUGHT_RE = re.compile(
    r"^[\u4e00-\u9fff]{0,6}?(?:让|使|帮助|带动|引导)(?:全市|全省|全区|全县)?"
    rf"(?P<v>{NUM})(?:多|余)?(?P<u>人次|人|名)(?P<who>[\u4e00-\u9fff]{{2,10}}?)"
    r"(?P<what>(?:走上|走向|实现|进入|参加|接受|获得|掌握|返回|返乡)[\u4e00-\u9fff]{1,16})$"
)


def _parse_brought(s: str, ctx: _Ctx) -> bool:
    """``力争让5000名青年女性实现稳定就业`` → ``青年女性实现稳定就业人数`` ≥ 5000: the people the measure brings there."""
    m = _BROUGHT_RE.match(re.sub(r"[“”‘’\"']", "", s))
    if m is None:
        return False
    _emit(ctx, f"{m.group('who')}{m.group('what')}{_PEOPLE_HEAD[m.group('u')]}", C.GE, float(m.group("v")), unit=m.group("u"))
    return True


def _parse_benefit(s: str, ctx: _Ctx) -> bool:
    """``全市将有7000多名适龄女生受益`` → ``受益适龄女生人数`` ≥ 7000: the people a measure is to reach."""
    m = _BENEFIT_RE.match(_clean_subject(re.sub(r"[“”‘’\"']", "", s)))
    if m is None:
        return False
    _emit(ctx, f"受益{m.group('who')}{_PEOPLE_HEAD[m.group('u')]}", C.GE, float(m.group("v")), unit=m.group("u"))
    return True


#: Words after 等 that name nothing without the examples before them (``提供法律援助、法律咨询等服务``).
_GENERIC_OBJECTS = ("服务", "活动", "工作", "项目")


def _parse_count_after(s: str, ctx: _Ctx) -> bool:
    """``新建改扩建幼儿园30所``, ``建成儿童之家50个``, ``培训托育从业人员15000人次``, ``推出…等系列课程300学时``,
    ``实施公益项目100个``, ``为…提供心理咨询辅导等1000件次``: a count of what is built or done, or of the
    people served, ≥ the value, named by the thing counted (the examples before 等, quotes and a place
    or beneficiary before the verb left out; examples before a word naming nothing alone, ``服务``, ``活动``, kept). An increment (``新增托位20000个``) is named with its verb,
    never as the stock of the object. Places named before the verb of what is built there
    (``重点公共场所建成母婴室150间``) name the stock of those places; counts listed after one verb
    (``培训A6000名、B5000名``) are each a count of that verb, a later item taking the first's qualifier
    before the word they share (``示范村200个、示范户50000户``: ``…示范户``)."""
    text = _clean_subject(re.sub(r"[“”‘’\"']", "", s))
    items = _count_items(text)
    m = _COUNT_AFTER_RE.match(items[0])
    if m is None:
        return False
    later = [_NEXT_COUNT_RE.match(i) for i in items[1:]]
    if not all(later):
        m = _COUNT_AFTER_RE.match(text)
        if m is None:
            return False
        later = []
    before, _, after = m.group("obj").rpartition("等")
    verb, obj = m.group("verb"), after or before or m.group("obj")
    examples = before and after in _GENERIC_OBJECTS  # 法律援助、法律咨询等服务: the examples say which services
    obj = m.group("obj") if examples else obj
    if len(obj) < 2 or ("、" in obj and not examples and not m.group("verb").endswith(("、改扩建", "、扩建", "、改建", "、新建"))
                        and m.group("u") not in _EVENT_UNITS):
        return False  # 母婴室、儿童之家50个: which of them is counted is not said (运动会、亲子活动700场: all events)
    _emit_count(ctx, verb, obj, m.group("place"), float(m.group("v")), m.group("u"), m.group("suf"))
    for n in later:
        nxt = n.group("obj")
        shared = obj.find(nxt[:2])
        if shared > 0 and not nxt.startswith(obj[:2]):
            nxt = obj[:shared] + nxt  # 出彩人家示范村…、示范户: the qualifier the list shares
        _emit_count(ctx, verb, nxt, m.group("place"), float(n.group("v")), n.group("u"), n.group("suf"))
    return True


def _emit_count(ctx: _Ctx, verb: str, obj: str, place: str | None, value: float, unit: str, suf: str | None) -> None:
    """One count of ``_parse_count_after``, named by the verb, the thing counted and the unit's head."""
    core = _VERB_LEAD_RE.sub("", verb)
    activity = _ACTIVITY_HEAD.get(unit)
    if activity and activity.endswith("数") and obj.endswith(unit):
        activity = "数"  # 示范户50000户: the households counted, not 户户数
    if place and core.startswith(("建成", "建设", "创建", "配备", "设立")):
        cands = [f"{place}{obj}数"]  # 重点公共场所建成母婴室150间: the rooms those places have by then
    elif core.startswith(_SERVE_VERBS):
        cands = [f"{verb}{obj}{_PEOPLE_HEAD.get(unit, activity or '数')}"]
    elif activity or unit in _AREA_HEAD:
        cands = [f"{verb}{obj}{activity or _AREA_HEAD[unit]}"]
    elif core.startswith(_INCREMENT_VERBS):
        cands = [f"{verb}{obj}数", f"{verb[:2]}{obj}数", f"{verb}{obj}数量"]
    else:
        cands = [f"{verb}{obj}数", f"{verb[:2]}{obj}数", f"{obj}数", f"{obj}数量"]
    name = next((c for c in cands if _resolve(c, ctx, exact_only=True) is not None), None)
    if core.startswith(_INCREMENT_VERBS + _SERVE_VERBS) or activity or unit in _AREA_HEAD or place:
        name = name or cands[0]
    name = name or next((c for c in cands if _resolve(c, ctx) is not None), cands[0])
    _emit(ctx, name, C.AROUND if suf == "左右" else C.GE, value, unit=unit)


def _parse_people_served(s: str, ctx: _Ctx) -> bool:
    """``为全县3500名适龄妇女进行免费宫颈癌筛查``, ``组织100名专家下基层``: the number of people the activity
    is to reach or mobilise, ≥ the value, named by the activity and the people (``people_counts``)."""
    found = people_count(re.sub(r"[“”‘’\"']", "", _clean_subject(s)), re.sub(r"[“”‘’\"']", "", ctx.previous or ""))
    for count in found:
        _emit(ctx, count.name, C.GT if count.over else C.GE, count.value, unit=count.unit)
    return bool(found)


_COUNT_FIRST_RE = re.compile(
    rf"^(?:推动|力争|争取|确保|支持|推进)?(?P<v>{NUM})(?P<u>家|所|个|座)(?P<suf>以上|左右)?"
    r"(?P<x>[\u4e00-\u9fff]{1,12}?)(?P<verb>被命名为|被评为|达到|建成|成为|创建为|创成)"
    r"(?P<y>[\u4e00-\u9fff]{2,20}?)(?:的)?(?:建设|创建)?(?:要求|标准)?$"
)


#: Every unit of a kind to have or receive something (``地级以上城市的机场、车站均按要求配置母婴设施``,
#: ``…的残疾学生都能接受…教育``): no value written, a full share.
_ALL_UNITS_RE = re.compile(
    r"^(?P<x>[\u4e00-\u9fff()、]{2,40}?)(?:均|都|全部)(?:能|要|应|将|可以|可)?(?:按要求|按规定|按标准)?"
    r"(?P<verb>配置|配备|建成|设有|设立|开设|接受)(?![过了])(?P<y>[\u4e00-\u9fff]{2,30})$"
)


#: A measure's verb opening a clause (``推动…``, ``督促…``): what follows is what it works for.
_MEASURE_LEAD_RE = re.compile(r"^(?:要|将)?(?:推动|推进|督促|指导|鼓励|支持|引导|加快|积极)")


def _parse_all_units(s: str, ctx: _Ctx) -> bool:
    """``A、B均按要求配置X`` → ``A、B配置X比例`` ≥ 100 %: the share of the units (or people) named that have or
    receive it."""
    if _MEASURE_LEAD_RE.match(s):
        return False  # 推动…全部接受教育: a measure's aim, not a level set
    m = _ALL_UNITS_RE.match(_clean_subject(re.sub(r"[“”‘’\"']", "", s)))
    if m is None or all(_GOV_LEVEL_RE.fullmatch(p) for p in re.split(r"、|和|及", m.group("x"))):
        return False  # 市、区都将设立…中心: one body at each level, not a share of units
    units = re.sub(r"^每(?:一)?(?:所|个|家|名|位)", "", _clean_subject(m.group("x")))  # 每所幼儿园都要…: the kind
    _emit(ctx, f"{units}{m.group('verb')}{m.group('y')}比例", C.GE, 100.0, unit="%")
    return True


#: Units to be chosen or named by a standard, counted before them (``评选100间示范母婴室``).
_SELECTED_RE = re.compile(
    rf"^(?P<verb>评选|评定|认定|命名|表彰)(?:出)?(?P<v>{NUM})(?P<u>间|个|家|所|名|户|座|处)(?P<suf>以上|左右)?"
    r"(?P<obj>[\u4e00-\u9fff()]{2,20})$"
)


def _parse_selected(s: str, ctx: _Ctx) -> bool:
    """``评选100间示范母婴室`` → ``评选示范母婴室数`` ≥ 100: the units to be chosen, named with the verb (those
    chosen, not the stock)."""
    m = _SELECTED_RE.match(_clean_subject(re.sub(r"[“”‘’\"']", "", s)))
    if m is None:
        return False
    comp = C.AROUND if m.group("suf") == "左右" else C.GE
    _emit(ctx, f"{m.group('verb')}{m.group('obj')}{_PEOPLE_HEAD.get(m.group('u'), '数')}", comp, float(m.group("v")), unit=m.group("u"))
    return True


def _parse_count_first(s: str, ctx: _Ctx) -> bool:
    """``100个左右城市被命名为国家儿童友好城市``, ``推动2000家医疗机构达到儿童友好医院的建设要求``:
    the number of units that reach a standard."""
    m = _COUNT_FIRST_RE.match(_clean_subject(s))
    if m is None:
        return False
    x, verb, y = m.group("x"), m.group("verb"), m.group("y").removesuffix("的")
    cands = [f"{verb}{y}的{x}数", f"{y}{x}数", f"{y}数", f"{verb}{y}的{x}数量"]
    name = next((c for c in cands if _resolve(c, ctx) is not None), cands[0])
    comp = C.AROUND if m.group("suf") == "左右" else C.GE
    _emit(ctx, name, comp, float(m.group("v")), unit=m.group("u"))
    return True


#: A count kept or made before the thing counted, a word between the verb and the count
#: (``维持线下700场家庭教育活动规模``).
_COUNT_BEFORE_RE = re.compile(
    r"^(?:不仅|同时|还|全年)?(?:要|将)?(?P<verb>维持|保持|培树|打造|举办|开展|推出)(?P<mod>[\u4e00-\u9fff]{1,3}?)"
    rf"(?P<v>{NUM})(?P<u>场次|场|个|家|所|期|项)(?P<obj>[\u4e00-\u9fff()]{{2,20}}?)(?:的)?(?:规模)?$"
    # a year's project: ``创建3家残疾人之家``, ``共实施12个老旧小区改造``, ``完成A镇、B镇2个乡镇卫生院建设``
    r"|^(?:今年|全年|年内)?(?:拟|计划|将|要)?(?:共|累计)?(?:重点|着力|全力)?(?P<verb2>完成|实施|创建|建成|建好|新建|建设|改造|打造)"
    r"(?:[\u4e00-\u9fff]{2,6}、)*(?:[\u4e00-\u9fff]{2,6}?)?"
    rf"(?P<v2>{NUM})(?P<u2>个|家|所|处|座)(?P<obj2>[\u4e00-\u9fff()]{{2,20}}?)$"
)


def _parse_count_before(s: str, ctx: _Ctx) -> bool:
    """``维持线下700场家庭教育活动规模``: the count of what is kept or made ≥ the value (a level kept
    is a floor), named by the thing counted."""
    m = _COUNT_BEFORE_RE.match(_clean_subject(re.sub(r"[“”‘’\"']", "", s)))
    if m is None:
        return False
    if m.group("verb2"):
        _emit(ctx, f"{m.group('obj2')}数", C.GE, float(m.group("v2")), unit=m.group("u2"))
        return True
    head = _ACTIVITY_HEAD.get(m.group("u"), "数")
    _emit(ctx, f"{m.group('obj')}{head}", C.GE, float(m.group("v")), unit=m.group("u"))
    return True


#: A count of the places an action is carried out in (``要在50个县实施“爱暖万家”公益行动``).
_PLACES_COUNT_RE = re.compile(
    rf"^[\u4e00-\u9fff]{{0,4}}?(?:要|将)?在(?P<v>{NUM})(?P<u>个|所|家)(?P<place>[\u4e00-\u9fff()（）]{{1,8}}?)"
    r"(?:深化|深入|全面|继续|率先)?(?P<verb>实施|开展|推广|推行|试点|设立|建立)(?P<act>[\u4e00-\u9fff()]{2,40})$"
)


def _parse_places_count(s: str, ctx: _Ctx) -> bool:
    """``在250个村(社区)深化实施“爱在开端”…项目``: the number of places the action reaches ≥ the value,
    named by the action and the places (``实施爱在开端…项目的村(社区)数``)."""
    m = _PLACES_COUNT_RE.match(_clean_subject(re.sub(r"[“”‘’\"']", "", s)))
    if m is None:
        return False
    _emit(ctx, f"{m.group('verb')}{m.group('act')}的{m.group('place')}数", C.GE, float(m.group("v")), unit=m.group("u"))
    return True


#: ``普惠性幼儿园数、在园幼儿数分别占总数80%以上``: each count's share of the total.
_SHARE_OF_TOTAL_RE = re.compile(rf"^(?P<subj>.+?)(?P<adv>分别|均)?占(?:总数|总量|全部)的?(?={NUM})")


def _shares_of_total(s: str) -> str:
    """``A数、B数分别占总数80%以上`` → ``A数占比、B数占比分别达到80%以上``."""
    m = _SHARE_OF_TOTAL_RE.match(s)
    if m is None:
        return s
    items = [p for p in _SPLIT_ITEMS.split(m.group("subj")) if p]
    subject = "、".join(p if p.endswith(("占比", "比例", "比重")) else p + "占比" for p in items)
    return subject + (m.group("adv") or "") + "达到" + s[m.end():]


def _parse_subclause(s: str, ctx: _Ctx) -> None:
    if s.startswith("其中") and not ctx.parts:
        ctx.parts = True
        ctx.whole = {t.indicator for t in ctx.out if t.indicator}
    n_start, before = len(ctx.out), ctx.previous
    _parse_subclause_targets(s, ctx)
    for t in ctx.out[n_start:]:
        if t.indicator is None and (named := head_named(t.indicator_zh, before) or trained_named(t.indicator_zh, before)):
            t.indicator_zh = named  # 普遍将…纳入学校健康教育,覆盖率达100%: the head measures the clause before
    if ctx.parts:
        _as_parts(ctx.out[n_start:], ctx.whole)


def _as_parts(targets: list[ParsedTarget], whole: set[str]) -> None:
    """``…入园率达到96%以上，其中市区…达到98%以上，县(市)学前三年幼儿入园率达到92%以上``: what
    follows 其中 in the sentence are parts of what it named before, never that whole again; a
    name resolved to the whole's indicator (its qualifier unknown to the dictionary) is kept
    unresolved."""
    for t in targets:
        if t.indicator in whole:
            t.indicator = None
            t.unit = t.unit if t.value is not None else None
            t.flags = list(dict.fromkeys([*t.flags, "unknown_indicator"]))


def _parse_unit_shares(s: str, ctx: _Ctx) -> bool:
    """``全市中小学、幼儿园、社区建立家长学校达到100%``: the share of each kind of unit (:mod:`.unit_shares`)."""
    shares = unit_shares(_LEADING_JUNK.sub("", s), lambda name: _resolve(name, ctx) is not None)
    for name, value, about in shares or []:
        _emit(ctx, name, C.AROUND if about else C.GE, value, unit="%")
    if shares and len(shares) == 1:
        ctx.subject = shares[0][0]  # …制度达70%,2020年达到90%: the next milestone's subject
    able = None if shares else units_able(_LEADING_JUNK.sub("", s))
    if able:
        _emit(ctx, able[0], C.GE, able[1], unit=able[2])
    return bool(shares or able)


#: What a project gives once built (``建成后可新增学位8000个``): a capacity of the project, not an aim of its own.
_ONCE_BUILT_RE = re.compile(r"^(?:项目|学校|工程)?(?:建成|完工|竣工|投用|投入使用)后")


#: Meetings held at a frequency (``每季度召开一次…会议``): a working method, no level to monitor.
_MEETINGS_RE = re.compile(
    r"^[\u4e00-\u9fff]{0,8}?(?:每|定期)[\u4e00-\u9fff]{0,4}?(?:至少)?(?:召开|开展|举行)(?:\d+次)?[\u4e00-\u9fff()]{0,20}?"
    r"(?:会议|例会|座谈会|联席会|推进会|调度会)$"
)


def _parse_sites(s: str, ctx: _Ctx, read: Callable[[str], list[Reading] | None]) -> bool:
    """Counts of a year's sites and people, and a facility's coverage (:mod:`.site_counts`), as ``read`` finds them."""
    readings = read(_clean_subject(re.sub(r"[“”‘’\"']", "", s)))
    for name, comp, value, high, unit in readings or []:
        _emit(ctx, name, C(comp), value, value_high=high, unit=unit)
    return readings is not None


def _parse_every_unit(s: str, ctx: _Ctx) -> bool:
    """A requirement on every unit of each kind listed (:mod:`.universal_shares`), read before the words leading
    an aim are cleaned away (``各地市…`` keeps its 各, ``各级各类学校`` its levels)."""
    raw = re.sub(r"[“”‘’\"'\s]", "", s).strip(",;:、。")
    readings = every_unit_does(re.sub(r"^(?:同时|并且|并|且|其中|提出|要求|明确)+", "", raw))
    for name, comp, value, high, unit in readings or []:
        _emit(ctx, name, C(comp), value, value_high=high, unit=unit)
    return readings is not None


def _parse_subclause_targets(s: str, ctx: _Ctx) -> None:
    if _ONCE_BUILT_RE.match(s):
        return
    if re.match(r"^(?:此后|之后|以后|(?:并|并且)(?!评选|评定|认定|命名|建成|新建|建设|创建|完成))", s) and not YEAR_RE.search(s):
        ctx.year, ctx.years = None, []  # 到2025年…，并持续提高: the continuation runs to the plan's end
    s = _take_year(s, ctx)
    if not s:
        return
    if scope := scope_named(s):
        ctx.scope = scope  # 今后在市直单位中: the units of the share in the next clause
        return
    if _MEETINGS_RE.match(s) or is_time_taken(s):
        return  # 每季度召开一次…会议: how the work is done; 用4年左右的时间: the time the aims take
    s = _shares_of_total(share_word_first(s))
    n_before = len(ctx.out)
    s = _parse_annual(s, ctx)
    s = _parse_relative(s, ctx)
    s = _parse_by_amount(s, ctx)
    if _parse_sites(s, ctx, lambda t: facility_coverage(t, lambda n: _resolve(n, ctx) is not None)):
        ctx.previous = _clean_subject(s)
        return
    s = _parse_coverage(s, ctx)
    ctx_previous = _clean_subject(s.replace("\x00", ""))
    if _parse_share_first(s, ctx) or _parse_pairs(s, ctx) or _parse_unit_shares(s, ctx):
        ctx.previous = ctx_previous
        return
    if (
        _parse_sites(s, ctx, funded_service) or _parse_sites(s, ctx, lambda t: people_first(t, ctx.clause))
        or _parse_people_served(s, ctx) or _parse_brought(s, ctx)
        or _parse_sites(s, ctx, sum_given)
    ):
        ctx.previous = ctx_previous
        return  # 为500名贫困妇女提供救助: the people served, not a count of what is given
    bare = _clean_subject(re.sub(r"[“”‘’\"']", "", s))
    counting, ctx.counting = ctx.counting, counts_sites(bare) or works_counted(bare)
    found = (
        _parse_sites(s, ctx, level_counts) or _parse_sites(s, ctx, each_counts) or _parse_sites(s, ctx, all_kinds_equipped)
        or _parse_sites(s, ctx, team_size) or _parse_sites(s, ctx, people_per_body)
        or _parse_sites(s, ctx, places_doing) or _parse_sites(s, ctx, body_enters_places)
        or _parse_sites(s, ctx, lambda t: served_by_body(t, ctx.previous))
        or _parse_sites(s, ctx, people_screened) or _parse_sites(s, ctx, people_given)
        or _parse_sites(s, ctx, lambda t: unnamed_count(t, ctx.clause))
    )
    if not found and _parse_sites(s, ctx, lambda t: continued_count(t, counting)):
        found = ctx.counting = True
    for part in s.split("\x00") if not found else []:
        found = _parse_levels(part, ctx) or found
    if not found:
        found = (
            _parse_pct_verb(s, ctx) or _parse_pct_object(s, ctx) or _parse_every_unit(s, ctx) or _parse_frequency(s, ctx)
            or _parse_count_after(s, ctx) or _parse_count_first(s, ctx) or _parse_people_served(s, ctx)
            or _parse_served_first(s, ctx) or _parse_benefit(s, ctx)
            or _parse_count_before(s, ctx) or _parse_places_count(s, ctx) or _parse_selected(s, ctx)
            or _parse_all_units(s, ctx)
            or _parse_sites(s, ctx, trailing_count) or _parse_sites(s, ctx, people_reached)
            or _parse_sites(s, ctx, verb_count) or _parse_sites(s, ctx, work_count) or _parse_sites(s, ctx, means_count)
        )
    if not found and _parse_sites(s, ctx, lambda t: continued_work(t, counting)):
        found = ctx.counting = True  # 认定A学校30所,B医院6家: the verb of the count before
    if not found and len(ctx.out) == n_before:
        _parse_direction(s, ctx)
    if len(ctx.out) == n_before and _LONE_SUBJECT_RE.fullmatch(ctx_previous):
        ctx.subject = ctx_previous  # 妇女占从业人员的比例,要保持在40%以上: the subject set off by a comma
    _spread_milestones(ctx, n_before, s)
    ctx.previous = ctx_previous


#: A subclause that only names a share or a rate (no value, no verb), its predicate after the comma.
_LONE_SUBJECT_RE = re.compile(r"[\u4e00-\u9fff()]{2,24}(?:率|比例|比重|占比)")
_SUBCLAUSE_SPLIT = re.compile(r"(?<!\d),|,(?!\d)|;|:|。|!|\?")


#: A quotation: ``提出“学前教育毛入园率达到并保持在92.5%以上”的目标任务``.
_QUOTE_RE = re.compile(r"[“\"「『]([^“”\"「」『』]{4,160}?)[”\"」』](?:的)?")
_QUOTED_TARGET_RE = re.compile(rf"(?:{VERB_ALT}){ADVERBS}[<>≤≥]?=?{NUM}|{NUM}%(?:以上|左右)?的")  # or a share given first


def _unquote_targets(s: str) -> str:
    """A target quoted inside a sentence becomes a sub-clause of its own; quoted names
    (``“15分钟健身圈”覆盖率``) stay as they are."""
    return _QUOTE_RE.sub(lambda m: f",{m.group(1)}," if _QUOTED_TARGET_RE.search(m.group(1)) else m.group(0), s)


#: Named shares or rates listed between commas, then one aim for all (``A比例,B比例,都将逐步提高``).
_SHARED_AIM_RE = re.compile(
    rf"(?P<items>(?:[^,;:。\d]{{2,30}}?(?:率|比例|比重|占比),){{2,6}})"
    rf"(?P<aim>(?:都|均)(?:将|要|会)?{DIR_ADVERBS}(?:{DIR_ALT})+)(?=$|[,;。])"
)


def _join_shared_aim(s: str) -> str:
    """``A比例,B比例,都将逐步提高`` → ``A比例、B比例都将逐步提高``: the items joined by 、 so that the
    aim after 都 is each item's (not when an item states its own verb)."""
    def joined(m: re.Match) -> str:
        items = [i for i in m.group("items").split(",") if i]
        if any(re.search(VERB_ALT, i) for i in items):
            return m.group(0)
        return "、".join(items) + m.group("aim")
    return _SHARED_AIM_RE.sub(joined, s)


#: A verb of change to a level (``提高至``, ``下降到``).
_CHANGE_TO = r"(?:再|继续|进一步|逐步|稳步)?(?:提高|提升|增加|增长|上升|扩大|延长|下降|降低|减少|缩小|缩短|增|升|降)(?:到|至)"
#: A base level a change starts from (``从2015年的76.7岁,``, ``由86%``), before its verb of change to the target.
_FROM_BASE_RE = re.compile(
    rf"(?:从|由)(?:(?:19|20)\d{{2}}年(?:底|末)?(?:的)?|(?:现在|目前|当前|现)(?:的)?)?{NUM}(?:{UNIT_RE})?,?(?={_CHANGE_TO}(?:(?:19|20)\d{{2}}年(?:底|末)?的)?{NUM})"
)
#: The target's year written between the verb and the level (``提高至2020年的78岁``).
_TO_YEAR_LEVEL_RE = re.compile(rf"(?P<verb>{_CHANGE_TO})(?P<y>(?:19|20)\d{{2}})年(?:底|末)?的(?={NUM})")


def _from_base_to_target(s: str) -> str:
    """``人均预期寿命从2015年的76.7岁,提高至2020年的78岁`` → ``人均预期寿命到2020年提高至78岁``: the level
    changed to is the target (of the year written with it); the base it starts from names nothing."""
    s = _FROM_BASE_RE.sub("", s)
    return _TO_YEAR_LEVEL_RE.sub(lambda m: f"到{m.group('y')}年{m.group('verb')}", s)


def _parse(text: str, year: int | None, indicators: IndicatorDictionary | None) -> list[ParsedTarget]:
    clause = str(text).strip()
    s = _join_shared_aim(_from_base_to_target(_unquote_targets(fractions_as_percent(normalize_text(clause)))))
    ctx = _Ctx(default_year=year, indicators=indicators, clause=clause)
    for sub in _SUBCLAUSE_SPLIT.split(s):
        if sub:
            _parse_subclause(sub, ctx)
    return levels_apart(_without_restated(ctx.out))  # 县级…覆盖率,设区的市级…覆盖率: one rate per level


def _without_restated(out: list[ParsedTarget]) -> list[ParsedTarget]:
    """``减少艾滋病母婴传播，艾滋病母婴传播率下降到2%以下``: a direction on an indicator that the
    same sentence gives a level target for (same year) restates it and is dropped; so is one
    that leads in to a level stated later in the sentence for another year
    (``降低孕产妇死亡率，到2025年，全国孕产妇死亡率下降到14.5/10万``); a direction dated by a milestone of its own
    (``到2025年…继续提高，展望2035年…达到80岁以上``) is the aim of that year and is kept."""
    levels = {(t.indicator, t.year) for t in out if t.indicator and t.comparator in LEVEL_COMPARATORS}
    later: set[str] = set()
    keep = []
    for t in reversed(out):
        direction = t.comparator in DIRECTION_COMPARATORS
        leads_in = t.indicator in later and (t.year is None or "no_year" in t.flags)
        if not (direction and ((t.indicator, t.year) in levels or leads_in)):
            keep.append(t)
        if t.indicator and t.comparator in LEVEL_COMPARATORS:
            later.add(t.indicator)
    return keep[::-1]


#: A dated base level a change to a level starts from (``由2020年的88%``, ``从2020年底的4.1‰,``).
_STATED_BASE_RE = re.compile(
    rf"(?:从|由)(?P<y>(?:19|20)\d{{2}})年(?:底|末)?的?(?P<v>{NUM})(?P<u>{UNIT_RE})?,?"
    rf"(?={_CHANGE_TO}(?:(?:19|20)\d{{2}}年(?:底|末)?的)?{NUM})"
)


def with_stated_base(text: str, targets: list[ParsedTarget]) -> list[ParsedTarget]:
    """``学前教育毛入园率由2020年的88%提高到95%``: the level targets of the clause get the base it
    states (:attr:`ParsedTarget.stated_baseline`), in their unit, when the clause states one dated
    base and its level targets are of one indicator; a base in a unit that cannot be converted to
    the target's, or not before the target's year, is left off."""
    bases = list(_STATED_BASE_RE.finditer(normalize_text(text)))
    levels = [t for t in targets if t.comparator in LEVEL_COMPARATORS and t.comparator not in _RELATIVE]
    if len(bases) != 1 or len({t.indicator or t.indicator_zh for t in levels}) != 1:
        return targets
    m = bases[0]
    year, value, unit = int(m.group("y")), float(m.group("v")), _unit(m.group("u"))
    out, level_ids = [], {id(t) for t in levels}
    for t in targets:
        factor = 1.0 if unit is None or unit == t.unit else conversion_factor(unit, t.unit)
        if id(t) in level_ids and factor is not None and (t.year is None or year < t.year):
            t = t.model_copy(update={"stated_baseline": (year, value * factor)})
        out.append(t)
    return out


_RELATIVE = frozenset({Comparator.RELATIVE_DECREASE_PCT, Comparator.RELATIVE_INCREASE_PCT})


def default_indicators() -> IndicatorDictionary | None:
    """The package dictionary, or None when it cannot be read (nothing then resolves)."""
    try:
        return load_indicators()
    except Exception:  # noqa: BLE001 - a missing or broken dictionary only means no resolution
        log.warning("indicator dictionary unavailable; indicators will not be resolved")
        return None


def parse_target(
    text: str, year: int | None = None, indicators: IndicatorDictionary | None = None
) -> list[ParsedTarget]:
    """Parse a plan clause into targets (one per indicator and milestone year).

    ``year`` is the target year when the clause names none (typically the plan's end
    year); without it such targets get ``year=None`` and the flag ``no_year``.
    ``indicators`` defaults to the package dictionary. Never raises.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        return with_stated_base(text, _parse(text, year, indicators if indicators is not None else default_indicators()))
    except Exception:  # noqa: BLE001 - the grammar must never raise on plan text
        log.exception("parse_target failed on %r", text[:80])
        return []


# --------------------------------------------------------------------------- tables

_NAME_UNIT_RE = re.compile(r"^(?P<name>.+?)[(（](?P<unit>[^()（）]{1,8})[)）]$")
_CELL_RE = re.compile(
    rf"^(?P<sym>[<>≤≥]=?)?(?P<v>{NUM})(?P<u>{UNIT_RE})?(?:(?:~|-|—|–|至|到)(?P<v2>{NUM})(?P<u2>{UNIT_RE})?)?"
    rf"(?P<suf>{SUFFIX_ALT})?$"
)
#: Words that mark a lower-is-better quantity when the dictionary does not know it.
_LOWER_WORDS = (
    "死亡", "发生率", "患病", "近视", "犯罪", "伤害", "贫血", "迟缓", "低体重", "肥胖", "龋",
    "流产", "传播率", "剖宫产", "文盲", "自杀", "自伤", "嫌疑人",
)


def parse_table_cell(
    name: str, cell: str, year: int | None, indicators: IndicatorDictionary | None = None
) -> list[ParsedTarget]:
    """Target of one indicator-table cell: ``新生儿死亡率(‰)`` + ``<1.3`` → ``< 1.3 ‰``.

    A bare number takes its comparator from the indicator's polarity (flag
    ``assumed_comparator``); direction words (``下降``, ``巩固提高``) give direction targets.
    Never raises.
    """
    try:
        indicators = indicators if indicators is not None else default_indicators()
        text, notes = _cell_notes(normalize_text(cell))
        out = _parse_table_cell(name, text, year, indicators)
        for note in notes:  # a milestone in brackets: ``达到79岁(2020年人均预期寿命达到77.3岁)``
            out += [t for t in _parse(note, year, indicators) if t.year != year]
        return [t.model_copy(update={"clause": f"{name} | {cell}"}) for t in out]
    except Exception:  # noqa: BLE001 - tables in the wild are messy
        log.exception("parse_table_cell failed on %r / %r", name, cell)
        return []


#: A note in brackets after a cell's value: ``5.0‰(目前8.1‰)``, ``达到79岁(2020年…达到77.3岁)``.
_CELL_NOTE_RE = re.compile(r"^(?P<main>.*?\d.*?)(?P<notes>(?:\([^()]*\d[^()]*\))+)$")
#: A note giving the level of now or of a past year (``目前8.1‰``, ``2014年为3.6亿人``): no aim.
_CURRENT_NOTE_RE = re.compile(r"^(?:目前|现状|现为|当前|现在|基期|基数|(?:19|20)\d\d年(?:底|末)?(?:为|是|约))")


def _cell_notes(text: str) -> tuple[str, list[str]]:
    """A cell without its bracketed notes, and those of them that state a dated aim."""
    m = _CELL_NOTE_RE.match(text)
    if m is None:
        return text, []
    notes = re.findall(r"\(([^()]*)\)", m.group("notes"))
    return m.group("main"), [
        n for n in notes if not _CURRENT_NOTE_RE.match(n) and YEAR_RE.search(n) and _VERB_NUMBER_RE.search(n)
    ]


_VERB_NUMBER_RE = re.compile(rf"(?:{VERB_ALT}){ADVERBS}[<>≤≥]?=?{NUM}")


def _parse_table_cell(
    name: str, cell: str, year: int | None, indicators: IndicatorDictionary | None
) -> list[ParsedTarget]:
    raw_name = normalize_text(name)
    m = _NAME_UNIT_RE.match(raw_name)
    name_unit = None
    zh = raw_name
    if m and (m.group("unit") in UNITS or canonical_unit(m.group("unit")) in UNITS):
        zh, name_unit = m.group("name"), m.group("unit")
    ctx = _Ctx(default_year=year, indicators=indicators, clause=f"{name} | {cell}")
    ctx.year = year
    text = normalize_text(cell)
    if COVERAGE_RE.fullmatch(text):
        _emit(ctx, zh, C.GE, 100.0, unit="%")
        return ctx.out
    cm = _CELL_RE.match(text)
    if cm is None and re.search(r"\d", text):
        # a cell written as a phrase: 以2020年为基数下降10%, 年均提高5%, 达到95%以上
        found = _parse(zh + text, year, indicators)
        return [t.model_copy(update={"clause": ctx.clause}) for t in found]
    if cm is None:
        comp = _direction(text)
        if comp is not None:
            _emit(ctx, zh, comp)
        return ctx.out
    v = float(cm.group("v"))
    v2 = float(cm.group("v2")) if cm.group("v2") else None
    unit = _unit(cm.group("u2") or cm.group("u") or name_unit)
    ind = _resolve(zh, ctx, _suffixes_for(name_unit))
    polarity = ind.polarity if ind else ("lower" if any(w in zh for w in _LOWER_WORDS) else "higher")
    comp, assumed = _level_comparator(None, cm.group("suf"), cm.group("sym"), polarity)
    if v2 is not None and comp != C.AROUND:
        comp, assumed = C.RANGE, False
    _emit(ctx, zh, comp, v, v2, unit, flags=["assumed_comparator"] if assumed else [])
    return ctx.out
