"""Counts of people a year's projects serve or mobilise, named by what is done and who is counted.

``为全县3万名0-6岁儿童开展孤独症筛查`` counts the children screened (``孤独症筛查的0-6岁儿童人数``),
``组织100名家庭教育专家下基层`` the experts who go (``下基层的家庭教育专家人数``), ``带动5000名农村妇女就业``
those helped into work (``就业的农村妇女人数``). ``为800名…妇女发放救助金`` counts the women given the money; a total
the service comes with (``向2000名妇女提供总保额2亿元的意外险``) is counted too (``意外险总保额``). A count with ``余``,
``多`` or written ``上百`` is a floor of its round number; people listed with a head they share
(``农村妇女和城镇低保妇女``) are counted under that head.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\d+(?:\.\d+)?"
#: Round numbers written in words before a count (``上百名``): the floor they state.
_ROUND = {"上百": 100.0, "上千": 1000.0, "上万": 10000.0, "数百": 100.0, "数千": 1000.0}
_VALUE = rf"(?P<over>超过|逾)?(?P<v>{_NUM}|{'|'.join(_ROUND)})(?:多|余)?"
_UNIT = r"(?P<u>名|人次|人)"
#: Couples served (``为8000对待孕夫妇提供…``): counted in pairs, named by the couples.
_SERVED_UNIT = r"(?P<u>名|人次|人|对(?=[\u4e00-\u9fff]{0,12}?夫妇))"
#: The body that serves, before its 将 (``该省将为…``, ``我市还将为…``).
_BODY_WILL = r"(?:(?:该|我|本|全)?(?:省|市|区|县|州|镇|乡)?(?:还|也)?(?:将|要|拟))?"
#: The whole of the place served (``全县``, ``辖区内``): where, not who.
_ALL_OF = r"(?:全国|全省|全区|全市|全州|全盟|全县|全旗|全镇|全乡|辖区|我省|我市|我县|我区)?(?:内)?"
#: An age range that defines the group (``0-6岁``, ``35—64岁的``).
_AGE = r"\d{1,2}(?:[-—~～至]\d{1,2})?(?:周岁|岁)(?:以上|以下)?"

#: People an activity is given to, counted before them (``为全县300余名妇女儿童开展体质监测``).
_SERVED_RE = re.compile(
    r"^(?:今年|年内|全年)?" + _BODY_WILL + r"(?:计划|力争|争取|确保|每年|累计|共)?(?P<free0>免费)?(?:为|对|给|向)" + _ALL_OF
    + _VALUE + _SERVED_UNIT
    + rf"(?P<who>(?:{_AGE}的?)?(?:[\u4e00-\u9fff、]|\d{{2,4}}(?:级|届)){{2,24}}?)"
    r"(?P<free>免费)?(?:(?:进行|开展|提供|实施)(?:一次|1次)?|(?=接种|体检|发放|筛查|检查))(?P<act>[\u4e00-\u9fffA-Za-z、]{2,40})$"
)
#: The sum a service given to people comes with (``提供总保额1000000000元的女性安康险``, 亿 multiplied out): a total
#: of its own, named by the service and the kind of sum (``女性安康险总保额``).
_SUM_OF_SERVICE_RE = re.compile(rf"(?P<kind>总保额|保额|总金额|总额)(?P<v>{_NUM})(?P<u>元)的(?=[\u4e00-\u9fff]{{2}})")
#: Verbs an activity of people mobilised opens with (``下基层``, ``结对关爱…``, ``深入社区宣讲``).
_DOING = (
    r"(?:下基层|下乡|进社区|进村|进校园|深入|走进|走访|赴|到|结对|参与|参加|开展|提供|帮扶|关爱|陪伴|服务|宣讲|"
    r"入户|包联|联系|对接|指导|就业|创业|增收|致富)"
)
#: People mobilised for an activity, counted before them (``发动300000名爱心妈妈结对关爱留守儿童``).
_MOBILISED_RE = re.compile(
    r"^(?:今年|年内|全年)?(?:将|要|计划|力争)?(?:组织|发动|动员|选派|招募|带动|引导)" + _ALL_OF + _VALUE + _UNIT
    + rf"(?P<who>[\u4e00-\u9fff、]{{2,24}}?)(?P<act>{_DOING}[\u4e00-\u9fff、]{{0,30}})$"
)


#: People and an activity stated without a count (``对农村适龄妇女免费开展一次宫颈癌、乳腺癌筛查``)…
_GIVEN_RE = re.compile(
    rf"(?:为|对|给|向){_ALL_OF}(?P<who>(?:{_AGE}的?)?[\u4e00-\u9fff、]{{2,30}}?)"
    r"(?P<free>免费)?(?:进行|开展|提供|实施)(?P<free2>免费)?(?:一次|1次)?(?P<act>[\u4e00-\u9fff、]{2,24})$"
)
#: …counted in the next clause, ``各`` for each activity listed (``各完成筛查44690人``).
_COUNTED_NEXT_RE = re.compile(
    r"^(?:每年|全年|年内|今年)?各?(?:完成|共|累计)?(?:[\u4e00-\u9fff]{2,4}?)?各?"
    + _VALUE + _UNIT + r"(?:以上)?$"
)


#: The two cancers screened in women's programmes, named together as ``两癌``.
_TWO_CANCERS = ("宫颈癌", "乳腺癌")
#: A ``两癌`` service without its people (``扩大“两癌”免费筛查覆盖面``): counted next with 各, once per cancer.
_TWO_CANCERS_RE = re.compile(r"两癌(?P<act>(?:免费)?(?:筛查|检查))")


@dataclass(frozen=True)
class PeopleCount:
    """One count of people: its name, the floor and the unit it is written in."""

    name: str
    value: float
    unit: str
    over: bool = False  # 超过50万名: more than the value


def _shared_tail(items: list[str]) -> str:
    """The longest end all items share (``农村适龄妇女``, ``低保适龄妇女`` → ``适龄妇女``)."""
    tail = items[0]
    for item in items[1:]:
        while tail and not item.endswith(tail):
            tail = tail[1:]
    return tail


def _who(who: str) -> str:
    """The people counted: a list sharing its head (``农村妇女和城镇低保妇女``) under that head."""
    who = who.removesuffix("的")
    items = [i for i in re.split(r"和|及|、", re.sub(rf"^{_AGE}的", "", who)) if i]
    if len(items) > 1:
        head = _shared_tail(items)
        if len(head) >= 2 and any(i != head for i in items):
            return head
    return who


def _each_activity(act: str) -> list[str]:
    """``宫颈癌、乳腺癌筛查`` → ``宫颈癌筛查``, ``乳腺癌筛查``: kinds listed before the word they share."""
    first, *rest = act.split("、")
    last = rest[-1] if rest else first
    tail = last[len(first):] if len(last) > len(first) else ""
    return [i if i.endswith(tail) else i + tail for i in [first, *rest]]


#: A screening written verb first, its object after (``筛查两癌``): named object first (``两癌免费筛查``).
_CHECK_FIRST_RE = re.compile(r"(?P<verb>筛查|检查|检测)(?P<obj>[\u4e00-\u9fff]{2,12})")


def _named_act(free: str, act: str) -> str:
    """``免费`` + ``筛查两癌`` → ``两癌免费筛查``: what is done for the people, as a noun; any other act as written."""
    if m := _CHECK_FIRST_RE.fullmatch(act):
        return f"{m.group('obj')}{free}{m.group('verb')}"
    return free + act


def _value(v: str) -> float:
    return _ROUND.get(v) or float(v)


def _count(m: re.Match, act: str) -> PeopleCount | None:
    who = _who(m.group("who"))
    if len(who) < 2 or len(act) < 2:
        return None
    head = {"人次": "人次", "对": "对数"}.get(m.group("u"), "人数")
    return PeopleCount(f"{act}的{who}{head}", _value(m.group("v")), m.group("u"), bool(m.group("over")))


def people_count(s: str, previous: str = "") -> list[PeopleCount]:
    """``为全县3万名0-6岁儿童开展孤独症筛查`` (万 multiplied out) → ``孤独症筛查的0-6岁儿童人数`` ≥ 30000;
    ``组织上百名家庭教育专家下基层`` → ``下基层的家庭教育专家人数`` ≥ 100; ``各完成筛查44690人`` after
    ``对适龄妇女开展宫颈癌、乳腺癌筛查`` (``previous``) → one count for each screening. ``s`` and
    ``previous`` are clauses without quotes."""
    total = _SUM_OF_SERVICE_RE.search(s)
    m = _SERVED_RE.match(s[: total.start()] + s[total.end():] if total else s)
    if m is not None:
        act = _named_act(m.group("free0") or m.group("free") or "", m.group("act"))
        found = _count(m, act)
        if found and total:
            service = re.sub(r"^(?:提供|发放|开展)", "", m.group("act"))
            return [found, PeopleCount(f"{service}{total.group('kind')}", float(total.group("v")), total.group("u"))]
        return [found] if found else []
    m = _MOBILISED_RE.match(s)
    if m is not None:
        found = _count(m, m.group("act"))
        return [found] if found else []
    n, given = _COUNTED_NEXT_RE.match(s), _GIVEN_RE.search(previous)
    if n is None or "各" not in s:
        return []  # a bare count after a service is told apart only with 各 (for each activity)
    cancers = _TWO_CANCERS_RE.search(previous)
    if given is None and cancers is not None:  # 两癌…筛查, 每年筛查各13.3万人: each cancer's screenings
        head = "人次" if n.group("u") == "人次" else "人数"
        return [PeopleCount(f"{c}{cancers.group('act')}{head}", _value(n.group("v")), n.group("u")) for c in _TWO_CANCERS]
    if given is None:
        return []
    free = (given.group("free") or given.group("free2") or "")
    acts = _each_activity(given.group("act"))
    out = [_count_of(given, n, free + act) for act in acts]
    return [c for c in out if c]


def _count_of(given: re.Match, n: re.Match, act: str) -> PeopleCount | None:
    who = _who(given.group("who"))
    if len(who) < 2 or len(act) < 2:
        return None
    head = "人次" if n.group("u") == "人次" else "人数"
    return PeopleCount(f"{act}的{who}{head}", _value(n.group("v")), n.group("u"), bool(n.group("over")))


__all__ = ["PeopleCount", "people_count"]
