"""Sizes that make a place subject to a rule, and the size a rule sets for what it must have.

A standard says which places a rule applies to by their size (``建筑面积超过10000平方米或日客流量超过10000人的,
建立…``; ``客流量在5000至10000人的交通枢纽``) and how large the thing they must then have is (``使用面积不少于10平方米
的独立母婴室``). Neither is an aim: no level is set for a place to reach. A size is read as such a condition when it
qualifies what follows it (``…的``) or is one of two sizes either of which applies (``…或…``, ``…且…``). Its bound and
number are dropped; the measure's name is kept, so the rest of the clause reads as before. A size that is an aim
(``人均体育场地面积达到2.6平方米``, ``…2.6平方米或以上``) is left alone, as is a size per head naming units that meet a
standard (``生均建筑面积达到8平方米的幼儿园比例``).
"""

from __future__ import annotations

import re

#: A measured size of a place: its floor area, or the people passing through it.
_MEASURE = (
    r"(?:建筑|使用|营业|占地|经营|服务|室内|活动)?面积|"
    r"(?:日均|年均|日|年|月)?(?:客流量|人流量|旅客吞吐量|吞吐量|接待量|游客量|客流)"
)
_NUM = r"\d+(?:\.\d+)?"
_UNIT = r"(?:平方米|平米|㎡|万人次|人次|万人|人)"
#: The size: its bound, number, unit, an upper number of a span, and the words closing it.
_SIZE_RE = re.compile(
    rf"(?P<measure>{_MEASURE})(?:一般)?(?:超过|在|大于|高于|达到|达|不少于|不小于|不低于|不足|低于|少于|小于|至少)?"
    rf"{_NUM}{_UNIT}?(?:(?:至|到|-|~)(?:{_NUM}){_UNIT}?)?(?:以上|以下|及以上|之间)?"
    rf"(?=的|或(?!以上|以下|更)|且)"
)
#: The second of two sizes either of which applies (``…或日人流量超过5000人,``).
_SECOND_SIZE_RE = re.compile(
    rf"(?<=或|且)(?P<measure>{_MEASURE})(?:超过|在|大于|高于|达到|达|不少于|不小于|不低于|不足|低于|少于|小于)?"
    rf"{_NUM}{_UNIT}?(?:(?:至|到|-|~)(?:{_NUM}){_UNIT}?)?(?:以上|以下|及以上|之间)?(?=[,;。]|$)"
)


#: A size class of places in a list or before its verb (``行政村、20户以上自然村``, ``100人以上企业建立…``): which
#: places are meant, not a count of them.
_SIZE_CLASS_RE = re.compile(
    r"(?:(?<=^)|(?<=[、,;和及]))\d+(?:户|人|张床|床)(?:及)?以上(?=(?:行政村|自然村|村|企业|单位|机构|医院|社区|小区|场所))"
)


def without_size_conditions(s: str) -> str:
    """``建筑面积超过10000平方米或日客流量超过10000人的,建立使用面积不少于10平方米的独立母婴室`` →
    ``建筑面积或日客流量的,建立使用面积的独立母婴室``: the sizes of a standard carry no aim; a size class of places
    (``行政村、20户以上自然村``) → ``行政村、自然村``."""
    s = _SIZE_CLASS_RE.sub("", s)
    if not re.search(rf"(?:{_MEASURE})", s):
        return s
    s = _SIZE_RE.sub(_measure_alone, s)
    return _SECOND_SIZE_RE.sub(_measure_alone, s)


#: A size per head (``生均``, ``人均``): a standard units meet, named with them, not a condition of a rule.
_PER_HEAD_RE = re.compile(r"(?:生均|人均|户均)(?:建筑|使用|营业|占地|活动|室内)?$")


def _measure_alone(m: re.Match) -> str:
    return m.group(0) if _PER_HEAD_RE.search(m.string[: m.start()]) else m.group("measure")


__all__ = ["without_size_conditions"]
