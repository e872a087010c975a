"""Counts of a year's work named by what is equipped, renovated or recognised, and of the people a service reaches.

A year's project list counts what it equips or renovates in units of equipment (``新增智能体测设备120台``,
``新配置护眼灯具900套``), what it recognises or upgrades (``认定儿童友好街区12个``, ``改造提升村级儿童之家35个``) or
opens (``新开通校园专线6条``), or brings forward as examples (``推介典型案例50个``); the verb stays in the name, as it says what is counted (equipment added, not the stock).
A list of counts after one such verb (``认定友好商圈5个,友好景区8家``) shares it: :func:`works_counted` tells the
sub-clause that opens such a list.

A service is counted in the people it reaches, named either way round (``实施听障儿童康复训练300人``,
``康复训练听障儿童300人``, ``开展老年人视力筛查不少于2000人``): the count of people the service is given to
(``康复训练的听障儿童人数``).

Events named as the means of what follows (``通过20场省级示范活动,带动…``) are counted as events to hold.

Each reading function takes one sub-clause (quotation marks removed) and returns readings as :mod:`.site_counts`
does, or None when the sub-clause is not of its kind.
"""

from __future__ import annotations

import re

from childplan_analysis.catalog.site_counts import Reading

_NUM = r"\d+(?:\.\d+)?"
_LEAD = r"(?:[\u4e00-\u9fff]{0,10}?(?:将|要|计划|拟|力争|争取|确保))?(?:今年|全年|年内)?(?:共|累计|重点|再)?"
#: Verbs of equipping, renovating, recognising or opening: what is counted is what the verb is done to.
_WORK_VERB = (
    r"(?:新增|新配置|配置|购置|新改造|改造提升|完善提升|改造|提升|认定|评定|新开通|开通|增设|推出|推介|推选|评选|选树)"
)
#: Units of equipment, sites, routes and works.
_WORK_UNIT = r"(?:台|套|部|辆|条|个|家|所|处|座|间|张)"
_THING = r"[\u4e00-\u9fff()A-Za-z0-9·]{2,24}?"
_FLOOR = r"(?:不少于|不低于|至少|超过)?"
_WORK_RE = re.compile(
    rf"^{_LEAD}(?P<verb>{_WORK_VERB})(?P<thing>{_THING}){_FLOOR}(?P<v>{_NUM})(?:余|多)?(?P<u>{_WORK_UNIT})(?:以上)?$"
)
#: The count before the thing (``新开通6条校园专线``).
_WORK_FIRST_RE = re.compile(
    rf"^{_LEAD}(?P<verb>{_WORK_VERB}){_FLOOR}(?P<v>{_NUM})(?:余|多)?(?P<u>{_WORK_UNIT})(?P<thing>[\u4e00-\u9fff()A-Za-z·]{{2,24}})$"
)
#: A count that opens a list sharing its verb (``认定友好商圈5个``), the number after the thing.
_OPENS_RE = re.compile(rf"{_WORK_VERB}[\u4e00-\u9fff()]{{2,24}}?{_NUM}{_WORK_UNIT}$")
#: Things that are no work's object: a document's own items, a time.
_NOT_THING_RE = re.compile(r"(?:指标|内容|任务|措施|条款|方面|年|月|日|岁)$")


def work_count(s: str) -> list[Reading] | None:
    """``新配置护眼灯具900套``, ``认定儿童友好街区12个``, ``新开通6条校园专线`` → ``新配置护眼灯具数`` ≥ 900,
    ``认定儿童友好街区数`` ≥ 12, ``新开通校园专线数`` ≥ 6."""
    m = _WORK_RE.match(s) or _WORK_FIRST_RE.match(s)
    if m is None or _NOT_THING_RE.search(m.group("thing")) or re.match(r"\d", m.group("thing")):
        return None
    counted, _, part = m.group("thing").partition("的") if m.re is _WORK_FIRST_RE else (m.group("thing"), "", "")
    if part:  # 完善提升22个场馆的母婴设施: the venues are counted, by what is done to them
        return [(f"{m.group('verb')}{part}的{counted}数", ">=", float(m.group("v")), None, m.group("u"))]
    return [(f"{m.group('verb')}{counted}数", ">=", float(m.group("v")), None, m.group("u"))]


def works_counted(s: str) -> bool:
    """Whether a sub-clause is a count of work with its verb (``认定友好商圈5个``): bare counts may follow on its list."""
    return bool(_OPENS_RE.search(s))


#: A count going on such a list, the thing first (``友好景区8家``; ``其中`` before a part of the count before it).
_CONTINUED_RE = re.compile(rf"^(?:和|及|以及|其中)?(?P<thing>{_THING}){_FLOOR}(?P<v>{_NUM})(?P<u>{_WORK_UNIT})(?:以上)?$")


#: A verb of its own in a counted thing (``创建A47条``, ``拥有…托位数达到4个``): no count going on the list before.
_OWN_VERB_RE = re.compile(
    rf"{_WORK_VERB}|创建|建设|建成|新建|打造|培育|开展|举办|组织|推出|实施|达|保持|控制|拥有|实现|覆盖|提高|降|增|升至|减少|扩大"
    r"|将|要|力争"
)


def continued_work(s: str, counting: bool) -> list[Reading] | None:
    """``…,友好景区8家`` after ``认定友好商圈5个`` (``counting``) → ``友好景区数`` ≥ 8: a count sharing the verb before it."""
    m = _CONTINUED_RE.match(s)
    if not counting or m is None or _NOT_THING_RE.search(m.group("thing")) or _OWN_VERB_RE.search(m.group("thing")):
        return None
    return [(f"{m.group('thing')}数", ">=", float(m.group("v")), None, m.group("u"))]


#: Services given to people, counted in the people reached.
_SERVICE = (
    r"(?:康复救助|康复训练|康复服务|救助|资助|帮扶|体质监测|健康监测|视力筛查|听力筛查|筛查|体检|健康检查|窝沟封闭|矫治|托管)"
)
_PEOPLE_UNIT = r"(?:人次|人|名)"
_WHO = r"[\u4e00-\u9fff]{2,12}?"
#: People first, then the service (``实施听障儿童康复训练300人``).
_WHO_FIRST_RE = re.compile(
    rf"^{_LEAD}(?:实施|开展|完成|提供)(?:免费)?(?P<who>{_WHO})(?P<act>{_SERVICE}){_FLOOR}(?P<v>{_NUM})(?P<u>{_PEOPLE_UNIT})(?:以上)?$"
)
#: The service first, then the people (``康复训练听障儿童300人``).
_ACT_FIRST_RE = re.compile(
    rf"^{_LEAD}(?:免费)?(?P<act>{_SERVICE})(?P<who>{_WHO}){_FLOOR}(?P<v>{_NUM})(?P<u>{_PEOPLE_UNIT})(?:以上)?$"
)
#: Words that name people (a service is counted in people, never in things).
_PEOPLE_WORD_RE = re.compile(r"(?:儿童|少年|青年|学生|妇女|女性|孕妇|产妇|老人|老年人|人员|人群|家庭|居民|患者|女孩|女生|婴幼儿|新生儿)$")


def people_given(s: str) -> list[Reading] | None:
    """``实施听障儿童康复训练300人``, ``康复训练听障儿童300人`` → ``康复训练的听障儿童人数`` ≥ 300."""
    m = _WHO_FIRST_RE.match(s) or _ACT_FIRST_RE.match(s)
    if m is None or not _PEOPLE_WORD_RE.search(m.group("who")):
        return None
    head = "人次" if m.group("u") == "人次" else "人数"
    return [(f"{m.group('act')}的{m.group('who')}{head}", ">=", float(m.group("v")), None, m.group("u"))]


#: Events a clause names as the means of what follows (``通过20场省级示范活动,带动…``): the events are to be held.
_MEANS_RE = re.compile(
    rf"^通过(?:开展|举办|组织|召开)?(?P<v>{_NUM})(?P<u>场次|场|期|次)(?P<event>[\u4e00-\u9fff()·]{{2,30}}?"
    r"(?:活动|讲座|培训|宣讲|比赛|展演|会议|论坛|沙龙|课堂))$"
)


def means_count(s: str) -> list[Reading] | None:
    """``通过20场省级示范活动`` (before ``带动全省举办…``) → ``省级示范活动场次`` ≥ 20: the events held as the means."""
    m = _MEANS_RE.match(s)
    if m is None:
        return None
    return [(f"{m.group('event')}场次", ">=", float(m.group("v")), None, m.group("u"))]


__all__ = ["continued_work", "means_count", "people_given", "work_count", "works_counted"]
