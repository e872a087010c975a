"""Shares of kinds of units doing a thing, the value written after it: ``全市中小学、幼儿园、社区建立家长学校
达到100%`` → the share of schools, of kindergartens and of communities with a parent school, ≥ 100 each;
``全市法院推行…制度达70%`` → the share of courts doing so.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Words naming the whole of a place before the units (``全市``, ``各级``, ``所有``).
_WHOLE_RE = re.compile(r"^(?:全省|全市|全区|全县|全州|全旗|全镇|全乡|各级|各地|所有|全部|各)")
#: A kind of unit a share may be of.
_UNIT_RE = re.compile(
    r"(?:学校|中小学|中小学校|小学|初中|中学|高中|幼儿园|托育机构|社区|村|乡镇|街道|医院|卫生院|法院|检察院|机构|"
    r"单位|企业|园区|县|区|市)$"
)
#: The units, the verb and what is done, then the value after a verb of reaching.
_DOING_RE = re.compile(
    r"^(?P<units>[\u4e00-\u9fff()（）、和及与]{2,40}?)"
    r"(?P<verb>建立|建成|设立|设置|推行|实行|开设|配备|配齐|建有|开展)"
    r"(?P<obj>[\u4e00-\u9fff()（）“”\"]{2,30}?)(?:要|均|都)?(?:达到|达)(?P<v>\d+(?:\.\d+)?)%(?P<suf>以上|左右)?$"
)


def unit_shares(s: str, known: Callable[[str], bool]) -> list[tuple[str, float, bool]] | None:
    """(name, value, about) of each kind of unit a clause gives the share of, or None when the clause is no
    such share. ``known`` tells a name of the dictionary: a known reading is preferred."""
    m = _DOING_RE.match(s)
    if m is None:
        return None
    units = [u for u in re.split(r"、|和|及|与", _WHOLE_RE.sub("", m.group("units"))) if u]
    if not units or not all(_UNIT_RE.search(u) and len(u) <= 10 for u in units):
        return None
    obj = re.sub(r"[“”\"]", "", m.group("obj"))
    if re.search(r"的|率|比例|比重", obj):
        return None  # …建立…或家长学校的比率达到90%: a rate named, read as such
    verb, value, about = m.group("verb"), float(m.group("v")), m.group("suf") == "左右"
    out = []
    for unit in units:
        cands = [f"{verb}{obj}的{unit}比例", f"{unit}{obj}覆盖率", f"{unit}{verb}{obj}比例"]
        out.append((next((c for c in cands if known(c)), cands[0]), value, about))
    return out





#: A unit of a place able to do a thing (``每个设区市要有1所市级医疗机构能够开展…工作``): the place, the count,
#: what is counted, what it can do.
_ABLE_RE = re.compile(
    r"^(?P<place>[^,;。]{1,30}?)(?:要|应|均|都)?(?:至少)?(?:有|建有|设有)(?P<v>\d+|一|两)(?P<u>所|个|家)"
    r"(?P<obj>[\u4e00-\u9fff()（）]{2,12}?)(?P<vp>(?:能够|能|可以|可)[\u4e00-\u9fff()（）]{2,30})$"
)


def units_able(s: str) -> tuple[str, float, str] | None:
    """(name, count, unit) of units a place is to have that can do a thing, named as the thing they can do
    (``设区市能够开展…工作的市级医疗机构``), or None. A size of the place (``常住人口30万人以上的县``) stays in its name."""
    m = _ABLE_RE.match(s)
    if m is None:
        return None
    value = {"一": 1.0, "两": 2.0}.get(m.group("v")) or float(m.group("v"))
    place = re.sub(r"^(?:每个|每一个|每)", "每个", m.group("place"))
    return f"{place}{m.group('vp')}的{m.group('obj')}", value, m.group("u")
__all__ = ["unit_shares", "units_able"]
