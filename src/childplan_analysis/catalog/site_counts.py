"""Counts of a year's programme sites and of the people they serve, and coverage of a facility in a kind of unit.

Each function reads one sub-clause (quotation marks removed) and returns ``(name, comparator, value, value_high,
unit)`` readings, or None when the sub-clause is not of its kind:

- :func:`level_counts`: a count first and its levels after, sharing one kind of site
  (``创建6个省级、15个市级巾帼文明岗`` → ``省级巾帼文明岗数`` ≥ 6, ``市级巾帼文明岗数`` ≥ 15);
- :func:`each_counts`: sites listed sharing one count (``新建A和B各5家``), one count each;
- :func:`continued_count`: a count without a verb that goes on a list of counts (``培育100个A,80个B`` → ``B数`` ≥ 80);
- :func:`trailing_count`: a site or event named before its count (``打造儿童友好步道30条``);
- :func:`verb_count`: a count after its verb (``创树300个巾帼字号合作社``), for verbs no other reading knows;
- :func:`unnamed_count`: a count whose site the sentence quoted before it (``要求各区建设不少于8个``);
- :func:`people_reached`: the people a project serves (``惠及困境儿童1500余名`` → ``惠及的困境儿童人数`` ≥ 1500);
- :func:`all_kinds_equipped`: every unit of each kind listed to have a thing (``所有A和B都将增设X``);
- :func:`facility_coverage`: a facility in every unit of a kind (``三级综合医院儿童保健门诊全覆盖`` → the share of those
  hospitals having one, ``有儿童保健门诊的三级综合医院比例`` ≥ 100 %).
"""

from __future__ import annotations

import re
from collections.abc import Callable

Reading = tuple[str, str, float, float | None, str]

_NUM = r"\d+(?:\.\d+)?"
_RANGE = rf"(?P<v>{_NUM})(?:[-~～—至到](?P<hi>{_NUM}))?"
#: Classifiers of sites, events and rounds of a project.
_CL = r"(?:个|家|所|处|座|条|间|项|支|期|场次|场)"
#: Verbs of making, choosing or holding what is counted.
_VERB = (
    r"(?:创建|建设|建成|新建|建立|培育|发展|打造|创树|选树|培树|推树|评选|命名|推荐|开展|举办|组织|开设|设立|设置|划设|"
    r"实施|开发|扶持|提供|推出|再建|增建)"
)
#: Words leading an aim before its verb: the body, a hedge, a time word.
_LEAD = r"(?:[\u4e00-\u9fff]{0,10}?(?:将|要|计划|拟|力争|争取|确保|合力|共同))?(?:今年|全年|年内)?(?:实现)?(?:共|累计|重点|再|新)?"
#: A level of government or of a model (``全国``, ``省级``, ``市级``, ``县(市、区)级``).
_LEVEL = r"(?:全国|国家级|(?:[\u4e00-\u9fff]|\([\u4e00-\u9fff、]{1,6}\)){1,4}?级)"
_THING = r"[\u4e00-\u9fff()A-Za-z+·]{2,30}?"
_PEOPLE_UNITS = r"(?:名|人次|人)"


#: The word for "the number of" after a kind of event (``亲子阅读活动场次``); sites take 数.
_HEAD = {"场": "场次", "场次": "场次", "期": "期数"}


def _named(thing: str, unit: str) -> str:
    return f"{thing}{_HEAD.get(unit, '数')}"


def _value(m: re.Match) -> tuple[str, float, float | None]:
    if m.group("hi"):
        return "range", float(m.group("v")), float(m.group("hi"))
    return ">=", float(m.group("v")), None


_LEVELS_RE = re.compile(
    rf"^{_LEAD}(?:{_VERB}(?:和|及)?){{0,2}}(?P<items>(?:{_NUM}(?:[-~～—至到]{_NUM})?{_CL}{_LEVEL}、)+)"
    rf"(?P<last>{_NUM}(?:[-~～—至到]{_NUM})?{_CL}{_LEVEL})(?P<thing>{_THING})(?:的目标|的任务)?$"
)
_ITEM_RE = re.compile(rf"^{_RANGE}(?P<u>{_CL})(?P<lvl>{_LEVEL})$")


def level_counts(s: str) -> list[Reading] | None:
    """``创建6个省级、15个市级巾帼文明岗``: one count per level, each of the kind named after the last."""
    m = _LEVELS_RE.match(s)
    if m is None:
        return None
    out: list[Reading] = []
    for item in [*m.group("items").split("、"), m.group("last")]:
        if not item:
            continue
        i = _ITEM_RE.match(item)
        if i is None:
            return None
        comp, v, hi = _value(i)
        level = "国家级" if i.group("lvl") == "全国" else i.group("lvl")  # 全国 opening a name reads as "nationwide"
        out.append((_named(level + m.group("thing"), i.group("u")), comp, v, hi, i.group("u")))
    return out


#: A count whose verb is the sub-clause before it (``培育100个A,80个B``).
_BARE_COUNT_RE = re.compile(rf"^(?:和|及|以及)?{_RANGE}(?P<u>{_CL})(?P<thing>{_THING})$")
#: A sub-clause stating a count of sites with its verb.
_COUNT_CLAUSE_RE = re.compile(rf"{_VERB}(?:不少于|至少)?[\u4e00-\u9fff]{{0,6}}?{_NUM}{_CL}")
#: Things no project makes: a document's counts of its own items (``13个约束性指标``, ``10项内容``).
_OWN_ITEMS_RE = re.compile(r"(?:指标|内容|任务|措施|条款|方面)")


def counts_sites(s: str) -> bool:
    """Whether a sub-clause states a count of sites with its verb (``创建100个…基地``): a list of bare counts may follow."""
    return bool(_COUNT_CLAUSE_RE.search(s))


def continued_count(s: str, counting: bool) -> list[Reading] | None:
    """``…,80个和美家庭示范村``: a count of the kind named, its verb the counts' before it (``counting``: the
    sub-clause before states a count of sites with its verb, or is such a bare count going on the list)."""
    m = _BARE_COUNT_RE.match(s)
    if m is None or not counting or re.search(_VERB, m.group("thing")) or _OWN_ITEMS_RE.search(m.group("thing")):
        return None
    comp, v, hi = _value(m)
    return [(_named(m.group("thing"), m.group("u")), comp, v, hi, m.group("u"))]


#: A floor written before the count (``不少于60条``).
_FLOOR = r"(?:不少于|不低于|至少|超过)?"
_TRAILING_RE = re.compile(
    rf"^{_LEAD}(?:[\u4e00-\u9fff]{{0,6}}?)(?P<verb>{_VERB})(?P<thing>{_THING})(?:共计|共|累计|合计)?{_FLOOR}{_RANGE}(?P<more>余|多)?(?P<u>{_CL})$"
)


def trailing_count(s: str) -> list[Reading] | None:
    """``打造儿童友好步道30条``, ``举办周末托管班共计25期``: the count of what is made or held, named by it."""
    m = _TRAILING_RE.match(s)
    if m is None or re.search(r"\d", m.group("thing")):
        return None
    comp, v, hi = _value(m)
    return [(_named(m.group("thing"), m.group("u")), comp, v, hi, m.group("u"))]


_VERB_COUNT_RE = re.compile(rf"^{_LEAD}(?P<verb>(?:{_VERB}(?:和|及)?){{1,2}}){_FLOOR}{_RANGE}(?P<more>余|多)?(?P<u>{_CL})(?P<thing>{_THING})$")


def verb_count(s: str) -> list[Reading] | None:
    """``创树300个巾帼字号合作社``: the count of what is made or chosen, named by it (a verb other readings do not know)."""
    m = _VERB_COUNT_RE.match(s)
    if m is None or re.search(rf"\d|{_VERB}", m.group("thing")):
        return None
    comp, v, hi = _value(m)
    return [(_named(m.group("thing"), m.group("u")), comp, v, hi, m.group("u"))]


_EACH_RE = re.compile(
    rf"^{_LEAD}(?:在[\u4e00-\u9fff]{{1,6}}?)?(?:继续|新|再)?(?P<verb>{_VERB})"
    rf"(?P<things>[\u4e00-\u9fff()]{{2,20}}(?:(?:和|及|与|、)[\u4e00-\u9fff()]{{2,20}})+?)各{_FLOOR}{_RANGE}(?P<u>{_CL})(?:以上)?$"
)


def each_counts(s: str) -> list[Reading] | None:
    """``新建A和B各5家``: sites listed sharing one count (``各``), one count each."""
    m = _EACH_RE.match(s)
    if m is None:
        return None
    things = [t for t in re.split(r"和|及|与|、", m.group("things")) if t]
    if len(things) < 2 or any(len(t) < 2 or re.search(_VERB, t) for t in things):
        return None
    comp, v, hi = _value(m)
    return [(_named(t, m.group("u")), comp, v, hi, m.group("u")) for t in things]


_UNNAMED_RE = re.compile(
    rf"^(?:今年|全年|年内)?(?:的)?(?:目标是|目标为|任务是|要?求|以后|此后|今后)?(?P<who>(?:各|每个)?[\u4e00-\u9fff、()]{{0,8}}?)"
    rf"(?P<each>每年)?(?:逐步|再|新)?(?P<verb>(?:[\u4e00-\u9fff]{{2}}和)?{_VERB}){_FLOOR}{_RANGE}(?P<u>{_CL})(?:以上)?$"
)
#: A quoted name that is a standard or a rule, not a site (``“五有”标准``).
_STANDARD_RE = re.compile(r"(?:的)?(?:标准|要求|原则|理念|模式|目标|精神)")
#: A count in the sentence (``100个``) and what stands right before a count naming no site (``建设不少于``).
_COUNT_IN_RE = re.compile(rf"{_NUM}{_CL}")
_BARE_BEFORE_RE = re.compile(rf"{_VERB}{_FLOOR}$")
#: A name in quotation marks: a programme's site (``“爱心书屋”``).
_QUOTED_RE = re.compile(r"[“\"]([^“”\"]{2,20})[”\"]")


def unnamed_count(s: str, clause: str) -> list[Reading] | None:
    """``要求各区建设不少于8个``: a count whose site the sentence named before it in quotation marks
    (``每年建设一批“爱心书屋”,…``) → ``每个区建设的爱心书屋数``; ``各`` is each place's count. None when the
    sentence is no such count; an empty list (no target) when it quotes no site before it."""
    m = _UNNAMED_RE.match(s)
    if m is None:
        return None
    at = clause.find(f"{m.group('v')}{m.group('u')}")
    before = clause[: at if at >= 0 else len(clause)]
    quoted = [q for q in _QUOTED_RE.finditer(before) if not _STANDARD_RE.match(before, q.end())]
    if not quoted:  # 要求各县建设不少于6个, no site named nor counted before: nothing counted, no target
        return None if _COUNT_IN_RE.search(before) else []
    if any(not _BARE_BEFORE_RE.search(before, 0, c.start()) for c in _COUNT_IN_RE.finditer(before, quoted[-1].end())):
        return None  # a count naming its own site stands between: that site is the one meant, read as before
    names = [q.group(1) for q in quoted]
    who = re.sub(r"^各", "每个", m.group("who"))
    comp, v, hi = _value(m)
    name = f"{who}{m.group('each') or ''}{m.group('verb')}的{names[-1]}"
    return [(_named(name, m.group("u")), comp, v, hi, m.group("u"))]


_REACHED_RE = re.compile(
    rf"^(?:预计|计划|将|可|共|累计)*(?P<verb>惠及|服务|受益|覆盖)(?P<who>[\u4e00-\u9fff]{{2,12}}?)"
    rf"(?:共计|共|累计)?{_RANGE}(?P<more>余|多)?(?P<u>{_PEOPLE_UNITS})$"
)


def people_reached(s: str) -> list[Reading] | None:
    """``惠及困境儿童1500余名``: the people a project reaches (余, 多: a floor of the round number)."""
    m = _REACHED_RE.match(s)
    if m is None:
        return None
    comp, v, hi = _value(m)
    head = "人次" if m.group("u") == "人次" else "人数"
    return [(f"{m.group('verb')}的{m.group('who')}{head}", comp, v, hi, m.group("u"))]


_KIND = r"(?:(?!的)[\u4e00-\u9fff]){2,8}?(?:\([\u4e00-\u9fff、]{2,8}\))?"
_ALL_KINDS_RE = re.compile(
    r"^(?:(?:各区县|各县区|各地|全省|全市|全区|全县)的?)?"
    r"(?:(?:所有|全部)(?P<qual>[\u4e00-\u9fff]{2,16}?的)?|(?P<due>应[\u4e00-\u9fff]{2,14}?的)|"
    r"(?:省内|市内|区内|县内|全省|全市|全区|全县)?各?(?P<place>(?:(?!应)[\u4e00-\u9fff]){2,12}?的)?)"
    rf"(?P<kinds>{_KIND}(?:(?:和|及|、){_KIND})+)"
    r"(?:都|均|全部)(?:将|要|能|应|可)?(?P<manner>按要求|按规定|按标准)?"
    r"(?P<verb>增设|配置|配备|设置|建成|设有|开设)(?P<y>[\u4e00-\u9fff]{2,20})$"
)


#: Words for every place of a level or the whole of one (``各市``, ``省内各``): no qualifier of the kinds.
_WHOLE_PLACE_RE = re.compile(r"^(?:省内|市内|区内|县内|全省|全市|全区|全县|各(?:省|市|区|县|州|旗|镇|乡|地|级)?)+")


def all_kinds_equipped(s: str) -> list[Reading] | None:
    """``所有应设置无障碍设施的学校和医院都将增设无障碍设施``: every unit of each kind listed to have it, a full share
    of each (``增设无障碍设施的应设置无障碍设施的学校比例`` ≥ 100 %); one kind is read as before. Kinds qualified as
    due to have it (``应配置母婴设施的机场、火车站均按要求配置母婴设施``) are each a kind too, without ``所有``; a
    qualifier saying again what is done is left out of the name (``按要求配置母婴设施的机场比例``). So are kinds with no
    qualifier, or with the places they are in (``省内各地级以上城市的机场、主要火车站均按要求配置母婴设施``:
    ``按要求配置母婴设施的地级以上城市机场比例``): 均 gives each kind listed the facility, one full share each."""
    m = _ALL_KINDS_RE.match(s)
    if m is None:
        return None
    kinds = [k for k in re.split(r"(?:和|及|、)(?![^()]*\))", m.group("kinds")) if k]
    done = f"{m.group('verb')}{m.group('y')}"
    qual = m.group("qual") or m.group("due") or _WHOLE_PLACE_RE.sub("", (m.group("place") or "").removesuffix("的"))
    if qual == f"应{done}的":
        qual = ""  # 应配置母婴设施的机场…均按要求配置母婴设施: the qualifier says again what is done
    return [(f"{m.group('manner') or ''}{done}的{qual}{k}比例", ">=", 100.0, None, "%") for k in kinds]


#: Kinds of units a facility is set up in.
_UNIT_KIND = (
    r"(?:医院|卫生院|卫生服务中心|妇幼保健院|学校|中小学|小学|中学|幼儿园|托育机构|社区|村|乡镇|街道|单位|机构|场所|企业|"
    r"登记处|办事处|派出所|司法所|法庭|法院|检察院)"
)
#: Facilities (``门诊``, ``母婴室``, ``心理辅导室``, ``服务站``, ``母婴设施``).
_FACILITY = r"[\u4e00-\u9fff]{1,8}?(?:门诊|科|室|站|点|中心|设施|角|屋)"
_FACILITY_RE = re.compile(
    r"^(?:计划|力争|争取|确保|要|将|推动|推进|基本)*(?:全面)?(?:实现)?"
    r"(?:全省|全市|全区|全县|全州|全乡|全镇)?"
    rf"(?P<units>[\u4e00-\u9fff()]{{0,16}}{_UNIT_KIND})(?P<fac>{_FACILITY})全覆盖$"
)


def facility_coverage(s: str, known: Callable[[str], bool]) -> list[Reading] | None:
    """``三级综合医院儿童保健门诊全覆盖``: the share of those units having the facility ≥ 100 % (``设…门诊的…比例`` for a
    room, clinic or station set up in them, ``有…设施的…比例`` for equipment); None when the
    coverage as written names an indicator ``known`` knows (``村(社区)儿童之家全覆盖`` is read as that rate)."""
    m = _FACILITY_RE.match(s)
    if m is None:
        return None
    units, fac = m.group("units"), m.group("fac")
    if known(f"{units}{fac}覆盖率") or known(f"{units}{fac}"):
        return None
    verb = "有" if fac.endswith("设施") else "设"  # a room, clinic or station is set up (设); equipment is had (有)
    return [(f"{verb}{fac}的{units}比例", ">=", 100.0, None, "%")]


__all__ = [
    "all_kinds_equipped","continued_count", "counts_sites", "each_counts", "facility_coverage", "level_counts", "people_reached", "trailing_count", "unnamed_count", "verb_count"]
