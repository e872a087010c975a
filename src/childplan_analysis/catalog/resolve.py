"""Robust indicator look-up for names as they are written in plan text.

Order of strategies (first hit wins):

1. exact id / name / alias (:meth:`IndicatorDictionary.find`), also with a head noun
   appended (``床位`` + ``数``) when the caller supplies suffixes;
2. the longest known name contained in the phrase, provided the phrase does not go on to
   name another quantity (``适龄儿童免疫规划疫苗接种率以乡镇为单位`` → immunization;
   ``A率和B率`` is not taken as ``A率``) and does not narrow it by a cause, an age or a
   sub-population or a region written before it (``出生缺陷导致的婴儿死亡率``, ``6岁儿童近视率``,
   ``主要劳动年龄人口中女性平均受教育年限``, ``特需儿童学前三年入园率``, ``东部地区学前三年入园率``
   stay unresolved unless the dictionary has them);
3. the phrase contained in a known name that is at most 25 % longer
   (``每千名儿童拥有床位`` → ``每千名儿童拥有床位数``), the discriminating words (but 女)
   agreeing (``公办幼儿园覆盖率`` is not ``普惠性幼儿园覆盖率``);
4. character-bigram similarity (Dice ≥ 0.8) with guards: digits and discriminating words
   (小学/初中/高中, 城市/农村, 新生儿/婴儿, 女, …) must agree, and the best match must be
   unique.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from childplan_analysis.core.errors import PlanError
from childplan_analysis.core.indicators import (
    NAME_SYNONYMS,
    Indicator,
    IndicatorDictionary,
    load_indicators,
    merge_indicators,
    normalize_name,
)

MIN_KEY_LEN = 4
DICE_THRESHOLD = 0.8
REVERSE_RATIO = 0.8
#: Words that distinguish otherwise similar indicators; fuzzy matches must agree on them.
DISCRIMINATORS = (
    "小学", "初中", "高中", "城市", "城区", "市区", "城镇", "农村", "新生儿", "婴儿", "孕", "残疾", "留守",
    "学前", "义务", "高等", "男", "女", "流动", "困境", "孤儿", "死亡", "伤害", "溺水", "贫血",
    "近视", "每千", "每所", "托", "参保", "筛查", "居委会", "村委会", "党组织", "公办", "普惠", "优良",
    "高危", "高龄", "危重", "重度", "所生",
)
_LIST_BEFORE = re.compile(r"(和|、|及|与|以及)$|(率|比例|比重|占比|数|数量)(和|、|及|与|以及)")
_HEAD_AT_END = re.compile(r"(率|比例|比重|占比|数|数量|人数|年限|寿命|时间|覆盖率|差距|指数)$")
#: Words before a known name that narrow it to a cause (出生缺陷导致的婴儿死亡率), an age
#: (6岁儿童近视率), a sub-population (主要劳动年龄人口中女性平均受教育年限) or a group at risk
#: (高危孕产妇住院分娩率): the phrase then
#: names a narrower indicator than the known one.
_QUALIFIER_BEFORE = re.compile(
    r"导致|所致|引起|引发|造成|\d+(?:岁|周岁|月龄|个月)|[一二三四五六七八九十两]+(?:岁|周岁)|中$|"
    r"(?:儿童|学生|妇女|女性|人员|人口|群体|家庭)$|(?:东部|西部|中部|东北|山区|牧区|民族|贫困|边远)地区|"
    r"(?:高危|高龄|危重|重症|早产|低保|特困)$|"  # 高危孕产妇住院分娩率: a group at risk or in need
    r"(?:示范性?|示范性综合|综合性?|标准化|规范化)$"  # 示范性综合托育机构: a kind of them, not all
)


#: Synonyms written either way in plans (applied to phrases and dictionary names alike): those
#: of the dictionary's own look-up, shortened forms, and the former name of the immunization
#: programme's coverage (计划免疫, before 免疫规划).
SYNONYMS = (*NAME_SYNONYMS, ("幼儿园", "园"), ("儿童青少年", "儿童"), ("计划免疫接种率", "免疫规划疫苗接种率"))


#: Abbreviated names of bodies and stations (``未保工作站`` for 未成年人保护工作站), written in full
#: before the look-up; only before a word of a body, so ``尚未保障`` is left alone.
#: ``村民委员会`` is the 村委会 written in full.
_ABBREVIATIONS = (
    (re.compile(r"未保(?=工作|站|中心|机构|委员会|办)"), "未成年人保护"),
    (re.compile(r"村民委员会"), "村委会"),
    # public kindergartens and inclusive private ones together are the inclusive ones (普惠性幼儿园)
    (re.compile(r"公办(?:园|幼儿园)?(?:和|及|与|、|以及)普惠性?民办(?:园)?"), "普惠性"),
)
#: How often and where, written in either order in a name (``在校时每天`` / ``每天在校``, ``校内``).
_FREQUENCY_RE = re.compile(r"每(?:天|日)")
_AT_SCHOOL_RE = re.compile(r"在校时|在校期间|校内")
#: 健康寿命 is short for 人均健康预期寿命 (``妇女健康寿命延长``).
_HEALTHY_LIFE_RE = re.compile(r"(?:人均)?健康寿命")
#: ``中`` between a body's members and the women among them (``村委会成员中女性比例``): written or not.
_AMONG_WOMEN_RE = re.compile(r"(成员|代表|委员)中(?=女性|妇女)")
#: The share of women among a group of people written with 女性 first (``女性高级专业技术人员比例``):
#: the same share as ``高级专业技术人员中女性比例``. Not the share of women meeting a standard
#: (``女性体质测定标准合格比例``), nor of one group in another (``女性就业人员占…比重``).
_WOMEN_FIRST_RE = re.compile(
    r"^女性(?![^占中]*[占中])(.{0,12}?(?:人员|代表|委员|成员|干部|主任|书记|领导|职工|人才|工作者|党员|公务员|教师|医生|专家))"
    r"(比例|比重|占比)$")
#: The share of those meeting a standard is its pass rate (``合格比例`` = ``合格率``).
_PASS_SHARE_RE = re.compile(r"(达标|合格|优良)(?:比例|比重|占比)$")


def simplify(name: str) -> str:
    """Normalised name without bracketed parts, 的, quotes and punctuation; abbreviations written
    in full (``未保`` → 未成年人保护, ``婚检率``); synonyms unified;
    a leading 城乡 (urban and rural together: the whole) dropped, the 中 of ``成员中女性`` dropped, also after a rate (``婚检率城乡``), 健康寿命 written in full; a frequency (每天) put first
    and 在校时/校内 written 在校, so the order of these qualifiers does not matter; a share
    meeting a standard written as its rate."""
    s = normalize_name(name)
    for pattern, full in _ABBREVIATIONS:
        s = pattern.sub(full, s)
    s = re.sub(r"\([^()]*\)", "", s)
    s = re.sub(r"[的“”\"'《》、,.·:;]", "", s)
    for a, b in SYNONYMS:
        s = s.replace(a, b)
    s = s.removeprefix("城乡")
    s = _WOMEN_FIRST_RE.sub(r"\1中女性\2", s)  # 女性高级专业技术人员比例 = 高级专业技术人员中女性比例
    s = _AMONG_WOMEN_RE.sub(r"\1", s)  # 村委会成员女性比例: the 中 of 成员中女性比例 left out
    s = re.sub(r"(率|比例|比重|占比)城乡$", r"\1", s)  # 婚检率城乡均达98%: urban and rural alike, after the name
    s = re.sub(r"^(学前(?:教育|三年)?)毛入学率$", r"\1毛入园率", s)  # pre-school: 入学 written for 入园
    s = _HEALTHY_LIFE_RE.sub("人均健康预期寿命", s)
    s = _AT_SCHOOL_RE.sub("在校", s)
    if _FREQUENCY_RE.search(s):
        s = "每天" + _FREQUENCY_RE.sub("", s)
    return _PASS_SHARE_RE.sub(r"\1率", s)


#: Abbreviated names of rates, written in full only when the rate is written so (``婚检率``), not
#: when a head noun is tried after an activity (``扩大婚检…覆盖面``).
_WRITTEN_ABBREVIATIONS = (
    (re.compile(r"婚检率"), "婚前医学检查率"),
    # the members of a congress of deputies (人代会: 人民代表大会) and of a CPPCC (政协会) are its deputies and members
    (re.compile(r"(?<![职教])人代会(?=中)"), "人大代表"),
    (re.compile(r"政协会(?=中)"), "政协委员"),
)


def _written_in_full(phrase: str) -> str:
    for pattern, full in _WRITTEN_ABBREVIATIONS:
        phrase = pattern.sub(full, phrase)
    return phrase


@lru_cache(maxsize=8)
def _index(indicators: IndicatorDictionary) -> tuple[tuple[str, str, str], ...]:
    """(normalised key, simplified key, indicator id) for every name and alias."""
    rows = []
    for ind in indicators:
        for name in (ind.name_zh, *ind.aliases):
            rows.append((normalize_name(name), simplify(name), ind.id))
    return tuple(rows)


def resolve_indicator(
    phrase: str,
    indicators: IndicatorDictionary,
    suffixes: tuple[str, ...] = (),
    exact_only: bool = False,
    near_exact: bool = False,
) -> Indicator | None:
    """The indicator named by ``phrase`` (see the module docstring), or None.

    ``suffixes`` are head nouns tried after the phrase (``床位`` + ``数``); ``exact_only``
    restricts the look-up to strategy 1, ``near_exact`` to strategies 1 and 3 (the phrase is
    the name or nearly all of it).
    """
    try:
        mode = "exact" if exact_only else "near" if near_exact else "all"
        ind_id = _resolve_cached(phrase, indicators, tuple(suffixes), mode)
    except Exception:  # noqa: BLE001 - resolution is best effort
        return None
    return indicators.by_id.get(ind_id) if ind_id else None


@lru_cache(maxsize=50_000)
def _resolve_cached(
    phrase: str, indicators: IndicatorDictionary, suffixes: tuple[str, ...], mode: str
) -> str | None:
    phrase = _written_in_full(phrase.strip())
    if not phrase:
        return None
    candidates = [phrase] + [phrase + s for s in suffixes if not phrase.endswith(s)]
    index = _index(indicators)
    strategies = {
        "exact": (_exact,),
        "near": (_exact, _containing),
        "all": (_exact, _contained, _containing, _dice),
    }[mode]
    for strategy in strategies:
        for cand in candidates:
            found = strategy(cand, indicators, index)
            if found:
                return found
    place = _PLACE_PREFIX.match(phrase)
    if place and not _NOT_A_PLACE.search(place.group(0)):
        return _resolve_cached(phrase[place.end():], indicators, suffixes, mode)
    return None


#: A named place before a name (``济宁市学前教育毛入学率``, ``云南省婴儿死亡率``): the plan's own region;
#: the name after it is looked up when the whole is not known.
_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?:自治区|自治州|自治县|省|市|县|区|州|旗|盟)(?=[\u4e00-\u9fff]{4})")
#: Words ending like a place that are no place of their own (农村社区, 城区, 地区, 校区).
_NOT_A_PLACE = re.compile(r"(?:社区|城区|市区|地区|小区|园区|景区|校区|辖区|山区|牧区|林区|街区|片区|新区)$|^(?:城市|城乡|全)|[儿童妇女孕村城乡学园校院所站家]")


def _exact(cand: str, indicators: IndicatorDictionary, index) -> str | None:
    ind = indicators.find(cand)
    if ind is not None:
        return ind.id
    simple = simplify(cand)
    hits = {i for _, s, i in index if s == simple}
    return hits.pop() if len(hits) == 1 else None


def _contained(cand: str, indicators: IndicatorDictionary, index) -> str | None:
    """Longest known name inside the phrase, the phrase's head being that name's head."""
    best: tuple[int, str] | None = None
    for text, pos in ((normalize_name(cand), 0), (simplify(cand), 1)):
        for row in index:
            key = row[pos]
            if len(key) < MIN_KEY_LEN or key not in text:
                continue
            at = text.rindex(key)
            rest = text[at + len(key):]
            if rest and (_HEAD_AT_END.search(rest) or re.search(r"\d", rest) or _QUALIFIER_BEFORE.search(rest)):
                continue  # a value or a region after the name: not the known indicator
            if _LIST_BEFORE.search(text[:at]) or not _agree_words(text, key):
                continue
            if _QUALIFIER_BEFORE.search(text[:at]):
                continue
            if best is None or len(key) > best[0]:
                best = (len(key), row[2])
    return best[1] if best else None


#: Who is eligible, before a name (``适龄妇女宫颈癌人群筛查率``): plans often leave it unsaid.
_ELIGIBLE_RE = re.compile(r"^适龄(?:妇女|女性|儿童)?")


def _containing(cand: str, indicators: IndicatorDictionary, index) -> str | None:
    """A known name that contains the (nearly complete) phrase; a leading eligibility
    qualifier of the name (``适龄妇女``) does not count in how complete it is."""
    simple = simplify(cand)
    if len(simple) < MIN_KEY_LEN:
        return None
    hits = {
        i for _, s, i in index
        if simple in s and len(simple) >= REVERSE_RATIO * len(_ELIGIBLE_RE.sub("", s))
        and _agree_words(simple, s, ("女",))
        and _same_kind(simple, s)
    }
    return hits.pop() if len(hits) == 1 else None


def _bigrams(s: str) -> set[str]:
    return {s[i: i + 2] for i in range(len(s) - 1)}


def _agree_words(a: str, b: str, ignore: tuple[str, ...] = ()) -> bool:
    """``a`` and ``b`` mention the same discriminating words (女, 农村, 小学, …), those in
    ``ignore`` apart (a women's plan often leaves 女 unsaid: 人均健康预期寿命)."""
    a, b = a.replace("妇女", "女性"), b.replace("妇女", "女性")
    return all((w in a) == (w in b) for w in DISCRIMINATORS if w not in ignore)


_SHARE_HEAD = re.compile(r"(率|比例|比重|占比)$")
_COUNT_HEAD = re.compile(r"(数|数量|人数|人次)$")


def _same_kind(a: str, b: str) -> bool:
    """A count (``女干部数量``) is not a share (``女干部比例``) and a share is not a count."""
    return not (
        (_SHARE_HEAD.search(a) and _COUNT_HEAD.search(b)) or (_COUNT_HEAD.search(a) and _SHARE_HEAD.search(b))
    )


def _agree(a: str, b: str) -> bool:
    if set(re.findall(r"\d+", a)) != set(re.findall(r"\d+", b)):
        return False
    return _agree_words(a, b) and _same_kind(a, b)


def _dice(cand: str, indicators: IndicatorDictionary, index) -> str | None:
    simple = simplify(cand)
    grams = _bigrams(simple)
    if len(grams) < 3:
        return None
    scored: dict[str, float] = {}
    for _, key, ind_id in index:
        kg = _bigrams(key)
        if not kg:
            continue
        score = 2 * len(grams & kg) / (len(grams) + len(kg))
        if score >= DICE_THRESHOLD and _agree(simple, key):
            scored[ind_id] = max(score, scored.get(ind_id, 0.0))
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda kv: kv[1], reverse=True)
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 1e-9:
        return None
    return ranked[0][0]


def with_extra_indicators(
    extra: str | Path | None, base: IndicatorDictionary | None = None
) -> IndicatorDictionary:
    """The package dictionary (or ``base``) with the entries of an analyst's own dictionary
    file (YAML in the ``params/indicators.yaml`` format) added; an entry with a known id
    replaces the package entry. A name used by two indicators raises
    :class:`~childplan_analysis.core.errors.PlanError` naming the file."""
    base = base if base is not None else load_indicators()
    if extra is None:
        return base
    path = Path(extra)
    if not path.is_file():
        raise PlanError(str(path), [("<file>", "indicator dictionary not found")])
    return merge_indicators(base, load_indicators(path))
